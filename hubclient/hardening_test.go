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
	"time"
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

// hostileList serves /v2/namespaces/acme/repositories without a count:
// page p holds per(p) repositories and its next link points to page p+1
// with page_size linkSize, until page stop (0: never).
func hostileList(t *testing.T, per func(page, size int) int, linkSize string, stop int) *coreServer {
	t.Helper()
	return coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		page, _ := strconv.Atoi(q.Get("page"))
		size, _ := strconv.Atoi(q.Get("page_size"))
		if size < 1 || size > MaxPageSize {
			coreWriteJSON(w, 400, `{"fields":{"page_size":["Ensure this value is less than or equal to 100."]}}`)
			return
		}
		items := make([]string, per(page, size))
		for i := range items {
			items[i] = fmt.Sprintf(`{"name":"r%d-%d","namespace":"acme"}`, page, i)
		}
		next := "null"
		if stop == 0 || page < stop {
			next = fmt.Sprintf(`"http://%s%s?page=%d&page_size=%s"`, r.Host, r.URL.Path, page+1, linkSize)
		}
		coreWriteJSON(w, 200, `{"next":`+next+`,"results":[`+strings.Join(items, ",")+`]}`)
	})
}

func repoPages(c *Client) PageFunc[Repository] {
	return func(ctx context.Context, o ListOptions) ([]Repository, *Response, error) {
		return c.Repos.List(ctx, "acme", &RepoListOptions{ListOptions: o})
	}
}

func TestListAllStopsFollowingEndlessNextLinks(t *testing.T) {
	// Two rows a page and always a next link (until page 300, so that a
	// client without a bound ends too, without an error).
	cs := hostileList(t, func(int, int) int { return 2 }, "2", 300)
	c := coreClient(t, cs.URL, WithListLimits(0, 10))
	items, err := ListAll(context.Background(), c, repoPages(c), nil)
	if !errors.Is(err, ErrListTooLong) || !strings.Contains(err.Error(), "stopped after 10 pages") {
		t.Errorf("err = %v, want ErrListTooLong after 10 pages", err)
	}
	if n := cs.total(); n != 10 || len(items) != 20 {
		t.Errorf("%d requests, %d items; want 10 and 20", n, len(items))
	}

	// Full pages: the item bound stops it (and derives the page bound).
	cs = hostileList(t, func(_, size int) int { return size }, "100", 300)
	c = coreClient(t, cs.URL, WithListLimits(250, 0))
	items, err = ListAll(context.Background(), c, repoPages(c), nil)
	if !errors.Is(err, ErrListTooLong) || !strings.Contains(err.Error(), "more than 250 items") {
		t.Errorf("err = %v, want ErrListTooLong past 250 items", err)
	}
	if n := cs.total(); n != 3 || len(items) != 200 {
		t.Errorf("%d requests, %d items; want 3 and 200", n, len(items))
	}

	// The default bounds: a million items, ten thousand pages of 100.
	var lim listLimits
	lim.init(0, 0, MaxPageSize)
	if lim.maxItems != 1_000_000 || lim.maxPages != 10_000 {
		t.Errorf("default limits %+v", lim)
	}
	if _, err := New(WithListLimits(-1, 0)); err == nil {
		t.Error("negative limit accepted")
	}

	// Pages has the default bounds: an endless list of one row a page
	// stops after 10,000 pages.
	calls := 0
	endless := func(_ context.Context, o ListOptions) ([]int, *Response, error) {
		calls++
		if calls > 20_000 {
			return nil, &Response{}, nil // the end, for an unbounded iterator
		}
		return []int{o.Page}, &Response{Next: fmt.Sprintf("http://127.0.0.1/x?page=%d&page_size=1", o.Page+1)}, nil
	}
	var last error
	for _, err := range Pages(context.Background(), PageFunc[int](endless)) {
		last = err
	}
	if !errors.Is(last, ErrListTooLong) || calls != 10_000 {
		t.Errorf("Pages: %d calls, last error %v; want 10000 and ErrListTooLong", calls, last)
	}
}

