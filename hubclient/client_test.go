package hubclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"
)

// coreFastRetry is a retry policy that keeps tests quick.
func coreFastRetry() RetryPolicy {
	return RetryPolicy{Max: 3, Base: time.Millisecond, Cap: 4 * time.Millisecond, MaxWait: 90 * time.Second}
}

// coreServer serves h over loopback and counts the requests it sees.
type coreServer struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int // "METHOD /path" → count
}

func coreServe(t *testing.T, h http.HandlerFunc) *coreServer {
	t.Helper()
	cs := &coreServer{hits: map[string]int{}}
	cs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs.mu.Lock()
		cs.hits[r.Method+" "+r.URL.Path]++
		cs.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(cs.Close)
	return cs
}

func (cs *coreServer) count(key string) int {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return cs.hits[key]
}

func (cs *coreServer) total() int {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	n := 0
	for _, v := range cs.hits {
		n += v
	}
	return n
}

// coreClient builds a client for base with a fast retry policy, fresh
// connections per request (so the transport never replays on its own) and
// no real sleeping unless the test asks for it.
func coreClient(t *testing.T, base string, opts ...Option) *Client {
	t.Helper()
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	all := append([]Option{WithBaseURL(base), WithHTTPClient(hc), WithRetryPolicy(coreFastRetry())}, opts...)
	c, err := New(all...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func coreWriteJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func TestNewBaseURLValidation(t *testing.T) {
	for _, tc := range []struct {
		url     string
		wantErr error // nil: accepted
		anyErr  bool
	}{
		{url: "https://hub.docker.com"},
		{url: "https://hub.example.com:8443/prefix/"},
		{url: "http://127.0.0.1:8080"},
		{url: "http://127.3.4.5"},
		{url: "http://localhost:1234"},
		{url: "http://[::1]:9000"},
		{url: "http://hub.docker.com", wantErr: ErrInsecureURL},
		{url: "http://10.0.0.1:80", wantErr: ErrInsecureURL},
		{url: "http://localhost.evil.example", wantErr: ErrInsecureURL},
		{url: "http://127.0.0.1.nip.io", wantErr: ErrInsecureURL},
		{url: "ftp://hub.docker.com", anyErr: true},
		{url: "hub.docker.com", anyErr: true},
		{url: "://bad", anyErr: true},
	} {
		c, err := New(WithBaseURL(tc.url))
		switch {
		case tc.wantErr != nil:
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("%s: err = %v, want %v", tc.url, err, tc.wantErr)
			}
		case tc.anyErr:
			if err == nil {
				t.Errorf("%s: accepted, want an error", tc.url)
			}
		default:
			if err != nil {
				t.Errorf("%s: %v", tc.url, err)
				continue
			}
			if got, want := c.BaseURL(), strings.TrimRight(tc.url, "/"); got != want {
				t.Errorf("BaseURL() = %q, want %q", got, want)
			}
		}
	}
	c, err := New()
	if err != nil || c.BaseURL() != DefaultBaseURL {
		t.Fatalf("New() = %v, %v; want base %s", c, err, DefaultBaseURL)
	}
	var ve *ValidationError
	if _, err := New(WithConcurrency(0)); !errors.As(err, &ve) || ve.Field != "concurrency" {
		t.Errorf("WithConcurrency(0): err = %v, want ValidationError on concurrency", err)
	}
}

func TestUserAgentAndAccept(t *testing.T) {
	var mu sync.Mutex
	var uas []string
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		uas = append(uas, r.Header.Get("User-Agent")+"|"+r.Header.Get("Accept"))
		mu.Unlock()
		if r.URL.Path == "/v2/auth/token" {
			coreWriteJSON(w, 200, `{"access_token":"tok"}`)
			return
		}
		coreWriteJSON(w, 200, `{}`)
	})
	c := coreClient(t, cs.URL, WithCredentials("demo", "dckr_pat_x"))
	if _, err := c.do(context.Background(), request{method: "GET", path: "/v2/x"}, nil); err != nil {
		t.Fatal(err)
	}
	want := "hubtui/" + Version + "|application/json"
	if len(uas) != 2 {
		t.Fatalf("requests = %v, want sign-in then GET", uas)
	}
	for _, ua := range uas {
		if ua != want {
			t.Errorf("User-Agent|Accept = %q, want %q", ua, want)
		}
	}
}

