package hubclient_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
)

func TestOATRoundTrip(t *testing.T) {
	e := newEnv(t, hubsim.Options{})
	ctx := context.Background()
	c := e.owner()

	list, resp, err := c.OrgTokens.List(ctx, hubsim.DemoOrg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 || resp.Count != 3 || resp.Next != "" {
		t.Fatalf("list: %d rows, count %d, next %q", len(list), resp.Count, resp.Next)
	}
	for _, tok := range list {
		if tok.Token != "" || tok.ID == "" || tok.Label == "" || tok.CreatedBy != hubsim.DemoUser || !tok.IsActive || tok.Resources != nil {
			t.Errorf("listed %+v", tok)
		}
	}

	exp := time.Now().Add(90 * 24 * time.Hour).UTC().Truncate(time.Second)
	req := hubclient.CreateOrgAccessTokenRequest{Label: "auditor", Description: "reads the audit log", ExpiresAt: &exp,
		Resources: []hubclient.OrgAccessTokenResource{
			{Type: hubclient.OATResourceOrg, Path: "*", Scopes: []string{hubclient.OATScopeAuditLogRead, hubclient.OATScopeMemberRead}},
			{Type: hubclient.OATResourceRepo, Path: "acme/web", Scopes: []string{hubclient.OATScopeRepoPull}},
		}}
	created, resp, err := c.OrgTokens.Create(ctx, hubsim.DemoOrg, req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusCreated || !strings.HasPrefix(created.Token.Reveal(), "dckr_oat_") || created.Label != "auditor" ||
		!created.IsActive || created.ExpiresAt == nil || !created.ExpiresAt.Equal(exp) || created.LastUsedAt != nil || len(created.Resources) != 2 {
		t.Fatalf("created %+v", created)
	}
	ev := e.newestAudit()
	if ev.Action != "org.access_token.create" || ev.Name != hubsim.DemoOrg || ev.Actor != hubsim.DemoUser || ev.Data["label"] != "auditor" {
		t.Errorf("create audited as %+v", ev)
	}

	got, _, err := c.OrgTokens.Get(ctx, hubsim.DemoOrg, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Token != "" || got.Label != "auditor" || !slices.EqualFunc(got.Resources, req.Resources, func(a, b hubclient.OrgAccessTokenResource) bool {
		return a.Type == b.Type && a.Path == b.Path && slices.Equal(a.Scopes, b.Scopes)
	}) {
		t.Errorf("get %+v", got)
	}
	list, resp, err = c.OrgTokens.List(ctx, hubsim.DemoOrg, &hubclient.OrgTokenListOptions{ListOptions: hubclient.ListOptions{PageSize: 2}})
	if err != nil || len(list) != 2 || resp.Count != 4 || list[0].ID != created.ID || !strings.HasPrefix(resp.Next, e.url+"/v2/orgs/acme/access-tokens?") {
		t.Fatalf("list after create: %v, %d rows, count %d, next %q", err, len(list), resp.Count, resp.Next)
	}

	// The new token works for what it holds, and for nothing else.
	oc := e.client(hubsim.DemoOrg, created.Token.Reveal())
	if _, _, err := oc.Audit.List(ctx, hubsim.DemoOrg, nil); err != nil {
		t.Errorf("OAT with audit-log-read: %v", err)
	}
	_, _, err = oc.OrgTokens.List(ctx, hubsim.DemoOrg, nil)
	wantStatus(t, "OAT managing OATs", err, http.StatusForbidden)
	if got, _, _ := c.OrgTokens.Get(ctx, hubsim.DemoOrg, created.ID); got == nil || got.LastUsedAt == nil {
		t.Errorf("last_used_at not set after use: %+v", got)
	}

	label, off := "auditor (retired)", false
	upd, _, err := c.OrgTokens.Update(ctx, hubsim.DemoOrg, created.ID, hubclient.UpdateOrgAccessTokenRequest{Label: &label, IsActive: &off})
	if err != nil {
		t.Fatal(err)
	}
	if upd.Label != label || upd.IsActive || upd.Token != "" || len(upd.Resources) != 2 {
		t.Errorf("updated %+v", upd)
	}
	if ev := e.newestAudit(); ev.Action != "org.access_token.update" || ev.Data["label"] != label || ev.Data["is_active"] != "false" {
		t.Errorf("update audited as %+v", ev)
	}
	if err := e.loose(hubsim.DemoOrg, created.Token.Reveal()).Auth.SignIn(ctx); !hubclient.IsStatus(err, http.StatusUnauthorized) {
		t.Errorf("disabled OAT signs in: %v", err)
	}
	res := []hubclient.OrgAccessTokenResource{{Type: hubclient.OATResourceRepo, Path: "acme/*", Scopes: []string{hubclient.OATScopeRepoPull, hubclient.OATScopeRepoPush}}}
	upd, _, err = c.OrgTokens.Update(ctx, hubsim.DemoOrg, created.ID, hubclient.UpdateOrgAccessTokenRequest{Resources: res})
	if err != nil || len(upd.Resources) != 1 || upd.Resources[0].Path != "acme/*" {
		t.Errorf("replace resources: %v %+v", err, upd)
	}

	resp, err = c.OrgTokens.Delete(ctx, hubsim.DemoOrg, created.ID)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %v", err)
	}
	if ev := e.newestAudit(); ev.Action != "org.access_token.delete" || ev.Data["label"] != "auditor (retired)" {
		t.Errorf("delete audited as %+v", ev)
	}
	_, _, err = c.OrgTokens.Get(ctx, hubsim.DemoOrg, created.ID)
	wantStatus(t, "get deleted", err, http.StatusNotFound)
	_, err = c.OrgTokens.Delete(ctx, hubsim.DemoOrg, created.ID)
	wantStatus(t, "delete deleted", err, http.StatusNotFound)

	// Changes made with a PAT are audited with the token as actor.
	pc := e.client(hubsim.DemoUser, hubsim.DemoPAT)
	viaPAT, _, err := pc.OrgTokens.Create(ctx, hubsim.DemoOrg, hubclient.CreateOrgAccessTokenRequest{Label: "pat-made", Resources: res})
	if err != nil {
		t.Fatal(err)
	}
	if ev := e.newestAudit(); ev.Actor != `demo - access token "hubtui demo"` || ev.Data["access_token_type"] != "personal" {
		t.Errorf("PAT-made token audited as %+v", ev)
	}
	if _, err := pc.OrgTokens.Delete(ctx, hubsim.DemoOrg, viaPAT.ID); err != nil {
		t.Error(err)
	}
}

func TestOATErrors(t *testing.T) {
	e := newEnv(t, hubsim.Options{})
	ctx := context.Background()
	c := e.owner()
	ok := []hubclient.OrgAccessTokenResource{{Type: hubclient.OATResourceRepo, Path: "acme/*", Scopes: []string{"repo-pull"}}}
	create := func(cl *hubclient.Client, req hubclient.CreateOrgAccessTokenRequest) func() error {
		return func() error { _, _, err := cl.OrgTokens.Create(ctx, hubsim.DemoOrg, req); return err }
	}
	e.nothingSent("no label", create(c, hubclient.CreateOrgAccessTokenRequest{Resources: ok}), isValidation("label"))
	e.nothingSent("no resources", create(c, hubclient.CreateOrgAccessTokenRequest{Label: "x"}), isValidation("resources"))
	e.nothingSent("bad type", create(c, hubclient.CreateOrgAccessTokenRequest{Label: "x",
		Resources: []hubclient.OrgAccessTokenResource{{Type: "TYPE_TEAM", Path: "*", Scopes: []string{"team-read"}}}}), isValidation("resources[0].type"))
	e.nothingSent("repo scope on org", create(c, hubclient.CreateOrgAccessTokenRequest{Label: "x",
		Resources: []hubclient.OrgAccessTokenResource{{Type: "TYPE_ORG", Path: "*", Scopes: []string{"repo-push"}}}}), isValidation("resources[0].scopes"))
	e.nothingSent("org scope on repo", create(c, hubclient.CreateOrgAccessTokenRequest{Label: "x",
		Resources: append(ok, hubclient.OrgAccessTokenResource{Type: "TYPE_REPO", Path: "acme/web", Scopes: []string{"member-read"}})}), isValidation("resources[1].scopes"))
	e.nothingSent("no scopes", create(c, hubclient.CreateOrgAccessTokenRequest{Label: "x",
		Resources: []hubclient.OrgAccessTokenResource{{Type: "TYPE_REPO", Path: "acme/web"}}}), isValidation("resources[0].scopes"))
	e.nothingSent("bad repo path", create(c, hubclient.CreateOrgAccessTokenRequest{Label: "x",
		Resources: []hubclient.OrgAccessTokenResource{{Type: "TYPE_REPO", Path: "web", Scopes: []string{"repo-pull"}}}}), isValidation("resources[0].path"))
	e.nothingSent("empty update", func() error {
		_, _, err := c.OrgTokens.Update(ctx, hubsim.DemoOrg, "id", hubclient.UpdateOrgAccessTokenRequest{})
		return err
	}, isValidation("label"))
	e.nothingSent("empty id", func() error { _, _, err := c.OrgTokens.Get(ctx, hubsim.DemoOrg, " "); return err }, isValidation("access_token_id"))
	e.nothingSent("empty org", func() error { _, err := c.OrgTokens.Delete(ctx, "", "id"); return err }, isValidation("org_name"))
	e.nothingSent("list empty org", func() error { _, _, err := c.OrgTokens.List(ctx, "", nil); return err }, isValidation("name"))

	ro := e.client(hubsim.DemoUser, hubsim.DemoPassword, hubclient.WithReadOnly())
	on := true
	e.nothingSent("read-only create", create(ro, hubclient.CreateOrgAccessTokenRequest{Label: "x", Resources: ok}), isReadOnly)
	e.nothingSent("read-only update", func() error {
		_, _, err := ro.OrgTokens.Update(ctx, hubsim.DemoOrg, "id", hubclient.UpdateOrgAccessTokenRequest{IsActive: &on})
		return err
	}, isReadOnly)
	e.nothingSent("read-only delete", func() error { _, err := ro.OrgTokens.Delete(ctx, hubsim.DemoOrg, "id"); return err }, isReadOnly)

	// Roles and token kinds.
	for _, who := range []struct{ id, secret string }{{hubsim.EditorUser, hubsim.EditorUser}, {hubsim.MemberUser, hubsim.MemberUser},
		{hubsim.DemoOrg, hubsim.DemoOAT}, {hubsim.OutsiderUser, hubsim.OutsiderUser}} {
		cl := e.client(who.id, who.secret)
		_, _, err := cl.OrgTokens.List(ctx, hubsim.DemoOrg, nil)
		wantStatus(t, who.id+" lists", err, http.StatusForbidden)
		_, _, err = cl.OrgTokens.Create(ctx, hubsim.DemoOrg, hubclient.CreateOrgAccessTokenRequest{Label: "x", Resources: ok})
		wantStatus(t, who.id+" creates", err, http.StatusForbidden)
	}
	// An owner's read-only PAT may look but not change.
	readPAT, _, err := c.Tokens.Create(ctx, hubclient.CreateAccessTokenRequest{TokenLabel: "look", Scopes: []string{"repo:read"}})
	if err != nil {
		t.Fatal(err)
	}
	rc := e.client(hubsim.DemoUser, readPAT.Token.Reveal())
	list, _, err := rc.OrgTokens.List(ctx, hubsim.DemoOrg, nil)
	if err != nil || len(list) != 3 {
		t.Errorf("read PAT lists: %v", err)
	}
	_, _, err = rc.OrgTokens.Create(ctx, hubsim.DemoOrg, hubclient.CreateOrgAccessTokenRequest{Label: "x", Resources: ok})
	wantStatus(t, "read PAT creates", err, http.StatusForbidden)
	_, err = rc.OrgTokens.Delete(ctx, hubsim.DemoOrg, list[0].ID)
	wantStatus(t, "read PAT deletes", err, http.StatusForbidden)

	_, _, err = c.OrgTokens.List(ctx, "no-such-org", nil)
	wantStatus(t, "unknown org", err, http.StatusNotFound)
	_, _, err = c.OrgTokens.Get(ctx, hubsim.DemoOrg, "no-such-token")
	wantStatus(t, "unknown token", err, http.StatusNotFound)

	// The server's own checks: a repository that does not exist, a path
	// outside the org, an expiry in the past.
	past := time.Now().Add(-time.Minute)
	_, _, err = c.OrgTokens.Create(ctx, hubsim.DemoOrg, hubclient.CreateOrgAccessTokenRequest{Label: "x", ExpiresAt: &past,
		Resources: []hubclient.OrgAccessTokenResource{{Type: "TYPE_REPO", Path: "acme/no-such-repo", Scopes: []string{"repo-pull"}},
			{Type: "TYPE_REPO", Path: "other/*", Scopes: []string{"repo-pull"}}}})
	var ae *hubclient.APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadRequest || len(ae.Fields["resources[0].path"]) == 0 ||
		len(ae.Fields["resources[1].path"]) == 0 || len(ae.Fields["expires_at"]) == 0 {
		t.Errorf("server-side validation: %v", err)
	}
	// PATCH answers 400 too, which the document does not list.
	bad := []hubclient.OrgAccessTokenResource{{Type: "TYPE_REPO", Path: "acme/no-such-repo", Scopes: []string{"repo-pull"}}}
	_, _, err = e.loose(hubsim.DemoUser, hubsim.DemoPassword).OrgTokens.Update(ctx, hubsim.DemoOrg, list[0].ID, hubclient.UpdateOrgAccessTokenRequest{Resources: bad})
	wantStatus(t, "patch to a missing repository", err, http.StatusBadRequest)
	status, body := e.raw(c, http.MethodPost, "/v2/orgs/acme/access-tokens", "application/json", `{"label":"x","resources":[{"type":"TYPE_ORG","path":"*","scopes":["everything"]}]}`)
	if status != http.StatusBadRequest || !strings.Contains(body, "resources[0].scopes") {
		t.Errorf("raw create: %d %s", status, body)
	}
}
