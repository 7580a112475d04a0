// Package members is the Members pane: the organization's members as a
// streaming list with the Hub's own search and role and type filters, a
// detail page (teams, pending invites, recent audit events about the
// person), and the changes an owner makes (change roles, remove from the
// organization, one or many at once), plus saving the Hub's CSV export.
package members

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

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

// The pane's own actions, by config name.
const (
	ActSearch     = "search"
	ActRoleFilter = "filter_role"
	ActTypeFilter = "filter_type"
	ActChangeRole = "change_role"
	ActExport     = "export"
)

// SearchDelay is how long typing must pause before the search is sent to
// the Hub.
const SearchDelay = 300 * time.Millisecond

// Entry is the pane's registry line.
func Entry() pane.Entry {
	return pane.Entry{Kind: state.Members, Title: "Members", Command: "members", Usage: "members [SEARCH]",
		Help: "members, or a Hub search", Arg: "member", New: func() pane.Pane { return New() }}
}

// Columns of the members list.
const (
	colUsername = iota
	colFullName
	colEmail
	colRole
	colType
	colTeams
	colJoined
	colLastLogin
)

// Member types as the TYPE column shows them.
const (
	typeMember  = "member"
	typeInvitee = "invitee"
	typeGuest   = "guest"
)

// memberType is "member", "invitee" or "guest".
func memberType(m hubclient.Member) string {
	switch {
	case m.IsInvitee():
		return typeInvitee
	case m.IsGuest:
		return typeGuest
	}
	return typeMember
}

// name is what identifies m on screen: the username, or the e-mail address
// of an invitee without a Docker ID.
func name(m hubclient.Member) string {
	if m.Username != "" {
		return m.Username
	}
	return m.Email
}

// id is a row's identity: the username, or the invite of an invitee.
func id(m hubclient.Member) string {
	if m.IsInvitee() {
		return "invite:" + m.ID
	}
	return m.Username
}

func lastLogin(m hubclient.Member) time.Time {
	if m.LastLoggedInAt == nil {
		return time.Time{}
	}
	return *m.LastLoggedInAt
}

// Spec lists an org's members; the scope is the org, with the Hub's
// filters as a query ("acme?role=owner&search=jo").
func Spec() list.Spec[hubclient.Member] {
	return list.Spec[hubclient.Member]{
		Kind: state.Members,
		Noun: "members",
		Columns: []table.Column{
			{Title: "USERNAME", Min: 12, Max: 24, Flex: 2},
			{Title: "FULL NAME", Min: 10, Max: 24, Flex: 2},
			{Title: "E-MAIL", Min: 12, Max: 32, Flex: 2},
			{Title: "ROLE", Min: 7, Max: 7},
			{Title: "TYPE", Min: 7, Max: 7},
			{Title: "TEAMS", Min: 8, Flex: 3},
			{Title: "JOINED", Min: 10, Max: 10},
			{Title: "LAST LOGIN", Min: 10, Max: 10},
		},
		Cell: func(m hubclient.Member, col int) string {
			switch col {
			case colUsername:
				return name(m)
			case colFullName:
				return m.FullName
			case colEmail:
				return m.Email
			case colRole:
				return strings.ToLower(m.Role)
			case colType:
				return memberType(m)
			case colTeams:
				return strings.Join(m.Groups, ", ")
			case colJoined:
				return shortDate(m.DateJoined)
			case colLastLogin:
				return shortDate(lastLogin(m))
			}
			return ""
		},
		Schema: state.Schema[hubclient.Member]{
			Name: name,
			Compare: func(a, b hubclient.Member, col int) int {
				switch col {
				case colFullName:
					return strings.Compare(strings.ToLower(a.FullName), strings.ToLower(b.FullName))
				case colEmail:
					return strings.Compare(strings.ToLower(a.Email), strings.ToLower(b.Email))
				case colRole:
					return text.CompareInt(roleRank(a), roleRank(b))
				case colType:
					return strings.Compare(memberType(a), memberType(b))
				case colTeams:
					return text.CompareInt(len(a.Groups), len(b.Groups))
				case colJoined:
					return a.DateJoined.Compare(b.DateJoined)
				case colLastLogin:
					return lastLogin(a).Compare(lastLogin(b))
				}
				return strings.Compare(name(a), name(b))
			},
		},
		ID:        id,
		DescFirst: []int{colRole, colTeams, colJoined, colLastLogin},
		Fetch: func(c *hubclient.Client, scope string) hubclient.PageFunc[hubclient.Member] {
			f := parseScope(scope)
			return func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.Member, *hubclient.Response, error) {
				return c.Members.List(ctx, f.org, &hubclient.MemberListOptions{ListOptions: o, Search: f.search, Role: f.role, Type: f.typ})
			}
		},
	}
}

