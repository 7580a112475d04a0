package hubclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// recordingServer is a coreServer that also keeps every request body and
// Authorization header it saw.
type recordingServer struct {
	*coreServer
	mu     sync.Mutex
	bodies []string
	auths  []string
}

func serveRecording(t *testing.T, h http.HandlerFunc) *recordingServer {
	t.Helper()
	rs := &recordingServer{}
	rs.coreServer = coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rs.mu.Lock()
		rs.bodies = append(rs.bodies, string(b))
		rs.auths = append(rs.auths, r.Header.Get("Authorization"))
		rs.mu.Unlock()
		if h != nil {
			h(w, r)
		}
	})
	return rs
}

func (rs *recordingServer) saw(s string) bool {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	for i := range rs.bodies {
		if strings.Contains(rs.bodies[i], s) || strings.Contains(rs.auths[i], s) {
			return true
		}
	}
	return false
}

func TestRedirectToAnotherPortIsNotFollowed(t *testing.T) {
	const jwt = "header.payload-of-the-bearer.signature"
	second := serveRecording(t, func(w http.ResponseWriter, r *http.Request) {
		coreWriteJSON(w, 200, `{"name":"app","namespace":"acme"}`)
	})
	target := second.URL + "/v2/namespaces/acme/repositories/app"
	first := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, http.StatusFound)
	})
	c := coreClient(t, first.URL, WithToken(jwt))
	_, _, err := c.Repos.Get(context.Background(), "acme", "app")
	var re *RedirectError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want a *RedirectError", err)
	}
	if re.StatusCode != http.StatusFound || re.Location != target || !strings.Contains(err.Error(), target) {
		t.Errorf("redirect error %+v / %q does not name the location %s", re, err, target)
	}
	if n := second.total(); n != 0 || second.saw(jwt) {
		t.Errorf("the redirect was followed: %d requests reached the second server", n)
	}
	if n := first.total(); n != 1 {
		t.Errorf("%d requests to the first server, want 1 (a redirect is not retried)", n)
	}
}

func TestRedirectOnSignInDoesNotRepostTheSecret(t *testing.T) {
	const secret = "dckr_pat_do-not-send-me-twice"
	const password = "correct horse battery staple"
	second := serveRecording(t, nil)
	first := serveRecording(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v2/auth/token":
			w.Header().Set("Location", second.URL+"/v2/auth/token")
		default: // the password route redirects within the same server
			w.Header().Set("Location", "/elsewhere/login")
		}
		w.WriteHeader(http.StatusTemporaryRedirect)
	})
	for _, tc := range []struct{ secret, path, location string }{
		{secret, "/v2/auth/token", second.URL + "/v2/auth/token"},
		{password, "/v2/users/login", "/elsewhere/login"},
	} {
		c := coreClient(t, first.URL, WithCredentials("demo", Secret(tc.secret)))
		err := c.Auth.SignIn(context.Background())
		var re *RedirectError
		if !errors.As(err, &re) || re.StatusCode != http.StatusTemporaryRedirect || !strings.Contains(err.Error(), tc.location) {
			t.Errorf("%s: err = %v, want a 307 *RedirectError naming %s", tc.path, err, tc.location)
		}
		if n := first.count("POST " + tc.path); n != 1 {
			t.Errorf("%s: posted %d times, want once", tc.path, n)
		}
	}
	if second.total() != 0 || second.saw(secret) {
		t.Errorf("the access token was re-posted to the redirect target (%d requests)", second.total())
	}
	if n := first.count("POST /elsewhere/login"); n != 0 || strings.Count(strings.Join(first.bodies, "\n"), password) != 1 {
		t.Errorf("the password was re-posted (%d requests to the redirect target)", n)
	}
}

// fakeTransport answers 200 {} to everything without a network and counts
// what it was handed.
type fakeTransport struct{ n atomic.Int64 }

func (f *fakeTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	f.n.Add(1)
	if r.Body != nil {
		_ = r.Body.Close()
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(`{}`)), Request: r}, nil
}

func TestTransportRefusesPlainHTTPToARemoteHost(t *testing.T) {
	tr := &fakeTransport{}
	hc := &http.Client{Transport: tr}
	c, err := New(WithBaseURL("http://127.0.0.1:1"), WithHTTPClient(hc), WithRetryPolicy(coreFastRetry()))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Repos.Get(context.Background(), "acme", "app"); err != nil {
		t.Fatalf("loopback http refused: %v", err)
	}
	if tr.n.Load() != 1 {
		t.Fatalf("fake transport saw %d requests, want 1", tr.n.Load())
	}
	// However the URL got there, a plain http:// request to a remote host
	// never leaves the transport, and it is not retried.
	for _, raw := range []string{"http://hub.docker.com", "http://10.0.0.1:8080", "ftp://127.0.0.1"} {
		c.base, _ = url.Parse(raw)
		before := tr.n.Load()
		_, _, err := c.Repos.Get(context.Background(), "acme", "app")
		if err == nil {
			t.Errorf("%s: request accepted", raw)
		}
		if strings.HasPrefix(raw, "http:") && !errors.Is(err, ErrInsecureURL) {
			t.Errorf("%s: err = %v, want ErrInsecureURL", raw, err)
		}
		if n := tr.n.Load() - before; n != 0 {
			t.Errorf("%s: %d requests reached the caller's transport", raw, n)
		}
	}
	// The caller's client was copied, not changed.
	if hc.CheckRedirect != nil || hc.Transport != tr {
		t.Errorf("WithHTTPClient changed the caller's client: %+v", hc)
	}
}

func TestPrintingAResponseShowsNoToken(t *testing.T) {
	const jwt = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJkZW1vIn0.the-bearer-itself"
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Limit", "60")
		w.Header().Set("X-RateLimit-Remaining", "59")
		coreWriteJSON(w, 200, `{"count":3,"next":"http://`+r.Host+`/v2/namespaces/acme/repositories?page=2&page_size=1","results":[{"name":"app"}]}`)
	})
	c := coreClient(t, cs.URL, WithToken(jwt))
	_, resp, err := c.Repos.List(context.Background(), "acme", &RepoListOptions{ListOptions: ListOptions{PageSize: 1}})
	if err != nil {
		t.Fatal(err)
	}
	var logged strings.Builder
	for _, h := range []slog.Handler{slog.NewTextHandler(&logged, nil), slog.NewJSONHandler(&logged, nil)} {
		slog.New(h).Info("answer", "resp", resp, "value", *resp)
	}
	outs := []string{logged.String()}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		outs = append(outs, fmt.Sprintf(verb, resp), fmt.Sprintf(verb, *resp), fmt.Sprintf(verb, []any{resp}))
	}
	for _, out := range outs {
		if strings.Contains(out, "the-bearer-itself") || strings.Contains(out, "Bearer") {
			t.Errorf("printed the token: %s", out)
		}
	}
	if s := fmt.Sprintf("%+v", resp); !strings.Contains(s, "200 OK") || !strings.Contains(s, "count 3") || !strings.Contains(s, "59 of 60") {
		t.Errorf("%%+v lost what the answer says: %s", s)
	}
}
