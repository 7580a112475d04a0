package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
)

// fakeLog is an audit log in memory answering queries as the Hub does:
// newest first, from/to inclusive, page by page, no id.
type fakeLog struct {
	evs []hubclient.AuditLog // oldest first
}

func (f *fakeLog) add(e hubclient.AuditLog) { f.evs = append(f.evs, e) }

func (f *fakeLog) answer(q Query) []hubclient.AuditLog {
	var out []hubclient.AuditLog
	skip := (q.Page - 1) * q.PageSize
	// Events are kept oldest first: seek the window's ends.
	lo, hi := 0, len(f.evs)
	if !q.From.IsZero() {
		lo, _ = slices.BinarySearchFunc(f.evs, q.From, func(e hubclient.AuditLog, t time.Time) int { return e.Timestamp.Compare(t) })
	}
	if !q.To.IsZero() {
		hi, _ = slices.BinarySearchFunc(f.evs, q.To.Add(time.Nanosecond), func(e hubclient.AuditLog, t time.Time) int { return e.Timestamp.Compare(t) })
	}
	if q.filter == (Filter{}) && skip >= hi-lo {
		return nil
	}
	if q.filter == (Filter{}) {
		hi -= skip // no filter: skip a page's worth at once
		skip = 0
	}
	for i := hi - 1; i >= lo && len(out) < q.PageSize; i-- {
		e := f.evs[i]
		if q.filter.Action != "" && e.Action != q.filter.Action {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		out = append(out, e)
	}
	return out
}

// since is every event at or after t, oldest first.
func (f *fakeLog) since(t time.Time) []hubclient.AuditLog {
	i, _ := slices.BinarySearchFunc(f.evs, t, func(e hubclient.AuditLog, t time.Time) int { return e.Timestamp.Compare(t) })
	return f.evs[i:]
}

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// ev makes an event whose identity is small enough that events of one
// second often look identical.
func ev(rng *rand.Rand, at time.Time) hubclient.AuditLog {
	return hubclient.AuditLog{Account: "acme", Action: []string{"repo.tag.push", "org.member.add"}[rng.IntN(2)],
		Name: fmt.Sprintf("acme/r%d", rng.IntN(2)), Actor: "ci", Timestamp: at.Truncate(time.Second),
		Data: map[string]string{"tag": []string{"latest", "edge"}[rng.IntN(2)]}}
}

// keysOf lists identities in order.
func keysOf(evs []hubclient.AuditLog) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Key()
	}
	return out
}

// sameMultiset compares delivered with want as multisets and checks that
// delivered is in time order; it returns lost and repeated counts.
func compare(t *testing.T, got, want []hubclient.AuditLog) (lost, dup int) {
	t.Helper()
	for i := 1; i < len(got); i++ {
		if got[i].Timestamp.Before(got[i-1].Timestamp) {
			t.Errorf("delivered out of order at %d: %s after %s", i, got[i].Timestamp, got[i-1].Timestamp)
			break
		}
	}
	count := map[string]int{}
	for _, k := range keysOf(want) {
		count[k]++
	}
	for _, k := range keysOf(got) {
		count[k]--
	}
	for _, n := range count {
		if n > 0 {
			lost += n
		} else {
			dup -= n
		}
	}
	return lost, dup
}

// drive runs a tail against log for steps, calling arrive before each
// request's answer is computed and between answers, and failing one answer
// in failEvery (0: never). It honours the schedule in simulated time.
type sim struct {
	t     *testing.T
	log   *fakeLog
	tail  *Tail
	now   time.Time
	rng   *rand.Rand
	got   []hubclient.AuditLog
	fails float64
}

func (s *sim) step(arrive func()) Query {
	q, at := s.tail.Next(s.now)
	if at.After(s.now) {
		// Time passes until the tail may ask; events arrive meanwhile.
		for s.now.Before(at) {
			s.now = s.now.Add(100 * time.Millisecond)
			arrive()
		}
	}
	if s.rng.Float64() < s.fails {
		s.tail.Done(q, nil, errors.New("boom"), s.now)
		return q
	}
	ans := s.log.answer(q)
	arrive()
	s.got = append(s.got, s.tail.Done(q, ans, nil, s.now)...)
	return q
}

func newSim(t *testing.T, seed uint64, cfg Config) *sim {
	return &sim{t: t, log: &fakeLog{}, now: t0, rng: rand.New(rand.NewPCG(seed, 7)), tail: New(cfg, t0)}
}

// settle runs until the tail has caught up with a log that no longer grows.
func (s *sim) settle() {
	for i := 0; i < 100000; i++ {
		s.step(func() {})
		if s.tail.CaughtUp() && !s.tail.Status().Behind {
			return
		}
	}
	s.t.Fatal("the tail never caught up")
}

