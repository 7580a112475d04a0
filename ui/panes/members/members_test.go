package members_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/adrg/xdg"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/panes/members"
	"github.com/hubtui/hubtui/ui/safeout"
)

// app is the App signed in as user on a fresh demo hubsim, on the Members
// pane with the list loaded.
func app(t *testing.T, user string, readOnly bool) (*uitest.Driver, *hubsim.Server, *hubclient.Client) {
	t.Helper()
	sim, url := uitest.StartSim(t, hubsim.Options{})
	sess := uitest.Session(t, url, user, user)
	sess.ReadOnly = readOnly
	d := uitest.New(t, ui.Options{Session: sess}, 120, 40)
	d.Until("repositories", func() bool { return strings.Contains(d.Screen(), " repositories · loaded") })
	d.Key("4")
	d.Until("members", func() bool { return strings.Contains(d.Screen(), " members · loaded") })
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

// role asks the Hub for username's role in the demo org, "" when they are
// not a member.
func role(t *testing.T, c *hubclient.Client, username string) string {
	t.Helper()
	ms, _, err := c.Members.List(context.Background(), hubsim.DemoOrg, &hubclient.MemberListOptions{Search: username})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Username == username {
			return m.OrgRole()
		}
	}
	return ""
}

// search sends a Hub search and waits for the list it answers.
func search(d *uitest.Driver, q string) {
	d.T.Helper()
	d.Key("f")
	d.Type(q)
	d.Key("enter")
	d.Until("the search", func() bool {
		p := uitest.Pane[*members.Pane](d, state.Members)
		s, _, _ := p.Filters()
		return s == q && !p.Busy() && strings.Contains(d.Screen(), " members · loaded")
	})
}

func TestSearchIsSentOnceTypingPauses(t *testing.T) {
	d, _, _ := app(t, "demo", false)
	p := uitest.Pane[*members.Pane](d, state.Members)
	d.Key("f")
	d.Type("max")
	if s, _, _ := p.Filters(); s != "" {
		t.Fatalf("the search %q went to the Hub before typing paused", s)
	}
	d.Until("the search after the pause", func() bool {
		s, _, _ := p.Filters()
		return s == "max" && strings.Contains(d.Screen(), "1 members · loaded")
	})
	if !strings.Contains(d.Screen(), "Max Silva") || strings.Contains(d.Screen(), "alice@") {
		t.Fatalf("the list does not show the Hub's answer:\n%s", d.Screen())
	}
	// Typing on starts the wait over: a pause that began before a key
	// was pressed sends nothing.
	d.Key("esc")
	d.Until("everyone", func() bool { s, _, _ := p.Filters(); return s == "" })
	p.Delay = time.Second
	d.Key("f")
	d.Type("o")
	d.Settle(600 * time.Millisecond)
	d.Type("p")
	d.Settle(600 * time.Millisecond) // 1.2s after the first key, 0.6s after the last
	if s, _, _ := p.Filters(); s != "" {
		t.Fatalf("the search %q went out before typing paused for %s", s, p.Delay)
	}
	d.Until("the search after the pause", func() bool { s, _, _ := p.Filters(); return s == "op" })
	p.Delay = members.SearchDelay
	// esc puts back the search the box opened with (none).
	d.Key("esc")
	d.Until("everyone again", func() bool {
		s, _, _ := p.Filters()
		return s == "" && strings.Contains(d.Screen(), "alice@")
	})
	// Role and type filters are the Hub's too.
	d.Key("o")
	d.Until("owners", func() bool { return strings.Contains(d.Screen(), "2 members · loaded") })
	if s := d.Screen(); !strings.Contains(s, "role owner") || strings.Contains(s, "alice@") {
		t.Fatalf("role filter not applied:\n%s", s)
	}
	d.Key("o", "o", "o", "i", "i") // role back to all; type invitees only
	d.Until("invitees", func() bool {
		return strings.Contains(d.Screen(), "invitees only") && strings.Contains(d.Screen(), " members · loaded")
	})
	if s := d.Screen(); !strings.Contains(s, "invitee") || strings.Contains(s, "alice@") {
		t.Fatalf("type filter not applied:\n%s", s)
	}
}

