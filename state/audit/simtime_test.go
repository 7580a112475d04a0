package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
)

// Following hubsim in simulated time: hubsim runs on a FakeClock, its
// activity is generated step by step as the clock moves (RunActivity), the
// client's retry waits move the same clock (WithSleep), token expiry reads
// it (WithClock), and the tail is asked for its next request, the clock is
// moved to when it may go, and the request is made over loopback HTTP. Ten
// simulated minutes take a few seconds.

// simStart is where simulated time starts: a whole second.
var simStart = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// simBurst is a burst of n events at one instant, at after the start.
type simBurst struct {
	at time.Duration
	n  int
}

// simEnv is one hubsim in simulated time and the activity it runs.
type simEnv struct {
	tb        testing.TB
	sim       *hubsim.Server
	clock     *hubsim.FakeClock
	base      string
	perSecond float64    // activity until activityEnd
	activeTo  time.Time  // activity stops here
	bursts    []simBurst // pending, in time order
	wire      *wireCounts
}

// wireCounts is what went over the wire.
type wireCounts struct {
	requests, signIns, tooMany, failed atomic.Int64 // failed: 5xx or no answer
}

func newSimEnv(tb testing.TB, opts hubsim.Options) *simEnv {
	tb.Helper()
	e := &simEnv{tb: tb, clock: hubsim.NewFakeClock(simStart), wire: &wireCounts{}}
	opts.Clock = e.clock
	if opts.Dataset == "" {
		opts.Dataset = "demo"
	}
	sim, err := hubsim.New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	base, stop, err := sim.Start("127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(stop)
	e.sim, e.base = sim, base
	return e
}

// countingTransport counts the HTTP requests sent (retries included).
type countingTransport struct {
	n    *wireCounts
	next http.RoundTripper
}

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.requests.Add(1)
	if r.Method == http.MethodPost {
		c.n.signIns.Add(1)
	}
	resp, err := c.next.RoundTrip(r)
	switch {
	case err != nil || resp.StatusCode >= 500:
		c.n.failed.Add(1)
	case resp.StatusCode == http.StatusTooManyRequests:
		c.n.tooMany.Add(1)
	}
	return resp, err
}

// client is a fresh hubclient (a new sign-in) living in simulated time.
func (e *simEnv) client() *hubclient.Client {
	e.tb.Helper()
	hc := &http.Client{Timeout: 10 * time.Second, Transport: countingTransport{e.wire, http.DefaultTransport.(*http.Transport).Clone()}}
	c, err := hubclient.New(hubclient.WithBaseURL(e.base), hubclient.WithHTTPClient(hc),
		hubclient.WithCredentials(hubsim.DemoUser, hubclient.Secret(hubsim.DemoPassword)),
		hubclient.WithClock(e.clock.Now), hubclient.WithSleep(e.sleep))
	if err != nil {
		e.tb.Fatal(err)
	}
	return c
}

// sleep is the client's wait: simulated time passes, activity goes on.
func (e *simEnv) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	e.advance(e.clock.Now().Add(d))
	return nil
}

// advance moves the clock to to, generating the activity on the way: the
// steady rate until activeTo, and the bursts that fall in the span.
func (e *simEnv) advance(to time.Time) {
	for {
		now := e.clock.Now()
		if len(e.bursts) > 0 && !simStart.Add(e.bursts[0].at).After(now) {
			e.sim.ActivityBurst(e.bursts[0].n)
			e.bursts = e.bursts[1:]
			continue
		}
		if !to.After(now) {
			return
		}
		seg, rate := to, 0.0
		if now.Before(e.activeTo) {
			rate = e.perSecond
			seg = earliest(seg, e.activeTo)
		}
		if len(e.bursts) > 0 {
			seg = earliest(seg, simStart.Add(e.bursts[0].at))
		}
		if err := e.sim.RunActivity(seg.Sub(now), rate); err != nil {
			e.tb.Fatal(err)
		}
	}
}

// simScenario is one follow: activity, the Hub's limit, faults, bursts and
// a restart from a checkpoint.
type simScenario struct {
	name      string
	perSecond float64       // steady activity
	limit     int           // hubsim's requests a minute; 0 is the default 180
	span      time.Duration // simulated time of activity
	faults    bool          // 5 % 5xx, resets, truncated bodies, a 429 storm, 30 s tokens
	bursts    []simBurst
	restartAt time.Duration // restart from a checkpoint then; 0 never
	cfg       Config        // the tail's config (Org and From are set)
}