// shortDate is "2026-01-02", or "" for the zero time.
func shortDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// roleRank orders roles: invitee, member, editor, owner.
func roleRank(m hubclient.Member) int {
	switch m.OrgRole() {
	case hubclient.OrgRoleOwner:
		return 3
	case hubclient.OrgRoleEditor:
		return 2
	case hubclient.OrgRoleMember:
		return 1
	}
	return 0
}

// filters are what the Hub is asked for: the list's scope.
type filters struct {
	org    string
	search string
	role   string // "" or hubclient.OrgRole*
	typ    string // "" (members), hubclient.MemberTypeAll or MemberTypeInvitee
}

// scope is the list's scope for f: the org alone when nothing is filtered.
func (f filters) scope() string {
	q := url.Values{}
	if f.search != "" {
		q.Set("search", f.search)
	}
	if f.role != "" {
		q.Set("role", f.role)
	}
	if f.typ != "" {
		q.Set("type", f.typ)
	}
	if len(q) == 0 {
		return f.org
	}
	return f.org + "?" + q.Encode()
}

func parseScope(scope string) filters {
	org, rest, _ := strings.Cut(scope, "?")
	q, _ := url.ParseQuery(rest)
	return filters{org: org, search: q.Get("search"), role: q.Get("role"), typ: q.Get("type")}
}

// describe says what the Hub is asked for beyond the org ("" for nothing).
func (f filters) describe() string {
	var parts []string
	if f.search != "" {
		parts = append(parts, fmt.Sprintf("search %q", sanitize.String(f.search)))
	}
	if f.role != "" {
		parts = append(parts, "role "+f.role)
	}
	switch f.typ {
	case hubclient.MemberTypeAll:
		parts = append(parts, "members and invitees")
	case hubclient.MemberTypeInvitee:
		parts = append(parts, "invitees only")
	}
	return strings.Join(parts, " · ")
}

// Pane lists the org's members; enter opens a member's page.
type Pane struct {
	L *list.List[hubclient.Member]
	f filters
	// typed is the search as typed; it reaches the Hub once typing pauses
	// (searchGen names the newest pause timer).
	typed     string
	searchGen uint64
	// Delay is how long typing must pause before the search is sent
	// (SearchDelay unless set).
	Delay time.Duration
	// detail is the page pushed over the list, nil when none is.
	detail *Detail
	// savedNote says where the last export went, above the list.
	savedNote string
	// scopes are the filtered lists of the org this session has opened;
	// a change makes the ones not on screen load afresh when next shown.
	scopes map[string]bool
}

// New is the pane before its first visit.
func New() *Pane { return &Pane{L: list.New(Spec()), Delay: SearchDelay} }

// Kind is state.Members.
func (p *Pane) Kind() state.Kind { return state.Members }

// Title names the tab.
func (p *Pane) Title() string { return "Members" }

// Busy reports a load in flight.
func (p *Pane) Busy() bool { return p.L.Busy() }

// CanFilter is true: the list filters.
func (p *Pane) CanFilter() bool { return true }

// Query is the filter.
func (p *Pane) Query() string { return p.L.Query() }

// SetQuery changes the local filter.
func (p *Pane) SetQuery(_ pane.Env, q string) tea.Cmd { return p.L.SetQuery(q) }

// Move moves the cursor.
func (p *Pane) Move(env pane.Env, act string) { p.L.Move(env, act) }

