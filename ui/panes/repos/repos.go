// Package repos is the Repositories pane: the organization's repositories
// as a streaming list, a detail page (README, permissions, immutable tags),
// and the changes an admin makes to them (create, describe, make public or
// private, delete).
package repos

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/list"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/table"
	"github.com/hubtui/hubtui/ui/text"
)

// The pane's own actions, by config name.
const (
	ActTags       = "tags"
	ActVisibility = "toggle_visibility"
)

// Entry is the pane's registry line.
func Entry() pane.Entry {
	return pane.Entry{Kind: state.Repos, Title: "Repos", Command: "repos", Usage: "repos", Help: "repositories",
		New: func() pane.Pane { return New() }}
}

// Columns of the repositories list.
const (
	colName = iota
	colVisibility
	colPulls
	colStars
	colPushed
	colDescription
)

// Spec lists an org's repositories.
func Spec() list.Spec[hubclient.Repository] {
	return list.Spec[hubclient.Repository]{
		Kind: state.Repos,
		Noun: "repositories",
		Columns: []table.Column{
			{Title: "NAME", Min: 16, Max: 36, Flex: 2},
			{Title: "VISIBILITY", Min: 10, Max: 10},
			{Title: "PULLS", Min: 6, Max: 7, Align: lipgloss.Right},
			{Title: "STARS", Min: 5, Max: 6, Align: lipgloss.Right},
			{Title: "LAST PUSHED", Min: 16, Max: 16},
			{Title: "DESCRIPTION", Min: 11, Flex: 3},
		},
		Cell: func(r hubclient.Repository, col int) string {
			switch col {
			case colName:
				return r.Name
			case colVisibility:
				return visibility(r.IsPrivate)
			case colPulls:
				return text.HumanCount(r.PullCount)
			case colStars:
				return text.HumanCount(r.StarCount)
			case colPushed:
				return text.ShortTime(r.LastUpdated)
			case colDescription:
				return r.Description
			}
			return ""
		},
		Schema: state.Schema[hubclient.Repository]{
			Name: func(r hubclient.Repository) string { return r.Name },
			Compare: func(a, b hubclient.Repository, col int) int {
				switch col {
				case colVisibility:
					return text.CompareBool(a.IsPrivate, b.IsPrivate)
				case colPulls:
					return text.CompareInt(a.PullCount, b.PullCount)
				case colStars:
					return text.CompareInt(a.StarCount, b.StarCount)
				case colPushed:
					return a.LastUpdated.Compare(b.LastUpdated)
				case colDescription:
					return strings.Compare(a.Description, b.Description)
				}
				return strings.Compare(a.Name, b.Name)
			},
		},
		ID:        fullName,
		DescFirst: []int{colPulls, colStars, colPushed},
		Fetch: func(c *hubclient.Client, org string) hubclient.PageFunc[hubclient.Repository] {
			return func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.Repository, *hubclient.Response, error) {
				return c.Repos.List(ctx, org, &hubclient.RepoListOptions{ListOptions: o})
			}
		},
	}
}

func fullName(r hubclient.Repository) string { return r.Namespace + "/" + r.Name }

// Pane lists the org's repositories; enter opens a detail page, t the tags.
type Pane struct {
	L *list.List[hubclient.Repository]
	// open is the detail page pushed over the list, nil when none is.
	open *Detail
}

// New is the pane before its first visit.
func New() *Pane { return &Pane{L: list.New(Spec())} }

// Kind is state.Repos.
func (p *Pane) Kind() state.Kind { return state.Repos }

// Title names the tab.
func (p *Pane) Title() string { return "Repos" }

// Busy reports a load in flight.
func (p *Pane) Busy() bool { return p.L.Busy() }

// CanFilter is true: the list filters.
func (p *Pane) CanFilter() bool { return true }

// Query is the filter.
func (p *Pane) Query() string { return p.L.Query() }

// SetQuery changes the filter.
func (p *Pane) SetQuery(_ pane.Env, q string) tea.Cmd { return p.L.SetQuery(q) }

// Move moves the cursor.
func (p *Pane) Move(env pane.Env, act string) { p.L.Move(env, act) }

// Selected is the repository under the cursor, "namespace/name".
func (p *Pane) Selected() (string, bool) {
	r, ok := p.L.Selected()
	return fullName(r), ok
}

// Complete offers the loaded repositories for "repo" arguments.
func (p *Pane) Complete(what string, yield func(string) bool) {
	if what != "repo" {
		return
	}
	for _, r := range p.L.Coll().Items {
		if !yield(fullName(r)) {
			return
		}
	}
}

// Enter lists the org's repositories, going on from what this session holds.
func (p *Pane) Enter(env pane.Env) tea.Cmd {
	if p.L.Scope() != env.Org() {
		p.L.Open(env, env.Org())
	}
	return p.L.Ensure(env)
}

