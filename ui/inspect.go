package ui

import (
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/pane"
)

// What the App shows, for tests and tools that drive it.

// Pane is the registry pane of kind k (the root of its tab); nil when
// the registry has none.
func (a *App) Pane(k state.Kind) pane.Pane {
	if i := a.tabOf(k); i >= 0 {
		return a.tabs[i].stack[0].p
	}
	return nil
}

// Top is the page on screen: the active tab's top page.
func (a *App) Top() pane.Pane { return a.cur().p }

// Error is the error on the status line, "" when none.
func (a *App) Error() string { return a.errText }

// Dialog is the dialog on top of the stack; nil when none is open.
func (a *App) Dialog() dialog.Dialog {
	if d, ok := a.topDialog(); ok {
		return d.d
	}
	return nil
}

// Running is how many changes are in flight.
func (a *App) Running() int { return len(a.running) }

// Status is what just happened, as the status line says it beside the
// pane's own status; "" when nothing was said lately.
func (a *App) Status() string { return a.status }

// Role is the user's role in the current organization, as the App knows it
// (RoleUnknown until the Hub said).
func (a *App) Role() pane.Role { return a.role() }

// Liveness is how many reloads audit events asked of the top page of the
// tab of kind k, and whether it waits to reload when next shown (tests).
func (a *App) Liveness(k state.Kind) (reloads int, stale bool) {
	if i := a.tabOf(k); i >= 0 {
		st := a.tabs[i].stack
		pg := st[len(st)-1]
		return pg.reloads, pg.stale
	}
	return -1, false
}
