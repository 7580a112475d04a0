package ui

import (
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/pane"
)

// live is what the App keeps of a page that shows what the audit log
// reports changes of (pane.Live).
type live struct {
	stale    bool      // an event changed it while it was off screen: reload on Enter
	reloaded time.Time // the last reload the events asked for
	due      bool      // a reload waits for LiveEvery to pass since reloaded
	reloads  int       // how many the events asked for (tests)
}

// happenedMsg carries what the audit log delivered to the live panes.
type happenedMsg struct {
	session uint64
	from    uint64 // the page that followed the log
	evs     []hubclient.AuditLog
}

// liveDue is the end of a page's pause between two reloads.
type liveDue struct {
	session uint64
	page    uint64
}

// happen hands evs over in a message of its own: the panes hear of them
// in the next Update, not inside the Audit pane's.
func happen(session, from uint64, evs []hubclient.AuditLog) tea.Cmd {
	evs = slices.Clone(evs)
	return func() tea.Msg { return happenedMsg{session: session, from: from, evs: evs} }
}

// onHappened asks every live page whether evs changed it: one on screen
// reloads (or soon, when it did a moment ago), one off screen is marked
// to reload when next entered.
func (a *App) onHappened(m happenedMsg) tea.Cmd {
	if m.session != a.sessionID || a.sess.Client == nil {
		return nil
	}
	var cmds []tea.Cmd
	for ti, t := range a.tabs {
		for _, pg := range slices.Clone(t.stack) {
			lp, ok := pg.p.(pane.Live)
			if !ok || pg.id == m.from || !lp.Affected(pg.env, m.evs) {
				continue
			}
			if ti != a.active {
				pg.stale = true
				continue
			}
			cmds = append(cmds, a.reloadSoon(pg))
		}
	}
	return tea.Batch(cmds...)
}

// reloadSoon reloads pg now, or once LiveEvery has passed since its last
// reload; the events arriving meanwhile ride on that one.
func (a *App) reloadSoon(pg *page) tea.Cmd {
	if pg.due {
		return nil
	}
	now := a.opts.Now()
	if wait := pane.LiveEvery - now.Sub(pg.reloaded); !pg.reloaded.IsZero() && wait > 0 {
		pg.due = true
		session, id := a.sessionID, pg.id
		return tea.Tick(wait, func(time.Time) tea.Msg { return liveDue{session: session, page: id} })
	}
	return a.reload(pg)
}

// reload loads pg again for the events.
func (a *App) reload(pg *page) tea.Cmd {
	lp, ok := pg.p.(pane.Live)
	if !ok {
		return nil
	}
	pg.stale, pg.due = false, false
	pg.reloaded = a.opts.Now()
	pg.reloads++
	return address(pg.id, lp.Reload(pg.env))
}

// onLiveDue reloads a page whose pause is over: now when it is on screen,
// on its next Enter when not.
func (a *App) onLiveDue(m liveDue) tea.Cmd {
	pg, ok := a.pages[m.page]
	if m.session != a.sessionID || !ok || !pg.due {
		return nil
	}
	pg.due = false
	if pg.tab != a.active {
		pg.stale = true
		return nil
	}
	return a.reload(pg)
}

// enterStale reloads pg, just entered, when events changed it while it was
// away, unless entering it started a load of its own already.
func (a *App) enterStale(pg *page) tea.Cmd {
	if !pg.stale {
		return nil
	}
	if b, ok := pg.p.(pane.Busy); ok && b.Busy() {
		pg.stale = false
		return nil
	}
	return a.reload(pg)
}
