package ui_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/panes/audit"
	"github.com/hubtui/hubtui/ui/panes/repos"
	"github.com/hubtui/hubtui/ui/panes/tags"
)

// following is the demo App (on the wall clock, as the tail is) with the
// Audit pane following the log at a quick pace, back on the Repos tab;
// c is a second client of the same Hub, making changes the App hears of
// only through the log.
func following(t *testing.T) (d *uitest.Driver, c *hubclient.Client) {
	t.Helper()
	_, url := uitest.StartSim(t, hubsim.Options{Clock: hubsim.RealClock{}})
	sess := uitest.Session(t, url, "demo", "demo", hubclient.WithClock(time.Now))
	d = uitest.New(t, ui.Options{Session: sess, Now: time.Now, Panes: ui.RegistryWith(audit.Settings{Interval: 200 * time.Millisecond})}, 140, 40)
	d.Until("repositories", func() bool { return strings.Contains(d.Screen(), " repositories · loaded") })
	d.Key("7")
	d.Until("the log", func() bool { return strings.Contains(d.Screen(), " events held") })
	d.Key("f")
	d.Until("following", func() bool { return strings.Contains(d.Screen(), "following every") })
	d.Key("1")
	d.Until("the repositories again", func() bool { return strings.Contains(d.Screen(), " repositories · loaded") })
	other := uitest.Session(t, url, "demo", "demo", hubclient.WithClock(time.Now))
	return d, other.Client
}

func reposHeld(d *uitest.Driver) []string {
	var out []string
	for _, r := range uitest.Pane[*repos.Pane](d, state.Repos).L.Coll().Items {
		out = append(out, r.Name)
	}
	return out
}

// TestLiveReposShowANewRepository: while Audit follows from its tab off
// screen, a repository created elsewhere appears in Repos without r, and
// the cursor stays on the repository it was on.
func TestLiveReposShowANewRepository(t *testing.T) {
	d, c := following(t)
	d.Key("j", "j")
	p := uitest.Pane[*repos.Pane](d, state.Repos)
	was, _ := p.Selected()
	if _, _, err := c.Repos.Create(context.Background(), hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: "aaa-live"}); err != nil {
		t.Fatal(err)
	}
	d.UntilWithin(20*time.Second, "the new repository in the list", func() bool { return slices.Contains(reposHeld(d), "aaa-live") })
	d.Until("the load to end", func() bool { return !p.Busy() })
	if now, _ := p.Selected(); now != was {
		t.Fatalf("the cursor moved from %s to %s", was, now)
	}
	if n, _ := d.App.Liveness(state.Repos); n < 1 {
		t.Fatalf("%d reloads counted", n)
	}
	// The Audit pane went on following while away: the event is there.
	d.Key("7")
	d.Contains("Repository Created", "acme/aaa-live")
}

// TestLivePaneOffScreenReloadsOnEnter: an event about a pane not on
// screen marks it; it reloads when shown, not before.
func TestLivePaneOffScreenReloadsOnEnter(t *testing.T) {
	d, c := following(t)
	d.Key("3") // Teams
	d.Until("teams", func() bool { return strings.Contains(d.Screen(), " teams · loaded") })
	if _, _, err := c.Repos.Create(context.Background(), hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: "offscreen"}); err != nil {
		t.Fatal(err)
	}
	d.UntilWithin(20*time.Second, "Repos marked stale", func() bool { _, stale := d.App.Liveness(state.Repos); return stale })
	if n, _ := d.App.Liveness(state.Repos); n != 0 || slices.Contains(reposHeld(d), "offscreen") {
		t.Fatalf("Repos reloaded off screen (%d reloads)", n)
	}
	d.Key("1")
	d.Until("the repository", func() bool { return slices.Contains(reposHeld(d), "offscreen") })
	if n, stale := d.App.Liveness(state.Repos); n != 1 || stale {
		t.Fatalf("after Enter: %d reloads, stale %v", n, stale)
	}
}

// TestLiveBurstCoalesces: 50 events arriving one by one make two reloads
// of the list on screen: one at once, one when the pause is over.
func TestLiveBurstCoalesces(t *testing.T) {
	d := uitest.Demo(t)
	for i := range 50 {
		d.Send(d.App.HappenedMsg(hubclient.AuditLog{Action: "repo.create", Name: fmt.Sprintf("acme/burst%02d", i)}))
	}
	if n, _ := d.App.Liveness(state.Repos); n != 1 {
		t.Fatalf("%d reloads at once, want 1", n)
	}
	d.Settle(pane.LiveEvery + 500*time.Millisecond)
	if n, _ := d.App.Liveness(state.Repos); n != 2 {
		t.Fatalf("a burst of 50 events made %d reloads, want 2", n)
	}
	// Events of other things, or of another namespace, reload nothing.
	d.Send(d.App.HappenedMsg(hubclient.AuditLog{Action: "repo.create", Name: "other/x"}, hubclient.AuditLog{Action: "org.member.add", Name: "acme"}))
	d.Settle(pane.LiveEvery + 500*time.Millisecond)
	if n, _ := d.App.Liveness(state.Repos); n != 2 {
		t.Fatalf("unrelated events made %d reloads, want 2", n)
	}
}