func TestPathEscapesSegments(t *testing.T) {
	var got string
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.EscapedPath() + "?" + r.URL.RawQuery
		coreWriteJSON(w, 200, `{}`)
	})
	c := coreClient(t, cs.URL)
	p := path("/v2/orgs/%s/members/%s", "ac me", "a?b#c")
	if _, err := c.do(context.Background(), request{method: "GET", path: p, query: ListOptions{}.values()}, nil); err != nil {
		t.Fatal(err)
	}
	if want := "/v2/orgs/ac%20me/members/a%3Fb%23c?page=1&page_size=100"; got != want {
		t.Errorf("server saw %q, want %q", got, want)
	}
	// An argument that escapes into another path is refused, not escaped.
	for _, arg := range []string{"a/b", "../..", "%2e%2e", "a\\b", "%2F", "a\nb"} {
		got = ""
		var ve *ValidationError
		if _, err := c.do(context.Background(), request{method: "GET", path: path("/v2/orgs/%s/members", arg)}, nil); !errors.As(err, &ve) || got != "" {
			t.Errorf("%q: err = %v, server saw %q", arg, err, got)
		}
	}
	if _, err := c.do(context.Background(), request{method: "GET", path: "/v2/x?y=1"}, nil); err == nil {
		t.Error("a path carrying a query was accepted")
	}
}

func TestGETRetriedOn5xx(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504} {
		var n atomic.Int32
		cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) <= 2 {
				coreWriteJSON(w, status, `{"detail":"try again"}`)
				return
			}
			coreWriteJSON(w, 200, `{"name":"ok"}`)
		})
		c := coreClient(t, cs.URL)
		var out struct{ Name string }
		if _, err := c.do(context.Background(), request{method: "GET", path: "/v2/x"}, &out); err != nil {
			t.Fatalf("%d: %v", status, err)
		}
		if out.Name != "ok" || cs.count("GET /v2/x") != 3 {
			t.Errorf("%d: out=%+v requests=%d, want ok after 3", status, out, cs.count("GET /v2/x"))
		}
	}
}

func TestGETGivesUpAfterPolicy(t *testing.T) {
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Txn-Id", "txn-42")
		coreWriteJSON(w, 503, `{"detail":"Service Unavailable","message":"down for maintenance"}`)
	})
	c := coreClient(t, cs.URL)
	_, err := c.do(context.Background(), request{method: "GET", path: "/v2/x"}, nil)
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want *APIError", err)
	}
	if ae.StatusCode != 503 || ae.Detail != "Service Unavailable" || ae.Message != "down for maintenance" || ae.TxnID != "txn-42" {
		t.Errorf("APIError = %+v", ae)
	}
	if ae.Method != "GET" || ae.URL != "/v2/x" {
		t.Errorf("APIError method/url = %s %s", ae.Method, ae.URL)
	}
	if got, want := cs.count("GET /v2/x"), coreFastRetry().Max+1; got != want {
		t.Errorf("requests = %d, want %d", got, want)
	}
	if !strings.Contains(err.Error(), "down for maintenance") {
		t.Errorf("error %q lacks the server's words", err)
	}
}

func TestNoRetryOn4xx(t *testing.T) {
	for _, status := range []int{400, 403, 404, 409} {
		cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
			coreWriteJSON(w, status, `{"detail":"nope"}`)
		})
		c := coreClient(t, cs.URL)
		_, err := c.do(context.Background(), request{method: "GET", path: "/v2/x"}, nil)
		if !IsStatus(err, status) || cs.total() != 1 {
			t.Errorf("%d: err=%v requests=%d, want one request and the status", status, err, cs.total())
		}
	}
}

func TestWithSleepWaitsThroughTheGivenFunction(t *testing.T) {
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		coreWriteJSON(w, 503, `{}`)
	})
	var mu sync.Mutex
	var slept time.Duration
	c := coreClient(t, cs.URL, WithRetryPolicy(RetryPolicy{Max: 2, Base: time.Hour, Cap: time.Hour}),
		WithSleep(func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			slept += d
			mu.Unlock()
			return ctx.Err()
		}))
	start := time.Now()
	if _, err := c.do(context.Background(), request{method: "GET", path: "/v2/x"}, nil); !IsStatus(err, 503) {
		t.Fatalf("err = %v", err)
	}
	if cs.total() != 3 || slept < time.Hour || time.Since(start) > 10*time.Second {
		t.Fatalf("requests=%d slept=%v in %v: want 3 requests, an hour of waits through the function and no real one", cs.total(), slept, time.Since(start))
	}
	if _, err := New(WithSleep(nil)); err == nil {
		t.Fatal("a nil sleep was accepted")
	}
}

