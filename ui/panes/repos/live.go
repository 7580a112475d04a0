package repos

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/pane"
)

// Affected reports a repository of the namespace shown created, deleted,
// described or made public or private.
func (p *Pane) Affected(_ pane.Env, evs []hubclient.AuditLog) bool {
	if p.L.Scope() == "" {
		return false
	}
	ns := p.L.Scope() + "/"
	return slices.ContainsFunc(evs, func(e hubclient.AuditLog) bool {
		switch e.Action {
		case "repo.create", "repo.delete", "repo.change_privacy", "repo.update", "repo.update_description":
			return strings.HasPrefix(e.Name, ns)
		}
		return false
	})
}

// Reload lists the repositories again, the cursor staying on its own.
func (p *Pane) Reload(env pane.Env) tea.Cmd { return p.L.Reload(env) }
