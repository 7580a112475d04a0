package tokens

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

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

// Columns of the organization access tokens list.
const (
	oatLabel = iota
	oatActive
	oatExpires
	oatLastUsed
	oatAttention
	oatResources
	oatCreatedBy
	oatCreated
	oatDescription
)

// oatSpec lists the organization's access tokens.
func (p *Pane) oatSpec() list.Spec[hubclient.OrgAccessToken] {
	return list.Spec[hubclient.OrgAccessToken]{
		Kind: state.Tokens,
		Noun: "organization access tokens",
		Columns: []table.Column{
			{Title: "LABEL", Min: 14, Max: 30, Flex: 2},
			{Title: "ACTIVE", Min: 6, Max: 6},
			{Title: "EXPIRES", Min: 10, Max: 10},
			{Title: "LAST USED", Min: 9, Max: 9},
			{Title: "ATTENTION", Min: 12, Max: 30, Flex: 1},
			{Title: "RESOURCES", Min: 12, Max: 50, Flex: 2},
			{Title: "CREATED BY", Min: 10, Max: 16},
			{Title: "CREATED", Min: 10, Max: 10},
			{Title: "DESCRIPTION", Min: 11, Flex: 1},
		},
		Cell: func(t hubclient.OrgAccessToken, col int) string {
			switch col {
			case oatLabel:
				return t.Label
			case oatActive:
				return yesNo(t.IsActive)
			case oatExpires:
				return Expiry(t.ExpiresAt, p.now)
			case oatLastUsed:
				return LastUsed(t.LastUsedAt, p.now)
			case oatAttention:
				return OATFlags(p.withRes(t), p.now).String()
			case oatResources:
				return resourcesText(p.withRes(t).Resources)
			case oatCreatedBy:
				return t.CreatedBy
			case oatCreated:
				return day(t.CreatedAt)
			case oatDescription:
				return t.Description
			}
			return ""
		},
		Schema: state.Schema[hubclient.OrgAccessToken]{
			Name: func(t hubclient.OrgAccessToken) string { return t.Label },
			Compare: func(a, b hubclient.OrgAccessToken, col int) int {
				switch col {
				case oatActive:
					return text.CompareBool(a.IsActive, b.IsActive)
				case oatExpires:
					return compareExpiry(a.ExpiresAt, b.ExpiresAt)
				case oatLastUsed:
					return optTime(a.LastUsedAt).Compare(optTime(b.LastUsedAt))
				case oatCreatedBy:
					return strings.Compare(a.CreatedBy, b.CreatedBy)
				case oatCreated:
					return a.CreatedAt.Compare(b.CreatedAt)
				case oatDescription:
					return strings.Compare(a.Description, b.Description)
				}
				return strings.Compare(a.Label, b.Label)
			},
		},
		ID:        func(t hubclient.OrgAccessToken) string { return t.ID },
		DescFirst: []int{oatLastUsed, oatCreated},
		Fetch: func(c *hubclient.Client, org string) hubclient.PageFunc[hubclient.OrgAccessToken] {
			return func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.OrgAccessToken, *hubclient.Response, error) {
				return c.OrgTokens.List(ctx, org, &hubclient.OrgTokenListOptions{ListOptions: o})
			}
		},
	}
}

// resourceText is one resource as a cell shows it: "acme/* pull,push".
func resourceText(r hubclient.OrgAccessTokenResource) string {
	path := r.Path
	if r.Type == hubclient.OATResourceOrg {
		path = "org"
	}
	return path + " " + strings.Join(r.Scopes, ",")
}

// resourcesText is every resource, "; " between them ("…" while unknown).
func resourcesText(res []hubclient.OrgAccessTokenResource) string {
	if res == nil {
		return "…"
	}
	parts := make([]string, len(res))
	for i, r := range res {
		parts[i] = resourceText(r)
	}
	return strings.Join(parts, "; ")
}