// simResult is what a follow measured.
type simResult struct {
	recorded, delivered, lost, dup, disorder int
	requests, attempts, errors               int           // tail requests, HTTP requests, failed tail requests
	signIns, tooMany, failed                 int           // on the wire: sign-ins, 429s, 5xx or no answer
	restartedBehind                          bool          // the restart came while the tail read a backlog
	perMinute                                float64       // tail requests a simulated minute during the span
	maxLag, maxTrueLag                       time.Duration // Status().Lag, and now - watermark while events wait
	maxBehind, maxTrueBehind                 int           // Status().BehindEvents, and events recorded but not delivered
	catchUpEvents, catchUpReqs               int           // backlog reads and what they delivered
	caughtUpAfter                            time.Duration // after the activity stopped, until caught up
	finalLag                                 time.Duration // now - watermark at the span's end, when events waited
	finalBehind                              int           // events waiting at the span's end
}

func (r simResult) String() string {
	perReq := 0.0
	if r.catchUpReqs > 0 {
		perReq = float64(r.catchUpEvents) / float64(r.catchUpReqs)
	}
	return fmt.Sprintf("recorded %d, delivered %d, lost %d, repeated %d; %d requests (%d HTTP: %d sign-ins, %d 429s, %d 5xx or cut; %d failed), %.1f/min; "+
		"max lag %v (true %v), max behind %d events (true %d); backlog reads %d at %.1f events each; "+
		"at the end %d events / %v behind, caught up %v after the activity stopped; restarted while behind: %v",
		r.recorded, r.delivered, r.lost, r.dup, r.requests, r.attempts, r.signIns, r.tooMany, r.failed, r.errors, r.perMinute,
		r.maxLag, r.maxTrueLag, r.maxBehind, r.maxTrueBehind, r.catchUpReqs, perReq,
		r.finalBehind, r.finalLag, r.caughtUpAfter, r.restartedBehind)
}

// simFaults are the faults, the storm in simulated time.
func simFaults() hubsim.Faults {
	return hubsim.Faults{Status: map[int]float64{500: 0.03, 502: 0.01, 503: 0.01}, Reset: 0.02, Truncate: 0.02,
		StormFrom: simStart.Add(150 * time.Second), StormFor: 30 * time.Second}
}

// runSim follows sc and compares what was delivered with hubsim's record.
func runSim(tb testing.TB, sc simScenario) simResult {
	tb.Helper()
	opts := hubsim.Options{RateLimit: sc.limit, Seed: 7}
	if sc.faults {
		opts.Faults, opts.TokenTTL = simFaults(), 30*time.Second
	}
	e := newSimEnv(tb, opts)
	e.perSecond, e.activeTo = sc.perSecond, simStart.Add(sc.span)
	e.bursts = append([]simBurst(nil), sc.bursts...)
	before := 0 // events before the span (the tail starts at simStart)
	for _, r := range e.sim.OrgAuditTail(hubsim.DemoOrg, 10) {
		if r.Timestamp.Before(simStart) {
			before++
		}
	}
	before += e.sim.OrgAuditLen(hubsim.DemoOrg) - 10
	cfg := sc.cfg
	cfg.Org, cfg.From = hubsim.DemoOrg, simStart
	tail := New(cfg, e.clock.Now())
	c := e.client()
	ctx := context.Background()
	var res simResult
	var got []hubclient.AuditLog
	restarted := sc.restartAt == 0
	spanReqs, oldReqs, oldErrs := 0, 0, 0
	for {
		now := e.clock.Now()
		if !restarted && !now.Before(simStart.Add(sc.restartAt)) {
			// A restart: the checkpoint goes through JSON as a file would,
			// and a new process signs in anew.
			b, err := json.Marshal(tail.Checkpoint())
			if err != nil {
				tb.Fatal(err)
			}
			var cp Checkpoint
			if err := json.Unmarshal(b, &cp); err != nil {
				tb.Fatal(err)
			}
			st := tail.Status()
			res.restartedBehind = st.Behind
			oldReqs, oldErrs = oldReqs+st.Requests, oldErrs+st.Errors
			if tail, err = Resume(cfg, cp, now); err != nil {
				tb.Fatal(err)
			}
			c, restarted = e.client(), true
		}
		q, at := tail.Next(now)
		e.advance(at)
		sent := e.clock.Now()
		logs, resp, err := c.Audit.List(ctx, hubsim.DemoOrg, q.Options())
		if resp != nil {
			tail.ObserveRate(resp.Rate)
		}
		out := tail.Done(q, logs, err, e.clock.Now())
		got = append(got, out...)
		if err == nil && q.CatchingUp() {
			res.catchUpReqs++
			res.catchUpEvents += len(out)
		}
		if !sent.After(e.activeTo) {
			spanReqs++
		}
		st := tail.Status()
		behind := e.sim.OrgAuditLen(hubsim.DemoOrg) - before - len(got)
		res.maxLag, res.maxBehind = max(res.maxLag, st.Lag), max(res.maxBehind, st.BehindEvents)
		trueLag := time.Duration(0)
		if behind > 0 {
			trueLag = e.clock.Now().Sub(st.Watermark)
		}
		res.maxTrueLag, res.maxTrueBehind = max(res.maxTrueLag, trueLag), max(res.maxTrueBehind, behind)
		if sent.Before(e.activeTo) {
			res.finalLag, res.finalBehind = trueLag, behind
		}
		if sent.After(e.activeTo) && !q.CatchingUp() && err == nil && tail.CaughtUp() && len(e.bursts) == 0 {
			res.caughtUpAfter = e.clock.Now().Sub(e.activeTo)
			break
		}
		if e.clock.Now().After(e.activeTo.Add(2 * time.Hour)) {
			tb.Fatalf("%s: not caught up two simulated hours after the activity stopped: %v", sc.name, tail.Status())
		}
	}
	st := tail.Status()
	res.requests, res.errors = oldReqs+st.Requests, oldErrs+st.Errors
	res.attempts = int(e.wire.requests.Load())
	res.signIns, res.tooMany, res.failed = int(e.wire.signIns.Load()), int(e.wire.tooMany.Load()), int(e.wire.failed.Load())
	res.perMinute = float64(spanReqs) / sc.span.Minutes()
	res.delivered = len(got)
	count := map[string]int{}
	for _, r := range e.sim.OrgAuditTail(hubsim.DemoOrg, 1<<30) {
		if r.Timestamp.Before(simStart) {
			continue
		}
		ev := hubclient.AuditLog{Account: hubsim.DemoOrg, Action: r.Action, Name: r.Name, Actor: r.Actor, Data: r.Data,
			Timestamp: r.Timestamp.UTC().Truncate(time.Second), ActionDescription: r.Description}
		count[ev.Key()]++
		res.recorded++
	}
	for i, ev := range got {
		count[ev.Key()]--
		if i > 0 && ev.Timestamp.Before(got[i-1].Timestamp) {
			res.disorder++
		}
	}
	for _, n := range count {
		if n > 0 {
			res.lost += n
		} else {
			res.dup -= n
		}
	}
	return res
}

