package repos_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/panes/repos"
	"github.com/hubtui/hubtui/ui/panes/tags"
)

func repoPane(d *uitest.Driver) *repos.Pane { return uitest.Pane[*repos.Pane](d, state.Repos) }
func tagPane(d *uitest.Driver) *tags.Pane   { return uitest.Pane[*tags.Pane](d, state.Tags) }

// reposLoaded says whether the Repos list has loaded.
func reposLoaded(d *uitest.Driver) func() bool {
	return func() bool { return repoPane(d).L.Coll().Status == state.Loaded }
}

func TestReposListLoadsAndNavigates(t *testing.T) {
	d := uitest.Demo(t)
	rp := repoPane(d)
	if n := len(rp.L.Coll().Items); n != 60 {
		t.Fatalf("loaded %d repositories, want the demo's 60", n)
	}
	s := d.Screen()
	for _, want := range []string{"org: acme", "NAME", "VISIBILITY", "PULLS", "api", "60 repositories"} {
		if !strings.Contains(s, want) {
			t.Fatalf("screen lacks %q:\n%s", want, s)
		}
	}
	d.Key("j", "j")
	if c := rp.L.Table().Cursor(); c != 2 {
		t.Fatalf("cursor after jj = %d", c)
	}
	d.Key("G")
	if c := rp.L.Table().Cursor(); c != 59 {
		t.Fatalf("cursor after G = %d", c)
	}
	d.Key("g")
	if c := rp.L.Table().Cursor(); c != 0 {
		t.Fatalf("cursor after g = %d", c)
	}
	d.Key("ctrl+d")
	if c := rp.L.Table().Cursor(); c == 0 {
		t.Fatal("ctrl+d did not move")
	}
}

func TestMarksSortAndDetail(t *testing.T) {
	d := uitest.Demo(t)
	rp := repoPane(d)
	d.Key("space", "space")
	if n := rp.L.Table().MarkedCount(); n != 2 {
		t.Fatalf("marked %d", n)
	}
	d.Key("ctrl+a")
	if n := rp.L.Table().MarkedCount(); n != 60 {
		t.Fatalf("ctrl+a marked %d", n)
	}
	d.Key("esc")
	if n := rp.L.Table().MarkedCount(); n != 0 {
		t.Fatalf("esc left %d marks", n)
	}
	d.Key("s", "s", "s") // NAME → VISIBILITY → PULLS, biggest first
	d.Until("sorted rows", func() bool { return !rp.L.Filtering() })
	if !strings.Contains(d.Screen(), "sort PULLS ▼") {
		t.Fatalf("sort not shown:\n%s", d.Screen())
	}
	prev := int64(math.MaxInt64)
	for row := 0; row < rp.L.Visible(); row++ {
		r, _ := rp.L.Row(row)
		if r.PullCount > prev {
			t.Fatalf("row %d pulls %d after %d", row, r.PullCount, prev)
		}
		prev = r.PullCount
	}
	before, _ := rp.L.Selected()
	d.Key("S")
	d.Until("reversed rows", func() bool { return !rp.L.Filtering() })
	if after, _ := rp.L.Selected(); after.Name != before.Name {
		t.Fatalf("the cursor left %s for %s when the order changed", before.Name, after.Name)
	}
	d.Key("g")
	top, _ := rp.L.Selected()
	if top.PullCount != prev || !strings.Contains(d.Screen(), "sort PULLS ▲") {
		t.Fatalf("reverse sort put %d first, the least is %d", top.PullCount, prev)
	}
	d.Key("enter")
	d.Until("details", func() bool { return rp.Open() != nil && rp.Open().Info() != nil })
	s := d.Screen()
	for _, want := range []string{"README", "Quick start", "Your access", "Repos › acme/" + top.Name} {
		if !strings.Contains(s, want) {
			t.Fatalf("detail lacks %q:\n%s", want, s)
		}
	}
	d.Key("esc")
	if d.App.Top() != pane.Pane(rp) {
		t.Fatal("esc did not close the detail view")
	}
}

