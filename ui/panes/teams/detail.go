package teams

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/list"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/table"
	"github.com/hubtui/hubtui/ui/text"
)

// TeamMembers is the kind of a team's member list ({TeamMembers, "acme/backend"}).
const TeamMembers state.Kind = "team-members"

// permLookups is how many repositories' team permissions are asked for at once.
const permLookups = 4

// previewLines is how many members a confirmation lists by name.
const previewLines = 12

// MemberSpec lists a team's members; the scope is "org/team".
func MemberSpec() list.Spec[hubclient.TeamMember] {
	return list.Spec[hubclient.TeamMember]{
		Kind: TeamMembers,
		Noun: "team members",
		Columns: []table.Column{
			{Title: "USERNAME", Min: 12, Max: 30, Flex: 2},
			{Title: "FULL NAME", Min: 10, Max: 30, Flex: 2},
			{Title: "E-MAIL", Min: 12, Flex: 3},
		},
		Cell: func(m hubclient.TeamMember, col int) string {
			switch col {
			case 1:
				return m.FullName
			case 2:
				return m.Email
			}
			return m.Username
		},
		Schema: state.Schema[hubclient.TeamMember]{
			Name: func(m hubclient.TeamMember) string { return m.Username },
			Compare: func(a, b hubclient.TeamMember, col int) int {
				switch col {
				case 1:
					return strings.Compare(strings.ToLower(a.FullName), strings.ToLower(b.FullName))
				case 2:
					return strings.Compare(strings.ToLower(a.Email), strings.ToLower(b.Email))
				}
				return strings.Compare(a.Username, b.Username)
			},
		},
		ID: func(m hubclient.TeamMember) string { return m.Username },
		Fetch: func(c *hubclient.Client, scope string) hubclient.PageFunc[hubclient.TeamMember] {
			org, team, _ := strings.Cut(scope, "/")
			return func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.TeamMember, *hubclient.Response, error) {
				return c.Teams.ListMembers(ctx, org, team, &hubclient.TeamMemberListOptions{ListOptions: o})
			}
		},
	}
}

// RepoPermission is a permission the team holds on a repository.
type RepoPermission struct {
	Repo       string // "acme/web"
	Permission string // read, write or admin
}

// permissions is the answer of a permissions lookup.
type permissions struct {
	perms   []RepoPermission
	checked int
	failed  int
	err     error // the first failure
}

// Detail is the page of one team: its members as a list, and the
// repositories it holds a permission on once looked up.
type Detail struct {
	root    *Pane
	rootEnv pane.Env
	env     pane.Env
	team    hubclient.Team
	L       *list.List[hubclient.TeamMember]

	getGen   uint64 // the team's own record, when opened by name
	pickGen  uint64 // the org member fetch for the picker
	picking  bool
	permGen  uint64
	permBusy bool
	perms    *permissions
	base     context.Context
	cancel   context.CancelFunc
}

func newDetail(root *Pane, env pane.Env, t hubclient.Team) *Detail {
	return &Detail{root: root, rootEnv: env, team: t, L: list.New(MemberSpec())}
}

// Kind is state.Teams.
func (d *Detail) Kind() state.Kind { return state.Teams }

// Title is the team's name, for the breadcrumbs.
func (d *Detail) Title() string { return d.team.Name }

// Team is the team shown.
func (d *Detail) Team() hubclient.Team { return d.team }

// Busy reports a load in flight.
func (d *Detail) Busy() bool { return d.L.Busy() || d.permBusy || d.picking }

// CanFilter is true: the members filter.
func (d *Detail) CanFilter() bool { return true }

// Query is the filter.
func (d *Detail) Query() string { return d.L.Query() }

// SetQuery changes the filter.
func (d *Detail) SetQuery(_ pane.Env, q string) tea.Cmd { return d.L.SetQuery(q) }

// Move moves the cursor.
func (d *Detail) Move(env pane.Env, act string) { d.L.Move(env, act) }

// Selected is the member under the cursor.
func (d *Detail) Selected() (string, bool) {
	m, ok := d.L.Selected()
	return m.Username, ok
}

func (d *Detail) scope() string { return d.rootEnv.Org() + "/" + d.team.Name }

// Enter lists the team's members.
func (d *Detail) Enter(env pane.Env) tea.Cmd {
	d.env = env
	if d.L.Scope() != d.scope() {
		d.L.Open(env, d.scope())
	}
	var get tea.Cmd
	if c := env.Client(); d.team.ID == 0 && c != nil { // opened by name: ask for the rest
		org, name := env.Org(), d.team.Name
		d.getGen = env.NextGen()
		get = list.Call(d.ctx(), state.Key{Kind: state.Teams, Scope: d.scope()}, d.getGen, func(ctx context.Context) (*hubclient.Team, error) {
			t, _, err := c.Teams.Get(ctx, org, name)
			return t, err
		})
	}
	return tea.Batch(get, d.L.Ensure(env))
}

