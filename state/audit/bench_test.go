package audit

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
)

// benchEvent is an event the size of a real one: a tag push with its
// digest, a description and a token actor's data.
func benchEvent(rng *rand.Rand, at time.Time, i int) hubclient.AuditLog {
	digest := fmt.Sprintf("sha256:%016x%016x%016x%016x", rng.Uint64(), rng.Uint64(), rng.Uint64(), rng.Uint64())
	repo := fmt.Sprintf("acme/service-%d", rng.IntN(40))
	tag := fmt.Sprintf("build-%d", i)
	return hubclient.AuditLog{Account: "acme", Action: "repo.tag.push", Name: repo, Actor: `ci-bot - access token "CI"`,
		Timestamp: at.Truncate(time.Second),
		Data: map[string]string{"tag": tag, "digest": digest, "access_token_id": "3f2a9c1e-7b4d-4e2a-9f1c-2b8e6d4a7c90",
			"access_token_label": "CI", "access_token_type": "organization"},
		ActionDescription: "pushed the tag " + tag + " with the digest " + digest + " to the repository " + repo}
}

// heapMB is the live heap after a collection.
func heapMB() float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) / (1 << 20)
}

// BenchmarkIngest1000PerSecond follows a log growing by 1,000 events a
// second into a DefaultBuffer ring (full after 50 s) for 240 simulated
// seconds, and reports the heap (the ring, the tail and what the fake Hub
// still holds) at 60, 120 and 240 s — flat once the ring is full — the
// CPU the tail and ring spend a simulated second, and requests a minute.
// The first 60 s are the figure of the issue; the rest shows the heap.
func BenchmarkIngest1000PerSecond(b *testing.B) {
	var reqs, cpu, delivered float64
	heap := map[int]float64{}
	for range b.N {
		rng := rand.New(rand.NewPCG(1, 1))
		log := &fakeLog{}
		now := t0
		tail := New(Config{Org: "acme", From: t0, Limit: 100000}, now)
		ring := NewRing(DefaultBuffer)
		var spent time.Duration
		n, mark := 0, 60
		for now.Before(t0.Add(240 * time.Second)) {
			start := time.Now()
			q, at := tail.Next(now)
			spent += time.Since(start)
			for now.Before(at) {
				now = now.Add(10 * time.Millisecond)
				for range 10 {
					log.add(benchEvent(rng, now, n))
					n++
				}
			}
			ans := log.answer(q)
			start = time.Now()
			ring.Push(tail.Done(q, ans, nil, now)...)
			spent += time.Since(start)
			if i, _ := slices.BinarySearchFunc(log.evs, tail.Status().Watermark.Add(-5*time.Second), func(e hubclient.AuditLog, t time.Time) int {
				return e.Timestamp.Compare(t)
			}); i > 5000 {
				log.evs = slices.Clone(log.evs[i:]) // the Hub's old events are not the tail's memory
			}
			if el := int(now.Sub(t0) / time.Second); el >= mark {
				if mark == 60 {
					reqs = float64(tail.Status().Requests)
				}
				b.StopTimer()
				heap[mark] = heapMB()
				b.StartTimer()
				mark *= 2
			}
		}
		delivered = float64(tail.Status().Delivered)
		cpu = float64(spent.Microseconds()) / 1000 / 240
		runtime.KeepAlive(ring)
	}
	b.ReportMetric(reqs, "requests/min")
	b.ReportMetric(cpu, "tail-ms/sim-s")
	b.ReportMetric(delivered/240, "events/sim-s")
	for _, s := range []int{60, 120, 240} {
		b.ReportMetric(heap[s], fmt.Sprintf("heapMB@%ds", s))
	}
}

// BenchmarkIdleFollow follows a log where nothing happens for a simulated
// hour and reports the requests and the tail's CPU an idle minute.
func BenchmarkIdleFollow(b *testing.B) {
	var reqs, cpu float64
	for range b.N {
		log := &fakeLog{}
		log.add(hubclient.AuditLog{Account: "acme", Action: "repo.create", Name: "acme/web", Actor: "alice", Timestamp: t0})
		now := t0.Add(time.Minute)
		tail := New(Config{Org: "acme"}, now)
		var spent time.Duration
		for now.Before(t0.Add(61 * time.Minute)) {
			start := time.Now()
			q, at := tail.Next(now)
			spent += time.Since(start)
			now = later(now, at)
			ans := log.answer(q)
			start = time.Now()
			tail.Done(q, ans, nil, now)
			spent += time.Since(start)
		}
		reqs = float64(tail.Status().Requests) / 60
		cpu = float64(spent.Nanoseconds()) / 1000 / 60
	}
	b.ReportMetric(reqs, "requests/idle-min")
	b.ReportMetric(cpu, "tail-µs/idle-min")
}

// BenchmarkFollowLevels follows hubsim over HTTP in simulated time for ten
// minutes at the default limit (180 a minute, the tail's share 45) at
// several rates of activity, and reports the requests a minute spent, how
// far behind the tail was when the activity stopped and how long it then
// took to catch up. The share carries at most 75 events a second (45
// full pages a minute); what the tail carries is lower by its partial last
// pages and the reads that find where the log ends.
func BenchmarkFollowLevels(b *testing.B) {
	for _, perSecond := range []float64{0, 1, 50, 75, 200} {
		b.Run(fmt.Sprintf("%g-per-s", perSecond), func(b *testing.B) {
			var r simResult
			for range b.N {
				r = runSim(b, simScenario{name: b.Name(), perSecond: perSecond, span: 10 * time.Minute})
				if r.lost != 0 || r.dup != 0 {
					b.Fatalf("%d lost, %d repeated", r.lost, r.dup)
				}
			}
			perReq := 0.0
			if r.requests > 0 {
				perReq = float64(r.delivered) / float64(r.requests)
			}
			b.ReportMetric(r.perMinute, "requests/min")
			b.ReportMetric(perReq, "events/request")
			b.ReportMetric(r.finalLag.Seconds(), "behind-s@end")
			b.ReportMetric(float64(r.finalBehind), "behind-events@end")
			b.ReportMetric(r.caughtUpAfter.Seconds(), "catch-up-s")
		})
	}
}