func TestTailExactlyOnceRandom(t *testing.T) {
	for seed := uint64(1); seed <= 24; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			s := newSim(t, seed, Config{Org: "acme", PageSize: 10, Limit: 6000})
			rate := []float64{0.5, 5, 40, 200}[seed%4] // events per simulated second
			for i := range 20 {
				s.log.add(ev(s.rng, t0.Add(time.Duration(i-60)*time.Second)))
			}
			arrive := func() {
				n := int(rate / 10)
				if s.rng.Float64() < rate/10-float64(n) {
					n++
				}
				if s.rng.IntN(50) == 0 {
					n += s.rng.IntN(60) // a burst of several pages
				}
				for range n {
					s.log.add(ev(s.rng, s.now))
				}
			}
			s.step(func() {}) // the seed: the tail starts here
			s.fails = 0.1
			for range 400 {
				s.step(arrive)
			}
			s.settle()
			// The tail starts at the newest of the 20 events already there.
			lost, dup := compare(t, s.got, s.log.evs[20:])
			if lost != 0 || dup != 0 {
				t.Fatalf("rate %v: %d lost, %d repeated of %d", rate, lost, dup, len(s.log.evs)-20)
			}
		})
	}
}

func TestTailFromDeliversHistory(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	log := &fakeLog{}
	for i := range 5000 {
		log.add(ev(rng, t0.Add(time.Duration(i/7)*time.Second))) // 7 a second, many alike
	}
	for range 250 {
		log.add(ev(rng, t0.Add(800*time.Second))) // one second of 25 pages
	}
	from := t0.Add(100 * time.Second)
	s := &sim{t: t, log: log, now: t0.Add(time.Hour), rng: rng}
	s.tail = New(Config{Org: "acme", PageSize: 10, From: from, Limit: 600000}, s.now)
	s.settle()
	lost, dup := compare(t, s.got, log.since(from))
	if lost != 0 || dup != 0 {
		t.Fatalf("%d lost, %d repeated", lost, dup)
	}
	if st := s.tail.Status(); st.Requests > len(log.since(from))/10*3 {
		t.Errorf("%d requests for %d events at 10 a page", st.Requests, len(log.since(from)))
	}
}

// TestTailBacklogFillsPages reads a backlog at 3, 50 and 230 events a second
// (at 50 a page holds two seconds of it): the windows, sized from the
// density and read page by page, carry close to a full page a request.
func TestTailBacklogFillsPages(t *testing.T) {
	for _, perSecond := range []int{3, 50, 230} {
		rng := rand.New(rand.NewPCG(5, uint64(perSecond)))
		log := &fakeLog{}
		span := backlogSpan // seconds
		if perSecond < 10 {
			span = 3600
		}
		for sec := range span {
			for range perSecond*3/4 + rng.IntN(perSecond/2+1) {
				log.add(ev(rng, t0.Add(time.Duration(sec)*time.Second)))
			}
		}
		s := &sim{t: t, log: log, now: t0.Add(2 * time.Hour), rng: rng}
		s.tail = New(Config{Org: "acme", From: t0, Limit: 600000}, s.now)
		s.settle()
		if lost, dup := compare(t, s.got, log.evs); lost != 0 || dup != 0 {
			t.Fatalf("%d a second: %d lost, %d repeated", perSecond, lost, dup)
		}
		perRequest := float64(len(log.evs)) / float64(s.tail.Status().Requests)
		t.Logf("%d a second: %d events in %d requests, %.1f a request", perSecond, len(log.evs), s.tail.Status().Requests, perRequest)
		if perRequest < 85 {
			t.Errorf("%d a second: %.1f events a request at 100 a page, want at least 85", perSecond, perRequest)
		}
	}
}

func TestTailToFinishes(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	log := &fakeLog{}
	for i := range 300 {
		log.add(ev(rng, t0.Add(time.Duration(i)*time.Second)))
	}
	from, to := t0.Add(50*time.Second), t0.Add(99*time.Second)
	s := &sim{t: t, log: log, now: t0.Add(time.Hour), rng: rng}
	s.tail = New(Config{Org: "acme", PageSize: 10, From: from, To: to, Limit: 600000}, s.now)
	for i := 0; !s.tail.Finished(); i++ {
		if i > 1000 {
			t.Fatal("never finished")
		}
		s.step(func() {})
	}
	if len(s.got) != 50 || !s.got[0].Timestamp.Equal(from) || !s.got[49].Timestamp.Equal(to) {
		t.Fatalf("got %d events from %v to %v", len(s.got), s.got[0].Timestamp, s.got[len(s.got)-1].Timestamp)
	}
}

