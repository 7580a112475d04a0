// Package audit is the Audit pane: the organization's audit log, newest
// first, and a live tail (f) that shows each new event exactly once
// (state/audit), new rows marked, with space to pause the display while
// collection goes on. enter opens an event with its data.
package audit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	saudit "github.com/hubtui/hubtui/state/audit"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/text"
)

// Settings tune the pane; they come from the config file.
type Settings struct {
	Buffer   int           // events held in memory; 0 is saudit.DefaultBuffer
	Interval time.Duration // poll interval at rest; 0 is the tail's default
	Share    float64       // of the rate budget the tail may spend; 0 is the default
	// Watch holds the watch rules and their hit counts; nil watches nothing.
	Watch *saudit.Watch
}

// Entry is the pane's registry line, with default settings.
func Entry() pane.Entry { return EntryWith(Settings{}) }

// EntryWith is the pane's registry line with s.
func EntryWith(s Settings) pane.Entry {
	return pane.Entry{Kind: state.Audit, Title: "Audit", Command: "audit", Usage: "audit", Help: "the organization's audit log, live",
		New: func() pane.Pane { return NewWith(s) }}
}

// Actions of the pane.
const (
	ActFollow = "follow"
	ActPause  = "pause"
	ActUTC    = "utc"
)

// firstPage is how many events the pane opens with.
const firstPage = 100

// behindShown is how far behind the tail must be for the status to say so:
// less is a busy poll still reading its last page.
const behindShown = 2 * time.Second

// highlightFor is how long a new row stays marked.
const highlightFor = 5 * time.Second

// Pane is the audit log.
type Pane struct {
	set       Settings
	ring      *saudit.Ring
	tail      *saudit.Tail
	org       string
	loaded    bool
	loading   bool
	err       error
	gen       uint64 // the load or follow in flight; others' answers are dropped
	following bool
	paused    bool
	unseen    int // delivered while paused
	utc       bool
	cursor    int
	arrived   map[string]time.Time // Key → when it arrived, for the highlight
	watched   map[string]bool      // Key → a watch rule asked for it to stand out
	cancel    context.CancelFunc
	height    int
	// pendingRun is the tail's request waiting for its tick.
	pendingRun func() tea.Msg

	spark      spark                 // events per hour, for the header (spark.go)
	filter     serverFilter          // what the Hub is asked to filter by
	query      string                // the local filter (/) as typed
	matched    string                // the local filter idx was built for
	queryErr   error                 // the local filter does not read
	qgen       uint64                // the index being built; others are dropped
	idx        matches               // the events the local filter keeps
	hi         int64                 // the next number of an event pushed at the newest end
	back       back                  // reading older pages
	cats       map[string]*catalogue // action catalogues by org
	catLoading string                // the org whose catalogue is on its way
	catErr     error                 // the catalogue of the org did not load
}

// New is the pane before anything is loaded, with default settings.
func New() *Pane { return NewWith(Settings{}) }

// NewWith is the pane before anything is loaded.
func NewWith(s Settings) *Pane {
	if s.Buffer <= 0 {
		s.Buffer = saudit.DefaultBuffer
	}
	return &Pane{set: s, ring: saudit.NewRing(s.Buffer), arrived: map[string]time.Time{}, watched: map[string]bool{},
		cats: map[string]*catalogue{}}
}

// Kind is state.Audit.
func (p *Pane) Kind() state.Kind { return state.Audit }

// Title names the tab.
func (p *Pane) Title() string { return "Audit" }

// Busy reports a load in flight.
func (p *Pane) Busy() bool { return p.loading }

// Selected is the object of the event under the cursor.
func (p *Pane) Selected() (string, bool) {
	e, ok := p.event(p.cursor)
	return e.Name, ok
}

type pageMsg struct {
	gen  uint64
	logs []hubclient.AuditLog
	err  error
}

type tickMsg struct{ gen uint64 }

type tailMsg struct {
	gen  uint64
	q    saudit.Query
	logs []hubclient.AuditLog
	resp *hubclient.Response
	err  error
}