// oatDetail is the selected token's details under the list.
func (p *Pane) oatDetail(env pane.Env, w int) []string {
	t, ok := p.OATs.Selected()
	if !ok {
		return nil
	}
	t = p.withRes(t)
	th := env.Theme()
	exp := "never expires"
	if t.ExpiresAt != nil {
		exp = "expires " + text.LongTime(*t.ExpiresAt)
	}
	used := "never used"
	if t.LastUsedAt != nil {
		used = "last used " + text.LongTime(*t.LastUsedAt)
	}
	l1 := fmt.Sprintf("%s — %s · created %s by %s", t.Label, text.OrDash(t.Description), text.LongTime(t.CreatedAt), text.OrDash(t.CreatedBy))
	l2 := exp + " · " + used
	if f := OATFlags(t, p.now); f != 0 {
		l2 = "needs attention: " + f.String() + " · " + l2
	}
	l3 := "resources: " + resourcesText(t.Resources)
	return []string{"  " + text.Truncate(sanitize.String(l1), w-4), "  " + th.Dim.Render(text.Truncate(sanitize.String(l2), w-4)),
		"  " + th.Dim.Render(text.Truncate(sanitize.String(l3), w-4))}
}

// oatReady says why an OAT change cannot be made now, or "".
func (p *Pane) oatReady(env pane.Env, selected bool) string {
	switch {
	case env.Personal():
		return "organization access tokens belong to organizations, not your personal namespace"
	case forbidden(p.OATs.Coll()) != "":
		return "this session cannot manage the access tokens of " + env.Org()
	}
	return pane.Gate(env, pane.RoleOwner, selected)
}

// oatBindings are the keys of the organization view.
func (p *Pane) oatBindings(env pane.Env) []pane.Binding {
	t, ok := p.OATs.Selected()
	back, first, rest := splitList(p.OATs.Bindings(env))
	for i := range rest {
		if rest[i].Action == pane.ActRefresh {
			load := rest[i].Run
			rest[i].Run = func() tea.Cmd {
				p.res = map[string][]hubclient.OrgAccessTokenResource{} // read them again too
				p.resFor = nil
				return load()
			}
		}
	}
	b := append(back, first...)
	b = append(b,
		pane.Binding{Action: pane.ActNew, Keys: []string{"n"}, Help: "new organization access token (its secret is shown once)", Short: "new",
			Mutates: true, Disabled: p.oatReady(env, true), Run: func() tea.Cmd { p.askCreateOAT(env); return nil }},
		pane.Binding{Action: pane.ActEdit, Keys: []string{"e"}, Help: "edit label, description, active, resources", Short: "edit",
			Mutates: true, Disabled: p.oatReady(env, ok), Run: func() tea.Cmd { p.askEditOAT(env, p.withRes(t)); return nil }},
		pane.Binding{Action: ActToggleActive, Keys: []string{"a"}, Help: "activate / deactivate token", Short: "on/off",
			Mutates: true, Disabled: p.oatReady(env, ok), Run: func() tea.Cmd { p.askToggleOAT(env, t); return nil }},
		pane.Binding{Action: pane.ActDelete, Keys: []string{"D"}, Help: "delete token (type its label)", Short: "delete",
			Mutates: true, Disabled: p.oatReady(env, ok), Run: func() tea.Cmd { p.askDeleteOAT(env, t); return nil }},
	)
	return append(b, rest...)
}

// draft is an organization access token being put together: a new one
// (id "") or the changes to one.
type draft struct {
	org         string
	id          string // "" for a new token
	label, desc string
	descSet     bool // an edit changes the description (perhaps to "")
	expires     *time.Time
	active      *bool
	res         []hubclient.OrgAccessTokenResource
	old         hubclient.OrgAccessToken // the token edited
	repos       []string                 // the org's repositories, once fetched
}

// askCreateOAT asks for the label, description and expiry, then the resources.
func (p *Pane) askCreateOAT(env pane.Env) {
	p.askCreateOATForm(env, nil)
}

