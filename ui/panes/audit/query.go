package audit

import (
	"cmp"
	"sort"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// The local filter (`/`) runs over the events held, newest first, and
// keeps the time order. Its matches are an index built when the query
// changes and extended as events arrive at either end, never per frame.
//
// Every event held has a sequence number: events pushed at the newest end
// count up from 0, events of older pages count down from -1, so
// Newest(i) has the number hi-1-i whatever arrives meanwhile, and the
// numbers below hi-Len have left memory.

// matches is the index of the events the local filter keeps.
type matches struct {
	newer []int64 // numbers >= 0 that match, ascending (oldest first)
	older []int64 // numbers < 0 that match, descending (newest first)
	drop  int     // leading entries of newer that left the ring
}

func (m *matches) len() int { return len(m.newer) - m.drop + len(m.older) }

// at is the number of the r-th match, newest first.
func (m *matches) at(r int) int64 {
	if nn := len(m.newer) - m.drop; r < nn {
		return m.newer[len(m.newer)-1-r]
	}
	return m.older[r-(len(m.newer)-m.drop)]
}

// evict forgets the matches numbered below cut (they left the ring).
func (m *matches) evict(cut int64) {
	for len(m.older) > 0 && m.older[len(m.older)-1] < cut {
		m.older = m.older[:len(m.older)-1]
	}
	for m.drop < len(m.newer) && m.newer[m.drop] < cut {
		m.drop++
	}
	if m.drop > 1024 && m.drop > len(m.newer)/2 {
		m.newer, m.drop = append(m.newer[:0:0], m.newer[m.drop:]...), 0
	}
}

// newerThan counts the matches numbered at or above n.
func (m *matches) newerThan(n int64) int {
	live := m.newer[m.drop:]
	return len(live) - sort.Search(len(live), func(i int) bool { return live[i] >= n })
}

// haystack is what the local filter matches an event by: actor, action,
// its label, object and description.
func (p *Pane) haystack(e hubclient.AuditLog) string {
	return sanitize.String(e.Actor + " " + e.Action + " " + p.label(e.Action) + " " + e.Name + " " + e.ActionDescription)
}

// matchSeqs returns the numbers of the events of ring positions
// [first, first+n) (Newest order) that match the query, in Newest order.
func (p *Pane) matchSeqs(first, n int) []int64 {
	if n <= 0 {
		return nil
	}
	pos := make([]int, n)
	for i := range pos {
		pos[i] = first + i
	}
	rows := state.Derive(pos, state.Spec{Query: p.query, SortCol: 0}, state.Schema[int]{
		Name:    func(i int) string { return p.haystack(p.ring.Newest(i)) },
		Compare: func(a, b int, _ int) int { return cmp.Compare(a, b) },
	})
	p.queryErr = rows.Err
	out := make([]int64, len(rows.Indices))
	for i, k := range rows.Indices {
		out[i] = p.hi - 1 - int64(pos[k])
	}
	return out
}

// refilter builds the index again over every event held.
func (p *Pane) refilter() {
	p.idx = matches{}
	if p.query == "" {
		return
	}
	seqs := p.matchSeqs(0, p.ring.Len())
	for _, s := range seqs { // newest first
		if s < 0 {
			p.idx.older = append(p.idx.older, s)
		}
	}
	for i := len(seqs) - 1; i >= 0; i-- {
		if seqs[i] >= 0 {
			p.idx.newer = append(p.idx.newer, seqs[i])
		}
	}
}

// resetIndex forgets the events' numbers and matches (the ring was reset).
func (p *Pane) resetIndex() { p.hi, p.idx = 0, matches{} }

// pushNew adds events at the newest end, oldest first, and returns how
// many rows they add to the display.
func (p *Pane) pushNew(evs []hubclient.AuditLog) int {
	if len(evs) == 0 {
		return 0
	}
	p.ring.Push(evs...)
	p.hi += int64(len(evs))
	if p.query == "" {
		return len(evs)
	}
	p.idx.evict(p.hi - int64(p.ring.Len())) // the numbers below left memory
	n := min(len(evs), p.ring.Len())
	seqs := p.matchSeqs(0, n)
	for i := len(seqs) - 1; i >= 0; i-- {
		p.idx.newer = append(p.idx.newer, seqs[i])
	}
	return len(seqs)
}

// pushOld adds a page of older events, newest first, at the oldest end as
// far as there is room; it returns how many the ring took.
func (p *Pane) pushOld(evs []hubclient.AuditLog) int {
	before := p.ring.Len()
	took := p.ring.PushOld(evs...)
	if p.query != "" && took > 0 {
		p.idx.older = append(p.idx.older, p.matchSeqs(before, took)...)
	}
	return took
}

// CanFilter reports that there are events to filter.
func (p *Pane) CanFilter() bool { return p.ring.Len() > 0 || p.query != "" }

// Query is the local filter.
func (p *Pane) Query() string { return p.query }

// SetQuery filters the events held by q (fuzzy; 'exact ^prefix suffix$
// !not re:RE as the other lists).
func (p *Pane) SetQuery(env pane.Env, q string) tea.Cmd {
	if q == p.query {
		return nil
	}
	p.query, p.queryErr = q, nil
	p.cursor = 0
	p.refilter()
	if p.queryErr != nil {
		env.Fail("audit filter", p.queryErr)
	} else {
		env.Clear("audit filter")
	}
	return nil
}