// Enter loads the newest page once per org (and the org's catalogue of
// actions); a follow goes on.
func (p *Pane) Enter(env pane.Env) tea.Cmd {
	if p.org != env.Org() {
		p.stop()
		p.stopOlder()
		p.ring.Reset()
		p.org, p.loaded, p.following, p.cursor, p.unseen = env.Org(), false, false, 0, 0
		p.tail, p.pendingRun, p.paused = nil, nil, false
		p.set.Watch.Reset()
		clear(p.watched)
		clear(p.arrived)
		p.filter, p.query, p.matched, p.back, p.catErr = serverFilter{}, "", "", back{}, nil
		p.qgen++
		p.resetIndex()
	}
	cat := p.loadCatalogue(env)
	if p.following && p.tail != nil {
		return cat // the follow went on while the pane was away
	}
	if p.loaded || p.loading {
		return cat
	}
	return tea.Batch(cat, p.load(env))
}

// Leave stops a load and the reading of older pages. A follow goes on
// while the pane is away (its answers are addressed to it), so the other
// panes hear of what happens.
func (p *Pane) Leave(pane.Env) {
	if !p.following {
		p.stop()
	}
	p.stopOlder()
}

func (p *Pane) stop() {
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
	p.gen++
	p.loading = false
}

func (p *Pane) load(env pane.Env) tea.Cmd {
	c := env.Client()
	if c == nil {
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel, p.loading, p.err = cancel, true, nil
	p.gen = env.NextGen()
	p.stopOlder()
	p.back = back{}
	gen, org, opt := p.gen, p.org, p.filter.options(1, firstPage, time.Time{})
	return func() tea.Msg {
		logs, _, err := c.Audit.List(ctx, org, opt)
		return pageMsg{gen: gen, logs: logs, err: err}
	}
}

// poll waits for the tail's next request, then makes it.
func (p *Pane) poll(env pane.Env) tea.Cmd {
	c := env.Client()
	if c == nil || p.tail == nil {
		return nil
	}
	p.gen = env.NextGen()
	gen := p.gen
	q, at := p.tail.Next(time.Now())
	org := p.org
	run := func() tea.Msg {
		logs, resp, err := c.Audit.List(context.Background(), org, q.Options())
		return tailMsg{gen: gen, q: q, logs: logs, resp: resp, err: err}
	}
	if wait := time.Until(at); wait > 0 {
		p.pendingRun = run
		return tea.Tick(wait, func(time.Time) tea.Msg { return tickMsg{gen: gen} })
	}
	return run
}

// Update takes the page, the tail's answers and its ticks.
func (p *Pane) Update(env pane.Env, msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case pageMsg:
		if m.gen != p.gen {
			return nil
		}
		p.loading = false
		if m.err != nil {
			p.err = m.err
			if !errors.Is(m.err, context.Canceled) {
				env.Fail("load audit", fmt.Errorf("audit log of %s: %w", p.org, m.err))
			}
			return nil
		}
		p.loaded = true
		oldest := make([]hubclient.AuditLog, len(m.logs)) // the ring takes oldest first
		for i, e := range m.logs {
			oldest[len(m.logs)-1-i] = e
		}
		p.pushNew(oldest)
		for _, e := range oldest {
			p.observe(e)
		}
		p.startBack(m.logs)
		p.tail = saudit.New(saudit.Config{Org: p.org, Interval: p.set.Interval, Share: p.set.Share,
			Filter: p.filter.f, To: p.filter.to}, time.Now())
		p.tail.Seed(m.logs)
		env.Clear("load audit")
		if p.following { // the filters changed while following: go on with them
			return p.poll(env)
		}
		return nil
	case catMsg:
		return p.gotCatalogue(env, m)
	case queryMsg:
		p.gotQuery(env, m)
		return nil
	case queryTickMsg:
		return p.queryTick(m)
	case olderMsg:
		p.gotOlder(env, m)
		return nil
	case savedMsg: // save.go
		return p.saved(env, m)
	case tickMsg:
		if m.gen != p.gen || !p.following || p.pendingRun == nil {
			return nil
		}
		run := p.pendingRun
		p.pendingRun = nil
		return run
	case tailMsg:
		if m.gen != p.gen || !p.following {
			return nil
		}
		if m.resp != nil {
			p.tail.ObserveRate(m.resp.Rate)
		}
		now := time.Now()
		evs := p.tail.Done(m.q, m.logs, m.err, now)
		env.Happened(evs)
		added := p.pushNew(evs)
		bell := false
		for _, e := range evs {
			p.arrived[e.Key()] = now
			bell = p.observe(e).Bell || bell
		}
		if bell {
			env.Bell() // once per poll, however many events asked for it
		}
		if p.paused {
			// What was on display may leave memory too: never more new than held.
			p.unseen = min(p.unseen+len(evs), p.ring.Len())
		} else if p.cursor > 0 {
			p.cursor += added // the view stays on the row it was on, unless at the top edge
		}
		p.cursor = max(0, min(p.cursor, p.shown()-1)) // rows the ring let go take the cursor's place
		for k, at := range p.arrived {
			if now.Sub(at) > highlightFor {
				delete(p.arrived, k)
			}
		}
		if p.tail.Finished() { // the time range is over: nothing more can come
			p.following, p.paused, p.unseen = false, false, 0
			env.Say("the time range has ended: nothing more to follow")
			return nil
		}
		return p.poll(env)
	}
	return nil
}

