package repos

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/list"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/text"
)

// ActAccess opens the teams' access to a repository.
const ActAccess = "team_access"

// permissions a team may hold on a repository, weakest first.
var permissions = []string{hubclient.RepoPermissionRead, hubclient.RepoPermissionWrite, hubclient.RepoPermissionAdmin}

// Access is the page of the teams holding a permission on one repository,
// pushed over its detail: give a team access (picked from the org's
// teams), change its permission, or take it away.
type Access struct {
	d      *Detail
	groups []hubclient.RepositoryGroup
	err    error
	gen    uint64
	done   bool
	cursor int
	cancel context.CancelFunc
	// teams are the org's, fetched for the picker.
	teamsGen uint64
}

// teamsMsg is the org's teams, for the picker.
type teamsMsg struct {
	gen   uint64
	teams []hubclient.Team
	err   error
}

// Kind is state.Repos.
func (a *Access) Kind() state.Kind { return state.Repos }

// Title names the page in the breadcrumbs.
func (a *Access) Title() string { return "Team access" }

// Busy reports the list in flight.
func (a *Access) Busy() bool { return !a.done }

// Selected is the team under the cursor.
func (a *Access) Selected() (string, bool) {
	if a.cursor < len(a.groups) {
		return a.groups[a.cursor].GroupName, true
	}
	return "", false
}

// Enter lists the teams with access.
func (a *Access) Enter(env pane.Env) tea.Cmd {
	if a.done {
		return nil
	}
	return a.fetch(env)
}

// Leave stops the list.
func (a *Access) Leave(pane.Env) {
	if a.cancel != nil {
		a.cancel()
		a.cancel = nil
	}
}

func (a *Access) fetch(env pane.Env) tea.Cmd {
	c := env.Client()
	if c == nil {
		return nil
	}
	if a.cancel != nil {
		a.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	a.cancel, a.gen, a.done, a.err = cancel, env.NextGen(), false, nil
	ns, name := a.d.repo.Namespace, a.d.repo.Name
	return list.Call(ctx, state.Key{Kind: state.Repos, Scope: ns + "/" + name}, a.gen, func(ctx context.Context) ([]hubclient.RepositoryGroup, error) {
		return hubclient.ListAll(ctx, c, func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.RepositoryGroup, *hubclient.Response, error) {
			return c.Repos.ListGroups(ctx, ns, name, &o)
		}, nil)
	})
}

// Update takes the lists' answers.
func (a *Access) Update(env pane.Env, msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case list.Result[[]hubclient.RepositoryGroup]:
		if m.Gen != a.gen || errors.Is(m.Err, context.Canceled) {
			return nil
		}
		a.set(m.Val)
		a.err, a.done = m.Err, true
		if m.Err != nil {
			env.Fail("", fmt.Errorf("team access to %s: %w", fullName(a.d.repo), m.Err))
		}
	case teamsMsg:
		if m.gen != a.teamsGen {
			return nil
		}
		if m.err != nil {
			env.Fail("", fmt.Errorf("teams of %s: %w", a.d.repo.Namespace, m.err))
			return nil
		}
		a.pickTeam(env, m.teams)
	}
	return nil
}

// set replaces the groups, in name order, keeping the cursor in range.
func (a *Access) set(gs []hubclient.RepositoryGroup) {
	slices.SortFunc(gs, func(x, y hubclient.RepositoryGroup) int { return strings.Compare(x.GroupName, y.GroupName) })
	a.groups = gs
	a.cursor = max(0, min(a.cursor, len(gs)-1))
	a.d.groups, a.d.grpDone, a.d.grpErr = gs, true, nil // the detail page shows the same
}

// Move moves the cursor.
func (a *Access) Move(_ pane.Env, act string) {
	switch act {
	case pane.ActUp:
		a.cursor = max(0, a.cursor-1)
	case pane.ActDown:
		a.cursor = min(len(a.groups)-1, a.cursor+1)
	case pane.ActTop:
		a.cursor = 0
	case pane.ActBottom:
		a.cursor = len(a.groups) - 1
	}
	a.cursor = max(0, a.cursor)
}

// Bindings add, change and remove a team's access.
func (a *Access) Bindings(env pane.Env) []pane.Binding {
	g, ok := a.selected()
	return []pane.Binding{
		{Action: pane.ActNew, Keys: []string{"n"}, Help: "give a team access", Short: "add team", Mutates: true,
			Disabled: pane.Gate(env, pane.RoleEditor, a.done), Run: func() tea.Cmd { return a.fetchTeams(env) }},
		{Action: pane.ActEdit, Keys: []string{"e"}, Help: "change the team's permission", Short: "permission", Mutates: true,
			Disabled: pane.Gate(env, pane.RoleEditor, ok), Run: func() tea.Cmd { a.askPermission(env, g.GroupID, g.GroupName, g.Permission); return nil }},
		{Action: pane.ActDelete, Keys: []string{"D"}, Help: "take the team's access away (asks first)", Short: "remove", Mutates: true,
			Disabled: pane.Gate(env, pane.RoleEditor, ok), Run: func() tea.Cmd { a.askRemove(env, g); return nil }},
		{Action: pane.ActRefresh, Keys: []string{"r"}, Help: "refresh", Short: "refresh", Group: pane.GroupGeneral,
			Run: func() tea.Cmd { return a.fetch(env) }},
	}
}

func (a *Access) selected() (hubclient.RepositoryGroup, bool) {
	if a.cursor < len(a.groups) {
		return a.groups[a.cursor], true
	}
	return hubclient.RepositoryGroup{}, false
}

