package hubsim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// coreT0 is where fake clocks start in these tests.
func coreT0() time.Time { return time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC) }

// coreStart serves a simulator over loopback with Start.
func coreStart(t *testing.T, opts Options) (*Server, string) {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	url, stop, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(stop)
	return s, url
}

// coreDo sends one request with fresh connections and returns the answer
// and its body.
func coreDo(t *testing.T, method, url, body string, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read: %v", method, url, err)
	}
	return resp, b
}

func coreJSONMap(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("body %q: %v", b, err)
	}
	return m
}

const coreDemoLogin = `{"identifier":"demo","secret":"demo"}`

func TestNewDefaultsAndDatasets(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.opts.Seed != 1 || s.opts.TokenTTL != 10*time.Minute || s.opts.RateLimit != 180 || s.opts.Dataset != "demo" {
		t.Errorf("defaults = %+v", s.opts)
	}
	if _, ok := s.clock.(RealClock); !ok {
		t.Errorf("default clock %T", s.clock)
	}
	if d := time.Since(s.clock.Now()); d < 0 || d > time.Minute {
		t.Errorf("RealClock is off by %v", d)
	}
	if _, err := New(Options{Dataset: "no-such-dataset"}); err == nil {
		t.Error("unknown dataset accepted")
	}
	e, err := New(Options{Dataset: "empty"})
	if err != nil {
		t.Fatal(err)
	}
	e.Close()
	e.Close() // twice is fine
}

func TestRateLimitHeadersOnEveryAnswer(t *testing.T) {
	clk := NewFakeClock(coreT0())
	_, url := coreStart(t, Options{RateLimit: 50, Clock: clk})
	for i, tc := range []struct {
		method, path, body string
		hdr                map[string]string
		status             int
	}{
		{"POST", "/v2/auth/token", coreDemoLogin, nil, 200},
		{"POST", "/v2/auth/token", `{"identifier":"demo","secret":"nope"}`, nil, 401},
		{"POST", "/v2/users/login", `{"username":"demo","password":"nope"}`, nil, 401},
		{"POST", "/v2/auth/token", `{not json`, nil, 400},
		{"GET", "/v2/no/such/thing", "", nil, 404},
		{"DELETE", "/v2/auth/token", "", nil, 405}, // a served path, another method
		{"GET", "/v2/no/such/path", "", nil, 404},
	} {
		resp, body := coreDo(t, tc.method, url+tc.path, tc.body, tc.hdr)
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s = %d %s, want %d", tc.method, tc.path, resp.StatusCode, body, tc.status)
		}
		h := resp.Header
		if h.Get("X-RateLimit-Limit") != "50" {
			t.Errorf("%s %s: X-RateLimit-Limit = %q", tc.method, tc.path, h.Get("X-RateLimit-Limit"))
		}
		if got, want := h.Get("X-RateLimit-Remaining"), strconv.Itoa(50-1-i); got != want {
			t.Errorf("%s %s: X-RateLimit-Remaining = %q, want %q", tc.method, tc.path, got, want)
		}
		if got, want := h.Get("X-RateLimit-Reset"), strconv.FormatInt(coreT0().Add(time.Minute).Unix(), 10); got != want {
			t.Errorf("%s %s: X-RateLimit-Reset = %q, want %q", tc.method, tc.path, got, want)
		}
	}
	// Disabled rate limit: no headers.
	_, url2 := coreStart(t, Options{RateLimit: -1})
	resp, _ := coreDo(t, "POST", url2+"/v2/auth/token", coreDemoLogin, nil)
	if resp.Header.Get("X-RateLimit-Limit") != "" || resp.StatusCode != 200 {
		t.Errorf("RateLimit -1: %d, headers %v", resp.StatusCode, resp.Header)
	}
}

