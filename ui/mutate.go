package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// mutationTimeout bounds one request of a change on the Hub.
const mutationTimeout = 60 * time.Second

// mutatedMsg ends a change: apply updates the screen once it succeeded.
type mutatedMsg struct {
	id      uint64 // the change's entry in App.running
	page    uint64 // the page that asked: apply's Cmd goes to it
	session uint64
	what    string
	done    string
	err     error
	apply   func() tea.Cmd
	failed  func(error) tea.Cmd
}

// startRun records a change in flight.
func (a *App) startRun(what string) uint64 {
	a.say(sanitize.String(what) + "…")
	if a.errFrom == "" {
		a.errText = ""
	}
	if a.running == nil {
		a.running = map[uint64]string{}
	}
	a.runID++
	a.running[a.runID] = sanitize.String(what)
	return a.runID
}

// mutate runs c in a Cmd, within mutationTimeout. It is never retried on
// its own; the result is always reported, and applied to the screen only
// while the same session is on it.
func (a *App) mutate(page uint64, c pane.Change) tea.Cmd {
	client, session := a.sess.Client, a.sessionID
	id := a.startRun(c.What)
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), mutationTimeout)
		defer cancel()
		defer client.Foreground()() // loads wait while it runs
		apply, err := c.Run(ctx, client)
		return mutatedMsg{id: id, page: page, session: session, what: c.What, done: c.Done, err: err, apply: apply, failed: c.Failed}
	}
}

// onMutated reports a change and applies it to the screen.
func (a *App) onMutated(m mutatedMsg) tea.Cmd {
	delete(a.running, m.id)
	if m.session != a.sessionID {
		m.apply, m.failed = nil, nil // what is on screen now is another org or context: report only
	}
	if m.err != nil {
		a.say("")
		var tf *hubclient.TwoFactorRequiredError
		if errors.As(m.err, &tf) { // said again once the new code is in
			a.lost = fmt.Sprintf("not done: %s (the session had expired; do it again)", m.what)
		}
		var pe pane.Partial
		if errors.As(m.err, &pe) {
			a.setErr(m.err) // its words name the items
		} else {
			a.setErr(fmt.Errorf("%s: %w", m.what, m.err))
		}
		if errors.As(m.err, &pe) && m.apply != nil {
			return address(m.page, m.apply()) // some of it went through: show that part
		}
		if m.failed != nil {
			return address(m.page, m.failed(m.err))
		}
		return nil
	}
	a.say(sanitize.String(m.done))
	if m.apply != nil {
		return address(m.page, m.apply())
	}
	return nil
}

// bulkRun is a bulk change in flight and its progress dialog.
type bulkRun struct {
	id     uint64
	page   uint64
	what   string
	total  int
	prog   *dialog.Progress
	cancel context.CancelFunc
	done   []string
	errs   []error
	bulk   pane.Bulk
	sess   uint64
}

// bulkMsg is one item of a bulk change done (item != ""), or its end.
type bulkMsg struct {
	run  uint64
	item string
	err  error
	end  bool
	next tea.Cmd
}

// mutateEach runs b one item at a time with a progress dialog that shows
// each result and can stop the rest; each request has its own timeout, so
// a bulk change may wait for the rate limit as long as it needs.
func (a *App) mutateEach(page uint64, b pane.Bulk) tea.Cmd {
	client := a.sess.Client
	id := a.startRun(b.What)
	ctx, cancel := context.WithCancel(context.Background())
	run := &bulkRun{id: id, page: page, what: b.What, total: len(b.Items), cancel: cancel, bulk: b, sess: a.sessionID}
	run.prog = dialog.NewProgress(b.Title, len(b.Items), cancel)
	if a.bulks == nil {
		a.bulks = map[uint64]*bulkRun{}
	}
	a.bulks[id] = run
	a.push(run.prog, page)
	items := slices.Clone(b.Items)
	ch := make(chan bulkMsg, 1)
	run1 := func() { // in the first Cmd, never in Update
		go func() {
			defer close(ch)
			release := client.Foreground() // loads wait until the last item is done
			for i, item := range items {
				err := ctx.Err()
				if err == nil {
					rctx, rcancel := context.WithTimeout(ctx, mutationTimeout)
					err = b.Do(rctx, client, item)
					rcancel()
				}
				if errors.Is(err, context.Canceled) {
					err = stoppedError{}
				}
				if i == len(items)-1 {
					release() // done with the Hub: loads need not wait for the answers to be read
				}
				ch <- bulkMsg{run: id, item: item, err: err}
			}
			release()
			ch <- bulkMsg{run: id, end: true}
		}()
	}
	var start sync.Once
	var next func() tea.Msg
	next = func() tea.Msg {
		start.Do(run1)
		m, ok := <-ch
		if !ok {
			return nil
		}
		if !m.end {
			m.next = next
		}
		return m
	}
	return next
}

