// Package audit is the live tail of an organization's audit log: which page
// to read next and when, what of each answer is new, and a ring buffer of
// what was delivered. It performs no I/O: the caller runs each Query (a
// tea.Cmd in the UI, a loop in the headless export) and hands the answer
// back to Done.
//
// The Hub's log answers newest first with no id, no count and no next link,
// and a page moves down while events arrive, so the tail never pages a part
// of the log that can still grow. It keeps a watermark W (a whole second):
// every event older than W has been delivered, and of the events in second
// W it holds the multiset of those delivered (identity: AuditLog.Key, so two
// identical-looking events of one second stay two). Once an event of a
// later second exists, earlier seconds are frozen (the Hub appends events
// with the time they happen), and reads of a frozen time window are stable
// whatever arrives meanwhile, page by page too. The tail walks frozen
// windows oldest first, [W, W+Δ], sizing Δ from the density of the log so
// that a window holds a few pages, and reads a window's pages in turn until
// one is not full; so a catch-up carries close to a full page of events a
// request, and a single second with more than a page of events is read the
// same way. Only the newest second is read while it may still grow, and
// only as one atomic page, whose events are counted against the multiset.
// So nothing is lost or repeated across retries, shifting pages and
// restarts (see Checkpoint).
package audit

import (
	"crypto/sha256"
	"errors"
	"math"
	"time"

	"github.com/hubtui/hubtui/hubclient"
)

// Defaults of Config.
const (
	DefaultInterval    = 5 * time.Second
	DefaultMinInterval = time.Second
	DefaultMaxInterval = 20 * time.Second
	DefaultShare       = 0.25
	DefaultLimit       = 180 // requests a minute, until the Hub says otherwise
	DefaultBuffer      = 50_000
	// Settle is how long after a second ends the tail takes it as frozen
	// even when no later event has come (allowing for the clocks of the
	// Hub and this machine to differ).
	Settle = 10 * time.Second
)

// Filter narrows the log as the Hub filters it.
type Filter struct {
	Action string // full action name: repo.tag.push
	Actor  string
	Name   string
}

// Config tunes a Tail. Zero fields take the defaults.
type Config struct {
	Org         string
	Filter      Filter
	PageSize    int           // default hubclient.MaxPageSize
	Interval    time.Duration // poll interval at rest; default 5 s
	MinInterval time.Duration // fastest poll while events keep arriving; default 1 s
	MaxInterval time.Duration // slowest poll when quiet; default 20 s
	Share       float64       // share of the rate budget the tail may spend; default 0.25
	Limit       int           // requests a minute assumed until an answer reports X-RateLimit-Limit; default 180
	// From starts the tail at this time (delivering every event since);
	// zero starts at the newest event, delivering only what comes after.
	From time.Time
	// To ends the tail: once every event up to To is delivered, Finished
	// reports true. Zero means no end.
	To time.Time
}

func (c *Config) defaults() {
	if c.PageSize <= 0 || c.PageSize > hubclient.MaxPageSize {
		c.PageSize = hubclient.MaxPageSize
	}
	if c.Interval <= 0 {
		c.Interval = DefaultInterval
	}
	if c.MinInterval <= 0 {
		c.MinInterval = DefaultMinInterval
	}
	if c.MaxInterval <= 0 {
		c.MaxInterval = DefaultMaxInterval
	}
	c.MinInterval = min(c.MinInterval, c.Interval)
	c.MaxInterval = max(c.MaxInterval, c.Interval)
	if c.Share <= 0 || c.Share > 1 {
		c.Share = DefaultShare
	}
	if c.Limit <= 0 {
		c.Limit = DefaultLimit
	}
}

// queryKind tells what a Query reads.
type queryKind int

const (
	kindSeed   queryKind = iota // page 1 of the whole log: where "now" is
	kindOpen                    // page 1 from W: the newest part, which may grow
	kindWindow                  // page 1 of a frozen window [From, To]
	kindPages                   // page N of a frozen window with more than a page of events
)