func TestTailCheckpointRestart(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewPCG(seed, 9))
		s := newSim(t, seed, Config{Org: "acme", PageSize: 10, From: t0, Limit: 60000})
		arrive := func() {
			for range rng.IntN(30) {
				s.log.add(ev(rng, s.now))
			}
		}
		for range 50 + rng.IntN(50) {
			s.step(arrive)
		}
		b, err := json.Marshal(s.tail.Checkpoint())
		if err != nil {
			t.Fatal(err)
		}
		for range rng.IntN(20) { // the follower is down while events arrive
			s.now = s.now.Add(time.Second)
			arrive()
		}
		var cp Checkpoint
		if err := json.Unmarshal(b, &cp); err != nil {
			t.Fatal(err)
		}
		s.tail, err = Resume(Config{Org: "acme", PageSize: 10, Limit: 60000}, cp, s.now)
		if err != nil {
			t.Fatal(err)
		}
		for range 50 {
			s.step(arrive)
		}
		s.settle()
		if lost, dup := compare(t, s.got, s.log.evs); lost != 0 || dup != 0 {
			t.Fatalf("seed %d: %d lost, %d repeated across the restart", seed, lost, dup)
		}
	}
}

func TestResumeRefusesOtherFilter(t *testing.T) {
	cp := Checkpoint{Org: "acme", Watermark: t0, Filter: Filter{Action: "repo.tag.push"}}
	if _, err := Resume(Config{Org: "acme"}, cp, t0); err == nil {
		t.Error("a checkpoint of another filter was accepted")
	}
	cp.Held = map[string]int{"zz": 1}
	if _, err := Resume(Config{Org: "acme", Filter: cp.Filter}, cp, t0); err == nil {
		t.Error("a bad identity was accepted")
	}
}

func TestTailIdenticalEventsOneSecond(t *testing.T) {
	// 250 identical events in one second, read while they arrive: a page
	// of identical events cannot tell 10 from 20, so the rest comes once
	// the second is frozen, by a later event or by time.
	for _, later := range []bool{true, false} {
		s := newSim(t, 1, Config{Org: "acme", PageSize: 10, Limit: 600000})
		e := hubclient.AuditLog{Account: "acme", Action: "repo.tag.push", Name: "acme/web", Actor: "ci", Timestamp: t0}
		s.tail.Seed(nil)
		for range 25 {
			for range 10 {
				s.log.add(e)
			}
			s.step(func() {})
		}
		if len(s.got) > 250 {
			t.Fatalf("delivered %d of 250 identical events while the second was open", len(s.got))
		}
		if later {
			s.log.add(hubclient.AuditLog{Account: "acme", Action: "repo.create", Timestamp: t0.Add(time.Second)})
		} else {
			s.now = s.now.Add(time.Minute)
		}
		s.settle()
		if lost, dup := compare(t, s.got, s.log.evs); lost != 0 || dup != 0 {
			t.Fatalf("later event %v: %d lost, %d repeated", later, lost, dup)
		}
	}
}

func TestTailSeedDeliversOnlyNew(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	log := &fakeLog{}
	for range 30 {
		log.add(ev(rng, t0))
	}
	tail := New(Config{Org: "acme", PageSize: 100}, t0)
	tail.Seed(log.answer(Query{Page: 1, PageSize: 100}))
	log.add(ev(rng, t0)) // same second, after the page was read
	q, _ := tail.Next(t0)
	got := tail.Done(q, log.answer(q), nil, t0)
	if len(got) != 1 || got[0].Key() != log.evs[30].Key() {
		t.Fatalf("got %d events after the seed, want the 1 that arrived", len(got))
	}
}

func TestTailSchedule(t *testing.T) {
	log := &fakeLog{}
	tail := New(Config{Org: "acme"}, t0)
	now := t0
	poll := func() time.Duration {
		q, at := tail.Next(now)
		d := at.Sub(now)
		now = at
		tail.Done(q, log.answer(q), nil, now)
		return d
	}
	poll() // seed
	var quiet []time.Duration
	for range 8 {
		quiet = append(quiet, poll())
	}
	if quiet[len(quiet)-1] != DefaultMaxInterval {
		t.Errorf("quiet intervals %v do not reach %v", quiet, DefaultMaxInterval)
	}
	// A few events a poll: faster, to twice the fastest interval.
	for i := range 6 {
		log.add(hubclient.AuditLog{Action: "repo.create", Name: fmt.Sprint(i), Timestamp: now.Truncate(time.Second)})
		poll()
	}
	if iv := tail.Status().Interval; iv != 2*DefaultMinInterval {
		t.Errorf("interval %v with an event a poll, want %v", iv, 2*DefaultMinInterval)
	}
	// A quarter page and more a poll: as fast as allowed.
	for i := range 10 {
		for j := range 30 {
			log.add(hubclient.AuditLog{Action: "repo.create", Name: fmt.Sprint(i, j), Timestamp: now.Truncate(time.Second)})
		}
		poll()
	}
	if iv := tail.Status().Interval; iv != DefaultMinInterval {
		t.Errorf("busy interval %v, want %v", iv, DefaultMinInterval)
	}
	// 429: wait for Retry-After.
	q, at := tail.Next(now)
	now = at
	tail.Done(q, nil, &hubclient.RateLimitError{APIError: &hubclient.APIError{StatusCode: 429}, RetryAfter: 42 * time.Second}, now)
	if _, at := tail.Next(now); at.Sub(now) < 42*time.Second {
		t.Errorf("after a 429 with Retry-After 42s the next poll is in %v", at.Sub(now))
	}
}