// Leave stops the load.
func (p *Pane) Leave(pane.Env) { p.L.Leave() }

// Update takes the list's pages and derivations.
func (p *Pane) Update(env pane.Env, msg tea.Msg) tea.Cmd {
	cmd, _ := p.L.Update(env, msg)
	return cmd
}

// Status is the list's counts and progress.
func (p *Pane) Status(env pane.Env) string { return p.L.Status(env) }

// View draws the list.
func (p *Pane) View(env pane.Env, w, h int) string {
	if env.Org() == "" {
		return "\n  " + env.Spinner() + " finding your organizations…"
	}
	return p.L.View(env, w, h)
}

// Bindings are the list's keys, in footer priority order.
func (p *Pane) Bindings(env pane.Env) []pane.Binding {
	r, ok := p.L.Selected()
	marked := p.L.Table().MarkedCount()
	one := func(b pane.Binding, why string) pane.Binding {
		// Marks choose tags for a bulk delete; a repository change is made
		// on one repository, so say so rather than act on the cursor row.
		if marked > 0 && b.Disabled == "" {
			b.Disabled = fmt.Sprintf("%s: esc clears the %d marks, then %s on one", why, marked, env.Key(b.Action))
		}
		return b
	}
	b := []pane.Binding{
		{Action: pane.ActOpen, Keys: []string{"enter"}, Help: "repository details", Short: "open", Group: pane.GroupPanes,
			Disabled: pane.Gate(env, pane.RoleUnknown, ok), Run: func() tea.Cmd { return p.openDetail(env, r) }},
		{Action: ActTags, Keys: []string{"t"}, Help: "tags of this repository", Short: "tags", Group: pane.GroupPanes,
			Disabled: pane.Gate(env, pane.RoleUnknown, ok), Run: func() tea.Cmd { env.Open(state.Tags, fullName(r)); return nil }},
	}
	lb := p.L.Bindings(env)
	b = append(b, lb[:3]...) // sort, reverse, mark first: the footer shows what fits from the left
	b = append(b,
		one(p.deleteBinding(env, r, ok), "repositories are deleted one at a time, with the name typed"),
		p.createBinding(env),
		one(p.editBinding(env, r, ok), "descriptions are edited one repository at a time"),
		one(p.visibilityBinding(env, r, ok), "visibility is changed one repository at a time"),
	)
	b = append(b, copyBinding(env, r, ok), urlBinding(env, r, ok))
	return append(b, lb[3:]...)
}

// copyBinding copies the pull command of r.
func copyBinding(env pane.Env, r hubclient.Repository, ok bool) pane.Binding {
	return pane.Binding{Action: pane.ActCopy, Keys: []string{"y"}, Help: "copy docker pull NS/REPO", Short: "copy", Group: pane.GroupGeneral,
		Disabled: pane.Gate(env, pane.RoleUnknown, ok), Run: func() tea.Cmd {
			cmd := "docker pull " + sanitize.String(fullName(r))
			env.Copy(cmd)
			env.Say("copied " + cmd)
			return nil
		}}
}

// ActURL shows a repository's Docker Hub address.
const ActURL = "show_url"

// urlBinding shows r's address on Docker Hub in the status line: on a
// bastion there is no browser to open, but the terminal can copy it.
func urlBinding(env pane.Env, r hubclient.Repository, ok bool) pane.Binding {
	return pane.Binding{Action: ActURL, Keys: []string{"o"}, Help: "show the repository's Docker Hub address", Short: "url", Group: pane.GroupGeneral,
		Disabled: pane.Gate(env, pane.RoleUnknown, ok), Run: func() tea.Cmd {
			env.Say(HubURL(r))
			return nil
		}}
}

// HubURL is the repository's page on Docker Hub.
func HubURL(r hubclient.Repository) string {
	return "https://hub.docker.com/r/" + url.PathEscape(r.Namespace) + "/" + url.PathEscape(r.Name)
}

// openDetail pushes the detail page of r.
func (p *Pane) openDetail(env pane.Env, r hubclient.Repository) tea.Cmd {
	d := &Detail{root: p, rootEnv: env, repo: r}
	p.open = d
	env.Push(d)
	return nil
}

func visibility(private bool) string {
	if private {
		return "private"
	}
	return "public"
}

// Open is the detail page pushed over the list (nil when none is).
func (p *Pane) Open() *Detail { return p.open }

// Pages are the pages this pane pushes, fresh, for the keymap.
func (p *Pane) Pages() []pane.Pane {
	d := &Detail{root: p}
	return []pane.Pane{d, &Access{d: d}, newImages(d)}
}
