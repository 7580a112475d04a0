package audit

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/theme"
)

// modelEnv is an Env with no client: the pane's Cmds are not made, and
// the test hands Update the answers itself.
type modelEnv struct {
	theme theme.Theme
	cache *state.Cache
	gen   uint64
	bells int
	asked []dialog.Dialog
}

func newModelEnv() *modelEnv {
	return &modelEnv{theme: theme.New("mono", true), cache: state.NewCache(0)}
}

func (e *modelEnv) Client() *hubclient.Client                      { return nil }
func (e *modelEnv) Org() string                                    { return "acme" }
func (e *modelEnv) User() string                                   { return "demo" }
func (e *modelEnv) Personal() bool                                 { return false }
func (e *modelEnv) Role() pane.Role                                { return pane.RoleOwner }
func (e *modelEnv) ReadOnly() bool                                 { return false }
func (e *modelEnv) Theme() *theme.Theme                            { return &e.theme }
func (e *modelEnv) Now() time.Time                                 { return time.Now() }
func (e *modelEnv) NextGen() uint64                                { e.gen++; return e.gen }
func (e *modelEnv) Spinner() string                                { return "" }
func (e *modelEnv) Size() (int, int)                               { return 140, 20 }
func (e *modelEnv) Cache() *state.Cache                            { return e.cache }
func (e *modelEnv) Key(action string) string                       { return action }
func (e *modelEnv) Say(string)                                     {}
func (e *modelEnv) Fail(string, error)                             {}
func (e *modelEnv) Clear(string)                                   {}
func (e *modelEnv) Ask(d dialog.Dialog)                            { e.asked = append(e.asked, d) }
func (e *modelEnv) Mutate(pane.Change)                             {}
func (e *modelEnv) MutateEach(pane.Bulk)                           {}
func (e *modelEnv) Open(state.Kind, string)                        {}
func (e *modelEnv) Push(pane.Pane)                                 {}
func (e *modelEnv) Pop()                                           {}
func (e *modelEnv) Copy(string)                                    {}
func (e *modelEnv) Bell()                                          { e.bells++ }
func (e *modelEnv) Happened([]hubclient.AuditLog)                  {}
func (e *modelEnv) Do(tea.Cmd)                                     {}
func (e *modelEnv) Edit(string, string, int, func(string) tea.Cmd) {}

// hub is the log the test answers the pane's tail from, newest first.
type hub struct {
	t    *testing.T
	logs []hubclient.AuditLog
	at   time.Time // the next event's time
	n    int
}

// add appends n events, a second apart, in the past (frozen seconds).
func (h *hub) add(n int) {
	for range n {
		h.n++
		e := hubclient.AuditLog{Account: "acme", Action: "repo.tag.push", Actor: "demo", Name: "acme/web",
			ActionDescription: fmt.Sprintf("event %d", h.n), Timestamp: h.at}
		h.at = h.at.Add(time.Second)
		h.logs = append([]hubclient.AuditLog{e}, h.logs...)
	}
}

// tailed starts a pane on a page of first events and follows it.
func tailed(t *testing.T, buffer, first int) (*Pane, *modelEnv, *hub) {
	t.Helper()
	h := &hub{t: t, at: time.Now().Add(-time.Hour).Truncate(time.Hour)} // one hour, whatever the clock
	h.add(first)
	p, env := NewWith(Settings{Buffer: buffer}), newModelEnv()
	p.Enter(env)
	p.Update(env, pageMsg{gen: p.gen, logs: append([]hubclient.AuditLog(nil), h.logs...)})
	press(t, p, env, ActFollow)
	if !p.following {
		t.Fatal("f did not follow")
	}
	return p, env, h
}

// poll answers the tail's next request from the hub.
func (h *hub) poll(p *Pane, env *modelEnv) {
	q, _ := p.tail.Next(time.Now())
	var ans []hubclient.AuditLog
	skip := (max(q.Page, 1) - 1) * q.PageSize
	for _, e := range h.logs {
		if (q.From.IsZero() || !e.Timestamp.Before(q.From)) && (q.To.IsZero() || !e.Timestamp.After(q.To)) && len(ans) < q.PageSize {
			if skip > 0 {
				skip--
				continue
			}
			ans = append(ans, e)
		}
	}
	p.Update(env, tailMsg{gen: p.gen, q: q, logs: ans})
}