func TestBackoffBetweenRetries(t *testing.T) {
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		coreWriteJSON(w, 500, `{}`)
	})
	c := coreClient(t, cs.URL, WithRetryPolicy(RetryPolicy{Max: 3, Base: 10 * time.Millisecond, Cap: 15 * time.Millisecond}))
	var mu sync.Mutex
	var waits []time.Duration
	c.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		return nil
	}
	if _, err := c.do(context.Background(), request{method: "GET", path: "/v2/x"}, nil); !IsStatus(err, 500) {
		t.Fatalf("err = %v", err)
	}
	if len(waits) != 3 {
		t.Fatalf("waits = %v, want 3", waits)
	}
	// attempt 0: 10ms → [5ms,10ms); attempt 1: 20ms capped at 15ms → [7.5ms,15ms); attempt 2: same.
	bounds := [][2]time.Duration{{5 * time.Millisecond, 10 * time.Millisecond}, {7500 * time.Microsecond, 15 * time.Millisecond}, {7500 * time.Microsecond, 15 * time.Millisecond}}
	for i, w := range waits {
		if w < bounds[i][0] || w >= bounds[i][1] {
			t.Errorf("wait %d = %v, want in [%v,%v)", i, w, bounds[i][0], bounds[i][1])
		}
	}
	// Real sleeping: the retries must actually wait.
	c2 := coreClient(t, cs.URL, WithRetryPolicy(RetryPolicy{Max: 2, Base: 20 * time.Millisecond, Cap: time.Second}))
	start := time.Now()
	_, _ = c2.do(context.Background(), request{method: "GET", path: "/v2/x"}, nil)
	if el := time.Since(start); el < 30*time.Millisecond {
		t.Errorf("two retries took %v, want at least 30ms of backoff", el)
	}
}

func TestBackoffFunction(t *testing.T) {
	for _, p := range []RetryPolicy{
		{Base: 100 * time.Millisecond, Cap: time.Second},
		{Base: 3 * time.Millisecond, Cap: 8 * time.Second},
		{Base: 250 * time.Millisecond, Cap: 8 * time.Second},
		{Base: 7 * time.Second, Cap: time.Hour},
	} {
		want := p.Base
		for attempt := range 130 {
			if attempt > 0 {
				want = min(2*want, p.Cap)
			}
			d := backoff(p, attempt)
			if d < want/2 || d > want {
				t.Errorf("%+v: backoff(%d) = %v, want in [%v,%v]", p, attempt, d, want/2, want)
			}
		}
	}
	if d := backoff(RetryPolicy{}, 3); d != 0 {
		t.Errorf("zero policy backoff = %v", d)
	}
}

func TestGETRetriedOnConnectionReset(t *testing.T) {
	var n atomic.Int32
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 2 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		coreWriteJSON(w, 200, `{"name":"ok"}`)
	})
	c := coreClient(t, cs.URL)
	var out struct{ Name string }
	if _, err := c.do(context.Background(), request{method: "GET", path: "/v2/x"}, &out); err != nil {
		t.Fatal(err)
	}
	if out.Name != "ok" || cs.count("GET /v2/x") != 3 {
		t.Errorf("out=%+v requests=%d, want ok after 3", out, cs.count("GET /v2/x"))
	}

	// Always reset: gives up after the policy with a network error.
	n.Store(-100)
	cs2 := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		_ = conn.Close()
	})
	c2 := coreClient(t, cs2.URL)
	_, err := c2.do(context.Background(), request{method: "GET", path: "/v2/x"}, nil)
	var ae *APIError
	if err == nil || errors.As(err, &ae) {
		t.Fatalf("err = %v, want a network error", err)
	}
	if got, want := cs2.total(), coreFastRetry().Max+1; got != want {
		t.Errorf("requests = %d, want %d", got, want)
	}

	// POST is not retried on a reset.
	cs3 := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		_ = conn.Close()
	})
	c3 := coreClient(t, cs3.URL)
	if _, err := c3.do(context.Background(), request{method: "POST", path: "/v2/x", body: map[string]int{"a": 1}}, nil); err == nil {
		t.Fatal("POST on a reset connection succeeded")
	}
	if cs3.total() != 1 {
		t.Errorf("POST requests = %d, want 1", cs3.total())
	}
}

func TestMutationsNotRetriedOn5xx(t *testing.T) {
	for _, method := range []string{"POST", "PATCH"} {
		for _, status := range []int{500, 502, 503} {
			cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
				coreWriteJSON(w, status, `{"detail":"boom"}`)
			})
			c := coreClient(t, cs.URL)
			_, err := c.do(context.Background(), request{method: method, path: "/v2/x", body: map[string]string{"k": "v"}}, nil)
			if !IsStatus(err, status) {
				t.Errorf("%s %d: err = %v", method, status, err)
			}
			if cs.total() != 1 {
				t.Errorf("%s %d: server saw %d requests, want exactly 1", method, status, cs.total())
			}
		}
	}
	// PUT and DELETE are idempotent and are retried.
	for _, method := range []string{"PUT", "DELETE"} {
		cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) { coreWriteJSON(w, 503, `{}`) })
		c := coreClient(t, cs.URL)
		_, _ = c.do(context.Background(), request{method: method, path: "/v2/x"}, nil)
		if got, want := cs.total(), coreFastRetry().Max+1; got != want {
			t.Errorf("%s: requests = %d, want %d", method, got, want)
		}
	}
}

