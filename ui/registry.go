package ui

import (
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/panes/access"
	"github.com/hubtui/hubtui/ui/panes/audit"
	"github.com/hubtui/hubtui/ui/panes/invites"
	"github.com/hubtui/hubtui/ui/panes/members"
	"github.com/hubtui/hubtui/ui/panes/repos"
	"github.com/hubtui/hubtui/ui/panes/search"
	"github.com/hubtui/hubtui/ui/panes/settings"
	"github.com/hubtui/hubtui/ui/panes/tags"
	"github.com/hubtui/hubtui/ui/panes/teams"
	"github.com/hubtui/hubtui/ui/panes/tokens"
)

// Registry is the tabs in order, with the default settings (the default
// watch rules). Number keys, tab titles, palette commands and their
// completion all come from it: adding a pane is adding its package and its
// line here.
func Registry() []pane.Entry { return RegistryWith(AuditSettings(nil)) }

// RegistryWith is Registry with the Audit pane's settings s (the config
// file's, through AuditSettings): the Audit pane and :rules share s.Watch.
func RegistryWith(s audit.Settings) []pane.Entry {
	return []pane.Entry{
		repos.Entry(),
		tags.Entry(),
		teams.Entry(),
		members.Entry(),
		invites.Entry(),
		tokens.Entry(),
		audit.EntryWith(s),
		settings.Entry(),
		search.Entry(),
		access.Entry(),
		audit.RulesEntry(s),
	}
}