func TestListAllRefusesOversizePages(t *testing.T) {
	// 150 rows when 100 were asked for, without a count.
	cs := hostileList(t, func(int, int) int { return 150 }, "100", 3)
	c := coreClient(t, cs.URL)
	if _, err := ListAll(context.Background(), c, repoPages(c), nil); !errors.Is(err, ErrBadPage) ||
		!strings.Contains(err.Error(), "page 1 has 150 items but 100 were asked for") {
		t.Errorf("first page: err = %v, want ErrBadPage", err)
	}
	if n := cs.total(); n != 1 {
		t.Errorf("%d requests after an oversize first page", n)
	}
	// A later page that is too large, following links and planning pages from a count.
	for _, count := range []string{"", `"count":500,`} {
		cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
			page, _ := strconv.Atoi(r.URL.Query().Get("page"))
			n := 100
			if page == 3 {
				n = 101
			}
			items := make([]string, n)
			for i := range items {
				items[i] = `{"name":"x"}`
			}
			next := "null" // five pages
			if page < 5 {
				next = `"http://` + r.Host + r.URL.Path + `?page=` + strconv.Itoa(page+1) + `&page_size=100"`
			}
			coreWriteJSON(w, 200, `{`+count+`"next":`+next+`,"results":[`+strings.Join(items, ",")+`]}`)
		})
		c := coreClient(t, cs.URL)
		items, err := ListAll(context.Background(), c, repoPages(c), nil)
		if !errors.Is(err, ErrBadPage) || !strings.Contains(err.Error(), "page 3 has 101 items") {
			t.Errorf("%q: err = %v (%d items), want ErrBadPage for page 3", count, err, len(items))
		}
	}
	// Pages refuses it as well.
	for _, err := range Pages(context.Background(), repoPages(c)) {
		if !errors.Is(err, ErrBadPage) {
			t.Errorf("Pages: err = %v, want ErrBadPage", err)
		}
		break
	}
}

func TestListAllClampsNextPageSize(t *testing.T) {
	// Next links ask for page_size=1000, which the Hub (and Repos.List)
	// refuse; the list goes on with pages of 100.
	cs := hostileList(t, func(page, size int) int { return min(size, 250-100*(page-1)) }, "1000", 3)
	c := coreClient(t, cs.URL)
	items, err := ListAll(context.Background(), c, repoPages(c), nil)
	if err != nil || len(items) != 250 || cs.total() != 3 {
		t.Fatalf("ListAll: %d items, %d requests, err %v; want 250, 3, nil", len(items), cs.total(), err)
	}
	n := 0
	for items, err := range Pages(context.Background(), repoPages(c)) {
		if err != nil {
			t.Fatalf("Pages: %v", err)
		}
		n += len(items)
	}
	if n != 250 {
		t.Errorf("Pages read %d items, want 250", n)
	}
	// An empty page ends the list even when it links to a next one.
	cs = hostileList(t, func(page, size int) int { return map[int]int{1: size}[page] }, "100", 0)
	c = coreClient(t, cs.URL)
	items, err = ListAll(context.Background(), c, repoPages(c), nil)
	if err != nil || len(items) != 100 || cs.total() != 2 {
		t.Errorf("empty page with a next link: %d items, %d requests, err %v", len(items), cs.total(), err)
	}
}

// stallServer answers nothing until the client gives up (or 3 s pass) and
// counts the requests per path.
func stallServer(t *testing.T) *coreServer {
	t.Helper()
	return coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(3 * time.Second):
			coreWriteJSON(w, 503, `{"detail":"gave up stalling"}`)
		}
	})
}

