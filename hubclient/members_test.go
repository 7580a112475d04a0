package hubclient_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
)

// The demo org has 40 members (owners demo and ops, editor erin among them)
// and 6 pending invites.
const (
	omDemoMembers = 40
	omDemoInvites = 6
)

func omMember(t *testing.T, c *hubclient.Client, username string) *hubclient.Member {
	t.Helper()
	ms, _, err := c.Members.List(context.Background(), hubsim.DemoOrg, &hubclient.MemberListOptions{Search: username})
	if err != nil {
		t.Fatal(err)
	}
	for i := range ms {
		if ms[i].Username == username {
			return &ms[i]
		}
	}
	return nil
}

func TestMemberList(t *testing.T) {
	e := newOMEnv(t)
	ctx := context.Background()
	c := e.owner()
	ms, resp, err := c.Members.List(ctx, hubsim.DemoOrg, &hubclient.MemberListOptions{ListOptions: hubclient.ListOptions{PageSize: 10}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Count != omDemoMembers || len(ms) != 10 {
		t.Fatalf("count %d, rows %d", resp.Count, len(ms))
	}
	if !strings.HasPrefix(resp.Next, e.url+"/v2/orgs/acme/members?") || resp.Previous != "" {
		t.Errorf("next %q previous %q", resp.Next, resp.Previous)
	}
	for _, m := range ms {
		if m.IsInvitee() || m.Type != hubclient.AccountTypeUser || m.Username == "" || m.Email == "" || m.Groups == nil {
			t.Errorf("row %+v", m)
		}
	}
	if !slices.IsSortedFunc(ms, func(a, b hubclient.Member) int { return strings.Compare(a.Username, b.Username) }) {
		t.Errorf("rows not in username order")
	}

	demo := omMember(t, c, hubsim.DemoUser)
	if demo == nil || demo.Role != hubclient.MemberRoleOwner || demo.OrgRole() != hubclient.OrgRoleOwner ||
		!slices.Contains(demo.Groups, hubclient.OwnersTeam) || demo.Email != "demo@acme.example" || demo.DateJoined.IsZero() {
		t.Errorf("demo row %+v", demo)
	}
	if erin := omMember(t, c, hubsim.EditorUser); erin == nil || erin.Role != hubclient.MemberRoleEditor {
		t.Errorf("erin row %+v", erin)
	}

	// Member rows carry the teams the Teams API reports for the user.
	for _, m := range ms[:3] {
		teams, _, err := c.Teams.List(ctx, hubsim.DemoOrg, &hubclient.TeamListOptions{Username: m.Username})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, tm := range teams {
			names = append(names, tm.Name)
		}
		slices.Sort(names)
		got := slices.Clone(m.Groups)
		slices.Sort(got)
		if !slices.Equal(names, got) {
			t.Errorf("%s: groups %v, teams API %v", m.Username, got, names)
		}
	}

	// Filters.
	owners, resp, err := c.Members.List(ctx, hubsim.DemoOrg, &hubclient.MemberListOptions{Role: hubclient.OrgRoleOwner})
	if err != nil || resp.Count != 2 {
		t.Fatalf("owners: %d, %v", resp.Count, err)
	}
	for _, m := range owners {
		if m.Role != hubclient.MemberRoleOwner {
			t.Errorf("role filter let through %+v", m)
		}
	}
	inv, resp, err := c.Members.List(ctx, hubsim.DemoOrg, &hubclient.MemberListOptions{Type: hubclient.MemberTypeInvitee})
	if err != nil || resp.Count != omDemoInvites || len(inv) != omDemoInvites {
		t.Fatalf("invitees: %d, %v", resp.Count, err)
	}
	for _, m := range inv {
		if !m.IsInvitee() || m.OrgRole() != "" || (m.Username == "" && m.Email == "") {
			t.Errorf("invitee row %+v", m)
		}
	}
	for _, o := range []*hubclient.MemberListOptions{{Type: hubclient.MemberTypeAll}, {Invites: true}} {
		_, resp, err := c.Members.List(ctx, hubsim.DemoOrg, o)
		if err != nil || resp.Count != omDemoMembers+omDemoInvites {
			t.Errorf("%+v: count %d, %v", o, resp.Count, err)
		}
	}
	found, resp, err := c.Members.List(ctx, hubsim.DemoOrg, &hubclient.MemberListOptions{Search: "ERIN@acme"})
	if err != nil || resp.Count != 1 || found[0].Username != hubsim.EditorUser {
		t.Errorf("search by e-mail: %+v, %v", found, err)
	}

	// Every page, concurrently, in order.
	all, err := hubclient.ListAll(ctx, c, func(ctx context.Context, lo hubclient.ListOptions) ([]hubclient.Member, *hubclient.Response, error) {
		lo.PageSize = 7
		return c.Members.List(ctx, hubsim.DemoOrg, &hubclient.MemberListOptions{ListOptions: lo})
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, m := range all {
		seen[m.Username] = true
	}
	if len(all) != omDemoMembers || len(seen) != omDemoMembers {
		t.Errorf("ListAll: %d rows, %d distinct", len(all), len(seen))
	}

	// Any member, the OAT (member-read) and a repo:read PAT may read.
	readPAT, err := e.sim.GrantPAT(hubsim.MemberUser, "read", "repo:read")
	if err != nil {
		t.Fatal(err)
	}
	for name, rc := range map[string]*hubclient.Client{"member": e.member(), "oat": e.oat(), "read pat": e.client(hubsim.MemberUser, readPAT)} {
		if _, resp, err := rc.Members.List(ctx, hubsim.DemoOrg, nil); err != nil || resp.Count != omDemoMembers {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestMemberListErrors(t *testing.T) {
	e := newOMEnv(t)
	ctx := context.Background()
	_, _, err := e.client(hubsim.OutsiderUser, hubsim.OutsiderUser).Members.List(ctx, hubsim.DemoOrg, nil)
	wantStatus(t, "outsider", err, 403)
	_, _, err = e.owner().Members.List(ctx, "nope", nil)
	wantStatus(t, "unknown org", err, 404)
	_, _, err = e.owner().Members.List(ctx, hubsim.DemoOrg, &hubclient.MemberListOptions{ListOptions: hubclient.ListOptions{Page: 9, PageSize: 10}})
	wantStatus(t, "past the end", err, 404)
	publicPAT, err := e.sim.GrantPAT(hubsim.DemoUser, "public", "repo:public_read")
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = e.client(hubsim.DemoUser, publicPAT).Members.List(ctx, hubsim.DemoOrg, nil)
	wantStatus(t, "public_read PAT", err, 403)

	c := e.owner()
	for name, o := range map[string]*hubclient.MemberListOptions{
		"type":      {Type: "owners"},
		"role":      {Role: "admin"},
		"page_size": {ListOptions: hubclient.ListOptions{PageSize: 500}},
		"page":      {ListOptions: hubclient.ListOptions{Page: -1}},
	} {
		e.nothingSent(name, func() error { _, _, err := c.Members.List(ctx, hubsim.DemoOrg, o); return err }, isValidation(name))
	}
	e.nothingSent("org", func() error { _, _, err := c.Members.List(ctx, "", nil); return err }, isValidation("org"))

	// The Hub's own 400 for a bad filter, bypassing the client's check.
	status, body := e.raw(c, "GET", "/v2/orgs/acme/members?role=admin", "", "")
	if status != 400 || !strings.Contains(body, `"errinfo"`) {
		t.Errorf("bad role: %d %s", status, body)
	}
}

func TestMemberExport(t *testing.T) {
	e := newOMEnv(t)
	ctx := context.Background()
	ex, resp, err := e.owner().Members.Export(ctx, hubsim.DemoOrg)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("content type %q", ct)
	}
	if !strings.HasPrefix(ex.Filename, "acme-members-") || !strings.HasSuffix(ex.Filename, ".csv") {
		t.Errorf("filename %q", ex.Filename)
	}
	if !bytes.HasPrefix(ex.Raw, []byte("Name,Username,Email,Type,Permission,Teams,Date Joined\n")) {
		t.Errorf("raw starts %q", ex.Raw[:min(80, len(ex.Raw))])
	}
	if len(ex.Rows) != omDemoMembers+omDemoInvites {
		t.Fatalf("%d rows", len(ex.Rows))
	}
	var users, invitees int
	for _, r := range ex.Rows {
		switch r.Type {
		case "User":
			users++
			if r.Username == "" || r.Email == "" || r.Permission == "" || r.DateJoined.IsZero() {
				t.Errorf("user row %+v", r)
			}
		case "Invitee":
			invitees++
			if len(r.Teams) != 0 || (r.Username == "" && r.Email == "") || r.DateJoined.IsZero() {
				t.Errorf("invitee row %+v", r)
			}
		default:
			t.Errorf("type %q", r.Type)
		}
		if r.Username == hubsim.DemoUser && (r.Permission != "Owner" || !slices.Contains(r.Teams, hubclient.OwnersTeam)) {
			t.Errorf("demo row %+v", r)
		}
		if r.Username == hubsim.EditorUser && r.Permission != "Editor" {
			t.Errorf("erin row %+v", r)
		}
	}
	if users != omDemoMembers || invitees != omDemoInvites {
		t.Errorf("users %d invitees %d", users, invitees)
	}

	// Editors and the OAT may export; members may not.
	for name, rc := range map[string]*hubclient.Client{"editor": e.editor(), "oat": e.oat()} {
		if ex, _, err := rc.Members.Export(ctx, hubsim.DemoOrg); err != nil || len(ex.Rows) != omDemoMembers+omDemoInvites {
			t.Errorf("%s: %v", name, err)
		}
	}
	_, _, err = e.member().Members.Export(ctx, hubsim.DemoOrg)
	wantStatus(t, "member export", err, 403)
	_, _, err = e.owner().Members.Export(ctx, "nope")
	wantStatus(t, "unknown org", err, 404)
	e.nothingSent("blank org", func() error { _, _, err := e.owner().Members.Export(ctx, ""); return err }, isValidation("org"))
}

func TestParseMemberCSV(t *testing.T) {
	in := "\ufeffusername,ROLE,Teams,Date Joined,Extra\n" +
		"alice,Owner,\"owners, platform\",2020-01-01 15:00:51.193355 +0000 UTC,x\n" +
		"bob,Member,,2021-02-03T04:05:06Z\n" +
		"carol,Member,,yesterday,\n"
	rows, err := hubclient.ParseMemberCSV([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows", len(rows))
	}
	if rows[0].Username != "alice" || rows[0].Permission != "Owner" || !slices.Equal(rows[0].Teams, []string{"owners", "platform"}) ||
		rows[0].DateJoined.Year() != 2020 || rows[0].DateJoined.Nanosecond() != 193355000 {
		t.Errorf("row 0 %+v", rows[0])
	}
	if rows[1].DateJoined.Year() != 2021 || rows[1].Teams != nil {
		t.Errorf("row 1 %+v", rows[1])
	}
	if !rows[2].DateJoined.IsZero() || rows[2].DateJoinedText != "yesterday" {
		t.Errorf("row 2 %+v", rows[2])
	}
	if rows, err := hubclient.ParseMemberCSV(nil); err != nil || rows != nil {
		t.Errorf("empty: %v %v", rows, err)
	}
	if _, err := hubclient.ParseMemberCSV([]byte("Name,Type\nx,User\n")); err == nil {
		t.Errorf("a CSV without Username or Email was accepted")
	}
	if _, err := hubclient.ParseMemberCSV([]byte("Username\n\"unterminated\n")); err == nil {
		t.Errorf("broken quoting was accepted")
	}
}

func TestMemberUpdateRole(t *testing.T) {
	e := newOMEnv(t)
	ctx := context.Background()
	c := e.owner()
	m, resp, err := c.Members.UpdateRole(ctx, hubsim.DemoOrg, hubsim.MemberUser, "Editor")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || m.Username != hubsim.MemberUser || m.Role != hubclient.MemberRoleEditor {
		t.Errorf("answer %+v", m)
	}
	ev := e.lastAudit()
	if ev.Action != "org.member.role.change" || ev.Name != hubsim.DemoOrg || ev.Data["member"] != hubsim.MemberUser || ev.Data["role"] != "editor" {
		t.Errorf("audit %+v", ev)
	}
	if got := omMember(t, c, hubsim.MemberUser); got == nil || got.Role != hubclient.MemberRoleEditor {
		t.Errorf("list shows %+v", got)
	}

	// Owner role and the owners team move together.
	m, _, err = c.Members.UpdateRole(ctx, hubsim.DemoOrg, hubsim.MemberUser, hubclient.OrgRoleOwner)
	if err != nil || !slices.Contains(m.Groups, hubclient.OwnersTeam) {
		t.Fatalf("promote: %+v %v", m, err)
	}
	owners, _, err := c.Teams.ListMembers(ctx, hubsim.DemoOrg, hubclient.OwnersTeam, nil)
	if err != nil || !slices.ContainsFunc(owners, func(tm hubclient.TeamMember) bool { return tm.Username == hubsim.MemberUser }) {
		t.Errorf("owners team after promotion: %v %v", owners, err)
	}
	// The OAT holds member-edit.
	m, _, err = e.oat().Members.UpdateRole(ctx, hubsim.DemoOrg, hubsim.MemberUser, hubclient.OrgRoleMember)
	if err != nil || slices.Contains(m.Groups, hubclient.OwnersTeam) || m.Role != hubclient.MemberRoleMember {
		t.Errorf("demote: %+v %v", m, err)
	}
	// Setting the same role again changes and audits nothing.
	n := e.auditCount()
	if _, _, err := c.Members.UpdateRole(ctx, hubsim.DemoOrg, hubsim.MemberUser, hubclient.OrgRoleMember); err != nil || e.auditCount() != n {
		t.Errorf("no-op role change: %v, audit %d → %d", err, n, e.auditCount())
	}
}

func TestMemberUpdateRoleErrors(t *testing.T) {
	e := newOMEnv(t)
	ctx := context.Background()
	before := e.auditCount()
	_, _, err := e.editor().Members.UpdateRole(ctx, hubsim.DemoOrg, hubsim.MemberUser, hubclient.OrgRoleEditor)
	wantStatus(t, "editor", err, 403)
	_, _, err = e.member().Members.UpdateRole(ctx, hubsim.DemoOrg, hubsim.MemberUser, hubclient.OrgRoleOwner)
	wantStatus(t, "member promoting self", err, 403)
	readPAT, err := e.sim.GrantPAT(hubsim.DemoUser, "read", "repo:read")
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = e.client(hubsim.DemoUser, readPAT).Members.UpdateRole(ctx, hubsim.DemoOrg, hubsim.MemberUser, hubclient.OrgRoleEditor)
	wantStatus(t, "repo:read PAT", err, 403)
	_, _, err = e.owner().Members.UpdateRole(ctx, hubsim.DemoOrg, hubsim.OutsiderUser, hubclient.OrgRoleEditor)
	wantStatus(t, "not a member", err, 404)
	if !strings.Contains(err.Error(), "change role of olga in acme to editor") {
		t.Errorf("no context: %v", err)
	}
	if e.auditCount() != before {
		t.Errorf("refusals were audited")
	}

	// The last owner cannot be demoted: ops first, then demo is alone.
	c := e.owner()
	if _, _, err := c.Members.UpdateRole(ctx, hubsim.DemoOrg, hubsim.TwoFactorUser, hubclient.OrgRoleMember); err != nil {
		t.Fatal(err)
	}
	_, _, err = c.Members.UpdateRole(ctx, hubsim.DemoOrg, hubsim.DemoUser, hubclient.OrgRoleEditor)
	wantStatus(t, "last owner", err, 400)
	var ae *hubclient.APIError
	if !errors.As(err, &ae) || !strings.Contains(ae.Detail, "last owner") || len(ae.Fields["role"]) == 0 {
		t.Errorf("last owner: want the Hub's words and a role field error, got %#v", ae)
	}
	if demo := omMember(t, c, hubsim.DemoUser); demo.Role != hubclient.MemberRoleOwner {
		t.Errorf("demo became %s", demo.Role)
	}
	// Staying owner is fine.
	if _, _, err := c.Members.UpdateRole(ctx, hubsim.DemoOrg, hubsim.DemoUser, hubclient.OrgRoleOwner); err != nil {
		t.Errorf("owner to owner: %v", err)
	}

	for _, bad := range []string{"", "admin", "owners"} {
		e.nothingSent("role "+bad, func() error {
			_, _, err := c.Members.UpdateRole(ctx, hubsim.DemoOrg, hubsim.MemberUser, bad)
			return err
		}, isValidation("role"))
	}
	e.nothingSent("username", func() error {
		_, _, err := c.Members.UpdateRole(ctx, hubsim.DemoOrg, "", hubclient.OrgRoleEditor)
		return err
	}, isValidation("username"))
	ro := e.client(hubsim.DemoUser, hubsim.DemoPassword, hubclient.WithReadOnly())
	e.nothingSent("read-only", func() error {
		_, _, err := ro.Members.UpdateRole(ctx, hubsim.DemoOrg, hubsim.MemberUser, hubclient.OrgRoleEditor)
		return err
	}, isReadOnly)

	// The Hub's own 400 for a role outside the enum.
	if status, body := e.raw(c, "PUT", "/v2/orgs/acme/members/max", "application/json", `{"role":"admin"}`); status != 400 || !strings.Contains(body, "role") {
		t.Errorf("role admin: %d %s", status, body)
	}
}

func TestMemberRemove(t *testing.T) {
	e := newOMEnv(t)
	ctx := context.Background()
	c := e.owner()
	const who = "bob"
	bob := omMember(t, c, who)
	if bob == nil {
		t.Fatal("bob is not in the demo org")
	}
	resp, err := c.Members.Remove(ctx, hubsim.DemoOrg, who)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 204 {
		t.Errorf("status %d", resp.StatusCode)
	}
	ev := e.lastAudit()
	if ev.Action != "org.member.remove" || ev.Data["member"] != who || ev.Name != hubsim.DemoOrg {
		t.Errorf("audit %+v", ev)
	}
	if omMember(t, c, who) != nil {
		t.Errorf("bob still listed")
	}
	for _, team := range bob.Groups {
		tms, _, err := c.Teams.ListMembers(ctx, hubsim.DemoOrg, team, &hubclient.TeamMemberListOptions{Search: who})
		if err != nil {
			t.Fatal(err)
		}
		for _, tm := range tms {
			if tm.Username == who {
				t.Errorf("bob still in team %s", team)
			}
		}
	}
	_, err = c.Members.Remove(ctx, hubsim.DemoOrg, who)
	wantStatus(t, "again", err, 404)

	// Members cannot remove others but may leave.
	_, err = e.member().Members.Remove(ctx, hubsim.DemoOrg, hubsim.EditorUser)
	wantStatus(t, "member removes editor", err, 403)
	if _, err := e.member().Members.Remove(ctx, hubsim.DemoOrg, hubsim.MemberUser); err != nil {
		t.Errorf("member leaves: %v", err)
	}

	// The last owner stays.
	if _, err := e.oat().Members.Remove(ctx, hubsim.DemoOrg, hubsim.TwoFactorUser); err != nil {
		t.Fatalf("oat removes ops: %v", err)
	}
	_, err = c.Members.Remove(ctx, hubsim.DemoOrg, hubsim.DemoUser)
	wantStatus(t, "last owner", err, 400)

	e.nothingSent("username", func() error { _, err := c.Members.Remove(ctx, hubsim.DemoOrg, " "); return err }, isValidation("username"))
	ro := e.client(hubsim.DemoUser, hubsim.DemoPassword, hubclient.WithReadOnly())
	e.nothingSent("read-only", func() error { _, err := ro.Members.Remove(ctx, hubsim.DemoOrg, hubsim.EditorUser); return err }, isReadOnly)
}