// fetchTeams lists the org's teams for the picker.
func (a *Access) fetchTeams(env pane.Env) tea.Cmd {
	c := env.Client()
	if c == nil {
		return nil
	}
	a.teamsGen = env.NextGen()
	gen, org := a.teamsGen, a.d.repo.Namespace
	env.Say("listing the teams of " + sanitize.String(org) + "…")
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), verifyTimeout)
		defer cancel()
		teams, err := hubclient.ListAll(ctx, c, func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.Team, *hubclient.Response, error) {
			return c.Teams.List(ctx, org, &hubclient.TeamListOptions{ListOptions: o})
		}, nil)
		return teamsMsg{gen: gen, teams: teams, err: err}
	}
}

// pickTeam offers the teams without access yet.
func (a *Access) pickTeam(env pane.Env, teams []hubclient.Team) {
	env.Say("")
	has := map[int64]bool{}
	for _, g := range a.groups {
		has[g.GroupID] = true
	}
	var items []dialog.Item
	for _, t := range teams {
		if !has[t.ID] {
			items = append(items, dialog.Item{ID: strconv.FormatInt(t.ID, 10) + "\x00" + t.Name, Label: t.Name,
				Detail: fmt.Sprintf("%d members · %s", t.MemberCount, t.Description)})
		}
	}
	if len(items) == 0 {
		env.Say("every team of " + sanitize.String(a.d.repo.Namespace) + " has access already")
		return
	}
	env.Ask(dialog.NewPicker("Give a team access to "+fullName(a.d.repo), items, nil, false, func(ids []string) tea.Cmd {
		if len(ids) == 1 {
			idText, name, _ := strings.Cut(ids[0], "\x00")
			id, _ := strconv.ParseInt(idText, 10, 64)
			a.askPermission(env, id, name, "")
		}
		return nil
	}))
}

// askPermission chooses the permission team id holds, then sets it (the
// documented create upserts).
func (a *Access) askPermission(env pane.Env, id int64, name, current string) {
	full := fullName(a.d.repo)
	initial := current
	if initial == "" {
		initial = hubclient.RepoPermissionRead
	}
	env.Ask(dialog.NewForm("Access of "+name+" to "+full, "read: pull · write: pull and push · admin: also settings and deletion", []dialog.Field{
		{Key: "permission", Label: "Permission", Choices: permissions, Initial: initial},
	}, func(v map[string]string) tea.Cmd {
		perm := v["permission"]
		if perm == current {
			env.Say("permission unchanged")
			return nil
		}
		what := fmt.Sprintf("giving %s %s access to %s", name, perm, full)
		env.Mutate(pane.Change{What: what, Done: fmt.Sprintf("%s has %s access to %s", name, perm, full),
			Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
				g, _, err := c.Repos.CreateGroup(ctx, a.d.repo.Namespace, a.d.repo.Name, id, perm)
				return func() tea.Cmd {
					if g != nil {
						gs := slices.DeleteFunc(slices.Clone(a.groups), func(x hubclient.RepositoryGroup) bool { return x.GroupID == id })
						a.set(append(gs, *g))
					}
					return nil
				}, err
			}})
		return nil
	}))
}

// askRemove takes g's access away once confirmed.
func (a *Access) askRemove(env pane.Env, g hubclient.RepositoryGroup) {
	full := fullName(a.d.repo)
	env.Ask(dialog.NewConfirm("Take "+g.GroupName+"'s access to "+full+" away?",
		"Its members lose "+g.Permission+" access unless another team or their role gives it.", func() tea.Cmd {
			env.Mutate(pane.Change{What: "removing " + g.GroupName + " from " + full, Done: "removed " + g.GroupName + "'s access to " + full,
				Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
					_, err := c.Repos.DeleteGroup(ctx, a.d.repo.Namespace, a.d.repo.Name, g.GroupID)
					return func() tea.Cmd {
						a.set(slices.DeleteFunc(slices.Clone(a.groups), func(x hubclient.RepositoryGroup) bool { return x.GroupID == g.GroupID }))
						return nil
					}, err
				}})
			return nil
		}))
}

// Status counts the teams.
func (a *Access) Status(env pane.Env) string {
	if !a.done {
		return env.Spinner() + " loading team access…"
	}
	return fmt.Sprintf("%d team(s) with access to %s", len(a.groups), sanitize.String(fullName(a.d.repo)))
}

// View lists the teams, the cursor's row marked.
func (a *Access) View(env pane.Env, w, h int) string {
	t := env.Theme()
	out := []string{"", "  " + t.Title.Render("Team access to "+sanitize.String(fullName(a.d.repo))), ""}
	switch {
	case a.err != nil:
		out = append(out, "  "+t.Error.Render(pane.Describe(a.err)))
	case !a.done:
		out = append(out, "  "+env.Spinner()+" loading…")
	case len(a.groups) == 0:
		out = append(out, "  "+t.Dim.Render("No team has access beyond what the org's roles give. "+env.Key(pane.ActNew)+" gives one access."))
	}
	first := max(0, min(a.cursor-(h-5)/2, len(a.groups)-(h-4)))
	for i := first; i < min(len(a.groups), first+h-4); i++ {
		g := a.groups[i]
		line := fmt.Sprintf("%-30s %s", text.Truncate(sanitize.String(g.GroupName), 30), g.Permission)
		if i == a.cursor {
			out = append(out, "> "+t.Key.Render(line))
		} else {
			out = append(out, "  "+line)
		}
	}
	return strings.Join(out, "\n")
}
