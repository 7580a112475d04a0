package tags

import (
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/pane"
)

// Affected reports a tag of the repository shown pushed or deleted, an
// image of it deleted or its tag immutability changed.
func (p *Pane) Affected(_ pane.Env, evs []hubclient.AuditLog) bool {
	repo := p.repo()
	if repo == "" {
		return false
	}
	return slices.ContainsFunc(evs, func(e hubclient.AuditLog) bool {
		switch e.Action {
		case "repo.tag.push", "repo.tag.delete", "repo.image.delete", "repo.immutable.tags.updated":
			return e.Name == repo
		}
		return false
	})
}

// Reload lists the tags again, the cursor staying on its tag.
func (p *Pane) Reload(env pane.Env) tea.Cmd { return p.L.Reload(env) }