// TestLiveBurstOverTheTail: 50 repositories created at once reach the
// list through the tail with at most two reloads.
func TestLiveBurstOverTheTail(t *testing.T) {
	d, c := following(t)
	for i := range 50 {
		if _, _, err := c.Repos.Create(context.Background(), hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: fmt.Sprintf("burst%02d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	d.UntilWithin(30*time.Second, "all 50 in the list", func() bool {
		held := reposHeld(d)
		for i := range 50 {
			if !slices.Contains(held, fmt.Sprintf("burst%02d", i)) {
				return false
			}
		}
		return true
	})
	d.Settle(pane.LiveEvery + 500*time.Millisecond) // a reload still due would run now
	if n, _ := d.App.Liveness(state.Repos); n < 1 || n > 2 {
		t.Fatalf("a burst of 50 events made %d reloads, want 1 or 2", n)
	}
}

// TestLiveTagsOfTheRepositoryShown: a tag deleted elsewhere leaves the
// Tags pane of its repository; events of other repositories do not
// reload it.
func TestLiveTagsOfTheRepositoryShown(t *testing.T) {
	d, c := following(t)
	d.Palette("tags acme/web")
	p := uitest.Pane[*tags.Pane](d, state.Tags)
	d.Until("the tags", func() bool { return strings.Contains(d.Screen(), " tags · loaded") })
	gone := ""
	for _, r := range p.L.Coll().Items {
		if !strings.HasPrefix(r.Name, "v") { // v.* is immutable in acme/web
			gone = r.Name
		}
	}
	if gone == "" {
		t.Fatal("acme/web has no tag that may be deleted")
	}
	if _, _, err := c.Repos.Create(context.Background(), hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: "unrelated"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Tags.Delete(context.Background(), hubsim.DemoOrg, "web", gone); err != nil {
		t.Fatal(err)
	}
	d.UntilWithin(20*time.Second, "the tag to go", func() bool {
		return !slices.ContainsFunc(p.L.Coll().Items, func(r tags.Row) bool { return r.Name == gone }) && !p.Busy()
	})
	if n, _ := d.App.Liveness(state.Tags); n != 1 {
		t.Fatalf("%d reloads of Tags, want 1", n)
	}
}

// TestLiveLongTagListTakesTagsOneByOne: in a repository of more tags
// than a few pages, a push reads that tag alone (it goes on top) and a
// delete drops the row, without listing every page again; the cursor
// stays on its tag.
func TestLiveLongTagListTakesTagsOneByOne(t *testing.T) {
	d, sim := uitest.DemoWith(t, hubsim.Options{})
	many := make([]string, 400)
	for i := range many {
		many[i] = fmt.Sprintf("pr-%03d", i)
	}
	if err := sim.PushTags("acme", "web", many...); err != nil {
		t.Fatal(err)
	}
	d.Palette("tags acme/web")
	p := uitest.Pane[*tags.Pane](d, state.Tags)
	d.Until("the tags", func() bool { return p.L.Scope() == "acme/web" && p.L.Coll().Status == state.Loaded })
	d.Key("j", "j", "j")
	was, _ := p.Selected()
	gen := p.L.Coll().Gen
	if err := sim.PushTags("acme", "web", "zz-live"); err != nil {
		t.Fatal(err)
	}
	gone := p.L.Coll().Items[10].Name
	d.Send(d.App.HappenedMsg(
		hubclient.AuditLog{Action: "repo.tag.push", Name: "acme/web", Data: map[string]string{"tag": "zz-live"}},
		hubclient.AuditLog{Action: "repo.tag.delete", Name: "acme/web", Data: map[string]string{"tag": gone}},
	))
	d.Until("the pushed tag on top", func() bool { items := p.L.Coll().Items; return len(items) > 0 && items[0].Name == "zz-live" })
	if p.L.Coll().Find(func(r tags.Row) bool { return r.Name == gone }) >= 0 {
		t.Fatalf("the deleted tag %s is still listed", gone)
	}
	if p.L.Coll().Gen != gen {
		t.Fatal("the whole list was loaded again")
	}
	if now, _ := p.Selected(); now != was {
		t.Fatalf("the cursor moved from %s to %s", was, now)
	}
	if n := len(p.L.Coll().Items); n != 412 { // the demo's 12, 400, one pushed, one gone
		t.Fatalf("%d tags held, want 412", n)
	}
}

// TestLiveFollowStopsWithTheOrg: the follow that goes on off screen ends
// when the organization changes: the old pane hears nothing more, the new
// one does not follow, and its events reach no pane.
func TestLiveFollowStopsWithTheOrg(t *testing.T) {
	d, c := following(t)
	old := uitest.Pane[*audit.Pane](d, state.Audit)
	d.Palette("org demo")
	d.Until("the new org's repositories", func() bool {
		return d.App.Session().Org == "demo" && strings.Contains(d.Screen(), " repositories · loaded")
	})
	before := old.Status(d.App.TopEnv())
	if _, _, err := c.Repos.Create(context.Background(), hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: "after-switch"}); err != nil {
		t.Fatal(err)
	}
	d.Settle(1500 * time.Millisecond) // several polls of the old follow, had it gone on
	if now := old.Status(d.App.TopEnv()); now != before {
		t.Fatalf("the old org's follow went on: %q, then %q", before, now)
	}
	if n, stale := d.App.Liveness(state.Repos); n != 0 || stale {
		t.Fatalf("the new org's Repos heard the old org's event (%d reloads, stale %v)", n, stale)
	}
	if uitest.Pane[*audit.Pane](d, state.Audit) == old {
		t.Fatal("the Audit pane was not built afresh")
	}
}

// TestLivePanesTakeTheirEvents: each live pane reloads for an event about
// what it shows, and not for one about something else.
func TestLivePanesTakeTheirEvents(t *testing.T) {
	ev := func(action, name string, data ...string) hubclient.AuditLog {
		e := hubclient.AuditLog{Action: action, Name: name, Data: map[string]string{}}
		for i := 0; i+1 < len(data); i += 2 {
			e.Data[data[i]] = data[i+1]
		}
		return e
	}
	for _, tc := range []struct {
		name      string
		keys      []string
		kind      state.Kind
		loaded    string
		hit, miss hubclient.AuditLog
	}{
		{"teams", []string{"3"}, state.Teams, " teams · loaded", ev("org.team.create", "acme", "team", "new"), ev("repo.create", "acme/x")},
		{"members", []string{"4"}, state.Members, " members · loaded", ev("org.member.add", "acme"), ev("repo.tag.push", "acme/web", "tag", "x")},
		{"invites", []string{"5"}, state.Invites, " pending invites · loaded", ev("org.invite.create", "acme"), ev("org.team.create", "acme")},
		{"tokens", []string{"6"}, state.Tokens, " · loaded", ev("org.access_token.create", "acme", "token_id", "x"), ev("org.member.add", "acme")},
		{"a team's page", []string{"3", "enter"}, state.Teams, " team members · loaded",
			ev("org.team.member.add", "someone", "team", "{team}"), ev("org.team.member.add", "someone", "team", "not-this-one")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := uitest.Demo(t)
			for _, k := range tc.keys {
				d.Key(k)
				d.Until("the pane", func() bool { b, ok := d.App.Top().(pane.Busy); return !ok || !b.Busy() })
			}
			d.Contains(tc.loaded)
			if tc.hit.Data["team"] == "{team}" {
				tc.hit.Data["team"] = d.App.Top().Title() // the team shown
			}
			d.Send(d.App.HappenedMsg(tc.miss))
			if n, _ := d.App.Liveness(tc.kind); n != 0 {
				t.Fatalf("%s reloaded for %s %s", tc.name, tc.miss.Action, tc.miss.Name)
			}
			d.Send(d.App.HappenedMsg(tc.hit))
			if n, _ := d.App.Liveness(tc.kind); n != 1 {
				t.Fatalf("%s made %d reloads for %s %s, want 1", tc.name, n, tc.hit.Action, tc.hit.Name)
			}
			d.Contains(tc.loaded)
		})
	}
}

// TestReloadLeftUnfinishedIsMadeOnReturn: a background reload still
// running when the pane is left is not forgotten: coming back makes it,
// so a change made meanwhile shows without r.
func TestReloadLeftUnfinishedIsMadeOnReturn(t *testing.T) {
	d := demoDriver(t)
	p := repoPane(d)
	pending := p.Reload(d.App.TopEnv()) // under way; its answer never comes
	if pending == nil || !p.Busy() {
		t.Fatal("no background reload started")
	}
	d.Key("3") // away before it ends
	d.Until("teams", func() bool { return strings.Contains(d.Screen(), " teams · loaded") })
	c := d.App.Session().Client
	if _, _, err := c.Repos.Create(context.Background(), hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: "aaa-owed"}); err != nil {
		t.Fatal(err)
	}
	d.Key("1")
	d.Until("the repository made while away", func() bool { return slices.Contains(reposHeld(d), "aaa-owed") })
}
