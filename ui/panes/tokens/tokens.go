// Package tokens is the Tokens pane: the signed-in user's personal access
// tokens and the organization's access tokens as two views (v switches),
// a third view of every token that needs attention (expired, expiring
// soon, never or long unused, broad scopes), creating a token with its
// secret shown once, activating, renaming, editing and deleting, and the
// Account page (A, or :tokens account).
package tokens

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

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
	ActView         = "switch_view"
	ActAccount      = "account"
	ActToggleActive = "toggle_active"
)

// Entry is the pane's registry line.
func Entry() pane.Entry {
	return pane.Entry{Kind: state.Tokens, Title: "Tokens", Command: "tokens", Usage: "tokens [personal|org|attention|account]",
		Help: "access tokens (personal, organization, needing attention) and the account", Arg: "view",
		New: func() pane.Pane { return New() }}
}

// View is which of the pane's views is on screen.
type View int

// The pane's views, in the order v cycles through them.
const (
	Personal View = iota
	Organization
	Attention
)

// String names the view as the palette spells it.
func (v View) String() string {
	switch v {
	case Organization:
		return "org"
	case Attention:
		return "attention"
	}
	return "personal"
}

// Pane shows the access tokens.
type Pane struct {
	// PATs are the signed-in user's personal access tokens.
	PATs *list.List[hubclient.AccessToken]
	// OATs are the organization's access tokens (resources fetched apart).
	OATs *list.List[hubclient.OrgAccessToken]
	view View
	now  time.Time // the clock at the last View, for the cells

	// res holds each OAT's resources by id (the list leaves them out;
	// they are fetched once the list is in).
	res       map[string][]hubclient.OrgAccessTokenResource
	resFor    *state.Collection[hubclient.OrgAccessToken]
	resForGen uint64
	resGen    uint64
	resCancel context.CancelFunc

	att     *table.Table
	attRows []attRow
	attMemo memo

	patMemo, oatMemo memo
	patCounts        Counts
	oatCounts        Counts

	// draft is an OAT being put together across dialogs.
	draft    *draft
	reposGen uint64

	// wantAccount asks Enter to push the Account page (:tokens account).
	wantAccount bool
}

// memo remembers what a derived value was computed from.
type memo struct {
	items any // the collection
	head  any // its first item: a change to the items copies them
	n     int
	res   int
	hour  int64 // the clock, by the hour: expiry and use move with it
	ok    bool
}

// New is the pane before its first visit.
func New() *Pane {
	p := &Pane{res: map[string][]hubclient.OrgAccessTokenResource{}}
	p.PATs = list.New(p.patSpec())
	p.OATs = list.New(p.oatSpec())
	p.att = table.New(attColumns)
	return p
}

// Kind is state.Tokens.
func (p *Pane) Kind() state.Kind { return state.Tokens }

// Title names the tab.
func (p *Pane) Title() string { return "Tokens" }

// CurrentView is the view on screen.
func (p *Pane) CurrentView() View { return p.view }

// Busy reports a load in flight.
func (p *Pane) Busy() bool { return p.PATs.Busy() || p.OATs.Busy() }

// CanFilter is true in the two token lists.
func (p *Pane) CanFilter() bool { return p.view != Attention }

// Query is the filter of the list on screen.
func (p *Pane) Query() string {
	switch p.view {
	case Personal:
		return p.PATs.Query()
	case Organization:
		return p.OATs.Query()
	}
	return ""
}

// SetQuery changes the filter of the list on screen.
func (p *Pane) SetQuery(_ pane.Env, q string) tea.Cmd {
	switch p.view {
	case Personal:
		return p.PATs.SetQuery(q)
	case Organization:
		return p.OATs.SetQuery(q)
	}
	return nil
}

// Move moves the cursor of the view on screen.
func (p *Pane) Move(env pane.Env, act string) {
	switch p.view {
	case Personal:
		p.PATs.Move(env, act)
	case Organization:
		p.OATs.Move(env, act)
	default:
		list.MoveTable(p.att, act)
	}
}

// Selected is the label of the token under the cursor.
func (p *Pane) Selected() (string, bool) {
	switch p.view {
	case Personal:
		t, ok := p.PATs.Selected()
		return t.TokenLabel, ok
	case Organization:
		t, ok := p.OATs.Selected()
		return t.Label, ok
	}
	if r, ok := p.attSelected(); ok {
		return r.label, true
	}
	return "", false
}

