package hubclient_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/hubclient/hubsim/contract"
)

// ptEnv is a hubsim for the token, audit, account and SCIM tests, with
// clients whose exchanges are checked against the API document.
type ptEnv struct {
	t    *testing.T
	sim  *hubsim.Server
	url  string
	v    *contract.Validator
	sent atomic.Int64
}

func ptStart(t *testing.T, opts hubsim.Options) *ptEnv {
	t.Helper()
	if opts.Dataset == "" {
		opts.Dataset = "demo"
	}
	opts.RateLimit = -1
	sim, err := hubsim.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	v, err := contract.Load("hubsim/testdata/hub-api.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return &ptEnv{t: t, sim: sim, url: url, v: v}
}

// ptCount counts requests before handing them on.
type ptCount struct {
	n    *atomic.Int64
	base http.RoundTripper
}

func (c ptCount) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.base.RoundTrip(r)
}

// client signs in as id/secret; exchanges with documented operations are
// checked against the document.
func (e *ptEnv) client(id, secret string, opts ...hubclient.Option) *hubclient.Client {
	e.t.Helper()
	t := e.t
	tr := e.v.Transport(http.DefaultTransport, func(err error) {
		if !errors.Is(err, contract.ErrUndocumented) {
			t.Error(err)
		}
	})
	return e.build(tr, id, secret, opts...)
}

// loose is a client without the contract check, for answers the document
// does not list for an operation (403 to a token session, 400 to a PATCH).
func (e *ptEnv) loose(id, secret string, opts ...hubclient.Option) *hubclient.Client {
	e.t.Helper()
	return e.build(http.DefaultTransport, id, secret, opts...)
}

func (e *ptEnv) build(tr http.RoundTripper, id, secret string, opts ...hubclient.Option) *hubclient.Client {
	e.t.Helper()
	all := append([]hubclient.Option{
		hubclient.WithBaseURL(e.url),
		hubclient.WithCredentials(id, hubclient.Secret(secret)),
		hubclient.WithHTTPClient(&http.Client{Transport: ptCount{&e.sent, tr}, Timeout: 10 * time.Second}),
		hubclient.WithRetryPolicy(hubclient.RetryPolicy{Max: 1, Base: time.Millisecond, Cap: time.Millisecond, MaxWait: time.Second}),
	}, opts...)
	c, err := hubclient.New(all...)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *ptEnv) owner() *hubclient.Client { return e.client(hubsim.DemoUser, hubsim.DemoPassword) }

// refused runs f and fails unless it returns an error that check accepts
// without sending anything.
func (e *ptEnv) refused(what string, f func() error, check func(error) bool) {
	e.t.Helper()
	before := e.sent.Load()
	err := f()
	if !check(err) {
		e.t.Errorf("%s: unexpected error %v", what, err)
	}
	if n := e.sent.Load() - before; n != 0 {
		e.t.Errorf("%s: sent %d requests, want none", what, n)
	}
}

// newestAudit returns the newest event of the demo org's log.
func (e *ptEnv) newestAudit() hubclient.AuditLog {
	e.t.Helper()
	logs, _, err := e.owner().Audit.List(context.Background(), hubsim.DemoOrg, &hubclient.AuditListOptions{ListOptions: hubclient.ListOptions{PageSize: 1}})
	if err != nil || len(logs) != 1 {
		e.t.Fatalf("newest audit event: %v (%d)", err, len(logs))
	}
	return logs[0]
}