// Leave stops the loads.
func (d *Detail) Leave(pane.Env) {
	d.L.Leave()
	if d.cancel != nil {
		d.cancel()
		d.base, d.cancel = nil, nil
	}
	d.permBusy, d.picking = false, false
}

// close pops the page (its team was deleted).
func (d *Detail) close() {
	if d.env != nil {
		d.env.Pop()
	}
	if d.root.open == d {
		d.root.open = nil
	}
}

// ctx is the context of the page's own requests until it is left.
func (d *Detail) ctx() context.Context {
	if d.base == nil {
		d.base, d.cancel = context.WithCancel(context.Background())
	}
	return d.base
}

// Update takes the list's pages, the org's members for the picker and the
// permissions lookup.
func (d *Detail) Update(env pane.Env, msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case list.Result[*hubclient.Team]:
		if m.Gen != d.getGen || errors.Is(m.Err, context.Canceled) {
			return nil
		}
		if m.Err != nil {
			env.Fail("", fmt.Errorf("team %s: %w", d.team.Name, m.Err))
			return nil
		}
		d.team = *m.Val
		return nil
	case list.Result[[]hubclient.Member]:
		if m.Gen != d.pickGen || errors.Is(m.Err, context.Canceled) {
			return nil
		}
		d.picking = false
		if m.Err != nil {
			env.Fail("", fmt.Errorf("list the members of %s: %w", env.Org(), m.Err))
			return nil
		}
		d.pick(env, m.Val)
		return nil
	case list.Result[*permissions]:
		if m.Gen != d.permGen || errors.Is(m.Err, context.Canceled) {
			return nil
		}
		d.permBusy = false
		d.perms = m.Val
		return nil
	}
	cmd, _ := d.L.Update(env, msg)
	return cmd
}

// Bindings are the page's keys; esc (back) is the frame's.
func (d *Detail) Bindings(env pane.Env) []pane.Binding {
	_, ok := d.L.Selected()
	marked := d.L.Table().MarkedCount()
	lb := d.L.Bindings(env)
	var out, rest []pane.Binding
	for _, b := range lb {
		if b.Action == pane.ActBack {
			out = append(out, b) // esc clears a filter or the marks before it goes back
		} else {
			rest = append(rest, b)
		}
	}
	out = append(out,
		pane.Binding{Action: ActAddMembers, Keys: []string{"a"}, Help: "add members to the team (pick from the org)", Short: "add",
			Mutates: true, Disabled: pane.Gate(env, pane.RoleOwner, true), Run: func() tea.Cmd { return d.startPick(env) }},
		pane.Binding{Action: pane.ActDelete, Keys: []string{"D"}, Help: "remove member or marked ones from the team", Short: "remove",
			Mutates: true, Disabled: pane.Gate(env, pane.RoleOwner, ok || marked > 0), Run: func() tea.Cmd { d.askRemove(env); return nil }},
		pane.Binding{Action: ActPermissions, Keys: []string{"p"}, Help: "look up the team's repository permissions", Short: "repos",
			Run: func() tea.Cmd { return d.lookup(env) }},
	)
	out = append(out, rest[:3]...) // sort, reverse, mark
	rootEnv := d.rootEnv
	if rootEnv == nil { // listed for the keymap, not pushed
		rootEnv = env
	}
	out = append(out, d.root.editBinding(rootEnv, d.team, true))
	return append(out, rest[3:]...)
}

// startPick fetches the org's members (or takes the Members pane's, when
// it holds them all) and offers them in a picker.
func (d *Detail) startPick(env pane.Env) tea.Cmd {
	org := env.Org()
	if c, ok := env.Cache().Get(state.Key{Kind: state.Members, Scope: org}); ok {
		if coll, ok := c.(*state.Collection[hubclient.Member]); ok && coll.Status == state.Loaded {
			d.pick(env, coll.Snapshot())
			return nil
		}
	}
	c := env.Client()
	if c == nil {
		return nil
	}
	d.pickGen = env.NextGen()
	d.picking = true
	return list.Call(d.ctx(), state.Key{Kind: state.Members, Scope: org}, d.pickGen, func(ctx context.Context) ([]hubclient.Member, error) {
		fetch := func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.Member, *hubclient.Response, error) {
			return c.Members.List(ctx, org, &hubclient.MemberListOptions{ListOptions: o})
		}
		return hubclient.ListAll(ctx, c, fetch, nil)
	})
}