func TestRequestBody(t *testing.T) {
	var gotCT, gotBody string
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotCT, gotBody = r.Header.Get("Content-Type"), string(b)
		w.WriteHeader(http.StatusNoContent)
	})
	c := coreClient(t, cs.URL)
	var out struct{ X int }
	if _, err := c.do(context.Background(), request{method: "PATCH", path: "/v2/x", body: map[string]string{"role": "editor"}}, &out); err != nil {
		t.Fatal(err)
	}
	if gotCT != "application/json" || gotBody != `{"role":"editor"}` {
		t.Errorf("server saw %q %q", gotCT, gotBody)
	}
	if _, err := c.do(context.Background(), request{method: "POST", path: "/v2/x", raw: []byte("a,b"), ctype: "text/csv"}, nil); err != nil {
		t.Fatal(err)
	}
	if gotCT != "text/csv" || gotBody != "a,b" {
		t.Errorf("server saw %q %q", gotCT, gotBody)
	}
	if _, err := c.do(context.Background(), request{method: "POST", path: "/v2/x", body: make(chan int)}, nil); err == nil || cs.total() != 2 {
		t.Errorf("unencodable body: err=%v requests=%d", err, cs.total())
	}
}

func TestBadJSONAnswer(t *testing.T) {
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) { coreWriteJSON(w, 200, `{"name":`) })
	c := coreClient(t, cs.URL)
	var out struct{ Name string }
	_, err := c.do(context.Background(), request{method: "GET", path: "/v2/x"}, &out)
	if err == nil || !strings.Contains(err.Error(), "decode answer") {
		t.Errorf("err = %v, want a decode error", err)
	}
}

func TestRateLimitGETWaitsAndSucceeds(t *testing.T) {
	var n atomic.Int32
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Limit", "180")
		if n.Add(1) == 1 {
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("Retry-After", "7")
			coreWriteJSON(w, 429, `{"detail":"Rate limit exceeded"}`)
			return
		}
		w.Header().Set("X-RateLimit-Remaining", "179")
		coreWriteJSON(w, 200, `{"name":"ok"}`)
	})
	c := coreClient(t, cs.URL)
	var waits []time.Duration
	c.sleep = func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	var out struct{ Name string }
	resp, err := c.do(context.Background(), request{method: "GET", path: "/v2/x"}, &out)
	if err != nil || out.Name != "ok" {
		t.Fatalf("err = %v out = %+v", err, out)
	}
	if len(waits) != 1 || waits[0] < 7*time.Second || waits[0] > 7*time.Second+coreFastRetry().Base {
		t.Errorf("waits = %v, want one of about 7s", waits)
	}
	if resp.Rate.Remaining != 179 || c.Rate().Remaining != 179 || !c.Rate().Known || c.Rate().Limit != 180 {
		t.Errorf("rate = %+v / %+v", resp.Rate, c.Rate())
	}

	// Really waiting for a one-second Retry-After.
	n.Store(0)
	cs2 := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			coreWriteJSON(w, 429, `{}`)
			return
		}
		coreWriteJSON(w, 200, `{}`)
	})
	c2 := coreClient(t, cs2.URL)
	start := time.Now()
	if _, err := c2.do(context.Background(), request{method: "GET", path: "/v2/x"}, nil); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < time.Second {
		t.Errorf("returned after %v, want the 1s Retry-After honoured", el)
	}
}

func TestRateLimitHTTPDate(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", now.Add(30*time.Second).Format(http.TimeFormat))
		w.Header().Set("X-RateLimit-Reset", "1740830460")
		coreWriteJSON(w, 429, `{"detail":"slow down"}`)
	})
	c := coreClient(t, cs.URL, WithClock(func() time.Time { return now }))
	_, err := c.do(context.Background(), request{method: "POST", path: "/v2/x"}, nil)
	var rl *RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("err = %v, want *RateLimitError", err)
	}
	if rl.RetryAfter != 30*time.Second || !rl.Reset.Equal(time.Unix(1740830460, 0)) {
		t.Errorf("RetryAfter = %v Reset = %v", rl.RetryAfter, rl.Reset)
	}
}

func TestRateLimitPOSTReturnsError(t *testing.T) {
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "12")
		coreWriteJSON(w, 429, `{"detail":"Rate limit exceeded. Please retry later."}`)
	})
	c := coreClient(t, cs.URL)
	slept := false
	c.sleep = func(ctx context.Context, d time.Duration) error { slept = true; return nil }
	_, err := c.do(context.Background(), request{method: "POST", path: "/v2/x", body: map[string]int{}}, nil)
	var rl *RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("err = %v, want *RateLimitError", err)
	}
	if rl.RetryAfter != 12*time.Second || rl.StatusCode != 429 || rl.Detail != "Rate limit exceeded. Please retry later." {
		t.Errorf("RateLimitError = %+v / %+v", rl, rl.APIError)
	}
	if !IsStatus(err, 429) {
		t.Error("IsStatus(err, 429) = false")
	}
	if cs.total() != 1 || slept {
		t.Errorf("requests = %d slept = %v, want one request and no wait", cs.total(), slept)
	}
	if !strings.Contains(err.Error(), "12s") {
		t.Errorf("error %q does not name the wait", err)
	}
}