func TestRateLimitBudgetAndReset(t *testing.T) {
	clk := NewFakeClock(coreT0())
	s, url := coreStart(t, Options{RateLimit: 3, Clock: clk})
	login := func() *http.Response {
		resp, _ := coreDo(t, "POST", url+"/v2/auth/token", coreDemoLogin, nil)
		return resp
	}
	for i := range 3 {
		if r := login(); r.StatusCode != 200 {
			t.Fatalf("request %d: %d", i+1, r.StatusCode)
		}
	}
	resp, body := coreDo(t, "POST", url+"/v2/auth/token", coreDemoLogin, nil)
	if resp.StatusCode != 429 {
		t.Fatalf("over budget: %d", resp.StatusCode)
	}
	if resp.Header.Get("Retry-After") != "60" || resp.Header.Get("X-RateLimit-Remaining") != "0" {
		t.Errorf("Retry-After %q Remaining %q", resp.Header.Get("Retry-After"), resp.Header.Get("X-RateLimit-Remaining"))
	}
	m := coreJSONMap(t, body)
	if m["detail"] != "Rate limit exceeded. Please retry later." || m["message"] == nil {
		t.Errorf("429 body = %s", body)
	}
	// Another caller (a bearer token) has its own budget.
	resp, _ = coreDo(t, "GET", url+"/v2/no/such", "", map[string]string{"Authorization": "Bearer someone.else.token"})
	if resp.StatusCode == 429 || resp.Header.Get("X-RateLimit-Remaining") != "2" {
		t.Errorf("other caller: %d remaining %q", resp.StatusCode, resp.Header.Get("X-RateLimit-Remaining"))
	}
	// A caller is its token's subject: a renewed token shares the budget.
	tok1 := s.issue(principal{User: EditorUser, Kind: KindPassword}, KindPassword, time.Hour)
	tok2 := s.issue(principal{User: EditorUser, Kind: KindPAT}, KindPAT, time.Hour)
	for i, tok := range []string{tok1, tok2, tok1} {
		resp, _ = coreDo(t, "GET", url+"/v2/no/such", "", map[string]string{"Authorization": "Bearer " + tok})
		if got, want := resp.Header.Get("X-RateLimit-Remaining"), strconv.Itoa(2-i); got != want {
			t.Errorf("token %d of erin: remaining %s, want %s", i, got, want)
		}
	}
	resp, _ = coreDo(t, "GET", url+"/v2/no/such", "", map[string]string{"Authorization": "JWT " + tok2})
	if resp.StatusCode != 429 {
		t.Errorf("erin over budget: %d", resp.StatusCode)
	}
	clk.Advance(20*time.Second + 300*time.Millisecond)
	resp = login()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "40" {
		t.Errorf("20.3s later: %d Retry-After %q, want 429 and 40", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	clk.Advance(39*time.Second + 700*time.Millisecond) // the minute is over
	resp = login()
	if resp.StatusCode != 200 || resp.Header.Get("X-RateLimit-Remaining") != "2" {
		t.Errorf("after the minute: %d remaining %q", resp.StatusCode, resp.Header.Get("X-RateLimit-Remaining"))
	}
	if got, want := resp.Header.Get("X-RateLimit-Reset"), strconv.FormatInt(clk.Now().Add(time.Minute).Unix(), 10); got != want {
		t.Errorf("new window reset = %s, want %s", got, want)
	}
	login()
	login()
	if r := login(); r.StatusCode != 429 {
		t.Errorf("second window over budget: %d", r.StatusCode)
	}
	s.ResetRateLimits()
	if r := login(); r.StatusCode != 200 {
		t.Errorf("after ResetRateLimits: %d", r.StatusCode)
	}
}

func TestRouteFallbackAndMethods(t *testing.T) {
	_, url := coreStart(t, Options{RateLimit: -1})
	resp, body := coreDo(t, "GET", url+"/v2/definitely/not/here", "", nil)
	m := coreJSONMap(t, body)
	if resp.StatusCode != 404 || !strings.Contains(m["detail"].(string), "/v2/definitely/not/here") || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("unknown route: %d %s", resp.StatusCode, body)
	}
}

func TestLatency(t *testing.T) {
	_, url := coreStart(t, Options{RateLimit: -1, Latency: 60 * time.Millisecond, Jitter: 20 * time.Millisecond})
	start := time.Now()
	coreDo(t, "POST", url+"/v2/auth/token", coreDemoLogin, nil)
	if el := time.Since(start); el < 60*time.Millisecond {
		t.Errorf("answered after %v, want at least the 60ms latency", el)
	}
}

// corePagingHandler lists total numbered items with parsePaging, window and
// newPage, as an area handler does.
func corePagingHandler(total, defaultSize int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := parsePaging(w, r, defaultSize)
		if !ok {
			return
		}
		lo, hi, ok := p.window(w, total)
		if !ok {
			return
		}
		items := make([]int, 0, hi-lo)
		for i := lo; i < hi; i++ {
			items = append(items, i)
		}
		writeJSON(w, http.StatusOK, newPage(r, p, total, items))
	}
}

type corePageBody struct {
	Count    int     `json:"count"`
	Next     *string `json:"next"`
	Previous *string `json:"previous"`
	Results  []int   `json:"results"`
}

