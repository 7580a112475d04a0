package hubclient

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// ListOptions are the common paging parameters.
type ListOptions struct {
	Page     int // 1-based; 0 means 1
	PageSize int // 0 means MaxPageSize
}

func (o ListOptions) validate() error {
	if o.Page < 0 {
		return &ValidationError{"page", "must be 1 or more"}
	}
	if o.PageSize < 0 || o.PageSize > MaxPageSize {
		return &ValidationError{"page_size", fmt.Sprintf("must be between 1 and %d", MaxPageSize)}
	}
	return nil
}

func (o ListOptions) values() url.Values {
	q := url.Values{}
	page, size := o.Page, o.PageSize
	if page == 0 {
		page = 1
	}
	if size == 0 {
		size = MaxPageSize
	}
	q.Set("page", strconv.Itoa(page))
	q.Set("page_size", strconv.Itoa(size))
	return q
}

// page is the Hub's paging envelope.
type page[T any] struct {
	Count    int    `json:"count"`
	Next     string `json:"next"`
	Previous string `json:"previous"`
	Results  []T    `json:"results"`
}

// getPage fetches one page of a count/next/previous/results list.
func getPage[T any](ctx context.Context, c *Client, p string, q url.Values) ([]T, *Response, error) {
	var pg page[T]
	resp, err := c.do(ctx, request{method: "GET", path: p, query: q}, &pg)
	if err != nil {
		return nil, resp, err
	}
	resp.Count, resp.Next, resp.Previous = pg.Count, pg.Next, pg.Previous
	return pg.Results, resp, nil
}

// PageFunc fetches one page (1-based) of a list.
type PageFunc[T any] func(ctx context.Context, opt ListOptions) ([]T, *Response, error)

// ParsePageLink reads page and page_size from a next/previous link. It
// returns page 0 when the link is empty.
func ParsePageLink(link string) (page, pageSize int, err error) {
	if link == "" {
		return 0, 0, nil
	}
	u, err := url.Parse(link)
	if err != nil {
		return 0, 0, fmt.Errorf("page link %q: %w", link, err)
	}
	q := u.Query()
	page = 1
	if v := q.Get("page"); v != "" {
		page, err = strconv.Atoi(v)
		if err != nil || page < 1 {
			return 0, 0, fmt.Errorf("page link %q: bad page %q", link, v)
		}
	}
	if v := q.Get("page_size"); v != "" {
		pageSize, err = strconv.Atoi(v)
		if err != nil || pageSize < 1 {
			return 0, 0, fmt.Errorf("page link %q: bad page_size %q", link, v)
		}
	}
	return page, pageSize, nil
}