// Selected is the username (or invitee's address) under the cursor.
func (p *Pane) Selected() (string, bool) {
	m, ok := p.L.Selected()
	return name(m), ok
}

// Complete offers the loaded usernames for "member" arguments.
func (p *Pane) Complete(what string, yield func(string) bool) {
	if what != "member" {
		return
	}
	for _, m := range p.L.Coll().Items {
		if m.Username != "" && !m.IsInvitee() && !yield(m.Username) {
			return
		}
	}
}

// Filters is what the Hub is asked for now: search, role and type.
func (p *Pane) Filters() (search, role, typ string) { return p.f.search, p.f.role, p.f.typ }

// Scope shows the members the Hub finds for search (a username, a name
// or an e-mail address).
func (p *Pane) Scope(env pane.Env, search string) (tea.Cmd, error) {
	if p.f.org != env.Org() {
		p.f = filters{org: env.Org()}
		p.savedNote, p.scopes = "", nil
		p.open(env)
	}
	p.typed = search
	return p.refilter(env, func(f *filters) { f.search = search }), nil
}

// open points the list at the scope of the filters.
func (p *Pane) open(env pane.Env) {
	if p.scopes == nil {
		p.scopes = map[string]bool{}
	}
	p.scopes[p.f.scope()] = true
	p.L.Open(env, p.f.scope())
}

// current reports whether the list on screen is the one the session's
// cache holds for its scope: a change made elsewhere (a team's page) puts
// a fresh one there, to be loaded.
func current(env pane.Env, l *list.List[hubclient.Member]) bool {
	c, ok := env.Cache().Get(state.Key{Kind: state.Members, Scope: l.Scope()})
	return ok && c == state.Sized(l.Coll())
}

// stale drops what the session holds of kind for scope, so the pane that
// shows it loads it afresh when next shown.
func stale[T any](env pane.Env, kind state.Kind, scope string) {
	key := state.Key{Kind: kind, Scope: scope}
	env.Cache().Put(key, state.NewCollection[T](key))
}

// staleOthers drops the org's other filtered lists: they show members as
// they were before a change.
func (p *Pane) staleOthers(env pane.Env) {
	for s := range p.scopes {
		if s != p.L.Scope() {
			stale[hubclient.Member](env, state.Members, s)
		}
	}
}

// Enter lists the org's members, going on from what this session holds.
func (p *Pane) Enter(env pane.Env) tea.Cmd {
	switch {
	case p.f.org != env.Org():
		p.f = filters{org: env.Org()}
		p.typed, p.savedNote, p.scopes = "", "", nil
		p.open(env)
	case !current(env, p.L):
		p.open(env)
	}
	return p.L.Ensure(env)
}

// Leave stops the load.
func (p *Pane) Leave(pane.Env) { p.L.Leave() }

// searchTick ends a pause in typing the search.
type searchTick struct{ gen uint64 }

// savedMsg is the end of saving the export.
type savedMsg struct {
	path   string
	rows   int
	exists bool // the file is there and was not replaced
	err    error
}

// Update takes the list's pages and derivations, the search's pauses and
// the end of a save.
func (p *Pane) Update(env pane.Env, msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case searchTick:
		if m.gen != p.searchGen {
			return nil // typing went on
		}
		return p.refilter(env, func(f *filters) { f.search = p.typed })
	case savedMsg:
		return p.saved(env, m)
	}
	cmd, _ := p.L.Update(env, msg)
	return cmd
}

// refilter asks the Hub for the list with change applied to the filters.
func (p *Pane) refilter(env pane.Env, change func(f *filters)) tea.Cmd {
	p.searchGen++ // a pending pause is overtaken
	f := p.f
	change(&f)
	f.search = strings.TrimSpace(f.search)
	if f == p.f {
		return nil
	}
	p.f = f
	p.open(env)
	return p.L.Ensure(env)
}

// typedSearch takes the search box's value: at once when final, else once
// typing pauses for SearchDelay.
func (p *Pane) typedSearch(env pane.Env, v string, final bool) tea.Cmd {
	p.typed = v
	if final {
		return p.refilter(env, func(f *filters) { f.search = v })
	}
	p.searchGen++
	gen := p.searchGen
	return tea.Tick(p.Delay, func(time.Time) tea.Msg { return searchTick{gen: gen} })
}