func (p *Pane) askCreateOATForm(env pane.Env, keep map[string]string) {
	org := env.Org()
	fields := append([]dialog.Field{
		{Key: "label", Label: "Label", Check: checkOATLabel, Help: "what uses it: a CI pipeline, a scanner"},
		{Key: "description", Label: "Description (optional)", Limit: 255},
	}, expiryFields(env.Now)...)
	for i := range fields {
		if v, ok := keep[fields[i].Key]; ok {
			fields[i].Initial = v
		}
	}
	f := dialog.NewForm("New access token of "+org, "An organization access token acts for "+org+" itself, on the resources you give it next.", fields,
		func(v map[string]string) tea.Cmd {
			exp, err := expiryOf(v, env.Now())
			if err != nil {
				p.askCreateOATForm(env, v)
				return nil
			}
			p.draft = &draft{org: org, label: v["label"], desc: v["description"], expires: exp}
			p.askResource(env, p.draft)
			return nil
		})
	if keep != nil {
		if _, err := expiryOf(keep, env.Now()); err != nil {
			f.SetError("date", err.Error())
		}
	}
	env.Ask(f)
}

// Resource choices of the builder.
const (
	resOrg     = "org"
	resAll     = "all"
	resPublic  = "public"
	resPick    = "pick"
	resPattern = "pattern"
	resDone    = "done"
	resClear   = "clear"
)

// askResource offers the next resource to add, or to finish.
func (p *Pane) askResource(env pane.Env, d *draft) {
	org := d.org
	items := []dialog.Item{
		{ID: resPick, Label: "repositories of " + org + "…", Detail: "pick them from the list"},
		{ID: resPattern, Label: "a repository path or pattern…", Detail: org + "/name or " + org + "/*"},
		{ID: resAll, Label: "every repository of " + org, Detail: org + "/*"},
		{ID: resPublic, Label: "every public repository", Detail: hubclient.OATPublicRepos + " (pull only)"},
		{ID: resOrg, Label: "the organization " + org, Detail: "members, teams, invites, audit log, settings"},
	}
	title := "Resources of " + d.label
	if len(d.res) > 0 {
		parts := make([]string, len(d.res))
		for i, r := range d.res {
			parts[i] = resourceText(r)
		}
		title += " (so far: " + strings.Join(parts, "; ") + ")"
		verb := "create the token"
		if d.id != "" {
			verb = "save the changes"
		}
		items = append([]dialog.Item{{ID: resDone, Label: "done: " + verb, Detail: fmt.Sprintf("%d resource(s)", len(d.res))}}, items...)
		items = append(items, dialog.Item{ID: resClear, Label: "start the resources over"})
	}
	env.Ask(dialog.NewPicker(title, items, nil, false, func(ids []string) tea.Cmd {
		switch ids[0] {
		case resDone:
			p.finishDraft(env, d)
		case resClear:
			d.res = nil
			p.askResource(env, d)
		case resOrg:
			p.askScopes(env, d, hubclient.OATResourceOrg, []string{"*"}, nil)
		case resAll:
			p.askScopes(env, d, hubclient.OATResourceRepo, []string{org + "/*"}, nil)
		case resPublic:
			p.askScopes(env, d, hubclient.OATResourceRepo, []string{hubclient.OATPublicRepos}, nil)
		case resPattern:
			env.Ask(dialog.NewPrompt("Repository path", org+"/name for one repository, "+org+"/* for every one, or "+hubclient.OATPublicRepos+".", org+"/", 0,
				func(v string) error { return CheckRepoPath(org, v) },
				func(v string) tea.Cmd {
					p.askScopes(env, d, hubclient.OATResourceRepo, []string{v}, nil)
					return nil
				}))
		case resPick:
			return p.pickRepos(env, d)
		}
		return nil
	}))
}

// checkOATLabel is the document's rule for an OAT label (required; it
// sets no length), and one line of printable text.
func checkOATLabel(v string) error {
	if strings.TrimSpace(v) == "" {
		return fmt.Errorf("give the token a label, such as the pipeline or service that uses it")
	}
	if strings.IndexFunc(v, unicode.IsControl) >= 0 {
		return fmt.Errorf("the label is one line of printable text")
	}
	return nil
}

