// Package ui is hubtui's Bubble Tea front end: the one top-level model (App)
// that owns the frame, the panes and the overlays, and routes every message.
// Update and View never block and never do I/O: Hub calls run in tea.Cmds and
// come back as messages carrying a generation; stale ones are dropped.
package ui

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
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
	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/theme"
)

const (
	minWidth  = 60
	minHeight = 15
	// rateTick refreshes the header's rate budget and countdowns.
	rateTick = time.Second
	// errLinger is how long an error stays on the status line.
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
	Session  Session // Client nil: the sign-in screen opens first
	Keymap   Keymap
	Theme    string // auto | dark | light | mono
	InTmux   bool   // wrap OSC 52 for tmux
	Contexts []string
	// Switch signs in to a named context; it runs inside a tea.Cmd.
	Switch func(ctx context.Context, name string) (Session, error)
	// Dial builds a client for credentials typed on the sign-in screen; it
	// runs inside a tea.Cmd. The App then signs it in (and asks for a 2FA code).
	Dial func(username string, secret hubclient.Secret) (*hubclient.Client, error)
	// Now is the clock (tests).
	Now func() time.Time
}

type mode int

const (
	modeNormal mode = iota
	modeFilter
	modePalette
	modeHelp
	modeSignIn
	modeConfirm
)

// App is the top-level model.
type App struct {
	opts   Options
	sess   Session
	keys   Keymap
	theme  theme.Theme
	dark   bool
	w, h   int
	mode   mode
	panes  []pane
	active int

	filter  textinput.Model
	palette palette
	signin  *signin
	confirm *confirm
	spin    spinner.Model

	status     string // what just happened; shown for a while beside the pane's own status
	statusAt   time.Time
	lost       string // a change a session expiry stopped, said after signing in again
	errFrom    string // the list whose load failed with errText; its next good load clears it
	errText    string
	errCause   error // the error errText was made from, for help's whole account of it
	errAt      time.Time
	sessionID  uint64 // bumps on every context/org switch; older results are dropped
	gen        uint64 // the newest load generation handed out, across every pane
	helpScroll int
	orgs       []string
	switchID   uint64 // the newest `:ctx` switch asked for
	quitting   bool
	running    map[uint64]string // changes in flight, by id: what each does
	runID      uint64
	unfinished []string // changes quit in the middle of
}

// New builds the App.
func New(opts Options) *App {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Keymap.byKey == nil {
		opts.Keymap = DefaultKeymap()
	}
	a := &App{opts: opts, keys: opts.Keymap, dark: true}
	a.theme = theme.New(opts.Theme, a.dark)
	a.spin = spinner.New(spinner.WithSpinner(spinner.MiniDot))
	a.filter = textinput.New()
	a.filter.Prompt = "/"
	a.filter.Placeholder = "fuzzy filter · 'exact ^prefix suffix$ !not re:PATTERN"
	a.palette = newPalette()
	a.panes = newPanes()
	if opts.Session.Client == nil {
		a.signin = newSignin(opts.Session)
		a.mode = modeSignIn
	} else {
		a.sess = opts.Session
	}
	return a
}

// start is the first load of a session; without an org it waits for the
// user's organizations to choose one.
func (a *App) start() tea.Cmd {
	if a.sess.Org == "" && a.orgs != nil {
		return a.onOrgs(orgsMsg{session: a.sessionID, names: a.orgs})
	}
	return tea.Batch(a.enterPane(), a.loadOrgs())
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
	return tea.Batch(cmds...)
}

type tickMsg time.Time