func TestTagsKeyOpensRepositoryTags(t *testing.T) {
	d := uitest.Demo(t)
	want, _ := repoPane(d).L.Selected()
	d.Key("t")
	tp := tagPane(d)
	if tp.L.Scope() != "acme/"+want.Name {
		t.Fatalf("t opened %q, want acme/%s", tp.L.Scope(), want.Name)
	}
	d.Until("tags", func() bool { return tp.L.Coll().Status == state.Loaded })
	d.Key("esc")
	if d.App.Top().Kind() != state.Repos {
		t.Fatal("esc from tags did not go back to repositories")
	}
}

func TestRepositoryChangesAskFirst(t *testing.T) {
	d := uitest.Demo(t)
	rp := repoPane(d)
	target, _ := rp.L.Selected()
	full := "acme/" + target.Name

	// Delete asks for the name to be typed; a wrong name does nothing.
	d.Key("D")
	if d.App.Dialog() == nil || !strings.Contains(d.Screen(), "Type "+full+" to confirm") {
		t.Fatalf("no typed confirmation:\n%s", d.Screen())
	}
	d.Type("acme/wrong")
	d.Key("enter")
	if d.App.Dialog() == nil {
		t.Fatal("a wrong name closed the confirmation")
	}
	d.Key("esc")
	if d.App.Dialog() != nil || len(rp.L.Coll().Items) != 60 {
		t.Fatal("esc did not cancel")
	}
	d.Key("D")
	d.Type(full)
	d.Key("enter")
	d.Until("the deletion", func() bool { return strings.Contains(d.App.Status(), "deleted "+full) })
	if len(rp.L.Coll().Items) != 59 || rp.L.Coll().Find(func(r hubclient.Repository) bool { return r.Name == target.Name }) >= 0 {
		t.Fatalf("%s still listed (%d rows)", full, len(rp.L.Coll().Items))
	}
	d.Key("r")
	d.Until("the reload", reposLoaded(d))
	if len(rp.L.Coll().Items) != 59 {
		t.Fatalf("the Hub still has %d repositories", len(rp.L.Coll().Items))
	}

	// Visibility asks y/n and changes the row.
	r, _ := rp.L.Selected()
	d.Key("p")
	d.Key("n")
	d.Settle(200 * time.Millisecond)
	if cur, _ := rp.L.Selected(); cur.IsPrivate != r.IsPrivate || strings.HasPrefix(d.App.Status(), "making") {
		t.Fatalf("n changed the visibility (status %q)", d.App.Status())
	}
	d.Key("p", "y")
	d.Until("the visibility change", func() bool { cur, _ := rp.L.Selected(); return cur.IsPrivate != r.IsPrivate })

	// The description is checked before anything is sent.
	d.Key("e")
	d.Send(tea.PasteMsg{Content: strings.Repeat("x", 101)})
	d.Key("enter")
	if d.App.Dialog() == nil || !strings.Contains(d.Screen(), "at most 100") {
		t.Fatalf("a long description was not refused:\n%s", d.Screen())
	}
	d.Key("esc", "e", "enter") // enter without an edit sends nothing
	if d.App.Status() != "description unchanged" {
		t.Fatalf("an unedited description was sent: status %q", d.App.Status())
	}
	d.Key("e")
	d.Key("ctrl+u")
	d.Type("Checkout service")
	d.Key("enter")
	d.Until("the new description", func() bool { cur, _ := rp.L.Selected(); return cur.Description == "Checkout service" })

	// A new repository: the form checks the name, then public or private.
	d.Key("n", "tab")
	d.Type("Bad Name")
	d.Key("ctrl+s")
	if !strings.Contains(d.Screen(), "not a valid repository name") {
		t.Fatalf("a bad name was not refused:\n%s", d.Screen())
	}
	d.Key("esc", "n", "tab")
	d.Type("fresh-service")
	gen, count := rp.L.Coll().Gen, len(rp.L.Coll().Items)
	d.Key("tab", "tab", "right", "ctrl+s") // visibility: public
	d.Until("the new repository", func() bool {
		return rp.L.Coll().Status == state.Loaded && rp.L.Coll().Find(func(r hubclient.Repository) bool { return r.Name == "fresh-service" }) >= 0
	})
	i := rp.L.Coll().Find(func(r hubclient.Repository) bool { return r.Name == "fresh-service" })
	if rp.L.Coll().Items[i].IsPrivate {
		t.Fatal("n did not make it public")
	}
	if rp.L.Coll().Gen != gen || len(rp.L.Coll().Items) != count+1 || rp.L.Coll().Items[i-1].Name > "fresh-service" {
		t.Fatalf("create reloaded or misplaced the row: gen %d→%d, %d→%d rows, after %q", gen, rp.L.Coll().Gen, count, len(rp.L.Coll().Items), rp.L.Coll().Items[i-1].Name)
	}
}

