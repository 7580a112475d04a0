package hubclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type coreItem struct {
	N int `json:"n"`
}

// coreList serves /v2/items: total items in pages with count and absolute
// next/previous links, the way the Hub does.
type coreList struct {
	*coreServer
	total    int
	noCount  bool
	limit    int // X-RateLimit-Limit; 0 sends none
	remain   int // X-RateLimit-Remaining
	barrier  int // hold each page request until this many are in flight (or 150ms)
	hold     time.Duration
	fail     map[int]int // page → status to answer
	inflight atomic.Int32
	maxSeen  atomic.Int32
	mu       sync.Mutex
	pages    []int
}

func coreServeList(t *testing.T, l *coreList) *coreList {
	l.coreServer = coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		page, _ := strconv.Atoi(q.Get("page"))
		size, _ := strconv.Atoi(q.Get("page_size"))
		if page < 1 || size < 1 || size > 100 {
			coreWriteJSON(w, 400, `{"fields":{"page_size":["bad"]}}`)
			return
		}
		l.mu.Lock()
		l.pages = append(l.pages, page)
		l.mu.Unlock()
		if page > 1 {
			n := l.inflight.Add(1)
			defer l.inflight.Add(-1)
			for {
				m := l.maxSeen.Load()
				if n <= m || l.maxSeen.CompareAndSwap(m, n) {
					break
				}
			}
			if l.barrier > 0 {
				deadline := time.Now().Add(150 * time.Millisecond)
				for int(l.inflight.Load()) < l.barrier && time.Now().Before(deadline) {
					time.Sleep(time.Millisecond)
				}
			}
			if l.hold > 0 {
				time.Sleep(l.hold)
			}
		}
		if l.limit > 0 {
			w.Header().Set("X-RateLimit-Limit", strconv.Itoa(l.limit))
			w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(l.remain))
		}
		if st := l.fail[page]; st != 0 {
			if st < 0 { // block until the client gives up
				select {
				case <-r.Context().Done():
				case <-time.After(5 * time.Second):
				}
				return
			}
			coreWriteJSON(w, st, `{"detail":"page `+strconv.Itoa(page)+` failed"}`)
			return
		}
		lo := (page - 1) * size
		if lo >= l.total && page > 1 {
			coreWriteJSON(w, 404, `{"detail":"Invalid page."}`)
			return
		}
		hi := min(lo+size, l.total)
		body := struct {
			Count    *int       `json:"count,omitempty"`
			Next     *string    `json:"next"`
			Previous *string    `json:"previous"`
			Results  []coreItem `json:"results"`
		}{Results: []coreItem{}}
		if !l.noCount {
			body.Count = &l.total
		}
		link := func(p int) *string {
			u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawQuery: url.Values{"page": {strconv.Itoa(p)}, "page_size": {strconv.Itoa(size)}}.Encode()}
			s := u.String()
			return &s
		}
		if hi < l.total {
			body.Next = link(page + 1)
		}
		if page > 1 {
			body.Previous = link(page - 1)
		}
		for i := lo; i < hi; i++ {
			body.Results = append(body.Results, coreItem{i})
		}
		b, _ := json.Marshal(body)
		coreWriteJSON(w, 200, string(b))
	})
	return l
}

func (l *coreList) fetch(c *Client) PageFunc[coreItem] {
	return func(ctx context.Context, o ListOptions) ([]coreItem, *Response, error) {
		return getPage[coreItem](ctx, c, "/v2/items", o.values())
	}
}

func coreCheckItems(t *testing.T, items []coreItem, total int) {
	t.Helper()
	if len(items) != total {
		t.Fatalf("got %d items, want %d", len(items), total)
	}
	for i, it := range items {
		if it.N != i {
			t.Fatalf("item %d = %d: order not preserved", i, it.N)
		}
	}
}

