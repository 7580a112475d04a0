package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/table"
)

// Columns of the repositories list.
const (
	repoColName = iota
	repoColVisibility
	repoColPulls
	repoColStars
	repoColPushed
	repoColDescription
)

// reposSpec lists an org's repositories.
func reposSpec() listSpec[hubclient.Repository] {
	return listSpec[hubclient.Repository]{
		kind: state.Repos,
		noun: "repositories",
		columns: []table.Column{
			{Title: "NAME", Min: 16, Max: 36, Flex: 2},
			{Title: "VISIBILITY", Min: 10, Max: 10},
			{Title: "PULLS", Min: 6, Max: 7, Align: lipgloss.Right},
			{Title: "STARS", Min: 5, Max: 6, Align: lipgloss.Right},
			{Title: "LAST PUSHED", Min: 16, Max: 16},
			{Title: "DESCRIPTION", Min: 11, Flex: 3},
		},
		cell: func(r hubclient.Repository, col int) string {
			switch col {
			case repoColName:
				return r.Name
			case repoColVisibility:
				return visibility(r.IsPrivate)
			case repoColPulls:
				return humanCount(r.PullCount)
			case repoColStars:
				return humanCount(r.StarCount)
			case repoColPushed:
				return shortTime(repoPushed(r))
			case repoColDescription:
				return r.Description
			}
			return ""
		},
		schema: state.Schema[hubclient.Repository]{
			Name: func(r hubclient.Repository) string { return r.Name },
			Compare: func(a, b hubclient.Repository, col int) int {
				switch col {
				case repoColVisibility:
					return compareBool(a.IsPrivate, b.IsPrivate)
				case repoColPulls:
					return compareInt(a.PullCount, b.PullCount)
				case repoColStars:
					return compareInt(a.StarCount, b.StarCount)
				case repoColPushed:
					return repoPushed(a).Compare(repoPushed(b))
				case repoColDescription:
					return strings.Compare(a.Description, b.Description)
				}
				return strings.Compare(a.Name, b.Name)
			},
		},
		id:        func(r hubclient.Repository) string { return r.Namespace + "/" + r.Name },
		descFirst: []int{repoColPulls, repoColStars, repoColPushed},
		fetch: func(c *hubclient.Client, org string) hubclient.PageFunc[hubclient.Repository] {
			return func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.Repository, *hubclient.Response, error) {
				return c.Repos.List(ctx, org, &hubclient.RepoListOptions{ListOptions: o})
			}
		},
	}
}

// reposPane lists the org's repositories; enter opens a detail view, t the tags.
type reposPane struct {
	l       *list[hubclient.Repository]
	detail  *hubclient.Repository // nil: the list is shown
	info    *hubclient.RepositoryInfo
	infoErr error
	infoGen uint64
	scroll  int
	cancel  context.CancelFunc
}

func newReposPane() *reposPane { return &reposPane{l: newList(reposSpec())} }

func (p *reposPane) kind() state.Kind { return state.Repos }
func (p *reposPane) title() string    { return "Repos" }
func (p *reposPane) busy() bool       { return p.l.coll.Status == state.Loading }
func (p *reposPane) filterable() bool { return p.detail == nil }
func (p *reposPane) query() string    { return p.l.want.Query }

func (p *reposPane) enter(a *App) tea.Cmd {
	if p.l.scope != a.sess.Org {
		p.l.reset(a.sess.Org)
		p.detail, p.info = nil, nil
	}
	cmd := p.l.ensure(a)
	if p.detail != nil && p.info == nil && p.infoErr == nil {
		cmd = tea.Batch(cmd, p.fetchInfo(a, *p.detail)) // left while it loaded
	}
	return cmd
}

func (p *reposPane) leave(*App) {
	p.l.leave()
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
}

func (p *reposPane) setQuery(_ *App, q string) tea.Cmd { return p.l.setQuery(q) }

func (p *reposPane) selectedName() string {
	if p.detail != nil {
		return p.detail.Namespace + "/" + p.detail.Name
	}
	if r, ok := p.l.selected(); ok {
		return r.Namespace + "/" + r.Name
	}
	return ""
}

