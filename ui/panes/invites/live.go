package invites

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/pane"
)

// Affected reports an invite sent, resent, cancelled, accepted or
// declined, or a member added (an invite it answered goes).
func (p *Pane) Affected(env pane.Env, evs []hubclient.AuditLog) bool {
	if p.L.Scope() == "" || ownerOnly(env) || env.Personal() {
		return false
	}
	return slices.ContainsFunc(evs, func(e hubclient.AuditLog) bool {
		return strings.HasPrefix(e.Action, "org.invite.") || e.Action == "org.member.invite.send" || e.Action == "org.member.add"
	})
}

// Reload lists the pending invites again, the cursor staying on its invite.
func (p *Pane) Reload(env pane.Env) tea.Cmd { return p.L.Reload(env) }
