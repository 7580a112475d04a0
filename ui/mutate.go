package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// mutationTimeout bounds one change on the Hub.
const mutationTimeout = 60 * time.Second

// mutatedMsg ends a change: apply updates the screen once it succeeded.
type mutatedMsg struct {
	id      uint64 // the change's entry in App.running
	session uint64
	what    string
	done    string
	err     error
	apply   func(a *App) tea.Cmd
}

// mutate runs fn (one change on the Hub) in a Cmd, within mutationTimeout.
// It is never retried on its own; the result is always reported, and applied
// to the screen only while the same session is on it.
func (a *App) mutate(what, done string, fn func(ctx context.Context, c *hubclient.Client) (func(a *App) tea.Cmd, error)) tea.Cmd {
	return a.run(what, done, mutationTimeout, fn)
}

// mutateEach is mutate for a change made of many requests: fn gives each
// request its own timeout, so a bulk change may wait for the rate limit.
func (a *App) mutateEach(what, done string, fn func(ctx context.Context, c *hubclient.Client) (func(a *App) tea.Cmd, error)) tea.Cmd {
	return a.run(what, done, 0, fn)
}

func (a *App) run(what, done string, limit time.Duration, fn func(ctx context.Context, c *hubclient.Client) (func(a *App) tea.Cmd, error)) tea.Cmd {
	c, session := a.sess.Client, a.sessionID
	a.say(sanitize.String(what) + "…")
	a.errText = ""
	if a.running == nil {
		a.running = map[uint64]string{}
	}
	a.runID++
	id := a.runID
	a.running[id] = sanitize.String(what)
	return func() tea.Msg {
		ctx, cancel := context.Background(), context.CancelFunc(func() {})
		if limit > 0 {
			ctx, cancel = context.WithTimeout(ctx, limit)
		}
		defer cancel()
		apply, err := fn(ctx, c)
		return mutatedMsg{id: id, session: session, what: what, done: done, err: err, apply: apply}
	}
}

// onMutated reports a change and applies it to the screen.
func (a *App) onMutated(m mutatedMsg) tea.Cmd {
	delete(a.running, m.id)
	if m.session != a.sessionID {
		m.apply = nil // what is on screen now is another org or context: report only
	}
	if m.err != nil {
		a.say("")
		var tf *hubclient.TwoFactorRequiredError
		if errors.As(m.err, &tf) { // said again once the new code is in
			a.lost = fmt.Sprintf("not done: %s (the session had expired; do it again)", m.what)
		}
		var pe partialError
		if errors.As(m.err, &pe) {
			a.setErr(m.err) // its words name the items
		} else {
			a.setErr(fmt.Errorf("%s: %w", m.what, m.err))
		}
		if errors.As(m.err, &pe) && m.apply != nil {
			return m.apply(a) // some of it went through: show that part
		}
		return nil
	}
	a.say(sanitize.String(m.done))
	if m.apply != nil {
		return m.apply(a)
	}
	return nil
}

// partialError is a bulk change that went through for some items only; the
// screen still shows the part that did.
type partialError struct {
	total int
	errs  []error // one per item that failed, each naming its item
}

func (e partialError) Error() string {
	return fmt.Sprintf("%d of %d not done: %v", len(e.errs), e.total, errors.Join(e.errs...))
}

func (e partialError) Unwrap() []error { return e.errs }
