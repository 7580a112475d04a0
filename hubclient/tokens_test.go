package hubclient_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
)

func TestPATRoundTrip(t *testing.T) {
	e := newEnv(t, hubsim.Options{})
	ctx := context.Background()
	c := e.owner()
	before := e.newestAudit()

	pg, resp, err := c.Tokens.ListPage(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if pg.Count != 4 || pg.ActiveCount != 3 || len(pg.Results) != 4 || resp.Count != 4 || resp.Next != "" {
		t.Fatalf("list: count %d active %d rows %d next %q", pg.Count, pg.ActiveCount, len(pg.Results), resp.Next)
	}
	for _, tok := range pg.Results {
		if tok.Token != "" || tok.UUID == "" || tok.TokenLabel == "" || len(tok.Scopes) == 0 || tok.CreatedAt.IsZero() || tok.ClientID != "HUB" {
			t.Errorf("listed token %+v", tok)
		}
	}

	exp := time.Now().Add(30 * 24 * time.Hour).UTC().Truncate(time.Second)
	created, resp, err := c.Tokens.Create(ctx, hubclient.CreateAccessTokenRequest{TokenLabel: "nightly export", Scopes: []string{hubclient.ScopeRepoRead}, ExpiresAt: &exp})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusCreated || !strings.HasPrefix(created.Token.Reveal(), "dckr_pat_") || !created.IsActive ||
		created.TokenLabel != "nightly export" || created.ExpiresAt == nil || !created.ExpiresAt.Equal(exp) || created.LastUsed != nil {
		t.Fatalf("created %+v (status %d)", created, resp.StatusCode)
	}
	if s := fmt.Sprintf("%v %+v", created.Token, *created); strings.Contains(s, created.Token.Reveal()) {
		t.Errorf("token value printed: %s", s)
	}

	got, _, err := c.Tokens.Get(ctx, created.UUID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Token != "" || got.UUID != created.UUID || got.TokenLabel != created.TokenLabel || got.ExpiresAt == nil || !got.ExpiresAt.Equal(exp) {
		t.Errorf("get %+v", got)
	}
	list, _, err := c.Tokens.List(ctx, &hubclient.TokenListOptions{ListOptions: hubclient.ListOptions{PageSize: 10}})
	if err != nil || len(list) != 5 || list[0].UUID != created.UUID {
		t.Fatalf("list after create: %v, %d rows", err, len(list))
	}

	// The new token signs in, and a token session may not manage tokens.
	pc := e.loose(hubsim.DemoUser, created.Token.Reveal())
	if _, _, err := pc.Tokens.List(ctx, nil); !hubclient.IsStatus(err, http.StatusForbidden) || !strings.Contains(err.Error(), "cannot manage tokens with a token") {
		t.Errorf("PAT session listing tokens: %v", err)
	}
	if _, err := pc.Tokens.Delete(ctx, created.UUID); !hubclient.IsStatus(err, http.StatusForbidden) {
		t.Errorf("PAT session deleting itself: %v", err)
	}

	label := "nightly export (old)"
	off := false
	upd, _, err := c.Tokens.Update(ctx, created.UUID, hubclient.UpdateAccessTokenRequest{TokenLabel: &label, IsActive: &off})
	if err != nil {
		t.Fatal(err)
	}
	if upd.TokenLabel != label || upd.IsActive || upd.Token != "" {
		t.Errorf("updated %+v", upd)
	}
	if err := e.loose(hubsim.DemoUser, created.Token.Reveal()).Auth.SignIn(ctx); !hubclient.IsStatus(err, http.StatusUnauthorized) {
		t.Errorf("disabled token signs in: %v", err)
	}
	pg, _, err = c.Tokens.ListPage(ctx, nil)
	if err != nil || pg.Count != 5 || pg.ActiveCount != 3 {
		t.Errorf("after disabling: %v count %d active %d", err, pg.Count, pg.ActiveCount)
	}

	resp, err = c.Tokens.Delete(ctx, created.UUID)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %v", err)
	}
	_, _, err = c.Tokens.Get(ctx, created.UUID)
	wantStatus(t, "get deleted", err, http.StatusNotFound)
	_, err = c.Tokens.Delete(ctx, created.UUID)
	wantStatus(t, "delete deleted", err, http.StatusNotFound)

	// Personal tokens are not organization business: nothing was audited.
	if after := e.newestAudit(); after.Key() != before.Key() {
		t.Errorf("PAT changes reached the org log: %+v", after)
	}
}

func TestPATErrors(t *testing.T) {
	e := newEnv(t, hubsim.Options{})
	ctx := context.Background()
	c := e.owner()
	long := strings.Repeat("x", hubclient.MaxTokenLabelLength+1)
	e.nothingSent("empty label", func() error {
		_, _, err := c.Tokens.Create(ctx, hubclient.CreateAccessTokenRequest{TokenLabel: " ", Scopes: []string{"repo:read"}})
		return err
	}, isValidation("token_label"))
	e.nothingSent("long label", func() error {
		_, _, err := c.Tokens.Create(ctx, hubclient.CreateAccessTokenRequest{TokenLabel: long, Scopes: []string{"repo:read"}})
		return err
	}, isValidation("token_label"))
	e.nothingSent("no scopes", func() error {
		_, _, err := c.Tokens.Create(ctx, hubclient.CreateAccessTokenRequest{TokenLabel: "x"})
		return err
	}, isValidation("scopes"))
	e.nothingSent("bad scope", func() error {
		_, _, err := c.Tokens.Create(ctx, hubclient.CreateAccessTokenRequest{TokenLabel: "x", Scopes: []string{"repo:read", "admin"}})
		return err
	}, isValidation("scopes"))
	e.nothingSent("empty update", func() error {
		_, _, err := c.Tokens.Update(ctx, "abc", hubclient.UpdateAccessTokenRequest{})
		return err
	}, isValidation("token_label"))
	e.nothingSent("long label update", func() error {
		_, _, err := c.Tokens.Update(ctx, "abc", hubclient.UpdateAccessTokenRequest{TokenLabel: &long})
		return err
	}, isValidation("token_label"))
	e.nothingSent("empty uuid", func() error { _, err := c.Tokens.Delete(ctx, ""); return err }, isValidation("uuid"))
	e.nothingSent("get empty uuid", func() error { _, _, err := c.Tokens.Get(ctx, ""); return err }, isValidation("uuid"))
	e.nothingSent("page size", func() error {
		_, _, err := c.Tokens.List(ctx, &hubclient.TokenListOptions{ListOptions: hubclient.ListOptions{PageSize: 101}})
		return err
	}, isValidation("page_size"))

	ro := e.client(hubsim.DemoUser, hubsim.DemoPassword, hubclient.WithReadOnly())
	on := true
	e.nothingSent("read-only create", func() error {
		_, _, err := ro.Tokens.Create(ctx, hubclient.CreateAccessTokenRequest{TokenLabel: "x", Scopes: []string{"repo:read"}})
		return err
	}, isReadOnly)
	e.nothingSent("read-only update", func() error {
		_, _, err := ro.Tokens.Update(ctx, "abc", hubclient.UpdateAccessTokenRequest{IsActive: &on})
		return err
	}, isReadOnly)
	e.nothingSent("read-only delete", func() error { _, err := ro.Tokens.Delete(ctx, "abc"); return err }, isReadOnly)
	if _, _, err := ro.Tokens.List(ctx, nil); err != nil {
		t.Errorf("read-only list: %v", err)
	}

	// The server's own checks, reached around the client's.
	past := time.Now().Add(-time.Hour)
	_, _, err := c.Tokens.Create(ctx, hubclient.CreateAccessTokenRequest{TokenLabel: "expired", Scopes: []string{"repo:read"}, ExpiresAt: &past})
	var ae *hubclient.APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadRequest || len(ae.Fields["expires_at"]) == 0 {
		t.Errorf("past expiry: %v", err)
	}
	status, body := e.raw(c, http.MethodPost, "/v2/access-tokens", "application/json", `{"token_label":"","scopes":["repo:root"]}`)
	if status != http.StatusBadRequest || !strings.Contains(body, `"token_label"`) || !strings.Contains(body, `"scopes"`) {
		t.Errorf("raw create: %d %s", status, body)
	}
	status, body = e.raw(c, http.MethodPatch, "/v2/access-tokens/nope", "application/json", `{"is_active":false}`)
	if status != http.StatusNotFound {
		t.Errorf("patch unknown: %d %s", status, body)
	}
	status, body = e.raw(c, http.MethodPatch, "/v2/access-tokens/nope", "application/json", `{}`)
	if status != http.StatusBadRequest {
		t.Errorf("empty patch: %d %s", status, body)
	}
	_, _, err = c.Tokens.Get(ctx, "00000000-0000-4000-a000-000000000000")
	wantStatus(t, "get unknown", err, http.StatusNotFound)

	// Token sessions may not manage personal access tokens.
	for _, cl := range []*hubclient.Client{e.loose(hubsim.DemoUser, hubsim.DemoPAT), e.loose(hubsim.DemoOrg, hubsim.DemoOAT)} {
		_, _, err := cl.Tokens.Create(ctx, hubclient.CreateAccessTokenRequest{TokenLabel: "x", Scopes: []string{"repo:read"}})
		wantStatus(t, "token session create", err, http.StatusForbidden)
	}
	// Another user sees none of demo's tokens.
	other := e.client(hubsim.EditorUser, hubsim.EditorUser)
	pg, _, err := other.Tokens.ListPage(ctx, nil)
	if err != nil || pg.Count != 0 {
		t.Errorf("erin's tokens: %v %+v", err, pg)
	}
	list, _, _ := c.Tokens.List(ctx, nil)
	_, _, err = other.Tokens.Get(ctx, list[0].UUID)
	wantStatus(t, "another user's token", err, http.StatusNotFound)
}

func TestPATListPaging(t *testing.T) {
	e := newEnv(t, hubsim.Options{})
	ctx := context.Background()
	c := e.owner()
	for i := range 7 {
		if _, _, err := c.Tokens.Create(ctx, hubclient.CreateAccessTokenRequest{TokenLabel: fmt.Sprintf("t%d", i), Scopes: []string{"repo:public_read"}}); err != nil {
			t.Fatal(err)
		}
	}
	rows, resp, err := c.Tokens.List(ctx, &hubclient.TokenListOptions{ListOptions: hubclient.ListOptions{Page: 2, PageSize: 4}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || resp.Count != 11 || !strings.HasPrefix(resp.Next, e.url+"/v2/access-tokens?") ||
		!strings.Contains(resp.Next, "page=3") || !strings.Contains(resp.Previous, "page=1") {
		t.Errorf("page 2: %d rows, count %d, next %q, previous %q", len(rows), resp.Count, resp.Next, resp.Previous)
	}
	all, err := hubclient.ListAll(ctx, c, func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.AccessToken, *hubclient.Response, error) {
		return c.Tokens.List(ctx, &hubclient.TokenListOptions{ListOptions: o})
	}, nil)
	if err != nil || len(all) != 11 {
		t.Fatalf("list all: %v, %d", err, len(all))
	}
	seen := map[string]bool{}
	for _, tok := range all {
		seen[tok.UUID] = true
	}
	if len(seen) != 11 {
		t.Errorf("%d distinct tokens", len(seen))
	}
	// The document lists no 404 for this list; the Hub answers one past the last page.
	_, _, err = e.loose(hubsim.DemoUser, hubsim.DemoPassword).Tokens.List(ctx, &hubclient.TokenListOptions{ListOptions: hubclient.ListOptions{Page: 9, PageSize: 4}})
	wantStatus(t, "past the last page", err, http.StatusNotFound)
}