// Pages iterates over a list page by page, following next links, until the
// last page or the first error. It stops with an error wrapping
// ErrListTooLong past DefaultMaxListItems items (or as many pages of
// MaxPageSize), and with one wrapping ErrBadPage when a page holds more
// items than were asked for. A page_size in a next link above MaxPageSize
// is read as MaxPageSize.
func Pages[T any](ctx context.Context, fetch PageFunc[T]) iter.Seq2[[]T, error] {
	return func(yield func([]T, error) bool) {
		opt := ListOptions{Page: 1, PageSize: MaxPageSize}
		var lim listLimits
		lim.init(DefaultMaxListItems, 0, MaxPageSize)
		for n := 1; ; n++ {
			if n > lim.maxPages {
				yield(nil, lim.check(n, opt, 0))
				return
			}
			items, resp, err := fetch(ctx, opt)
			if err == nil {
				err = lim.check(n, opt, len(items))
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(items, nil) {
				return
			}
			if resp == nil || resp.Next == "" || len(items) == 0 {
				return
			}
			next, size, err := ParsePageLink(resp.Next)
			if err != nil {
				yield(nil, err)
				return
			}
			if next <= opt.Page {
				return
			}
			opt.Page = next
			if size > 0 {
				opt.PageSize = min(size, MaxPageSize)
			}
		}
	}
}

// PageHandler is told about each page as it arrives (in any order) during
// ListAll; page is 1-based and items are that page's rows.
type PageHandler[T any] func(page int, items []T)

// DefaultMaxListItems is the most items ListAll and Pages read of one list
// (see WithListLimits).
const DefaultMaxListItems = 1_000_000

// Errors of a list whose paging cannot be trusted.
const (
	// ErrListTooLong is wrapped when a list goes on past the items or
	// pages the client reads (see WithListLimits).
	ErrListTooLong = Error("hubclient: the list is longer than the client reads")
	// ErrBadPage is wrapped when a page holds more items than were asked for.
	ErrBadPage = Error("hubclient: the Hub sent a page larger than asked for")
)

// WithListLimits bounds how much of one list ListAll reads: at most
// maxItems items (0 means DefaultMaxListItems) in at most maxPages pages (0
// means as many pages as maxItems fill at the client's page size). Past
// either, ListAll stops with an error wrapping ErrListTooLong, so a server
// that always points to a next page cannot keep a load going forever.
func WithListLimits(maxItems, maxPages int) Option {
	return func(c *Client) error {
		if maxItems < 0 {
			return &ValidationError{"max items", "must not be negative"}
		}
		if maxPages < 0 {
			return &ValidationError{"max pages", "must not be negative"}
		}
		c.maxListItems, c.maxListPages = maxItems, maxPages
		return nil
	}
}

// listLimits counts the pages and items of one listing against its bounds.
type listLimits struct {
	maxItems, maxPages int
	items              int
}

func (l *listLimits) init(maxItems, maxPages, pageSize int) {
	if maxItems <= 0 {
		maxItems = DefaultMaxListItems
	}
	if maxPages <= 0 {
		maxPages = (maxItems-1)/max(pageSize, 1) + 1
	}
	l.maxItems, l.maxPages = maxItems, maxPages
}

// check counts page n (the nth page read, 1-based), asked with opt, that
// held got items.
func (l *listLimits) check(n int, opt ListOptions, got int) error {
	if size := opt.PageSize; size > 0 && got > size {
		return fmt.Errorf("page %d has %d items but %d were asked for: %w", max(opt.Page, 1), got, size, ErrBadPage)
	}
	l.items += got
	if l.items > l.maxItems {
		return fmt.Errorf("stopped at page %d: more than %d items: %w", max(opt.Page, 1), l.maxItems, ErrListTooLong)
	}
	if n > l.maxPages {
		return fmt.Errorf("stopped after %d pages and %d items: the Hub keeps pointing to a next page: %w", n-1, l.items-got, ErrListTooLong)
	}
	return nil
}

// ListAll reads page 1, learns count, then fetches the remaining pages
// concurrently (at most the client's concurrency, fewer when the rate budget
// runs low) and returns every item in server order. onPage, when not nil, is
// called for each page as it lands, so a UI can show rows while the rest stream in;
// its calls never overlap.
//
// Without a usable count it follows next links one by one. Either way it
// reads at most the client's list limits (see WithListLimits; past them the
// error wraps ErrListTooLong, with the items read so far), refuses a page
// holding more items than were asked for (ErrBadPage), and reads a
// page_size above MaxPageSize in a next link as MaxPageSize.
//
// The whole load has the client's load deadline (see WithLoadDeadline):
// past it ListAll stops with a *DeadlineError. The context handed to fetch
// carries that deadline (ctx.Deadline()), for a UI that shows it.
func ListAll[T any](ctx context.Context, c *Client, fetch PageFunc[T], onPage PageHandler[T]) ([]T, error) {
	d := c.loadDeadline
	if d <= 0 {
		items, _, err := listAll(ctx, c, fetch, onPage)
		return items, err
	}
	deadline := time.Now().Add(d)
	if cur, ok := ctx.Deadline(); ok && !deadline.Before(cur) {
		items, _, err := listAll(ctx, c, fetch, onPage) // the caller's deadline comes first
		return items, err
	}
	lctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	items, op, err := listAll(lctx, c, fetch, onPage)
	if err != nil && ctx.Err() == nil && errors.Is(lctx.Err(), context.DeadlineExceeded) {
		return items, &DeadlineError{Op: op, Deadline: deadline, Limit: d, Err: err}
	}
	return items, err
}

// listAll is ListAll without the load deadline. op names the list by the
// path of its first page ("list" when that page did not answer).
func listAll[T any](ctx context.Context, c *Client, fetch PageFunc[T], onPage PageHandler[T]) (_ []T, op string, _ error) {
	op = "list"
	var lim listLimits
	lim.init(c.maxListItems, c.maxListPages, c.pageSize)
	opt := ListOptions{Page: 1, PageSize: c.pageSize}
	first, resp, err := fetch(ctx, opt)
	if resp != nil && resp.Response != nil && resp.Request != nil && resp.Request.URL != nil {
		op = "list " + resp.Request.URL.Path
	}
	if err == nil {
		err = lim.check(1, opt, len(first))
	}
	if err != nil {
		return nil, op, err
	}
	if onPage != nil {
		onPage(1, first)
	}
	if resp == nil || resp.Next == "" || len(first) == 0 {
		return first, op, nil
	}
	size := len(first)
	if resp.Count <= size || resp.Count > lim.maxItems {
		// No usable count (or one too large to believe): follow next links one by one.
		all := append([]T(nil), first...)
		last := 1
		for p, next := 2, resp.Next; next != ""; p++ {
			np, sz, err := ParsePageLink(next)
			if err != nil {
				return all, op, err
			}
			if np <= last {
				break // a link that goes backwards would loop forever
			}
			last = np
			if sz == 0 {
				sz = c.pageSize
			}
			opt := ListOptions{Page: np, PageSize: min(sz, MaxPageSize)}
			if p > lim.maxPages {
				return all, op, lim.check(p, opt, 0)
			}
			items, r, err := fetch(ctx, opt)
			if err != nil {
				return all, op, fmt.Errorf("page %d: %w", np, err)
			}
			if err := lim.check(p, opt, len(items)); err != nil {
				return all, op, err
			}
			all = append(all, items...)
			if onPage != nil {
				onPage(p, items)
			}
			if r == nil || len(items) == 0 {
				break // an empty page ends the list, whatever its next link says
			}
			next = r.Next
		}
		return all, op, nil
	}
	pages := (resp.Count-1)/size + 1
	if pages > lim.maxPages {
		return nil, op, fmt.Errorf("the list has %d items in pages of %d, more than %d pages: %w", resp.Count, size, lim.maxPages, ErrListTooLong)
	}
	results := make([][]T, pages)
	results[0] = first
	workers := c.budgetWorkers(pages - 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	var pageMu sync.Mutex // onPage calls never overlap
	// end is one past the last page that exists: a 404 means the list shrank
	// while it was read, so later pages are not asked for.
	var end atomic.Int64
	end.Store(int64(pages + 1))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range jobs {
				if err := c.pace(ctx); err != nil {
					once.Do(func() { firstErr = err; cancel() })
					return
				}
				items, _, err := fetch(ctx, ListOptions{Page: p, PageSize: size})
				if err == nil && len(items) > size {
					err = fmt.Errorf("page %d has %d items but %d were asked for: %w", p, len(items), size, ErrBadPage)
				}
				if err != nil {
					if IsStatus(err, 404) {
						for cur := end.Load(); int64(p) < cur && !end.CompareAndSwap(cur, int64(p)); cur = end.Load() {
						}
						continue
					}
					if errors.Is(err, ErrBadPage) {
						once.Do(func() { firstErr = err; cancel() })
					} else {
						once.Do(func() { firstErr = fmt.Errorf("page %d: %w", p, err); cancel() })
					}
					return
				}
				results[p-1] = items
				if onPage != nil {
					pageMu.Lock()
					onPage(p, items)
					pageMu.Unlock()
				}
			}
		}()
	}
feed:
	for p := 2; p <= pages && int64(p) < end.Load(); p++ {
		select {
		case jobs <- p:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, op, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, op, err
	}
	last := int(end.Load()) - 1
	for i := last; i < pages; i++ {
		if results[i] != nil { // a page answered 404 while a later one answered
			return nil, op, fmt.Errorf("page %d of %d is missing but page %d exists", last+1, pages, i+1)
		}
	}
	all := make([]T, 0, min(resp.Count, last*size))
	for _, r := range results[:last] {
		all = append(all, r...)
	}
	return all, op, nil
}

// pace holds a ListAll worker back while the rate budget is down to its
// reserve, until the window resets, so a long listing leaves room for the
// user's own requests and does not run into 429s.
func (c *Client) pace(ctx context.Context) error {
	r := c.Rate()
	if !r.Known || r.Limit <= 0 || r.Remaining > reserve(r.Limit) {
		return nil
	}
	d := r.Reset.Sub(c.now())
	if d <= 0 {
		return nil
	}
	// A reset far ahead means clocks disagree; never wait longer than a GET would.
	return c.waitFor(ctx, min(d, c.retry.MaxWait)+jitter(c.retry.Base))
}

// reserve is the part of the rate budget a listing leaves for other requests.
func reserve(limit int) int { return max(2, limit/20) }

// budgetWorkers picks how many pages to fetch at once: the configured
// concurrency, reduced when the last X-RateLimit-Remaining reading is low so
// a full listing does not spend the whole budget.
func (c *Client) budgetWorkers(pending int) int {
	n := c.concurrency
	if r := c.Rate(); r.Known && r.Limit > 0 {
		switch {
		case r.Remaining < pending && r.Remaining < 4*n:
			n = max(1, r.Remaining/4)
		case r.Remaining < r.Limit/4:
			n = max(1, n/2)
		}
	}
	return max(1, min(n, pending))
}
