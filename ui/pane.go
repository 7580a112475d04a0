package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/state"
)

// pane is one tab of the console. The App owns every pane and calls these
// from Update and View only; a pane never blocks and never does I/O itself,
// it returns Cmds.
type pane interface {
	kind() state.Kind
	title() string
	// enter is called when the pane is shown; it starts a load when needed.
	enter(a *App) tea.Cmd
	// leave cancels the pane's in-flight requests.
	leave(a *App)
	// action handles a key action; false lets the App apply its default.
	action(a *App, act Action) (tea.Cmd, bool)
	// handleMsg takes results addressed to this pane and ignores the rest.
	handleMsg(a *App, msg tea.Msg) tea.Cmd
	view(a *App, w, h int) string
	crumbs() []string
	status(a *App) string
	footer(a *App) []Action
	applies(act Action) bool
	filterable() bool
	query() string
	setQuery(a *App, q string) tea.Cmd
	selectedName() string
	busy() bool
}

// newPanes builds the eight tabs in order.
func newPanes() []pane {
	return []pane{
		newReposPane(),
		newTagsPane(),
		newComingPane(state.Teams, "Teams", "Teams of the organization, their members and repository permissions: create, rename, delete, add and remove members."),
		newComingPane(state.Members, "Members", "Every member with role, teams and last activity; change roles, remove members (type the name to confirm), export CSV."),
		newComingPane(state.Invites, "Invites", "Pending invites: resend, cancel, and bulk invite from a CSV with a dry run first."),
		newComingPane(state.Tokens, "Tokens", "Personal and organization access tokens: scopes, last use, expiry; create (shown once), disable, delete."),
		newComingPane(state.Audit, "Audit", "The organization's audit log, tailing live, filterable by action, actor and repository."),
		newComingPane(state.Settings, "Settings", "Organization settings such as image access restrictions, with a diff before saving."),
	}
}

// comingPane holds the place of a pane that is not built yet and says what
// it will do.
type comingPane struct {
	k     state.Kind
	name  string
	about string
}

func newComingPane(k state.Kind, name, about string) *comingPane {
	return &comingPane{k: k, name: name, about: about}
}

func (p *comingPane) kind() state.Kind                    { return p.k }
func (p *comingPane) title() string                       { return p.name }
func (p *comingPane) enter(*App) tea.Cmd                  { return nil }
func (p *comingPane) leave(*App)                          {}
func (p *comingPane) action(*App, Action) (tea.Cmd, bool) { return nil, false }
func (p *comingPane) handleMsg(*App, tea.Msg) tea.Cmd     { return nil }
func (p *comingPane) crumbs() []string                    { return nil }
func (p *comingPane) status(*App) string                  { return "" }
func (p *comingPane) footer(*App) []Action                { return []Action{ActNextPane} }
func (p *comingPane) applies(act Action) bool             { return !listOnly(act) }
func (p *comingPane) filterable() bool                    { return false }
func (p *comingPane) query() string                       { return "" }
func (p *comingPane) setQuery(*App, string) tea.Cmd       { return nil }
func (p *comingPane) selectedName() string                { return "" }
func (p *comingPane) busy() bool                          { return false }

func (p *comingPane) view(a *App, w, h int) string {
	return "\n  " + a.theme.Title.Render(p.name) + a.theme.Dim.Render(" — coming in a later release") + "\n\n  " +
		wrap(p.about, w-4, "  ") + "\n\n  " + a.theme.Dim.Render("Press 1 for Repositories, or : for the command palette.")
}

// listOnly reports whether act only means something on a list.
func listOnly(act Action) bool {
	switch act {
	case ActUp, ActDown, ActTop, ActBottom, ActHalfDown, ActHalfUp, ActPageDown, ActPageUp,
		ActFilter, ActSort, ActSortReverse, ActMark, ActMarkAll, ActCopy, ActOpen, ActTags, ActRefresh:
		return true
	}
	return false
}

// wrap breaks s into lines of at most w cells, indenting continuation
// lines; the line breaks s already has are kept.
func wrap(s string, w int, indent string) string {
	if w < 10 {
		return s
	}
	paras := strings.Split(s, "\n")
	for i, para := range paras {
		var out, line []rune
		for _, word := range strings.Fields(para) {
			if len(line) > 0 && len(line)+1+len([]rune(word)) > w {
				out = append(append(out, line...), []rune("\n"+indent)...)
				line = nil
			}
			if len(line) > 0 {
				line = append(line, ' ')
			}
			line = append(line, []rune(word)...)
		}
		paras[i] = string(append(out, line...))
	}
	return strings.Join(paras, "\n"+indent)
}
