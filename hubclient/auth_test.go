package hubclient_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
)

// coreSim is a demo-dataset simulator behind a request counter.
type coreSim struct {
	sim  *hubsim.Server
	url  string
	mu   sync.Mutex
	hits map[string]int
}

func coreStartSim(t *testing.T, opts hubsim.Options) *coreSim {
	t.Helper()
	if opts.RateLimit == 0 {
		opts.RateLimit = -1
	}
	sim, err := hubsim.New(opts)
	if err != nil {
		t.Fatalf("hubsim.New: %v", err)
	}
	cs := &coreSim{sim: sim, hits: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs.mu.Lock()
		cs.hits[r.Method+" "+r.URL.Path]++
		cs.mu.Unlock()
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { srv.Close(); sim.Close() })
	cs.url = srv.URL
	return cs
}

func (cs *coreSim) count(key string) int {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return cs.hits[key]
}

func (cs *coreSim) client(t *testing.T, opts ...hubclient.Option) *hubclient.Client {
	t.Helper()
	c, err := hubclient.New(append([]hubclient.Option{hubclient.WithBaseURL(cs.url), hubclient.WithRetryPolicy(hubclient.RetryPolicy{Max: 2, Base: time.Millisecond, Cap: 4 * time.Millisecond, MaxWait: time.Minute})}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSignInWithPassword(t *testing.T) {
	sim := coreStartSim(t, hubsim.Options{})
	c := sim.client(t, hubclient.WithCredentials(hubsim.DemoUser, hubsim.DemoPassword))
	if err := c.Auth.SignIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	if sim.count("POST /v2/users/login") != 1 || sim.count("POST /v2/auth/token") != 0 {
		t.Errorf("hits = %v, want one /v2/users/login", sim.hits)
	}
	tok, err := c.Token(context.Background())
	if err != nil || tok == "" || coreJWTExp(tok.Reveal()).IsZero() {
		t.Fatalf("Token() = %q, %v; want a JWT with exp", tok.Reveal(), err)
	}
	if c.Identifier() != hubsim.DemoUser {
		t.Errorf("Identifier() = %q", c.Identifier())
	}
	// The token is cached: no second sign-in.
	if _, err := c.Token(context.Background()); err != nil || sim.count("POST /v2/users/login") != 1 {
		t.Errorf("second Token(): %v, hits %v", err, sim.hits)
	}
	// Explicit SignIn signs in again.
	if err := c.Auth.SignIn(context.Background()); err != nil || sim.count("POST /v2/users/login") != 2 {
		t.Errorf("second SignIn: %v, hits %v", err, sim.hits)
	}
	// Direct calls.
	jwt, err := c.Auth.Login(context.Background(), hubsim.EditorUser, hubsim.EditorUser)
	if err != nil || jwt == "" {
		t.Errorf("Login(erin) = %v", err)
	}
	jwt, err = c.Auth.CreateAccessToken(context.Background(), hubsim.DemoUser, hubsim.DemoPassword)
	if err != nil || jwt == "" {
		t.Errorf("CreateAccessToken(demo, password) = %v", err)
	}
}

func TestSignInWithAccessTokens(t *testing.T) {
	sim := coreStartSim(t, hubsim.Options{})
	for _, cr := range []hubclient.Credentials{{hubsim.DemoUser, hubsim.DemoPAT}, {hubsim.DemoOrg, hubsim.DemoOAT}} {
		before := sim.count("POST /v2/auth/token")
		c := sim.client(t, hubclient.WithCredentials(cr.Identifier, cr.Secret))
		if err := c.Auth.SignIn(context.Background()); err != nil {
			t.Fatalf("%s: %v", cr.Identifier, err)
		}
		if sim.count("POST /v2/auth/token") != before+1 || sim.count("POST /v2/users/login") != 0 {
			t.Errorf("%s: hits = %v, want /v2/auth/token", cr.Identifier, sim.hits)
		}
		if tok, _ := c.Token(context.Background()); coreJWTExp(tok.Reveal()).IsZero() {
			t.Errorf("%s: token %q has no exp", cr.Identifier, tok.Reveal())
		}
	}
	// A PAT of another user is refused.
	c := sim.client(t, hubclient.WithCredentials(hubsim.EditorUser, hubsim.DemoPAT))
	err := c.Auth.SignIn(context.Background())
	var ae *hubclient.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 401 || ae.Detail != "Incorrect authentication credentials" {
		t.Errorf("PAT of another user: err = %v", err)
	}
}

func TestSignInWrongPassword(t *testing.T) {
	sim := coreStartSim(t, hubsim.Options{})
	c := sim.client(t, hubclient.WithCredentials(hubsim.DemoUser, "not-the-password"))
	err := c.Auth.SignIn(context.Background())
	var ae *hubclient.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want *hubclient.APIError", err)
	}
	if ae.StatusCode != http.StatusUnauthorized || ae.Detail != "Incorrect authentication credentials" {
		t.Errorf("hubclient.APIError = %+v", ae)
	}
	if !strings.Contains(err.Error(), "Incorrect authentication credentials") {
		t.Errorf("error %q lacks the server's words", err)
	}
	if strings.Contains(err.Error(), "not-the-password") {
		t.Errorf("error %q shows the password", err)
	}
	var tf *hubclient.TwoFactorRequiredError
	if errors.As(err, &tf) {
		t.Error("wrong password reported as a 2FA challenge")
	}
	if sim.count("POST /v2/users/login") != 1 {
		t.Errorf("hits = %v, want one attempt", sim.hits)
	}
	// Same through /v2/auth/token with a bad PAT: the server's words.
	c2 := sim.client(t, hubclient.WithCredentials(hubsim.DemoUser, "dckr_pat_nope"))
	err = c2.Auth.SignIn(context.Background())
	if !errors.As(err, &ae) || ae.StatusCode != 401 || ae.Detail != "Incorrect authentication credentials" {
		t.Errorf("bad PAT: err = %v", err)
	}
	// Token() reports the same sign-in error.
	if _, err := c.Token(context.Background()); !hubclient.IsStatus(err, 401) {
		t.Errorf("Token() with bad credentials: err = %v", err)
	}
}

func TestSignInTwoFactor(t *testing.T) {
	sim := coreStartSim(t, hubsim.Options{})
	c := sim.client(t, hubclient.WithCredentials(hubsim.TwoFactorUser, hubsim.TwoFactorPassword))
	err := c.Auth.SignIn(context.Background())
	var tf *hubclient.TwoFactorRequiredError
	if !errors.As(err, &tf) {
		t.Fatalf("err = %v, want *hubclient.TwoFactorRequiredError", err)
	}
	if tf.Token == "" || tf.Detail == "" {
		t.Fatalf("challenge = %+v", tf)
	}
	if !strings.Contains(tf.Error(), tf.Detail) || strings.Contains(tf.Error(), tf.Token.Reveal()) {
		t.Errorf("Error() = %q", tf.Error())
	}

	// Wrong code: the server's words.
	_, err = c.Auth.Login2FA(context.Background(), tf.Token, "000000x")
	var ae *hubclient.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 401 || ae.Detail != "Incorrect two-factor authentication code" {
		t.Fatalf("wrong code: err = %v", err)
	}
	// Empty code: refused before sending.
	before := sim.count("POST /v2/users/2fa-login")
	var ve *hubclient.ValidationError
	if _, err := c.Auth.Login2FA(context.Background(), tf.Token, "  "); !errors.As(err, &ve) || ve.Field != "code" {
		t.Errorf("empty code: err = %v", err)
	}
	if sim.count("POST /v2/users/2fa-login") != before {
		t.Error("an empty code was sent")
	}
	// A forged challenge.
	if _, err := c.Auth.Login2FA(context.Background(), "forged.challenge.token", "123456"); !hubclient.IsStatus(err, 401) {
		t.Errorf("forged challenge: err = %v", err)
	}

	code, err := sim.sim.TOTP(hubsim.TwoFactorSecret)
	if err != nil {
		t.Fatal(err)
	}
	jwt, err := c.Auth.Login2FA(context.Background(), tf.Token, " "+code+" ")
	if err != nil {
		t.Fatalf("Login2FA: %v", err)
	}
	if jwt == "" || coreJWTExp(jwt.Reveal()).IsZero() {
		t.Fatalf("jwt = %q", jwt.Reveal())
	}
	// A challenge signs in once.
	if _, err := c.Auth.Login2FA(context.Background(), tf.Token, code); !hubclient.IsStatus(err, 401) {
		t.Errorf("a used challenge signed in again: err = %v", err)
	}
	// The JWT is installed: no further sign-in.
	logins := sim.count("POST /v2/users/login")
	tok, err := c.Token(context.Background())
	if err != nil || tok != jwt || sim.count("POST /v2/users/login") != logins {
		t.Errorf("Token() after 2FA = %v (same: %v), logins %d → %d", err, tok == jwt, logins, sim.count("POST /v2/users/login"))
	}

	// /v2/auth/token refuses a password for a 2FA account, in its own words.
	_, err = c.Auth.CreateAccessToken(context.Background(), hubsim.TwoFactorUser, hubsim.TwoFactorPassword)
	if !errors.As(err, &ae) || ae.StatusCode != 401 || !strings.Contains(ae.Detail, "Two-factor authentication is enabled") {
		t.Errorf("CreateAccessToken for 2FA user: err = %v", err)
	}
	if errors.As(err, &tf) {
		t.Error("CreateAccessToken 401 without a challenge reported as 2FA")
	}
}

func TestSignInTwoFactorAfterChallengeExpires(t *testing.T) {
	clk := hubsim.NewFakeClock(time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC))
	sim := coreStartSim(t, hubsim.Options{Clock: clk})
	c := sim.client(t, hubclient.WithCredentials(hubsim.TwoFactorUser, hubsim.TwoFactorPassword), hubclient.WithClock(clk.Now))
	var tf *hubclient.TwoFactorRequiredError
	if err := c.Auth.SignIn(context.Background()); !errors.As(err, &tf) {
		t.Fatalf("err = %v", err)
	}
	clk.Advance(10 * time.Minute)
	code, _ := sim.sim.TOTP(hubsim.TwoFactorSecret)
	_, err := c.Auth.Login2FA(context.Background(), tf.Token, code)
	var ae *hubclient.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 401 || !strings.Contains(ae.Detail, "expired") {
		t.Errorf("stale challenge: err = %v", err)
	}
}

func TestTokenRefreshBeforeExpiry(t *testing.T) {
	clk := hubsim.NewFakeClock(time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC))
	sim := coreStartSim(t, hubsim.Options{Clock: clk, TokenTTL: 10 * time.Minute})
	for _, cr := range []hubclient.Credentials{{hubsim.DemoUser, hubsim.DemoPassword}, {hubsim.DemoUser, hubsim.DemoPAT}} {
		route := "POST /v2/users/login"
		if strings.HasPrefix(cr.Secret.Reveal(), "dckr_") {
			route = "POST /v2/auth/token"
		}
		before := sim.count(route)
		c := sim.client(t, hubclient.WithCredentials(cr.Identifier, cr.Secret), hubclient.WithClock(clk.Now))
		first, err := c.Token(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got, want := coreJWTExp(first.Reveal()), clk.Now().Add(10*time.Minute).Truncate(time.Second); !got.Equal(want) {
			t.Errorf("exp = %v, want %v", got, want)
		}
		clk.Advance(539 * time.Second) // 61 s left: still more than the margin
		if tok, _ := c.Token(context.Background()); tok != first || sim.count(route) != before+1 {
			t.Errorf("refreshed too early: hits %d", sim.count(route)-before)
		}
		clk.Advance(2 * time.Second) // 59 s left: inside the margin
		second, err := c.Token(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if second == first || sim.count(route) != before+2 {
			t.Errorf("not refreshed within the margin: same=%v sign-ins=%d", second == first, sim.count(route)-before)
		}
		if got, want := coreJWTExp(second.Reveal()), clk.Now().Add(10*time.Minute).Truncate(time.Second); !got.Equal(want) {
			t.Errorf("refreshed exp = %v, want %v", got, want)
		}
		clk.Advance(time.Hour) // long expired
		if third, err := c.Token(context.Background()); err != nil || third == second || sim.count(route) != before+3 {
			t.Errorf("not refreshed after expiry: %v", err)
		}
	}
}

func TestConcurrentSignInOnce(t *testing.T) {
	sim := coreStartSim(t, hubsim.Options{})
	c := sim.client(t, hubclient.WithCredentials(hubsim.DemoUser, hubsim.DemoPAT))
	var wg sync.WaitGroup
	toks := make([]hubclient.Secret, 16)
	for i := range toks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			toks[i], _ = c.Token(context.Background())
		}()
	}
	wg.Wait()
	for _, tok := range toks {
		if tok == "" || tok != toks[0] {
			t.Fatalf("tokens differ or empty")
		}
	}
	if n := sim.count("POST /v2/auth/token"); n != 1 {
		t.Errorf("sign-ins = %d, want 1", n)
	}
}

