package audit

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/text"
	"github.com/hubtui/hubtui/ui/theme"
)

// sparkHours is how many hours of activity the pane keeps counts for: a
// week, ending at the hour of the newest event counted.
const sparkHours = 7 * 24

// sparkMaxShown caps how many hours the header line shows, leaving the rest
// of the line to what else the header says.
const sparkMaxShown = 48

// sparkLevels draw an hour's count against the peak: ▁ is none, █ the peak.
var sparkLevels = []rune("▁▂▃▄▅▆▇█")

// spark counts events per hour, O(1) per event added or removed, in a ring
// of sparkHours buckets indexed by the hour since the epoch.
//
// What the counts mean: for every hour within sparkHours of the newest hour
// counted, its bucket holds exactly the events of that hour that were added
// and not removed. Events older than that window are not counted when they
// arrive and not subtracted when they leave; the bucket of an hour that
// falls out of the window is forgotten when its slot is reused.
type spark struct {
	count  [sparkHours]int
	hour   [sparkHours]int64 // the hour each slot counts, when set
	set    [sparkHours]bool
	latest int64 // the newest hour counted
	any    bool
}

func hourOf(t time.Time) int64 { return t.Unix() / 3600 }

func slotOf(h int64) int { return int(((h % sparkHours) + sparkHours) % sparkHours) }

// inWindow reports whether hour h is within the window ending at latest.
func (s *spark) inWindow(h int64) bool { return !s.any || h > s.latest-sparkHours }

// add counts one event at t.
func (s *spark) add(t time.Time) {
	h := hourOf(t)
	if !s.inWindow(h) {
		return
	}
	if !s.any || h > s.latest {
		s.latest, s.any = h, true
	}
	i := slotOf(h)
	if !s.set[i] || s.hour[i] != h {
		s.hour[i], s.count[i], s.set[i] = h, 0, true
	}
	s.count[i]++
}

// remove takes back one event at t (it left memory).
func (s *spark) remove(t time.Time) {
	h := hourOf(t)
	if !s.any || !s.inWindow(h) {
		return
	}
	if i := slotOf(h); s.set[i] && s.hour[i] == h && s.count[i] > 0 {
		s.count[i]--
	}
}

// at is the count of hour h (0 outside the window).
func (s *spark) at(h int64) int {
	if !s.any || !s.inWindow(h) || h > s.latest {
		return 0
	}
	if i := slotOf(h); s.set[i] && s.hour[i] == h {
		return s.count[i]
	}
	return 0
}

// reset forgets every count.
func (s *spark) reset() { *s = spark{} }

// line draws the k hours ending with the hour of now (or of the newest
// event, when that is later), oldest on the left, with the peak labelled:
// "activity 24h ▁▁▂█▁ peak 412/h". It is at most w cells wide ("" when
// nothing fits or nothing was counted); O(k).
func (s *spark) line(w int, now time.Time) string {
	if !s.any {
		return ""
	}
	end := max(hourOf(now), s.latest)
	// Room for "activity 48h " and " peak 99999/h" beside the bars.
	k := min(sparkMaxShown, w-len("activity 48h ")-len(" peak 99999/h"))
	if k < 4 {
		return ""
	}
	peak := 0
	for h := end - int64(k) + 1; h <= end; h++ {
		peak = max(peak, s.at(h))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "activity %dh ", k)
	for h := end - int64(k) + 1; h <= end; h++ {
		b.WriteRune(sparkLevels[level(s.at(h), peak)])
	}
	fmt.Fprintf(&b, " peak %d/h", peak)
	return b.String()
}

// level is the index into sparkLevels of c against peak: 0 for none, else
// 1 to 7, the peak at 7.
func level(c, peak int) int {
	if c <= 0 || peak <= 0 {
		return 0
	}
	return max(1, min(7, (c*7+peak-1)/peak))
}

// push puts events (oldest first) into the ring and the activity counts,
// taking back the counts of those the ring lets go. An empty ring was reset
// (org, refresh): the counts start again with it.
func (p *Pane) push(evs ...hubclient.AuditLog) {
	if p.ring.Len() == 0 {
		p.spark.reset()
	}
	for _, e := range evs {
		if p.ring.Len() == p.ring.Cap() {
			p.spark.remove(p.ring.Newest(p.ring.Len() - 1).Timestamp)
		}
		p.ring.Push(e)
		p.spark.add(e.Timestamp)
	}
}

// pushOlder counts a page of older events the ring took (pushOld).
func (p *Pane) pushOlder(evs []hubclient.AuditLog) {
	for _, e := range evs {
		p.spark.add(e.Timestamp)
	}
}

// headerLine is the line above the column heads: the server filters on the
// left, the sparkline right-aligned in what is left of w cells (blank until
// there are events); the filters win when both do not fit.
func (p *Pane) headerLine(th *theme.Theme, now time.Time, w int) string {
	left := ""
	if f := p.filterLine(); f != "" {
		left = text.Truncate("  "+f, w)
	}
	room := w - 1 - lipgloss.Width(left) - 2
	l := ""
	if p.ring.Len() > 0 && room > 20 {
		l = p.spark.line(room, now)
	}
	if l == "" {
		return th.Title.Render(left)
	}
	gap := strings.Repeat(" ", max(2, w-1-lipgloss.Width(left)-lipgloss.Width(l)))
	return th.Title.Render(left) + gap + th.Dim.Render(l)
}
