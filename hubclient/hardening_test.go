package hubclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
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

// streamBytes writes n bytes of JSON (a repository whose full description
// is n bytes long) in small flushed chunks, so no Content-Length is sent,
// and returns how many bytes went out before the client hung up.
func streamBytes(w http.ResponseWriter, n int, withLength bool) int {
	head, tail := `{"name":"app","namespace":"acme","full_description":"`, `"}`
	w.Header().Set("Content-Type", "application/json")
	if withLength {
		w.Header().Set("Content-Length", strconv.Itoa(len(head)+n+len(tail)))
	}
	sent, _ := io.WriteString(w, head)
	chunk := strings.Repeat("x", 4096)
	for left := n; left > 0; left -= len(chunk) {
		k, err := io.WriteString(w, chunk[:min(len(chunk), left)])
		sent += k
		if err != nil {
			return sent
		}
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
	}
	k, _ := io.WriteString(w, tail)
	return sent + k
}

func TestSuccessfulBodiesAreCapped(t *testing.T) {
	var read atomic.Int64 // bytes the client read of the endless body
	csv := "Name,Username,Email,Type,Permission,Teams,Date Joined\n" + strings.Repeat("Ann,ann,ann@example.com,User,Member,,2024-01-02 03:04:05\n", 60)
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v2/namespaces/acme/repositories/chunked":
			streamBytes(w, 64<<10, false)
		case "/v2/namespaces/acme/repositories/endless": // 8 MiB, far past the cap
			streamBytes(w, 8<<20, false)
		case "/v2/namespaces/acme/repositories/announced":
			streamBytes(w, 64<<10, true)
		case "/v2/namespaces/acme/repositories/small":
			streamBytes(w, 1<<10, false)
		case "/v2/orgs/acme/members/export", "/v2/orgs/big/members/export":
			body := csv
			if strings.Contains(r.URL.Path, "big") {
				body = strings.Repeat(csv, 4)
			}
			w.Header().Set("Content-Type", "text/csv")
			_, _ = io.WriteString(w, body)
		default:
			coreWriteJSON(w, 404, `{"detail":"no"}`)
		}
	})
	c := coreClient(t, cs.URL, WithHTTPClient(&http.Client{Transport: countingTransport{&read, &http.Transport{DisableKeepAlives: true}}}))
	c.maxBody, c.maxExportBody = 16<<10, 8<<10 // the CSV is 3.4 KiB, four of them 13.6 KiB
	ctx := context.Background()
	for _, name := range []string{"chunked", "endless", "announced"} {
		before := cs.total()
		read.Store(0)
		_, _, err := c.Repos.Get(ctx, "acme", name)
		want := "response from GET /v2/namespaces/acme/repositories/" + name + ": body larger than 16 KiB"
		var tl *BodyTooLargeError
		if !errors.As(err, &tl) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", name, err, want)
		}
		if n := cs.total() - before; n != 1 {
			t.Errorf("%s: %d requests, want 1 (a body too large is not asked for again)", name, n)
		}
		if n := read.Load(); n > c.maxBody+1 {
			t.Errorf("%s: read %d bytes of the body, cap %d", name, n, c.maxBody)
		} else {
			t.Logf("%s: read %d bytes of the body (cap %d)", name, n, c.maxBody)
		}
	}
	if _, _, err := c.Repos.Get(ctx, "acme", "small"); err != nil {
		t.Errorf("a body under the cap: %v", err)
	}
	// The members export has its own, larger cap.
	c.maxBody = 1 << 10
	ex, _, err := c.Members.Export(ctx, "acme")
	if err != nil || len(ex.Rows) != 60 {
		t.Fatalf("export under its cap: %v", err)
	}
	_, _, err = c.Members.Export(ctx, "big")
	if want := "response from GET /v2/orgs/big/members/export: body larger than 8 KiB"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("export over its cap: err = %v, want %q", err, want)
	}
	if got := byteSize(DefaultMaxBody); got != "32 MiB" {
		t.Errorf("byteSize(DefaultMaxBody) = %q", got)
	}
}

// countingTransport counts the body bytes the client reads.
type countingTransport struct {
	n    *atomic.Int64
	base http.RoundTripper
}

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(r)
	if resp != nil {
		resp.Body = countingBody{resp.Body, c.n}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b countingBody) Read(p []byte) (int, error) {
	k, err := b.ReadCloser.Read(p)
	b.n.Add(int64(k))
	return k, err
}