func TestSignInReadOnly(t *testing.T) {
	sim := coreStartSim(t, hubsim.Options{})
	c := sim.client(t, hubclient.WithCredentials(hubsim.DemoUser, hubsim.DemoPassword), hubclient.WithReadOnly())
	if err := c.Auth.SignIn(context.Background()); err != nil {
		t.Fatalf("SignIn in read-only: %v", err)
	}
	if _, err := c.Auth.CreateAccessToken(context.Background(), hubsim.DemoOrg, hubsim.DemoOAT); err != nil {
		t.Errorf("CreateAccessToken in read-only: %v", err)
	}
	c2 := sim.client(t, hubclient.WithCredentials(hubsim.TwoFactorUser, hubsim.TwoFactorPassword), hubclient.WithReadOnly())
	var tf *hubclient.TwoFactorRequiredError
	if err := c2.Auth.SignIn(context.Background()); !errors.As(err, &tf) {
		t.Fatalf("2FA SignIn: %v", err)
	}
	code, _ := sim.sim.TOTP(hubsim.TwoFactorSecret)
	if _, err := c2.Auth.Login2FA(context.Background(), tf.Token, code); err != nil {
		t.Errorf("Login2FA in read-only: %v", err)
	}
}

func TestNoCredentialsNoToken(t *testing.T) {
	c, err := hubclient.New(hubclient.WithBaseURL("http://127.0.0.1:1"))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := c.Token(context.Background())
	if err != nil || tok != "" {
		t.Errorf("Token() without credentials = %q, %v", tok.Reveal(), err)
	}
	if err := c.Auth.SignIn(context.Background()); !errors.Is(err, hubclient.ErrNoCredentials) {
		t.Errorf("SignIn without credentials = %v, want hubclient.ErrNoCredentials", err)
	}
	// SignIn must not throw away a token the client was given.
	c, _ = hubclient.New(hubclient.WithBaseURL("http://127.0.0.1:1"), hubclient.WithToken("given.jwt.token"))
	if err := c.Auth.SignIn(context.Background()); !errors.Is(err, hubclient.ErrNoCredentials) {
		t.Errorf("SignIn with only a token = %v, want hubclient.ErrNoCredentials", err)
	}
	if tok, _ := c.Token(context.Background()); tok.Reveal() != "given.jwt.token" {
		t.Errorf("token after SignIn = %q, want the given one", tok.Reveal())
	}
	// Empty secret counts as no credentials.
	c, _ = hubclient.New(hubclient.WithBaseURL("http://127.0.0.1:1"), hubclient.WithCredentials("demo", ""))
	if err := c.Auth.SignIn(context.Background()); !errors.Is(err, hubclient.ErrNoCredentials) {
		t.Errorf("SignIn with an empty secret = %v, want hubclient.ErrNoCredentials", err)
	}
}

