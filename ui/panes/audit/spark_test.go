package audit

import (
	"strings"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
)

var sparkT0 = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)

func TestSparkCountsPerHour(t *testing.T) {
	var s spark
	for i := range 3 {
		s.add(sparkT0.Add(time.Duration(i) * time.Minute))
	}
	s.add(sparkT0.Add(-30 * time.Minute))
	s.add(sparkT0.Add(2*time.Hour + 59*time.Minute))
	h := hourOf(sparkT0)
	for _, c := range []struct {
		h    int64
		want int
	}{{h - 1, 1}, {h, 3}, {h + 1, 0}, {h + 2, 1}, {h + 3, 0}} {
		if got := s.at(c.h); got != c.want {
			t.Errorf("hour %+d: %d, want %d", c.h-h, got, c.want)
		}
	}
	s.remove(sparkT0)
	if got := s.at(h); got != 2 {
		t.Errorf("after a removal: %d, want 2", got)
	}
}

func TestSparkForgetsHoursOutsideTheWindow(t *testing.T) {
	var s spark
	s.add(sparkT0)
	s.add(sparkT0.Add(sparkHours * time.Hour)) // same slot, a window later
	if got := s.at(hourOf(sparkT0)); got != 0 {
		t.Errorf("an hour a window old still counts %d", got)
	}
	if got := s.at(hourOf(sparkT0) + sparkHours); got != 1 {
		t.Errorf("the new hour counts %d, want 1", got)
	}
	s.add(sparkT0) // too old now: not counted …
	s.remove(sparkT0)
	if got := s.at(hourOf(sparkT0) + sparkHours); got != 1 {
		t.Errorf("an old event's removal took from the new hour: %d", got)
	}
}

func TestSparkLineShowsABurst(t *testing.T) {
	var s spark
	now := sparkT0.Add(30 * time.Minute)
	for h := range 24 {
		s.add(sparkT0.Add(-time.Duration(h) * time.Hour)) // one an hour
	}
	for range 411 {
		s.add(sparkT0.Add(-5 * time.Hour)) // a burst five hours ago
	}
	l := s.line(80, now)
	if !strings.HasSuffix(l, " peak 412/h") {
		t.Fatalf("no peak label: %q", l)
	}
	bars := []rune(strings.Fields(l)[2])
	if len(bars) < 24 || len(bars) > sparkMaxShown {
		t.Fatalf("%d hours drawn in %q", len(bars), l)
	}
	if w := len([]rune(l)); w > 80 {
		t.Fatalf("%d cells, more than 80: %q", w, l)
	}
	n := len(bars)
	for i, r := range bars {
		switch back := n - 1 - i; {
		case back == 5:
			if r != '█' {
				t.Errorf("the burst is %q, want █: %q", r, l)
			}
		case back < 24:
			if r != '▂' {
				t.Errorf("%dh ago is %q, want ▂ (one event, not none): %q", back, r, l)
			}
		default:
			if r != '▁' {
				t.Errorf("%dh ago is %q, want ▁ (none): %q", back, r, l)
			}
		}
	}
	if l := s.line(20, now); l != "" {
		t.Errorf("a line too narrow for the bars is %q", l)
	}
	if l := s.line(30, now); !strings.Contains(l, "activity 4h ") {
		t.Errorf("a narrow line shows %q, want the last 4 hours", l)
	}
}

// TestSparkFollowsRingEviction: as the ring lets the oldest events go, the
// counts of their hours go down with them; the hours in the window always
// count exactly the events held.
func TestSparkFollowsRingEviction(t *testing.T) {
	p := NewWith(Settings{Buffer: 50})
	var evs []hubclient.AuditLog
	for i := range 200 { // 10 an hour over 20 hours, oldest first
		evs = append(evs, hubclient.AuditLog{Action: "repo.tag.push", Name: "acme/web",
			Timestamp: sparkT0.Add(time.Duration(i) * 6 * time.Minute)})
	}
	p.push(evs[:120]...)
	for _, e := range evs[120:] { // as the tail delivers them
		p.push(e)
	}
	if p.ring.Len() != 50 || p.ring.Evicted() != 150 {
		t.Fatalf("ring holds %d, evicted %d", p.ring.Len(), p.ring.Evicted())
	}
	held := map[int64]int{}
	for i := range p.ring.Len() {
		held[hourOf(p.ring.Newest(i).Timestamp)]++
	}
	last := hourOf(evs[199].Timestamp)
	total := 0
	for h := last - 30; h <= last; h++ {
		if got := p.spark.at(h); got != held[h] {
			t.Errorf("hour %d: counts %d, the ring holds %d", h-last, got, held[h])
		}
		total += p.spark.at(h)
	}
	if total != 50 {
		t.Errorf("counts add up to %d, the ring holds 50", total)
	}
	p.ring.Reset() // a refresh
	p.push(evs[0])
	if got := p.spark.at(last); got != 0 {
		t.Errorf("a reset ring left %d counted in the last hour", got)
	}
}

func BenchmarkSparkAdd(b *testing.B) {
	var s spark
	for i := 0; b.Loop(); i++ {
		s.add(sparkT0.Add(time.Duration(i) * time.Second))
	}
}

func BenchmarkSparkLine(b *testing.B) {
	var s spark
	for i := range 10000 {
		s.add(sparkT0.Add(time.Duration(i) * 30 * time.Second))
	}
	for b.Loop() {
		_ = s.line(140, sparkT0.Add(80*time.Hour))
	}
}