func TestTimeoutIsRetriedOnce(t *testing.T) {
	cs := stallServer(t)
	hc := &http.Client{Timeout: 100 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
	c := coreClient(t, cs.URL, WithHTTPClient(hc),
		WithRetryPolicy(RetryPolicy{Max: 4, Base: time.Millisecond, Cap: 2 * time.Millisecond, MaxWait: time.Second}))
	start := time.Now()
	_, _, err := c.Repos.Get(context.Background(), "acme", "app")
	took := time.Since(start)
	if !isTimeout(err) || !strings.Contains(err.Error(), "timed out twice") {
		t.Errorf("err = %v, want a timeout, twice", err)
	}
	if n := cs.count("GET /v2/namespaces/acme/repositories/app"); n != 2 {
		t.Errorf("%d attempts, want 2 (a timeout is retried once)", n)
	}
	t.Logf("a stalled GET with a 100ms timeout gave up after %v", took)
	// A refused connection is still retried as the policy says.
	dead := coreServe(t, func(http.ResponseWriter, *http.Request) {})
	addr := dead.URL
	dead.Close()
	c = coreClient(t, addr, WithRetryPolicy(RetryPolicy{Max: 3, Base: time.Millisecond, Cap: 2 * time.Millisecond, MaxWait: time.Second}))
	tries := 0
	c.sleep = func(context.Context, time.Duration) error { tries++; return nil }
	if _, _, err := c.Repos.Get(context.Background(), "acme", "app"); err == nil || isTimeout(err) || tries != 3 {
		t.Errorf("refused connection: %d retries, err %v; want 3", tries, err)
	}
}

func TestListAllStopsAtTheLoadDeadline(t *testing.T) {
	// Page 1 announces three pages; pages 2 and 3 stall.
	var mu sync.Mutex
	hits := map[string]int{}
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		page := r.URL.Query().Get("page")
		mu.Lock()
		hits[page]++
		mu.Unlock()
		if page != "1" {
			select {
			case <-r.Context().Done():
			case <-time.After(3 * time.Second):
				coreWriteJSON(w, 503, `{"detail":"gave up stalling"}`)
			}
			return
		}
		items := strings.TrimSuffix(strings.Repeat(`{"name":"x"},`, 100), ",")
		coreWriteJSON(w, 200, `{"count":300,"next":"http://`+r.Host+r.URL.Path+`?page=2&page_size=100","results":[`+items+`]}`)
	})
	const limit = 300 * time.Millisecond
	c := coreClient(t, cs.URL, WithLoadDeadline(limit))
	if c.LoadDeadline() != limit {
		t.Fatalf("LoadDeadline() = %v", c.LoadDeadline())
	}
	var seen []time.Time // the deadline each fetch saw
	fetch := func(ctx context.Context, o ListOptions) ([]Repository, *Response, error) {
		d, _ := ctx.Deadline()
		mu.Lock()
		seen = append(seen, d)
		mu.Unlock()
		return c.Repos.List(ctx, "acme", &RepoListOptions{ListOptions: o})
	}
	before := time.Now()
	_, err := ListAll(context.Background(), c, fetch, nil)
	after := time.Now()
	var de *DeadlineError
	if !errors.As(err, &de) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a *DeadlineError", err)
	}
	if de.Op != "list /v2/namespaces/acme/repositories" || de.Limit != limit ||
		de.Deadline.Before(before.Add(limit)) || de.Deadline.After(after.Add(limit)) {
		t.Errorf("DeadlineError %+v", de)
	}
	for _, d := range seen {
		if !d.Equal(de.Deadline) {
			t.Errorf("a fetch saw the deadline %v, the error says %v", d, de.Deadline)
		}
	}
	mu.Lock()
	if hits["2"] != 1 || hits["3"] != 1 {
		t.Errorf("attempts per page %v: a stalled page past the deadline is not retried", hits)
	}
	mu.Unlock()
	t.Logf("a load with a %v deadline returned after %v: %v", limit, after.Sub(before), err)

	// The default, none, and a caller's sooner deadline.
	if d := coreClient(t, cs.URL).LoadDeadline(); d != DefaultLoadDeadline || d < 10*time.Minute {
		t.Errorf("default load deadline %v", d)
	}
	c = coreClient(t, cs.URL, WithLoadDeadline(time.Hour))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := ListAll(ctx, c, repoPages(c), nil); errors.As(err, &de) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the caller's own deadline: err = %v, want a plain context deadline", err)
	}
	cs2 := hostileList(t, func(page, size int) int { return map[int]int{1: size}[page] }, "100", 1)
	c = coreClient(t, cs2.URL, WithLoadDeadline(0))
	if _, err := ListAll(context.Background(), c, func(ctx context.Context, o ListOptions) ([]Repository, *Response, error) {
		if _, ok := ctx.Deadline(); ok {
			t.Error("WithLoadDeadline(0) still set a deadline")
		}
		return c.Repos.List(ctx, "acme", &RepoListOptions{ListOptions: o})
	}, nil); err != nil {
		t.Error(err)
	}
	if _, err := New(WithLoadDeadline(-time.Second)); err == nil {
		t.Error("a negative load deadline accepted")
	}
}