// coreJWTExp reads a JWT's exp claim (zero when there is none).
func coreJWTExp(jwt string) time.Time {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return time.Time{}
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return time.Time{}
	}
	var c struct {
		Exp int64 `json:"exp"`
	}
	if json.Unmarshal(b, &c) != nil || c.Exp == 0 {
		return time.Time{}
	}
	return time.Unix(c.Exp, 0)
}

func TestExpiredTokenRefreshedAndReplayed(t *testing.T) {
	t0 := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	clk := hubsim.NewFakeClock(t0)
	sim := coreStartSim(t, hubsim.Options{Clock: clk, TokenTTL: 2 * time.Minute})
	// The client's clock stands still, so it does not renew on its own and
	// meets the simulator's 401.
	c := sim.client(t, hubclient.WithCredentials(hubsim.DemoUser, hubsim.DemoPassword), hubclient.WithClock(func() time.Time { return t0 }))
	if _, _, err := c.Users.Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	first, _ := c.Token(context.Background())
	clk.Advance(3 * time.Minute)
	if _, _, err := c.Users.Me(context.Background()); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if got := sim.count("GET /v2/user/"); got != 3 {
		t.Errorf("GET /v2/user/ seen %d times, want 3 (ok, 401, replay)", got)
	}
	if got := sim.count("POST /v2/users/login"); got != 2 {
		t.Errorf("sign-ins = %d, want 2", got)
	}
	if second, _ := c.Token(context.Background()); second == first {
		t.Error("token not renewed")
	}
}

