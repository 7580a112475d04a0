package hubclient_test

import (
	"context"
	"errors"
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

// apiDocument is the API document the area tests check exchanges against.
const apiDocument = "hubsim/testdata/hub-api.yaml"

// startSim starts a simulator for the life of t, on the demo dataset unless
// opts names another and without rate limits, and returns it with its base
// URL.
func startSim(t testing.TB, opts hubsim.Options) (*hubsim.Server, string) {
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
	return sim, url
}

// simEnv is a simulator with clients whose exchanges are checked against the
// API document. Exchanges with operations outside the document (image
// management, the account API, /v2/user/...) are not checked.
type simEnv struct {
	t     *testing.T
	sim   *hubsim.Server
	url   string
	v     *contract.Validator
	allow []func(error) bool // contract errors let through besides ErrUndocumented
	sent  atomic.Int64       // requests sent by every client of this env
}

// newEnv starts a simulator (see startSim) whose clients fail t on every
// contract error except ErrUndocumented ones and those one of allow accepts:
// the known deviations of an area from the document.
func newEnv(t *testing.T, opts hubsim.Options, allow ...func(error) bool) *simEnv {
	t.Helper()
	sim, url := startSim(t, opts)
	v, err := contract.Load(apiDocument)
	if err != nil {
		t.Fatal(err)
	}
	return &simEnv{t: t, sim: sim, url: url, v: v, allow: allow}
}

// checked is a transport that checks every exchange against the document and
// fails the test on the errors neither the env nor also lets through.
func (e *simEnv) checked(also func(error) bool) http.RoundTripper {
	return e.v.Transport(http.DefaultTransport, func(err error) {
		if errors.Is(err, contract.ErrUndocumented) || (also != nil && also(err)) {
			return
		}
		for _, ok := range e.allow {
			if ok(err) {
				return
			}
		}
		e.t.Error(err)
	})
}

// sentCounter counts requests before handing them on.
type sentCounter struct {
	n    *atomic.Int64
	base http.RoundTripper
}

func (c sentCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.base.RoundTrip(r)
}

// client signs in as id with secret ("" for an anonymous client); its
// exchanges are checked against the document.
func (e *simEnv) client(id, secret string, opts ...hubclient.Option) *hubclient.Client {
	e.t.Helper()
	return e.build(e.checked(nil), id, secret, opts...)
}

// loose is a client without the contract check, for provoking answers the
// document does not list for an operation (409 on a team rename, 403 on a
// bulk invite or to a token session, 400 to a PATCH...).
func (e *simEnv) loose(id, secret string, opts ...hubclient.Option) *hubclient.Client {
	e.t.Helper()
	return e.build(http.DefaultTransport, id, secret, opts...)
}

func (e *simEnv) build(tr http.RoundTripper, id, secret string, opts ...hubclient.Option) *hubclient.Client {
	e.t.Helper()
	all := []hubclient.Option{
		hubclient.WithBaseURL(e.url),
		hubclient.WithHTTPClient(&http.Client{Transport: sentCounter{&e.sent, tr}, Timeout: 10 * time.Second}),
		hubclient.WithRetryPolicy(hubclient.RetryPolicy{Max: 1, Base: time.Millisecond, Cap: time.Millisecond, MaxWait: time.Second}),
	}
	if secret != "" {
		all = append(all, hubclient.WithCredentials(id, hubclient.Secret(secret)))
	}
	c, err := hubclient.New(append(all, opts...)...)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// Clients for the demo principals.
func (e *simEnv) owner() *hubclient.Client   { return e.client(hubsim.DemoUser, hubsim.DemoPassword) }
func (e *simEnv) editor() *hubclient.Client  { return e.client(hubsim.EditorUser, hubsim.EditorUser) }
func (e *simEnv) member() *hubclient.Client  { return e.client(hubsim.MemberUser, hubsim.MemberUser) }
func (e *simEnv) oat() *hubclient.Client     { return e.client(hubsim.DemoOrg, hubsim.DemoOAT) }
func (e *simEnv) demoPAT() *hubclient.Client { return e.client(hubsim.DemoUser, hubsim.DemoPAT) }

// pat signs in as the demo owner with a new PAT holding scopes.
func (e *simEnv) pat(scopes ...string) *hubclient.Client {
	e.t.Helper()
	tok, err := e.sim.GrantPAT(hubsim.DemoUser, "test "+strings.Join(scopes, " "), scopes...)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.client(hubsim.DemoUser, tok)
}

// nothingSent runs f and fails unless check accepts its error and no
// request left any client of the env.
func (e *simEnv) nothingSent(what string, f func() error, check func(error) bool) {
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

// lastAudit is the newest audit event of the demo org, read from the
// simulator.
func (e *simEnv) lastAudit() hubsim.OrgAuditRecord {
	e.t.Helper()
	evs := e.sim.OrgAuditTail(hubsim.DemoOrg, 1)
	if len(evs) != 1 {
		e.t.Fatal("no audit events")
	}
	return evs[0]
}

// wantAudit checks the newest audit event.
func (e *simEnv) wantAudit(action, name, actor string) hubsim.OrgAuditRecord {
	e.t.Helper()
	ev := e.lastAudit()
	if ev.Action != action || ev.Name != name || !strings.HasPrefix(ev.Actor, actor) || ev.Description == "" {
		e.t.Errorf("audit: got %s %s by %q (%q), want %s %s by %s", ev.Action, ev.Name, ev.Actor, ev.Description, action, name, actor)
	}
	return ev
}

// auditCount is the number of audit events of the demo org.
func (e *simEnv) auditCount() int { return len(e.sim.OrgAuditTail(hubsim.DemoOrg, 1<<30)) }

// newestAudit returns the newest event of the demo org's log, read through
// the audit API.
func (e *simEnv) newestAudit() hubclient.AuditLog {
	e.t.Helper()
	logs, _, err := e.owner().Audit.List(context.Background(), hubsim.DemoOrg, &hubclient.AuditListOptions{ListOptions: hubclient.ListOptions{PageSize: 1}})
	if err != nil || len(logs) != 1 {
		e.t.Fatalf("newest audit event: %v (%d)", err, len(logs))
	}
	return logs[0]
}

// raw sends one request with c's bearer token (none when c is nil) straight
// to the simulator, bypassing the client's own checks, and returns the
// answer's status and body. ctype, when not empty, is the Content-Type.
func (e *simEnv) raw(c *hubclient.Client, method, path, ctype, body string) (int, string) {
	e.t.Helper()
	return e.send(http.DefaultClient, c, method, path, ctype, body)
}

// rawChecked is raw with the exchange checked against the document, except
// for problems with the request alone: raw requests break the document's
// rules on purpose to see the simulator refuse them.
func (e *simEnv) rawChecked(c *hubclient.Client, method, path, ctype, body string) (int, string) {
	e.t.Helper()
	return e.send(&http.Client{Transport: sentCounter{&e.sent, e.checked(badRequest)}}, c, method, path, ctype, body)
}

func (e *simEnv) send(hc *http.Client, c *hubclient.Client, method, path, ctype, body string) (int, string) {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.url+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if c != nil {
		tok, err := c.Token(context.Background())
		if err != nil {
			e.t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tok.Reveal())
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := hc.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// badRequest reports whether every problem of a contract error is with the
// request.
func badRequest(err error) bool {
	var ce *contract.Error
	if !errors.As(err, &ce) || len(ce.Problems) == 0 {
		return false
	}
	for _, p := range ce.Problems {
		if !strings.HasPrefix(p, "request") {
			return false
		}
	}
	return true
}

// isValidation accepts a *ValidationError naming field.
func isValidation(field string) func(error) bool {
	return func(err error) bool {
		var ve *hubclient.ValidationError
		return errors.As(err, &ve) && ve.Field == field
	}
}

func isReadOnly(err error) bool { return errors.Is(err, hubclient.ErrReadOnly) }

// wantStatus fails the test unless err is an HTTP error with status.
func wantStatus(t *testing.T, what string, err error, status int) {
	t.Helper()
	if !hubclient.IsStatus(err, status) {
		t.Errorf("%s: got %v, want HTTP %d", what, err, status)
	}
}