// CheckRepoPath applies the document's rule for a TYPE_REPO path of org.
func CheckRepoPath(org, v string) error {
	if v == hubclient.OATPublicRepos {
		return nil
	}
	ns, repo, ok := strings.Cut(v, "/")
	switch {
	case !ok || ns == "" || repo == "" || strings.Contains(repo, "/"):
		return fmt.Errorf(`write it as %s/name, %s/* or %s`, org, org, hubclient.OATPublicRepos)
	case ns != org:
		return fmt.Errorf("%s is outside the organization %s", v, org)
	case repo != "*" && !hubclient.ValidRepositoryName(repo):
		return fmt.Errorf("%q is not a valid repository name", repo)
	}
	return nil
}

// reposMsg carries the org's repository names for the picker.
type reposMsg struct {
	gen   uint64
	d     *draft
	names []string
	err   error
}

// pickRepos offers the org's repositories, from what this session holds
// or fetched now.
func (p *Pane) pickRepos(env pane.Env, d *draft) tea.Cmd {
	if d.repos != nil {
		p.askRepoPicker(env, d)
		return nil
	}
	if c, ok := env.Cache().Get(state.Key{Kind: state.Repos, Scope: d.org}); ok {
		if coll, ok := c.(*state.Collection[hubclient.Repository]); ok && coll.Status == state.Loaded {
			for _, r := range coll.Items {
				d.repos = append(d.repos, r.Name)
			}
			p.askRepoPicker(env, d)
			return nil
		}
	}
	client := env.Client()
	if client == nil {
		return nil
	}
	p.reposGen = env.NextGen()
	gen, org := p.reposGen, d.org
	env.Say("loading the repositories of " + org + "…")
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		repos, err := hubclient.ListAll(ctx, client, func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.Repository, *hubclient.Response, error) {
			return client.Repos.List(ctx, org, &hubclient.RepoListOptions{ListOptions: o})
		}, nil)
		names := make([]string, len(repos))
		for i, r := range repos {
			names[i] = r.Name
		}
		return reposMsg{gen: gen, d: d, names: names, err: err}
	}
}

func (p *Pane) onRepos(env pane.Env, m reposMsg) tea.Cmd {
	if m.gen != p.reposGen || m.d != p.draft {
		return nil
	}
	if m.err != nil {
		env.Fail("", fmt.Errorf("load the repositories of %s: %w", m.d.org, m.err))
		p.askResource(env, m.d)
		return nil
	}
	env.Say("")
	m.d.repos = m.names
	p.askRepoPicker(env, m.d)
	return nil
}

func (p *Pane) askRepoPicker(env pane.Env, d *draft) {
	items := make([]dialog.Item, len(d.repos))
	for i, n := range d.repos {
		items[i] = dialog.Item{ID: d.org + "/" + n, Label: n}
	}
	env.Ask(dialog.NewPicker("Repositories of "+d.org+" (space chooses several)", items, nil, true, func(paths []string) tea.Cmd {
		p.askScopes(env, d, hubclient.OATResourceRepo, paths, nil)
		return nil
	}))
}

// scopeItems offers every OAT scope; those the resource type does not
// take say so, and are refused if chosen.
func scopeItems(typ string) []dialog.Item {
	valid, other := hubclient.OATRepoScopes(), hubclient.OATOrgScopes()
	okDetail, badDetail := "allowed on repositories", "organization scope: not allowed on repositories"
	if typ == hubclient.OATResourceOrg {
		valid, other = other, valid
		okDetail, badDetail = "allowed on the organization", "repository scope: not allowed on the organization"
	}
	var items []dialog.Item
	for _, s := range valid {
		items = append(items, dialog.Item{ID: s, Label: s, Detail: okDetail})
	}
	for _, s := range other {
		items = append(items, dialog.Item{ID: s, Label: s, Detail: badDetail})
	}
	return items
}

