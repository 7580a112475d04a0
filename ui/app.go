// Package ui is hubtui's Bubble Tea front end: the one top-level model (App)
// that owns the frame, the tabs from the registry with a page stack each, the
// dialog stack, and routes every message. Panes live in their own packages
// (ui/panes/...) on the contract of ui/pane; a pane's Cmd results come back
// addressed to it and reach it alone. Update and View never block and never
// do I/O: Hub calls run in tea.Cmds and come back as messages carrying a
// generation; stale ones are dropped.
package ui

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"time"
	"unicode"

	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/text"
	"github.com/hubtui/hubtui/ui/theme"
)

const (
	minWidth  = 60
	minHeight = 15
	// rateTick refreshes the header's rate budget and countdowns.
	rateTick = time.Second
	// errLinger is how long an error nobody owns stays on the status line.
	errLinger = 15 * time.Second
)

// Session is a signed-in connection to one Hub.
type Session struct {
	Client   *hubclient.Client
	Context  string
	HubURL   string
	User     string
	Org      string // "" until chosen: the first of the user's organizations
	ReadOnly bool
	// Dial builds a client for credentials typed on the sign-in screen for
	// this session's Hub; nil falls back to Options.Dial. It runs in a Cmd.
	Dial func(username string, secret hubclient.Secret) (*hubclient.Client, error)
	// SaveHelper names the credential helper a sign-in to this session's Hub
	// can be saved to ("desktop" for docker-credential-desktop); "" hides it.
	SaveHelper string
	// Save stores typed credentials with SaveHelper under this session's Hub;
	// it runs in a Cmd, and only when the user asks (ctrl+s on sign-in).
	Save func(ctx context.Context, user string, secret hubclient.Secret) error
}

// Options configure the App.
type Options struct {
	Session Session // Client nil: the sign-in screen opens first
	// Panes is the registry of tabs; nil is Registry().
	Panes    []pane.Entry
	Keymap   Keymap // zero: the default keys of Panes
	Theme    string // auto | dark | light | mono
	InTmux   bool   // wrap OSC 52 for tmux
	Contexts []string
	// Switch signs in to a named context; it runs inside a tea.Cmd.
	Switch func(ctx context.Context, name string) (Session, error)
	// Dial builds a client for credentials typed on the sign-in screen; it
	// runs inside a tea.Cmd. The App then signs it in (and asks for a 2FA code).
	Dial func(username string, secret hubclient.Secret) (*hubclient.Client, error)
	// CacheRows bounds the rows a session keeps between visits (0: the default).
	CacheRows int
	// Now is the clock (tests).
	Now func() time.Time
	// Getenv reads the environment ($VISUAL, $EDITOR); nil is os.Getenv.
	Getenv func(string) string
	// Exec runs a program in the terminal (the editor); nil is tea.ExecProcess.
	Exec func(c *exec.Cmd, fn tea.ExecCallback) tea.Cmd
}

type mode int

const (
	modeNormal mode = iota
	modeFilter
	modePalette
	modeHelp
	modeSignIn
)

// tab is one of the registry's panes with the pages pushed over it.
type tab struct {
	entry pane.Entry
	stack []*page // stack[0] is the registry's pane
}

// stacked is a dialog and the page its answers go to.
type stacked struct {
	d     dialog.Dialog
	owner uint64
}

// App is the top-level model.
type App struct {
	opts   Options
	sess   Session
	keys   Keymap
	theme  theme.Theme
	dark   bool
	w, h   int
	mode   mode
	tabs   []*tab
	active int
	pages  map[uint64]*page
	pageID uint64

	dialogs []stacked
	filter  textinput.Model
	palette palette
	signin  *signin
	spin    spinner.Model
	cache   *state.Cache
	pending []tea.Cmd // what Env calls asked for during this Update

	status     string // what just happened; shown for a while beside the pane's own status
	statusAt   time.Time
	lost       string // a change a session expiry stopped, said after signing in again
	errFrom    string // what the error is about (a list's load, its marks); "" lingers
	errText    string
	errCause   error // the error errText was made from, for help's whole account of it
	errAt      time.Time
	sessionID  uint64 // bumps on every context/org switch; older results are dropped
	gen        uint64 // the newest load generation handed out, across every pane
	helpScroll int
	orgs       []string
	roleOrg    string    // the org roleOf is about
	roleOf     pane.Role // the user's role in roleOrg
	switchID   uint64    // the newest `:ctx` switch asked for
	quitting   bool
	lastAction string            // the binding the last key in normal mode found
	running    map[uint64]string // changes in flight, by id: what each does
	bulks      map[uint64]*bulkRun
	runID      uint64
	unfinished []string // changes quit in the middle of
}

// New builds the App.
func New(opts Options) *App {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Panes == nil {
		opts.Panes = Registry()
	}
	if opts.Keymap.known == nil {
		opts.Keymap = NewKeymap(opts.Panes)
	}
	a := &App{opts: opts, keys: opts.Keymap, dark: true}
	a.theme = theme.New(opts.Theme, a.dark)
	a.spin = spinner.New(spinner.WithSpinner(spinner.MiniDot))
	a.filter = textinput.New()
	a.filter.Prompt = "/"
	a.filter.Placeholder = "fuzzy filter · 'exact ^prefix suffix$ !not re:PATTERN"
	a.palette = newPalette()
	a.resetTabs()
	if opts.Session.Client == nil {
		a.signin = newSignin(opts.Session)
		a.mode = modeSignIn
	} else {
		a.sess = opts.Session
	}
	return a
}