func TestChangeRole(t *testing.T) {
	d, _, c := app(t, "demo", false)
	search(d, "max")
	d.Key("c")
	on(d, "New role for max")
	d.Type("editor")
	d.Key("enter")
	on(d, "Make max editor?")
	if !strings.Contains(d.Screen(), "max: member → editor") {
		t.Fatalf("no preview of the change:\n%s", d.Screen())
	}
	d.Key("y")
	on(d, "enter/esc/q close")
	d.Key("enter")
	d.Until("the new role", func() bool { return strings.Contains(d.Screen(), "editor  member") })
	if got := role(t, c, "max"); got != hubclient.OrgRoleEditor {
		t.Fatalf("the Hub has max as %q", got)
	}
	evs, _, err := c.Audit.List(context.Background(), hubsim.DemoOrg, &hubclient.AuditListOptions{Action: "org.member.role.change"})
	if err != nil || len(evs) == 0 || evs[0].Data["member"] != "max" || evs[0].Data["role"] != "editor" {
		t.Fatalf("no audit event of the change: %v %+v", err, evs)
	}
}

func TestRemoveAsksForTheName(t *testing.T) {
	d, _, c := app(t, "demo", false)
	search(d, "bob")
	d.Key("D")
	on(d, "Remove bob from acme")
	d.Type("bo")
	d.Key("enter")
	on(d, "Type the name exactly")
	if role(t, c, "bob") == "" {
		t.Fatal("bob was removed without the name typed")
	}
	d.Type("b")
	d.Key("enter")
	on(d, "enter/esc/q close")
	d.Key("enter")
	on(d, "No members.")
	if r := role(t, c, "bob"); r != "" {
		t.Fatalf("bob is still a %s", r)
	}
}

func TestBulkRemoveGoesOnPastAFailure(t *testing.T) {
	d, sim, c := app(t, "demo", false)
	sim.SetFaults(hubsim.Faults{Match: []hubsim.MatchFault{{Method: http.MethodDelete, Path: "/v2/orgs/acme/members/amir",
		Status: http.StatusConflict, Detail: "amir owns the billing profile"}}})
	d.Key("space", "space", "space") // alice, amir, bea
	d.Key("D")
	on(d, "Remove 3 members from acme")
	s := d.Screen()
	for _, want := range []string{"alice (Alice Lopez)", "amir", "bea"} {
		if !strings.Contains(s, want) {
			t.Fatalf("the preview lacks %q:\n%s", want, s)
		}
	}
	d.Type("alice")
	d.Key("enter")
	on(d, "Type the name exactly")
	d.Key("ctrl+u")
	d.Type(members.RemovePhrase(3))
	d.Key("enter")
	on(d, "2 of 3 done")
	if s := d.Screen(); !strings.Contains(s, "amir owns the billing profile") {
		t.Fatalf("the failure is not shown in the Hub's words:\n%s", s)
	}
	d.Key("enter")
	d.Until("the list without the two", func() bool {
		s := d.Screen()
		return !strings.Contains(s, "alice@") && !strings.Contains(s, "bea@") && strings.Contains(s, "amir@")
	})
	if role(t, c, "alice") != "" || role(t, c, "bea") != "" || role(t, c, "amir") == "" {
		t.Fatal("the Hub does not hold the expected members")
	}
}

func TestReadOnlyHidesTheChanges(t *testing.T) {
	d, _, c := app(t, "demo", true)
	f := footer(d.Screen())
	if strings.Contains(f, "c set role") || strings.Contains(f, "D remove") || !strings.Contains(f, "x export") {
		t.Fatalf("read-only footer: %q", f)
	}
	d.Key("?")
	if s := d.Screen(); strings.Contains(s, "change role") || strings.Contains(s, "remove member or marked") {
		t.Fatalf("read-only help shows changes:\n%s", s)
	}
	d.Key("?")
	d.Key("D")
	on(d, "read-only")
	if role(t, c, "alice") == "" {
		t.Fatal("alice was removed in read-only mode")
	}
}