func (p *reposPane) crumbs() []string {
	if p.detail != nil {
		return []string{"Repos", p.detail.Namespace + "/" + p.detail.Name}
	}
	return nil
}

func (p *reposPane) applies(act Action) bool {
	if p.detail != nil {
		switch act {
		case ActFilter, ActSort, ActSortReverse, ActMark, ActMarkAll:
			return false
		}
	}
	return true
}

func (p *reposPane) footer(*App) []Action {
	if p.detail != nil {
		return []Action{ActBack, ActTags, ActEdit, ActPrivacy, ActDelete, ActCopy, ActRefresh}
	}
	// In priority order: the footer shows what fits from the left.
	return []Action{ActOpen, ActTags, ActSort, ActMark, ActCopy, ActDelete, ActNew, ActEdit, ActPrivacy, ActRefresh}
}

func (p *reposPane) status(a *App) string {
	if p.detail != nil {
		if p.info == nil && p.infoErr == nil {
			return a.spin.View() + " loading repository details…"
		}
		return p.l.status(a)
	}
	return p.l.status(a)
}

func (p *reposPane) action(a *App, act Action) (tea.Cmd, bool) {
	if cmd, ok := p.repoAction(a, act); ok {
		return cmd, true
	}
	if p.detail != nil {
		switch act {
		case ActBack:
			p.detail, p.info, p.infoErr = nil, nil, nil
			if p.cancel != nil {
				p.cancel()
			}
			return nil, true
		case ActUp:
			p.scroll = max(0, p.scroll-1)
			return nil, true
		case ActDown:
			p.scroll++
			return nil, true
		case ActTop:
			p.scroll = 0
			return nil, true
		case ActBottom:
			p.scroll = 1 << 30 // view clamps it
			return nil, true
		case ActPageDown, ActHalfDown:
			p.scroll += max(1, (a.h-5)/2)
			return nil, true
		case ActPageUp, ActHalfUp:
			p.scroll = max(0, p.scroll-max(1, (a.h-5)/2))
			return nil, true
		case ActTags:
			return a.openTags(p.detail.Namespace + "/" + p.detail.Name), true
		case ActRefresh:
			return p.fetchInfo(a, *p.detail), true
		}
		return nil, false
	}
	if cmd, ok := p.l.common(a, act); ok || act == ActBack {
		return cmd, true
	}
	switch act {
	case ActOpen:
		r, ok := p.l.selected()
		if !ok {
			return nil, true
		}
		p.detail, p.info, p.infoErr, p.scroll = &r, nil, nil, 0
		return p.fetchInfo(a, r), true
	case ActTags:
		if r, ok := p.l.selected(); ok {
			return a.openTags(r.Namespace + "/" + r.Name), true
		}
		return nil, true
	}
	return nil, false
}

