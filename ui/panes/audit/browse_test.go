package audit_test

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/state"
	saudit "github.com/hubtui/hubtui/state/audit"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/panes/audit"
)

// browse is an App on the demo hubsim (fixed clock) showing the Audit pane
// with its first page and the catalogue's labels.
type browse struct {
	d    *uitest.Driver
	sim  *hubsim.Server
	c    *hubclient.Client
	p    *audit.Pane
	full []hubsim.OrgAuditRecord // hubsim's record when the pane opened, newest first
}

func openBrowse(t *testing.T, s audit.Settings) *browse {
	t.Helper()
	return openBrowseAt(t, s, hubsim.NewFakeClock(uitest.FixedNow()))
}

func openBrowseAt(t *testing.T, s audit.Settings, clk hubsim.Clock) *browse {
	t.Helper()
	sim, url := uitest.StartSim(t, hubsim.Options{Clock: clk})
	sess := uitest.Session(t, url, "demo", "demo")
	d := uitest.New(t, ui.Options{Session: sess, Panes: ui.RegistryWith(s)}, 160, 40)
	d.Until("repositories", func() bool { return strings.Contains(d.Screen(), " repositories · loaded") })
	d.Key("7")
	d.Until("the log", func() bool { return strings.Contains(d.Screen(), "100 events held") })
	d.Until("the labels", func() bool { return strings.Contains(d.Screen(), "Tag Pushed") })
	b := &browse{d: d, sim: sim, c: sess.Client, p: uitest.Pane[*audit.Pane](d, state.Audit)}
	b.full = newestFirst(sim.OrgAuditTail(hubsim.DemoOrg, 1<<20))
	return b
}

func newestFirst(rs []hubsim.OrgAuditRecord) []hubsim.OrgAuditRecord {
	out := make([]hubsim.OrgAuditRecord, len(rs))
	for i, r := range rs {
		out[len(rs)-1-i] = r
	}
	return out
}