func press(t *testing.T, p *Pane, env pane.Env, action string) {
	t.Helper()
	for _, b := range p.Bindings(env) {
		if b.Action == action {
			if b.Disabled != "" {
				t.Fatalf("%s is disabled: %s", action, b.Disabled)
			}
			b.Run()
			return
		}
	}
	t.Fatalf("no %s binding", action)
}

// rows are the descriptions of the rows on screen, top first.
func rows(p *Pane, env pane.Env) []string {
	var out []string
	for _, l := range strings.Split(ansi.Strip(p.View(env, 140, 12)), "\n") {
		if i := strings.Index(l, "event "); i >= 0 {
			out = append(out, strings.TrimSpace(l[i:]))
		}
	}
	return out
}

func TestPauseHoldsTheRowsWhileCollectionGoesOn(t *testing.T) {
	p, env, h := tailed(t, 100, 5)
	h.add(3)
	h.poll(p, env)
	if got := rows(p, env); len(got) != 8 || got[0] != "event 8" {
		t.Fatalf("after a poll the rows are %q, want event 8 on top of 8", got)
	}
	press(t, p, env, ActPause)
	still := rows(p, env)
	h.add(2)
	h.poll(p, env)
	h.add(1)
	h.poll(p, env)
	if got := rows(p, env); strings.Join(got, ",") != strings.Join(still, ",") {
		t.Fatalf("paused, the rows moved:\n%q\nwas\n%q", got, still)
	}
	if p.ring.Len() != 11 {
		t.Fatalf("paused, the ring holds %d, want 11: collection stopped", p.ring.Len())
	}
	if s := p.Status(env); !strings.Contains(s, "paused, 3 new") {
		t.Fatalf("status %q does not count 3 new", s)
	}
	press(t, p, env, ActPause)
	if got := rows(p, env); p.shown() != 11 || got[0] != "event 11" {
		t.Fatalf("resumed, %d shown, the rows are %q, want event 11 on top of 11", p.shown(), got)
	}
	if strings.Contains(p.Status(env), "paused") {
		t.Fatalf("resumed, the status still says %q", p.Status(env))
	}
}

func TestNewEventsScrollOnlyAtTheTopEdge(t *testing.T) {
	p, env, h := tailed(t, 100, 10)
	// At the top edge the view follows: the cursor is on the newest.
	h.add(2)
	h.poll(p, env)
	if e, _ := p.event(p.cursor); e.ActionDescription != "event 12" {
		t.Fatalf("at the top the cursor is on %q, want the newest", e.ActionDescription)
	}
	// Elsewhere it stays on its row as events arrive.
	p.Move(env, pane.ActDown)
	p.Move(env, pane.ActDown)
	was, _ := p.Selected()
	wasEv, _ := p.event(p.cursor)
	h.add(3)
	h.poll(p, env)
	if e, _ := p.event(p.cursor); e.Key() != wasEv.Key() || p.cursor != 5 {
		t.Fatalf("the cursor moved to %q (row %d), want %q at row 5", e.ActionDescription, p.cursor, wasEv.ActionDescription)
	}
	if got, _ := p.Selected(); got != was {
		t.Fatalf("selected %q, was %q", got, was)
	}
	if got := rows(p, env); got[0] != "event 15" {
		t.Fatalf("the newest is not listed first: %q", got)
	}
}

func TestRingEvictionKeepsTheNewest(t *testing.T) {
	p, env, h := tailed(t, 6, 4)
	h.add(5)
	h.poll(p, env)
	h.add(2)
	h.poll(p, env)
	if p.ring.Len() != 6 || p.ring.Evicted() != 5 {
		t.Fatalf("ring holds %d, evicted %d; want 6 and 5", p.ring.Len(), p.ring.Evicted())
	}
	want := []string{"event 11", "event 10", "event 9", "event 8", "event 7", "event 6"}
	if got := rows(p, env); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("rows %q, want the newest six %q", got, want)
	}
	if s := p.Status(env); !strings.Contains(s, "6 events held") || !strings.Contains(s, "(5 older left memory)") {
		t.Fatalf("status %q does not say 6 held and 5 gone", s)
	}
}

