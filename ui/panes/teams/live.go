package teams

import (
	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/pane"
)

// Affected reports a team created, changed or deleted, or a team's
// members changed (the MEMBERS column).
func (p *Pane) Affected(_ pane.Env, evs []hubclient.AuditLog) bool {
	return p.L.Scope() != "" && pane.Touches(evs, nil, "org.team.create", "org.team.update", "org.team.delete",
		"org.team.member.add", "org.team.member.remove")
}

// Reload lists the teams again, the cursor staying on its team.
func (p *Pane) Reload(env pane.Env) tea.Cmd { return p.L.Reload(env) }

// Affected reports a member added to or removed from the team shown.
func (d *Detail) Affected(_ pane.Env, evs []hubclient.AuditLog) bool {
	return pane.Touches(evs, func(e hubclient.AuditLog) bool { return e.Data["team"] == d.team.Name },
		"org.team.member.add", "org.team.member.remove")
}

// Reload lists the team's members again, the cursor staying on its member.
func (d *Detail) Reload(env pane.Env) tea.Cmd { return d.L.Reload(env) }