// Scope switches the view: "personal", "org", "attention", or "account"
// (the Account page over the pane).
func (p *Pane) Scope(_ pane.Env, v string) (tea.Cmd, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "personal", "pat", "pats":
		p.view = Personal
	case "org", "organization", "oat", "oats":
		p.view = Organization
	case "attention", "hygiene":
		p.view = Attention
	case "account", "me":
		p.wantAccount = true // pushed by Enter, once the tab is on screen
	default:
		return nil, fmt.Errorf("tokens: %q is not a view: try personal, org, attention or account", sanitize.String(v))
	}
	return nil, nil
}

// patScope names the collection of user's personal access tokens; the
// organization's tokens are kept under the org's name.
func patScope(user string) string { return "~" + user }

// Enter loads both lists (the header counts both), and the Account page
// when the palette asked for it.
func (p *Pane) Enter(env pane.Env) tea.Cmd {
	if s := patScope(env.User()); env.User() != "" && p.PATs.Scope() != s {
		p.PATs.Open(env, s)
	}
	if org := env.Org(); p.OATs.Scope() != org && !env.Personal() {
		p.OATs.Open(env, org)
		p.res = map[string][]hubclient.OrgAccessTokenResource{}
		p.resFor = nil
	}
	var cmds []tea.Cmd
	cmds = append(cmds, p.PATs.Ensure(env))
	if !env.Personal() {
		cmds = append(cmds, p.OATs.Ensure(env))
	}
	cmds = append(cmds, p.maybeResources(env))
	if p.wantAccount {
		p.wantAccount = false
		p.openAccount(env)
	}
	return tea.Batch(cmds...)
}

// Leave stops the loads.
func (p *Pane) Leave(pane.Env) {
	p.PATs.Leave()
	p.OATs.Leave()
	if p.resCancel != nil {
		p.resCancel()
		p.resCancel = nil
		p.resFor = nil // fetch them again next time
	}
}

// resMsg carries the resources of an org's tokens.
type resMsg struct {
	gen  uint64
	coll *state.Collection[hubclient.OrgAccessToken]
	res  map[string][]hubclient.OrgAccessTokenResource
	err  error
}

