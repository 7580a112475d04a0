// Package placeholder holds the place of a pane that is not built yet: a
// registry entry that says what the pane will do.
package placeholder

import (
	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/text"
)

// Entry is the registry line of a pane still to come.
func Entry(k state.Kind, title, help, about string) pane.Entry {
	return pane.Entry{Kind: k, Title: title, Command: k.String(), Usage: k.String(), Help: help,
		New: func() pane.Pane { return &Pane{kind: k, title: title, about: about} }}
}

// Pane says what the pane to come will do; it has no keys of its own.
type Pane struct {
	kind  state.Kind
	title string
	about string
}

// Kind is the pane's kind.
func (p *Pane) Kind() state.Kind { return p.kind }

// Title names the tab.
func (p *Pane) Title() string { return p.title }

// Enter does nothing: there is nothing to load.
func (p *Pane) Enter(pane.Env) tea.Cmd { return nil }

// Leave does nothing.
func (p *Pane) Leave(pane.Env) {}

// Bindings are none.
func (p *Pane) Bindings(pane.Env) []pane.Binding { return nil }

// Update takes nothing.
func (p *Pane) Update(pane.Env, tea.Msg) tea.Cmd { return nil }

// Status is empty.
func (p *Pane) Status(pane.Env) string { return "" }

// View says what the pane will do.
func (p *Pane) View(env pane.Env, w, _ int) string {
	t := env.Theme()
	return "\n  " + t.Title.Render(p.title) + t.Dim.Render(" — coming in a later release") + "\n\n  " +
		text.Wrap(p.about, w-4, "  ") + "\n\n  " + t.Dim.Render("Press 1 for Repositories, or : for the command palette.")
}