// pick offers the org's members not in the team yet.
func (d *Detail) pick(env pane.Env, all []hubclient.Member) {
	in := map[string]bool{}
	for _, m := range d.L.Coll().Items {
		in[m.Username] = true
	}
	var items []dialog.Item
	for _, m := range all {
		if m.IsInvitee() || m.Username == "" || in[m.Username] {
			continue
		}
		detail := m.FullName
		if r := m.OrgRole(); r != "" && r != hubclient.OrgRoleMember {
			detail += " · " + r
		}
		items = append(items, dialog.Item{ID: m.Username, Label: m.Username, Detail: detail})
	}
	sort.Slice(items, func(i, j int) bool { return items[i].ID < items[j].ID })
	if len(items) == 0 {
		env.Say("every member of " + env.Org() + " is in " + d.team.Name + " already")
		return
	}
	env.Ask(dialog.NewPicker("Add to team "+d.team.Name, items, nil, true, func(ids []string) tea.Cmd {
		if len(ids) > 0 {
			d.confirmAdd(env, ids)
		}
		return nil
	}))
}

func preview(names []string) string {
	if len(names) > previewLines {
		names = append(names[:previewLines:previewLines], fmt.Sprintf("… and %d more", len(names)-previewLines))
	}
	return strings.Join(names, ", ")
}

// confirmAdd asks before adding names, then adds them one by one.
func (d *Detail) confirmAdd(env pane.Env, names []string) {
	slices.Sort(names)
	org, team, coll := env.Org(), d.team.Name, d.L.Coll()
	body := preview(names)
	if team == hubclient.OwnersTeam {
		body += "\n\nThe owners team makes its members owners of " + org + ": they can change everything, members and billing included."
	}
	title := fmt.Sprintf("Add %d member(s) to %s?", len(names), team)
	env.Ask(dialog.NewConfirm(title, body, func() tea.Cmd {
		env.MutateEach(pane.Bulk{
			What:  fmt.Sprintf("adding %d member(s) to team %s", len(names), team),
			Done:  fmt.Sprintf("added %d member(s) to team %s", len(names), team),
			Title: fmt.Sprintf("Adding %d member(s) to %s", len(names), team),
			Items: names,
			Do: func(ctx context.Context, c *hubclient.Client, username string) error {
				_, err := c.Teams.AddMember(ctx, org, team, username)
				return err
			},
			Apply: func(done []string) tea.Cmd {
				d.root.counted(team, len(done))
				staleMembers(env)
				if d.L.Coll() != coll {
					return nil
				}
				return d.L.Load(env) // the Hub's rows carry names and e-mail addresses
			},
		})
		return nil
	}))
}

// askRemove asks before taking the marked members (or the one under the
// cursor) out of the team.
func (d *Detail) askRemove(env pane.Env) {
	names := d.L.Chosen()
	if len(names) == 0 {
		return
	}
	slices.Sort(names)
	org, team, coll := env.Org(), d.team.Name, d.L.Coll()
	body := preview(names) + "\n\nThey stay in " + org + " but lose what " + team + " gives them."
	if team == hubclient.OwnersTeam {
		body = preview(names) + "\n\nLeaving the owners team makes them members of " + org + " with no owner rights. The Hub keeps at least one owner."
	}
	title := fmt.Sprintf("Remove %s from %s?", names[0], team)
	if len(names) > 1 {
		title = fmt.Sprintf("Remove %d members from %s?", len(names), team)
	}
	env.Ask(dialog.NewConfirm(title, body, func() tea.Cmd {
		env.MutateEach(pane.Bulk{
			What:  fmt.Sprintf("removing %d member(s) from team %s", len(names), team),
			Done:  fmt.Sprintf("removed %d member(s) from team %s", len(names), team),
			Title: fmt.Sprintf("Removing %d member(s) from %s", len(names), team),
			Items: names,
			Do: func(ctx context.Context, c *hubclient.Client, username string) error {
				_, err := c.Teams.RemoveMember(ctx, org, team, username)
				return err
			},
			Apply: func(done []string) tea.Cmd {
				d.root.counted(team, -len(done))
				staleMembers(env)
				if d.L.Coll() != coll {
					return nil
				}
				gone := map[string]bool{}
				for _, u := range done {
					gone[u] = true
				}
				d.L.KeepCursor()
				coll.RemoveWhere(func(m hubclient.TeamMember) bool { return gone[m.Username] })
				d.L.ClearMarks()
				return d.L.ItemsChanged()
			},
		})
		return nil
	}))
}

