package audit

import (
	"cmp"
	"fmt"
	"sort"
	"time"

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
func haystack(c *catalogue, e hubclient.AuditLog) string {
	return sanitize.String(e.Actor + " " + e.Action + " " + c.label(e.Action) + " " + e.Name + " " + e.ActionDescription)
}

// match filters n events by q: at(i) is the i-th, newest first. It
// returns the positions that match, in the same order. It is pure, for
// Update (a few events) and Cmds (every event held, from a copy).
func match(q string, c *catalogue, n int, at func(i int) hubclient.AuditLog) ([]int, error) {
	if n <= 0 {
		return nil, nil
	}
	hay := make([]string, n)
	pos := make([]int, n)
	for i := range n {
		hay[i], pos[i] = haystack(c, at(i)), i
	}
	rows := state.Derive(pos, state.Spec{Query: q, SortCol: 0}, state.Schema[int]{
		Name:    func(i int) string { return hay[i] },
		Compare: func(a, b int, _ int) int { return cmp.Compare(a, b) }, // the time order
	})
	return rows.Indices, rows.Err
}

// matchSeqs returns the numbers of the events of ring positions
// [first, first+n) (Newest order) that the filter in force keeps, in
// Newest order.
func (p *Pane) matchSeqs(first, n int) []int64 {
	found, err := match(p.matched, p.cats[p.org], n, func(i int) hubclient.AuditLog { return p.ring.Newest(first + i) })
	if err != nil {
		return nil
	}
	out := make([]int64, len(found))
	for i, k := range found {
		out[i] = p.hi - 1 - int64(first+k)
	}
	return out
}

// queryMsg is the index built for q over the events held when it was
// asked for: n events, the newest numbered hi-1.
type queryMsg struct {
	gen  uint64
	q    string
	hi   int64
	n    int
	seqs []int64 // the numbers of the matches, newest first
	err  error
}

// Over this many events held, the index is built once typing pauses for
// typingPause, not at every key.
const (
	pauseOver   = 20_000
	typingPause = 150 * time.Millisecond
)

// queryTickMsg is typing's pause before the index of qgen is built.
type queryTickMsg struct{ gen uint64 }

// runQuery builds the index of p.query over a copy of the events held,
// in a Cmd: typing never waits for it.
func (p *Pane) runQuery(env pane.Env) tea.Cmd {
	p.qgen = env.NextGen()
	if p.query == "" {
		p.matched, p.idx, p.queryErr, p.cursor = "", matches{}, nil, 0
		env.Clear("audit filter")
		return nil
	}
	if p.ring.Len() > pauseOver {
		gen := p.qgen
		return tea.Tick(typingPause, func(time.Time) tea.Msg { return queryTickMsg{gen: gen} })
	}
	return p.buildQuery()
}

// queryTick builds the index once typing has paused.
func (p *Pane) queryTick(m queryTickMsg) tea.Cmd {
	if m.gen != p.qgen {
		return nil // typed on since
	}
	return p.buildQuery()
}

// buildQuery is the Cmd that builds the index of generation qgen.
func (p *Pane) buildQuery() tea.Cmd {
	evs := make([]hubclient.AuditLog, p.ring.Len())
	for i := range evs {
		evs[i] = p.ring.Newest(i)
	}
	gen, q, hi, c := p.qgen, p.query, p.hi, p.cats[p.org]
	return func() tea.Msg {
		found, err := match(q, c, len(evs), func(i int) hubclient.AuditLog { return evs[i] })
		seqs := make([]int64, len(found))
		for i, k := range found {
			seqs[i] = hi - 1 - int64(k)
		}
		return queryMsg{gen: gen, q: q, hi: hi, n: len(evs), seqs: seqs, err: err}
	}
}

// gotQuery puts an index in force, and matches the events that came in at
// either end while it was built.
func (p *Pane) gotQuery(env pane.Env, m queryMsg) {
	if m.gen != p.qgen {
		return
	}
	p.queryErr = m.err
	if m.err != nil {
		env.Fail("audit filter", fmt.Errorf("filter %q: %w", m.q, m.err))
		return // the index in force stays
	}
	env.Clear("audit filter")
	if p.matched != m.q {
		p.cursor = 0
	}
	p.matched, p.idx = m.q, matches{}
	for _, s := range m.seqs { // newest first
		if s < 0 {
			p.idx.older = append(p.idx.older, s)
		}
	}
	for i := len(m.seqs) - 1; i >= 0; i-- {
		if m.seqs[i] >= 0 {
			p.idx.newer = append(p.idx.newer, m.seqs[i])
		}
	}
	// Newer events pushed meanwhile are the newest p.hi-m.hi positions.
	if k := int(min(p.hi-m.hi, int64(p.ring.Len()))); k > 0 {
		seqs := p.matchSeqs(0, k)
		for i := len(seqs) - 1; i >= 0; i-- {
			p.idx.newer = append(p.idx.newer, seqs[i])
		}
	}
	// Older pages added meanwhile are below the copy's oldest, m.hi-m.n.
	if first := int(p.hi - m.hi + int64(m.n)); first < p.ring.Len() {
		p.idx.older = append(p.idx.older, p.matchSeqs(first, p.ring.Len()-first)...)
	}
	p.idx.evict(p.hi - int64(p.ring.Len()))
	p.cursor = max(0, min(p.cursor, p.shown()-1))
}

// resetIndex forgets the events' numbers and matches (the ring was
// reset). The filter typed is in force over the events to come at once
// (they come a page at a time), and an index still being built for the
// events that went is dropped.
func (p *Pane) resetIndex() {
	p.hi, p.idx = 0, matches{}
	p.qgen++
	p.matched = p.query
}

// pushNew adds events at the newest end, oldest first, and returns how
// many rows they add to the display.
func (p *Pane) pushNew(evs []hubclient.AuditLog) int {
	if len(evs) == 0 {
		return 0
	}
	p.push(evs...) // spark.go: the activity counts go with the ring
	p.hi += int64(len(evs))
	if p.matched == "" {
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
	p.pushOlder(evs[:took])
	if p.matched != "" && took > 0 {
		p.idx.older = append(p.idx.older, p.matchSeqs(before, took)...)
	}
	return took
}

// CanFilter reports that there are events to filter.
func (p *Pane) CanFilter() bool { return p.ring.Len() > 0 || p.query != "" }

// Query is the local filter as typed.
func (p *Pane) Query() string { return p.query }

// SetQuery filters the events held by q (fuzzy; 'exact ^prefix suffix$
// !not re:RE as the other lists). The index is built in a Cmd; until it
// is in, the rows of the filter before stay.
func (p *Pane) SetQuery(env pane.Env, q string) tea.Cmd {
	if q == p.query {
		return nil
	}
	p.query = q
	return p.runQuery(env)
}