func TestListOptions(t *testing.T) {
	for _, tc := range []struct {
		o    ListOptions
		ok   bool
		want string
	}{
		{ListOptions{}, true, "page=1&page_size=100"},
		{ListOptions{Page: 3, PageSize: 25}, true, "page=3&page_size=25"},
		{ListOptions{PageSize: 100}, true, "page=1&page_size=100"},
		{ListOptions{PageSize: 101}, false, ""},
		{ListOptions{PageSize: -1}, false, ""},
		{ListOptions{Page: -1}, false, ""},
	} {
		err := tc.o.validate()
		if (err == nil) != tc.ok {
			t.Errorf("%+v: validate = %v", tc.o, err)
		}
		var ve *ValidationError
		if err != nil && !errors.As(err, &ve) {
			t.Errorf("%+v: err %T, want *ValidationError", tc.o, err)
		}
		if tc.ok {
			if got := tc.o.values().Encode(); got != tc.want {
				t.Errorf("%+v: values = %q, want %q", tc.o, got, tc.want)
			}
		}
	}
}

func TestGetPage(t *testing.T) {
	l := coreServeList(t, &coreList{total: 250})
	c := coreClient(t, l.URL)
	items, resp, err := getPage[coreItem](context.Background(), c, "/v2/items", ListOptions{Page: 2}.values())
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 100 || items[0].N != 100 || resp.Count != 250 {
		t.Errorf("items %d first %d count %d", len(items), items[0].N, resp.Count)
	}
	if resp.Next != l.URL+"/v2/items?page=3&page_size=100" || resp.Previous != l.URL+"/v2/items?page=1&page_size=100" {
		t.Errorf("next %q previous %q", resp.Next, resp.Previous)
	}
	_, resp, err = getPage[coreItem](context.Background(), c, "/v2/items", ListOptions{Page: 3}.values())
	if err != nil || resp.Next != "" {
		t.Errorf("last page: next %q err %v", resp.Next, err)
	}
	_, _, err = getPage[coreItem](context.Background(), c, "/v2/items", ListOptions{Page: 9}.values())
	if !IsStatus(err, 404) {
		t.Errorf("past the end: %v", err)
	}
}

func TestParsePageLink(t *testing.T) {
	for _, tc := range []struct {
		link       string
		page, size int
		bad        bool
	}{
		{"", 0, 0, false},
		{"https://hub.docker.com/v2/repositories/acme/?page=2&page_size=100", 2, 100, false},
		{"http://127.0.0.1:5000/v2/orgs/acme/members/?page_size=25&page=7&role=owner", 7, 25, false},
		{"https://hub.docker.com/v2/x?page_size=10", 1, 10, false},
		{"https://hub.docker.com/v2/x?page=3", 3, 0, false},
		{"/v2/x?page=4&page_size=5", 4, 5, false},
		{"https://hub.docker.com/v2/x?page=0", 0, 0, true},
		{"https://hub.docker.com/v2/x?page=-1", 0, 0, true},
		{"https://hub.docker.com/v2/x?page=two", 0, 0, true},
		{"https://hub.docker.com/v2/x?page=2&page_size=0", 0, 0, true},
		{"https://hub.docker.com/v2/x?page=2&page_size=x", 0, 0, true},
		{"http://[::1", 0, 0, true},
		{"https://hub.docker.com/v2/x?page=%zz", 1, 0, false}, // unparsable query is ignored by url.Query
	} {
		p, s, err := ParsePageLink(tc.link)
		if (err != nil) != tc.bad {
			t.Errorf("%q: err = %v", tc.link, err)
			continue
		}
		if !tc.bad && (p != tc.page || s != tc.size) {
			t.Errorf("%q = %d,%d; want %d,%d", tc.link, p, s, tc.page, tc.size)
		}
	}
}

func FuzzParsePageLink(f *testing.F) {
	f.Add("https://hub.docker.com/v2/repositories/acme/?page=2&page_size=100", 2, 100)
	f.Add("http://127.0.0.1:1/v2/x?page=1", 1, 1)
	f.Add("", 0, 0)
	f.Add("%%%", -1, 5)
	f.Add("http://[::1]:80/a b?page=99999999999999999999", 3, 0)
	f.Fuzz(func(t *testing.T, link string, page, size int) {
		p, s, err := ParsePageLink(link)
		if err == nil && link != "" && (p < 1 || s < 0) {
			t.Fatalf("ParsePageLink(%q) = %d,%d without error", link, p, s)
		}
		if page < 1 || size < 1 {
			return
		}
		// A valid link built from page and size round-trips, whatever the
		// rest of the URL holds.
		u := url.URL{Scheme: "https", Host: "hub.docker.com", Path: "/v2/" + link,
			RawQuery: url.Values{"page": {strconv.Itoa(page)}, "page_size": {strconv.Itoa(size)}, "name": {link}}.Encode()}
		p, s, err = ParsePageLink(u.String())
		if err != nil || p != page || s != size {
			t.Fatalf("ParsePageLink(%q) = %d,%d,%v; want %d,%d", u.String(), p, s, err, page, size)
		}
	})
}

