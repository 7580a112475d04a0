package audit

import (
	"testing"
	"time"
)

func TestParseRange(t *testing.T) {
	loc := time.FixedZone("X", 2*3600)
	now := time.Date(2026, 12, 3, 14, 30, 0, 0, loc) // a Thursday
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	endOf := func(t time.Time) time.Time { return t.AddDate(0, 0, 1).Add(-time.Nanosecond) }
	for _, c := range []struct {
		in       string
		from, to time.Time
	}{
		{"-24h", now.Add(-24 * time.Hour), time.Time{}},
		{"24h", now.Add(-24 * time.Hour), time.Time{}},
		{"7d", now.AddDate(0, 0, -7), time.Time{}},
		{"2w", now.AddDate(0, 0, -14), time.Time{}},
		{"1h30m", now.Add(-90 * time.Minute), time.Time{}},
		{"since monday", day(2026, 11, 30), time.Time{}},
		{"Monday", day(2026, 11, 30), time.Time{}},
		{"thu", day(2026, 12, 3), time.Time{}},
		{"since friday", day(2026, 11, 27), time.Time{}},
		{"today", day(2026, 12, 3), time.Time{}},
		{"yesterday", day(2026, 12, 2), endOf(day(2026, 12, 2))},
		{"2026-12-01", day(2026, 12, 1), time.Time{}},
		{"2026-12-01 10:00", time.Date(2026, 12, 1, 10, 0, 0, 0, loc), time.Time{}},
		{"2026-12-01T10:00:00Z", time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), time.Time{}},
		{"2026-12-01..2026-12-02", day(2026, 12, 1), endOf(day(2026, 12, 2))},
		{"2026-12-01 to 2026-12-01 12:00", day(2026, 12, 1), time.Date(2026, 12, 1, 12, 0, 0, 0, loc)},
		{"-7d to -1d", now.AddDate(0, 0, -7), now.AddDate(0, 0, -1)},
		{"monday..now", day(2026, 11, 30), time.Time{}},
		{"yesterday..tomorrow", day(2026, 12, 2), endOf(day(2026, 12, 4))},
	} {
		from, to, err := ParseRange(c.in, now, loc)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if !from.Equal(c.from) || !to.Equal(c.to) {
			t.Errorf("%q = %v .. %v, want %v .. %v", c.in, from, to, c.from, c.to)
		}
	}
	for _, bad := range []string{"", "soon", "2026-13-01", "-1x", "1d..", "2026-12-02..2026-12-01", "..", "d", "-", "tomorrow..yesterday"} {
		if _, _, err := ParseRange(bad, now, loc); err == nil && bad != "1d.." {
			t.Errorf("%q: no error", bad)
		}
	}
}

func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"-24h", "7d", "since monday", "2026-12-01..2026-12-02", "yesterday", "a to b", "9999999d"} {
		f.Add(s)
	}
	now := time.Date(2026, 12, 3, 14, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		from, to, err := ParseRange(s, now, time.UTC)
		if err != nil {
			return
		}
		if !to.IsZero() && to.Before(from) {
			t.Fatalf("%q: end %v before start %v", s, to, from)
		}
	})
}
