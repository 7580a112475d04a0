// Package access is the access review (`:access`, `:access alice`,
// `:access acme/web`): every member's permission on each repository and the
// team it comes through, owners marked, filtered to a member or a
// repository, with the parts the Hub did not answer named. It has no tab.
package access

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	saccess "github.com/hubtui/hubtui/state/access"
	"github.com/hubtui/hubtui/ui/list"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/table"
	"github.com/hubtui/hubtui/ui/text"
)

// Kind is the access review's kind.
const Kind state.Kind = "access"

// Entry is the registry line: no tab, the :access command.
func Entry() pane.Entry {
	return pane.Entry{Kind: Kind, Title: "Access", Command: "access", Usage: "access [USER|NS/REPO]",
		Help: "who can do what: members, teams and repository permissions", Arg: "access", Hidden: true,
		New: func() pane.Pane { return New() }}
}

const (
	colMember = iota
	colRole
	colRepo
	colPerm
	colTeam
)

// Pane is the review.
type Pane struct {
	L *list.List[saccess.Grant]
	// progress of the load in flight, written by its goroutines.
	done, total atomic.Int64
	unanswered  atomic.Pointer[[]string]
	minPerm     string
}

// New is the review of the whole org.
func New() *Pane {
	p := &Pane{}
	p.L = list.New(p.spec())
	return p
}

func (p *Pane) spec() list.Spec[saccess.Grant] {
	return list.Spec[saccess.Grant]{
		Kind: Kind,
		Noun: "grants",
		Columns: []table.Column{
			{Title: "MEMBER", Min: 10, Max: 30, Flex: 1},
			{Title: "ROLE", Min: 7, Max: 7},
			{Title: "REPOSITORY", Min: 14, Max: 50, Flex: 2},
			{Title: "PERMISSION", Min: 10, Max: 10},
			{Title: "THROUGH", Min: 10, Max: 30, Flex: 1},
		},
		Cell: func(g saccess.Grant, col int) string {
			switch col {
			case colMember:
				return g.Member
			case colRole:
				return strings.ToLower(g.Role)
			case colRepo:
				if g.Repository == saccess.AllRepositories {
					return "every repository"
				}
				return g.Repository
			case colPerm:
				return g.Permission
			case colTeam:
				if g.Team == "" {
					return "owner of the org"
				}
				return "team " + g.Team
			}
			return ""
		},
		Schema: state.Schema[saccess.Grant]{
			Name: func(g saccess.Grant) string { return g.Member + " " + g.Repository + " " + g.Team },
			Compare: func(a, b saccess.Grant, col int) int {
				switch col {
				case colRole:
					return strings.Compare(a.Role, b.Role)
				case colRepo:
					return strings.Compare(a.Repository, b.Repository)
				case colPerm:
					return saccess.Rank(a.Permission) - saccess.Rank(b.Permission)
				case colTeam:
					return strings.Compare(a.Team, b.Team)
				}
				return strings.Compare(a.Member, b.Member)
			},
		},
		ID: func(g saccess.Grant) string { return g.Member + "\x00" + g.Repository + "\x00" + g.Team },
		Fetch: func(c *hubclient.Client, scope string) hubclient.PageFunc[saccess.Grant] {
			org, filter, _ := strings.Cut(scope, "|")
			// The review is read whole once per load and served as pages.
			var once sync.Once
			var all []saccess.Grant
			var loadErr error
			return func(ctx context.Context, o hubclient.ListOptions) ([]saccess.Grant, *hubclient.Response, error) {
				once.Do(func() {
					p.done.Store(0)
					p.total.Store(0)
					rep, err := saccess.Load(ctx, c, org, func(done, total int) { p.done.Store(int64(done)); p.total.Store(int64(total)) })
					if err != nil {
						loadErr = err
						return
					}
					un := rep.Unanswered
					p.unanswered.Store(&un)
					member, repo := filter, ""
					if strings.Contains(filter, "/") {
						member, repo = "", filter
					}
					all = saccess.Filter(rep.Grants, member, repo)
				})
				if loadErr != nil {
					return nil, nil, loadErr
				}
				size := o.PageSize
				if size == 0 {
					size = hubclient.MaxPageSize
				}
				from := min(len(all), (max(1, o.Page)-1)*size)
				to := min(len(all), from+size)
				resp := &hubclient.Response{Count: len(all)}
				if to < len(all) {
					resp.Next = "more"
				}
				return all[from:to], resp, nil
			}
		},
	}
}