func TestRateLimitMaxWaitExceeded(t *testing.T) {
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		coreWriteJSON(w, 429, `{}`)
	})
	c := coreClient(t, cs.URL)
	slept := false
	c.sleep = func(ctx context.Context, d time.Duration) error { slept = true; return nil }
	start := time.Now()
	_, err := c.do(context.Background(), request{method: "GET", path: "/v2/x"}, nil)
	var rl *RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != time.Hour {
		t.Fatalf("err = %v, want *RateLimitError with an hour", err)
	}
	if slept || cs.total() != 1 || time.Since(start) > time.Second {
		t.Errorf("slept=%v requests=%d, want an immediate error", slept, cs.total())
	}

	// A GET that keeps being limited gives up after the policy.
	cs2 := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "1")
		coreWriteJSON(w, 429, `{}`)
	})
	c2 := coreClient(t, cs2.URL)
	c2.sleep = func(ctx context.Context, d time.Duration) error { return nil }
	_, err = c2.do(context.Background(), request{method: "GET", path: "/v2/x"}, nil)
	if !errors.As(err, &rl) || cs2.total() != coreFastRetry().Max+1 {
		t.Errorf("err = %v requests = %d", err, cs2.total())
	}
}

func TestTruncatedBody(t *testing.T) {
	var n atomic.Int32
	h := func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "4096")
			w.WriteHeader(200)
			_, _ = io.WriteString(w, `{"count": 1, "results": [`)
			return
		}
		coreWriteJSON(w, 200, `{"name":"ok"}`)
	}
	cs := coreServe(t, h)
	c := coreClient(t, cs.URL)
	var out struct{ Name string }
	if _, err := c.do(context.Background(), request{method: "GET", path: "/v2/x"}, &out); err != nil {
		t.Fatal(err)
	}
	if out.Name != "ok" || cs.total() != 2 {
		t.Errorf("out = %+v requests = %d, want ok on the second attempt", out, cs.total())
	}

	n.Store(0)
	cs2 := coreServe(t, h)
	c2 := coreClient(t, cs2.URL)
	_, err := c2.do(context.Background(), request{method: "POST", path: "/v2/x"}, &out)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("POST err = %v, want unexpected EOF", err)
	}
	if cs2.total() != 1 {
		t.Errorf("POST requests = %d, want 1", cs2.total())
	}

	// Always truncated: GET gives up with the error.
	cs3 := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(200)
		_, _ = io.WriteString(w, `{}`)
	})
	c3 := coreClient(t, cs3.URL)
	if _, err := c3.do(context.Background(), request{method: "GET", path: "/v2/x"}, nil); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("GET err = %v, want unexpected EOF", err)
	}
	if got, want := cs3.total(), coreFastRetry().Max+1; got != want {
		t.Errorf("GET requests = %d, want %d", got, want)
	}
}

func TestContextCancelled(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	c := coreClient(t, cs.URL)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.do(ctx, request{method: "GET", path: "/v2/x"}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("returned after %v", el)
	}
	if cs.total() != 1 {
		t.Errorf("requests = %d, want 1 (no retry after cancel)", cs.total())
	}

	// Cancelled while waiting between retries.
	cs2 := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		coreWriteJSON(w, 503, `{"detail":"busy"}`)
	})
	c2 := coreClient(t, cs2.URL, WithRetryPolicy(RetryPolicy{Max: 5, Base: 10 * time.Second, Cap: 10 * time.Second, MaxWait: time.Minute}))
	for _, method := range []string{"GET", "DELETE"} {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		start = time.Now()
		_, err = c2.do(ctx, request{method: method, path: "/v2/x"}, nil)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s cancelled during backoff: err = %v, want context.Canceled", method, err)
		}
		if !IsStatus(err, 503) {
			t.Errorf("%s cancelled during backoff: err = %v, want the last answer kept", method, err)
		}
		if el := time.Since(start); el > 2*time.Second {
			t.Errorf("%s returned after %v", method, el)
		}
	}

	// Cancelled while waiting out a 429.
	cs3 := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		coreWriteJSON(w, 429, `{}`)
	})
	c3 := coreClient(t, cs3.URL, WithRetryPolicy(RetryPolicy{Max: 5, Base: time.Millisecond, Cap: time.Millisecond, MaxWait: time.Minute}))
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start = time.Now()
	_, err = c3.do(ctx, request{method: "GET", path: "/v2/x"}, nil)
	var rl *RateLimitError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &rl) {
		t.Errorf("cancelled during Retry-After: err = %v, want context.Canceled and the RateLimitError", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("returned after %v", el)
	}

	// Already cancelled: nothing is sent.
	cs4 := coreServe(t, func(w http.ResponseWriter, r *http.Request) { coreWriteJSON(w, 200, `{}`) })
	c4 := coreClient(t, cs4.URL)
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if _, err := c4.do(ctx, request{method: "GET", path: "/v2/x"}, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("pre-cancelled: err = %v", err)
	}
	if cs4.total() != 0 {
		t.Errorf("pre-cancelled: server saw %d requests", cs4.total())
	}
}