func TestSignInAgainstSimFaults(t *testing.T) {
	clk := hubsim.NewFakeClock(time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC))
	sim := coreStartSim(t, hubsim.Options{Clock: clk, RateLimit: 2})
	c := sim.client(t, hubclient.WithCredentials(hubsim.DemoUser, hubsim.DemoPAT))
	for range 2 {
		if err := c.Auth.SignIn(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	err := c.Auth.SignIn(context.Background())
	var rl *hubclient.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != time.Minute || rl.Reset.IsZero() {
		t.Fatalf("over budget: err = %v", err)
	}
	if got := sim.count("POST /v2/auth/token"); got != 3 {
		t.Errorf("sign-in attempts = %d, want 3 (a POST is not retried)", got)
	}
	if r := c.Rate(); !r.Known || r.Limit != 2 || r.Remaining != 0 {
		t.Errorf("Rate() = %+v", r)
	}

	sim.sim.ResetRateLimits()
	sim.sim.SetFaults(hubsim.Faults{Truncate: 1})
	if err := c.Auth.SignIn(context.Background()); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated sign-in answer: err = %v", err)
	}
	sim.sim.SetFaults(hubsim.Faults{Status: map[int]float64{503: 1}})
	err = c.Auth.SignIn(context.Background())
	var ae *hubclient.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 503 || !strings.Contains(ae.Detail, "Simulated failure") {
		t.Errorf("503 sign-in: err = %v", err)
	}
}
