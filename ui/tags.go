package ui

import (
	"context"
	"fmt"
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/table"
)

// Columns of the tags list.
const (
	tagColName = iota
	tagColDigest
	tagColSize
	tagColPlatforms
	tagColPushed
	tagColPulled
)

// tagsSpec lists a repository's tags.
func tagsSpec() listSpec[hubclient.Tag] {
	return listSpec[hubclient.Tag]{
		kind: state.Tags,
		noun: "tags",
		columns: []table.Column{
			{Title: "TAG", Min: 12, Max: 40, Flex: 2},
			{Title: "DIGEST", Min: 19, Max: 19},
			{Title: "SIZE", Min: 9, Max: 9, Align: lipgloss.Right},
			{Title: "PLATFORMS", Min: 12, Max: 44, Flex: 2},
			{Title: "LAST PUSHED", Min: 16, Max: 16},
			{Title: "LAST PULLED", Min: 16, Max: 16},
		},
		cell: func(t hubclient.Tag, col int) string {
			switch col {
			case tagColName:
				return t.Name
			case tagColDigest:
				return shortDigest(t.Digest)
			case tagColSize:
				return humanBytes(t.FullSize)
			case tagColPlatforms:
				return platforms(t)
			case tagColPushed:
				return shortTime(t.TagLastPushed)
			case tagColPulled:
				return shortTime(t.TagLastPulled)
			}
			return ""
		},
		schema: state.Schema[hubclient.Tag]{
			Name: func(t hubclient.Tag) string { return t.Name },
			Compare: func(a, b hubclient.Tag, col int) int {
				switch col {
				case tagColDigest:
					return strings.Compare(a.Digest, b.Digest)
				case tagColSize:
					return compareInt(a.FullSize, b.FullSize)
				case tagColPlatforms:
					return strings.Compare(platforms(a), platforms(b))
				case tagColPushed:
					return a.TagLastPushed.Compare(b.TagLastPushed)
				case tagColPulled:
					return a.TagLastPulled.Compare(b.TagLastPulled)
				}
				return strings.Compare(a.Name, b.Name)
			},
		},
		id:        func(t hubclient.Tag) string { return t.Name },
		descFirst: []int{tagColSize, tagColPushed, tagColPulled},
		fetch: func(c *hubclient.Client, ref string) hubclient.PageFunc[hubclient.Tag] {
			ns, repo, _ := strings.Cut(ref, "/")
			return func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.Tag, *hubclient.Response, error) {
				return c.Tags.List(ctx, ns, repo, &hubclient.TagListOptions{ListOptions: o})
			}
		},
	}
}

// shortDigest is "sha256:0123456789ab".
func shortDigest(d string) string {
	if len(d) > 19 {
		return d[:19]
	}
	return d
}

// platforms is "linux/amd64, linux/arm64/v8".
func platforms(t hubclient.Tag) string {
	parts := make([]string, 0, len(t.Images))
	for _, im := range t.Images {
		parts = append(parts, im.Platform())
	}
	return strings.Join(parts, ", ")
}

// tagsPane lists the tags of one repository (`:tags acme/web`, or t on a repository).
type tagsPane struct {
	l *list[hubclient.Tag]
}

func newTagsPane() *tagsPane { return &tagsPane{l: newList(tagsSpec())} }

func (p *tagsPane) kind() state.Kind { return state.Tags }
func (p *tagsPane) title() string    { return "Tags" }
func (p *tagsPane) busy() bool       { return p.l.coll.Status == state.Loading }
func (p *tagsPane) filterable() bool { return p.l.scope != "" }
func (p *tagsPane) query() string    { return p.l.want.Query }
func (p *tagsPane) leave(*App)       { p.l.leave() }

func (p *tagsPane) enter(a *App) tea.Cmd {
	if p.l.scope == "" {
		return nil
	}
	return p.l.ensure(a)
}

func (p *tagsPane) setQuery(_ *App, q string) tea.Cmd { return p.l.setQuery(q) }

func (p *tagsPane) selectedName() string {
	if t, ok := p.l.selected(); ok {
		return p.l.scope + ":" + t.Name
	}
	return ""
}

func (p *tagsPane) crumbs() []string {
	if p.l.scope == "" {
		return nil
	}
	return []string{"Repos", p.l.scope, "Tags"}
}

func (p *tagsPane) applies(act Action) bool {
	switch act {
	case ActTags, ActOpen, ActNew, ActEdit, ActPrivacy:
		return false
	}
	return true
}

func (p *tagsPane) footer(*App) []Action {
	return []Action{ActBack, ActSort, ActMark, ActDelete, ActCopy, ActRefresh}
}

func (p *tagsPane) status(a *App) string {
	if p.l.scope == "" {
		return ""
	}
	// The repository leads: the breadcrumb is gone on narrow terminals, and
	// D should never leave a doubt about where it deletes.
	return sanitize.String(p.l.scope) + " · " + p.l.status(a)
}