// stoppedError is an item a stopped bulk change did not get to.
type stoppedError struct{}

func (stoppedError) Error() string { return "stopped before it was sent" }

// onBulk records one item's result, or ends the change: the summary, the
// error naming each item that failed, and the screen updated for the rest.
func (a *App) onBulk(m bulkMsg) tea.Cmd {
	run, ok := a.bulks[m.run]
	if !ok {
		return nil
	}
	if !m.end {
		run.prog.Add(m.item, m.err)
		if m.err != nil {
			run.errs = append(run.errs, fmt.Errorf("%s: %w", m.item, m.err))
		} else {
			run.done = append(run.done, m.item)
		}
		return m.next
	}
	delete(a.bulks, m.run)
	delete(a.running, m.run)
	b := run.bulk
	summary := fmt.Sprintf("%s: %d of %d done", b.Done, len(run.done), run.total)
	run.prog.Finish(summary)
	apply := b.Apply
	if run.sess != a.sessionID {
		apply = nil
	}
	if len(run.errs) > 0 {
		a.say("")
		a.setErr(pane.Partial{Total: run.total, Errs: run.errs})
	} else {
		a.say(sanitize.String(b.Done))
	}
	if apply != nil && len(run.done) > 0 {
		return address(run.page, apply(run.done))
	}
	return nil
}

// onStack reports whether d is on the dialog stack.
func (a *App) onStack(d dialog.Dialog) bool {
	return slices.ContainsFunc(a.dialogs, func(s stacked) bool { return s.d == d })
}

// bulkIDs lists the bulk changes in flight, oldest first.
func (a *App) bulkIDs() []uint64 {
	ids := make([]uint64, 0, len(a.bulks))
	for id := range a.bulks {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// roleMsg is the user's role in an org, as the members list says.
type roleMsg struct {
	session uint64
	org     string
	role    pane.Role
}

// loadRole asks the Hub for the user's role in the org shown, so actions it
// would refuse are disabled with the reason instead of failing after the
// request. A Hub that does not say (an OAT, a personal namespace) leaves
// the role unknown: nothing is gated.
func (a *App) loadRole() tea.Cmd {
	c, org, user, session := a.sess.Client, a.sess.Org, a.sess.User, a.sessionID
	if c == nil || org == "" || user == "" || org == user || a.roleOrg == org {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), signInTimeout)
		defer cancel()
		members, _, err := c.Members.List(ctx, org, &hubclient.MemberListOptions{Search: user})
		role := pane.RoleUnknown
		if err == nil {
			for _, m := range members {
				if m.Username != user {
					continue
				}
				switch m.Role {
				case hubclient.MemberRoleOwner:
					role = pane.RoleOwner
				case hubclient.MemberRoleEditor:
					role = pane.RoleEditor
				case hubclient.MemberRoleMember:
					role = pane.RoleMember
				}
			}
		}
		return roleMsg{session: session, org: org, role: role}
	}
}

func (a *App) onRole(m roleMsg) tea.Cmd {
	if m.session == a.sessionID && m.org == a.sess.Org {
		a.roleOrg, a.roleOf = m.org, m.role
	}
	return nil
}

// role is the user's role in the org shown: owner of their own namespace.
func (a *App) role() pane.Role {
	switch {
	case a.sess.Org != "" && a.sess.Org == a.sess.User:
		return pane.RoleOwner
	case a.roleOrg == a.sess.Org:
		return a.roleOf
	}
	return pane.RoleUnknown
}