// maybeResources fetches the resources of the OATs once their list is in.
func (p *Pane) maybeResources(env pane.Env) tea.Cmd {
	coll := p.OATs.Coll()
	c := env.Client()
	if c == nil || coll.Status != state.Loaded || (p.resFor == coll && p.resForGen == coll.Gen) {
		return nil
	}
	p.resFor, p.resForGen = coll, coll.Gen
	if p.resCancel != nil {
		p.resCancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.resCancel = cancel
	p.resGen = env.NextGen()
	gen, org := p.resGen, p.OATs.Scope()
	ids := make([]string, 0, len(coll.Items))
	for _, t := range coll.Items {
		if _, ok := p.res[t.ID]; !ok {
			ids = append(ids, t.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return func() tea.Msg {
		out := map[string][]hubclient.OrgAccessTokenResource{}
		var errs []error
		for _, id := range ids { // one at a time: an org has few tokens, and the budget is shared
			t, _, err := c.OrgTokens.Get(ctx, org, id)
			if err != nil {
				if ctx.Err() != nil {
					return resMsg{gen: gen, coll: coll, err: ctx.Err()}
				}
				errs = append(errs, err)
				continue
			}
			out[id] = t.Resources
		}
		return resMsg{gen: gen, coll: coll, res: out, err: errors.Join(errs...)}
	}
}

// Update takes the lists' pages and the resources of the OATs.
func (p *Pane) Update(env pane.Env, msg tea.Msg) tea.Cmd {
	if cmd, ok := p.PATs.Update(env, msg); ok {
		return cmd
	}
	if cmd, ok := p.OATs.Update(env, msg); ok {
		return tea.Batch(cmd, p.maybeResources(env))
	}
	switch m := msg.(type) {
	case resMsg:
		if m.gen != p.resGen || errors.Is(m.err, context.Canceled) {
			return nil
		}
		for id, r := range m.res {
			p.res[id] = r
		}
		if m.err != nil {
			env.Fail("", fmt.Errorf("resources of the access tokens of %s: %w", p.OATs.Scope(), m.err))
		}
	case reposMsg:
		return p.onRepos(env, m)
	}
	return nil
}

// Status is the counts and progress of the view on screen.
func (p *Pane) Status(env pane.Env) string {
	switch p.view {
	case Personal:
		return p.PATs.Status(env)
	case Organization:
		if env.Personal() {
			return ""
		}
		return p.OATs.Status(env)
	}
	p.attention(env.Now())
	return fmt.Sprintf("%d token(s) need attention", len(p.attRows))
}

// counts brings the header counts up to date with the items and the day.
func (p *Pane) counts(now time.Time) {
	hour := now.Unix() / 3600
	pc := p.PATs.Coll()
	if m := (memo{items: pc, head: headOf(pc.Items), n: len(pc.Items), hour: hour, ok: true}); m != p.patMemo {
		p.patMemo = m
		p.patCounts = Counts{}
		for _, t := range pc.Items {
			p.patCounts.count(PATFlags(t, now), t.IsActive)
		}
	}
	oc := p.OATs.Coll()
	if m := (memo{items: oc, head: headOf(oc.Items), n: len(oc.Items), res: len(p.res), hour: hour, ok: true}); m != p.oatMemo {
		p.oatMemo = m
		p.oatCounts = Counts{}
		for _, t := range oc.Items {
			p.oatCounts.count(OATFlags(p.withRes(t), now), t.IsActive)
		}
	}
}

// headOf is a pointer to the first item of s, nil when it has none.
func headOf[T any](s []T) any {
	if len(s) == 0 {
		return nil
	}
	return &s[0]
}

// withRes is t with the resources fetched for it.
func (p *Pane) withRes(t hubclient.OrgAccessToken) hubclient.OrgAccessToken {
	if len(t.Resources) == 0 {
		t.Resources = p.res[t.ID]
	}
	return t
}

// View draws the view's header, its table and the selected token's details.
func (p *Pane) View(env pane.Env, w, h int) string {
	p.now = env.Now()
	if env.Org() == "" {
		return "\n  " + env.Spinner() + " finding your organizations…"
	}
	p.counts(p.now)
	th := env.Theme()
	lines := []string{p.tabsLine(env, w), p.countsLine(env, w)}
	bodyH := max(3, h-len(lines)-4) // a blank line and three of details under it
	var body string
	var detail []string
	switch p.view {
	case Personal:
		if why := forbidden(p.PATs.Coll()); why != "" {
			body = p.explainPAT403(env, w, why)
		} else {
			body = p.PATs.View(env, w, bodyH)
			detail = p.patDetail(env, w)
		}
	case Organization:
		switch {
		case env.Personal():
			body = "\n  " + text.Wrap("Organization access tokens belong to organizations; "+sanitize.String(env.Org())+
				" is your personal namespace. Switch with :org NAME.", w-4, "  ")
		case forbidden(p.OATs.Coll()) != "":
			body = p.explainOAT403(env, w, forbidden(p.OATs.Coll()))
		default:
			body = p.OATs.View(env, w, bodyH)
			detail = p.oatDetail(env, w)
		}
	default:
		p.attention(p.now)
		p.att.SetStyles(th.Table)
		p.att.SetSize(w, bodyH)
		p.att.SetEmpty("No token needs attention.")
		body = p.att.View()
		if r, ok := p.attSelected(); ok {
			detail = []string{"  " + th.Dim.Render(text.Truncate("enter shows it in the "+r.kind+" view", w-4))}
		}
	}
	lines = append(lines, text.FitBlock(body, bodyH), "")
	lines = append(lines, detail...)
	return strings.Join(lines, "\n")
}

// tabsLine shows the three views with the current one picked out.
func (p *Pane) tabsLine(env pane.Env, w int) string {
	th := env.Theme()
	names := []string{"Personal", "Organization", "Needs attention"}
	parts := make([]string, len(names))
	for i, n := range names {
		if View(i) == p.view {
			parts[i] = th.TabActive.Render(n)
		} else {
			parts[i] = th.Tab.Render(n)
		}
	}
	return text.Truncate(" "+strings.Join(parts, " ")+"  "+th.Dim.Render(env.Key(ActView)+" switches · "+env.Key(ActAccount)+" account"), w)
}

// countsLine is the header count of the view: how many tokens, and how
// many expire soon, have expired, or went unused.
func (p *Pane) countsLine(env pane.Env, w int) string {
	th := env.Theme()
	var c Counts
	what := "personal tokens"
	switch p.view {
	case Organization:
		c, what = p.oatCounts, "tokens of "+sanitize.String(env.Org())
	case Attention:
		c = p.patCounts
		o := p.oatCounts
		c.Total += o.Total
		c.Active += o.Active
		c.Soon += o.Soon
		c.Expired += o.Expired
		c.Unused += o.Unused
		c.NeverUsed += o.NeverUsed
		c.Broad += o.Broad
		c.Attention += o.Attention
		what = "tokens"
	default:
		c = p.patCounts
	}
	if p.view == Personal && forbidden(p.PATs.Coll()) != "" {
		return "  " + th.Dim.Render("personal access tokens: this session may not list them")
	}
	if p.view == Organization && forbidden(p.OATs.Coll()) != "" {
		return "  " + th.Dim.Render("organization access tokens of "+sanitize.String(env.Org())+": this session may not list them")
	}
	n := func(v int, s string) string {
		out := fmt.Sprintf("%d %s", v, s)
		if v > 0 {
			return th.Warn.Render(out)
		}
		return th.Dim.Render(out)
	}
	parts := []string{fmt.Sprintf("%d %s", c.Total, what),
		n(c.Soon, "expiring in 14d"), n(c.Expired, "expired"), n(c.Unused, "unused 90d+")}
	if c.NeverUsed > 0 {
		parts = append(parts, n(c.NeverUsed, "never used"))
	}
	if c.Broad > 0 {
		parts = append(parts, n(c.Broad, "broad"))
	}
	parts = append(parts, fmt.Sprintf("%d active", c.Active))
	return text.Truncate("  "+strings.Join(parts, " · "), w)
}

// forbidden is the Hub's words when the list's load was answered 403.
func forbidden[T any](c *state.Collection[T]) string {
	var ae *hubclient.APIError
	if c.Status == state.Failed && errors.As(c.Err, &ae) && ae.StatusCode == http.StatusForbidden {
		return pane.Describe(c.Err)
	}
	return ""
}

func (p *Pane) explainPAT403(env pane.Env, w int, hub string) string {
	th := env.Theme()
	return "\n  " + th.Title.Render("This session cannot manage personal access tokens") + "\n\n  " +
		text.Wrap("Docker Hub lets only a sign-in with a password manage personal access tokens. "+
			"This session signed in with an access token (a personal or an organization access token), so the Hub refuses to list, create or delete them. "+
			"Sign in with your password (a context whose credentials are a password) to manage them. "+
			"Organization access tokens are in the Organization view ("+env.Key(ActView)+").", w-4, "  ") +
		"\n\n  " + th.Dim.Render(text.Truncate("Docker Hub said: "+hub, w-4))
}

func (p *Pane) explainOAT403(env pane.Env, w int, hub string) string {
	th := env.Theme()
	org := sanitize.String(env.Org())
	return "\n  " + th.Title.Render("This session cannot manage the access tokens of "+org) + "\n\n  " +
		text.Wrap("Only owners of "+org+" manage its organization access tokens. "+
			"Signed in with a personal access token, an owner needs repo:read to list them and repo:admin to change them; "+
			"an organization access token cannot manage organization access tokens at all. "+
			"Sign in as an owner with a password (or a PAT with repo:admin).", w-4, "  ") +
		"\n\n  " + th.Dim.Render(text.Truncate("Docker Hub said: "+hub, w-4))
}

// Bindings are the keys of the view on screen. Every view lists the same
// actions (disabled where they do not apply), so help and the keymap know
// them all.
func (p *Pane) Bindings(env pane.Env) []pane.Binding {
	view := pane.Binding{Action: ActView, Keys: []string{"v"}, Help: "switch view: personal, organization, needs attention", Short: "view",
		Group: pane.GroupPanes, Run: func() tea.Cmd {
			p.view = (p.view + 1) % 3
			return nil
		}}
	account := pane.Binding{Action: ActAccount, Keys: []string{"A"}, Help: "your account: profile and e-mail addresses", Short: "account",
		Group: pane.GroupPanes, Run: func() tea.Cmd { p.openAccount(env); return nil }}
	var b []pane.Binding
	switch p.view {
	case Organization:
		b = p.oatBindings(env)
	case Attention:
		b = p.attBindings(env)
	default:
		b = p.patBindings(env)
	}
	// The view's own changes first (after esc), so the footer shows them
	// on a narrow terminal; then v, A and the list's keys.
	var out, rest []pane.Binding
	for _, x := range b {
		if x.Action == pane.ActBack || x.Group == "" && x.Mutates || x.Action == pane.ActOpen {
			out = append(out, x)
		} else {
			rest = append(rest, x)
		}
	}
	out = append(out, view, account)
	return append(out, rest...)
}

// splitList puts a list's esc and its first three keys (sort, reverse,
// mark) where the footer shows them.
func splitList(lb []pane.Binding) (back, first, rest []pane.Binding) {
	for _, b := range lb {
		if b.Action == pane.ActBack {
			back = append(back, b)
		} else {
			rest = append(rest, b)
		}
	}
	return back, rest[:3], rest[3:]
}

// openAccount pushes the Account page.
func (p *Pane) openAccount(env pane.Env) {
	env.Push(&Account{})
}