// resetTabs builds every tab afresh from the registry, with an empty cache:
// nothing of an earlier session stays.
func (a *App) resetTabs() {
	a.cache = state.NewCache(a.opts.CacheRows)
	a.pages = map[uint64]*page{}
	a.dialogs = nil
	a.tabs = make([]*tab, len(a.opts.Panes))
	for i, e := range a.opts.Panes {
		a.tabs[i] = &tab{entry: e}
		a.tabs[i].stack = []*page{a.newPage(i, e.New())}
	}
	a.active = min(a.active, len(a.tabs)-1)
}

func (a *App) newPage(tab int, p pane.Pane) *page {
	a.pageID++
	pg := &page{p: p, id: a.pageID, tab: tab}
	pg.env = &env{a: a, pg: pg}
	a.pages[pg.id] = pg
	return pg
}

// start is the first load of a session; without an org it waits for the
// user's organizations to choose one.
func (a *App) start() tea.Cmd {
	if a.sess.Org == "" && a.orgs != nil {
		return a.onOrgs(orgsMsg{session: a.sessionID, names: a.orgs})
	}
	return tea.Batch(a.enterPane(), a.loadOrgs(), a.loadRole())
}

// Session is the current session (tests).
func (a *App) Session() Session { return a.sess }

// Init starts the first load, the spinner and the header clock, and asks
// the terminal for its background colour (the first frame does not wait).
func (a *App) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor, a.spin.Tick, tick()}
	if a.mode == modeSignIn {
		cmds = append(cmds, a.signin.focus())
	} else {
		cmds = append(cmds, a.start())
	}
	return tea.Batch(append(cmds, a.flush())...)
}

type tickMsg time.Time

func tick() tea.Cmd {
	return tea.Tick(rateTick, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// tooSmall reports whether the terminal is below the size the frame needs.
func (a *App) tooSmall() bool { return a.w > 0 && a.h > 0 && (a.w < minWidth || a.h < minHeight) }

// busy reports whether any page is loading.
func (a *App) busy() bool {
	for _, pg := range a.pages {
		if b, ok := pg.p.(pane.Busy); ok && b.Busy() {
			return true
		}
	}
	return false
}

// rateWait is how long until the rate budget comes back, when it is spent.
func (a *App) rateWait() (time.Duration, bool) {
	if a.sess.Client == nil {
		return 0, false
	}
	if until := a.sess.Client.WaitingUntil(); !until.IsZero() {
		d := until.Sub(a.opts.Now())
		return d, d > 0
	}
	r := a.sess.Client.Rate()
	if !r.Known || r.Remaining > 0 || r.Reset.IsZero() {
		return 0, false
	}
	d := r.Reset.Sub(a.opts.Now())
	return d, d > 0
}

// personal reports whether the namespace shown is the user's own rather
// than an organization: it is the user's name and not one of their orgs.
func (a *App) personal() bool {
	return a.sess.Org != "" && a.sess.Org == a.sess.User && a.orgs != nil && !slices.Contains(a.orgs, a.sess.Org)
}

// readOnly reports whether mutations are off.
func (a *App) readOnly() bool {
	return a.sess.ReadOnly || (a.sess.Client != nil && a.sess.Client.ReadOnly())
}

// later queues a Cmd an Env call asked for; Update returns it.
func (a *App) later(cmd tea.Cmd) {
	if cmd != nil {
		a.pending = append(a.pending, cmd)
	}
}

// flush hands over the queued Cmds.
func (a *App) flush() tea.Cmd {
	if len(a.pending) == 0 {
		return nil
	}
	cmds := a.pending
	a.pending = nil
	return tea.Batch(cmds...)
}

// Update routes msg.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := a.update(msg)
	return a, tea.Batch(cmd, a.flush())
}

func (a *App) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		resized := msg.Width != a.w || msg.Height != a.h
		a.w, a.h = msg.Width, msg.Height
		if !resized || a.sess.Client == nil || a.mode == modeSignIn {
			return nil
		}
		var cmds []tea.Cmd
		for _, pg := range a.tabs[a.active].stack {
			w, h := pg.env.Size()
			cmds = append(cmds, address(pg.id, pg.p.Update(pg.env, pane.Resized{W: w, H: h})))
		}
		return tea.Batch(cmds...)
	case tea.BackgroundColorMsg:
		a.dark = msg.IsDark()
		a.theme = theme.New(a.opts.Theme, a.dark)
		return nil
	case tickMsg:
		if a.errText != "" && a.errFrom == "" && a.opts.Now().Sub(a.errAt) > errLinger {
			a.errText = "" // an error nobody owns stays a while, then clears
		}
		return tick()
	case spinner.TickMsg:
		var cmd tea.Cmd
		a.spin, cmd = a.spin.Update(msg)
		return cmd
	case addressed:
		pg, ok := a.pages[msg.to]
		if !ok {
			return nil // its page was closed, or the session changed
		}
		return address(pg.id, pg.p.Update(pg.env, msg.msg))
	case happenedMsg:
		return a.onHappened(msg)
	case liveDue:
		return a.onLiveDue(msg)
	case signedInMsg:
		return a.onSignedIn(msg)
	case orgsMsg:
		return a.onOrgs(msg)
	case roleMsg:
		return a.onRole(msg)
	case switchedMsg:
		return a.onSwitched(msg)
	case mutatedMsg:
		return a.onMutated(msg)
	case editReady:
		return a.onEditReady(msg)
	case editDone:
		return a.onEditDone(msg)
	case bulkMsg:
		return a.onBulk(msg)
	case tea.PasteMsg:
		return a.routeText(msg)
	case tea.KeyPressMsg:
		cmd := a.onKey(msg)
		a.clearLifted()
		return cmd
	}
	if a.signin != nil {
		if cmd, ok := a.signin.handle(a, msg); ok {
			return cmd
		}
	}
	// Anything else (a cursor blink) goes to the inputs that may want it.
	var cmds []tea.Cmd
	if d, ok := a.topDialog(); ok {
		cmd, _ := d.d.Update(msg)
		cmds = append(cmds, address(d.owner, cmd))
	}
	if a.mode == modeFilter || a.mode == modePalette {
		var c1, c2 tea.Cmd
		a.filter, c1 = a.filter.Update(msg)
		a.palette.input, c2 = a.palette.input.Update(msg)
		cmds = append(cmds, c1, c2)
	}
	return tea.Batch(cmds...)
}