// observe counts e against the watch rules and remembers the events a
// rule asked to highlight (forgetting them all when they outgrow the ring);
// it returns what the rules asked for.
func (p *Pane) observe(e hubclient.AuditLog) saudit.Hit {
	h := p.set.Watch.Observe(e)
	if !h.Highlight {
		return h
	}
	if len(p.watched) >= 2*p.ring.Cap() {
		clear(p.watched)
	}
	p.watched[e.Key()] = true
	return h
}

// Move moves the cursor over what is on display.
func (p *Pane) Move(env pane.Env, act string) {
	n := p.shown()
	half := max(1, p.height/2)
	switch act {
	case pane.ActUp:
		p.cursor--
	case pane.ActDown:
		p.cursor++
	case pane.ActTop:
		p.cursor = 0
	case pane.ActBottom:
		p.cursor = n - 1
	case pane.ActPageDown, pane.ActHalfDown:
		p.cursor += half
	case pane.ActPageUp, pane.ActHalfUp:
		p.cursor -= half
	}
	p.cursor = max(0, min(p.cursor, n-1))
	p.maybeOlder(env)
}

// shown is how many events are on display (while paused, those before
// the pause; with a local filter, those it keeps).
func (p *Pane) shown() int {
	if p.matched != "" {
		return p.idx.len() - p.idx.newerThan(p.hi-int64(p.unseen))
	}
	return p.ring.Len() - p.unseen
}

// event is the i-th row on display.
func (p *Pane) event(i int) (hubclient.AuditLog, bool) {
	if i < 0 || i >= p.shown() {
		return hubclient.AuditLog{}, false
	}
	if p.matched != "" {
		seq := p.idx.at(i + p.idx.newerThan(p.hi-int64(p.unseen)))
		return p.ring.Newest(int(p.hi - 1 - seq)), true
	}
	return p.ring.Newest(i + p.unseen), true
}

// Bindings: follow, pause, UTC, open, refresh.
func (p *Pane) Bindings(env pane.Env) []pane.Binding {
	e, ok := p.event(p.cursor)
	followHelp, followShort := "follow the log live", "follow"
	if p.following {
		followHelp, followShort = "stop following", "stop"
	}
	pauseHelp := "pause the display (collection goes on)"
	if p.paused {
		pauseHelp = fmt.Sprintf("show the %d new events", p.unseen)
	}
	bs := []pane.Binding{
		{Action: pane.ActOpen, Keys: []string{"enter"}, Help: "the event with its data", Short: "open", Group: pane.GroupPanes,
			Disabled: pane.Gate(env, pane.RoleUnknown, ok), Run: func() tea.Cmd { env.Push(&Detail{e: e, utc: p.utc, label: p.label(e.Action)}); return nil }},
		{Action: ActFollow, Keys: []string{"f"}, Help: followHelp, Short: followShort, Group: pane.GroupGeneral,
			Disabled: map[bool]string{true: "", false: "the log is still loading"}[p.tail != nil], Run: func() tea.Cmd {
				p.following = !p.following
				if !p.following {
					p.stop()
					p.paused, p.unseen = false, 0
					return nil
				}
				return p.poll(env)
			}},
		{Action: ActPause, Keys: []string{"space"}, Help: pauseHelp, Short: map[bool]string{true: "resume", false: "pause"}[p.paused], Group: pane.GroupGeneral,
			Disabled: map[bool]string{true: "", false: "not following: f follows"}[p.following], Run: func() tea.Cmd {
				p.paused = !p.paused
				if !p.paused {
					p.unseen, p.cursor = 0, 0
				}
				return nil
			}},
		{Action: ActUTC, Keys: []string{"t"}, Help: "times in UTC / local", Short: "utc", Group: pane.GroupGeneral,
			Run: func() tea.Cmd { p.utc = !p.utc; return nil }},
		{Action: pane.ActRefresh, Keys: []string{"r"}, Help: "load the newest page again", Short: "refresh", Group: pane.GroupGeneral,
			Run: func() tea.Cmd {
				reload := func() tea.Cmd {
					p.following = false
					return p.refilterServer(env) // the same filters, from page 1
				}
				if p.ring.Len() <= firstPage && !p.following {
					return reload() // nothing is lost that the first page does not bring back
				}
				env.Ask(dialog.NewConfirm("Load the newest page again?",
					fmt.Sprintf("The %d events held go (older pages can be read back with G), the follow stops and the watch rules' hits start again.", p.ring.Len()),
					reload))
				return nil
			}},
		p.saveBinding(env), // save.go
	}
	return append(bs[:1:1], append(p.filterBindings(env), bs[1:]...)...)
}

