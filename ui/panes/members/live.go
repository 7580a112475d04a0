package members

import (
	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/pane"
)

// Affected reports a member added, removed or given another role, an
// invite accepted, or a member's teams changed (the TEAMS column).
func (p *Pane) Affected(_ pane.Env, evs []hubclient.AuditLog) bool {
	return p.L.Scope() != "" && pane.Touches(evs, nil, "org.member.add", "org.member.remove", "org.member.role.change",
		"org.invite.accept", "org.team.member.add", "org.team.member.remove", "org.team.delete")
}

// Reload lists the members again (the org's other filtered lists load
// afresh when next shown), the cursor staying on its member.
func (p *Pane) Reload(env pane.Env) tea.Cmd {
	p.staleOthers(env)
	return p.L.Reload(env)
}