func (p *tagsPane) action(a *App, act Action) (tea.Cmd, bool) {
	if p.l.scope == "" {
		return nil, false
	}
	if cmd, ok := p.l.common(a, act); ok {
		return cmd, true
	}
	switch act {
	case ActDelete:
		return p.askDelete(a), true
	case ActBack:
		return a.switchPane(a.paneIndex(state.Repos)), true
	case ActNew, ActEdit, ActPrivacy, ActTags, ActOpen:
		return nil, true
	}
	return nil, false
}

// askDelete asks before deleting the marked tags, or the one under the cursor.
func (p *tagsPane) askDelete(a *App) tea.Cmd {
	names := p.l.tbl.MarkedIDs()
	if len(names) == 0 {
		t, ok := p.l.selected()
		if !ok {
			return nil
		}
		names = []string{t.Name}
	}
	sort.Strings(names)
	ref, coll := p.l.scope, p.l.coll // the list the user is looking at now, read in Update
	ns, repo, _ := strings.Cut(ref, "/")
	title := "Delete " + ref + ":" + names[0] + "?"
	body := "Pulls of this tag will fail. The image stays while other tags use it."
	if len(names) > 1 {
		title = fmt.Sprintf("Delete %d tags of %s?", len(names), ref)
		shown := names
		if len(shown) > 12 {
			shown = append(shown[:12:12], fmt.Sprintf("… and %d more", len(names)-12))
		}
		body = strings.Join(shown, ", ") + "\n\nPulls of these tags will fail."
	}
	if p.l.markRule != "" && p.l.tbl.MarkedCount() > 0 {
		body += "\n\nChosen by the filter: " + p.l.markRule + "."
	}
	run := func() tea.Cmd {
		what := fmt.Sprintf("deleting %d tag(s) of %s", len(names), ref)
		return a.mutateEach(what, fmt.Sprintf("deleted %d tag(s) of %s", len(names), ref), func(ctx context.Context, c *hubclient.Client) (func(*App) tea.Cmd, error) {
			gone := map[string]bool{}
			var errs []error
			for _, n := range names {
				if err := ctx.Err(); err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", n, err))
					continue
				}
				rctx, cancel := context.WithTimeout(ctx, mutationTimeout) // each request its own time: a bulk delete may wait for the rate limit
				_, err := c.Tags.Delete(rctx, ns, repo, n)
				cancel()
				if err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", n, err))
					continue
				}
				gone[n] = true
			}
			apply := func(a *App) tea.Cmd {
				if p.l.coll != coll {
					return nil // the pane shows another repository now
				}
				p.l.keepCursor() // on the tag it was on, when that one stays
				coll.RemoveWhere(func(t hubclient.Tag) bool { return gone[t.Name] })
				p.l.tbl.ClearMarks()
				return p.l.itemsChanged()
			}
			if len(errs) > 0 {
				return apply, partialError{total: len(names), errs: errs}
			}
			return apply, nil
		})
	}
	if len(names) > bulkTypedConfirm { // many tags at once: type how many
		return a.ask(newTypedConfirm(title, body, fmt.Sprintf("delete %d tags", len(names)), run))
	}
	return a.ask(newConfirm(title, body, run))
}

// bulkTypedConfirm is how many tags one y may delete; more ask for the
// count to be typed.
const bulkTypedConfirm = 20

func (p *tagsPane) handleMsg(a *App, msg tea.Msg) tea.Cmd {
	cmd, _ := p.l.handle(a, msg)
	return cmd
}

func (p *tagsPane) view(a *App, w, h int) string {
	if p.l.scope == "" {
		return "\n  " + a.theme.Title.Render("Tags") + "\n\n  " +
			wrap("Pick a repository first: press t on a repository in the Repos pane, or type :tags namespace/name (tab completes).", w-4, "  ")
	}
	return p.l.view(a, w, h)
}

// openTags shows the tags of ref ("acme/web").
func (a *App) openTags(ref string) tea.Cmd {
	i := a.paneIndex(state.Tags)
	tp := a.panes[i].(*tagsPane)
	if tp.l.scope != ref {
		tp.l.reset(ref)
	}
	return a.switchPane(i)
}

// repoNames yields the loaded repositories as "namespace/name", for
// completion; the caller stops early once it has enough.
func (a *App) repoNames(yield func(string) bool) {
	rp := a.panes[a.paneIndex(state.Repos)].(*reposPane)
	for _, r := range rp.l.coll.Items {
		if !yield(r.Namespace + "/" + r.Name) {
			return
		}
	}
}

// orgNames are organizations to complete `:org` with.
func (a *App) orgNames() []string {
	if len(a.orgs) > 0 {
		return a.orgs
	}
	if a.sess.Org == "" {
		return nil
	}
	return []string{a.sess.Org}
}