func TestReadOnlyRefusesMutations(t *testing.T) {
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v2/auth/token":
			coreWriteJSON(w, 200, `{"access_token":"tok"}`)
		default:
			coreWriteJSON(w, 200, `{}`)
		}
	})
	c := coreClient(t, cs.URL, WithReadOnly(), WithCredentials("demo", "dckr_pat_x"))
	if !c.ReadOnly() {
		t.Error("ReadOnly() = false")
	}
	for _, m := range []string{"POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
		_, err := c.do(context.Background(), request{method: m, path: "/v2/x", body: map[string]int{"a": 1}}, nil)
		if !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s: err = %v, want ErrReadOnly", m, err)
		}
	}
	if n := cs.total(); n != 0 {
		t.Fatalf("server saw %d requests for refused mutations", n)
	}
	// Sign-in still works, and so do reads.
	if err := c.Auth.SignIn(context.Background()); err != nil {
		t.Fatalf("SignIn in read-only mode: %v", err)
	}
	for _, m := range []string{"GET", "HEAD"} {
		if _, err := c.do(context.Background(), request{method: m, path: "/v2/x"}, nil); err != nil {
			t.Errorf("%s: %v", m, err)
		}
	}
	if cs.count("POST /v2/auth/token") != 1 || cs.count("GET /v2/x") != 1 || cs.count("HEAD /v2/x") != 1 {
		t.Errorf("hits = %v", cs.hits)
	}
}

// coreTokenServer issues bearer tokens tok-1, tok-2, … and serves /v2/x and
// POST /v2/y only to the latest one.
type coreTokenServer struct {
	*coreServer
	issued atomic.Int32
}

func coreServeTokens(t *testing.T) *coreTokenServer {
	ts := &coreTokenServer{}
	ts.coreServer = coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v2/auth/token", "/v2/users/login":
			n := ts.issued.Add(1)
			key := "access_token"
			if r.URL.Path == "/v2/users/login" {
				key = "token"
			}
			coreWriteJSON(w, 200, `{"`+key+`":"tok-`+string(rune('0'+n))+`"}`)
		default:
			want := "Bearer tok-" + string(rune('0'+ts.issued.Load()))
			if r.Header.Get("Authorization") != want {
				coreWriteJSON(w, 401, `{"detail":"Token expired."}`)
				return
			}
			coreWriteJSON(w, 200, `{"name":"ok"}`)
		}
	})
	return ts
}

func TestUnauthorizedRefreshOnceAndReplayGET(t *testing.T) {
	ts := coreServeTokens(t)
	c := coreClient(t, ts.URL, WithCredentials("demo", "dckr_pat_x"), WithToken("stale"))
	var out struct{ Name string }
	if _, err := c.do(context.Background(), request{method: "GET", path: "/v2/x"}, &out); err != nil {
		t.Fatal(err)
	}
	if out.Name != "ok" || ts.count("GET /v2/x") != 2 || ts.count("POST /v2/auth/token") != 1 {
		t.Errorf("out = %+v hits = %v, want 401, sign-in, replay", out, ts.hits)
	}
	tok, _ := c.Token(context.Background())
	if tok.Reveal() != "tok-1" {
		t.Errorf("token = %q, want tok-1", tok.Reveal())
	}
}

func TestUnauthorizedRefreshOnlyOnce(t *testing.T) {
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v2/auth/token" {
			coreWriteJSON(w, 200, `{"access_token":"tok"}`)
			return
		}
		coreWriteJSON(w, 401, `{"detail":"Invalid token."}`)
	})
	c := coreClient(t, cs.URL, WithCredentials("demo", "dckr_pat_x"))
	_, err := c.do(context.Background(), request{method: "GET", path: "/v2/x"}, nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 401 || ae.Detail != "Invalid token." {
		t.Fatalf("err = %v, want the 401", err)
	}
	if cs.count("GET /v2/x") != 2 || cs.count("POST /v2/auth/token") != 2 {
		t.Errorf("hits = %v, want 2 GETs and 2 sign-ins", cs.hits)
	}
}

func TestUnauthorizedPOSTNotReplayed(t *testing.T) {
	ts := coreServeTokens(t)
	c := coreClient(t, ts.URL, WithCredentials("demo", "dckr_pat_x"), WithToken("stale"))
	_, err := c.do(context.Background(), request{method: "POST", path: "/v2/y", body: map[string]string{"a": "b"}}, nil)
	if !IsStatus(err, 401) {
		t.Fatalf("err = %v, want 401", err)
	}
	if ts.count("POST /v2/y") != 1 || ts.count("POST /v2/auth/token") != 0 {
		t.Errorf("hits = %v, want one POST and no sign-in", ts.hits)
	}
	// Without credentials a GET 401 is not retried either.
	ts2 := coreServeTokens(t)
	c2 := coreClient(t, ts2.URL, WithToken("stale"))
	if _, err := c2.do(context.Background(), request{method: "GET", path: "/v2/x"}, nil); !IsStatus(err, 401) {
		t.Fatalf("err = %v, want 401", err)
	}
	if ts2.total() != 1 {
		t.Errorf("hits = %v, want one GET", ts2.hits)
	}
}