func TestMemberSeesTheChangesDisabled(t *testing.T) {
	d, _, c := app(t, hubsim.MemberUser, false)
	on(d, "acme (member)")
	d.Key("D")
	on(d, "only owners of acme can")
	d.Key("c")
	on(d, "only owners of acme can")
	if role(t, c, "alice") == "" {
		t.Fatal("a member removed alice")
	}
	// The member's page says why it shows no audit events.
	d.Key("enter")
	on(d, "Recent audit events")
	d.Until("the audit refusal", func() bool { return strings.Contains(d.Screen(), "not allowed") })
}

func TestDetailShowsTeamsInvitesAndEvents(t *testing.T) {
	d, _, c := app(t, "demo", false)
	invs, _, err := c.Invites.List(context.Background(), hubsim.DemoOrg)
	if err != nil || len(invs) == 0 {
		t.Fatalf("no invites in the demo: %v", err)
	}
	// An invite for an existing member: the page lists it.
	if _, _, err := c.Invites.Bulk(context.Background(), hubclient.BulkInviteRequest{Org: hubsim.DemoOrg, Role: "member", Invitees: []string{"olga"}}); err != nil {
		t.Fatal(err)
	}
	search(d, "carol")
	d.Key("enter")
	on(d, "Teams (1)")
	d.Until("events", func() bool { return strings.Contains(d.Screen(), "recent audit event(s)") })
	s := d.Screen()
	if !strings.Contains(s, "platform") || !strings.Contains(s, "None for this person.") {
		t.Fatalf("page of carol:\n%s", s)
	}
	if !strings.Contains(s, "carol") || strings.Contains(s, "None in the recent log") {
		t.Fatalf("no audit events about carol:\n%s", s)
	}
	// olga is invited, not a member: she shows among the invitees.
	d.Key("esc", "i", "f", "ctrl+u")
	d.Type("olga")
	d.Key("enter")
	d.Until("olga", func() bool {
		return strings.Contains(d.Screen(), "olga") && strings.Contains(d.Screen(), " members · loaded")
	})
	d.Key("enter")
	d.Until("her invite", func() bool { return strings.Contains(d.Screen(), "olga as member · invited by demo") })
}

func TestExportSavesTheCSV(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_DATA_HOME", dir)
	xdg.Reload()
	t.Cleanup(xdg.Reload)
	d, _, _ := app(t, "demo", false)
	d.Key("x")
	want := members.DefaultExportPath(hubsim.DemoOrg, uitest.FixedNow())
	if !strings.HasPrefix(want, dir) {
		t.Fatalf("default path %s is not in the data dir %s", want, dir)
	}
	on(d, "Save the members of acme as CSV")
	d.Key("enter")
	on(d, "saved ")
	if s := d.Screen(); !strings.Contains(s, "Saved to "+want) {
		t.Fatalf("the saved path is not shown:\n%s", s)
	}
	b, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := hubclient.ParseMemberCSV(b)
	if err != nil || len(rows) < 40 || !strings.HasPrefix(string(b), "Name,Username,Email,Type,Permission,Teams,Date Joined\n") {
		t.Fatalf("the file is not the export: %v, %d rows:\n%.300s", err, len(rows), b)
	}
	// Saving to the same name asks before replacing it.
	if err := os.WriteFile(want, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	d.Key("x", "enter")
	on(d, "Replace ")
	if b, _ := os.ReadFile(want); string(b) != "old" {
		t.Fatal("the file was replaced before the answer")
	}
	d.Key("y")
	d.Until("replaced", func() bool {
		b, _ := os.ReadFile(want)
		return strings.HasPrefix(string(b), "Name,")
	})
}

func TestSafeFileName(t *testing.T) {
	for in, want := range map[string]string{
		"acme":          "acme",
		"../../etc":     "_.._etc",
		"a/b\x1b[31m":   "a_b__31m",
		"":              "export",
		"...":           "export",
		"ok-name_1.csv": "ok-name_1.csv",
	} {
		if got := safeout.SafeFileName(in); got != want {
			t.Errorf("SafeFileName(%q) = %q, want %q", in, got, want)
		}
	}
	if p := members.DefaultExportPath("../x", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)); filepath.Base(p) != "_x-members-20260102-030405.csv" {
		t.Fatalf("default path %s", p)
	}
}

