package teams_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/panes/teams"
)

// app is the App signed in as user on a fresh demo hubsim, on the Teams
// pane with the list loaded.
func app(t *testing.T, user string, readOnly bool) (*uitest.Driver, *hubsim.Server, *hubclient.Client) {
	t.Helper()
	sim, url := uitest.StartSim(t, hubsim.Options{})
	sess := uitest.Session(t, url, user, user)
	sess.ReadOnly = readOnly
	d := uitest.New(t, ui.Options{Session: sess}, 120, 40)
	d.Until("repositories", func() bool { return strings.Contains(d.Screen(), " repositories · loaded") })
	d.Key("3")
	d.Until("teams", func() bool { return strings.Contains(d.Screen(), " teams · loaded") })
	return d, sim, sess.Client
}

func on(d *uitest.Driver, what string) {
	d.T.Helper()
	d.Until(what, func() bool { return strings.Contains(d.Screen(), what) })
}

func footer(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// exists asks the Hub whether the demo org has the team.
func exists(t *testing.T, c *hubclient.Client, name string) *hubclient.Team {
	t.Helper()
	tm, _, err := c.Teams.Get(context.Background(), hubsim.DemoOrg, name)
	var ae *hubclient.APIError
	if errors.As(err, &ae) && ae.StatusCode == http.StatusNotFound {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// teamMembers asks the Hub for the usernames in the team.
func teamMembers(t *testing.T, c *hubclient.Client, team string) []string {
	t.Helper()
	ms, _, err := c.Teams.ListMembers(context.Background(), hubsim.DemoOrg, team, &hubclient.TeamMemberListOptions{ListOptions: hubclient.ListOptions{PageSize: 100}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range ms {
		names = append(names, m.Username)
	}
	slices.Sort(names)
	return names
}

// audited reports whether the org's audit log holds an event of action
// with the description.
func audited(t *testing.T, c *hubclient.Client, action, description string) bool {
	t.Helper()
	evs, _, err := c.Audit.List(context.Background(), hubsim.DemoOrg, &hubclient.AuditListOptions{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(evs, func(e hubclient.AuditLog) bool { return e.ActionDescription == description })
}

// filter shows only the team named name.
func filter(d *uitest.Driver, name string) {
	d.T.Helper()
	d.Key("/")
	d.Type("^" + name)
	d.Key("enter")
	d.Until("the filter", func() bool { return strings.Contains(d.Screen(), "filter \"^"+name+"\": 1") })
}

func TestCreateRenameDelete(t *testing.T) {
	d, _, c := app(t, "demo", false)
	d.Key("n")
	on(d, "New team in acme")
	d.Type("bad name")
	on(d, "cannot be in a team name")
	d.Key("ctrl+u")
	d.Type("backend") // taken
	on(d, "exists already")
	d.Key("ctrl+u")
	d.Type("infra")
	d.Key("tab")
	d.Type("Infrastructure and tooling")
	d.Key("enter")
	d.Until("the new row", func() bool { return strings.Contains(d.Screen(), "Infrastructure and tooling") })
	if tm := exists(t, c, "infra"); tm == nil || tm.Description != "Infrastructure and tooling" {
		t.Fatalf("the Hub has %+v", tm)
	}

	filter(d, "infra")
	d.Key("e")
	on(d, "Edit team infra")
	d.Key("ctrl+u")
	d.Type("tooling")
	d.Key("tab", "ctrl+u")
	d.Type("Build tools")
	d.Key("enter")
	d.Key("esc") // the filter
	d.Until("the renamed row", func() bool { return strings.Contains(d.Screen(), "Build tools") })
	if exists(t, c, "infra") != nil {
		t.Fatal("infra is still there")
	}
	if tm := exists(t, c, "tooling"); tm == nil || tm.Description != "Build tools" {
		t.Fatalf("the Hub has %+v", tm)
	}

	filter(d, "tooling")
	d.Key("D")
	on(d, "Delete team tooling")
	d.Type("toolin")
	d.Key("enter")
	on(d, "Type the name exactly")
	if exists(t, c, "tooling") == nil {
		t.Fatal("deleted without the name typed")
	}
	d.Type("g")
	d.Key("enter")
	d.Until("the row gone", func() bool {
		return !strings.Contains(d.Screen(), "Build tools") && strings.Contains(d.Screen(), "deleted team tooling")
	})
	if exists(t, c, "tooling") != nil {
		t.Fatal("tooling is still there")
	}
	for action, desc := range map[string]string{"org.team.create": "created the team infra", "org.team.update": "updated the team tooling",
		"org.team.delete": "deleted the team tooling"} {
		if !audited(t, c, action, desc) {
			t.Errorf("no %s event %q in the audit log", action, desc)
		}
	}
}

func TestAddMembersThroughThePickerThenRemoveThem(t *testing.T) {
	d, _, c := app(t, "demo", false)
	if _, _, err := c.Teams.Create(context.Background(), hubsim.DemoOrg, "infra", ""); err != nil {
		t.Fatal(err)
	}
	d.Key("r")
	d.Until("infra", func() bool {
		return strings.Contains(d.Screen(), "infra") && strings.Contains(d.Screen(), " teams · loaded")
	})
	filter(d, "infra")
	d.Key("enter")
	on(d, "No team members.")
	d.Key("a")
	on(d, "Add to team infra")
	d.Type("max")
	d.Key("space")
	d.Key("backspace", "backspace", "backspace")
	d.Type("nadia")
	d.Key("space")
	on(d, "2 chosen")
	d.Key("enter")
	on(d, "Add 2 member(s) to infra?")
	if !strings.Contains(d.Screen(), "max, nadia") {
		t.Fatalf("no preview:\n%s", d.Screen())
	}
	d.Key("y")
	on(d, "enter/esc/q close")
	d.Key("enter")
	d.Until("the members", func() bool {
		s := d.Screen()
		return strings.Contains(s, "Max Silva") && strings.Contains(s, "Nadia Lopez") && strings.Contains(s, "2 team members · loaded")
	})
	if got := teamMembers(t, c, "infra"); !slices.Equal(got, []string{"max", "nadia"}) {
		t.Fatalf("the Hub has %v in infra", got)
	}

	// The picker offers only who is not in the team yet.
	d.Key("a")
	on(d, "Add to team infra")
	d.Type("max")
	on(d, "0 chosen · 0 shown")
	d.Key("esc")

	d.Key("space", "space", "D")
	on(d, "Remove 2 members from infra?")
	if !strings.Contains(d.Screen(), "max, nadia") {
		t.Fatalf("no preview:\n%s", d.Screen())
	}
	d.Key("y")
	on(d, "enter/esc/q close")
	d.Key("enter")
	on(d, "No team members.")
	if got := teamMembers(t, c, "infra"); len(got) != 0 {
		t.Fatalf("the Hub still has %v in infra", got)
	}
	if !audited(t, c, "org.team.member.add", "added nadia to the team infra") || !audited(t, c, "org.team.member.remove", "removed max from the team infra") {
		t.Error("the team changes are not in the audit log")
	}
	// The list's member count follows.
	d.Key("esc", "esc")
	d.Until("the count", func() bool {
		return strings.Contains(d.Screen(), "infra ") && strings.Contains(d.Screen(), " teams · loaded")
	})
	p := uitest.Pane[*teams.Pane](d, state.Teams)
	for _, tm := range p.L.Coll().Items {
		if tm.Name == "infra" && tm.MemberCount != 0 {
			t.Fatalf("infra counts %d members", tm.MemberCount)
		}
	}
}

func TestTeamPageListsItsRepositories(t *testing.T) {
	d, _, c := app(t, "demo", false)
	filter(d, "data")
	d.Key("enter")
	on(d, "team members · loaded")
	on(d, "p looks them up")
	d.Key("p")
	on(d, "60 of 60 repositories checked")
	dt, ok := d.App.Top().(*teams.Detail)
	if !ok {
		t.Fatalf("the page on top is %T", d.App.Top())
	}
	got, _ := dt.Permissions()
	if len(got) == 0 {
		t.Fatalf("no permissions found:\n%s", d.Screen())
	}
	for _, rp := range got {
		ns, repo, _ := strings.Cut(rp.Repo, "/")
		groups, _, err := c.Repos.ListGroups(context.Background(), ns, repo, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(groups, func(g hubclient.RepositoryGroup) bool { return g.GroupName == "data" && g.Permission == rp.Permission }) {
			t.Fatalf("%s: %s is not what the Hub says: %+v", rp.Repo, rp.Permission, groups)
		}
		if !strings.Contains(d.Screen(), rp.Repo) {
			t.Fatalf("%s not shown:\n%s", rp.Repo, d.Screen())
		}
	}
}

func TestReadOnlyHidesTheChanges(t *testing.T) {
	d, _, _ := app(t, "demo", true)
	f := footer(d.Screen())
	for _, k := range []string{"n new", "e edit", "D delete"} {
		if strings.Contains(f, k) {
			t.Fatalf("read-only footer shows %q: %q", k, f)
		}
	}
	d.Key("enter")
	on(d, "team members · loaded")
	if f := footer(d.Screen()); strings.Contains(f, "a add") || strings.Contains(f, "D remove") || !strings.Contains(f, "p repos") {
		t.Fatalf("read-only footer of a team: %q", f)
	}
	d.Key("a")
	on(d, "read-only")
}

func TestMemberSeesTheChangesDisabled(t *testing.T) {
	d, _, c := app(t, hubsim.MemberUser, false)
	on(d, "acme (member)")
	d.Key("D")
	on(d, "only owners of acme can")
	d.Key("n")
	on(d, "new team: only owners of acme can")
	if exists(t, c, "backend") == nil {
		t.Fatal("backend is gone")
	}
	d.Key("enter")
	on(d, "team members · loaded")
	d.Key("a")
	on(d, "only owners of acme can")
}

func TestOwnersTeamCannotBeDeleted(t *testing.T) {
	d, _, _ := app(t, "demo", false)
	filter(d, "owners")
	d.Key("D")
	on(d, "the owners team cannot be deleted")
}

func TestPaletteOpensATeam(t *testing.T) {
	d, _, c := app(t, "demo", false)
	d.Key("1", ":")
	d.Type("teams data")
	d.Key("enter")
	on(d, "Teams › data")
	d.Until("its members", func() bool { return strings.Contains(d.Screen(), "6 team members · loaded") })
	if !strings.Contains(d.Screen(), "The data team") {
		t.Fatalf("the page lacks the team's description:\n%s", d.Screen())
	}
	// A team the list has not loaded is asked for by name.
	if _, _, err := c.Teams.Create(context.Background(), hubsim.DemoOrg, "infra", "Infrastructure"); err != nil {
		t.Fatal(err)
	}
	d.Key(":")
	d.Type("teams infra")
	d.Key("enter")
	on(d, "Teams › infra")
	on(d, "Infrastructure")
	d.Key(":")
	d.Type("teams nosuch")
	d.Key("enter")
	on(d, "not found")
}
