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

// Registry is the tabs in order. Number keys, tab titles, palette commands
// and their completion all come from it: adding a pane is adding its
// package and its line here.
func Registry() []pane.Entry {
	return []pane.Entry{
		repos.Entry(),
		tags.Entry(),
		teams.Entry(),
		members.Entry(),
		invites.Entry(),
		tokens.Entry(),
		audit.Entry(),
		settings.Entry(),
		search.Entry(),
		access.Entry(),
	}
}