func TestRoleChangeRefusedByTheHub(t *testing.T) {
	d, sim, c := app(t, "demo", false)
	sim.SetFaults(hubsim.Faults{Match: []hubsim.MatchFault{{Method: http.MethodPut, Path: "/v2/orgs/acme/members/amir",
		Status: http.StatusForbidden, Detail: "amir is managed by SSO: change the role in the identity provider"}}})
	d.Key("space", "space") // alice, amir
	d.Key("c")
	on(d, "New role for 2 members")
	d.Type("editor")
	d.Key("enter")
	on(d, "Make 2 members editors?")
	d.Key("y")
	on(d, "1 of 2 done")
	if s := d.Screen(); !strings.Contains(s, "amir is managed by SSO") {
		t.Fatalf("the refusal is not in the Hub's words:\n%s", s)
	}
	d.Key("enter")
	on(d, "not allowed: amir is managed by SSO")
	if role(t, c, "alice") != hubclient.OrgRoleEditor || role(t, c, "amir") != hubclient.OrgRoleMember {
		t.Fatal("the Hub does not hold alice as editor and amir as member")
	}
	p := uitest.Pane[*members.Pane](d, state.Members)
	for _, m := range p.L.Coll().Items {
		if m.Username == "amir" && m.OrgRole() != hubclient.OrgRoleMember || m.Username == "alice" && m.OrgRole() != hubclient.OrgRoleEditor {
			t.Fatalf("the list shows %s as %s", m.Username, m.Role)
		}
	}
}

func TestPaletteSearchesMembers(t *testing.T) {
	d, _, _ := app(t, "demo", false)
	d.Key("1", ":")
	d.Type("members erin")
	d.Key("enter")
	d.Until("the search", func() bool {
		return strings.Contains(d.Screen(), "1 members · loaded") && strings.Contains(d.Screen(), `search "erin"`)
	})
	if !strings.Contains(d.Screen(), "Erin Smith") {
		t.Fatalf("erin is not shown:\n%s", d.Screen())
	}
}

func TestChangesShowInTheOtherLists(t *testing.T) {
	d, _, _ := app(t, "demo", false)
	// The unfiltered list was loaded first; bob goes from a search.
	search(d, "bob")
	d.Key("D")
	on(d, "Remove bob from acme")
	d.Type("bob")
	d.Key("enter")
	on(d, "enter/esc/q close")
	d.Key("enter")
	on(d, "No members.")
	d.Key("f", "ctrl+u", "enter")
	d.Until("everyone but bob", func() bool { return strings.Contains(d.Screen(), "39 members · loaded") })
	if strings.Contains(d.Screen(), "bob@") {
		t.Fatalf("bob is still listed:\n%s", d.Screen())
	}
	// The Teams pane counts him out of data without a refresh.
	d.Key("3")
	d.Until("the teams", func() bool { return strings.Contains(d.Screen(), " teams · loaded") })
	if !strings.Contains(d.Screen(), "data                                   5") {
		t.Fatalf("data does not count 5 members:\n%s", d.Screen())
	}
	// A member added to a team on its page shows the team in Members.
	d.Key("/")
	d.Type("^data")
	d.Key("enter")
	on(d, `filter "^data": 1`)
	d.Key("enter")
	on(d, "team members · loaded")
	d.Key("a")
	on(d, "Add to team data")
	d.Type("alice")
	d.Key("space", "enter", "y")
	on(d, "enter/esc/q close")
	d.Key("enter")
	d.Key("4")
	d.Until("alice in data", func() bool {
		return strings.Contains(d.Screen(), "alice@acme.example  member  member  data, frontend") && strings.Contains(d.Screen(), " members · loaded")
	})
}
