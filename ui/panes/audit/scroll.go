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

// Scrolling back: when the cursor nears the oldest event held, older
// events are read and added at the ring's old end. The log has no id and
// moves down as events arrive, so the read is anchored in time, as the
// tail is: to the second S of the oldest event held, asking for the window
// that ends with S. S is frozen (a later event is held, or it is long
// past), so that window's pages never move. Its first events are those of
// S, newest first: the ones held come first and are taken off as a
// multiset (two identical-looking events of one second stay two), the
// rest are new. A second with more than a page is read page by page; then
// the next read anchors to the new oldest second.

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
	ready  bool           // page 1 is in: reading back may start
	anchor time.Time      // S: the second the window read ends with; zero: anchor afresh
	left   map[string]int // held events of S not yet met on the pages read, by Key
	next   int            // the page of the anchored window to read next
	end    bool           // the start of the log (as filtered) is held
	gen    uint64         // the read in flight; 0: none
	cancel context.CancelFunc
}

// startBack sets reading back up once page 1 (newest first) is in.
func (p *Pane) startBack(page []hubclient.AuditLog) {
	p.stopOlder()
	p.back = back{ready: true, end: len(page) < firstPage}
}

// anchor points the read at the second of the oldest event held, with the
// multiset of the events of that second held; false while that second may
// still grow (every event held is of the newest second, not long past).
func (p *Pane) anchor(now time.Time) bool {
	if p.ring.Len() == 0 {
		return false
	}
	s := second(p.ring.Oldest(0).Timestamp)
	if !s.Before(second(p.ring.Newest(0).Timestamp)) && !end(s).Before(now.Add(-saudit.Settle)) {
		return false
	}
	left := map[string]int{}
	for i := 0; i < p.ring.Len() && second(p.ring.Oldest(i).Timestamp).Equal(s); i++ {
		left[p.ring.Oldest(i).Key()]++
	}
	p.back.anchor, p.back.left, p.back.next = s, left, 1
	return true
}

func second(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// end is the last instant of the second s.
func end(s time.Time) time.Time { return s.Add(time.Second - time.Nanosecond) }

// olderNew is what of page (newest first, read from a window ending with
// second s) is not held yet: events of s are taken off left (the held ones
// of s, a multiset, used up as they are met); events newer than s are not
// the window's (a loose filter) and are dropped.
func olderNew(page []hubclient.AuditLog, s time.Time, left map[string]int) []hubclient.AuditLog {
	var out []hubclient.AuditLog
	for _, e := range page {
		switch es := second(e.Timestamp); {
		case es.After(s):
			continue
		case es.Equal(s):
			if k := e.Key(); left[k] > 0 {
				left[k]--
				continue
			}
		}
		out = append(out, e)
	}
	return out
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
	if p.back.anchor.IsZero() && !p.anchor(env.Now()) {
		return nil // the oldest second held may still grow: later
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.back.cancel, p.back.gen = cancel, env.NextGen()
	gen, page, org := p.back.gen, p.back.next, p.org
	opt := p.filter.options(page, olderPage, end(p.back.anchor))
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
	full := len(m.logs) >= olderPage
	if !full {
		p.back.end = true
	}
	if p.ring.Evicted() > 0 {
		return // the old end moved on while the page was read
	}
	logs := olderNew(m.logs, p.back.anchor, p.back.left)
	if full && second(m.logs[len(m.logs)-1].Timestamp).Equal(p.back.anchor) {
		p.back.next++ // the anchored second goes on past this page
	} else {
		p.back.anchor = time.Time{} // anchor afresh to the new oldest second
	}
	took := p.pushOld(logs)
	for _, e := range logs[:took] { // through the watch rules, as page 1 went
		p.observe(e)
	}
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
		if p.filter.active() {
			return " · no older events match the filters"
		}
		return " · start of the log"
	case p.bufferFull():
		return fmt.Sprintf(" · older events not loaded: the buffer holds %d", p.ring.Cap())
	}
	return ""
}