// Query is one request the tail wants made.
type Query struct {
	kind     queryKind
	From, To time.Time // zero: not sent
	Page     int
	PageSize int
	filter   Filter
	serial   uint64 // which Next made it; Done ignores an answer to another
}

// Options are the hubclient list options of q.
func (q Query) Options() *hubclient.AuditListOptions {
	return &hubclient.AuditListOptions{
		ListOptions: hubclient.ListOptions{Page: q.Page, PageSize: q.PageSize},
		Action:      q.filter.Action, Actor: q.filter.Actor, Name: q.filter.Name,
		From: q.From, To: q.To,
	}
}

// CatchingUp reports whether q reads a backlog (the tail is behind).
func (q Query) CatchingUp() bool { return q.kind == kindWindow || q.kind == kindPages }

// keyHash is an event's identity, hashed to a fixed size.
type keyHash [sha256.Size]byte

func hashOf(e hubclient.AuditLog) keyHash { return sha256.Sum256([]byte(e.Key())) }

// Status is what a header shows about the tail.
type Status struct {
	Behind bool // reading a backlog
	// Lag is how far behind the newest event the watermark is: behind the
	// newest event seen, plus the time since it was seen while events keep
	// arriving faster than one page between polls (a backlog is read with
	// windows in the past, which do not show the newest events).
	Lag          time.Duration
	BehindEvents int           // estimated events not yet delivered: Lag at the density of the windows read lately
	Limited      bool          // the next request waits for the rate share, not the interval
	Interval     time.Duration // current poll interval
	Next         time.Time     // when the next request may go
	Requests     int           // requests answered so far (errors included)
	Errors       int           // answers that were errors
	Delivered    int           // events delivered
	Watermark    time.Time     // every event before it is delivered
	RetryAfter   time.Time     // a 429 asked to wait until then
}

// Tail is the state of one live tail. It is not safe for concurrent use.
type Tail struct {
	cfg     Config
	created time.Time
	started bool
	w       time.Time       // watermark: a whole second, UTC
	held    map[keyHash]int // delivered events of second w
	front   time.Time       // newest second seen; seconds before it are frozen
	delta   time.Duration   // window length minus one second, whole seconds
	pages   []hubclient.AuditLog
	page    int       // pages of the window [w, walkTo] read so far (kindPages)
	walkTo  time.Time // the inclusive end of the window being read page by page
	serial  uint64
	pending bool // a Query is out

	interval time.Duration
	next     time.Time
	tokens   float64
	refilled time.Time
	limit    int
	errs     int
	density  float64 // events a second in the last window read (or full page)
	// rateN events in rateSpan: the density of the windows read lately,
	// each older one counting half as much, for Status's estimate.
	rateN, rateSpan float64
	frontAt         time.Time // when front was last seen to move (this machine's clock)
	seen            time.Time // the latest time handed to Next or Done
	caughtUp        bool      // the last open read was complete
	limited         bool
	retryUntil      time.Time

	requests, errors, delivered int
}

// New starts a tail at now.
func New(cfg Config, now time.Time) *Tail {
	cfg.defaults()
	t := &Tail{cfg: cfg, created: now, held: map[keyHash]int{}, interval: cfg.Interval, limit: cfg.Limit, refilled: now, tokens: 1, next: now}
	if !cfg.From.IsZero() {
		t.started = true
		t.w = cfg.From.UTC().Truncate(time.Second)
	}
	if !cfg.To.IsZero() && cfg.To.Before(now.Add(-time.Second)) {
		// A window wholly in the past is frozen: walk it.
		t.front = cfg.To.UTC().Truncate(time.Second).Add(time.Second)
	}
	return t
}

