package hubclient_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
)

// The demo org has 8 teams: owners, platform, backend, frontend, data,
// security, sre, mobile.
const omDemoTeams = 8

func TestTeamList(t *testing.T) {
	e := newOMEnv(t)
	ctx := context.Background()
	c := e.owner()
	teams, resp, err := c.Teams.List(ctx, hubsim.DemoOrg, &hubclient.TeamListOptions{ListOptions: hubclient.ListOptions{PageSize: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Count != omDemoTeams || len(teams) != 3 || !strings.HasPrefix(resp.Next, e.url+"/v2/orgs/acme/groups?") {
		t.Fatalf("count %d, %d teams, next %q", resp.Count, len(teams), resp.Next)
	}
	all, err := hubclient.ListAll(ctx, c, func(ctx context.Context, lo hubclient.ListOptions) ([]hubclient.Team, *hubclient.Response, error) {
		lo.PageSize = 3
		return c.Teams.List(ctx, hubsim.DemoOrg, &hubclient.TeamListOptions{ListOptions: lo})
	}, nil)
	if err != nil || len(all) != omDemoTeams {
		t.Fatalf("ListAll: %d, %v", len(all), err)
	}
	if !slices.IsSortedFunc(all, func(a, b hubclient.Team) int { return strings.Compare(a.Name, b.Name) }) {
		t.Errorf("not sorted by name")
	}
	for _, tm := range all {
		if tm.ID == 0 || tm.UUID == "" || tm.Name == "" || tm.Description == "" || tm.MemberCount == 0 {
			t.Errorf("team %+v", tm)
		}
	}
	found, _, err := c.Teams.List(ctx, hubsim.DemoOrg, &hubclient.TeamListOptions{Search: "END"})
	if err != nil || len(found) != 2 || found[0].Name != "backend" || found[1].Name != "frontend" {
		t.Errorf("search: %+v %v", found, err)
	}
	mine, _, err := c.Teams.List(ctx, hubsim.DemoOrg, &hubclient.TeamListOptions{Username: hubsim.DemoUser})
	if err != nil || !slices.ContainsFunc(mine, func(tm hubclient.Team) bool { return tm.Name == hubclient.OwnersTeam }) {
		t.Errorf("teams of demo: %+v %v", mine, err)
	}
	none, resp, err := c.Teams.List(ctx, hubsim.DemoOrg, &hubclient.TeamListOptions{Username: hubsim.OutsiderUser})
	if err != nil || len(none) != 0 || resp.Count != 0 {
		t.Errorf("teams of an outsider: %+v %v", none, err)
	}

	readPAT, err := e.sim.GrantPAT(hubsim.MemberUser, "read", "repo:read")
	if err != nil {
		t.Fatal(err)
	}
	for name, rc := range map[string]*hubclient.Client{"member": e.member(), "editor": e.editor(), "oat": e.oat(), "pat": e.client(hubsim.MemberUser, readPAT)} {
		if _, resp, err := rc.Teams.List(ctx, hubsim.DemoOrg, nil); err != nil || resp.Count != omDemoTeams {
			t.Errorf("%s: %v", name, err)
		}
	}
	_, _, err = e.client(hubsim.OutsiderUser, hubsim.OutsiderUser).Teams.List(ctx, hubsim.DemoOrg, nil)
	wantStatus(t, "outsider", err, 403)
	_, _, err = c.Teams.List(ctx, "nope", nil)
	wantStatus(t, "unknown org", err, 404)
	_, _, err = c.Teams.List(ctx, hubsim.DemoOrg, &hubclient.TeamListOptions{ListOptions: hubclient.ListOptions{Page: 2}})
	wantStatus(t, "past the end", err, 404)
	e.nothingSent("page_size", func() error {
		_, _, err := c.Teams.List(ctx, hubsim.DemoOrg, &hubclient.TeamListOptions{ListOptions: hubclient.ListOptions{PageSize: 101}})
		return err
	}, isValidation("page_size"))
	e.nothingSent("org", func() error { _, _, err := c.Teams.List(ctx, "", nil); return err }, isValidation("org"))
}

func TestTeamGet(t *testing.T) {
	e := newOMEnv(t)
	ctx := context.Background()
	tm, resp, err := e.member().Teams.Get(ctx, hubsim.DemoOrg, "platform")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || tm.Name != "platform" || tm.ID == 0 || tm.UUID == "" || tm.Description != "The platform team" {
		t.Errorf("team %+v", tm)
	}
	_, mresp, err := e.owner().Teams.ListMembers(ctx, hubsim.DemoOrg, "platform", nil)
	if err != nil || mresp.Count != tm.MemberCount {
		t.Errorf("member_count %d, members %d (%v)", tm.MemberCount, mresp.Count, err)
	}
	_, _, err = e.owner().Teams.Get(ctx, hubsim.DemoOrg, "nope")
	wantStatus(t, "unknown team", err, 404)
	if err != nil && !strings.Contains(err.Error(), "get team acme/nope") {
		t.Errorf("no context: %v", err)
	}
	_, _, err = e.client(hubsim.OutsiderUser, hubsim.OutsiderUser).Teams.Get(ctx, hubsim.DemoOrg, "platform")
	wantStatus(t, "outsider", err, 403)
	e.nothingSent("team", func() error { _, _, err := e.owner().Teams.Get(ctx, hubsim.DemoOrg, ""); return err }, isValidation("team"))
}

func TestTeamLifecycle(t *testing.T) {
	e := newOMEnv(t)
	ctx := context.Background()
	c := e.owner()
	tm, resp, err := c.Teams.Create(ctx, hubsim.DemoOrg, "docs-writers", "Writes the docs")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 201 || tm.Name != "docs-writers" || tm.Description != "Writes the docs" || tm.MemberCount != 0 || tm.ID == 0 || tm.UUID == "" {
		t.Errorf("created %+v (status %d)", tm, resp.StatusCode)
	}
	if ev := e.lastAudit(); ev.Action != "org.team.create" || ev.Name != hubsim.DemoOrg || ev.Data["team"] != "docs-writers" {
		t.Errorf("audit %+v", ev)
	}
	if got, _, err := c.Teams.Get(ctx, hubsim.DemoOrg, "docs-writers"); err != nil || got.UUID != tm.UUID {
		t.Errorf("get: %+v %v", got, err)
	}

	// PATCH: only what is given changes.
	got, _, err := c.Teams.Update(ctx, hubsim.DemoOrg, "docs-writers", hubclient.TeamUpdate{Description: new("Docs and guides")})
	if err != nil || got.Name != "docs-writers" || got.Description != "Docs and guides" || got.ID != tm.ID {
		t.Errorf("patch description: %+v %v", got, err)
	}
	if ev := e.lastAudit(); ev.Action != "org.team.update" || ev.Data["team"] != "docs-writers" {
		t.Errorf("audit %+v", ev)
	}
	got, _, err = e.oat().Teams.Update(ctx, hubsim.DemoOrg, "docs-writers", hubclient.TeamUpdate{Name: new("tech-writers")})
	if err != nil || got.Name != "tech-writers" || got.Description != "Docs and guides" || got.UUID != tm.UUID {
		t.Errorf("patch name: %+v %v", got, err)
	}
	if ev := e.lastAudit(); ev.Data["previous_name"] != "docs-writers" || ev.Data["team"] != "tech-writers" {
		t.Errorf("rename audit %+v", ev)
	}
	_, _, err = c.Teams.Get(ctx, hubsim.DemoOrg, "docs-writers")
	wantStatus(t, "old name", err, 404)

	// PUT: name and description are both set; no description clears it.
	got, _, err = c.Teams.Replace(ctx, hubsim.DemoOrg, "tech-writers", "writers", "")
	if err != nil || got.Name != "writers" || got.Description != "" {
		t.Errorf("put: %+v %v", got, err)
	}

	resp, err = c.Teams.Delete(ctx, hubsim.DemoOrg, "writers")
	if err != nil || resp.StatusCode != 204 {
		t.Fatalf("delete: %v", err)
	}
	if ev := e.lastAudit(); ev.Action != "org.team.delete" || ev.Data["team"] != "writers" {
		t.Errorf("audit %+v", ev)
	}
	_, err = c.Teams.Delete(ctx, hubsim.DemoOrg, "writers")
	wantStatus(t, "delete again", err, 404)
	if _, resp, _ := c.Teams.List(ctx, hubsim.DemoOrg, nil); resp.Count != omDemoTeams {
		t.Errorf("%d teams after create and delete", resp.Count)
	}
}

func TestTeamErrors(t *testing.T) {
	e := newOMEnv(t)
	ctx := context.Background()
	c := e.owner()
	before := e.auditCount()

	// Names the Hub refuses (400, with a field error).
	for _, bad := range []string{"bad name", "-dash-first", strings.Repeat("x", 31), "émigré"} {
		_, _, err := c.Teams.Create(ctx, hubsim.DemoOrg, bad, "")
		wantStatus(t, "create "+bad, err, 400)
		var ae *hubclient.APIError
		if errors.As(err, &ae) && len(ae.Fields["name"]) == 0 {
			t.Errorf("%q: no name field error in %v", bad, err)
		}
	}
	// Permissions (documented 403s).
	_, _, err := e.editor().Teams.Create(ctx, hubsim.DemoOrg, "new-team", "")
	wantStatus(t, "editor create", err, 403)
	_, _, err = e.member().Teams.Update(ctx, hubsim.DemoOrg, "platform", hubclient.TeamUpdate{Description: new("x")})
	wantStatus(t, "member patch", err, 403)
	_, _, err = e.member().Teams.Replace(ctx, hubsim.DemoOrg, "platform", "platform", "x")
	wantStatus(t, "member put", err, 403)
	_, err = e.editor().Teams.Delete(ctx, hubsim.DemoOrg, "platform")
	wantStatus(t, "editor delete", err, 403)
	readPAT, err := e.sim.GrantPAT(hubsim.DemoUser, "read", "repo:read")
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = e.client(hubsim.DemoUser, readPAT).Teams.Create(ctx, hubsim.DemoOrg, "new-team", "")
	wantStatus(t, "repo:read PAT create", err, 403)
	// The owners team stays, under its name.
	_, err = c.Teams.Delete(ctx, hubsim.DemoOrg, hubclient.OwnersTeam)
	wantStatus(t, "delete owners", err, 403)
	_, _, err = c.Teams.Update(ctx, hubsim.DemoOrg, hubclient.OwnersTeam, hubclient.TeamUpdate{Name: new("admins")})
	wantStatus(t, "rename owners", err, 403)
	if _, _, err := c.Teams.Update(ctx, hubsim.DemoOrg, hubclient.OwnersTeam, hubclient.TeamUpdate{Description: new("The admins")}); err != nil {
		t.Errorf("describe owners: %v", err)
	}
	before++
	_, _, err = c.Teams.Update(ctx, hubsim.DemoOrg, "nope", hubclient.TeamUpdate{Description: new("x")})
	wantStatus(t, "patch unknown", err, 404)
	_, _, err = c.Teams.Replace(ctx, hubsim.DemoOrg, "nope", "nope", "")
	wantStatus(t, "put unknown", err, 404)
	if e.auditCount() != before {
		t.Errorf("refusals were audited: %d new events", e.auditCount()-before)
	}

	// Duplicates are 409, ignoring case. The document lists no 409 for these
	// operations, so this client skips the contract check.
	lc := e.loose(hubsim.DemoUser, hubsim.DemoPassword)
	for _, name := range []string{"backend", "Backend"} {
		_, _, err = lc.Teams.Create(ctx, hubsim.DemoOrg, name, "")
		wantStatus(t, "create "+name, err, 409)
	}
	_, _, err = lc.Teams.Update(ctx, hubsim.DemoOrg, "frontend", hubclient.TeamUpdate{Name: new("backend")})
	wantStatus(t, "patch rename onto backend", err, 409)
	_, _, err = lc.Teams.Replace(ctx, hubsim.DemoOrg, "frontend", "BACKEND", "")
	wantStatus(t, "put rename onto backend", err, 409)
	_, _, err = lc.Teams.Update(ctx, hubsim.DemoOrg, "frontend", hubclient.TeamUpdate{Name: new("front end")})
	wantStatus(t, "patch bad name", err, 400)
	// Renaming to another case of its own name is no conflict.
	if got, _, err := lc.Teams.Update(ctx, hubsim.DemoOrg, "frontend", hubclient.TeamUpdate{Name: new("Frontend")}); err != nil || got.Name != "Frontend" {
		t.Errorf("recase: %+v %v", got, err)
	}

	// Client-side refusals send nothing.
	for name, f := range map[string]func() error{
		"create blank":  func() error { _, _, err := c.Teams.Create(ctx, hubsim.DemoOrg, "  ", ""); return err },
		"create spaced": func() error { _, _, err := c.Teams.Create(ctx, hubsim.DemoOrg, " qa", ""); return err },
		"put blank":     func() error { _, _, err := c.Teams.Replace(ctx, hubsim.DemoOrg, "platform", "", "x"); return err },
		"patch nothing": func() error {
			_, _, err := c.Teams.Update(ctx, hubsim.DemoOrg, "platform", hubclient.TeamUpdate{})
			return err
		},
		"patch blank": func() error {
			_, _, err := c.Teams.Update(ctx, hubsim.DemoOrg, "platform", hubclient.TeamUpdate{Name: new("")})
			return err
		},
		"create no org":  func() error { _, _, err := c.Teams.Create(ctx, "", "qa", ""); return err },
		"delete no team": func() error { _, err := c.Teams.Delete(ctx, hubsim.DemoOrg, ""); return err },
	} {
		e.nothingSent(name, f, func(err error) bool {
			var ve *hubclient.ValidationError
			return errors.As(err, &ve)
		})
	}
	ro := e.client(hubsim.DemoUser, hubsim.DemoPassword, hubclient.WithReadOnly())
	for name, f := range map[string]func() error{
		"create": func() error { _, _, err := ro.Teams.Create(ctx, hubsim.DemoOrg, "qa", ""); return err },
		"put": func() error {
			_, _, err := ro.Teams.Replace(ctx, hubsim.DemoOrg, "platform", "platform", "")
			return err
		},
		"patch": func() error {
			_, _, err := ro.Teams.Update(ctx, hubsim.DemoOrg, "platform", hubclient.TeamUpdate{Description: new("")})
			return err
		},
		"delete": func() error { _, err := ro.Teams.Delete(ctx, hubsim.DemoOrg, "platform"); return err },
		"add": func() error {
			_, err := ro.Teams.AddMember(ctx, hubsim.DemoOrg, "platform", hubsim.EditorUser)
			return err
		},
		"remove": func() error {
			_, err := ro.Teams.RemoveMember(ctx, hubsim.DemoOrg, "platform", hubsim.EditorUser)
			return err
		},
	} {
		e.nothingSent("read-only "+name, f, isReadOnly)
	}
	if _, _, err := ro.Teams.ListMembers(ctx, hubsim.DemoOrg, "platform", nil); err != nil {
		t.Errorf("read-only list members: %v", err)
	}
}

func omTeamMembers(t *testing.T, c *hubclient.Client, team string, opt *hubclient.TeamMemberListOptions) []hubclient.TeamMember {
	t.Helper()
	ms, _, err := c.Teams.ListMembers(context.Background(), hubsim.DemoOrg, team, opt)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func omHasUser(ms []hubclient.TeamMember, username string) bool {
	return slices.ContainsFunc(ms, func(m hubclient.TeamMember) bool { return m.Username == username })
}

func TestTeamMembers(t *testing.T) {
	e := newOMEnv(t)
	ctx := context.Background()
	c := e.owner()
	owners, resp, err := c.Teams.ListMembers(ctx, hubsim.DemoOrg, hubclient.OwnersTeam, &hubclient.TeamMemberListOptions{ListOptions: hubclient.ListOptions{PageSize: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Count != 2 || len(owners) != 1 || resp.Next == "" || owners[0].Username != hubsim.DemoUser {
		t.Fatalf("owners page 1: %+v count %d next %q", owners, resp.Count, resp.Next)
	}
	o := owners[0]
	if o.Type != hubclient.AccountTypeUser || o.ID == "" || o.Email != "demo@acme.example" || o.DateJoined.IsZero() {
		t.Errorf("owner row %+v", o)
	}
	// Members see no addresses and cannot search by them; owners can.
	ms := omTeamMembers(t, e.member(), hubclient.OwnersTeam, nil)
	if len(ms) != 2 || ms[0].Email != "" {
		t.Errorf("member's view %+v", ms)
	}
	if got := omTeamMembers(t, c, hubclient.OwnersTeam, &hubclient.TeamMemberListOptions{Search: "ops@acme"}); len(got) != 1 || got[0].Username != hubsim.TwoFactorUser {
		t.Errorf("owner search by e-mail: %+v", got)
	}
	if got := omTeamMembers(t, e.member(), hubclient.OwnersTeam, &hubclient.TeamMemberListOptions{Search: "ops@acme"}); len(got) != 0 {
		t.Errorf("member search by e-mail: %+v", got)
	}
	if got := omTeamMembers(t, e.oat(), hubclient.OwnersTeam, nil); len(got) != 2 || got[0].Email == "" {
		t.Errorf("oat view %+v", got)
	}

	// Add and remove.
	platform := omTeamMembers(t, c, "platform", nil)
	if omHasUser(platform, hubsim.EditorUser) {
		t.Fatal("erin already in platform")
	}
	resp, err = c.Teams.AddMember(ctx, hubsim.DemoOrg, "platform", hubsim.EditorUser)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("add: %v", err)
	}
	if ev := e.lastAudit(); ev.Action != "org.team.member.add" || ev.Name != hubsim.EditorUser || ev.Data["team"] != "platform" {
		t.Errorf("audit %+v", ev)
	}
	if got := omTeamMembers(t, c, "platform", nil); len(got) != len(platform)+1 || !omHasUser(got, hubsim.EditorUser) {
		t.Errorf("after add: %d members", len(got))
	}
	if erin := omMember(t, c, hubsim.EditorUser); !slices.Contains(erin.Groups, "platform") {
		t.Errorf("erin's groups %v", erin.Groups)
	}
	n := e.auditCount()
	if _, err := c.Teams.AddMember(ctx, hubsim.DemoOrg, "platform", hubsim.EditorUser); err != nil || e.auditCount() != n {
		t.Errorf("add again: %v (audit %d → %d)", err, n, e.auditCount())
	}
	resp, err = e.oat().Teams.RemoveMember(ctx, hubsim.DemoOrg, "platform", hubsim.EditorUser)
	if err != nil || resp.StatusCode != 204 {
		t.Fatalf("remove: %v", err)
	}
	if ev := e.lastAudit(); ev.Action != "org.team.member.remove" || ev.Name != hubsim.EditorUser || ev.Data["team"] != "platform" {
		t.Errorf("audit %+v", ev)
	}
	_, err = c.Teams.RemoveMember(ctx, hubsim.DemoOrg, "platform", hubsim.EditorUser)
	wantStatus(t, "remove again", err, 404)
	// By e-mail address too.
	if _, err := c.Teams.AddMember(ctx, hubsim.DemoOrg, "platform", "erin@acme.example"); err != nil || !omHasUser(omTeamMembers(t, c, "platform", nil), hubsim.EditorUser) {
		t.Errorf("add by e-mail: %v", err)
	}

	// The owners team and the owner role move together.
	if _, err := c.Teams.AddMember(ctx, hubsim.DemoOrg, hubclient.OwnersTeam, hubsim.MemberUser); err != nil {
		t.Fatal(err)
	}
	if m := omMember(t, c, hubsim.MemberUser); m.Role != hubclient.MemberRoleOwner {
		t.Errorf("max in owners is %s", m.Role)
	}
	if _, err := c.Teams.RemoveMember(ctx, hubsim.DemoOrg, hubclient.OwnersTeam, hubsim.MemberUser); err != nil {
		t.Fatal(err)
	}
	if m := omMember(t, c, hubsim.MemberUser); m.Role != hubclient.MemberRoleMember {
		t.Errorf("max out of owners is %s", m.Role)
	}
	if _, err := c.Teams.RemoveMember(ctx, hubsim.DemoOrg, hubclient.OwnersTeam, hubsim.TwoFactorUser); err != nil {
		t.Fatal(err)
	}
	_, err = c.Teams.RemoveMember(ctx, hubsim.DemoOrg, hubclient.OwnersTeam, hubsim.DemoUser)
	wantStatus(t, "last owner leaves owners", err, 403)
	if m := omMember(t, c, hubsim.DemoUser); m.Role != hubclient.MemberRoleOwner {
		t.Errorf("demo is %s", m.Role)
	}
}

func TestTeamMemberErrors(t *testing.T) {
	e := newOMEnv(t)
	ctx := context.Background()
	c := e.owner()
	before := e.auditCount()
	_, err := c.Teams.AddMember(ctx, hubsim.DemoOrg, "platform", hubsim.OutsiderUser)
	wantStatus(t, "add outsider", err, 404)
	_, err = c.Teams.AddMember(ctx, hubsim.DemoOrg, "platform", "nobody-at-all")
	wantStatus(t, "add unknown user", err, 404)
	_, err = c.Teams.AddMember(ctx, hubsim.DemoOrg, "nope", hubsim.EditorUser)
	wantStatus(t, "add to unknown team", err, 404)
	_, err = e.member().Teams.AddMember(ctx, hubsim.DemoOrg, "platform", hubsim.MemberUser)
	wantStatus(t, "member adds", err, 403)
	_, err = e.editor().Teams.RemoveMember(ctx, hubsim.DemoOrg, hubclient.OwnersTeam, hubsim.DemoUser)
	wantStatus(t, "editor removes", err, 403)
	_, _, err = c.Teams.ListMembers(ctx, hubsim.DemoOrg, "nope", nil)
	wantStatus(t, "list unknown team", err, 404)
	_, _, err = c.Teams.ListMembers(ctx, hubsim.DemoOrg, "platform", &hubclient.TeamMemberListOptions{ListOptions: hubclient.ListOptions{Page: 5}})
	wantStatus(t, "past the end", err, 404)
	if e.auditCount() != before {
		t.Errorf("refusals were audited")
	}
	e.nothingSent("add blank", func() error { _, err := c.Teams.AddMember(ctx, hubsim.DemoOrg, "platform", ""); return err }, isValidation("member"))
	e.nothingSent("remove blank", func() error { _, err := c.Teams.RemoveMember(ctx, hubsim.DemoOrg, "platform", ""); return err }, isValidation("username"))
	e.nothingSent("list no team", func() error { _, _, err := c.Teams.ListMembers(ctx, hubsim.DemoOrg, "", nil); return err }, isValidation("team"))
	e.nothingSent("list page", func() error {
		_, _, err := c.Teams.ListMembers(ctx, hubsim.DemoOrg, "platform", &hubclient.TeamMemberListOptions{ListOptions: hubclient.ListOptions{PageSize: 200}})
		return err
	}, isValidation("page_size"))
}

// TestTeamMembersBareList reads the bare JSON list older Hubs answered for
// a team's members.
func TestTeamMembersBareList(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.EscapedPath() != "/v2/orgs/acme/groups/dev-ops/members" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `[{"username":"a","full_name":"A","date_joined":"2021-01-05T21:06:53.506400Z"},{"username":"b"}]`)
	}))
	defer srv.Close()
	c, err := hubclient.New(hubclient.WithBaseURL(srv.URL), hubclient.WithToken("t"))
	if err != nil {
		t.Fatal(err)
	}
	ms, resp, err := c.Teams.ListMembers(context.Background(), "acme", "dev-ops", nil)
	if err != nil || len(ms) != 2 || resp.Count != 2 || resp.Next != "" || ms[0].DateJoined.Year() != 2021 {
		t.Errorf("%+v %v", ms, err)
	}
}