func TestPathNamesAreCheckedBeforeSending(t *testing.T) {
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) { coreWriteJSON(w, 200, `{}`) })
	c := coreClient(t, cs.URL, WithToken("jwt"), WithRetryPolicy(RetryPolicy{}))
	ctx := context.Background()
	s := func(v string) *string { return &v }
	dg := "sha256:" + strings.Repeat("ab", 32)
	oat := CreateOrgAccessTokenRequest{Label: "ci", Resources: []OrgAccessTokenResource{{Type: OATResourceRepo, Path: "acme/app", Scopes: []string{OATScopeRepoPull}}}}
	e2 := func(_ any, err error) error { return err }
	e3 := func(_, _ any, err error) error { return err }
	type call struct {
		name, kind, field string
		do                func(arg string) error
	}
	calls := []call{
		{"Repos.List", "ns", "namespace", func(a string) error { return e3(c.Repos.List(ctx, a, nil)) }},
		{"Repos.ListDeprecated", "ns", "namespace", func(a string) error { return e3(c.Repos.ListDeprecated(ctx, a, nil)) }},
		{"Repos.Create", "ns", "namespace", func(a string) error { return e3(c.Repos.Create(ctx, a, &RepositoryCreateRequest{Name: "app"})) }},
		{"Repos.Get", "ns", "namespace", func(a string) error { return e3(c.Repos.Get(ctx, a, "app")) }},
		{"Repos.Get", "repo", "repository", func(a string) error { return e3(c.Repos.Get(ctx, "acme", a)) }},
		{"Repos.Check", "repo", "repository", func(a string) error { return e3(c.Repos.Check(ctx, "acme", a)) }},
		{"Repos.Update", "repo", "repository", func(a string) error {
			return e3(c.Repos.Update(ctx, "acme", a, &RepositoryUpdateRequest{Description: s("d")}))
		}},
		{"Repos.Delete", "repo", "repository", func(a string) error { return e2(c.Repos.Delete(ctx, "acme", a)) }},
		{"Repos.UpdateImmutableTags", "repo", "repository", func(a string) error {
			return e3(c.Repos.UpdateImmutableTags(ctx, "acme", a, ImmutableTagsRequest{Enabled: true, Rules: []string{"v.*"}}))
		}},
		{"Repos.VerifyImmutableTags", "repo", "repository", func(a string) error { return e3(c.Repos.VerifyImmutableTags(ctx, "acme", a, "v.*")) }},
		{"Repos.CreateGroup", "repo", "repository", func(a string) error { return e3(c.Repos.CreateGroup(ctx, "acme", a, 7, "read")) }},
		{"Repos.ListGroups", "repo", "repository", func(a string) error { return e3(c.Repos.ListGroups(ctx, "acme", a, nil)) }},
		{"Repos.DeleteGroup", "ns", "namespace", func(a string) error { return e2(c.Repos.DeleteGroup(ctx, a, "app", 7)) }},
		{"Tags.List", "repo", "repository", func(a string) error { return e3(c.Tags.List(ctx, "acme", a, nil)) }},
		{"Tags.HasTags", "ns", "namespace", func(a string) error { return e3(c.Tags.HasTags(ctx, a, "app")) }},
		{"Tags.Get", "tag", "tag", func(a string) error { return e3(c.Tags.Get(ctx, "acme", "app", a)) }},
		{"Tags.Get", "repo", "repository", func(a string) error { return e3(c.Tags.Get(ctx, "acme", a, "latest")) }},
		{"Tags.Exists", "tag", "tag", func(a string) error { return e3(c.Tags.Exists(ctx, "acme", "app", a)) }},
		{"Tags.Delete", "tag", "tag", func(a string) error { return e2(c.Tags.Delete(ctx, "acme", "app", a)) }},
		{"Tags.Delete", "ns", "namespace", func(a string) error { return e2(c.Tags.Delete(ctx, a, "app", "latest")) }},
		{"Images.List", "repo", "repository", func(a string) error { return e3(c.Images.List(ctx, "acme", a, nil)) }},
		{"Images.Tags", "digest", "digest", func(a string) error { return e3(c.Images.Tags(ctx, "acme", "app", a, nil)) }},
		{"Images.Summary", "ns", "namespace", func(a string) error { return e3(c.Images.Summary(ctx, a, "app", time.Time{})) }},
		{"Images.Delete", "ns", "namespace", func(a string) error {
			return e3(c.Images.Delete(ctx, a, &DeleteImagesRequest{DryRun: true, Manifests: []ImageRef{{Repository: "app", Digest: dg}}}))
		}},
		{"Orgs.GetSettings", "ns", "org", func(a string) error { return e3(c.Orgs.GetSettings(ctx, a)) }},
		{"Orgs.UpdateSettings", "ns", "org", func(a string) error { return e3(c.Orgs.UpdateSettings(ctx, a, OrgSettings{})) }},
		{"Members.List", "ns", "org", func(a string) error { return e3(c.Members.List(ctx, a, nil)) }},
		{"Members.UpdateRole", "user", "username", func(a string) error { return e3(c.Members.UpdateRole(ctx, "acme", a, "member")) }},
		{"Members.Remove", "user", "username", func(a string) error { return e2(c.Members.Remove(ctx, "acme", a)) }},
		{"Members.Remove", "ns", "org", func(a string) error { return e2(c.Members.Remove(ctx, a, "max")) }},
		{"Members.Export", "ns", "org", func(a string) error { return e3(c.Members.Export(ctx, a)) }},
		{"Teams.List", "ns", "org", func(a string) error { return e3(c.Teams.List(ctx, a, nil)) }},
		{"Teams.Get", "team", "team", func(a string) error { return e3(c.Teams.Get(ctx, "acme", a)) }},
		{"Teams.Create", "ns", "org", func(a string) error { return e3(c.Teams.Create(ctx, a, "devs", "")) }},
		{"Teams.Replace", "team", "team", func(a string) error { return e3(c.Teams.Replace(ctx, "acme", a, "devs", "")) }},
		{"Teams.Update", "team", "team", func(a string) error { return e3(c.Teams.Update(ctx, "acme", a, TeamUpdate{Description: s("d")})) }},
		{"Teams.Delete", "team", "team", func(a string) error { return e2(c.Teams.Delete(ctx, "acme", a)) }},
		{"Teams.ListMembers", "team", "team", func(a string) error { return e3(c.Teams.ListMembers(ctx, "acme", a, nil)) }},
		{"Teams.AddMember", "team", "team", func(a string) error { return e2(c.Teams.AddMember(ctx, "acme", a, "max")) }},
		{"Teams.RemoveMember", "user", "username", func(a string) error { return e2(c.Teams.RemoveMember(ctx, "acme", "dev-ops", a)) }},
		{"Teams.RemoveMember", "ns", "org", func(a string) error { return e2(c.Teams.RemoveMember(ctx, a, "dev-ops", "max")) }},
		{"Invites.List", "ns", "org", func(a string) error { return e3(c.Invites.List(ctx, a)) }},
		{"Invites.Cancel", "id", "id", func(a string) error { return e2(c.Invites.Cancel(ctx, a)) }},
		{"Invites.Resend", "id", "id", func(a string) error { return e2(c.Invites.Resend(ctx, a)) }},
		{"Invites.Bulk", "ns", "org", func(a string) error {
			return e3(c.Invites.Bulk(ctx, BulkInviteRequest{Org: a, Invitees: []string{"max"}}))
		}},
		{"OrgTokens.List", "ns", "name", func(a string) error { return e3(c.OrgTokens.List(ctx, a, nil)) }},
		{"OrgTokens.Create", "ns", "name", func(a string) error { return e3(c.OrgTokens.Create(ctx, a, oat)) }},
		{"OrgTokens.Get", "id", "access_token_id", func(a string) error { return e3(c.OrgTokens.Get(ctx, "acme", a)) }},
		{"OrgTokens.Update", "ns", "org_name", func(a string) error {
			return e3(c.OrgTokens.Update(ctx, a, "id1", UpdateOrgAccessTokenRequest{Label: s("x")}))
		}},
		{"OrgTokens.Delete", "id", "access_token_id", func(a string) error { return e2(c.OrgTokens.Delete(ctx, "acme", a)) }},
		{"Tokens.Get", "id", "uuid", func(a string) error { return e3(c.Tokens.Get(ctx, a)) }},
		{"Tokens.Update", "id", "uuid", func(a string) error { return e3(c.Tokens.Update(ctx, a, UpdateAccessTokenRequest{TokenLabel: s("x")})) }},
		{"Tokens.Delete", "id", "uuid", func(a string) error { return e2(c.Tokens.Delete(ctx, a)) }},
		{"Audit.List", "ns", "account", func(a string) error { return e3(c.Audit.List(ctx, a, nil)) }},
		{"Audit.Actions", "ns", "account", func(a string) error { return e3(c.Audit.Actions(ctx, a)) }},
		{"SCIM.ResourceType", "id", "name", func(a string) error { return e3(c.SCIM.ResourceType(ctx, a)) }},
		{"SCIM.Schema", "id", "id", func(a string) error { return e3(c.SCIM.Schema(ctx, a)) }},
		{"SCIM.GetUser", "id", "id", func(a string) error { return e3(c.SCIM.GetUser(ctx, a)) }},
		{"SCIM.UpdateUser", "id", "id", func(a string) error { return e3(c.SCIM.UpdateUser(ctx, a, SCIMUpdateUserRequest{Enabled: true})) }},
		{"Account.Profile", "user", "username", func(a string) error { return e3(c.Account.Profile(ctx, a)) }},
		{"Account.UpdateProfile", "user", "username", func(a string) error {
			return e3(c.Account.UpdateProfile(ctx, a, ProfileUpdate{FullName: s("A")}))
		}},
		{"Account.Emails", "user", "username", func(a string) error { return e3(c.Account.Emails(ctx, a)) }},
		{"Account.AddEmail", "user", "username", func(a string) error { return e3(c.Account.AddEmail(ctx, a, "a@example.com")) }},
		{"Account.DeleteEmail", "user", "username", func(a string) error { return e2(c.Account.DeleteEmail(ctx, a, "a@example.com")) }},
	}
	traversal := []string{"", "../..", "..", ".", "a/b", "%2e%2e", "..%2F..", "%2F", "a\\b", "a b", "a?b", "a#b", "a\x00b", "a\nb"}
	bad := map[string][]string{
		"ns":     append([]string{"Acme", "-acme", "_acme", "a", "a.b", "é", strings.Repeat("a", 256)}, traversal...),
		"user":   append([]string{"Max", "-max", "m", "max@example.com", strings.Repeat("m", 256)}, traversal...),
		"repo":   append([]string{"App", "a..b", "a-", "-a", "_a", "a_", ".a", "a.-b", "a___b", strings.Repeat("a", 256)}, traversal...),
		"tag":    append([]string{".hidden", "-x", "v1:2", "v1+2", strings.Repeat("t", 129)}, traversal...),
		"team":   append([]string{".devs", "-devs", "_devs", strings.Repeat("t", 256)}, traversal...),
		"id":     traversal,
		"digest": append([]string{"sha256", "sha256:", ":abc", "SHA256:abc", "sha256:ab/cd", "sha256:../..", "../..:ab", "sha256+:ab"}, traversal...),
	}
	good := map[string][]string{
		"ns":     {"acme", "ab", "my_org", "my-org", "4am", strings.Repeat("a", 255)},
		"user":   {"max", "ab", "old_user"},
		"repo":   {"app", "a", "my-app", "my--app", "my_app", "my__app", "my.app", "a1.b2_c3-d4", strings.Repeat("a", 255)},
		"tag":    {"latest", "v1.2.3", "_private", "V1_RC-2", strings.Repeat("t", 128)},
		"team":   {"dev-ops", "Backend", "a", "team_1.x"},
		"id":     {"0b7c2b6e-7e1c-4b8e-9c1a-3f1e2d4c5b6a", "urn:ietf:params:scim:schemas:core:2.0:User", "User", "42"},
		"digest": {dg, "sha512:" + strings.Repeat("c", 128), "sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564"},
	}
	for _, cl := range calls {
		for _, arg := range bad[cl.kind] {
			before := cs.total()
			err := cl.do(arg)
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field != cl.field {
				t.Errorf("%s(%s %q): err = %v, want a *ValidationError for %s", cl.name, cl.kind, arg, err, cl.field)
			}
			if n := cs.total() - before; n != 0 {
				t.Errorf("%s(%s %q): %d requests sent", cl.name, cl.kind, arg, n)
			}
		}
		for _, arg := range good[cl.kind] {
			before := cs.total()
			err := cl.do(arg)
			var ve *ValidationError
			if errors.As(err, &ve) {
				t.Errorf("%s(%s %q): refused: %v", cl.name, cl.kind, arg, err)
			}
			if n := cs.total() - before; n == 0 {
				t.Errorf("%s(%s %q): nothing sent", cl.name, cl.kind, arg)
			}
		}
	}
}