// Status says what the tail does.
func (p *Pane) Status(env pane.Env) string {
	switch {
	case p.loading:
		return env.Spinner() + " loading the audit log…"
	case p.err != nil:
		return "audit log not loaded; " + env.Key(pane.ActRefresh) + " retries"
	}
	s := fmt.Sprintf("%d %s held", p.ring.Len(), plural(p.ring.Len(), "event", "events"))
	if p.matched != "" {
		s = fmt.Sprintf("%d of %d events held match", p.shown(), p.ring.Len())
	}
	if n := p.set.Watch.Counted(); n > 0 {
		s += fmt.Sprintf(" · %d watched (:rules)", n)
	}
	if ev := p.ring.Evicted(); ev > 0 {
		s += fmt.Sprintf(" (%d older left memory)", ev)
	}
	if p.following && p.tail != nil {
		st := p.tail.Status()
		if st.Behind && st.Lag >= behindShown {
			share := p.set.Share
			if share <= 0 {
				share = saudit.DefaultShare
			}
			s += fmt.Sprintf(" · following, falling behind by %s (~%d events): reading as fast as %.0f %% of the rate budget allows (audit.share)",
				st.Lag.Round(time.Second), st.BehindEvents, share*100)
		} else {
			s += fmt.Sprintf(" · following every %s", st.Interval.Round(100*time.Millisecond))
		}
		if p.paused {
			s += fmt.Sprintf(" · paused, %d new", p.unseen)
		}
	}
	return s + p.backStatus(env)
}

func (p *Pane) when(t time.Time) string {
	if p.utc {
		return t.UTC().Format("2006-01-02 15:04:05Z")
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

// View draws the rows on screen only.
func (p *Pane) View(env pane.Env, w, h int) string {
	th := env.Theme()
	p.height = h - 2
	if p.err != nil && p.ring.Len() == 0 {
		return "\n  " + th.Error.Render(pane.Describe(p.err))
	}
	head := fmt.Sprintf("   %-20s %-18s %-28s %-30s %s", "TIME", "ACTOR", "ACTION", "OBJECT", "DESCRIPTION")
	out := []string{p.headerLine(th, env.Now(), w), th.Label.Render(text.Truncate(head, w))}
	rows := p.height
	first := max(0, min(p.cursor-rows/2, p.shown()-rows))
	now := time.Now()
	for i := first; i < min(p.shown(), first+rows); i++ {
		e, _ := p.event(i)
		cur, mark := " ", " "
		if at, ok := p.arrived[e.Key()]; ok && now.Sub(at) < highlightFor {
			mark = "+" // new: arrived a moment ago
		}
		if i == p.cursor {
			cur = ">"
		}
		line := fmt.Sprintf("%s%s %-20s %-18s %-28s %-30s %s", cur, mark, p.when(e.Timestamp), text.Truncate(sanitize.String(e.Actor), 18),
			text.Truncate(sanitize.String(p.label(e.Action)), 28), text.Truncate(sanitize.String(e.Name), 30), sanitize.String(e.ActionDescription))
		line = text.Truncate(line, w)
		switch {
		case i == p.cursor:
			line = th.Key.Render(line)
		case p.watched[e.Key()]:
			line = th.Error.Render(line) // a watch rule asked for it
		case mark == "+":
			line = th.OK.Render(line)
		}
		out = append(out, line)
	}
	if p.shown() == 0 && p.loaded {
		switch {
		case p.matched != "":
			out = append(out, "  "+th.Dim.Render("No event held matches the filter; esc clears it."))
		case p.filter.active():
			out = append(out, "  "+th.Dim.Render("No events match the filters; esc clears the newest."))
		default:
			out = append(out, "  "+th.Dim.Render("No events yet. f follows the log."))
		}
	}
	return strings.Join(out, "\n")
}