func TestNoCredentialsSendsNoAuthorization(t *testing.T) {
	var auth []string
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		auth = append(auth, r.Header.Get("Authorization"))
		coreWriteJSON(w, 200, `{}`)
	})
	c := coreClient(t, cs.URL)
	if _, err := c.do(context.Background(), request{method: "GET", path: "/v2/x"}, nil); err != nil {
		t.Fatal(err)
	}
	if len(auth) != 1 || auth[0] != "" {
		t.Errorf("Authorization = %q", auth)
	}
}

func TestSignInFailureIsNotRetried(t *testing.T) {
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v2/auth/token" {
			coreWriteJSON(w, 401, `{"detail":"Incorrect authentication credentials"}`)
			return
		}
		coreWriteJSON(w, 200, `{}`)
	})
	c := coreClient(t, cs.URL, WithCredentials("demo", "dckr_pat_wrong"))
	_, err := c.do(context.Background(), request{method: "GET", path: "/v2/x"}, nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 401 || ae.Detail != "Incorrect authentication credentials" {
		t.Fatalf("err = %v", err)
	}
	if cs.count("POST /v2/auth/token") != 1 || cs.count("GET /v2/x") != 0 {
		t.Errorf("hits = %v, want one sign-in and no GET", cs.hits)
	}
}

func TestSignInServerErrorNotRetried(t *testing.T) {
	// Sign-in is a POST: a 503 there is not replayed, and the GET is never sent.
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		coreWriteJSON(w, 503, `{"detail":"down"}`)
	})
	c := coreClient(t, cs.URL, WithCredentials("demo", "demo"))
	if _, err := c.do(context.Background(), request{method: "GET", path: "/v2/x"}, nil); !IsStatus(err, 503) {
		t.Fatalf("err = %v", err)
	}
	if cs.count("POST /v2/users/login") != 1 || cs.total() != 1 {
		t.Errorf("hits = %v", cs.hits)
	}
}

func TestJWTRenewAt(t *testing.T) {
	m := refreshMargin
	for _, tc := range []struct {
		tok  string
		want time.Time
	}{
		{"x.eyJleHAiOjE3MDAwMDAwMDB9.y", time.Unix(1700000000, 0).Add(-m)},    // {"exp":1700000000}
		{"x.eyJleHAiOjE3MDAwMDAwMDB9==.y", time.Unix(1700000000, 0).Add(-m)},  // padded
		{"x.eyJleHAiOiIxNzAwMDAwMDAwIn0.y", time.Unix(1700000000, 0).Add(-m)}, // {"exp":"1700000000"}
		{"x.eyJzdWIiOiJkZW1vIn0.y", time.Time{}},                              // no exp
		{"x.!!!.y", time.Time{}},                                              // not base64
		{"stale", time.Time{}},                                                // not a JWT
		{"x.bm90IGpzb24.y", time.Time{}},                                      // not JSON
		{"x.eyJleHAiOjEuNX0.y", time.Time{}},                                  // {"exp":1.5}
		{"a.b.c.d", time.Time{}},                                              // four parts
		{"", time.Time{}},                                                     // empty
		{"x.eyJleHAiOm51bGx9.y", time.Time{}},                                 // {"exp":null}
		{"x.eyJleHAiOjk5OTk5OTk5OTk5OTk5OTk5OTk5OTl9.y", time.Time{}},         // overflow
		{"x.eyJleHAiOjE3MDAwMDAwMDAsInN1YiI6ImRlbW8ifQ.y", time.Unix(1700000000, 0).Add(-m)},
		{"x.eyJleHAiOjE3MDAwMDAxMDAsImlhdCI6MTcwMDAwMDAwMH0.y", time.Unix(1700000075, 0)}, // lives 100 s: renewed after 75 s
		{"x.eyJleHAiOjE3MDAwMDA2MDAsImlhdCI6MTcwMDAwMDAwMH0.y", time.Unix(1700000540, 0)}, // lives 10 min: renewed a minute early
	} {
		if got := jwtRenewAt(tc.tok); !got.Equal(tc.want) {
			t.Errorf("jwtRenewAt(%q) = %v, want %v", tc.tok, got, tc.want)
		}
	}
}