func where(rs []hubsim.OrgAuditRecord, keep func(hubsim.OrgAuditRecord) bool) []hubsim.OrgAuditRecord {
	var out []hubsim.OrgAuditRecord
	for _, r := range rs {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

func same(e hubclient.AuditLog, r hubsim.OrgAuditRecord) bool {
	return e.Action == r.Action && e.Name == r.Name && e.Actor == r.Actor && e.ActionDescription == r.Description &&
		e.Timestamp.Unix() == r.Timestamp.Unix() && maps.Equal(e.Data, r.Data)
}

// sameLog fails unless got is want, event for event.
func sameLog(t *testing.T, what string, got []hubclient.AuditLog, want []hubsim.OrgAuditRecord) {
	t.Helper()
	seen := map[string]int{}
	for i, e := range got {
		if n := seen[e.Key()]; n > 0 {
			t.Errorf("%s: row %d repeats row %d: %s %s %s", what, i, n-1, e.Timestamp, e.Action, e.Name)
		}
		seen[e.Key()] = i + 1
	}
	for i := range min(len(got), len(want)) {
		if !same(got[i], want[i]) {
			t.Fatalf("%s: row %d is %s %s %s %q, the Hub's record has %s %s %s %q", what, i,
				got[i].Timestamp.UTC(), got[i].Action, got[i].Name, got[i].Actor,
				want[i].Timestamp.UTC(), want[i].Action, want[i].Name, want[i].Actor)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%s: %d events held, the Hub's record has %d", what, len(got), len(want))
	}
}

// header is the line above the column heads.
func (b *browse) header() string {
	for _, l := range strings.Split(b.d.Screen(), "\n") {
		if strings.Contains(l, "TIME") && strings.Contains(l, "ACTION") {
			return ""
		}
		if i := strings.Index(l, "  activity "); i >= 0 {
			l = l[:i] // the sparkline shares the line, on the right
		}
		if strings.HasPrefix(strings.TrimSpace(l), "action:") || strings.HasPrefix(strings.TrimSpace(l), "actor:") ||
			strings.HasPrefix(strings.TrimSpace(l), "object:") || strings.HasPrefix(strings.TrimSpace(l), "since") ||
			strings.Contains(l, " to ") && strings.HasPrefix(strings.TrimSpace(l), "20") {
			return strings.TrimSpace(strings.Trim(strings.TrimSpace(l), "│"))
		}
	}
	return ""
}

// loaded waits for page 1 under the filters.
func (b *browse) loaded(what string) {
	b.d.T.Helper()
	b.d.Until(what, func() bool { return !b.p.Busy() && strings.Contains(b.d.Screen(), " events held") })
}

func (b *browse) pickAction(query string) {
	b.d.Key("a")
	b.d.Type(query)
	b.d.Key("enter")
}

func (b *browse) prompt(key, value string) {
	b.d.Key(key)
	for range 60 {
		b.d.Key("backspace")
	}
	b.d.Type(value)
	b.d.Key("enter")
}

func actorOf(r hubsim.OrgAuditRecord, actor string) bool {
	user, _, _ := strings.Cut(r.Actor, " - access token ")
	return r.Actor == actor || user == actor
}

// TestServerFiltersReachTheHubAndEscClearsThemOneAtATime: the action
// picker, the actor and the time range are sent to the Hub (the rows held
// are its record so filtered), they show above the column heads, a bad
// range is an error in the box with what was typed kept, and esc clears
// the newest filter first.
func TestServerFiltersReachTheHubAndEscClearsThemOneAtATime(t *testing.T) {
	b := openBrowse(t, audit.Settings{})
	if !strings.Contains(b.d.Footer(), "action") || !strings.Contains(b.d.Footer(), "when") {
		t.Errorf("the footer does not show the filter keys: %q", b.d.Footer())
	}
	b.pickAction("tag pushed")
	b.loaded("the action's events")
	if h := b.header(); h != "action: Tag Pushed" {
		t.Fatalf("header %q:\n%s", h, b.d.Screen())
	}
	pushes := where(b.full, func(r hubsim.OrgAuditRecord) bool { return r.Action == "repo.tag.push" })
	sameLog(t, "action filter", b.p.Held(), pushes[:100])

	actor := pushes[0].Actor
	b.prompt("u", actor)
	b.loaded("the actor's events")
	if h := b.header(); h != "action: Tag Pushed · actor: "+actor {
		t.Fatalf("header %q", h)
	}
	theirs := where(pushes, func(r hubsim.OrgAuditRecord) bool { return actorOf(r, actor) })
	if len(theirs) >= 100 || len(theirs) == 0 {
		t.Fatalf("the test wants an actor with a page of pushes or less, %s has %d", actor, len(theirs))
	}
	sameLog(t, "action and actor", b.p.Held(), theirs)
	if !strings.Contains(b.d.Screen(), "no older events match the filters") {
		t.Errorf("a short page does not say no older events match:\n%s", b.d.Screen())
	}

	// A bad range: the box stays with the text and says what is wrong.
	b.d.Key("w")
	b.d.Type("since blursday")
	b.d.Key("enter")
	if s := b.d.Screen(); !strings.Contains(s, `"blursday" is not a time`) || !strings.Contains(s, "since blursday") {
		t.Fatalf("a bad range:\n%s", s)
	}
	for range len("since blursday") {
		b.d.Key("backspace")
	}
	span := "2026-09-01..2026-10-15"
	b.d.Type(span)
	b.d.Key("enter")
	b.loaded("the range")
	from, to, err := saudit.ParseRange(span, uitest.FixedNow(), time.Local)
	if err != nil {
		t.Fatal(err)
	}
	wantHead := fmt.Sprintf("action: Tag Pushed · actor: %s · %s to %s", actor, from.Format("2006-01-02 15:04"), to.Format("2006-01-02 15:04"))
	if h := b.header(); h != wantHead {
		t.Fatalf("header %q, want %q", h, wantHead)
	}
	inRange := where(theirs, func(r hubsim.OrgAuditRecord) bool { return !r.Timestamp.Before(from) && !r.Timestamp.After(to) })
	if len(inRange) == 0 || len(inRange) == len(theirs) {
		t.Fatalf("the range keeps %d of %d: pick another", len(inRange), len(theirs))
	}
	sameLog(t, "action, actor and range", b.p.Held(), inRange)

	// esc: the range, then the actor, then the action.
	b.d.Key("esc")
	b.loaded("without the range")
	if h := b.header(); h != "action: Tag Pushed · actor: "+actor {
		t.Fatalf("after one esc: header %q", h)
	}
	sameLog(t, "after one esc", b.p.Held(), theirs)
	b.d.Key("esc")
	b.loaded("without the actor")
	if h := b.header(); h != "action: Tag Pushed" {
		t.Fatalf("after two: header %q", h)
	}
	b.d.Key("esc")
	b.loaded("without filters")
	if h := b.header(); h != "" {
		t.Fatalf("after three: header %q", h)
	}
	sameLog(t, "no filter", b.p.Held(), b.full[:100])
	if strings.Contains(b.d.Footer(), "clear") {
		t.Errorf("esc still offers to clear with nothing set: %q", b.d.Footer())
	}

	// The object filter and "any action" in the picker.
	b.prompt("n", "acme/web")
	b.loaded("the object's events")
	web := where(b.full, func(r hubsim.OrgAuditRecord) bool { return r.Name == "acme/web" })
	sameLog(t, "object", b.p.Held(), web[:min(100, len(web))])
	b.pickAction("tag pushed")
	b.loaded("both")
	b.pickAction("any action")
	b.loaded("any action")
	if h := b.header(); h != "object: acme/web" {
		t.Fatalf("any action: header %q", h)
	}
}

// collect runs cmd and the Cmds of its batches, returning their messages
// undelivered.
func collect(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	m := cmd()
	if batch, ok := m.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range batch {
			out = append(out, collect(c)...)
		}
		return out
	}
	return []tea.Msg{m}
}

// TestStalePagesOfAnOldFilterAreDropped: page 1 of one filter and an older
// page of no filter, both held back until another filter has loaded,
// change nothing when they land.
func TestStalePagesOfAnOldFilterAreDropped(t *testing.T) {
	b := openBrowse(t, audit.Settings{})
	// An older page asked for, held back.
	_, cmd := b.d.App.Update(uitest.KeyMsg("G"))
	older := collect(cmd)
	if len(older) == 0 {
		t.Fatal("G near the end asked for no older page")
	}
	// Page 1 of an actor filter, held back.
	first := b.full[0].Actor
	b.d.Key("u")
	b.d.Type(first)
	_, cmd = b.d.App.Update(uitest.KeyMsg("enter"))
	late := collect(cmd)
	if len(late) == 0 {
		t.Fatal("the filter asked for nothing")
	}
	// Another actor, loaded.
	var second string
	for _, r := range b.full {
		if r.Actor != first {
			second = r.Actor
			break
		}
	}
	b.prompt("u", second)
	b.loaded("the second actor")
	want := where(b.full, func(r hubsim.OrgAuditRecord) bool { return actorOf(r, second) })
	want = want[:min(100, len(want))]
	sameLog(t, "second actor", b.p.Held(), want)
	for _, m := range append(late, older...) {
		b.d.Deliver(m)
	}
	b.d.Settle(50 * time.Millisecond)
	sameLog(t, "after the stale pages landed", b.p.Held(), want)
	if e := b.d.App.Error(); e != "" {
		t.Errorf("a stale page left an error: %q", e)
	}
}

// TestScrollingBackReadsOlderPagesWithoutRepeatsOrGaps: moving to the end
// reads older pages until the buffer is full; events arriving meanwhile
// (more than a page of them later on, a few in the second the pages end
// at, which push the window down) change nothing: what is held is still
// the Hub's record, each event once, none missing.
func TestScrollingBackReadsOlderPagesWithoutRepeatsOrGaps(t *testing.T) {
	clk := hubsim.NewFakeClock(uitest.FixedNow())
	b := openBrowseAt(t, audit.Settings{Buffer: 350}, clk)
	clk.Advance(time.Minute)
	for i := range 150 { // later than every page read back: outside the window
		desc := fmt.Sprintf("changed after the first page %d", i)
		if _, _, err := b.c.Repos.Update(context.Background(), hubsim.DemoOrg, "web", &hubclient.RepositoryUpdateRequest{Description: &desc}); err != nil {
			t.Fatal(err)
		}
	}
	b.d.Key("G")
	b.d.Until("an older page", func() bool { return !strings.Contains(b.d.Screen(), "loading older") })
	clk.Advance(-time.Minute) // back to the second the window ends at
	for i := range 3 {
		desc := fmt.Sprintf("changed while scrolling back %d", i)
		if _, _, err := b.c.Repos.Update(context.Background(), hubsim.DemoOrg, "web", &hubclient.RepositoryUpdateRequest{Description: &desc}); err != nil {
			t.Fatal(err)
		}
		b.d.Key("G")
		b.d.Until("an older page", func() bool { return !strings.Contains(b.d.Screen(), "loading older") })
	}
	b.d.Until("the buffer full", func() bool {
		if strings.Contains(b.d.Screen(), "older events not loaded: the buffer holds 350") {
			return true
		}
		if !strings.Contains(b.d.Screen(), "loading older") {
			b.d.Key("G")
		}
		return false
	})
	sameLog(t, "scrolled back", b.p.Held(), b.full[:350])
}

// TestScrollingBackToTheStartOfAFilteredLog: under an action filter the
// pages read back are the filtered log's, down to its first event.
func TestScrollingBackToTheStartOfAFilteredLog(t *testing.T) {
	b := openBrowse(t, audit.Settings{})
	b.pickAction("tag deleted")
	b.loaded("the deletions")
	want := where(b.full, func(r hubsim.OrgAuditRecord) bool { return r.Action == "repo.tag.delete" })
	if len(want) <= 2*100 {
		t.Fatalf("the test wants more than two pages of tag deletions, the record has %d", len(want))
	}
	b.d.Until("the start of the filtered log", func() bool {
		s := b.d.Screen()
		if strings.Contains(s, "no older events match the filters") {
			return true
		}
		if !strings.Contains(s, "loading older") {
			b.d.Key("G")
		}
		return false
	})
	sameLog(t, "filtered, to the start", b.p.Held(), want)
}

// TestLocalFilterOverTheEventsHeld: / keeps the events held whose actor,
// action, label, object or description match, in time order; older pages
// read meanwhile are filtered as they come; esc clears it before the
// server filters.
func TestLocalFilterOverTheEventsHeld(t *testing.T) {
	b := openBrowse(t, audit.Settings{})
	b.prompt("n", "acme/web") // a server filter under the local one
	b.loaded("acme/web")
	b.d.Key("esc")
	b.loaded("no filter")
	matching := func() []hubclient.AuditLog {
		var out []hubclient.AuditLog
		for _, e := range b.p.Held() {
			if strings.Contains(strings.ToLower(e.Actor+" "+e.Action+" Tag Deleted "+e.Name+" "+e.ActionDescription), "deleted the tag") ||
				e.Action == "repo.tag.delete" {
				out = append(out, e)
			}
		}
		return out
	}
	b.d.Key("/")
	b.d.Type("'delete")
	_, cmd := b.d.App.Update(uitest.KeyMsg("d")) // the index of "'deleted", held back
	index := collect(cmd)
	b.d.Key("enter")
	if len(index) == 0 || b.p.Query() != "'deleted" {
		t.Fatalf("the filter built no index (query %q)", b.p.Query())
	}
	// Meanwhile an older page comes in, and new events (one a match).
	b.d.Key("G")
	b.d.Until("an older page", func() bool { return len(b.p.Held()) > 100 && !strings.Contains(b.d.Screen(), "loading older") })
	b.d.Key("g")
	at := uitest.FixedNow().Add(time.Second)
	b.p.Hold([]hubclient.AuditLog{
		{Account: "acme", Action: "repo.tag.delete", Name: "acme/web", Actor: "demo", Timestamp: at, ActionDescription: "deleted the tag x from the repository acme/web"},
		{Account: "acme", Action: "repo.create", Name: "acme/new", Actor: "demo", Timestamp: at, ActionDescription: "created the repository acme/new"},
	})
	for _, m := range index {
		b.d.Deliver(m)
	}
	b.d.Until("the filter", func() bool { return strings.Contains(b.d.Screen(), "events held match") })
	shown := b.p.Shown()
	want := matching()
	if len(want) == 0 || len(shown) != len(want) {
		t.Fatalf("the filter shows %d, %d held match", len(shown), len(want))
	}
	for i := range shown {
		if shown[i].Key() != want[i].Key() {
			t.Fatalf("row %d is %s, want %s (time order)", i, shown[i].Timestamp, want[i].Timestamp)
		}
	}
	if !strings.Contains(b.d.Screen(), fmt.Sprintf("%d of %d events held match", len(want), len(b.p.Held()))) {
		t.Fatalf("status:\n%s", b.d.Screen())
	}
	// Another older page comes in filtered.
	b.d.Key("G")
	b.d.Until("an older page", func() bool { return len(b.p.Held()) > 100 && !strings.Contains(b.d.Screen(), "loading older") })
	if got, want := len(b.p.Shown()), len(matching()); got != want || got <= len(shown) {
		t.Fatalf("after an older page the filter shows %d, %d held match (before %d)", got, want, len(shown))
	}
	// A server filter set under it; esc clears the local filter first.
	b.prompt("u", b.full[0].Actor)
	b.loaded("the actor")
	b.d.Key("esc")
	if b.p.Query() != "" || b.header() == "" {
		t.Fatalf("esc: query %q, header %q", b.p.Query(), b.header())
	}
	b.d.Key("esc")
	b.loaded("no filter")
	if b.header() != "" {
		t.Fatalf("second esc: header %q", b.header())
	}
}

// TestOlderPagesTakeOffTheHeldAsAMultiset: a page read back from the
// window ending with the oldest second held starts with that second's
// events; the held ones are taken off as a multiset, so of two
// identical-looking events one held and one not, the other one is new.
func TestOlderPagesTakeOffTheHeldAsAMultiset(t *testing.T) {
	at := func(sec int64, name string) hubclient.AuditLog {
		return hubclient.AuditLog{Action: "repo.tag.push", Name: name, Timestamp: time.Unix(sec, 0)}
	}
	s := time.Unix(3, 0).UTC()
	a, b := at(3, "a"), at(3, "b")
	for _, c := range []struct {
		held, page, want []hubclient.AuditLog // page newest first
	}{
		{nil, []hubclient.AuditLog{at(2, "x"), at(1, "y")}, []hubclient.AuditLog{at(2, "x"), at(1, "y")}},
		{[]hubclient.AuditLog{a}, []hubclient.AuditLog{a, a, at(2, "x")}, []hubclient.AuditLog{a, at(2, "x")}}, // twins across the boundary
		{[]hubclient.AuditLog{a, b}, []hubclient.AuditLog{b, a, at(2, "x")}, []hubclient.AuditLog{at(2, "x")}},
		{[]hubclient.AuditLog{a}, []hubclient.AuditLog{at(4, "late"), a, b}, []hubclient.AuditLog{b}}, // newer than the window: not its
	} {
		got := audit.OlderNew(c.page, s, c.held)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("held %v, page %v: new %v, want %v", c.held, c.page, got, c.want)
		}
	}
}

// TestFollowKeepsTheFilters: a filter set while following reloads and
// restarts the tail with it; of two changes made meanwhile only the one
// the filter keeps arrives.
func TestFollowKeepsTheFilters(t *testing.T) {
	sess := wallClockSession(t)
	d := openAuditTab(t, sess, audit.Settings{Interval: 300 * time.Millisecond}, 160, 40)
	d.Until("the labels", func() bool { return strings.Contains(d.Screen(), "Tag Pushed") })
	p := uitest.Pane[*audit.Pane](d, state.Audit)
	d.Key("f")
	d.Until("following", func() bool { return strings.Contains(d.Screen(), "following every") })
	d.Key("a")
	d.Type("description updated")
	d.Key("enter")
	d.Until("the filtered log, still following", func() bool {
		return !p.Busy() && strings.Contains(d.Screen(), "action: Description Updated") && strings.Contains(d.Screen(), "following every")
	})
	for _, e := range p.Held() {
		if e.Action != "repo.update_description" {
			t.Fatalf("the reload holds a %s event", e.Action)
		}
	}
	if _, _, err := sess.Client.Repos.Create(context.Background(), hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: "made-while-following"}); err != nil {
		t.Fatal(err)
	}
	desc := "made while following with a filter"
	if _, _, err := sess.Client.Repos.Update(context.Background(), hubsim.DemoOrg, "web", &hubclient.RepositoryUpdateRequest{Description: &desc}); err != nil {
		t.Fatal(err)
	}
	d.UntilWithin(30*time.Second, "the description's event", func() bool {
		for _, e := range p.Held() {
			if e.Action == "repo.update_description" && e.Name == "acme/web" {
				return true
			}
		}
		return false
	})
	for _, e := range p.Held() {
		if e.Action != "repo.update_description" {
			t.Fatalf("the tail delivered a %s event under the action filter", e.Action)
		}
	}
}

