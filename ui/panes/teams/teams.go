// Package teams is the Teams pane: the organization's teams as a list
// (create, rename or describe, delete with the name typed) and a team's
// page: its members, added through a fuzzy multi-select picker over the
// org's members and removed a few at a time, and the repositories the team
// holds a permission on.
package teams

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/list"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/table"
	"github.com/hubtui/hubtui/ui/text"
)

// The pane's own actions, by config name.
const (
	ActAddMembers  = "add_members"
	ActPermissions = "team_permissions"
)

// Entry is the pane's registry line.
func Entry() pane.Entry {
	return pane.Entry{Kind: state.Teams, Title: "Teams", Command: "teams", Usage: "teams [TEAM]", Help: "teams, or one team's page",
		Arg: "team", New: func() pane.Pane { return New() }}
}

// Columns of the teams list.
const (
	colName = iota
	colMembers
	colDescription
)

// Spec lists an org's teams.
func Spec() list.Spec[hubclient.Team] {
	return list.Spec[hubclient.Team]{
		Kind: state.Teams,
		Noun: "teams",
		Columns: []table.Column{
			{Title: "NAME", Min: 12, Max: 32, Flex: 2},
			{Title: "MEMBERS", Min: 7, Max: 7, Align: lipgloss.Right},
			{Title: "DESCRIPTION", Min: 12, Flex: 4},
		},
		Cell: func(t hubclient.Team, col int) string {
			switch col {
			case colName:
				return t.Name
			case colMembers:
				return text.Commas(int64(t.MemberCount))
			case colDescription:
				return t.Description
			}
			return ""
		},
		Schema: state.Schema[hubclient.Team]{
			Name: func(t hubclient.Team) string { return t.Name },
			Compare: func(a, b hubclient.Team, col int) int {
				switch col {
				case colMembers:
					return text.CompareInt(a.MemberCount, b.MemberCount)
				case colDescription:
					return strings.Compare(a.Description, b.Description)
				}
				return strings.Compare(a.Name, b.Name)
			},
		},
		ID:        func(t hubclient.Team) string { return t.Name },
		DescFirst: []int{colMembers},
		Fetch: func(c *hubclient.Client, org string) hubclient.PageFunc[hubclient.Team] {
			return func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.Team, *hubclient.Response, error) {
				return c.Teams.List(ctx, org, &hubclient.TeamListOptions{ListOptions: o})
			}
		},
	}
}

// Pane lists the org's teams; enter opens a team's page.
type Pane struct {
	L *list.List[hubclient.Team]
	// open is the team page pushed over the list, nil when none is.
	open *Detail
}

// New is the pane before its first visit.
func New() *Pane { return &Pane{L: list.New(Spec())} }

// Kind is state.Teams.
func (p *Pane) Kind() state.Kind { return state.Teams }

// Title names the tab.
func (p *Pane) Title() string { return "Teams" }

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

// Selected is the team under the cursor.
func (p *Pane) Selected() (string, bool) {
	t, ok := p.L.Selected()
	return t.Name, ok
}

// Complete offers the loaded team names for "team" arguments.
func (p *Pane) Complete(what string, yield func(string) bool) {
	if what != "team" {
		return
	}
	for _, t := range p.L.Coll().Items {
		if !yield(t.Name) {
			return
		}
	}
}

// Scope opens the page of the team named name.
func (p *Pane) Scope(env pane.Env, name string) (tea.Cmd, error) {
	if err := CheckTeamName(name, nil); err != nil {
		return nil, fmt.Errorf("teams %s: %w", name, err)
	}
	if p.L.Scope() != env.Org() {
		p.L.Open(env, env.Org())
	}
	// The page is pushed once the App has put the tab back to its root.
	return func() tea.Msg { return openTeam{name: name} }, nil
}

// openTeam asks for the page of a team by name.
type openTeam struct{ name string }

// Enter lists the org's teams, going on from what this session holds.
func (p *Pane) Enter(env pane.Env) tea.Cmd {
	// A change made elsewhere (a role made owner in Members) puts a fresh
	// list in the session's cache: show that one.
	c, ok := env.Cache().Get(state.Key{Kind: state.Teams, Scope: env.Org()})
	if p.L.Scope() != env.Org() || !ok || c != state.Sized(p.L.Coll()) {
		p.L.Open(env, env.Org())
	}
	return p.L.Ensure(env)
}