func TestListAllOrderConcurrencyAndPages(t *testing.T) {
	const total = 1234 // 13 pages
	l := coreServeList(t, &coreList{total: total, barrier: 3})
	c := coreClient(t, l.URL, WithConcurrency(3))
	var mu sync.Mutex
	var inCallback atomic.Int32
	seen := map[int]int{}
	items, err := ListAll(context.Background(), c, l.fetch(c), func(page int, items []coreItem) {
		if inCallback.Add(1) != 1 {
			t.Error("onPage called concurrently")
		}
		defer inCallback.Add(-1)
		time.Sleep(2 * time.Millisecond) // long enough for overlapping calls to show
		mu.Lock()
		defer mu.Unlock()
		seen[page]++
		if len(items) > 0 && items[0].N != (page-1)*100 {
			t.Errorf("onPage(%d) got items starting at %d", page, items[0].N)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	coreCheckItems(t, items, total)
	if got := l.maxSeen.Load(); got != 3 {
		t.Errorf("max in flight = %d, want 3", got)
	}
	if len(seen) != 13 {
		t.Errorf("onPage saw %d pages: %v", len(seen), seen)
	}
	for p := 1; p <= 13; p++ {
		if seen[p] != 1 {
			t.Errorf("onPage saw page %d %d times", p, seen[p])
		}
	}
	if n := l.count("GET /v2/items"); n != 13 {
		t.Errorf("requests = %d, want 13", n)
	}
}

func TestListAllDefaultConcurrencyBound(t *testing.T) {
	l := coreServeList(t, &coreList{total: 2500, barrier: DefaultConcurrency, hold: 5 * time.Millisecond})
	c := coreClient(t, l.URL)
	items, err := ListAll(context.Background(), c, l.fetch(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	coreCheckItems(t, items, 2500)
	if got := l.maxSeen.Load(); got != DefaultConcurrency {
		t.Errorf("max in flight = %d, want %d", got, DefaultConcurrency)
	}
}

func TestListAllBudget(t *testing.T) {
	for _, tc := range []struct {
		limit, remain, want int
	}{
		{180, 5, 1},    // remaining below the pages to fetch: one at a time
		{180, 20, 5},   // remaining 20 < 24 pages and < 4×8: 20/4
		{180, 40, 4},   // under a quarter of the limit: half the concurrency
		{180, 170, 8},  // plenty left
		{0, 0, 8},      // no rate headers: the configured concurrency
		{180, 0, 1},    // nothing left: still one at a time
		{1000, 100, 4}, // 100 ≥ 24 pages but under a quarter
	} {
		l := coreServeList(t, &coreList{total: 2500, limit: tc.limit, remain: tc.remain, barrier: tc.want, hold: 2 * time.Millisecond})
		c := coreClient(t, l.URL)
		items, err := ListAll(context.Background(), c, l.fetch(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		coreCheckItems(t, items, 2500)
		if got := int(l.maxSeen.Load()); got != tc.want {
			t.Errorf("limit %d remaining %d: max in flight = %d, want %d", tc.limit, tc.remain, got, tc.want)
		}
	}
}

func TestListAllWithoutCount(t *testing.T) {
	l := coreServeList(t, &coreList{total: 345, noCount: true})
	c := coreClient(t, l.URL)
	var pages []int
	items, err := ListAll(context.Background(), c, l.fetch(c), func(page int, items []coreItem) { pages = append(pages, page) })
	if err != nil {
		t.Fatal(err)
	}
	coreCheckItems(t, items, 345)
	if !slices.Equal(pages, []int{1, 2, 3, 4}) {
		t.Errorf("onPage saw %v", pages)
	}
	if got := l.maxSeen.Load(); got != 1 {
		t.Errorf("max in flight = %d, want 1 (links followed one by one)", got)
	}

	// An error mid-way keeps what was read and names the page.
	l2 := coreServeList(t, &coreList{total: 345, noCount: true, fail: map[int]int{3: 403}})
	c2 := coreClient(t, l2.URL)
	items, err = ListAll(context.Background(), c2, l2.fetch(c2), nil)
	if !IsStatus(err, 403) || len(items) != 200 {
		t.Errorf("err = %v, items = %d", err, len(items))
	}
}

func TestListAllLinksThatLoop(t *testing.T) {
	// A server whose next link points back to page 1 must not loop forever.
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		coreWriteJSON(w, 200, `{"next":"http://`+r.Host+`/v2/items?page=1&page_size=2","results":[{"n":0},{"n":1}]}`)
	})
	c := coreClient(t, cs.URL)
	fetch := func(ctx context.Context, o ListOptions) ([]coreItem, *Response, error) {
		return getPage[coreItem](ctx, c, "/v2/items", o.values())
	}
	items, err := ListAll(context.Background(), c, fetch, nil)
	if err != nil || len(items) != 2 || cs.total() != 1 {
		t.Errorf("ListAll = %d items, %v, %d requests", len(items), err, cs.total())
	}
	n := 0
	for _, err := range Pages(context.Background(), PageFunc[coreItem](fetch)) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n > 5 {
			t.Fatal("Pages loops")
		}
	}
}

func TestListAllErrorCancelsTheRest(t *testing.T) {
	// Pages 2 and 4 hang until cancelled; page 3 fails at once.
	l := coreServeList(t, &coreList{total: 1300, fail: map[int]int{2: -1, 3: 403, 4: -1}})
	c := coreClient(t, l.URL, WithConcurrency(3))
	start := time.Now()
	items, err := ListAll(context.Background(), c, l.fetch(c), nil)
	if !IsStatus(err, 403) || items != nil {
		t.Fatalf("err = %v, items = %d", err, len(items))
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %v: the rest was not cancelled", el)
	}
	l.mu.Lock()
	pages := slices.Clone(l.pages)
	l.mu.Unlock()
	for _, p := range pages {
		if p > 4 {
			t.Errorf("page %d was fetched after the error (saw %v)", p, pages)
		}
	}
	if want := "page 3: "; len(err.Error()) < len(want) || err.Error()[:len(want)] != want {
		t.Errorf("error %q does not name the page", err)
	}
}

func TestListAllShrinkingList(t *testing.T) {
	// A page that disappears (404) while reading is skipped.
	l := coreServeList(t, &coreList{total: 450, fail: map[int]int{5: 404}})
	c := coreClient(t, l.URL)
	items, err := ListAll(context.Background(), c, l.fetch(c), nil)
	if err != nil || len(items) != 400 {
		t.Errorf("items %d err %v", len(items), err)
	}
}

func TestListAllSmallAndEmpty(t *testing.T) {
	for _, total := range []int{0, 1, 100} {
		l := coreServeList(t, &coreList{total: total})
		c := coreClient(t, l.URL)
		calls := 0
		items, err := ListAll(context.Background(), c, l.fetch(c), func(int, []coreItem) { calls++ })
		if err != nil {
			t.Fatal(err)
		}
		coreCheckItems(t, items, total)
		if l.count("GET /v2/items") != 1 || calls != 1 {
			t.Errorf("total %d: %d requests, %d callbacks", total, l.count("GET /v2/items"), calls)
		}
	}
	// First page fails: the error, nothing else.
	l := coreServeList(t, &coreList{total: 500, fail: map[int]int{1: 403}})
	c := coreClient(t, l.URL)
	if _, err := ListAll(context.Background(), c, l.fetch(c), nil); !IsStatus(err, 403) || l.coreServer.total() != 1 {
		t.Errorf("err = %v requests = %d", err, l.coreServer.total())
	}
}

func TestListAllParentCancelled(t *testing.T) {
	l := coreServeList(t, &coreList{total: 1300, fail: map[int]int{2: -1, 3: -1, 4: -1}})
	c := coreClient(t, l.URL, WithConcurrency(3))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := ListAll(ctx, c, l.fetch(c), nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %v", el)
	}
}

func TestPagesIterator(t *testing.T) {
	l := coreServeList(t, &coreList{total: 250})
	c := coreClient(t, l.URL)
	var all []coreItem
	n := 0
	for items, err := range Pages(context.Background(), l.fetch(c)) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		all = append(all, items...)
	}
	coreCheckItems(t, all, 250)
	if n != 3 || l.count("GET /v2/items") != 3 {
		t.Errorf("pages = %d requests = %d, want 3", n, l.count("GET /v2/items"))
	}

	// Stops on break: no request after the consumer leaves.
	l2 := coreServeList(t, &coreList{total: 1000})
	c2 := coreClient(t, l2.URL)
	n = 0
	for _, err := range Pages(context.Background(), l2.fetch(c2)) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 2 {
			break
		}
	}
	if got := l2.count("GET /v2/items"); got != 2 {
		t.Errorf("requests after break at page 2 = %d, want 2", got)
	}

	// An error is yielded once and ends the iteration.
	l3 := coreServeList(t, &coreList{total: 1000, fail: map[int]int{2: 403}})
	c3 := coreClient(t, l3.URL)
	var errs []error
	pages := 0
	for items, err := range Pages(context.Background(), l3.fetch(c3)) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		pages++
		_ = items
	}
	if pages != 1 || len(errs) != 1 || !IsStatus(errs[0], 403) {
		t.Errorf("pages = %d errs = %v", pages, errs)
	}

	// The page size of the next link is followed.
	var sizes []int
	fetch := func(ctx context.Context, o ListOptions) ([]coreItem, *Response, error) {
		sizes = append(sizes, o.PageSize)
		if o.Page == 1 {
			return []coreItem{{0}}, &Response{Next: "https://hub.docker.com/v2/x?page=2&page_size=7"}, nil
		}
		return []coreItem{{1}}, &Response{}, nil
	}
	for _, err := range Pages(context.Background(), PageFunc[coreItem](fetch)) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(sizes, []int{100, 7}) {
		t.Errorf("page sizes = %v", sizes)
	}

	// A bad next link is an error.
	bad := func(ctx context.Context, o ListOptions) ([]coreItem, *Response, error) {
		return []coreItem{{0}}, &Response{Next: "https://hub.docker.com/v2/x?page=zero"}, nil
	}
	var gotErr error
	for _, err := range Pages(context.Background(), PageFunc[coreItem](bad)) {
		gotErr = err
	}
	if gotErr == nil {
		t.Error("bad next link not reported")
	}
}

// TestListAllPacesItselfBeforeTheBudgetRunsOut serves a budget of six
// requests per wall-clock second: ListAll must wait for the next window
// when it is down to the reserve instead of running into 429s.
func TestListAllPacesItselfBeforeTheBudgetRunsOut(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for real rate windows")
	}
	const limit, pages = 6, 15
	var mu sync.Mutex
	window, used, tooMany := int64(0), 0, 0
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		now := time.Now().Unix()
		mu.Lock()
		if now != window {
			window, used = now, 0
		}
		used++
		remaining := limit - used
		if remaining < 0 {
			tooMany++
		}
		mu.Unlock()
		w.Header().Set("X-RateLimit-Limit", strconv.Itoa(limit))
		w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(max(0, remaining)))
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(now+1, 10))
		if remaining < 0 {
			w.Header().Set("Retry-After", "1")
			coreWriteJSON(w, http.StatusTooManyRequests, `{"detail":"slow down"}`)
			return
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		items := make([]string, 100)
		for i := range items {
			items[i] = fmt.Sprintf(`%d`, (page-1)*100+i)
		}
		next := "null"
		if page < pages {
			next = fmt.Sprintf(`"http://%s/list?page=%d&page_size=100"`, r.Host, page+1)
		}
		coreWriteJSON(w, 200, fmt.Sprintf(`{"count":%d,"next":%s,"results":[%s]}`, pages*100, next, strings.Join(items, ",")))
	})
	c := coreClient(t, cs.URL)
	fetch := func(ctx context.Context, o ListOptions) ([]int, *Response, error) {
		return getPage[int](ctx, c, "/list", o.values())
	}
	all, err := ListAll(context.Background(), c, fetch, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range all {
		if v != i {
			t.Fatalf("item %d = %d", i, v)
		}
	}
	if len(all) != pages*100 || tooMany > 0 {
		t.Fatalf("%d items, %d answers were 429", len(all), tooMany)
	}
}

