package audit

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseRange reads a time range for the log's from/to filters, as typed in
// the Audit pane: a span back from now ("-24h", "24h", "90m", "7d", "2w"),
// a day ("today", "yesterday", "tomorrow", "monday", "since monday"), an absolute time
// ("2026-12-01", "2026-12-01 10:00", RFC 3339), or two of those joined by
// ".." or " to " ("2026-12-01..2026-12-02", "-7d to -1d"). A range's end
// given as a day runs to the end of that day. Names of days and times
// without a zone are read in loc. A zero to means "until now".
func ParseRange(s string, now time.Time, loc *time.Location) (from, to time.Time, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, time.Time{}, errors.New("type a time range, such as -24h, 7d, since monday or 2026-12-01..2026-12-02")
	}
	a, b, isRange := strings.Cut(s, "..")
	lower := strings.ToLower(s)
	if !isRange {
		a, b, isRange = strings.Cut(s, " to ")
	}
	if !isRange {
		from, end, err := parseWhen(s, now, loc)
		if err != nil {
			return time.Time{}, time.Time{}, err
		}
		if lower == "yesterday" {
			to = end
		}
		return from, to, nil
	}
	from, _, err = parseWhen(strings.TrimSpace(a), now, loc)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("the start: %w", err)
	}
	bs := strings.TrimSpace(b)
	if bs != "" && strings.ToLower(bs) != "now" {
		var start time.Time
		start, to, err = parseWhen(bs, now, loc)
		if err != nil {
			return time.Time{}, time.Time{}, fmt.Errorf("the end: %w", err)
		}
		if to.IsZero() {
			to = start
		}
	}
	if !to.IsZero() && to.Before(from) {
		return time.Time{}, time.Time{}, errors.New("the end comes before the start")
	}
	return from, to, nil
}

// parseWhen reads one point in time; for a whole day it also gives the
// day's last instant as end.
func parseWhen(s string, now time.Time, loc *time.Location) (at, end time.Time, err error) {
	if len(s) > 6 && strings.EqualFold(s[:6], "since ") {
		s = strings.TrimSpace(s[6:])
	}
	day := func(t time.Time) (time.Time, time.Time, error) {
		start := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
		return start, start.AddDate(0, 0, 1).Add(-time.Nanosecond), nil
	}
	local := now.In(loc)
	word := strings.ToLower(s)
	switch word {
	case "":
		return time.Time{}, time.Time{}, errors.New("a time is missing")
	case "now":
		return now, time.Time{}, nil
	case "today":
		return day(local)
	case "yesterday":
		return day(local.AddDate(0, 0, -1))
	case "tomorrow": // the end of a range that runs to the end of today
		return day(local.AddDate(0, 0, 1))
	}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		name := strings.ToLower(wd.String())
		if word == name || (len(word) >= 3 && strings.HasPrefix(name, word)) {
			back := (int(local.Weekday()) - int(wd) + 7) % 7
			return day(local.AddDate(0, 0, -back))
		}
	}
	if d, ok := parseSpan(word); ok {
		return now.Add(-d), time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, time.Time{}, nil
		}
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, time.Time{}, nil
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return day(t)
	}
	return time.Time{}, time.Time{}, fmt.Errorf("%q is not a time: try -24h, 7d, since monday, 2026-12-01 or 2026-12-01 10:00", s)
}

// parseSpan reads "-24h", "24h", "90m", "7d", "2w", "1h30m" as a duration
// back from now.
func parseSpan(s string) (time.Duration, bool) {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return 0, false
	}
	if n, unit := s[:len(s)-1], s[len(s)-1]; unit == 'd' || unit == 'w' {
		v, err := strconv.Atoi(n)
		if err != nil || v < 0 || v > 3650 {
			return 0, false
		}
		d := time.Duration(v) * 24 * time.Hour
		if unit == 'w' {
			d *= 7
		}
		return d, true
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, false
	}
	return d, true
}