// Status is the list's counts and progress, and what the Hub was asked.
func (p *Pane) Status(env pane.Env) string {
	s := p.L.Status(env)
	if d := p.f.describe(); d != "" {
		s += " · Hub: " + d
	}
	return s
}

// View draws the list, under a line naming the Hub's filters when there are some.
func (p *Pane) View(env pane.Env, w, h int) string {
	if env.Org() == "" {
		return "\n  " + env.Spinner() + " finding your organizations…"
	}
	t := env.Theme()
	var head []string
	if d := p.f.describe(); d != "" {
		head = append(head, t.Dim.Render(text.Truncate(" Hub filter: "+d+"  ("+env.Key(ActSearch)+" search · "+env.Key(ActRoleFilter)+" role · "+
			env.Key(ActTypeFilter)+" type)", w)))
	}
	if p.savedNote != "" {
		head = append(head, t.OK.Render(text.Truncate(" "+p.savedNote, w)))
	}
	if len(head) == 0 || h < 6 {
		return p.L.View(env, w, h)
	}
	return strings.Join(head, "\n") + "\n" + p.L.View(env, w, h-len(head))
}

// Bindings are the pane's keys, in footer priority order.
func (p *Pane) Bindings(env pane.Env) []pane.Binding {
	m, ok := p.L.Selected()
	lb := p.L.Bindings(env)
	b := []pane.Binding{
		{Action: pane.ActOpen, Keys: []string{"enter"}, Help: "member details", Short: "open", Group: pane.GroupPanes,
			Disabled: pane.Gate(env, pane.RoleUnknown, ok), Run: func() tea.Cmd { return p.openDetail(env, m) }},
		{Action: ActSearch, Keys: []string{"f"}, Help: "search members on the Hub (name, username, e-mail)", Short: "search", Group: pane.GroupFind,
			Run: func() tea.Cmd {
				env.Ask(dialog.NewSearch("Search members of "+env.Org(),
					"The Hub matches usernames, full names and e-mail addresses; the list follows as you type. Empty shows everyone.",
					p.f.search, func(v string, final bool) tea.Cmd { return p.typedSearch(env, v, final) }))
				return nil
			}},
		{Action: ActRoleFilter, Keys: []string{"o"}, Help: "show one role: all, owner, editor, member", Short: "role", Group: pane.GroupFind,
			Run: func() tea.Cmd { return p.refilter(env, func(f *filters) { f.role = nextRole(f.role) }) }},
		{Action: ActTypeFilter, Keys: []string{"i"}, Help: "show members, members and invitees, or invitees", Group: pane.GroupFind,
			Run: func() tea.Cmd { return p.refilter(env, func(f *filters) { f.typ = nextType(f.typ) }) }},
	}
	b = append(b, lb[:3]...) // sort, reverse, mark
	b = append(b, p.roleBinding(env), p.removeBinding(env), p.exportBinding(env))
	return append(b, lb[3:]...)
}

func nextRole(r string) string {
	switch r {
	case "":
		return hubclient.OrgRoleOwner
	case hubclient.OrgRoleOwner:
		return hubclient.OrgRoleEditor
	case hubclient.OrgRoleEditor:
		return hubclient.OrgRoleMember
	}
	return ""
}

func nextType(t string) string {
	switch t {
	case "":
		return hubclient.MemberTypeAll
	case hubclient.MemberTypeAll:
		return hubclient.MemberTypeInvitee
	}
	return ""
}

// Pages are the pages this pane pushes, fresh, for the keymap.
func (p *Pane) Pages() []pane.Pane { return []pane.Pane{&Detail{root: p}} }

// openDetail pushes the page of m.
func (p *Pane) openDetail(env pane.Env, m hubclient.Member) tea.Cmd {
	d := &Detail{root: p, rootEnv: env, m: m}
	p.detail = d
	env.Push(d)
	return nil
}