// Kind is Kind.
func (p *Pane) Kind() state.Kind { return Kind }

// Title names it.
func (p *Pane) Title() string { return "Access" }

// Busy reports the load.
func (p *Pane) Busy() bool { return p.L.Busy() }

// CanFilter is true.
func (p *Pane) CanFilter() bool { return true }

// Query is the local filter.
func (p *Pane) Query() string { return p.L.Query() }

// SetQuery filters the grants.
func (p *Pane) SetQuery(_ pane.Env, q string) tea.Cmd { return p.L.SetQuery(q) }

// Move moves the cursor.
func (p *Pane) Move(env pane.Env, act string) { p.L.Move(env, act) }

// Selected is the member under the cursor.
func (p *Pane) Selected() (string, bool) {
	g, ok := p.L.Selected()
	return g.Member, ok
}

// Crumbs say what is reviewed.
func (p *Pane) Crumbs() []string {
	_, f, _ := strings.Cut(p.L.Scope(), "|")
	if f == "" {
		return []string{"Access"}
	}
	return []string{"Access", f}
}

// Scope reviews one member ("alice"), one repository ("acme/web" or a
// bare name of the org), or everyone ("").
func (p *Pane) Scope(env pane.Env, arg string) (tea.Cmd, error) {
	arg = strings.TrimSpace(arg)
	if arg != "" && !strings.Contains(arg, "/") && p.isRepo(env, arg) {
		arg = env.Org() + "/" + arg
	}
	p.open(env, arg)
	return nil, nil
}

// isRepo reports whether name is one of the org's repositories as far as
// this session has loaded them (else it reads as a member).
func (p *Pane) isRepo(env pane.Env, name string) bool {
	c, ok := env.Cache().Get(state.Key{Kind: state.Repos, Scope: env.Org()})
	if !ok {
		return false
	}
	coll, ok := c.(*state.Collection[hubclient.Repository])
	return ok && coll.Find(func(r hubclient.Repository) bool { return r.Name == name }) >= 0
}

func (p *Pane) open(env pane.Env, filter string) {
	scope := env.Org() + "|" + filter
	if p.L.Scope() != scope {
		p.L.Open(env, scope)
	}
}

// Enter loads the review (once per scope; r loads it again).
func (p *Pane) Enter(env pane.Env) tea.Cmd {
	if p.L.Scope() == "" || !strings.HasPrefix(p.L.Scope(), env.Org()+"|") {
		p.open(env, "")
	}
	return p.L.Ensure(env)
}

// Leave stops the load.
func (p *Pane) Leave(pane.Env) { p.L.Leave() }

// Update takes the list's messages.
func (p *Pane) Update(env pane.Env, msg tea.Msg) tea.Cmd {
	cmd, _ := p.L.Update(env, msg)
	return cmd
}

// ActAtLeast cycles the least permission shown.
const ActAtLeast = "min_permission"

// Bindings: the least permission shown, and the list's.
func (p *Pane) Bindings(env pane.Env) []pane.Binding {
	next := map[string]string{"": "write", "write": "admin", "admin": ""}[p.minPerm]
	help := "show only write and admin (who can push)"
	switch next {
	case "admin":
		help = "show only admin"
	case "":
		help = "show every permission"
	}
	return append([]pane.Binding{{Action: ActAtLeast, Keys: []string{"w"}, Help: help, Short: "≥" + text.OrDash(next), Group: pane.GroupFind,
		Run: func() tea.Cmd {
			p.minPerm = next
			q := ""
			switch next {
			case "write":
				q = "!'read"
			case "admin":
				q = "!'read !'write"
			}
			return p.L.SetQuery(q)
		}}}, p.L.Bindings(env)...)
}

// Status is the load's progress, then the counts and what the Hub did not answer.
func (p *Pane) Status(env pane.Env) string {
	if p.L.Busy() {
		if t := p.total.Load(); t > 0 {
			return fmt.Sprintf("%s access: %d of %d repositories asked", env.Spinner(), p.done.Load(), t)
		}
		return env.Spinner() + " access: listing members and repositories…"
	}
	s := p.L.Status(env)
	if un := p.unanswered.Load(); un != nil && len(*un) > 0 {
		s += fmt.Sprintf(" · the Hub did not answer for %d repositories (first: %s)", len(*un), sanitize.String((*un)[0]))
	}
	return s
}

// View is the table.
func (p *Pane) View(env pane.Env, w, h int) string { return p.L.View(env, w, h) }
