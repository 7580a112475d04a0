package audit

import (
	"time"

	"github.com/hubtui/hubtui/hubclient"
	saudit "github.com/hubtui/hubtui/state/audit"
)

// Held is every event the pane holds, newest first.
func (p *Pane) Held() []hubclient.AuditLog {
	out := make([]hubclient.AuditLog, p.ring.Len())
	for i := range out {
		out[i] = p.ring.Newest(i)
	}
	return out
}

// Shown is every event on display, newest first (the local filter's).
func (p *Pane) Shown() []hubclient.AuditLog {
	out := make([]hubclient.AuditLog, p.shown())
	for i := range out {
		out[i], _ = p.event(i)
	}
	return out
}

// Hold pushes evs (oldest first) at the newest end, as the tail would.
func (p *Pane) Hold(evs []hubclient.AuditLog) { p.pushNew(evs) }

// OlderNew is olderNew: what of page, read from a window ending with
// second s, is new when held holds the events of s already held.
func OlderNew(page []hubclient.AuditLog, s time.Time, held []hubclient.AuditLog) []hubclient.AuditLog {
	left := map[string]int{}
	for _, e := range held {
		left[e.Key()]++
	}
	return olderNew(page, s, left)
}

// NewRingForTest is a ring of capacity n.
func NewRingForTest(n int) *saudit.Ring { return saudit.NewRing(n) }

// Refilter matches every event held against q, as SetQuery's Cmd does,
// and returns how many match.
func (p *Pane) Refilter(q string) int {
	found, _ := match(q, p.cats[p.org], p.ring.Len(), p.ring.Newest)
	return len(found)
}