func tick() tea.Cmd {
	return tea.Tick(rateTick, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// tooSmall reports whether the terminal is below the size the frame needs.
func (a *App) tooSmall() bool { return a.w > 0 && a.h > 0 && (a.w < minWidth || a.h < minHeight) }

// busy reports whether any pane is loading.
func (a *App) busy() bool {
	for _, p := range a.panes {
		if p.busy() {
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

// Update routes msg.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.w, a.h = msg.Width, msg.Height
		return a, nil
	case tea.BackgroundColorMsg:
		a.dark = msg.IsDark()
		a.theme = theme.New(a.opts.Theme, a.dark)
		return a, nil
	case tickMsg:
		if a.errText != "" && time.Time(msg).Sub(a.errAt) > errLinger {
			a.errText = "" // an error stays on the status line for a while, then clears
		}
		return a, tick()
	case spinner.TickMsg:
		var cmd tea.Cmd
		a.spin, cmd = a.spin.Update(msg)
		return a, cmd
	case signedInMsg:
		return a, a.onSignedIn(msg)
	case orgsMsg:
		return a, a.onOrgs(msg)
	case switchedMsg:
		return a, a.onSwitched(msg)
	case mutatedMsg:
		return a, a.onMutated(msg)
	case streamMsg:
		_, cmd := a.Update(msg.msg)
		return a, tea.Batch(cmd, msg.next)
	case tea.PasteMsg:
		return a, a.routeText(msg)
	case tea.KeyPressMsg:
		return a, a.onKey(msg)
	}
	if a.signin != nil {
		if cmd, ok := a.signin.handle(a, msg); ok {
			return a, cmd
		}
	}
	// Results and anything else go to every pane; each takes only its own.
	var cmds []tea.Cmd
	for _, p := range a.panes {
		if cmd := p.handleMsg(a, msg); cmd != nil {
			cmds = append(cmds, cmd)
		}
	}
	if a.mode == modeFilter || a.mode == modePalette {
		var c1, c2 tea.Cmd
		a.filter, c1 = a.filter.Update(msg)
		a.palette.input, c2 = a.palette.input.Update(msg)
		cmds = append(cmds, c1, c2)
	}
	return a, tea.Batch(cmds...)
}

func (a *App) routeText(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch a.mode {
	case modeFilter:
		a.filter, cmd = a.filter.Update(msg)
		return tea.Batch(cmd, a.cur().setQuery(a, a.filter.Value()))
	case modePalette:
		a.palette.input, cmd = a.palette.input.Update(msg)
		a.palette.refresh(a)
		return cmd
	case modeSignIn:
		return a.signin.update(a, msg)
	case modeConfirm:
		asked := a.confirm
		cmd, done := asked.update(msg)
		if done && a.confirm == asked { // an answer may open the next question
			a.mode, a.confirm = modeNormal, nil
		}
		return cmd
	}
	return nil
}

// splitEscape reads an alt+key that nothing claims as the esc it began with
// followed by the key: over a slow link "esc" then ":" typed quickly arrive
// as one alt+: and would otherwise be lost. Keys the text inputs use
// (alt+b/f/d, alt+backspace…) and the sign-in screen keep their meaning.
func (a *App) splitEscape(msg tea.KeyPressMsg) (esc, key tea.KeyPressMsg, ok bool) {
	if msg.Mod != tea.ModAlt || a.mode == modeSignIn || msg.Code == tea.KeyEscape {
		return esc, key, false
	}
	if _, bound := a.keys.Lookup(msg.String()); bound {
		return esc, key, false
	}
	switch msg.Code {
	case 'b', 'f', 'd', tea.KeyBackspace, tea.KeyDelete, tea.KeyLeft, tea.KeyRight:
		if a.mode == modeFilter || a.mode == modePalette || a.mode == modeConfirm {
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
		if a.mode == modeConfirm && len(a.running) > 0 {
			return a.leaveNow() // asked already: a second ctrl+c leaves
		}
		return a.quit()
	}
	if first, then, ok := a.splitEscape(msg); ok {
		return tea.Batch(a.onKey(first), a.onKey(then))
	}
	if a.tooSmall() { // nothing the user cannot see happens
		if act, _ := a.keys.Lookup(k); act == ActQuit && a.mode != modeSignIn {
			return a.quit()
		}
		return nil
	}
	switch a.mode {
	case modeSignIn:
		return a.signin.update(a, msg)
	case modeConfirm:
		return a.routeText(msg)
	case modeHelp:
		act, _ := a.keys.Lookup(k)
		switch act {
		case ActDown:
			a.helpScroll++
		case ActUp:
			a.helpScroll = max(0, a.helpScroll-1)
		case ActPageDown, ActHalfDown:
			a.helpScroll += max(1, (a.h-5)/2)
		case ActPageUp, ActHalfUp:
			a.helpScroll = max(0, a.helpScroll-max(1, (a.h-5)/2))
		case ActTop:
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
			return a.cur().setQuery(a, "")
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
	act, ok := a.keys.Lookup(k)
	if !ok {
		return nil
	}
	if a.readOnly() && a.keys.Binding(act).Mutates {
		a.say("read-only: changes are off (--readonly or readonly: true in the context)")
		return nil
	}
	// The pane gets the first say (its own keys, detail views).
	if cmd, handled := a.cur().action(a, act); handled {
		return cmd
	}
	switch act {
	case ActQuit:
		return a.quit()
	case ActHelp:
		a.mode, a.helpScroll = modeHelp, 0
	case ActFilter:
		if a.cur().filterable() {
			a.mode = modeFilter
			a.filter.SetValue(a.cur().query())
			a.filter.CursorEnd()
			return a.filter.Focus()
		}
	case ActCommand:
		a.mode = modePalette
		a.palette.open(a)
		return a.palette.input.Focus()
	case ActNextPane:
		return a.switchPane((a.active + 1) % len(a.panes))
	case ActPrevPane:
		return a.switchPane((a.active + len(a.panes) - 1) % len(a.panes))
	case ActPane1, ActPane2, ActPane3, ActPane4, ActPane5, ActPane6, ActPane7, ActPane8:
		return a.switchPane(int(act[len(act)-1] - '1'))
	case ActCopy:
		if name := a.cur().selectedName(); name != "" {
			clean := sanitize.String(name) // what is copied is what the status line shows
			a.say("copied " + clean)
			return a.copy(clean)
		}
	}
	return nil
}

// quit leaves, but first asks while a change is still running on the Hub;
// what was left unfinished is then kept for Unfinished.
func (a *App) quit() tea.Cmd {
	if len(a.running) > 0 && a.mode != modeConfirm {
		what := a.runningNames()
		return a.ask(newConfirm("Quit while a change is running?",
			"Still running: "+what+". Quitting stops it where it is; what was done stays done.", func() tea.Cmd {
				a.unfinished = append(a.unfinished, "stopped before it finished: "+what)
				return a.leaveNow()
			}))
	}
	return a.leaveNow()
}

// runningNames lists the changes in flight, oldest first.
func (a *App) runningNames() string {
	ids := make([]uint64, 0, len(a.running))
	for id := range a.running {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = a.running[id]
	}
	return strings.Join(names, "; ")
}

// Unfinished says, after the program ends, which changes the user quit
// in the middle of; nil when none.
func (a *App) Unfinished() []string { return slices.Clone(a.unfinished) }

func (a *App) leaveNow() tea.Cmd {
	a.quitting = true
	for _, p := range a.panes {
		p.leave(a)
	}
	return tea.Quit
}

func (a *App) cur() pane { return a.panes[a.active] }

// switchPane leaves the current pane (cancelling its requests) and enters i.
func (a *App) switchPane(i int) tea.Cmd {
	if i < 0 || i >= len(a.panes) {
		return nil
	}
	if i != a.active {
		a.cur().leave(a)
		a.active = i
	}
	if a.mode == modeFilter {
		a.mode = modeNormal
	}
	return a.enterPane()
}

func (a *App) enterPane() tea.Cmd {
	if a.sess.Client == nil || a.sess.Org == "" {
		return nil // signing in, or choosing the organization
	}
	return a.cur().enter(a)
}

// paneIndex finds the pane of kind k.
func (a *App) paneIndex(k state.Kind) int {
	for i, p := range a.panes {
		if p.kind() == k {
			return i
		}
	}
	return 0
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
	a.errText = describeErr(err)
	a.errCause = err
	a.errAt = a.opts.Now()
	a.errFrom = ""
}

// describeErrFull is describeErr with every item of a bulk change named,
// for the help page, where there is room for all of them.
func describeErrFull(err error) string {
	var pe partialError
	if !errors.As(err, &pe) {
		return describeErr(err)
	}
	parts := make([]string, len(pe.errs))
	for i, e := range pe.errs {
		// Each item's error starts with the item's name ("v1: …").
		name, _, _ := strings.Cut(e.Error(), ": ")
		parts[i] = sanitize.String(name) + ": " + describeErr(e)
	}
	return fmt.Sprintf("%d of %d not done:\n%s", len(pe.errs), pe.total, strings.Join(parts, "\n"))
}

// describeErr puts an error in plain words, with the server's own words
// when it sent some.
func describeErr(err error) string {
	var rl *hubclient.RateLimitError
	var ae *hubclient.APIError
	var ve *hubclient.ValidationError
	var pe partialError
	switch {
	case errors.As(err, &pe):
		more := ""
		if len(pe.errs) > 1 {
			more = fmt.Sprintf(" (and %d more)", len(pe.errs)-1)
		}
		return fmt.Sprintf("%d of %d not done: %s%s", len(pe.errs), pe.total, describeErr(pe.errs[0]), more)
	case errors.Is(err, context.Canceled):
		return ""
	case errors.Is(err, hubclient.ErrReadOnly):
		return "read-only mode: nothing was changed"
	case errors.Is(err, hubclient.ErrNotOffered):
		return "this Docker Hub does not offer that operation"
	case errors.As(err, &rl):
		return fmt.Sprintf("rate limited by Docker Hub: try again in %s", rl.RetryAfter.Round(time.Second))
	case errors.As(err, &ve):
		return ve.Error()
	case errors.As(err, &ae):
		words := ae.Words()
		if words == "" {
			words = strings.ToLower(httpText(ae.StatusCode))
		}
		prefix := ""
		switch ae.StatusCode {
		case 401:
			prefix = "not signed in or the session expired: "
		case 403:
			prefix = "not allowed: "
		case 404:
			prefix = "not found: "
		case 409:
			prefix = "conflict: "
		}
		if ae.StatusCode >= 500 {
			prefix = "Docker Hub failed: "
		}
		return sanitize.String(fmt.Sprintf("%s%s (%d)", prefix, words, ae.StatusCode))
	}
	return sanitize.String(err.Error())
}

func httpText(code int) string {
	switch {
	case code >= 500:
		return "server error"
	case code == 404:
		return "not found"
	}
	return fmt.Sprintf("HTTP %d", code)
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
		return wrap(fmt.Sprintf("hubtui needs at least %d×%d; this terminal is %d×%d.\nMake the window larger, or press q to quit.", minWidth, minHeight, a.w, a.h), max(10, a.w), "")
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
	switch a.mode {
	case modeHelp:
		body = a.helpView(a.w, bodyH)
	case modeConfirm:
		body = a.confirm.view(a, a.w, bodyH)
	default:
		body = a.cur().view(a, a.w, bodyH)
	}
	body = fitBlock(body, a.w, bodyH)
	return strings.Join([]string{header, tabs, rule, body, status, footer}, "\n")
}

// fitBlock pads or cuts s to exactly h lines.
func fitBlock(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// truncate cuts s to w cells.
func truncate(s string, w int) string {
	if lipgloss.Width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && lipgloss.Width(string(r))+1 > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
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
		left = truncate(ansi.Strip(left), room)
	}
	return left + strings.Repeat(" ", max(1, a.w-lipgloss.Width(left)-lipgloss.Width(right))) + right
}

func (a *App) tabsLine() string {
	render := func(compact bool) string {
		var b strings.Builder
		for i, p := range a.panes {
			label := fmt.Sprintf("%d %s", i+1, p.title())
			switch {
			case i == a.active:
				b.WriteString(a.theme.TabActive.Render(label))
			case compact: // narrow: the other tabs by number only
				b.WriteString(a.theme.Tab.Render(fmt.Sprintf("%d", i+1)))
			default:
				b.WriteString(a.theme.Tab.Render(label))
			}
		}
		return b.String()
	}
	line := render(false)
	if lipgloss.Width(line) > a.w {
		line = render(true)
	}
	if crumbs := a.cur().crumbs(); len(crumbs) > 0 {
		c := " " + a.theme.Dim.Render(sanitize.String(strings.Join(crumbs, " › ")))
		if lipgloss.Width(line)+lipgloss.Width(c) <= a.w {
			line += c
		}
	}
	if lipgloss.Width(line) > a.w {
		return truncate(line, a.w)
	}
	return line
}

func (a *App) statusLine() string {
	t := a.theme
	switch a.mode {
	case modeFilter:
		a.filter.SetWidth(max(10, a.w-lipgloss.Width(a.filter.Prompt)-1))
		return a.filter.View()
	case modePalette:
		return a.palette.view(a)
	}
	wait := ""
	if d, ok := a.rateWait(); ok && a.busy() {
		wait = t.Warn.Render(fmt.Sprintf(" · waiting for Docker Hub's rate limit: %ds", int(d.Round(time.Second).Seconds())))
	}
	if a.errText != "" { // an error is never hidden by a wait
		return truncate(t.Error.Render("error: ")+a.errText+wait, a.w)
	}
	s := a.cur().status(a)
	if a.status != "" && (s == "" || a.opts.Now().Sub(a.statusAt) < errLinger) {
		if s != "" {
			s = a.status + " · " + s
		} else {
			s = a.status
		}
	}
	return truncate(t.Status.Render(s)+wait, a.w)
}

func (a *App) footerLine() string {
	var acts []Action
	switch a.mode {
	case modeFilter:
		return a.theme.Footer.Render("type to filter  enter keep  esc clear")
	case modePalette:
		return a.theme.Footer.Render("tab complete  ↑/↓ history  enter run  esc cancel")
	case modeHelp:
		return a.theme.Footer.Render("j/k scroll · any other key closes help")
	case modeConfirm:
		return a.theme.Footer.Render("esc cancels")
	}
	acts = append(acts, ActHelp, ActCommand)
	if a.cur().filterable() {
		acts = append(acts, ActFilter)
	}
	acts = append(acts, a.cur().footer(a)...)
	acts = append(acts, ActQuit)
	var parts []string
	used := 0
	for _, act := range acts {
		b := a.keys.Binding(act)
		if (a.readOnly() && b.Mutates) || len(b.Keys) == 0 {
			continue
		}
		s := a.theme.Key.Render(b.Label) + " " + a.theme.Footer.Render(shortHelp(b))
		wd := lipgloss.Width(s) + 2
		if used+wd > a.w {
			break
		}
		used += wd
		parts = append(parts, s)
	}
	return strings.Join(parts, "  ")
}

// helpView lists every binding that applies, built from the keymap, in as
// many columns as fit; it scrolls when it is taller than the screen.
func (a *App) helpView(w, h int) string {
	groups := a.keys.Groups(a.readOnly(), a.cur().applies)
	var cols []string
	for _, g := range groups {
		var b strings.Builder
		b.WriteString(a.theme.Title.Render(g[0].Group) + "\n")
		var panes []Binding
		for _, bd := range g {
			if isPaneJump(bd.Action) {
				panes = append(panes, bd)
				continue
			}
			fmt.Fprintf(&b, "%s %s\n", a.theme.Key.Render(fmt.Sprintf("%-14s", strings.Join(bd.Keys, "/"))), bd.Help)
		}
		if len(panes) > 0 { // one line for the eight pane jumps
			var keys []string
			for _, bd := range panes {
				keys = append(keys, bd.Keys...)
			}
			label := strings.Join(keys, "/")
			if len(panes) == len(keys) && len(keys) > 2 {
				label = keys[0] + "…" + keys[len(keys)-1]
			}
			fmt.Fprintf(&b, "%s %s\n", a.theme.Key.Render(fmt.Sprintf("%-14s", label)), "jump to a pane")
		}
		cols = append(cols, b.String())
	}
	cmds := a.theme.Title.Render("Commands") + "\n"
	for _, c := range paletteCommands() {
		cmds += a.theme.Key.Render(fmt.Sprintf("%-15s", ":"+c.usage)) + " " + c.help + "\n"
	}
	cols = append(cols, cmds)
	colW := 39
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
		if a.errCause != nil && describeErr(a.errCause) == a.errText { // not replaced since
			full = describeErrFull(a.errCause)
		}
		page = a.theme.Error.Render("Last error") + "\n" + wrap(full, max(20, w-2), "") + "\n\n" + page
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

// isPaneJump reports whether act jumps to a numbered pane.
func isPaneJump(act Action) bool {
	switch act {
	case ActPane1, ActPane2, ActPane3, ActPane4, ActPane5, ActPane6, ActPane7, ActPane8:
		return true
	}
	return false
}

// shortHelp is a binding's footer word.
func shortHelp(b Binding) string {
	switch b.Action {
	case ActTags:
		return "tags"
	case ActSort:
		return "sort"
	case ActMark:
		return "mark"
	case ActCopy:
		return "copy"
	case ActFilter:
		return "filter"
	case ActCommand:
		return "command"
	case ActNextPane:
		return "next pane"
	case ActNew:
		return "new"
	case ActEdit:
		return "edit"
	case ActPrivacy:
		return "visibility"
	case ActDelete:
		return "delete"
	}
	return b.Help
}