// staleMembers drops the session's list of the org's members: their TEAMS
// column changed.
func staleMembers(env pane.Env) {
	key := state.Key{Kind: state.Members, Scope: env.Org()}
	env.Cache().Put(key, state.NewCollection[hubclient.Member](key))
}

// Leave stops the load.
func (p *Pane) Leave(pane.Env) { p.L.Leave() }

// Update takes the list's pages and derivations.
func (p *Pane) Update(env pane.Env, msg tea.Msg) tea.Cmd {
	if m, ok := msg.(openTeam); ok {
		t := hubclient.Team{Name: m.name}
		coll := p.L.Coll()
		if i := coll.Find(func(x hubclient.Team) bool { return strings.EqualFold(x.Name, m.name) }); i >= 0 {
			t = coll.Items[i]
		}
		return p.openDetail(env, t)
	}
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

// Bindings are the pane's keys, in footer priority order.
func (p *Pane) Bindings(env pane.Env) []pane.Binding {
	t, ok := p.L.Selected()
	lb := p.L.Bindings(env)
	b := []pane.Binding{
		{Action: pane.ActOpen, Keys: []string{"enter"}, Help: "team members and repositories", Short: "open", Group: pane.GroupPanes,
			Disabled: pane.Gate(env, pane.RoleUnknown, ok), Run: func() tea.Cmd { return p.openDetail(env, t) }},
		p.createBinding(env),
		p.editBinding(env, t, ok),
		p.deleteBinding(env, t, ok),
	}
	b = append(b, lb[:2]...) // sort, reverse; teams are not marked
	return append(b, lb[4:]...)
}

// Pages are the pages this pane pushes, fresh, for the keymap.
func (p *Pane) Pages() []pane.Pane { return []pane.Pane{newDetail(p, nil, hubclient.Team{})} }

// openDetail pushes the page of t.
func (p *Pane) openDetail(env pane.Env, t hubclient.Team) tea.Cmd {
	d := newDetail(p, env, t)
	p.open = d
	env.Push(d)
	return nil
}

// CheckTeamName applies the Hub's rule for a team name before anything is
// sent: 1 to 30 letters, digits, '.', '_' or '-', starting with a letter or
// a digit; taken reports a name already used (the Hub ignores case).
func CheckTeamName(v string, taken func(string) bool) error {
	switch {
	case v == "":
		return errors.New("a team needs a name")
	case len(v) > 30:
		return fmt.Errorf("%d characters; at most 30", len(v))
	}
	for i, r := range v {
		alnum := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if i == 0 && !alnum {
			return errors.New("start with a letter or a digit")
		}
		if !alnum && r != '.' && r != '_' && r != '-' {
			return fmt.Errorf("%q cannot be in a team name: letters, digits, '.', '_' and '-' only", r)
		}
	}
	if taken != nil && taken(v) {
		return fmt.Errorf("a team named %s exists already", v)
	}
	return nil
}

// taken reports whether the loaded list has a team named v (any case),
// other than except.
func (p *Pane) taken(except string) func(string) bool {
	coll := p.L.Coll()
	return func(v string) bool {
		return !strings.EqualFold(v, except) && coll.Find(func(t hubclient.Team) bool { return strings.EqualFold(t.Name, v) }) >= 0
	}
}

// createBinding asks for a new team's name and description.
func (p *Pane) createBinding(env pane.Env) pane.Binding {
	return pane.Binding{Action: pane.ActNew, Keys: []string{"n"}, Help: "new team", Short: "new",
		Mutates: true, Disabled: pane.Gate(env, pane.RoleOwner, env.Org() != ""), Run: func() tea.Cmd {
			org, coll := env.Org(), p.L.Coll()
			env.Ask(dialog.NewForm("New team in "+org, "Members are added on the team's page (enter).", []dialog.Field{
				{Key: "name", Label: "Name", Help: "letters, digits, . _ -; at most 30", Limit: 30,
					Check: func(v string) error { return CheckTeamName(v, p.taken("")) }},
				{Key: "description", Label: "Description", Help: "optional"},
			}, func(v map[string]string) tea.Cmd {
				name, desc := v["name"], strings.TrimSpace(v["description"])
				env.Mutate(pane.Change{What: "creating team " + name, Done: "created team " + name,
					Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
						t, _, err := c.Teams.Create(ctx, org, name, desc)
						return func() tea.Cmd {
							if t == nil || p.L.Coll() != coll {
								return nil
							}
							at := sort.Search(len(coll.Items), func(i int) bool { return coll.Items[i].Name >= t.Name })
							coll.Insert(at, *t)
							return p.L.ItemsChanged()
						}, err
					}})
				return nil
			}))
			return nil
		}}
}

