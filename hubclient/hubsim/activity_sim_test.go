package hubsim

import (
	"errors"
	"testing"
	"time"
)

func TestRunActivitySimulatedTime(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := NewFakeClock(start)
	s, err := New(Options{Dataset: "demo", Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n0 := len(s.OrgAuditTail(DemoOrg, 1<<30))
	// Ten seconds at 50 a second, in uneven slices: 500 changes, 50 a second.
	for _, d := range []time.Duration{3 * time.Second, 1500 * time.Millisecond, 7 * time.Millisecond, 5493 * time.Millisecond} {
		if err := s.RunActivity(d, 50); err != nil {
			t.Fatal(err)
		}
	}
	if got := clock.Now().Sub(start); got != 10*time.Second {
		t.Fatalf("the clock moved %v, want 10s", got)
	}
	evs := s.OrgAuditTail(DemoOrg, 1<<30)[n0:]
	if len(evs) != 500 {
		t.Fatalf("%d changes in 10 simulated seconds at 50/s, want 500", len(evs))
	}
	perSecond := map[int64]int{}
	for i, e := range evs {
		if e.Timestamp.Before(start) || e.Timestamp.After(clock.Now()) {
			t.Fatalf("change %d at %v, outside the span", i, e.Timestamp)
		}
		if i > 0 && e.Timestamp.Before(evs[i-1].Timestamp) {
			t.Fatalf("change %d goes back in time", i)
		}
		perSecond[e.Timestamp.Unix()]++
	}
	// The first change comes one step in, the last at the span's end.
	for sec := int64(1); sec < 10; sec++ {
		if n := perSecond[start.Unix()+sec]; n != 50 {
			t.Errorf("second %d holds %d changes, want 50", sec, n)
		}
	}
	// A pause: advancing without activity makes nothing.
	if err := s.RunActivity(time.Minute, 0); err != nil {
		t.Fatal(err)
	}
	s.ActivityBurst(250)
	evs = s.OrgAuditTail(DemoOrg, 1<<30)[n0+500:]
	if len(evs) != 250 {
		t.Fatalf("a burst of 250 made %d changes", len(evs))
	}
	for _, e := range evs {
		if !e.Timestamp.Equal(clock.Now()) {
			t.Fatalf("a burst change at %v, want the clock's instant %v", e.Timestamp, clock.Now())
		}
	}

	wall, err := New(Options{Dataset: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	defer wall.Close()
	if err := wall.RunActivity(time.Second, 10); !errors.Is(err, ErrNoFakeClock) {
		t.Fatalf("RunActivity on the wall clock: %v, want ErrNoFakeClock", err)
	}
}

// BenchmarkRunActivity is the cost of one simulated change.
func BenchmarkRunActivity(b *testing.B) {
	s, err := New(Options{Dataset: "demo", Clock: NewFakeClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	for range b.N {
		if err := s.RunActivity(5*time.Millisecond, 200); err != nil {
			b.Fatal(err)
		}
	}
}