// TestTailShare checks that a tail behind a heavy log spends no more than
// its share of the budget, and says it is falling behind.
// TestTailStormDoesNotLengthenBackoff: 429s wait as long as they say, and
// a failure right after a long storm of them backs off as a first failure.
func TestTailStormDoesNotLengthenBackoff(t *testing.T) {
	tail := New(Config{Org: "acme", From: t0}, t0)
	now := t0
	storm := &hubclient.RateLimitError{APIError: &hubclient.APIError{StatusCode: 429}, RetryAfter: time.Second}
	for range 30 {
		q, at := tail.Next(now)
		now = later(now, at)
		tail.Done(q, nil, storm, now)
	}
	q, at := tail.Next(now)
	now = later(now, at)
	tail.Done(q, nil, &hubclient.APIError{StatusCode: 503}, now)
	if _, at := tail.Next(now); at.Sub(now) > 2*DefaultInterval {
		t.Fatalf("a 503 after 30 429s waits %v", at.Sub(now))
	}
	for range 6 {
		q, at := tail.Next(now)
		now = later(now, at)
		tail.Done(q, nil, &hubclient.APIError{StatusCode: 503}, now)
	}
	if _, at := tail.Next(now); at.Sub(now) != 2*DefaultMaxInterval {
		t.Fatalf("after seven 503s the next try is in %v, want the longest backoff %v", at.Sub(now), 2*DefaultMaxInterval)
	}
}

func TestTailShare(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	s := newSim(t, 6, Config{Org: "acme", PageSize: 100}) // 180/min × 25 % = 0.75 req/s ≈ 75 events/s
	arrive := func() {
		for range 20 { // 200 events a second
			s.log.add(ev(rng, s.now))
		}
	}
	start := s.now
	sawBehind := false
	for range 200 {
		s.step(arrive)
		if st := s.tail.Status(); st.Behind && st.Limited && st.BehindEvents > 0 {
			sawBehind = true
		}
	}
	elapsed := s.now.Sub(start)
	perMin := float64(s.tail.Status().Requests) / elapsed.Minutes()
	if perMin > 0.25*180*1.05+2 {
		t.Errorf("%.1f requests a minute, over the 25 %% share of 180", perMin)
	}
	if !sawBehind {
		t.Error("never said it was falling behind at 200 events/s")
	}
	s.settle() // the burst ends: it catches up
	if lost, dup := compare(t, s.got, s.log.evs); lost != 0 || dup != 0 {
		t.Fatalf("%d lost, %d repeated", lost, dup)
	}
}

func TestTailStaleAnswerIgnored(t *testing.T) {
	log := &fakeLog{}
	tail := New(Config{Org: "acme", From: t0}, t0)
	q1, _ := tail.Next(t0)
	q2, _ := tail.Next(t0)
	log.add(hubclient.AuditLog{Action: "repo.create", Timestamp: t0})
	if got := tail.Done(q1, log.answer(q1), nil, t0); got != nil {
		t.Errorf("an answer to a superseded query delivered %d events", len(got))
	}
	if got := tail.Done(q2, log.answer(q2), nil, t0); len(got) != 1 {
		t.Errorf("the current answer delivered %d events, want 1", len(got))
	}
	if got := tail.Done(q2, log.answer(q2), nil, t0); got != nil {
		t.Errorf("the same answer twice delivered %d more", len(got))
	}
}

func TestRing(t *testing.T) {
	r := NewRing(3)
	for i := range 5 {
		r.Push(hubclient.AuditLog{Name: fmt.Sprint(i)})
	}
	if r.Len() != 3 || r.Evicted() != 2 {
		t.Fatalf("len %d evicted %d", r.Len(), r.Evicted())
	}
	for i, want := range []string{"4", "3", "2"} {
		if got := r.Newest(i).Name; got != want {
			t.Errorf("Newest(%d) = %s, want %s", i, got, want)
		}
	}
	r.Reset()
	r.Push(hubclient.AuditLog{Name: "a"})
	if r.Len() != 1 || r.Evicted() != 0 || r.Newest(0).Name != "a" {
		t.Errorf("after reset: len %d evicted %d", r.Len(), r.Evicted())
	}
}