// TestScrollingBackKeepsTwinsOfOneSecond: 250 identical-looking events of
// one second, more than two pages of them, are read back each once: none
// taken for a repeat at a page boundary, none read twice.
func TestScrollingBackKeepsTwinsOfOneSecond(t *testing.T) {
	clk := hubsim.NewFakeClock(uitest.FixedNow())
	sim, url := uitest.StartSim(t, hubsim.Options{Clock: clk})
	sess := uitest.Session(t, url, "demo", "demo")
	clk.Advance(time.Hour) // after the dataset's events: one second of its own
	for i := range 250 {   // two descriptions in turn: each one a change, all alike in the log
		desc := fmt.Sprint("the same change, again: ", i%2)
		if _, _, err := sess.Client.Repos.Update(context.Background(), hubsim.DemoOrg, "web", &hubclient.RepositoryUpdateRequest{Description: &desc}); err != nil {
			t.Fatal(err)
		}
	}
	clk.Advance(time.Minute) // the second is long past: frozen
	d := uitest.New(t, ui.Options{Session: sess, Now: clk.Now, Panes: ui.RegistryWith(audit.Settings{Buffer: 400})}, 160, 40)
	d.Until("repositories", func() bool { return strings.Contains(d.Screen(), " repositories · loaded") })
	d.Key("7")
	d.Until("the log", func() bool { return strings.Contains(d.Screen(), "100 events held") })
	p := uitest.Pane[*audit.Pane](d, state.Audit)
	d.Until("the buffer full", func() bool {
		if p.Busy() || strings.Contains(d.Screen(), "loading older") {
			return false
		}
		if len(p.Held()) >= 400 {
			return true
		}
		d.Key("G")
		return false
	})
	want := newestFirst(sim.OrgAuditTail(hubsim.DemoOrg, 1<<20))[:400]
	got := p.Held()
	twins := 0
	for i := range want {
		if !same(got[i], want[i]) {
			t.Fatalf("row %d is %s %s %s, the Hub's record has %s %s %s", i, got[i].Timestamp.UTC(), got[i].Action, got[i].Name,
				want[i].Timestamp.UTC(), want[i].Action, want[i].Name)
		}
		if got[i].Key() == got[0].Key() {
			twins++
		}
	}
	if twins != 250 {
		t.Fatalf("%d of the 250 twins held", twins)
	}
}