// pagedServer answers /list pages of 100 items; status(page) may replace a
// page with an error status, and count is what page answers announce.
func pagedServer(t *testing.T, count, pages int, status func(page int) int) *coreServer {
	return coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if st := status(page); st != 200 {
			coreWriteJSON(w, st, `{"detail":"Invalid page."}`)
			return
		}
		items := make([]string, 100)
		for i := range items {
			items[i] = strconv.Itoa((page-1)*100 + i)
		}
		next := "null"
		if page < pages {
			next = fmt.Sprintf(`"http://%s/list?page=%d&page_size=100"`, r.Host, page+1)
		}
		coreWriteJSON(w, 200, fmt.Sprintf(`{"count":%d,"next":%s,"results":[%s]}`, count, next, strings.Join(items, ",")))
	})
}

func TestListAllDistrustsHugeCounts(t *testing.T) {
	cs := pagedServer(t, math.MaxInt, 3, func(int) int { return 200 })
	c := coreClient(t, cs.URL)
	all, err := ListAll(context.Background(), c, func(ctx context.Context, o ListOptions) ([]int, *Response, error) {
		return getPage[int](ctx, c, "/list", o.values())
	}, nil)
	if err != nil || len(all) != 300 || cs.total() != 3 {
		t.Fatalf("%d items, %d requests, err %v", len(all), cs.total(), err)
	}
}