// topDialog is the dialog that gets the keys.
func (a *App) topDialog() (stacked, bool) {
	if len(a.dialogs) == 0 {
		return stacked{}, false
	}
	return a.dialogs[len(a.dialogs)-1], true
}

// push shows d over the pane; its answers go to page owner.
func (a *App) push(d dialog.Dialog, owner uint64) {
	a.dialogs = append(a.dialogs, stacked{d: d, owner: owner})
	if o, ok := d.(dialog.Opener); ok {
		a.later(o.Open(a.w))
	}
}

// remove takes d off the stack (wherever it is: an answer may have pushed
// the next question over it).
func (a *App) remove(d dialog.Dialog) {
	a.dialogs = slices.DeleteFunc(a.dialogs, func(s stacked) bool { return s.d == d })
	if c, ok := d.(dialog.Closer); ok {
		c.Close()
	}
}

func (a *App) routeText(msg tea.Msg) tea.Cmd {
	if d, ok := a.topDialog(); ok && a.mode != modeSignIn {
		cmd, done := d.d.Update(msg)
		if done {
			a.remove(d.d)
		}
		return address(d.owner, cmd)
	}
	var cmd tea.Cmd
	switch a.mode {
	case modeFilter:
		a.filter, cmd = a.filter.Update(msg)
		return tea.Batch(cmd, a.setQuery(a.filter.Value()))
	case modePalette:
		a.palette.input, cmd = a.palette.input.Update(msg)
		a.palette.refresh(a)
		return cmd
	case modeSignIn:
		return a.signin.update(a, msg)
	}
	return nil
}

// setQuery sets the filter of the page on screen.
func (a *App) setQuery(q string) tea.Cmd {
	pg := a.cur()
	if f, ok := pg.p.(pane.Filterable); ok {
		return address(pg.id, f.SetQuery(pg.env, q))
	}
	return nil
}

// texting reports whether a text input has the keys.
func (a *App) texting() bool {
	if d, ok := a.topDialog(); ok {
		t, ok := d.d.(dialog.Texter)
		return ok && t.TakesText()
	}
	return a.mode == modeFilter || a.mode == modePalette
}

// splitEscape reads an alt+key that nothing claims as the esc it began with
// followed by the key: over a slow link "esc" then ":" typed quickly arrive
// as one alt+: and would otherwise be lost. Keys the text inputs use
// (alt+b/f/d, alt+backspace…) and the sign-in screen keep their meaning.
func (a *App) splitEscape(msg tea.KeyPressMsg) (esc, key tea.KeyPressMsg, ok bool) {
	if msg.Mod != tea.ModAlt || a.mode == modeSignIn || msg.Code == tea.KeyEscape {
		return esc, key, false
	}
	if _, bound := a.keys.find(a.bindingsOf(a.cur()), msg.String()); bound {
		return esc, key, false
	}
	switch msg.Code {
	case 'b', 'f', 'd', tea.KeyBackspace, tea.KeyDelete, tea.KeyLeft, tea.KeyRight:
		if a.texting() {
			return esc, key, false // word movement in the input
		}
	}
	key = tea.KeyPressMsg{Code: msg.Code}
	if msg.Code < tea.KeyExtended && unicode.IsPrint(msg.Code) {
		key.Text = string(msg.Code)
	}
	return tea.KeyPressMsg{Code: tea.KeyEscape}, key, true
}

