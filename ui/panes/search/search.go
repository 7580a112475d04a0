// Package search is Docker Hub's public repository search (`:search TERM`):
// name, description, stars, pulls, official; enter opens a read-only page
// with the repository's latest tags. It has no tab: the palette reaches it.
package search

import (
	"context"
	"errors"
	"fmt"
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

// Kind is the search's kind.
const Kind state.Kind = "search"

// Entry is the registry line: no tab, the :search command.
func Entry() pane.Entry {
	return pane.Entry{Kind: Kind, Title: "Search", Command: "search", Usage: "search TERM", Help: "search Docker Hub's public repositories",
		Arg: "term", Hidden: true, New: func() pane.Pane { return &Pane{L: list.New(spec())} }}
}

const (
	colName = iota
	colOfficial
	colStars
	colPulls
	colDesc
)

func spec() list.Spec[hubclient.SearchResult] {
	return list.Spec[hubclient.SearchResult]{
		Kind: Kind,
		Noun: "results",
		Columns: []table.Column{
			{Title: "NAME", Min: 16, Max: 48, Flex: 2},
			{Title: "OFFICIAL", Min: 8, Max: 8},
			{Title: "STARS", Min: 6, Max: 7, Align: lipgloss.Right},
			{Title: "PULLS", Min: 6, Max: 7, Align: lipgloss.Right},
			{Title: "DESCRIPTION", Min: 10, Flex: 3},
		},
		Cell: func(r hubclient.SearchResult, col int) string {
			switch col {
			case colName:
				return r.Name
			case colOfficial:
				if r.IsOfficial {
					return "official"
				}
				return ""
			case colStars:
				return text.HumanCount(r.StarCount)
			case colPulls:
				return text.HumanCount(r.PullCount)
			case colDesc:
				return r.Description
			}
			return ""
		},
		Schema: state.Schema[hubclient.SearchResult]{
			Name: func(r hubclient.SearchResult) string { return r.Name },
			Compare: func(a, b hubclient.SearchResult, col int) int {
				switch col {
				case colOfficial:
					return text.CompareBool(a.IsOfficial, b.IsOfficial)
				case colStars:
					return text.CompareInt(a.StarCount, b.StarCount)
				case colPulls:
					return text.CompareInt(a.PullCount, b.PullCount)
				case colDesc:
					return strings.Compare(a.Description, b.Description)
				}
				return strings.Compare(a.Name, b.Name)
			},
		},
		ID:        func(r hubclient.SearchResult) string { return r.Name },
		DescFirst: []int{colStars, colPulls},
		Fetch: func(c *hubclient.Client, term string) hubclient.PageFunc[hubclient.SearchResult] {
			return func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.SearchResult, *hubclient.Response, error) {
				o.PageSize = 50
				return c.Search.Repositories(ctx, term, &o)
			}
		},
	}
}

// Pane lists what a search found.
type Pane struct {
	L *list.List[hubclient.SearchResult]
}

// Kind is Kind.
func (p *Pane) Kind() state.Kind { return Kind }

// Title names it.
func (p *Pane) Title() string { return "Search" }

// Busy reports the search in flight.
func (p *Pane) Busy() bool { return p.L.Busy() }

// CanFilter is true once something was searched.
func (p *Pane) CanFilter() bool { return p.L.Scope() != "" }

// Query is the local filter.
func (p *Pane) Query() string { return p.L.Query() }

// SetQuery filters what was found.
func (p *Pane) SetQuery(_ pane.Env, q string) tea.Cmd { return p.L.SetQuery(q) }

// Move moves the cursor.
func (p *Pane) Move(env pane.Env, act string) { p.L.Move(env, act) }

// Selected is the repository under the cursor.
func (p *Pane) Selected() (string, bool) {
	r, ok := p.L.Selected()
	return r.Name, ok
}

// Crumbs say what was searched.
func (p *Pane) Crumbs() []string {
	if p.L.Scope() == "" {
		return nil
	}
	return []string{"Search", fmt.Sprintf("%q", p.L.Scope())}
}

// Scope searches for term.
func (p *Pane) Scope(env pane.Env, term string) (tea.Cmd, error) {
	term = strings.TrimSpace(term)
	if term == "" {
		return nil, errors.New("search for what? :search TERM, like :search postgres")
	}
	if p.L.Scope() != term {
		p.L.Open(env, term)
	}
	return nil, nil
}

// Enter runs the search.
func (p *Pane) Enter(env pane.Env) tea.Cmd {
	if p.L.Scope() == "" {
		return nil
	}
	return p.L.Ensure(env)
}

// Leave stops it.
func (p *Pane) Leave(pane.Env) { p.L.Leave() }

// Update takes the pages.
func (p *Pane) Update(env pane.Env, msg tea.Msg) tea.Cmd {
	cmd, _ := p.L.Update(env, msg)
	return cmd
}