func TestListAllStopsAtAShrunkEndAndReportsHoles(t *testing.T) {
	fetchFrom := func(c *Client) PageFunc[int] {
		return func(ctx context.Context, o ListOptions) ([]int, *Response, error) {
			return getPage[int](ctx, c, "/list", o.values())
		}
	}
	// The list shrank to 4 pages while page 1 said 1,000: no error, no
	// thousand requests.
	cs := pagedServer(t, 100_000, 1000, func(p int) int {
		if p > 4 {
			return 404
		}
		return 200
	})
	c := coreClient(t, cs.URL, WithConcurrency(2))
	all, err := ListAll(context.Background(), c, fetchFrom(c), nil)
	if err != nil || len(all) != 400 {
		t.Fatalf("%d items, err %v", len(all), err)
	}
	if n := cs.total(); n > 10 {
		t.Fatalf("%d requests after the end was found", n)
	}
	// A page missing in the middle is an error, not a silent hole.
	cs = pagedServer(t, 500, 5, func(p int) int {
		if p == 3 {
			time.Sleep(100 * time.Millisecond) // pages 4 and 5 are asked for meanwhile
			return 404
		}
		return 200
	})
	c = coreClient(t, cs.URL, WithConcurrency(8))
	if _, err := ListAll(context.Background(), c, fetchFrom(c), nil); err == nil || !strings.Contains(err.Error(), "page 3 of 5 is missing") {
		t.Fatalf("a hole was not reported: %v", err)
	}
}

func TestListAllUsesTheClientsPageSize(t *testing.T) {
	var sizes []string
	var mu sync.Mutex
	cs := coreServe(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		sizes = append(sizes, r.URL.Query().Get("page_size"))
		mu.Unlock()
		coreWriteJSON(w, 200, `{"count":1,"next":null,"results":[1]}`)
	})
	c := coreClient(t, cs.URL, WithPageSize(25))
	if _, err := ListAll(context.Background(), c, func(ctx context.Context, o ListOptions) ([]int, *Response, error) {
		return getPage[int](ctx, c, "/list", o.values())
	}, nil); err != nil {
		t.Fatal(err)
	}
	if len(sizes) != 1 || sizes[0] != "25" {
		t.Fatalf("page_size sent: %v", sizes)
	}
	if _, err := New(WithPageSize(101)); err == nil {
		t.Fatal("page_size 101 accepted")
	}
}