// onKey handles a key press for the current mode.
func (a *App) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := msg.String()
	if k == "ctrl+c" {
		if len(a.dialogs) > 0 && len(a.running) > 0 {
			return a.leaveNow() // asked already, or busy in a dialog: a second ctrl+c leaves
		}
		return a.quit()
	}
	if first, then, ok := a.splitEscape(msg); ok {
		return tea.Batch(a.onKey(first), a.onKey(then))
	}
	if a.tooSmall() { // nothing the user cannot see happens
		if b, ok := a.keys.find(frameCatalogue(0), k); ok && b.Action == pane.ActQuit && a.mode != modeSignIn {
			return a.quit()
		}
		return nil
	}
	if a.mode == modeSignIn {
		return a.signin.update(a, msg)
	}
	if len(a.dialogs) > 0 {
		return a.routeText(msg)
	}
	switch a.mode {
	case modeHelp:
		b, _ := a.keys.find(frameCatalogue(0), k)
		switch b.Action {
		case pane.ActDown:
			a.helpScroll++
		case pane.ActUp:
			a.helpScroll = max(0, a.helpScroll-1)
		case pane.ActPageDown, pane.ActHalfDown:
			a.helpScroll += max(1, (a.h-5)/2)
		case pane.ActPageUp, pane.ActHalfUp:
			a.helpScroll = max(0, a.helpScroll-max(1, (a.h-5)/2))
		case pane.ActTop:
			a.helpScroll = 0
		default:
			a.mode = modeNormal
		}
		return nil
	case modeFilter:
		switch k {
		case "esc":
			a.mode = modeNormal
			a.filter.SetValue("")
			a.filter.Blur()
			return a.setQuery("")
		case "enter", "down", "up":
			a.mode = modeNormal
			a.filter.Blur()
			return nil
		}
		return a.routeText(msg)
	case modePalette:
		switch k {
		case "esc":
			a.mode = modeNormal
			a.palette.input.Blur()
			return nil
		case "enter":
			line := a.palette.input.Value()
			a.mode = modeNormal
			a.palette.input.Blur()
			a.palette.remember(line)
			return a.runCommand(line)
		case "tab":
			a.palette.completeLine(a)
			return nil
		case "up":
			a.palette.history(-1)
			a.palette.refresh(a)
			return nil
		case "down":
			a.palette.history(+1)
			a.palette.refresh(a)
			return nil
		}
		return a.routeText(msg)
	}
	pg := a.cur()
	b, ok := a.keys.find(a.bindingsOf(pg), k)
	a.lastAction = b.Action
	if !ok {
		return nil
	}
	switch {
	case b.Mutates && a.readOnly():
		a.say("read-only: changes are off (--readonly or readonly: true in the context)")
		return nil
	case b.Disabled != "":
		a.setErr(fmt.Errorf("%s: %s", b.Help, b.Disabled))
		a.errFrom = disabledOwner + b.Action // it goes when the reason does
		return nil
	case b.Run == nil:
		return nil
	}
	return b.Run()
}

// disabledOwner prefixes the owner of the error a disabled key showed.
const disabledOwner = "disabled "

// clearLifted clears the error a disabled key showed once its reason is
// gone (esc cleared the marks it was about), another page is on screen, or
// the next key did something else.
func (a *App) clearLifted() {
	act, ok := strings.CutPrefix(a.errFrom, disabledOwner)
	if !ok || a.mode == modeSignIn {
		return
	}
	if a.lastAction != act && a.mode == modeNormal && len(a.dialogs) == 0 {
		a.errText, a.errFrom, a.errCause = "", "", nil // the user went on to something else
		return
	}
	for _, b := range a.bindingsOf(a.cur()) {
		if b.Action == act && b.Disabled != "" {
			return
		}
	}
	a.errText, a.errFrom, a.errCause = "", "", nil
}

// bindingsOf is everything a key may do on pg: the pane's own bindings
// (which win), then the frame's. The Runs of the pane's are addressed to it.
func (a *App) bindingsOf(pg *page) []pane.Binding {
	own := pg.p.Bindings(pg.env)
	out := make([]pane.Binding, 0, len(own)+24)
	for _, b := range own {
		if run := b.Run; run != nil {
			id := pg.id
			b.Run = func() tea.Cmd { return address(id, run()) }
		}
		out = append(out, b)
	}
	return append(out, a.globals(pg)...)
}

// globals are the frame's bindings on pg: movement when it moves, tabs,
// back when a page is pushed, filter and copy when it has them, palette,
// help, quit.
func (a *App) globals(pg *page) []pane.Binding {
	mover, moves := pg.p.(pane.Mover)
	filt, filters := pg.p.(pane.Filterable)
	sel, selects := pg.p.(pane.Selection)
	t := a.tabs[pg.tab]
	var out []pane.Binding
	shown := a.shownTabs()
	for _, b := range frameCatalogue(len(shown)) {
		act := b.Action
		switch {
		case b.Group == pane.GroupMove:
			if !moves {
				continue
			}
			b.Run = func() tea.Cmd { mover.Move(pg.env, act); return nil }
		case act == pane.ActNextPane:
			b.Run = func() tea.Cmd { return a.switchPane(a.nextTab(shown, +1)) }
		case act == pane.ActPrevPane:
			b.Run = func() tea.Cmd { return a.switchPane(a.nextTab(shown, -1)) }
		case strings.HasPrefix(act, "pane_"):
			n := slices.IndexFunc(shown, func(i int) bool { return pane.PaneJump(slices.Index(shown, i)) == act })
			i := shown[n]
			b.Help = a.tabs[i].entry.Title
			b.Run = func() tea.Cmd { return a.switchPane(i) }
		case act == pane.ActBack:
			if len(t.stack) < 2 {
				continue
			}
			b.Help = "back to " + t.stack[len(t.stack)-2].p.Title()
			b.Short = "back"
			b.Run = func() tea.Cmd { return a.popPage(pg) }
		case act == pane.ActFilter:
			if !filters || !filt.CanFilter() {
				continue
			}
			b.Run = func() tea.Cmd {
				a.mode = modeFilter
				a.filter.SetValue(filt.Query())
				a.filter.CursorEnd()
				return a.filter.Focus()
			}
		case act == pane.ActCopy:
			if !selects {
				continue
			}
			name, ok := sel.Selected()
			if !ok {
				b.Disabled = "nothing selected"
			}
			b.Run = func() tea.Cmd {
				clean := sanitize.String(name) // what is copied is what the status line shows
				a.say("copied " + clean)
				return a.copy(clean)
			}
		case act == pane.ActCommand:
			b.Run = func() tea.Cmd {
				a.mode = modePalette
				a.palette.open(a)
				return a.palette.input.Focus()
			}
		case act == pane.ActHelp:
			b.Run = func() tea.Cmd { a.mode, a.helpScroll = modeHelp, 0; return nil }
		case act == pane.ActQuit:
			b.Run = a.quit
		}
		out = append(out, b)
	}
	return out
}