// Bindings open a result, copy its pull command, and the list's.
func (p *Pane) Bindings(env pane.Env) []pane.Binding {
	r, ok := p.L.Selected()
	why := pane.Gate(env, pane.RoleUnknown, ok)
	out := []pane.Binding{
		{Action: pane.ActOpen, Keys: []string{"enter"}, Help: "the repository and its latest tags", Short: "open", Group: pane.GroupPanes,
			Disabled: why, Run: func() tea.Cmd { env.Push(&Detail{r: r}); return nil }},
		{Action: pane.ActCopy, Keys: []string{"y"}, Help: "copy docker pull NAME", Short: "copy", Group: pane.GroupGeneral,
			Disabled: why, Run: func() tea.Cmd {
				cmd := "docker pull " + sanitize.String(r.Name)
				env.Copy(cmd)
				env.Say("copied " + cmd)
				return nil
			}},
	}
	return append(out, p.L.Bindings(env)...)
}

// Status says what was searched and how much was found.
func (p *Pane) Status(env pane.Env) string {
	if p.L.Scope() == "" {
		return ""
	}
	return fmt.Sprintf("search %q · %s", sanitize.String(p.L.Scope()), p.L.Status(env))
}

// View is the results, or how to search.
func (p *Pane) View(env pane.Env, w, h int) string {
	if p.L.Scope() == "" {
		return "\n  " + env.Theme().Title.Render("Search") + "\n\n  " + text.Wrap("Type :search TERM to search Docker Hub's public repositories.", w-4, "  ")
	}
	return p.L.View(env, w, h)
}

// Detail is a found repository, read only, with its latest tags.
type Detail struct {
	r      hubclient.SearchResult
	tags   []hubclient.Tag
	err    error
	done   bool
	gen    uint64
	cancel context.CancelFunc
}

// latestTags is how many tags the page lists.
const latestTags = 25

// Kind is Kind.
func (d *Detail) Kind() state.Kind { return Kind }

// Title is the repository.
func (d *Detail) Title() string { return d.r.Name }

// Selected is the repository.
func (d *Detail) Selected() (string, bool) { return d.r.Name, true }

// Enter fetches the latest tags.
func (d *Detail) Enter(env pane.Env) tea.Cmd {
	c := env.Client()
	if d.done || c == nil {
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	d.cancel, d.gen = cancel, env.NextGen()
	ns, name, _ := strings.Cut(d.r.Ref(), "/")
	return list.Call(ctx, state.Key{Kind: Kind, Scope: d.r.Name}, d.gen, func(ctx context.Context) ([]hubclient.Tag, error) {
		tags, _, err := c.Tags.List(ctx, ns, name, &hubclient.TagListOptions{ListOptions: hubclient.ListOptions{PageSize: latestTags}})
		return tags, err
	})
}

// Leave stops the fetch.
func (d *Detail) Leave(pane.Env) {
	if d.cancel != nil {
		d.cancel()
		d.cancel = nil
	}
}

// Update takes the tags.
func (d *Detail) Update(env pane.Env, msg tea.Msg) tea.Cmd {
	m, ok := msg.(list.Result[[]hubclient.Tag])
	if !ok || m.Gen != d.gen || errors.Is(m.Err, context.Canceled) {
		return nil
	}
	d.tags, d.err, d.done = m.Val, m.Err, true
	return nil
}

// Bindings: all the tags in the Tags pane.
func (d *Detail) Bindings(env pane.Env) []pane.Binding {
	return []pane.Binding{{Action: "tags", Keys: []string{"t"}, Help: "every tag, in the Tags pane", Short: "tags", Group: pane.GroupPanes,
		Run: func() tea.Cmd { env.Open(state.Tags, d.r.Ref()); return nil }}}
}

// Status says what loads.
func (d *Detail) Status(env pane.Env) string {
	if !d.done {
		return env.Spinner() + " loading tags…"
	}
	return sanitize.String(d.r.Name)
}

// View draws the repository and its tags.
func (d *Detail) View(env pane.Env, w, h int) string {
	t := env.Theme()
	field := func(label, v string) string {
		return t.Label.Render(fmt.Sprintf("  %-13s", label)) + text.Truncate(sanitize.String(v), max(10, w-17))
	}
	official := "no"
	if d.r.IsOfficial {
		official = "yes (Docker Official Image)"
	}
	out := []string{"", "  " + t.Title.Render(sanitize.String(d.r.Name)), "",
		field("Description", text.OrDash(d.r.Description)),
		field("Stars", text.Commas(d.r.StarCount)),
		field("Pulls", text.Commas(d.r.PullCount)),
		field("Official", official),
		field("Pull", "docker pull "+d.r.Name),
		"", "  " + t.Title.Render("Latest tags"),
	}
	switch {
	case d.err != nil:
		out = append(out, "  "+t.Error.Render(pane.Describe(d.err)))
	case !d.done:
		out = append(out, "  "+env.Spinner()+" loading…")
	case len(d.tags) == 0:
		out = append(out, "  "+t.Dim.Render("no tags"))
	}
	for _, tg := range d.tags {
		if len(out) >= h-1 {
			break
		}
		out = append(out, fmt.Sprintf("  %-30s %9s  %s", text.Truncate(sanitize.String(tg.Name), 30), text.Bytes(tg.FullSize), text.ShortTime(tg.TagLastPushed)))
	}
	return strings.Join(out, "\n")
}