// TestTailSimulatedTime follows hubsim for ten simulated minutes (less
// under -race, see race_test.go) under the conditions — 200 events
// a second with the Hub's limit raised so the tail's share carries them,
// 50 a second at the default limit, and a quiet log with bursts of several
// pages — with 5xx, resets, truncated bodies, a 429 storm and 30-second
// tokens, a restart from a checkpoint midway, and then compares what was
// delivered with hubsim's record of the span: nothing lost, nothing
// repeated, in time order.
func TestTailSimulatedTime(t *testing.T) {
	span := simSpan
	scenarios := []simScenario{
		// Ending 0.7 s into a second: the newest second holds more than
		// a page and stops growing, which the tail can tell only once it
		// has settled.
		{name: "200/s, limit 1200/min", perSecond: 200, limit: 1200, span: span + 700*time.Millisecond, faults: true,
			bursts: []simBurst{{span / 4, 350}}, restartAt: span / 2},
		{name: "50/s, default limit", perSecond: 50, span: span, faults: true,
			bursts: []simBurst{{span / 3, 450}}, restartAt: span * 3 / 5},
		{name: "1/s with bursts, default limit", perSecond: 1, span: span, faults: true,
			bursts:    []simBurst{{span / 5, 350}, {span/5 + 300*time.Millisecond, 120}, {span / 2, 250}, {span * 4 / 5, 1000}},
			restartAt: span/2 + 5*time.Second},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			start := time.Now()
			r := runSim(t, sc)
			t.Logf("%v simulated in %v: %v", sc.span, time.Since(start).Round(time.Millisecond), r)
			if r.recorded < int(sc.perSecond*sc.span.Seconds())/2 {
				t.Fatalf("only %d events recorded in the span", r.recorded)
			}
			if r.lost != 0 || r.dup != 0 || r.disorder != 0 {
				t.Fatalf("%d lost, %d repeated, %d out of order of %d", r.lost, r.dup, r.disorder, r.recorded)
			}
			// Behind, the status tells how far: the time since the
			// oldest waiting event, and roughly how many wait (with steady
			// activity; a burst between two polls cannot be seen).
			if sc.perSecond >= 50 && (float64(r.maxLag) < 0.8*float64(r.maxTrueLag) || float64(r.maxBehind) < 0.5*float64(r.maxTrueBehind)) {
				t.Errorf("the status said at most %v and %d events behind, but it was %v and %d", r.maxLag, r.maxBehind, r.maxTrueLag, r.maxTrueBehind)
			}
			// The faults bit: failed answers, the storm, and tokens renewed
			// every 30 simulated seconds or so.
			if r.errors == 0 || r.failed == 0 || r.tooMany == 0 || r.signIns < int(sc.span/(30*time.Second))/2 {
				t.Fatalf("the faults did not bite: %d failed tail requests, %d 5xx or cut, %d 429s, %d sign-ins", r.errors, r.failed, r.tooMany, r.signIns)
			}
		})
	}
}