// quit leaves, but first asks while a change is still running on the Hub;
// what was left unfinished is then kept for Unfinished.
func (a *App) quit() tea.Cmd {
	if len(a.running) > 0 {
		what := a.runningNames()
		a.push(dialog.NewConfirm("Quit while a change is running?",
			"Still running: "+what+". Quitting stops it where it is; what was done stays done.", func() tea.Cmd {
				a.unfinished = append(a.unfinished, "stopped before it finished: "+what)
				return a.leaveNow()
			}), 0)
		return nil
	}
	return a.leaveNow()
}

// runningNames lists the changes in flight, oldest first, with the
// progress of bulk ones.
func (a *App) runningNames() string {
	ids := make([]uint64, 0, len(a.running))
	for id := range a.running {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = a.running[id]
		if b, ok := a.bulks[id]; ok {
			names[i] += fmt.Sprintf(" (%d of %d done)", b.prog.Done(), b.total)
		}
	}
	return strings.Join(names, "; ")
}

// Unfinished says, after the program ends, which changes the user quit
// in the middle of; nil when none.
func (a *App) Unfinished() []string { return slices.Clone(a.unfinished) }

func (a *App) leaveNow() tea.Cmd {
	a.quitting = true
	a.leaveAll()
	for _, b := range a.bulks {
		b.cancel()
	}
	return tea.Quit
}

// leaveAll leaves every page (cancelling its requests).
func (a *App) leaveAll() {
	for _, t := range a.tabs {
		for _, pg := range t.stack {
			pg.p.Leave(pg.env)
		}
	}
}

// shownTabs are the indexes of the tabs in the tab line, in order.
func (a *App) shownTabs() []int {
	out := make([]int, 0, len(a.tabs))
	for i, t := range a.tabs {
		if !t.entry.Hidden {
			out = append(out, i)
		}
	}
	return out
}

// nextTab is the shown tab d steps from the active one (from a hidden tab,
// the first or last shown).
func (a *App) nextTab(shown []int, d int) int {
	n := len(shown)
	if n == 0 {
		return a.active
	}
	pos := slices.Index(shown, a.active)
	if pos < 0 {
		if d > 0 {
			return shown[0]
		}
		return shown[n-1]
	}
	return shown[(pos+d+n)%n]
}

// cur is the page on screen.
func (a *App) cur() *page {
	t := a.tabs[a.active]
	return t.stack[len(t.stack)-1]
}

// switchPane leaves the current tab (cancelling its requests) and enters i.
func (a *App) switchPane(i int) tea.Cmd {
	if i < 0 || i >= len(a.tabs) {
		return nil
	}
	if i != a.active {
		for _, pg := range a.tabs[a.active].stack {
			pg.p.Leave(pg.env)
		}
		a.active = i
	}
	if a.mode == modeFilter {
		a.mode = modeNormal
	}
	return a.enterPane()
}

// enterPane enters every page of the current tab, bottom first.
func (a *App) enterPane() tea.Cmd {
	if a.sess.Client == nil || a.sess.Org == "" {
		return nil // signing in, or choosing the organization
	}
	var cmds []tea.Cmd
	for _, pg := range a.tabs[a.active].stack {
		cmds = append(cmds, address(pg.id, pg.p.Enter(pg.env)), a.enterStale(pg))
	}
	return tea.Batch(cmds...)
}

// tabOf finds the tab of kind k.
func (a *App) tabOf(k state.Kind) int {
	return slices.IndexFunc(a.tabs, func(t *tab) bool { return t.entry.Kind == k })
}

// open shows the tab of kind k, pointed at scope when one is given.
func (a *App) open(k state.Kind, scope string) tea.Cmd {
	i := a.tabOf(k)
	if i < 0 {
		a.setErr(fmt.Errorf("there is no %s pane", k))
		return nil
	}
	t := a.tabs[i]
	root := t.stack[0]
	var cmd tea.Cmd
	if scope != "" {
		sc, ok := root.p.(pane.Scoped)
		if !ok {
			a.setErr(fmt.Errorf("%s does not open on %q", t.entry.Title, sanitize.String(scope)))
			return nil
		}
		c, err := sc.Scope(root.env, scope)
		if err != nil {
			a.setErr(err)
			return nil
		}
		cmd = address(root.id, c)
		for len(t.stack) > 1 { // a new scope starts at the pane itself
			a.dropTop(t)
		}
	}
	return tea.Batch(cmd, a.switchPane(i))
}

// pushPage shows p over the top of tab ti.
func (a *App) pushPage(ti int, p pane.Pane) tea.Cmd {
	t := a.tabs[ti]
	pg := a.newPage(ti, p)
	t.stack = append(t.stack, pg)
	if ti != a.active || a.sess.Client == nil {
		return nil
	}
	return address(pg.id, p.Enter(pg.env))
}