// RefuseScopes is the reason the scopes cannot go on a resource of typ,
// or "" when they all may (the document's rule, applied before sending).
func RefuseScopes(typ, path string, scopes []string) string {
	valid, a, kind, what := hubclient.OATRepoScopes(), "a", "repository", path
	if typ == hubclient.OATResourceOrg {
		valid, a, kind, what = hubclient.OATOrgScopes(), "an", "organization", "the organization"
	}
	var bad []string
	for _, s := range scopes {
		if !slices.Contains(valid, s) {
			bad = append(bad, s)
		}
	}
	switch {
	case len(bad) == 1:
		return fmt.Sprintf("%s is not %s %s scope: %s takes only %s", bad[0], a, kind, what, strings.Join(valid, ", "))
	case len(bad) > 1:
		return fmt.Sprintf("%s are not %s scopes: %s takes only %s", strings.Join(bad, ", "), kind, what, strings.Join(valid, ", "))
	case typ == hubclient.OATResourceRepo && path == hubclient.OATPublicRepos &&
		(slices.Contains(scopes, hubclient.OATScopeRepoPush) || slices.Contains(scopes, hubclient.OATScopeImagePush)):
		return "other people's public repositories can only be pulled: choose repo-pull"
	}
	return ""
}

// askScopes asks which scopes the resources at paths hold; a choice the
// type does not allow is refused with the reason, and asked again.
func (p *Pane) askScopes(env pane.Env, d *draft, typ string, paths []string, chosen []string) {
	where := strings.Join(paths, ", ")
	if typ == hubclient.OATResourceOrg {
		where = "the organization " + d.org
	}
	if chosen == nil {
		chosen = []string{hubclient.OATScopeRepoPull}
		if typ == hubclient.OATResourceOrg {
			chosen = []string{hubclient.OATScopeMemberRead}
		}
	}
	env.Ask(dialog.NewPicker("Scopes on "+text.Truncate(where, 60), scopeItems(typ), chosen, true, func(scopes []string) tea.Cmd {
		if why := RefuseScopes(typ, paths[0], scopes); why != "" {
			env.Fail("", fmt.Errorf("not sent: %s", why))
			var keep []string
			for _, s := range scopes {
				if RefuseScopes(typ, paths[0], []string{s}) == "" {
					keep = append(keep, s)
				}
			}
			p.askScopes(env, d, typ, paths, keep)
			return nil
		}
		env.Clear("")
		for _, path := range paths {
			d.res = append(d.res, hubclient.OrgAccessTokenResource{Type: typ, Path: path, Scopes: slices.Clone(scopes)})
		}
		p.askResource(env, d)
		return nil
	}))
}

// finishDraft sends the new token, or the changes to one.
func (p *Pane) finishDraft(env pane.Env, d *draft) {
	p.draft = nil
	if d.id != "" {
		p.saveOAT(env, d)
		return
	}
	coll := p.OATs.Coll()
	req := hubclient.CreateOrgAccessTokenRequest{Label: d.label, Description: d.desc, Resources: d.res, ExpiresAt: d.expires}
	env.Mutate(pane.Change{What: "creating the access token " + d.label + " of " + d.org, Done: "created the access token " + d.label + " of " + d.org,
		Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
			t, _, err := c.OrgTokens.Create(ctx, d.org, req)
			if err != nil || t == nil {
				return nil, err
			}
			secret := t.Token
			t.Token = ""
			row := *t
			return func() tea.Cmd {
				if p.OATs.Coll() == coll {
					p.res[row.ID] = row.Resources
					coll.Insert(0, row)
					p.OATs.Table().SetCursor(0)
				}
				showSecret(env, "Access token "+row.Label+" of "+d.org,
					"Sign in with it as "+d.org+": docker login -u "+d.org+". Copy it now and keep it in your CI's secret store. "+
						"Docker Hub will not show it again, and hubtui keeps no copy once this box is closed.", secret)
				secret = ""
				return p.OATs.ItemsChanged()
			}, nil
		}})
}