func TestHeaderShowsTheActivity(t *testing.T) {
	p, env, h := tailed(t, 100, 3)
	h.add(4)
	h.poll(p, env)
	lines := strings.Split(ansi.Strip(p.View(env, 140, 12)), "\n")
	if len(lines) < 3 || !strings.Contains(lines[0], "activity 48h ") || !strings.HasSuffix(strings.TrimRight(lines[0], " "), "peak 7/h") ||
		!strings.Contains(lines[1], "TIME") {
		t.Fatalf("no activity line above the column heads:\n%s", strings.Join(lines, "\n"))
	}
	if n := len(lines); n > 12 {
		t.Fatalf("%d lines drawn in 12", n)
	}
}

// TestStatusSaysHowFarBehindAndStopsWhenCaughtUp: a backlog of several
// pages since the last poll shows in the status with its size; once the
// tail has read it, the status no longer says so, and nothing was lost.
func TestStatusSaysHowFarBehindAndStopsWhenCaughtUp(t *testing.T) {
	p, env, h := tailed(t, 2000, 5)
	h.add(600) // ten minutes of one event a second: six pages
	h.poll(p, env)
	if s := p.Status(env); !regexp.MustCompile(`falling behind by (9m5\d|10m0)s? \(~(5[5-9]\d|60\d) events\)`).MatchString(s) {
		t.Fatalf("status %q does not say the tail is about ten minutes behind", s)
	}
	for range 40 {
		if p.tail.CaughtUp() {
			break
		}
		h.poll(p, env)
	}
	if s := p.Status(env); strings.Contains(s, "falling behind") || p.ring.Len() != 605 {
		t.Fatalf("after the backlog: status %q with %d events held, want 605", s, p.ring.Len())
	}
}

// TestCursorStaysOnARowWhenTheRingLetsGo: with the buffer full and the
// cursor on the last row, new events push the oldest out; the cursor
// stays on a row held (enter and y still have something to act on), also
// while paused.
func TestCursorStaysOnARowWhenTheRingLetsGo(t *testing.T) {
	p, env, h := tailed(t, 10, 10)
	p.Move(env, pane.ActBottom)
	h.add(5)
	h.poll(p, env)
	if _, ok := p.Selected(); !ok || p.cursor != p.shown()-1 {
		t.Fatalf("cursor %d of %d rows: nothing selected", p.cursor, p.shown())
	}
	press(t, p, env, ActPause)
	p.Move(env, pane.ActBottom)
	h.add(3)
	h.poll(p, env)
	if _, ok := p.Selected(); !ok || p.cursor >= p.shown() {
		t.Fatalf("paused: cursor %d of %d rows: nothing selected", p.cursor, p.shown())
	}
}

// TestRefreshAsksBeforeDroppingTheFollow: r while following (or holding
// more than the first page) asks first, and nothing is dropped until yes.
func TestRefreshAsksBeforeDroppingTheFollow(t *testing.T) {
	p, env, h := tailed(t, 1000, 5)
	h.add(3)
	h.poll(p, env)
	press(t, p, env, pane.ActRefresh)
	if len(env.asked) != 1 || !p.following || p.ring.Len() != 8 {
		t.Fatalf("r asked %d times; following %v with %d events held", len(env.asked), p.following, p.ring.Len())
	}
}

// TestDetailWrapsALongDescription: the description and data values run on
// over lines of their own rather than being cut.
func TestDetailWrapsALongDescription(t *testing.T) {
	digest := "sha256:" + strings.Repeat("0123456789abcdef", 4)
	e := hubclient.AuditLog{Action: "repo.tag.push", Name: "acme/web", Actor: "demo", Timestamp: time.Now(),
		ActionDescription: "pushed the tag v1.2.3 with the digest " + digest + " to the repository acme/web", Data: map[string]string{"tag": "v1.2.3"}}
	out := ansi.Strip((&Detail{e: e}).View(newModelEnv(), 60, 30))
	flat := strings.Join(strings.Fields(out), " ")
	if !strings.Contains(strings.Join(strings.Fields(out), ""), digest) {
		t.Errorf("the digest is cut:\n%s", out)
	}
	for _, want := range []string{"to the repository acme/web", "v1.2.3"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the detail lacks %q:\n%s", want, out)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if ansi.StringWidth(l) > 60 {
			t.Errorf("line wider than 60 cells: %q", l)
		}
	}
}
