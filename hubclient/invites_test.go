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

func omInvites(t *testing.T, c *hubclient.Client) []hubclient.Invite {
	t.Helper()
	invs, _, err := c.Invites.List(context.Background(), hubsim.DemoOrg)
	if err != nil {
		t.Fatal(err)
	}
	return invs
}

func TestInviteList(t *testing.T) {
	e := newOMEnv(t)
	ctx := context.Background()
	invs, resp, err := e.owner().Invites.List(ctx, hubsim.DemoOrg)
	if err != nil {
		t.Fatal(err)
	}
	if len(invs) != omDemoInvites || resp.Count != omDemoInvites {
		t.Fatalf("%d invites (count %d)", len(invs), resp.Count)
	}
	for i, inv := range invs {
		if inv.ID == "" || inv.Org != hubsim.DemoOrg || inv.InviterUsername != hubsim.DemoUser || inv.Invitee == "" ||
			inv.Team == "" || inv.Role != hubclient.OrgRoleMember || inv.CreatedAt.IsZero() {
			t.Errorf("invite %+v", inv)
		}
		if i > 0 && inv.CreatedAt.After(invs[i-1].CreatedAt) {
			t.Errorf("not newest first at %d", i)
		}
	}
	if got := omInvites(t, e.oat()); len(got) != omDemoInvites {
		t.Errorf("oat sees %d", len(got))
	}
	// Only owners list invites, as the document says.
	_, _, err = e.editor().Invites.List(ctx, hubsim.DemoOrg)
	wantStatus(t, "editor", err, 403)
	_, _, err = e.member().Invites.List(ctx, hubsim.DemoOrg)
	wantStatus(t, "member", err, 403)
	_, _, err = e.owner().Invites.List(ctx, "nope")
	wantStatus(t, "unknown org", err, 404)
	e.nothingSent("org", func() error { _, _, err := e.owner().Invites.List(ctx, ""); return err }, isValidation("org"))
}

func TestInviteResendCancel(t *testing.T) {
	e := newOMEnv(t)
	ctx := context.Background()
	c := e.owner()
	inv := omInvites(t, c)[0]

	resp, err := c.Invites.Resend(ctx, inv.ID)
	if err != nil || resp.StatusCode != 204 {
		t.Fatalf("resend: %v", err)
	}
	if ev := e.lastAudit(); ev.Action != "org.invite.resend" || ev.Data["invite_id"] != inv.ID || ev.Data["invitee"] != inv.Invitee {
		t.Errorf("resend audit %+v", ev)
	}
	if n := len(omInvites(t, c)); n != omDemoInvites {
		t.Errorf("resend changed the list: %d", n)
	}

	// Editors and members may not touch invites.
	_, err = e.editor().Invites.Cancel(ctx, inv.ID)
	wantStatus(t, "editor cancel", err, 403)
	_, err = e.member().Invites.Resend(ctx, inv.ID)
	wantStatus(t, "member resend", err, 403)

	resp, err = e.oat().Invites.Cancel(ctx, inv.ID)
	if err != nil || resp.StatusCode != 204 {
		t.Fatalf("cancel: %v", err)
	}
	if ev := e.lastAudit(); ev.Action != "org.invite.cancel" || ev.Data["invite_id"] != inv.ID || !strings.Contains(ev.Actor, "access token") {
		t.Errorf("cancel audit %+v", ev)
	}
	left := omInvites(t, c)
	if len(left) != omDemoInvites-1 || slices.ContainsFunc(left, func(i hubclient.Invite) bool { return i.ID == inv.ID }) {
		t.Errorf("after cancel: %d invites", len(left))
	}
	_, err = c.Invites.Cancel(ctx, inv.ID)
	wantStatus(t, "cancel again", err, 404)
	_, err = c.Invites.Resend(ctx, inv.ID)
	wantStatus(t, "resend cancelled", err, 404)
	if err != nil && !strings.Contains(err.Error(), "resend invite "+inv.ID) {
		t.Errorf("no context: %v", err)
	}

	e.nothingSent("cancel blank", func() error { _, err := c.Invites.Cancel(ctx, ""); return err }, isValidation("id"))
	e.nothingSent("resend blank", func() error { _, err := c.Invites.Resend(ctx, " "); return err }, isValidation("id"))
	ro := e.client(hubsim.DemoUser, hubsim.DemoPassword, hubclient.WithReadOnly())
	e.nothingSent("read-only cancel", func() error { _, err := ro.Invites.Cancel(ctx, left[0].ID); return err }, isReadOnly)
	e.nothingSent("read-only resend", func() error { _, err := ro.Invites.Resend(ctx, left[0].ID); return err }, isReadOnly)
}