// popPage closes pg and every page above it.
func (a *App) popPage(pg *page) tea.Cmd {
	t := a.tabs[pg.tab]
	i := slices.Index(t.stack, pg)
	if i < 1 {
		return nil // not on its tab any more, or the root: nothing to pop
	}
	for len(t.stack) > i {
		a.dropTop(t)
	}
	return nil
}

func (a *App) dropTop(t *tab) {
	top := t.stack[len(t.stack)-1]
	top.p.Leave(top.env)
	delete(a.pages, top.id)
	t.stack = t.stack[:len(t.stack)-1]
}

// copy writes s to the clipboard with OSC 52, so it works over SSH.
func (a *App) copy(s string) tea.Cmd { return tea.Raw(osc52(s, a.opts.InTmux)) }

// osc52 is the clipboard write for s. Inside tmux it is sent twice: plain,
// for tmux itself (set-clipboard on keeps it and forwards it), and wrapped in
// a passthrough, which reaches the outer terminal when allow-passthrough is on.
func osc52(s string, tmux bool) string {
	seq := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(s)) + "\x07"
	if tmux {
		seq += "\x1bPtmux;" + strings.ReplaceAll(seq, "\x1b", "\x1b\x1b") + "\x1b\\"
	}
	return seq
}

// say puts what just happened on the status line for a while ("" clears it).
func (a *App) say(s string) {
	a.status, a.statusAt = s, a.opts.Now()
}

// setErr shows err; nobody owns it until the caller says (errFrom).
func (a *App) setErr(err error) {
	if err == nil {
		a.errText = ""
		return
	}
	var tf *hubclient.TwoFactorRequiredError
	if errors.As(err, &tf) && a.sess.Client != nil && a.mode != modeSignIn {
		a.reauth(tf)
		return
	}
	a.errText = pane.Describe(err)
	a.errCause = err
	a.errAt = a.opts.Now()
	a.errFrom = ""
}

// clearErr takes away the error owner put up. A list that loads after the
// organization list failed means the Hub answers again: that list is asked
// for once more, and its error goes.
func (a *App) clearErr(owner string) {
	switch a.errFrom {
	case owner:
		a.errText, a.errFrom = "", ""
	case orgsErr:
		if strings.HasPrefix(owner, "load ") {
			a.errText, a.errFrom = "", ""
			if a.orgs == nil {
				a.later(a.loadOrgs())
			}
		}
	}
}

// View draws the frame: header, tabs, body, status line, footer.
func (a *App) View() tea.View {
	v := tea.NewView(a.render())
	v.AltScreen = true
	v.WindowTitle = "hubtui"
	return v
}

func (a *App) render() string {
	if a.quitting {
		return ""
	}
	if a.w == 0 || a.h == 0 {
		return "hubtui: starting…"
	}
	if a.tooSmall() {
		return text.Wrap(fmt.Sprintf("hubtui needs at least %d×%d; this terminal is %d×%d.\nMake the window larger, or press q to quit.", minWidth, minHeight, a.w, a.h), max(10, a.w), "")
	}
	if a.mode == modeSignIn {
		return a.signin.view(a)
	}
	header := a.headerLine()
	tabs := a.tabsLine()
	rule := a.theme.Rule.Render(strings.Repeat("─", a.w))
	status := a.statusLine()
	footer := a.footerLine()
	bodyH := a.h - 5
	var body string
	if a.mode == modeHelp {
		body = a.helpView(a.w, bodyH)
	} else {
		pg := a.cur()
		body = pg.p.View(pg.env, a.w, bodyH)
	}
	body = text.FitBlock(body, bodyH)
	if d, ok := a.topDialog(); ok { // drawn over the pane, which stays in view around it
		body = dialog.Overlay(body, d.d.View(&a.theme, a.w, bodyH), a.w, bodyH)
	}
	return strings.Join([]string{header, tabs, rule, body, status, footer}, "\n")
}

func (a *App) headerLine() string {
	t := a.theme
	parts := []string{t.Brand.Render("hubtui")}
	if a.sess.Context != "" {
		parts = append(parts, t.Label.Render("ctx: ")+sanitize.String(a.sess.Context))
	}
	org := sanitize.String(a.sess.Org)
	if org == "" {
		org = "…"
	}
	label := "org: "
	if a.personal() {
		label = "personal: " // the user's own namespace, not an organization
	}
	if r := a.role(); r != pane.RoleUnknown && !a.personal() {
		org += t.Dim.Render(" (" + r.String() + ")")
	}
	parts = append(parts, t.Label.Render(label)+org)
	if a.sess.User != "" {
		parts = append(parts, t.Label.Render("user: ")+sanitize.String(a.sess.User))
	}
	if a.sess.Client != nil {
		if r := a.sess.Client.Rate(); r.Known {
			s := fmt.Sprintf("rate %d/%d", r.Remaining, r.Limit)
			switch {
			case r.Remaining == 0:
				s = t.Error.Render(s + fmt.Sprintf(" (resets in %ds)", max(0, int(r.Reset.Sub(a.opts.Now()).Seconds()))))
			case r.Remaining < r.Limit/5:
				s = t.Warn.Render(s)
			}
			parts = append(parts, s)
		}
	}
	left := strings.Join(parts, t.Rule.Render(" ─ "))
	// The right end never gives way: the read-only badge and the activity
	// indicator stay, and the left part is cut instead.
	right := t.Dim.Render("○ idle")
	if a.busy() {
		right = t.OK.Render(a.spin.View() + " loading")
	}
	if a.readOnly() {
		right = t.Warn.Render("READ-ONLY") + " " + right
	}
	room := a.w - lipgloss.Width(right) - 1
	if lipgloss.Width(left) > room {
		left = text.Truncate(ansi.Strip(left), room)
	}
	return left + strings.Repeat(" ", max(1, a.w-lipgloss.Width(left)-lipgloss.Width(right))) + right
}

