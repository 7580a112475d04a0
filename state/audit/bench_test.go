package audit

import (
	"math/rand/v2"
	"runtime"
	"testing"
	"time"
)

// BenchmarkIngest1000PerSecond follows a log growing by 1,000 events a
// second for 60 simulated seconds into a 50,000-event ring, and reports the
// requests a minute and the heap the tail and ring hold at the end.
func BenchmarkIngest1000PerSecond(b *testing.B) {
	var reqs, heapMB float64
	for range b.N {
		rng := rand.New(rand.NewPCG(1, 1))
		log := &fakeLog{}
		now := t0
		tail := New(Config{Org: "acme", From: t0, Limit: 100000}, now)
		ring := NewRing(DefaultBuffer)
		for now.Before(t0.Add(60 * time.Second)) {
			q, at := tail.Next(now)
			for now.Before(at) {
				now = now.Add(10 * time.Millisecond)
				for range 10 {
					log.add(ev(rng, now))
				}
			}
			ring.Push(tail.Done(q, log.answer(q), nil, now)...)
		}
		reqs = float64(tail.Status().Requests)
		log.evs = nil
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heapMB = float64(ms.HeapAlloc) / (1 << 20)
		runtime.KeepAlive(ring)
	}
	b.ReportMetric(reqs, "requests/min")
	b.ReportMetric(heapMB, "heapMB")
}
