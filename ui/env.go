package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/theme"
)

// page is one pane on a tab's stack, with its address.
type page struct {
	p   pane.Pane
	id  uint64 // messages addressed to it carry this; 0 is nobody
	tab int
	env *env
	live
}

// addressed is a result of a page's Cmd, for that page only.
type addressed struct {
	to  uint64
	msg tea.Msg
}

// address wraps cmd so its result reaches page id only; a batch is
// unpacked so each of its Cmds is addressed too. It runs in the Cmd's
// goroutine and touches nothing of the App.
func address(id uint64, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		switch m := cmd().(type) {
		case nil:
			return nil
		case tea.BatchMsg:
			out := make(tea.BatchMsg, 0, len(m))
			for _, c := range m {
				if c != nil {
					out = append(out, address(id, c))
				}
			}
			return out
		default:
			return addressed{to: id, msg: m}
		}
	}
}

// bel is the terminal's bell.
const bel = "\a"

// env is the App as one page sees it (pane.Env).
type env struct {
	a  *App
	pg *page
}

func (e *env) Client() *hubclient.Client { return e.a.sess.Client }
func (e *env) Org() string               { return e.a.sess.Org }
func (e *env) User() string              { return e.a.sess.User }
func (e *env) Personal() bool            { return e.a.personal() }
func (e *env) Role() pane.Role           { return e.a.role() }
func (e *env) ReadOnly() bool            { return e.a.readOnly() }
func (e *env) Theme() *theme.Theme       { return &e.a.theme }
func (e *env) Now() time.Time            { return e.a.opts.Now() }
func (e *env) Spinner() string           { return e.a.spin.View() }
func (e *env) Size() (int, int)          { return e.a.w, e.a.h - 5 }
func (e *env) Cache() *state.Cache       { return e.a.cache }
func (e *env) Say(s string)              { e.a.say(s) }
func (e *env) Fail(owner string, err error) {
	e.a.setErr(err)
	e.a.errFrom = owner
}
func (e *env) Clear(owner string)  { e.a.clearErr(owner) }
func (e *env) Ask(d dialog.Dialog) { e.a.push(d, e.pg.id) }
func (e *env) Mutate(c pane.Change) {
	e.a.later(e.a.mutate(e.pg.id, c))
}
func (e *env) MutateEach(b pane.Bulk) { e.a.later(e.a.mutateEach(e.pg.id, b)) }
func (e *env) Open(k state.Kind, scope string) {
	e.a.later(e.a.open(k, scope))
}
func (e *env) Push(p pane.Pane) { e.a.later(e.a.pushPage(e.pg.tab, p)) }
func (e *env) Pop()             { e.a.later(e.a.popPage(e.pg)) }
func (e *env) Copy(s string)    { e.a.later(e.a.copy(s)) }
func (e *env) Bell()            { e.a.later(tea.Raw(bel)) }
func (e *env) Do(cmd tea.Cmd)   { e.a.later(address(e.pg.id, cmd)) }
func (e *env) Happened(evs []hubclient.AuditLog) {
	if len(evs) > 0 {
		e.a.later(happen(e.a.sessionID, e.pg.id, evs))
	}
}
func (e *env) Edit(title, initial string, limit int, done func(string) tea.Cmd) {
	e.a.edit(e.pg.id, title, initial, limit, done)
}

// NextGen hands out a load generation newer than any before, across panes.
func (e *env) NextGen() uint64 {
	e.a.gen++
	return e.a.gen
}

// Key is the footer label of the key bound to action ("t"); it reads the
// keymap, not the page's bindings, so a pane may call it while it builds them.
func (e *env) Key(action string) string {
	for _, b := range e.a.keys.known {
		if b.Action == action {
			if l := e.a.keys.Label(b); l != "" {
				return l
			}
		}
	}
	return action
}