func TestMembersCannotDeleteAndReadOnlyHidesChanges(t *testing.T) {
	_, url := uitest.StartSim(t, hubsim.Options{})
	d := uitest.New(t, ui.Options{Session: uitest.Session(t, url, hubsim.MemberUser, hubsim.MemberUser)}, 120, 40)
	d.Until("repositories", reposLoaded(d))
	// The role is known: D says why it cannot before anything is sent.
	d.Until("the role", func() bool { return d.App.Role() == pane.RoleMember })
	d.Key("D")
	if d.App.Dialog() != nil || !strings.Contains(d.App.Error(), "only owners and editors of acme can; you are a member") {
		t.Fatalf("dialog %v, error %q", d.App.Dialog(), d.App.Error())
	}
	d.Key("?")
	if s := d.Screen(); !strings.Contains(s, "(only owners") || !strings.Contains(s, "can; you are a member)") {
		t.Fatalf("help does not say why delete is off:\n%s", d.Screen())
	}
	d.Key("?")
	// The Hub refuses it too, in its own words, when asked directly.
	r, _ := repoPane(d).L.Selected()
	if _, err := d.App.Session().Client.Repos.Delete(context.Background(), "acme", r.Name); err == nil || !strings.Contains(err.Error(), "403") {
		t.Fatalf("the Hub let a member delete: %v", err)
	}

	ro := uitest.New(t, ui.Options{Session: uitest.Session(t, url, "demo", "demo", hubclient.WithReadOnly())}, 120, 40)
	ro.Until("repositories", reposLoaded(ro))
	s := ro.Screen()
	for _, hidden := range []string{"D delete", "p visibility", "e edit", "n new"} {
		if strings.Contains(s, hidden) {
			t.Fatalf("read-only footer shows %q:\n%s", hidden, s)
		}
	}
	ro.Key("D")
	if ro.App.Dialog() != nil {
		t.Fatal("D opened a confirmation in read-only mode")
	}
	ro.Key("?")
	if strings.Contains(ro.Screen(), "delete (asks first)") {
		t.Fatalf("read-only help lists delete:\n%s", ro.Screen())
	}
}

func TestDeletingWhileSortedKeepsTheListLive(t *testing.T) {
	d := uitest.Demo(t)
	rp := repoPane(d)
	d.Key("s", "S")
	d.Until("sorted rows", func() bool { return !rp.L.Filtering() })
	target, _ := rp.L.Selected()
	d.Key("D")
	d.Type("acme/" + target.Name)
	d.Key("enter")
	d.Until("the deletion", func() bool { return rp.L.Visible() == 59 && !rp.L.Filtering() })
	if cur, _ := rp.L.Selected(); cur.Name == target.Name {
		t.Fatalf("the deleted %s is still under the cursor", target.Name)
	}
}

func TestDetailScrollsToTheEnd(t *testing.T) {
	d := uitest.Demo(t)
	d.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.Key("enter")
	d.Until("details", func() bool { return repoPane(d).Open() != nil && repoPane(d).Open().Info() != nil })
	d.Key("G")
	if s := d.Screen(); !strings.Contains(s, "esc back") {
		t.Fatalf("G did not reach the end of the detail view:\n%s", s)
	}
	d.Key("g")
	if s := d.Screen(); !strings.Contains(s, "Description") {
		t.Fatalf("g did not go back to the top:\n%s", s)
	}
}
