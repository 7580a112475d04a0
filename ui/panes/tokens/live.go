package tokens

import (
	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/pane"
)

// Affected reports an organization access token created, changed or
// deleted; the resources of a changed one are read again with the list.
func (p *Pane) Affected(env pane.Env, evs []hubclient.AuditLog) bool {
	if p.OATs.Scope() == "" || env.Personal() {
		return false
	}
	hit := false
	for _, e := range evs {
		switch e.Action {
		case "org.access_token.create", "org.access_token.update", "org.access_token.delete":
			hit = true
			if id := e.Data["token_id"]; id != "" {
				delete(p.res, id)
			} else if e.Action == "org.access_token.update" {
				clear(p.res) // which one is not said: read them all again
			}
		}
	}
	return hit
}

// Reload lists the organization's tokens again, the cursor staying on its
// token; their resources follow for the ones not held.
func (p *Pane) Reload(env pane.Env) tea.Cmd { return p.OATs.Reload(env) }
