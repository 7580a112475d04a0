package audit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	saudit "github.com/hubtui/hubtui/state/audit"
	"github.com/hubtui/hubtui/ui/pane"
)

// Scrolling back: when the cursor nears the oldest event held, the next
// older page is read and added at the ring's old end. The log is newest
// first and moves down as events arrive, so every page after the first
// asks for the same window end: the end of the second of the newest event
// page 1 showed (or the time of asking, for an empty log). Page k of that
// window stays page k whatever arrives later, except for events still
// arriving in that one second, which push the window down by as many;
// those repeats at the boundary are dropped.

// olderPage is the size of every page read back; page 1 has the same size,
// so that the pages line up.
const olderPage = firstPage

// olderMsg answers the read of an older page.
type olderMsg struct {
	gen  uint64
	page int
	logs []hubclient.AuditLog
	err  error
}

// back is the state of reading back.
type back struct {
	ready  bool      // page 1 is in: reading back may start
	to     time.Time // the fixed end of the window the pages read
	next   int       // the page to read next
	end    bool      // the start of the log (as filtered) is held
	gen    uint64    // the read in flight; 0: none
	cancel context.CancelFunc
}

// startBack sets reading back up once page 1 (newest first) is in.
func (p *Pane) startBack(page []hubclient.AuditLog, asked time.Time) {
	p.stopOlder()
	p.back = back{ready: true, next: 2, end: len(page) < firstPage, to: asked}
	if len(page) > 0 {
		s := page[0].Timestamp.UTC().Truncate(time.Second)
		p.back.to = s.Add(time.Second - time.Nanosecond)
	}
	if to := p.filter.to; !to.IsZero() && to.Before(p.back.to) {
		p.back.to = to
	}
}

// stopOlder cancels the read in flight; its answer is dropped.
func (p *Pane) stopOlder() {
	if p.back.cancel != nil {
		p.back.cancel()
	}
	p.back.cancel, p.back.gen = nil, 0
}

// bufferFull reports that no older event can be held: the ring is full,
// or newer events have pushed old ones out (the old end no longer meets
// the pages read).
func (p *Pane) bufferFull() bool { return p.ring.Full() || p.ring.Evicted() > 0 }

// nearEnd is how close to the last row held the cursor comes before the
// next older page is read.
func (p *Pane) nearEnd() int { return max(20, p.height) }

// maybeOlder reads the next older page when the cursor nears the end.
func (p *Pane) maybeOlder(env pane.Env) {
	if p.cursor < p.shown()-p.nearEnd() {
		return
	}
	if cmd := p.loadOlder(env); cmd != nil {
		env.Do(cmd)
	}
}

// loadOlder is the read of the next older page, or nil when there is none
// to read (not started, in flight, the start of the log, the buffer full).
func (p *Pane) loadOlder(env pane.Env) tea.Cmd {
	c := env.Client()
	if c == nil || !p.back.ready || p.back.gen != 0 || p.back.end || p.bufferFull() {
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.back.cancel, p.back.gen = cancel, env.NextGen()
	gen, page, org := p.back.gen, p.back.next, p.org
	opt := p.filter.options(page, olderPage, p.back.to)
	return func() tea.Msg {
		logs, _, err := c.Audit.List(ctx, org, opt)
		return olderMsg{gen: gen, page: page, logs: logs, err: err}
	}
}

// gotOlder adds an older page, less its repeats; an answer to a read no
// longer in flight (the filters changed, the org, a refresh) is dropped.
func (p *Pane) gotOlder(env pane.Env, m olderMsg) {
	if p.back.gen == 0 || m.gen != p.back.gen || m.page != p.back.next {
		return
	}
	p.back.gen, p.back.cancel = 0, nil
	if m.err != nil {
		switch {
		case hubclient.IsStatus(m.err, http.StatusNotFound):
			p.back.end = true // past the last page
		case !errors.Is(m.err, context.Canceled):
			env.Fail("load older audit", fmt.Errorf("older audit events of %s: %w", p.org, m.err))
		}
		return
	}
	env.Clear("load older audit")
	p.back.next++
	if len(m.logs) < olderPage {
		p.back.end = true
	}
	if p.ring.Evicted() > 0 {
		return // the old end moved on while the page was read
	}
	logs := m.logs[overlap(p.ring, m.logs):]
	took := p.pushOld(logs)
	for _, e := range logs[:took] { // through the watch rules, as page 1 went
		p.observe(e)
	}
}

// overlap is how many of page's first events repeat the oldest held, in
// the same order: the window moved down by as many since the page before.
func overlap(r *saudit.Ring, page []hubclient.AuditLog) int {
	k := min(len(page), r.Len())
	if k == 0 {
		return 0
	}
	pk := make([]string, k)
	ok := make([]string, k) // ok[j] is the key of the j-th oldest held
	for j := range k {
		pk[j], ok[j] = page[j].Key(), r.Oldest(j).Key()
	}
	for n := k; n > 0; n-- {
		same := true
		for j := 0; j < n && same; j++ {
			same = pk[j] == ok[n-1-j]
		}
		if same {
			return n
		}
	}
	return 0
}

// backStatus is the status line's word on older events: while they load,
// and why no more come once the cursor nears the end of the rows.
func (p *Pane) backStatus(env pane.Env) string {
	switch {
	case !p.back.ready:
		return ""
	case p.back.gen != 0:
		return " · " + env.Spinner() + " loading older events…"
	case p.shown()-p.cursor > max(p.height, 10):
		return "" // far from the end: the count of those that left memory says enough
	case p.back.end:
		return " · start of the log"
	case p.bufferFull():
		return fmt.Sprintf(" · older events not loaded: the buffer holds %d", p.ring.Cap())
	}
	return ""
}