// lookup asks every repository of the org which teams hold a permission
// on it (the Hub lists permissions by repository, not by team) and keeps
// this team's. It takes the Repos pane's list when that is loaded.
func (d *Detail) lookup(env pane.Env) tea.Cmd {
	c := env.Client()
	if c == nil || d.permBusy {
		return nil
	}
	org, team := env.Org(), d.team.Name
	var repos []hubclient.Repository
	if v, ok := env.Cache().Get(state.Key{Kind: state.Repos, Scope: org}); ok {
		if coll, ok := v.(*state.Collection[hubclient.Repository]); ok && coll.Status == state.Loaded {
			repos = coll.Snapshot()
		}
	}
	d.permGen = env.NextGen()
	d.permBusy = true
	return list.Call(d.ctx(), state.Key{Kind: TeamMembers, Scope: d.scope()}, d.permGen, func(ctx context.Context) (*permissions, error) {
		return lookupPermissions(ctx, c, org, team, repos), nil
	})
}

// lookupPermissions lists team's permissions over repos (all of org's when nil).
func lookupPermissions(ctx context.Context, c *hubclient.Client, org, team string, repos []hubclient.Repository) *permissions {
	out := &permissions{}
	if repos == nil {
		fetch := func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.Repository, *hubclient.Response, error) {
			return c.Repos.List(ctx, org, &hubclient.RepoListOptions{ListOptions: o})
		}
		var err error
		if repos, err = hubclient.ListAll(ctx, c, fetch, nil); err != nil {
			out.err = err
			return out
		}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, permLookups)
	for _, r := range repos {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			groups, _, err := c.Repos.ListGroups(ctx, r.Namespace, r.Name, &hubclient.ListOptions{PageSize: hubclient.MaxPageSize})
			mu.Lock()
			defer mu.Unlock()
			out.checked++
			if err != nil {
				out.failed++
				if out.err == nil {
					out.err = err
				}
				return
			}
			for _, g := range groups {
				if g.GroupName == team {
					out.perms = append(out.perms, RepoPermission{Repo: r.Namespace + "/" + r.Name, Permission: g.Permission})
				}
			}
		})
	}
	wg.Wait()
	sort.Slice(out.perms, func(i, j int) bool { return out.perms[i].Repo < out.perms[j].Repo })
	return out
}

// Permissions is what the lookup found; false until it answered.
func (d *Detail) Permissions() ([]RepoPermission, bool) {
	if d.perms == nil {
		return nil, false
	}
	return d.perms.perms, true
}

// Status is the list's counts, and the lookup's progress.
func (d *Detail) Status(env pane.Env) string {
	s := d.L.Status(env)
	switch {
	case d.permBusy:
		s += " · " + env.Spinner() + " looking up repository permissions…"
	case d.picking:
		s += " · " + env.Spinner() + " listing the org's members…"
	}
	return s
}

// View draws the team's description, its members and its repositories.
func (d *Detail) View(env pane.Env, w, h int) string {
	t := env.Theme()
	head := " " + t.Title.Render(sanitize.String(d.team.Name))
	if d.team.Description != "" {
		head += "  " + t.Dim.Render(sanitize.String(d.team.Description))
	}
	head = text.Truncate(head, w)
	perms := d.permLines(env, w)
	room := max(3, h-1-len(perms))
	body := d.L.View(env, w, room)
	return head + "\n" + body + "\n" + strings.Join(perms, "\n")
}

// permLines is the repositories block: at most a third of the screen.
func (d *Detail) permLines(env pane.Env, w int) []string {
	t := env.Theme()
	k := env.Key(ActPermissions)
	title := " " + t.Title.Render("Repositories")
	switch {
	case d.permBusy:
		return []string{"", title + "  " + env.Spinner() + " asking each repository…"}
	case d.perms == nil:
		return []string{"", title + "  " + t.Dim.Render(k+" looks them up: the Hub lists team permissions per repository, one request each")}
	}
	p := d.perms
	lines := []string{"", title + "  " + t.Dim.Render(fmt.Sprintf("%d of %d repositories checked", p.checked-p.failed, p.checked))}
	if p.err != nil {
		lines = append(lines, " "+t.Error.Render(text.Truncate(fmt.Sprintf("%d not answered: %s", max(1, p.failed), pane.Describe(p.err)), w-2)))
	}
	if len(p.perms) == 0 && p.err == nil {
		lines = append(lines, " "+t.Dim.Render("The team holds no permission on a repository."))
	}
	const most = 8
	for i, rp := range p.perms {
		if i == most {
			lines = append(lines, " "+t.Dim.Render(fmt.Sprintf("… and %d more", len(p.perms)-most)))
			break
		}
		lines = append(lines, text.Truncate(fmt.Sprintf("   %-6s %s", rp.Permission, sanitize.String(rp.Repo)), w))
	}
	return lines
}