// raw sends one request with a bearer token straight to the simulator.
func (e *ptEnv) raw(c *hubclient.Client, method, path, ctype, body string) (int, string) {
	e.t.Helper()
	tok, err := c.Token(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.url+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok.Reveal())
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func ptValidation(field string) func(error) bool {
	return func(err error) bool {
		var ve *hubclient.ValidationError
		return errors.As(err, &ve) && ve.Field == field
	}
}

func ptReadOnly(err error) bool { return errors.Is(err, hubclient.ErrReadOnly) }

func ptStatus(t *testing.T, what string, err error, status int) {
	t.Helper()
	if !hubclient.IsStatus(err, status) {
		t.Errorf("%s: got %v, want HTTP %d", what, err, status)
	}
}

func TestPATRoundTrip(t *testing.T) {
	e := ptStart(t, hubsim.Options{})
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
	ptStatus(t, "get deleted", err, http.StatusNotFound)
	_, err = c.Tokens.Delete(ctx, created.UUID)
	ptStatus(t, "delete deleted", err, http.StatusNotFound)

	// Personal tokens are not organization business: nothing was audited.
	if after := e.newestAudit(); after.Key() != before.Key() {
		t.Errorf("PAT changes reached the org log: %+v", after)
	}
}

func TestPATErrors(t *testing.T) {
	e := ptStart(t, hubsim.Options{})
	ctx := context.Background()
	c := e.owner()
	long := strings.Repeat("x", hubclient.MaxTokenLabelLength+1)
	e.refused("empty label", func() error {
		_, _, err := c.Tokens.Create(ctx, hubclient.CreateAccessTokenRequest{TokenLabel: " ", Scopes: []string{"repo:read"}})
		return err
	}, ptValidation("token_label"))
	e.refused("long label", func() error {
		_, _, err := c.Tokens.Create(ctx, hubclient.CreateAccessTokenRequest{TokenLabel: long, Scopes: []string{"repo:read"}})
		return err
	}, ptValidation("token_label"))
	e.refused("no scopes", func() error {
		_, _, err := c.Tokens.Create(ctx, hubclient.CreateAccessTokenRequest{TokenLabel: "x"})
		return err
	}, ptValidation("scopes"))
	e.refused("bad scope", func() error {
		_, _, err := c.Tokens.Create(ctx, hubclient.CreateAccessTokenRequest{TokenLabel: "x", Scopes: []string{"repo:read", "admin"}})
		return err
	}, ptValidation("scopes"))
	e.refused("empty update", func() error {
		_, _, err := c.Tokens.Update(ctx, "abc", hubclient.UpdateAccessTokenRequest{})
		return err
	}, ptValidation("token_label"))
	e.refused("long label update", func() error {
		_, _, err := c.Tokens.Update(ctx, "abc", hubclient.UpdateAccessTokenRequest{TokenLabel: &long})
		return err
	}, ptValidation("token_label"))
	e.refused("empty uuid", func() error { _, err := c.Tokens.Delete(ctx, ""); return err }, ptValidation("uuid"))
	e.refused("get empty uuid", func() error { _, _, err := c.Tokens.Get(ctx, ""); return err }, ptValidation("uuid"))
	e.refused("page size", func() error {
		_, _, err := c.Tokens.List(ctx, &hubclient.TokenListOptions{ListOptions: hubclient.ListOptions{PageSize: 101}})
		return err
	}, ptValidation("page_size"))

	ro := e.client(hubsim.DemoUser, hubsim.DemoPassword, hubclient.WithReadOnly())
	on := true
	e.refused("read-only create", func() error {
		_, _, err := ro.Tokens.Create(ctx, hubclient.CreateAccessTokenRequest{TokenLabel: "x", Scopes: []string{"repo:read"}})
		return err
	}, ptReadOnly)
	e.refused("read-only update", func() error {
		_, _, err := ro.Tokens.Update(ctx, "abc", hubclient.UpdateAccessTokenRequest{IsActive: &on})
		return err
	}, ptReadOnly)
	e.refused("read-only delete", func() error { _, err := ro.Tokens.Delete(ctx, "abc"); return err }, ptReadOnly)
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
	ptStatus(t, "get unknown", err, http.StatusNotFound)

	// Token sessions may not manage personal access tokens.
	for _, cl := range []*hubclient.Client{e.loose(hubsim.DemoUser, hubsim.DemoPAT), e.loose(hubsim.DemoOrg, hubsim.DemoOAT)} {
		_, _, err := cl.Tokens.Create(ctx, hubclient.CreateAccessTokenRequest{TokenLabel: "x", Scopes: []string{"repo:read"}})
		ptStatus(t, "token session create", err, http.StatusForbidden)
	}
	// Another user sees none of demo's tokens.
	other := e.client(hubsim.EditorUser, hubsim.EditorUser)
	pg, _, err := other.Tokens.ListPage(ctx, nil)
	if err != nil || pg.Count != 0 {
		t.Errorf("erin's tokens: %v %+v", err, pg)
	}
	list, _, _ := c.Tokens.List(ctx, nil)
	_, _, err = other.Tokens.Get(ctx, list[0].UUID)
	ptStatus(t, "another user's token", err, http.StatusNotFound)
}

func TestPATListPaging(t *testing.T) {
	e := ptStart(t, hubsim.Options{})
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
	ptStatus(t, "past the last page", err, http.StatusNotFound)
}