// fetchInfo loads the repository's full record (README, permissions,
// immutable tag rules) for the detail view.
func (p *reposPane) fetchInfo(a *App, r hubclient.Repository) tea.Cmd {
	if p.cancel != nil {
		p.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	a.gen++
	p.infoGen = a.gen
	c := a.sess.Client
	ns, name := r.Namespace, r.Name
	return call(ctx, state.Key{Kind: state.Repos, Scope: ns + "/" + name}, p.infoGen, func(ctx context.Context) (*hubclient.RepositoryInfo, error) {
		info, _, err := c.Repos.Get(ctx, ns, name)
		return info, err
	})
}

func (p *reposPane) handleMsg(a *App, msg tea.Msg) tea.Cmd {
	if m, ok := msg.(resultMsg[*hubclient.RepositoryInfo]); ok {
		if m.gen != p.infoGen || p.detail == nil || errors.Is(m.err, context.Canceled) {
			return nil // stale, or cancelled by leaving the pane (enter fetches again)
		}
		p.info, p.infoErr = m.val, m.err
		if m.err != nil {
			a.setErr(fmt.Errorf("repository %s: %w", m.key.Scope, m.err))
		}
		return nil
	}
	cmd, _ := p.l.handle(a, msg)
	return cmd
}

func (p *reposPane) view(a *App, w, h int) string {
	if a.sess.Org == "" {
		return "\n  " + a.spin.View() + " finding your organizations…"
	}
	if p.detail == nil {
		return p.l.view(a, w, h)
	}
	lines := p.detailLines(a, w)
	p.scroll = min(p.scroll, max(0, len(lines)-h))
	return strings.Join(lines[p.scroll:], "\n")
}

// detailLines renders the detail view; every server string is sanitised.
func (p *reposPane) detailLines(a *App, w int) []string {
	t := a.theme
	r := *p.detail
	field := func(label, value string) string {
		return t.Label.Render(fmt.Sprintf("  %-16s", label)) + truncate(sanitize.String(value), max(10, w-20))
	}
	lines := []string{
		"",
		"  " + t.Title.Render(sanitize.String(r.Namespace+"/"+r.Name)) + "  " + t.Dim.Render(visibility(r.IsPrivate)),
		"",
		field("Description", orDash(r.Description)),
		field("Pulls", commas(r.PullCount)),
		field("Stars", commas(r.StarCount)),
		field("Last pushed", longTime(repoPushed(r))),
		field("Created", longTime(r.DateRegistered)),
	}
	switch {
	case p.infoErr != nil:
		lines = append(lines, "", "  "+t.Error.Render(describeErr(p.infoErr)))
	case p.info == nil:
		lines = append(lines, "", "  "+a.spin.View()+" loading details…")
	default:
		in := p.info
		perms := []string{}
		if in.Permissions.Read {
			perms = append(perms, "read")
		}
		if in.Permissions.Write {
			perms = append(perms, "write")
		}
		if in.Permissions.Admin {
			perms = append(perms, "admin")
		}
		imm := "off"
		if in.ImmutableTagsSettings.Enabled {
			imm = "on: " + strings.Join(in.ImmutableTagsSettings.Rules, ", ")
		}
		lines = append(lines,
			field("Status", in.StatusDescription),
			field("Your access", orDash(strings.Join(perms, ", "))),
			field("Immutable tags", imm),
			field("Collaborators", commas(in.CollaboratorCount)),
		)
		if in.StorageSize != nil {
			lines = append(lines, field("Storage", humanBytes(*in.StorageSize)))
		}
		lines = append(lines, "", "  "+t.Title.Render("README"), "")
		readme := in.FullDescription
		if strings.TrimSpace(readme) == "" {
			lines = append(lines, "  "+t.Dim.Render("No full description."))
		}
		for _, l := range strings.Split(sanitize.Text(readme), "\n") {
			lines = append(lines, "  "+truncate(l, max(10, w-4)))
		}
	}
	lines = append(lines, "", "  "+t.Dim.Render("t tags · y copy name · r refresh · esc back"))
	return lines
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

func visibility(private bool) string {
	if private {
		return "private"
	}
	return "public"
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

func compareInt[N int | int64](a, b N) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// humanCount is 1.2k / 3.4M style.
func humanCount[N int | int64](n N) string {
	f := float64(n)
	switch {
	case f >= 1e9:
		return fmt.Sprintf("%.1fB", f/1e9)
	case f >= 1e6:
		return fmt.Sprintf("%.1fM", f/1e6)
	case f >= 1e4:
		return fmt.Sprintf("%.0fk", f/1e3)
	case f >= 1e3:
		return fmt.Sprintf("%.1fk", f/1e3)
	}
	return fmt.Sprintf("%d", n)
}

// commas is 2,710,159 style.
func commas(n int64) string {
	s := fmt.Sprintf("%d", n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// humanBytes is 12.3 MB style.
func humanBytes(n int64) string {
	f := float64(n)
	for _, u := range []string{"B", "kB", "MB", "GB", "TB"} {
		if f < 1000 || u == "TB" {
			if u == "B" {
				return fmt.Sprintf("%d B", n)
			}
			return fmt.Sprintf("%.1f %s", f, u)
		}
		f /= 1000
	}
	return ""
}

// shortTime is "2024-05-01" or "—".
func shortTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

func longTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// repoPushed is when the repository last changed (a push updates it).
func repoPushed(r hubclient.Repository) time.Time { return r.LastUpdated }