// askEditOAT asks for the new label, description and state, and whether
// to give the token new resources.
func (p *Pane) askEditOAT(env pane.Env, t hubclient.OrgAccessToken) {
	org := env.Org()
	fields := []dialog.Field{
		{Key: "label", Label: "Label", Initial: t.Label, Check: checkOATLabel},
		{Key: "description", Label: "Description", Initial: t.Description, Limit: 255},
		{Key: "active", Label: "Active", Choices: []string{"yes", "no"}, Initial: yesNo(t.IsActive)},
		{Key: "resources", Label: "Resources: " + text.Truncate(resourcesText(t.Resources), 50), Choices: []string{"keep", "replace"}, Initial: "keep",
			Help: "replace asks for the new resources next"},
	}
	env.Ask(dialog.NewForm("Edit the access token "+t.Label, "The expiry cannot be changed; create a new token for that.", fields,
		func(v map[string]string) tea.Cmd {
			d := &draft{org: org, id: t.ID, old: t}
			if v["label"] != sanitize.String(t.Label) {
				d.label = v["label"]
			}
			if v["description"] != sanitize.String(t.Description) {
				d.desc, d.descSet = v["description"], true
			}
			if on := v["active"] == "yes"; on != t.IsActive {
				d.active = &on
			}
			if v["resources"] == "replace" {
				if d.label == "" {
					d.label = t.Label
				}
				p.draft = d
				p.askResource(env, d)
				return nil
			}
			p.saveOAT(env, d)
			return nil
		}))
}

// saveOAT sends the changes of d and puts them on screen.
func (p *Pane) saveOAT(env pane.Env, d *draft) {
	t := d.old
	var req hubclient.UpdateOrgAccessTokenRequest
	if d.label != "" && d.label != t.Label {
		req.Label = &d.label
	}
	if d.descSet {
		desc := d.desc
		req.Description = &desc
	}
	req.IsActive = d.active
	if d.res != nil {
		req.Resources = d.res
	}
	if req.Label == nil && req.Description == nil && req.IsActive == nil && req.Resources == nil {
		env.Say("nothing changed")
		return
	}
	coll := p.OATs.Coll()
	label := sanitize.String(t.Label)
	env.Mutate(pane.Change{What: "saving the access token " + label, Done: "saved the access token " + label,
		Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
			out, _, err := c.OrgTokens.Update(ctx, d.org, t.ID, req)
			if err != nil || out == nil {
				return nil, err
			}
			out.Token = ""
			row := *out
			return func() tea.Cmd {
				if p.OATs.Coll() != coll {
					return nil
				}
				if row.Resources != nil {
					p.res[row.ID] = row.Resources
				}
				if i := coll.Find(func(x hubclient.OrgAccessToken) bool { return x.ID == row.ID }); i >= 0 {
					coll.Replace(i, row)
				}
				p.OATs.KeepCursor()
				return p.OATs.ItemsChanged()
			}, nil
		}})
}

// askToggleOAT activates or deactivates an OAT, asking first.
func (p *Pane) askToggleOAT(env pane.Env, t hubclient.OrgAccessToken) {
	label := sanitize.String(t.Label)
	on := !t.IsActive
	title, body := "Deactivate "+label+"?", "Whatever signs in with it stops working until it is activated again; nothing is deleted."
	if on {
		title, body = "Activate "+label+"?", "It signs in again, on its resources."
	}
	env.Ask(dialog.NewConfirm(title, body, func() tea.Cmd {
		p.saveOAT(env, &draft{org: env.Org(), id: t.ID, old: t, active: &on})
		return nil
	}))
}

// askDeleteOAT deletes an OAT once its label is typed.
func (p *Pane) askDeleteOAT(env pane.Env, t hubclient.OrgAccessToken) {
	org, label := env.Org(), sanitize.String(t.Label)
	coll := p.OATs.Coll()
	env.Ask(dialog.NewTyped("Delete the access token "+label+" of "+org,
		"Whatever signs in with it stops working at once. It cannot be undone.", label, func() tea.Cmd {
			env.Mutate(pane.Change{What: "deleting the access token " + label, Done: "deleted the access token " + label,
				Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
					_, err := c.OrgTokens.Delete(ctx, org, t.ID)
					return func() tea.Cmd {
						if p.OATs.Coll() != coll {
							return nil
						}
						delete(p.res, t.ID)
						p.OATs.KeepCursor()
						coll.Remove(coll.Find(func(x hubclient.OrgAccessToken) bool { return x.ID == t.ID }))
						return p.OATs.ItemsChanged()
					}, err
				}})
			return nil
		}))
}