// Seed starts a tail that has not started (Config.From zero) from a page of
// the log the caller already holds (page 1, newest first, as loaded for
// display): only events after it are delivered.
func (t *Tail) Seed(page []hubclient.AuditLog) {
	if t.started {
		return
	}
	t.started = true
	if len(page) == 0 {
		// An empty log: every event from now on is new.
		t.w = second(t.created.Add(-time.Minute))
		return
	}
	t.w = second(page[0].Timestamp)
	for _, e := range page {
		if second(e.Timestamp).Equal(t.w) {
			t.held[hashOf(e)]++
		}
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func second(ts time.Time) time.Time { return ts.UTC().Truncate(time.Second) }

// end is the last instant of the second s, for an inclusive `to`.
func end(s time.Time) time.Time { return s.Add(time.Second - time.Nanosecond) }

// Finished reports whether a tail with Config.To has delivered everything
// up to To.
func (t *Tail) Finished() bool {
	return !t.cfg.To.IsZero() && t.started && t.w.After(t.cfg.To)
}

// CaughtUp reports whether the last read of the newest events was complete:
// everything the Hub held then has been delivered.
func (t *Tail) CaughtUp() bool { return t.caughtUp }

// Next is the request to make and the earliest time to make it. Call Done
// with its answer before asking again; a second Next before Done makes the
// same request again (the first one's answer is then ignored).
func (t *Tail) Next(now time.Time) (Query, time.Time) {
	t.serial++
	t.pending = true
	t.seen = later(t.seen, now)
	q := Query{Page: 1, PageSize: t.cfg.PageSize, filter: t.cfg.Filter, serial: t.serial}
	switch {
	case !t.started:
		q.kind = kindSeed
		q.To = t.cfg.To
	case t.page > 0:
		q.kind, q.From, q.To, q.Page = kindPages, t.w, t.walkTo, t.page+1
	case t.front.After(t.w):
		last := earliest(t.w.Add(t.delta), t.front.Add(-time.Second))
		if !t.cfg.To.IsZero() {
			last = earliest(last, second(t.cfg.To))
		}
		q.kind, q.From, q.To = kindWindow, t.w, end(last)
		if !t.cfg.To.IsZero() && t.cfg.To.Before(q.To) {
			q.To = t.cfg.To
		}
	default:
		q.kind, q.From, q.To = kindOpen, t.w, t.cfg.To
	}
	at := t.next
	if !t.retryUntil.IsZero() && t.retryUntil.After(at) {
		at = t.retryUntil
	}
	// The rate share: a bucket that refills Share*Limit requests a minute.
	t.refill(now)
	t.limited = false
	if t.tokens < 1 {
		wait := time.Duration((1 - t.tokens) / t.perSecond() * float64(time.Second))
		if now.Add(wait).After(at) {
			at = now.Add(wait)
			t.limited = q.CatchingUp() || (t.started && !t.caughtUp)
		}
	}
	return q, at
}

func (t *Tail) perSecond() float64 { return t.cfg.Share * float64(t.limit) / 60 }

// burst is how many requests the bucket saves up: a catch-up may spend
// two at once, then goes at the share's pace.
const burst = 2

func (t *Tail) refill(now time.Time) {
	if now.After(t.refilled) {
		t.tokens = math.Min(burst, t.tokens+now.Sub(t.refilled).Seconds()*t.perSecond())
		t.refilled = now
	}
}

// ObserveRate takes the rate budget an answer reported (its limit sizes the
// share).
func (t *Tail) ObserveRate(r hubclient.Rate) {
	if r.Known && r.Limit > 0 {
		t.limit = r.Limit
	}
}

// Done takes the answer to q (made at now) and returns the events it
// delivers, oldest first. An error changes nothing but the schedule: the
// same request is made again later.
func (t *Tail) Done(q Query, logs []hubclient.AuditLog, err error, now time.Time) []hubclient.AuditLog {
	if q.serial != t.serial || !t.pending {
		return nil // an answer to a superseded request
	}
	t.pending = false
	t.seen = later(t.seen, now)
	t.refill(now)
	t.tokens--
	t.requests++
	if err != nil {
		t.errors++
		var rl *hubclient.RateLimitError
		if errors.As(err, &rl) {
			// The client has turned a missing Retry-After into the
			// time until the window resets. A 429 says how long to
			// wait, so it does not lengthen the backoff of failures
			// (a long 429 storm would else be followed by a long
			// pause at the first 5xx).
			wait := max(rl.RetryAfter, time.Second)
			t.retryUntil = now.Add(wait)
			t.next = now.Add(wait)
			return nil
		}
		t.errs++
		t.next = now.Add(min(max(t.interval, 2*time.Second)<<min(t.errs-1, 5), 2*t.cfg.MaxInterval))
		return nil
	}
	t.errs = 0
	t.retryUntil = time.Time{}
	full := len(logs) >= q.PageSize
	var out []hubclient.AuditLog
	switch q.kind {
	case kindSeed:
		t.Seed(logs)
		if len(logs) == 0 {
			t.w = second(now.Add(-time.Minute))
		}
		t.caughtUp = !full
		t.schedule(now, 0)
	case kindOpen:
		out = t.open(logs, full, now)
	case kindWindow:
		out = t.window(q, logs, full)
	case kindPages:
		out = t.walk(q, logs, full)
	}
	t.delivered += len(out)
	if q.CatchingUp() || t.front.After(t.w) {
		t.next = now // go on as soon as the share allows
	}
	return out
}

// open handles page 1 from W.
func (t *Tail) open(logs []hubclient.AuditLog, full bool, now time.Time) []hubclient.AuditLog {
	if len(logs) == 0 {
		t.caughtUp = true
		t.schedule(now, 0)
		return nil
	}
	top := second(logs[0].Timestamp)
	low := second(logs[len(logs)-1].Timestamp)
	if top.After(t.front) {
		t.front, t.frontAt = top, now
	}
	if !full {
		// Complete: every event from W on, as of this answer.
		t.caughtUp = true
		out := t.deliver(logs, top)
		t.schedule(now, len(out))
		return out
	}
	t.caughtUp = false
	if top.Equal(t.w) {
		if end(top).Before(now.Add(-Settle)) {
			// The second is long past: frozen, read it page by page.
			t.front = top.Add(time.Second)
			return nil
		}
		// More than a page in the newest second, which may still grow:
		// deliver what this page shows beyond the multiset, keep W.
		out := t.deliver(logs, t.w)
		t.schedule(now, t.cfg.PageSize)
		return out
	}
	// Behind: walk frozen windows from W, each sized to hold a few pages
	// at the density of this page (a lower bound: second low may hold more).
	t.resize(len(logs), top.Sub(low)+time.Second)
	return nil
}

// windowPages is how many pages a backlog window holds at most (as the
// density of the last window predicts it): more carry closer to a full page
// a request (a window's last page is partial, or empty when the window
// ends on a page boundary), fewer hold fewer events in memory until the
// window is done.
const windowPages = 10

// maxWalk is how many pages of a window spanning several seconds are read
// before the window is found too large (the log grew much denser) and a
// smaller one is read instead; a single second is always read to its end.
const maxWalk = 3 * windowPages

// window handles page 1 of a frozen window [q.From, q.To].
func (t *Tail) window(q Query, logs []hubclient.AuditLog, full bool) []hubclient.AuditLog {
	last := second(q.To)
	if !full {
		out := t.deliver(logs, last.Add(time.Second))
		t.resize(len(logs), last.Sub(second(q.From))+time.Second)
		return out
	}
	// More than a page: the window is frozen, so its pages are stable;
	// read them in turn (walk).
	t.pages = append(t.pages[:0], logs...)
	t.page, t.walkTo = 1, q.To
	return nil
}

// walk handles page N > 1 of a frozen window.
func (t *Tail) walk(q Query, logs []hubclient.AuditLog, full bool) []hubclient.AuditLog {
	t.pages = append(t.pages, logs...)
	t.page++
	if !full {
		last := second(q.To)
		out := t.deliver(t.pages, last.Add(time.Second))
		t.resize(len(t.pages), last.Sub(second(q.From))+time.Second)
		t.pages, t.page = nil, 0
		return out
	}
	if low := second(logs[len(logs)-1].Timestamp); t.page >= maxWalk && low.After(t.w) {
		// Far more than the window was sized for: read [W, low) instead,
		// and size from what these pages showed.
		t.resize(len(t.pages), second(q.To).Sub(low)+time.Second)
		t.delta = min(t.delta, low.Sub(t.w)-time.Second)
		t.pages, t.page = nil, 0
	}
	return nil
}

// resize sizes the next backlog window from the last one read: n events in
// span. An empty window doubles. Else, of the windows of whole seconds
// predicted to take 1 to windowPages pages (each kept a tenth of a page
// short of a page boundary, against the density varying), the one that
// carries the most events a request is taken, growing at most eightfold
// at a time (a window that turns out far denser is cut short, see maxWalk).
func (t *Tail) resize(n int, span time.Duration) {
	if n == 0 {
		t.rateSpan = t.rateSpan/2 + span.Seconds()
		t.delta = t.delta*2 + time.Second
		return
	}
	t.density = float64(n) / span.Seconds()
	t.rateN, t.rateSpan = t.rateN/2+float64(n), t.rateSpan/2+span.Seconds()
	size := float64(t.cfg.PageSize)
	best, bestRate := 1.0, 0.0
	for pages := 1; pages <= windowPages; pages++ {
		secs := math.Floor((float64(pages)*size - size/10) / t.density)
		if secs < 1 {
			continue
		}
		events := secs * t.density
		if rate := events / (math.Floor(events/size) + 1); rate > bestRate+0.5 {
			best, bestRate = secs, rate
		}
	}
	t.delta = min(time.Duration(best-1)*time.Second, (t.delta+time.Second)*8-time.Second)
}

// deliver takes events read from W on (newest first, possibly a page
// boundary's repeats excepted: callers pass complete or atomic sets),
// returns those not yet delivered, oldest first, and moves W to newW. When
// newW is W's own second, the multiset grows by what was delivered; when W
// moves on, the multiset becomes the delivered events of newW (which the
// caller guarantees are all of newW's as read, or none of it).
func (t *Tail) deliver(logs []hubclient.AuditLog, newW time.Time) []hubclient.AuditLog {
	left := make(map[keyHash]int, len(t.held))
	for k, n := range t.held {
		left[k] = n
	}
	var out []hubclient.AuditLog
	next := map[keyHash]int{}
	for i := len(logs) - 1; i >= 0; i-- {
		e := logs[i]
		s := second(e.Timestamp)
		if s.Before(t.w) || (!t.cfg.To.IsZero() && e.Timestamp.After(t.cfg.To)) {
			continue // outside what the tail reads (the Hub filtered loosely)
		}
		h := hashOf(e)
		if s.Equal(t.w) && left[h] > 0 {
			left[h]--
			if s.Equal(newW) {
				next[h]++
			}
			continue
		}
		out = append(out, e)
		if s.Equal(newW) {
			next[h]++
		}
	}
	if newW.Equal(t.w) {
		for k, n := range left { // held but not on this page: still held
			next[k] += n
		}
	}
	t.w, t.held = newW, next
	return out
}

// schedule sets the next poll after an open read that brought n new
// events: faster while events keep arriving — down to MinInterval while a
// poll brings a quarter of a page or more, to twice that while it brings a
// few — and slower when quiet. A log with an event a second so shows it
// within about 2 s for half the share, not the whole of it.
func (t *Tail) schedule(now time.Time, n int) {
	switch {
	case n >= max(t.cfg.PageSize/4, 1):
		t.interval = max(t.cfg.MinInterval, t.interval/2)
	case n > 0:
		t.interval = max(min(2*t.cfg.MinInterval, t.cfg.Interval), t.interval/2)
	default:
		t.interval = min(t.cfg.MaxInterval, t.interval*3/2)
	}
	t.next = now.Add(t.interval)
}

// Wake makes the next poll go at once (the user asked to refresh, or a
// change was just made).
func (t *Tail) Wake(now time.Time) {
	t.interval = t.cfg.Interval
	if t.next.After(now) {
		t.next = now
	}
}

// Status reports the tail for a header.
func (t *Tail) Status() Status {
	s := Status{Interval: t.interval, Next: t.next, Requests: t.requests, Errors: t.errors,
		Delivered: t.delivered, Watermark: t.w, Limited: t.limited, RetryAfter: t.retryUntil}
	s.Behind = t.front.After(t.w) || t.page > 0 || (t.started && t.requests > 0 && !t.caughtUp)
	if s.Behind {
		s.Lag = max(t.front.Sub(t.w), 0)
		if !t.caughtUp && !t.frontAt.IsZero() {
			s.Lag += max(t.seen.Sub(t.frontAt), 0)
		}
		density := t.density
		if t.rateSpan > 0 {
			density = t.rateN / t.rateSpan
		}
		s.BehindEvents = int(s.Lag.Seconds() * density)
	}
	return s
}

// Checkpoint is what a restarted tail needs to go on where another stopped:
// the watermark and the identities of the events of its second already
// delivered.
type Checkpoint struct {
	Watermark time.Time      `json:"watermark"`
	Held      map[string]int `json:"held"` // hex sha256 of AuditLog.Key → copies delivered
	Filter    Filter         `json:"filter"`
	Org       string         `json:"org"`
}

// Checkpoint reports the tail's position. Take it after writing what Done
// delivered.
func (t *Tail) Checkpoint() Checkpoint {
	cp := Checkpoint{Watermark: t.w, Held: make(map[string]int, len(t.held)), Filter: t.cfg.Filter, Org: t.cfg.Org}
	for k, n := range t.held {
		cp.Held[hexOf(k)] = n
	}
	return cp
}

// Resume starts a tail from a checkpoint. The checkpoint's org and filter
// must be the config's.
func Resume(cfg Config, cp Checkpoint, now time.Time) (*Tail, error) {
	if cp.Org != cfg.Org || cp.Filter != cfg.Filter {
		return nil, errors.New("the checkpoint was written for another organization or filter")
	}
	cfg.From = cp.Watermark
	if cfg.From.IsZero() {
		cfg.From = time.Unix(0, 0)
	}
	t := New(cfg, now)
	t.w = second(cp.Watermark)
	for k, n := range cp.Held {
		h, ok := unhex(k)
		if !ok || n < 0 {
			return nil, errors.New("the checkpoint holds an invalid event identity")
		}
		t.held[h] = n
	}
	return t, nil
}

func hexOf(k keyHash) string {
	const digits = "0123456789abcdef"
	b := make([]byte, 2*len(k))
	for i, c := range k {
		b[2*i], b[2*i+1] = digits[c>>4], digits[c&15]
	}
	return string(b)
}

func unhex(s string) (keyHash, bool) {
	var k keyHash
	if len(s) != 2*len(k) {
		return k, false
	}
	val := func(c byte) (byte, bool) {
		switch {
		case c >= '0' && c <= '9':
			return c - '0', true
		case c >= 'a' && c <= 'f':
			return c - 'a' + 10, true
		}
		return 0, false
	}
	for i := range k {
		hi, ok1 := val(s[2*i])
		lo, ok2 := val(s[2*i+1])
		if !ok1 || !ok2 {
			return k, false
		}
		k[i] = hi<<4 | lo
	}
	return k, true
}