func (a *App) tabsLine() string {
	render := func(compact bool) string {
		var b strings.Builder
		for n, i := range a.shownTabs() {
			t := a.tabs[i]
			label := fmt.Sprintf("%d %s", n+1, t.entry.Title)
			switch {
			case i == a.active:
				b.WriteString(a.theme.TabActive.Render(label))
			case compact: // narrow: the other tabs by number only
				b.WriteString(a.theme.Tab.Render(fmt.Sprintf("%d", n+1)))
			default:
				b.WriteString(a.theme.Tab.Render(label))
			}
		}
		if t := a.tabs[a.active]; t.entry.Hidden { // reached by its command
			b.WriteString(a.theme.TabActive.Render(t.entry.Title))
		}
		return b.String()
	}
	line := render(false)
	if lipgloss.Width(line) > a.w {
		line = render(true)
	}
	if crumbs := a.crumbs(); len(crumbs) > 0 {
		c := " " + a.theme.Dim.Render(sanitize.String(strings.Join(crumbs, " › ")))
		if lipgloss.Width(line)+lipgloss.Width(c) <= a.w {
			line += c
		}
	}
	if lipgloss.Width(line) > a.w {
		return text.Truncate(line, a.w)
	}
	return line
}

// crumbs is where the page on screen is: the page's own account of it, else
// the titles of the tab's stack.
func (a *App) crumbs() []string {
	pg := a.cur()
	if c, ok := pg.p.(pane.Crumbs); ok {
		return c.Crumbs()
	}
	t := a.tabs[a.active]
	if len(t.stack) < 2 {
		return nil
	}
	out := make([]string, len(t.stack))
	for i, p := range t.stack {
		out[i] = p.p.Title()
	}
	return out
}

// statusLine gives each its place: on the left what happened (an error
// first, never hidden), on the right the pane's progress, changes running
// and a rate-limit wait; when both do not fit each gets its share.
func (a *App) statusLine() string {
	t := a.theme
	switch a.mode {
	case modeFilter:
		a.filter.SetWidth(max(10, a.w-lipgloss.Width(a.filter.Prompt)-1))
		return a.filter.View()
	case modePalette:
		return a.palette.view(a)
	}
	var right []string
	pg := a.cur()
	if s := pg.p.Status(pg.env); s != "" {
		right = append(right, s)
	}
	for _, id := range a.bulkIDs() {
		if b := a.bulks[id]; !a.onStack(b.prog) {
			right = append(right, fmt.Sprintf("%s %d/%d", sanitize.String(b.what), b.prog.Done(), b.total))
		}
	}
	if d, ok := a.rateWait(); ok && (a.busy() || len(a.running) > 0) {
		right = append(right, t.Warn.Render(fmt.Sprintf("rate limit: waiting %ds", int(d.Round(time.Second).Seconds()))))
	}
	var left string
	switch {
	case a.errText != "":
		left = t.Error.Render("error: ") + a.errText
	case a.status != "" && (len(right) == 0 || a.opts.Now().Sub(a.statusAt) < errLinger):
		left = a.status
	}
	r := strings.Join(right, " · ")
	if left == "" {
		return text.Truncate(t.Status.Render(r), a.w)
	}
	if r == "" {
		return text.Truncate(left, a.w)
	}
	lw, rw := lipgloss.Width(left), lipgloss.Width(r)
	if lw+3+rw > a.w {
		// The error keeps at least half; the progress keeps what is left.
		rw = min(rw, max(a.w/3, a.w-lw-3))
		r = text.Truncate(ansi.Strip(r), rw)
		rw = lipgloss.Width(r)
		left = text.Truncate(ansi.Strip(left), a.w-rw-3)
		if a.errText != "" {
			left = t.Error.Render(left)
		}
	}
	gap := max(3, a.w-lipgloss.Width(left)-rw)
	return left + strings.Repeat(" ", gap) + t.Status.Render(r)
}

