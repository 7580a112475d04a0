package audit_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/state/audit"
)

// TestTailAgainstHubsim follows hubsim's own activity at 200 events a second
// over HTTP with 5xx, resets and truncated bodies and a short token
// lifetime and a 429 storm, then compares what the tail delivered with hubsim's record of
// the same span: nothing lost, nothing repeated.
func TestTailAgainstHubsim(t *testing.T) {
	if testing.Short() {
		t.Skip("follows for several seconds")
	}
	sim, err := hubsim.New(hubsim.Options{Dataset: "demo", RateLimit: 6000, Activity: 200, TokenTTL: 3 * time.Second,
		Faults: hubsim.Faults{Status: map[int]float64{500: 0.05, 503: 0.02}, Reset: 0.02, Truncate: 0.02,
			StormFrom: time.Now().Add(2 * time.Second), StormFor: 2 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	base, stop, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	c, err := hubclient.New(hubclient.WithBaseURL(base), hubclient.WithHTTPClient(&http.Client{Timeout: 3 * time.Second}),
		hubclient.WithCredentials(hubsim.DemoUser, hubclient.Secret(hubsim.DemoPassword)),
		hubclient.WithRetryPolicy(hubclient.RetryPolicy{Max: 2, Base: 5 * time.Millisecond, Cap: 20 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	start := time.Now()
	tail := audit.New(audit.Config{Org: hubsim.DemoOrg, From: start, MinInterval: 200 * time.Millisecond, Interval: 500 * time.Millisecond}, start)
	var got []hubclient.AuditLog
	run := func(until func() bool) {
		for !until() {
			q, at := tail.Next(time.Now())
			time.Sleep(time.Until(at))
			logs, resp, err := c.Audit.List(ctx, hubsim.DemoOrg, q.Options())
			if resp != nil {
				tail.ObserveRate(resp.Rate)
			}
			got = append(got, tail.Done(q, logs, err, time.Now())...)
		}
	}
	run(func() bool { return time.Since(start) > 6*time.Second })
	sim.Close() // activity stops; catch up with what is there
	sim.SetFaults(hubsim.Faults{})
	time.Sleep(200 * time.Millisecond) // the generator's last step is done
	tail.Wake(time.Now())
	polled := false
	run(func() bool { // at least one read after the last event
		done := polled && tail.CaughtUp()
		polled = true
		return done
	})
	want := sim.OrgAuditTail(hubsim.DemoOrg, 1<<30)
	count := map[string]int{}
	n := 0
	for _, r := range want {
		if r.Timestamp.Before(start.Truncate(time.Second)) {
			continue
		}
		e := hubclient.AuditLog{Account: hubsim.DemoOrg, Action: r.Action, Name: r.Name, Actor: r.Actor, Data: r.Data,
			Timestamp: r.Timestamp.UTC().Truncate(time.Second), ActionDescription: r.Description}
		if e.Data == nil {
			e.Data = map[string]string{}
		}
		count[e.Key()]++
		n++
	}
	for _, e := range got {
		count[e.Key()]--
	}
	lost, dup := 0, 0
	for _, v := range count {
		if v > 0 {
			lost += v
		} else {
			dup -= v
		}
	}
	st := tail.Status()
	t.Logf("hubsim recorded %d events, the tail delivered %d in %d requests (%d errors): %d lost, %d repeated",
		n, len(got), st.Requests, st.Errors, lost, dup)
	if n < 500 {
		t.Fatalf("only %d events in the span", n)
	}
	if lost != 0 || dup != 0 {
		t.Fatalf("%d lost, %d repeated of %d", lost, dup, n)
	}
}