// editBinding renames t or changes its description.
func (p *Pane) editBinding(env pane.Env, t hubclient.Team, ok bool) pane.Binding {
	why := pane.Gate(env, pane.RoleOwner, ok)
	return pane.Binding{Action: pane.ActEdit, Keys: []string{"e"}, Help: "rename or describe team", Short: "edit",
		Mutates: true, Disabled: why, Run: func() tea.Cmd {
			p.askEdit(env, t)
			return nil
		}}
}

func (p *Pane) askEdit(env pane.Env, t hubclient.Team) {
	org, coll := env.Org(), p.L.Coll()
	owners := t.Name == hubclient.OwnersTeam
	body := "Renaming keeps the members and the repository permissions."
	if owners {
		body = "The owners team keeps its name; its description may change."
	}
	env.Ask(dialog.NewForm("Edit team "+t.Name, body, []dialog.Field{
		{Key: "name", Label: "Name", Initial: t.Name, Limit: 30, Check: func(v string) error {
			if owners && v != t.Name {
				return errors.New("the owners team cannot be renamed")
			}
			return CheckTeamName(v, p.taken(t.Name))
		}},
		{Key: "description", Label: "Description", Initial: t.Description},
	}, func(v map[string]string) tea.Cmd {
		var u hubclient.TeamUpdate
		name, desc := v["name"], strings.TrimSpace(v["description"])
		if name != t.Name {
			u.Name = &name
		}
		if desc != t.Description {
			u.Description = &desc
		}
		if u.Name == nil && u.Description == nil {
			env.Say("team " + t.Name + " unchanged")
			return nil
		}
		what := "saving team " + t.Name
		if u.Name != nil {
			what = "renaming team " + t.Name + " to " + name
		}
		env.Mutate(pane.Change{What: what, Done: "saved team " + name,
			Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
				out, _, err := c.Teams.Update(ctx, org, t.Name, u)
				return func() tea.Cmd {
					if out == nil {
						return nil
					}
					if d := p.open; d != nil && d.team.Name == t.Name {
						d.team = *out
					}
					if p.L.Coll() != coll {
						return nil
					}
					if i := coll.Find(func(x hubclient.Team) bool { return x.Name == t.Name }); i >= 0 {
						coll.Replace(i, *out)
					}
					return p.L.ItemsChanged()
				}, err
			}})
		return nil
	}))
}

// deleteBinding deletes t once its name is typed.
func (p *Pane) deleteBinding(env pane.Env, t hubclient.Team, ok bool) pane.Binding {
	why := pane.Gate(env, pane.RoleOwner, ok)
	if why == "" && t.Name == hubclient.OwnersTeam {
		why = "the owners team cannot be deleted"
	}
	return pane.Binding{Action: pane.ActDelete, Keys: []string{"D"}, Help: "delete team (type its name)", Short: "delete",
		Mutates: true, Disabled: why, Run: func() tea.Cmd {
			org, coll := env.Org(), p.L.Coll()
			body := fmt.Sprintf("Its %d member(s) stay in %s but lose what the team gave them: its repository permissions go with it. It cannot be undone.",
				t.MemberCount, org)
			env.Ask(dialog.NewTyped("Delete team "+t.Name, body, t.Name, func() tea.Cmd {
				env.Mutate(pane.Change{What: "deleting team " + t.Name, Done: "deleted team " + t.Name,
					Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
						_, err := c.Teams.Delete(ctx, org, t.Name)
						return func() tea.Cmd {
							if d := p.open; d != nil && d.team.Name == t.Name {
								d.close()
							}
							if p.L.Coll() != coll {
								return nil
							}
							p.L.KeepCursor()
							coll.RemoveWhere(func(x hubclient.Team) bool { return x.Name == t.Name })
							return p.L.ItemsChanged()
						}, err
					}})
				return nil
			}))
			return nil
		}}
}

// counted sets the member count of the team named name in the list.
func (p *Pane) counted(name string, delta int) {
	coll := p.L.Coll()
	if i := coll.Find(func(t hubclient.Team) bool { return t.Name == name }); i >= 0 {
		t := coll.Items[i]
		t.MemberCount = max(0, t.MemberCount+delta)
		coll.Replace(i, t)
	}
}