func TestServerErrorRetryAfterBeyondMaxWait(t *testing.T) {
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		coreWriteJSON(w, 503, `{"detail":"maintenance"}`)
	})
	c := coreClient(t, cs.URL)
	slept := false
	c.sleep = func(ctx context.Context, d time.Duration) error { slept = true; return nil }
	_, err := c.do(context.Background(), request{method: "GET", path: "/v2/x"}, nil)
	if !IsStatus(err, 503) || slept || cs.total() != 1 {
		t.Errorf("err = %v slept = %v requests = %d, want the 503 at once", err, slept, cs.total())
	}
	// A short Retry-After on a 5xx replaces the backoff.
	var n atomic.Int32
	cs2 := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "2")
			coreWriteJSON(w, 503, `{}`)
			return
		}
		coreWriteJSON(w, 200, `{}`)
	})
	c2 := coreClient(t, cs2.URL)
	var waits []time.Duration
	c2.sleep = func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	if _, err := c2.do(context.Background(), request{method: "GET", path: "/v2/x"}, nil); err != nil {
		t.Fatal(err)
	}
	if len(waits) != 1 || waits[0] != 2*time.Second {
		t.Errorf("waits = %v, want [2s]", waits)
	}
}

func TestDotAndEmptyPathSegmentsAreRefusedBeforeSending(t *testing.T) {
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) { coreWriteJSON(w, 204, "") })
	c := coreClient(t, cs.URL, WithToken("x.eyJleHAiOjk5OTk5OTk5OTl9.y"))
	ctx := context.Background()
	for _, tc := range []struct{ ns, repo, tag string }{{"acme", "web", ".."}, {"acme", "..", "latest"}, {"acme", "web", "."}} {
		_, err := c.Tags.Delete(ctx, tc.ns, tc.repo, tc.tag)
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("Tags.Delete(%q, %q, %q): err = %v", tc.ns, tc.repo, tc.tag, err)
		}
	}
	if n := cs.total(); n != 0 {
		t.Fatalf("%d requests reached the server", n)
	}
	if _, err := c.Tags.Delete(ctx, "acme", "web", "v1..2"); err != nil {
		t.Fatalf("a tag with dots inside was refused: %v", err)
	}
}

func TestPrintingAClientShowsNoSecret(t *testing.T) {
	c := coreClient(t, "https://hub.docker.com", WithCredentials("alice", "hunter2-password"), WithToken("eyJ.secret-jwt.sig"))
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("client", "c", c)
	for _, s := range []string{fmt.Sprintf("%v %+v %#v %s", c, c, c, c), logged.String()} {
		if strings.Contains(s, "hunter2") || strings.Contains(s, "secret-jwt") {
			t.Fatalf("secret printed: %s", s)
		}
		if !strings.Contains(s, "alice") {
			t.Fatalf("client not named: %s", s)
		}
	}
}

func TestDecodeErrorBodyClipsLongWords(t *testing.T) {
	e := DecodeErrorBody(400, []byte(`{"message":"`+strings.Repeat("é", 5000)+`","detail":"`+strings.Repeat("x", 9000)+`"}`))
	if len(e.Message) > maxWords+len("…") || len(e.Detail) > maxWords+len("…") || !utf8.ValidString(e.Message) {
		t.Fatalf("message %d bytes, detail %d bytes", len(e.Message), len(e.Detail))
	}
}

func TestWaitingUntilCoversEveryWaiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := coreClient(t, "https://hub.docker.com", WithClock(func() time.Time { return now }))
	release := make(chan struct{})
	c.sleep = func(ctx context.Context, d time.Duration) error {
		select {
		case <-release:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	long, cancelLong := context.WithCancel(context.Background())
	done := make(chan error, 2)
	go func() { done <- c.waitFor(long, time.Minute) }()
	go func() { done <- c.waitFor(context.Background(), 10*time.Second) }()
	deadline := time.Now().Add(2 * time.Second)
	for c.WaitingUntil() != now.Add(time.Minute) && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	cancelLong() // the longer wait ends early; the other still waits
	<-done
	if c.WaitingUntil().IsZero() {
		t.Fatal("the countdown vanished while a request still waits")
	}
	close(release)
	<-done
	if !c.WaitingUntil().IsZero() {
		t.Fatalf("WaitingUntil = %v after every wait ended", c.WaitingUntil())
	}
}

func TestLate401KeepsANewerToken(t *testing.T) {
	c := coreClient(t, "https://hub.docker.com", WithCredentials("demo", "demo"), WithToken("x.eyJleHAiOjk5OTk5OTk5OTl9.new"))
	c.invalidateIf("Bearer x.eyJleHAiOjk5OTk5OTk5OTl9.old")
	if tok, _ := c.Token(context.Background()); tok.Reveal() != "x.eyJleHAiOjk5OTk5OTk5OTl9.new" {
		t.Fatalf("a 401 for an older token dropped the current one: %q", tok.Reveal())
	}
	c.invalidateIf("Bearer x.eyJleHAiOjk5OTk5OTk5OTl9.new")
	c.mu.Lock()
	gone := c.token == ""
	c.mu.Unlock()
	if !gone {
		t.Fatal("a 401 for the current token kept it")
	}
}