// footerLine shows the keys of the page on screen by priority: help and
// the palette first, then the pane's in its order, quit last, as many as fit
// (help always does).
func (a *App) footerLine() string {
	if d, ok := a.topDialog(); ok {
		return a.theme.Footer.Render(d.d.Hint())
	}
	switch a.mode {
	case modeFilter:
		return a.theme.Footer.Render("type to filter  enter keep  esc clear")
	case modePalette:
		return a.theme.Footer.Render("tab complete  ↑/↓ history  enter run  esc cancel")
	case modeHelp:
		return a.theme.Footer.Render("j/k scroll · any other key closes help")
	}
	all := a.bindingsOf(a.cur())
	var first, mid, last []pane.Binding
	for _, b := range all {
		switch b.Action {
		case pane.ActHelp, pane.ActCommand, pane.ActFilter, pane.ActBack:
			first = append(first, b)
		case pane.ActQuit:
			last = append(last, b)
		default:
			if b.Group != pane.GroupMove && !strings.HasPrefix(b.Action, "pane_") {
				mid = append(mid, b)
			}
		}
	}
	slices.SortStableFunc(first, func(x, y pane.Binding) int { return footerRank(x.Action) - footerRank(y.Action) })
	hint := func(b pane.Binding) string {
		return a.theme.Key.Render(a.keys.Label(b)) + " " + a.theme.Footer.Render(b.Short)
	}
	// quit is always shown: its room is kept before the rest is laid out.
	var tail string
	used := 0
	for _, b := range last {
		if b.Short != "" && a.keys.Label(b) != "" {
			tail = hint(b)
			used = lipgloss.Width(tail) + 2
			break
		}
	}
	var parts []string
	seen := map[string]bool{}
	for _, b := range slices.Concat(first, mid) {
		label := a.keys.Label(b)
		if b.Short == "" || label == "" || b.Disabled != "" || (a.readOnly() && b.Mutates) || seen[label] {
			continue
		}
		seen[label] = true
		s := hint(b)
		wd := lipgloss.Width(s) + 2
		if used+wd > a.w {
			continue // a shorter one further on may still fit
		}
		used += wd
		parts = append(parts, s)
	}
	if tail != "" {
		parts = append(parts, tail)
	}
	return strings.Join(parts, "  ")
}

func footerRank(act string) int {
	return slices.Index([]string{pane.ActHelp, pane.ActCommand, pane.ActFilter, pane.ActBack}, act)
}

// helpView lists every binding of the page on screen, grouped, in as many
// columns as fit; disabled ones say why. It scrolls when taller than the screen.
func (a *App) helpView(w, h int) string {
	const colW = 39
	groups := map[string][]pane.Binding{}
	seen := map[string]bool{}
	var jumps []string
	for _, b := range a.bindingsOf(a.cur()) {
		keys := a.keys.Keys(b)
		if len(keys) == 0 || (a.readOnly() && b.Mutates) || seen[b.Action] {
			continue
		}
		seen[b.Action] = true
		if strings.HasPrefix(b.Action, "pane_") {
			jumps = append(jumps, keys...)
			continue
		}
		g := b.Group
		if g == "" {
			g = pane.GroupActions
		}
		groups[g] = append(groups[g], b)
	}
	var cols []string
	for _, g := range []string{pane.GroupMove, pane.GroupPanes, pane.GroupFind, pane.GroupSelect, pane.GroupActions, pane.GroupGeneral} {
		bs := groups[g]
		if len(bs) == 0 && !(g == pane.GroupPanes && len(jumps) > 0) {
			continue
		}
		var b strings.Builder
		b.WriteString(a.theme.Title.Render(g) + "\n")
		line := func(keys, help string) {
			fmt.Fprintf(&b, "%s %s\n", a.theme.Key.Render(fmt.Sprintf("%-14s", keys)), help)
		}
		for _, bd := range bs {
			// A column is colW wide: the text wraps under itself, never into
			// the next column.
			help := text.Wrap(bd.Help, colW-16, strings.Repeat(" ", 15))
			if bd.Disabled != "" {
				help = a.theme.Dim.Render(text.Wrap(bd.Help+" ("+bd.Disabled+")", colW-16, strings.Repeat(" ", 15)))
			}
			line(strings.Join(a.keys.Keys(bd), "/"), help)
		}
		if g == pane.GroupPanes && len(jumps) > 0 { // one line for the pane jumps
			label := strings.Join(jumps, "/")
			if len(jumps) > 2 {
				label = jumps[0] + "…" + jumps[len(jumps)-1]
			}
			line(label, "jump to a pane")
		}
		cols = append(cols, b.String())
	}
	cmds := a.theme.Title.Render("Commands") + "\n"
	pad := strings.Repeat(" ", 16)
	for _, c := range a.commands() {
		usage := ":" + c.usage
		if len(usage) > 15 { // its own line, the help under it
			cmds += a.theme.Key.Render(text.Truncate(usage, colW-1)) + "\n" + pad + text.Wrap(c.help, colW-17, pad) + "\n"
			continue
		}
		cmds += a.theme.Key.Render(fmt.Sprintf("%-15s", usage)) + " " + text.Wrap(c.help, colW-17, pad) + "\n"
	}
	cols = append(cols, cmds)
	perRow := max(1, w/colW)
	var rows []string
	for i := 0; i < len(cols); i += perRow {
		end := min(i+perRow, len(cols))
		row := make([]string, 0, end-i)
		for _, c := range cols[i:end] {
			row = append(row, lipgloss.NewStyle().Width(colW).Render(c))
		}
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	}
	page := lipgloss.JoinVertical(lipgloss.Left, rows...)
	if a.errText != "" { // the status line cuts long errors: here they are whole
		full := a.errText
		if a.errCause != nil && pane.Describe(a.errCause) == a.errText { // not replaced since
			full = pane.DescribeFull(a.errCause)
		}
		page = a.theme.Error.Render("Last error") + "\n" + text.Wrap(full, max(20, w-2), "") + "\n\n" + page
	}
	lines := strings.Split(page, "\n")
	if len(lines) <= h {
		a.helpScroll = 0
		return strings.Join(lines, "\n")
	}
	a.helpScroll = min(a.helpScroll, len(lines)-(h-1))
	more := a.theme.Dim.Render(fmt.Sprintf("── j/k scroll · lines %d–%d of %d ──", a.helpScroll+1, a.helpScroll+h-1, len(lines)))
	return strings.Join(append(lines[a.helpScroll:a.helpScroll+h-1], more), "\n")
}