func TestPaging(t *testing.T) {
	srv := httptest.NewServer(corePagingHandler(45, 10))
	defer srv.Close()
	get := func(q string) (int, corePageBody, map[string]any) {
		resp, body := coreDo(t, "GET", srv.URL+"/v2/items/?"+q, "", nil)
		var pb corePageBody
		var m map[string]any
		_ = json.Unmarshal(body, &pb)
		_ = json.Unmarshal(body, &m)
		return resp.StatusCode, pb, m
	}
	str := func(p *string) string {
		if p == nil {
			return "null"
		}
		return *p
	}

	st, pb, m := get("")
	if st != 200 || pb.Count != 45 || len(pb.Results) != 10 || pb.Results[0] != 0 || pb.Previous != nil {
		t.Errorf("default page: %d %+v", st, pb)
	}
	if _, ok := m["previous"]; !ok {
		t.Error("previous missing instead of null")
	}
	if str(pb.Next) != srv.URL+"/v2/items/?page=2&page_size=10" {
		t.Errorf("next = %s", str(pb.Next))
	}

	// Other query parameters are kept in the links, which are absolute.
	st, pb, _ = get("ordering=-name&page=3&page_size=20")
	if st != 200 || len(pb.Results) != 5 || pb.Results[0] != 40 || pb.Next != nil {
		t.Errorf("last page: %d %+v", st, pb)
	}
	if got, want := str(pb.Previous), srv.URL+"/v2/items/?ordering=-name&page=2&page_size=20"; got != want {
		t.Errorf("previous = %s, want %s", got, want)
	}

	st, pb, _ = get("page=2&page_size=20")
	if st != 200 || pb.Results[0] != 20 || str(pb.Next) != srv.URL+"/v2/items/?page=3&page_size=20" || str(pb.Previous) != srv.URL+"/v2/items/?page=1&page_size=20" {
		t.Errorf("middle page: %d next %s previous %s", st, str(pb.Next), str(pb.Previous))
	}

	st, _, _ = get("page_size=100")
	if st != 200 {
		t.Errorf("page_size=100: %d", st)
	}
	for _, q := range []string{"page_size=101", "page_size=1000", "page_size=0", "page_size=-3", "page_size=x", "page=0", "page=-1", "page=two"} {
		st, _, m = get(q)
		if st != 400 {
			t.Errorf("%s: %d, want 400", q, st)
			continue
		}
		fields, _ := m["fields"].(map[string]any)
		if len(fields) != 1 || m["text"] == nil {
			t.Errorf("%s: body %v is not the ValueError shape", q, m)
		}
	}
	st, _, m = get("page_size=101")
	if f, _ := m["fields"].(map[string]any); st != 400 || f["page_size"] == nil {
		t.Errorf("page_size=101: fields %v do not name page_size", m["fields"])
	}
	for _, q := range []string{"page=6&page_size=10", "page=4&page_size=20", "page=99", "page=9223372036854775807",
		"page=922337203685477581&page_size=10", "page=230584300921369396&page_size=40"} {
		if st, _, m = get(q); st != 404 || m["detail"] != "Invalid page." {
			t.Errorf("%s: %d %v, want 404 Invalid page.", q, st, m)
		}
	}
	st, pb, _ = get("page=5&page_size=10")
	if st != 200 || len(pb.Results) != 5 || pb.Next != nil {
		t.Errorf("exact last page: %d %+v", st, pb)
	}

	// An empty list: page 1 is fine, page 2 is not.
	empty := httptest.NewServer(corePagingHandler(0, 10))
	defer empty.Close()
	resp, body := coreDo(t, "GET", empty.URL+"/v2/items/", "", nil)
	if resp.StatusCode != 200 || string(body) != `{"count":0,"next":null,"previous":null,"results":[]}` {
		t.Errorf("empty list: %d %s", resp.StatusCode, body)
	}
	resp, _ = coreDo(t, "GET", empty.URL+"/v2/items/?page=2", "", nil)
	if resp.StatusCode != 404 {
		t.Errorf("empty list page 2: %d", resp.StatusCode)
	}
}

