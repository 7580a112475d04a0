package repos

import (
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
	return pane.Touches(evs, func(e hubclient.AuditLog) bool { return strings.HasPrefix(e.Name, ns) },
		"repo.create", "repo.delete", "repo.change_privacy", "repo.update", "repo.update_description")
}

// Reload lists the repositories again, the cursor staying on its own.
func (p *Pane) Reload(env pane.Env) tea.Cmd { return p.L.Reload(env) }