func omStatuses(res []hubclient.BulkInviteResult) map[string]string {
	m := map[string]string{}
	for _, r := range res {
		m[r.Invitee] = r.Status
	}
	return m
}

func TestInviteBulk(t *testing.T) {
	e := newOMEnv(t)
	ctx := context.Background()
	c := e.owner()
	pending := omInvites(t, c)[0].Invitee
	req := hubclient.BulkInviteRequest{
		Org:      hubsim.DemoOrg,
		Team:     "platform",
		Role:     hubclient.OrgRoleEditor,
		Invitees: []string{"new.person@example.com", hubsim.EditorUser, "max@acme.example", pending, hubsim.OutsiderUser},
		DryRun:   true,
	}
	want := map[string]string{
		"new.person@example.com": hubclient.InviteStatusInvited,
		hubsim.EditorUser:        hubclient.InviteStatusExistingMember,
		"max@acme.example":       hubclient.InviteStatusExistingMember,
		pending:                  hubclient.InviteStatusAlreadyInvited,
		hubsim.OutsiderUser:      hubclient.InviteStatusInvited,
	}
	before := e.auditCount()
	res, resp, err := c.Invites.Bulk(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 202 || len(res) != len(req.Invitees) {
		t.Fatalf("status %d, %d results", resp.StatusCode, len(res))
	}
	if got := omStatuses(res); !mapsEqual(got, want) {
		t.Errorf("dry run statuses %v, want %v", got, want)
	}
	for _, r := range res {
		if r.Invite != nil {
			t.Errorf("dry run created %+v", r.Invite)
		}
	}
	if n := len(omInvites(t, c)); n != omDemoInvites || e.auditCount() != before {
		t.Errorf("dry run changed things: %d invites, %d new audit events", n, e.auditCount()-before)
	}

	// For real.
	req.DryRun = false
	res, _, err = c.Invites.Bulk(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if got := omStatuses(res); !mapsEqual(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	created := 0
	for _, r := range res {
		if r.Status != hubclient.InviteStatusInvited {
			if r.Invite != nil {
				t.Errorf("%s: invite without being invited", r.Invitee)
			}
			continue
		}
		created++
		inv := r.Invite
		if inv == nil || inv.ID == "" || inv.Invitee != r.Invitee || inv.Org != hubsim.DemoOrg || inv.Team != "platform" ||
			inv.Role != hubclient.OrgRoleEditor || inv.InviterUsername != hubsim.DemoUser || inv.CreatedAt.IsZero() {
			t.Errorf("%s: invite %+v", r.Invitee, inv)
		}
	}
	if n := len(omInvites(t, c)); n != omDemoInvites+created || created != 2 {
		t.Errorf("%d invites after creating %d", n, created)
	}
	evs := e.sim.OrgAuditTail(hubsim.DemoOrg, 2)
	for _, ev := range evs {
		if ev.Action != "org.invite.create" || ev.Data["team"] != "platform" || ev.Data["role"] != "editor" {
			t.Errorf("audit %+v", ev)
		}
	}
	// Invitees now show among members as invitees.
	rows, _, err := c.Members.List(ctx, hubsim.DemoOrg, &hubclient.MemberListOptions{Type: hubclient.MemberTypeInvitee, Search: "new.person"})
	if err != nil || len(rows) != 1 || !rows[0].IsInvitee() || rows[0].Email != "new.person@example.com" {
		t.Errorf("invitee row: %+v %v", rows, err)
	}

	// Again: both are pending now. Repeats in one request count once.
	res, _, err = c.Invites.Bulk(ctx, hubclient.BulkInviteRequest{Org: hubsim.DemoOrg, Invitees: []string{hubsim.OutsiderUser, "New.Person@example.com", hubsim.OutsiderUser}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Status != hubclient.InviteStatusAlreadyInvited || res[1].Status != hubclient.InviteStatusAlreadyInvited {
		t.Errorf("second round %+v", res)
	}

	// The OAT (invite-edit) invites too; the owners team means the owner role.
	res, _, err = e.oat().Invites.Bulk(ctx, hubclient.BulkInviteRequest{Org: hubsim.DemoOrg, Team: hubclient.OwnersTeam, Invitees: []string{"boss@example.com"}})
	if err != nil || len(res) != 1 || res[0].Invite == nil || res[0].Invite.Role != hubclient.OrgRoleOwner {
		t.Errorf("oat owners invite: %+v %v", res, err)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestInviteBulkErrors(t *testing.T) {
	e := newOMEnv(t)
	ctx := context.Background()
	c := e.owner()
	ok := hubclient.BulkInviteRequest{Org: hubsim.DemoOrg, Invitees: []string{"someone@example.com"}}

	// Malformed invitees are named, and nothing is sent.
	bad := ok
	bad.Invitees = []string{"fine@example.com", "not an email", "Bad_ID!", "a@b", "olga"}
	before := e.sent.Load()
	_, _, err := c.Invites.Bulk(ctx, bad)
	var ve *hubclient.ValidationError
	if !errors.As(err, &ve) || ve.Field != "invitees" {
		t.Fatalf("got %v", err)
	}
	for _, name := range []string{`"not an email"`, `"Bad_ID!"`, `"a@b"`} {
		if !strings.Contains(ve.Reason, name) {
			t.Errorf("reason %q does not name %s", ve.Reason, name)
		}
	}
	if strings.Contains(ve.Reason, "fine@example.com") || strings.Contains(ve.Reason, `"olga"`) {
		t.Errorf("reason names good entries: %q", ve.Reason)
	}
	if e.sent.Load() != before {
		t.Errorf("sent a request")
	}
	many := ok
	for i := range 1001 {
		many.Invitees = append(many.Invitees, fmt.Sprintf("user%d@example.com", i))
	}
	lots := ok
	for i := range 25 {
		lots.Invitees = append(lots.Invitees, fmt.Sprintf("bad %d", i))
	}
	for name, tc := range map[string]struct {
		req   hubclient.BulkInviteRequest
		field string
	}{
		"none":     {hubclient.BulkInviteRequest{Org: hubsim.DemoOrg}, "invitees"},
		"too many": {many, "invitees"},
		"lots bad": {lots, "invitees"},
		"org":      {hubclient.BulkInviteRequest{Invitees: ok.Invitees}, "org"},
		"role":     {hubclient.BulkInviteRequest{Org: hubsim.DemoOrg, Role: "admin", Invitees: ok.Invitees}, "role"},
	} {
		e.nothingSent(name, func() error { _, _, err := c.Invites.Bulk(ctx, tc.req); return err }, isValidation(tc.field))
	}
	_, _, err = c.Invites.Bulk(ctx, lots)
	if errors.As(err, &ve) && !strings.Contains(ve.Reason, "and 15 more") {
		t.Errorf("long list reason %q", ve.Reason)
	}
	ro := e.client(hubsim.DemoUser, hubsim.DemoPassword, hubclient.WithReadOnly())
	e.nothingSent("read-only", func() error { _, _, err := ro.Invites.Bulk(ctx, ok); return err }, isReadOnly)
	dry := ok
	dry.DryRun = true
	e.nothingSent("read-only dry run", func() error { _, _, err := ro.Invites.Bulk(ctx, dry); return err }, isReadOnly)

	// The Hub's 400 for a team that does not exist.
	withTeam := ok
	withTeam.Team = "no-such-team"
	_, _, err = c.Invites.Bulk(ctx, withTeam)
	wantStatus(t, "unknown team", err, 400)
	var ae *hubclient.APIError
	if !errors.As(err, &ae) || len(ae.Fields["team"]) == 0 {
		t.Errorf("unknown team: want a team field error, got %v", err)
	}

	// 409 when the seats run out, for a dry run too; then it fits again.
	if err := e.sim.SetSeats(hubsim.DemoOrg, omDemoMembers+omDemoInvites); err != nil {
		t.Fatal(err)
	}
	n := e.auditCount()
	for _, req := range []hubclient.BulkInviteRequest{dry, ok} {
		_, _, err = c.Invites.Bulk(ctx, req)
		wantStatus(t, fmt.Sprintf("no seats (dry run %v)", req.DryRun), err, 409)
	}
	if e.auditCount() != n || len(omInvites(t, c)) != omDemoInvites {
		t.Errorf("a refused invite changed things")
	}
	// Statuses other than "invited" need no seat.
	if res, _, err := c.Invites.Bulk(ctx, hubclient.BulkInviteRequest{Org: hubsim.DemoOrg, Invitees: []string{hubsim.EditorUser}}); err != nil ||
		res[0].Status != hubclient.InviteStatusExistingMember {
		t.Errorf("existing member with no seats: %+v %v", res, err)
	}
	if err := e.sim.SetSeats(hubsim.DemoOrg, 0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Invites.Bulk(ctx, ok); err != nil {
		t.Errorf("with seats again: %v", err)
	}

	// Only owners (or invite-edit tokens) invite. The document lists no 403
	// for this operation, so this client skips the contract check.
	_, _, err = e.loose(hubsim.EditorUser, hubsim.EditorUser).Invites.Bulk(ctx, ok)
	wantStatus(t, "editor", err, 403)
	_, _, err = e.loose(hubsim.DemoOrg, hubsim.DemoOAT).Invites.Bulk(ctx, hubclient.BulkInviteRequest{Org: "other", Invitees: ok.Invitees})
	if err == nil {
		t.Errorf("an OAT invited to another org")
	}

	// The Hub judges invitees too: bypassing the client's check.
	status, body := e.raw(c, "POST", "/v2/invites/bulk", "application/json", `{"org":"acme","invitees":["UPPER","x@y","ok@example.org"],"dry_run":true}`)
	if status != 202 || strings.Count(body, hubclient.InviteStatusInvalid) != 2 || strings.Count(body, `"invited"`) != 1 {
		t.Errorf("server-side invitee check: %d %s", status, body)
	}
	if status, body := e.raw(c, "POST", "/v2/invites/bulk", "application/json", `{"org":"acme","invitees":[]}`); status != 400 || !strings.Contains(body, "invitees") {
		t.Errorf("no invitees: %d %s", status, body)
	}
}

// TestInviteBulkNestedAnswer reads the answer in the document's literal
// shape ({"invitees": {"invitees": [...]}}) as well as the Hub's flat one.
func TestInviteBulkNestedAnswer(t *testing.T) {
	for name, body := range map[string]string{
		"flat":   `{"invitees":[{"invitee":"a@example.com","status":"invited","invite":{"id":"1","invitee":"a@example.com","org":"acme","created_at":"2021-10-28T18:30:19.520861Z"}}]}`,
		"nested": `{"invitees":{"invitees":[{"invitee":"a@example.com","status":"invited","invite":{"id":"1","invitee":"a@example.com","org":"acme","created_at":"2021-10-28T18:30:19.520861Z"}}]}}`,
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusAccepted)
			fmt.Fprint(w, body)
		}))
		c, err := hubclient.New(hubclient.WithBaseURL(srv.URL), hubclient.WithToken("t"))
		if err != nil {
			t.Fatal(err)
		}
		res, _, err := c.Invites.Bulk(context.Background(), hubclient.BulkInviteRequest{Org: "acme", Invitees: []string{"a@example.com"}})
		srv.Close()
		if err != nil || len(res) != 1 || res[0].Invite == nil || res[0].Invite.ID != "1" || res[0].Invite.CreatedAt.Year() != 2021 {
			t.Errorf("%s: %+v %v", name, res, err)
		}
	}
}

func TestValidateInvitee(t *testing.T) {
	for _, good := range []string{"jon@docker.com", "first.last+tag@sub.example.co.uk", "olga", "max", "abcd1234", "a1",
		strings.Repeat("x", 30), "José@exämple.com"} {
		if err := hubclient.ValidateInvitee(good); err != nil {
			t.Errorf("%q: %v", good, err)
		}
	}
	for _, bad := range []string{"", " olga", "Olga", "o", strings.Repeat("x", 31), "has space", "dash-name", "under_score",
		"jon@", "@docker.com", "jon@docker", "jon@@docker.com", "Jon <jon@docker.com>", "jon@docker..com", "jon@-docker.com",
		"jon@docker.com.", "a b@docker.com", "jon@doc ker.com"} {
		err := hubclient.ValidateInvitee(bad)
		var ve *hubclient.ValidationError
		if !errors.As(err, &ve) || ve.Field != "invitee" {
			t.Errorf("%q accepted (%v)", bad, err)
		}
	}
	if got := hubclient.CheckInvitees([]string{"ok@example.com", "Bad", "fine", "x@y"}); !slices.Equal(got, []string{"Bad", "x@y"}) {
		t.Errorf("CheckInvitees = %v", got)
	}
}

func TestSplitInvitees(t *testing.T) {
	got := hubclient.SplitInvitees(" a@example.com, b@example.com;c\n\tA@example.com ,, d ;")
	want := []string{"a@example.com", "b@example.com", "c", "d"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := hubclient.SplitInvitees(" ,; \n"); len(got) != 0 {
		t.Errorf("blank: %q", got)
	}
}

func FuzzSplitInvitees(f *testing.F) {
	for _, s := range []string{"a@b.co, c;d e", "", ";;", "x\u00a0y", "Ä@ß.de, ä@ß.de"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := hubclient.SplitInvitees(s)
		seen := map[string]bool{}
		for _, v := range out {
			if v == "" || strings.ContainsAny(v, ",; \t\n\r\v\f") {
				t.Fatalf("entry %q of %q", v, s)
			}
			if seen[strings.ToLower(v)] {
				t.Fatalf("repeat %q of %q", v, s)
			}
			seen[strings.ToLower(v)] = true
			_ = hubclient.ValidateInvitee(v) // must not panic
		}
	})
}