func TestPagingWindow(t *testing.T) {
	for _, tc := range []struct {
		p             paging
		total, lo, hi int
		ok            bool
	}{
		{paging{1, 10}, 0, 0, 0, true},
		{paging{2, 10}, 0, 0, 0, false},
		{paging{1, 10}, 45, 0, 10, true},
		{paging{5, 10}, 45, 40, 45, true},
		{paging{6, 10}, 45, 0, 0, false},
		{paging{5, 10}, 50, 40, 50, true},
		{paging{6, 10}, 50, 0, 0, false},
		{paging{1, 100}, 3, 0, 3, true},
		{paging{1 << 62, 100}, 3, 0, 0, false},
		{paging{1, 0}, 3, 0, 0, true},
		{paging{2, 0}, 3, 0, 0, false},
	} {
		w := httptest.NewRecorder()
		lo, hi, ok := tc.p.window(w, tc.total)
		if ok != tc.ok || (ok && (lo != tc.lo || hi != tc.hi)) {
			t.Errorf("%+v over %d = %d,%d,%v; want %d,%d,%v", tc.p, tc.total, lo, hi, ok, tc.lo, tc.hi, tc.ok)
		}
		if !ok && w.Code != 404 {
			t.Errorf("%+v over %d: answered %d", tc.p, tc.total, w.Code)
		}
	}
}

func TestPageLinkScheme(t *testing.T) {
	r := httptest.NewRequest("GET", "http://hub.example:8080/v2/x/?page=1&q=a+b", nil)
	if got, want := pageLink(r, 2, 50), "http://hub.example:8080/v2/x/?page=2&page_size=50&q=a+b"; got != want {
		t.Errorf("pageLink = %s, want %s", got, want)
	}
	r.Header.Set("X-Forwarded-Proto", "https")
	if got := pageLink(r, 2, 50); !strings.HasPrefix(got, "https://hub.example:8080/") {
		t.Errorf("behind TLS proxy: %s", got)
	}
	r = httptest.NewRequest("GET", "https://hub.example/v2/x/", nil)
	if got := pageLink(r, 3, 10); got != "https://hub.example/v2/x/?page=3&page_size=10" {
		t.Errorf("TLS: %s", got)
	}
}

func TestHTTPHelpers(t *testing.T) {
	w := httptest.NewRecorder()
	writeError(w, 403, "no")
	if w.Code != 403 || w.Body.String() != `{"detail":"no","message":"no"}` || w.Header().Get("Content-Type") != "application/json" {
		t.Errorf("writeError: %d %s", w.Code, w.Body)
	}
	w = httptest.NewRecorder()
	writeErrInfo(w, 409, "exists", map[string]string{"team": "exists"})
	if w.Body.String() != `{"detail":"exists","errinfo":{"team":"exists"},"message":"exists"}` {
		t.Errorf("writeErrInfo: %s", w.Body)
	}
	w = httptest.NewRecorder()
	writeErrInfo(w, 404, "gone", nil)
	if w.Body.String() != `{"detail":"gone","message":"gone"}` {
		t.Errorf("writeErrInfo without info: %s", w.Body)
	}
	w = httptest.NewRecorder()
	writeFieldErrors(w, "bad", map[string][]string{"name": {"required"}})
	if w.Code != 400 || w.Body.String() != `{"fields":{"name":["required"]},"text":"bad"}` {
		t.Errorf("writeFieldErrors: %d %s", w.Code, w.Body)
	}
	w = httptest.NewRecorder()
	writeJSON(w, 200, make(chan int))
	if w.Code != 500 {
		t.Errorf("unencodable: %d", w.Code)
	}
	var v struct{ A int }
	w = httptest.NewRecorder()
	if readJSON(w, httptest.NewRequest("POST", "/", strings.NewReader(`{"A":`)), &v) || w.Code != 400 {
		t.Errorf("readJSON bad body: %d", w.Code)
	}
	w = httptest.NewRecorder()
	if !readJSON(w, httptest.NewRequest("POST", "/", strings.NewReader(`{"A":7}`)), &v) || v.A != 7 {
		t.Errorf("readJSON: %+v", v)
	}
	if ts(time.Time{}) != "" || tsPtr(time.Time{}) != nil {
		t.Error("zero time")
	}
	at := time.Date(2024, 1, 2, 3, 4, 5, 6000, time.FixedZone("x", 3600))
	if got := ts(at); got != "2024-01-02T02:04:05.000006Z" {
		t.Errorf("ts = %s", got)
	}
	if p := tsPtr(at); p == nil || *p != ts(at) {
		t.Error("tsPtr")
	}
}

func TestFakeClock(t *testing.T) {
	c := NewFakeClock(coreT0())
	if !c.Now().Equal(coreT0()) {
		t.Error("start")
	}
	c.Advance(90 * time.Second)
	if !c.Now().Equal(coreT0().Add(90 * time.Second)) {
		t.Error("advance")
	}
	var _ Clock = c
	var _ Clock = RealClock{}
}
