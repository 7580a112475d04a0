// Package tags is the Tags pane: the tags of one repository as a streaming
// list (`:tags acme/web`, or t on a repository), and deleting one or many.
package tags

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/list"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/table"
	"github.com/hubtui/hubtui/ui/text"
)

// Entry is the pane's registry line.
func Entry() pane.Entry {
	return pane.Entry{Kind: state.Tags, Title: "Tags", Command: "tags", Usage: "tags NS/REPO", Help: "tags of a repository",
		Arg: "repo", New: func() pane.Pane { return New() }}
}

// Columns of the tags list.
const (
	colName = iota
	colDigest
	colSize
	colPlatforms
	colPushed
	colPulled
	colStatus
	colPusher
)

// Spec lists a repository's tags as Rows.
func Spec() list.Spec[Row] {
	return list.Spec[Row]{
		Kind: state.Tags,
		Noun: "tags",
		Columns: []table.Column{
			{Title: "TAG", Min: 12, Max: 40, Flex: 2},
			{Title: "DIGEST", Min: 19, Max: 19},
			{Title: "SIZE", Min: 9, Max: 9, Align: lipgloss.Right},
			{Title: "PLATFORMS", Min: 12, Max: 44, Flex: 2},
			{Title: "LAST PUSHED", Min: 16, Max: 16},
			{Title: "LAST PULLED", Min: 16, Max: 16},
			{Title: "STATUS", Min: 8, Max: 8},
			{Title: "PUSHED BY", Min: 9, Max: 20, Flex: 1},
		},
		Cell: func(t Row, col int) string {
			switch col {
			case colName:
				return t.Name
			case colDigest:
				return text.ShortDigest(t.Digest)
			case colSize:
				return text.Bytes(t.Size)
			case colPlatforms:
				return t.Platforms
			case colPushed:
				return text.ShortTime(t.LastPushed())
			case colPulled:
				return text.ShortTime(t.LastPulled())
			case colStatus:
				return t.Status
			case colPusher:
				return t.Pusher
			}
			return ""
		},
		Schema: state.Schema[Row]{
			Name: func(t Row) string { return t.Name },
			Compare: func(a, b Row, col int) int {
				switch col {
				case colDigest:
					return strings.Compare(a.Digest, b.Digest)
				case colSize:
					return text.CompareInt(a.Size, b.Size)
				case colPlatforms:
					return strings.Compare(a.Platforms, b.Platforms)
				case colPushed:
					return text.CompareInt(a.Pushed, b.Pushed)
				case colPulled:
					return text.CompareInt(a.Pulled, b.Pulled)
				case colStatus:
					return strings.Compare(a.Status, b.Status)
				case colPusher:
					return strings.Compare(a.Pusher, b.Pusher)
				}
				return strings.Compare(a.Name, b.Name)
			},
		},
		ID:        func(t Row) string { return t.Name },
		DescFirst: []int{colSize, colPushed, colPulled},
		Fetch: func(c *hubclient.Client, scope string) hubclient.PageFunc[Row] {
			ref, q, _ := strings.Cut(scope, searchSep)
			name, _ := url.QueryUnescape(q)
			ns, repo, _ := strings.Cut(ref, "/")
			in := &interner{}
			return func(ctx context.Context, o hubclient.ListOptions) ([]Row, *hubclient.Response, error) {
				tags, resp, err := c.Tags.List(ctx, ns, repo, &hubclient.TagListOptions{ListOptions: o, Name: name})
				rows := make([]Row, len(tags))
				for i, t := range tags {
					rows[i] = rowOf(t, in)
				}
				return rows, resp, err
			}
		},
	}
}

// Pane lists the tags of one repository.
type Pane struct {
	L        *list.List[Row]
	coverGen uint64 // the image check of the delete asked last
	live     liveTags
}

// New is the pane before a repository is chosen.
func New() *Pane { return &Pane{L: list.New(Spec())} }

// Kind is state.Tags.
func (p *Pane) Kind() state.Kind { return state.Tags }

// Title names the tab.
func (p *Pane) Title() string { return "Tags" }

// Busy reports a load in flight.
func (p *Pane) Busy() bool { return p.L.Busy() }

// CanFilter is true once a repository is chosen.
func (p *Pane) CanFilter() bool { return p.repo() != "" }

// Query is the filter.
func (p *Pane) Query() string { return p.L.Query() }

// SetQuery changes the filter. In a repository with more tags than one
// rate-limit window can list, still loading, a name filter goes to the Hub
// (tags whose name contains the term) instead of waiting for every page;
// clearing it goes back to the whole list, whose load resumes.
func (p *Pane) SetQuery(env pane.Env, q string) tea.Cmd {
	repo := p.repo()
	want := repo
	if term, ok := serverTerm(q); ok && p.huge(env) {
		want = repo + searchSep + url.QueryEscape(term)
	}
	if want == p.L.Scope() {
		return p.L.SetQuery(q)
	}
	p.L.Open(env, want)
	return tea.Batch(p.L.Ensure(env), p.L.SetQuery(q))
}

// searchSep joins a repository and a server-side name search in the
// list's scope: "acme/big?name=nightly".
const searchSep = "?name="

// repo is the repository shown, "namespace/name" ("" before one is chosen).
func (p *Pane) repo() string {
	r, _, _ := strings.Cut(p.L.Scope(), searchSep)
	return r
}

// searching is the server-side name search on screen ("" when none).
func (p *Pane) searching() string {
	_, q, ok := strings.Cut(p.L.Scope(), searchSep)
	if !ok {
		return ""
	}
	t, _ := url.QueryUnescape(q)
	return t
}

// huge reports a repository whose whole list is too long to wait for: more
// tags than one rate-limit window of pages, and not all loaded. While a
// server search is on screen it stays huge.
func (p *Pane) huge(env pane.Env) bool {
	if p.searching() != "" {
		return true
	}
	loaded, total := p.L.Coll().Progress()
	limit := 180
	if c := env.Client(); c != nil && c.Rate().Known && c.Rate().Limit > 0 {
		limit = c.Rate().Limit
	}
	return p.L.Coll().Status != state.Loaded && loaded < total && total > limit*hubclient.MaxPageSize
}

// serverTerm is the substring a query asks for when the Hub can answer it
// (a plain word or 'exact); ok is false for ^, $, !, re: and several terms.
func serverTerm(q string) (string, bool) {
	q = strings.TrimSpace(q)
	q = strings.TrimPrefix(q, "'")
	if q == "" || strings.ContainsAny(q, " ^$!") || strings.HasPrefix(q, "re:") {
		return "", false
	}
	return q, true
}

// Move moves the cursor.
func (p *Pane) Move(env pane.Env, act string) { p.L.Move(env, act) }

// Selected is the tag under the cursor, "namespace/name:tag".
func (p *Pane) Selected() (string, bool) {
	t, ok := p.L.Selected()
	return p.repo() + ":" + t.Name, ok
}

// Crumbs is where the tags are from.
func (p *Pane) Crumbs() []string {
	if p.repo() == "" {
		return nil
	}
	return []string{"Repos", p.repo(), "Tags"}
}

// Scope points the pane at a repository, "namespace/name"; a bare name is
// one of the current org's.
func (p *Pane) Scope(env pane.Env, ref string) (tea.Cmd, error) {
	if ref == "" {
		return nil, nil
	}
	if !strings.Contains(ref, "/") && env.Org() != "" {
		ref = env.Org() + "/" + ref
	}
	if err := checkRepoRef(ref); err != nil {
		return nil, err
	}
	if p.repo() != ref || p.searching() != "" {
		p.L.Open(env, ref)
	}
	return nil, nil
}

// checkRepoRef validates "namespace/repository".
func checkRepoRef(ref string) error {
	ns, repo, ok := strings.Cut(ref, "/")
	if !ok || ns == "" || repo == "" || strings.Contains(repo, "/") || strings.ContainsAny(ref, " \t") {
		return fmt.Errorf("%q is not a repository: write it as namespace/name, like acme/web", sanitize.String(ref))
	}
	return nil
}

// Enter loads the tags, going on from what this session holds of them.
func (p *Pane) Enter(env pane.Env) tea.Cmd { return p.L.Ensure(env) }

// Leave stops the load; what it loaded stays for the next visit.
func (p *Pane) Leave(pane.Env) { p.L.Leave() }

// Update takes the list's pages and derivations.
func (p *Pane) Update(env pane.Env, msg tea.Msg) tea.Cmd {
	if m, ok := msg.(coverMsg); ok {
		p.onCover(env, m)
		return nil
	}
	if m, ok := msg.(liveMsg); ok {
		return p.onLive(env, m)
	}
	cmd, _ := p.L.Update(env, msg)
	return cmd
}

// Status leads with the repository: the breadcrumb is gone on narrow
// terminals, and D should never leave a doubt about where it deletes.
func (p *Pane) Status(env pane.Env) string {
	if p.repo() == "" {
		return ""
	}
	if t := p.searching(); t != "" {
		return sanitize.String(p.repo()) + " · asked the Hub for names containing " + strconv.Quote(sanitize.String(t)) + " · " + p.L.Status(env)
	}
	return sanitize.String(p.repo()) + " · " + p.L.Status(env)
}

// View draws the list, or how to choose a repository.
func (p *Pane) View(env pane.Env, w, h int) string {
	if p.L.Scope() == "" {
		return "\n  " + env.Theme().Title.Render("Tags") + "\n\n  " +
			text.Wrap("Pick a repository first: press t on a repository in the Repos pane, or type :tags namespace/name (tab completes).", w-4, "  ")
	}
	return p.L.View(env, w, h)
}

// Bindings are the list's keys, delete, and esc back to the repositories.
// Before a repository is chosen they are all there but disabled, so help
// says why and the keymap still knows them.
func (p *Pane) Bindings(env pane.Env) []pane.Binding {
	out := p.bindings(env)
	if p.L.Scope() == "" {
		for i := range out {
			if out[i].Action != pane.ActBack {
				out[i].Disabled = "pick a repository first (t on a repository, or :tags namespace/name)"
			}
		}
	}
	return out
}

func (p *Pane) bindings(env pane.Env) []pane.Binding {
	_, ok := p.L.Selected()
	lb := p.L.Bindings(env)
	back := pane.Binding{Action: pane.ActBack, Keys: []string{"esc"}, Help: "back to the repositories", Short: "back", Group: pane.GroupPanes,
		Run: func() tea.Cmd { env.Open(state.Repos, ""); return nil }}
	del := pane.Binding{Action: pane.ActDelete, Keys: []string{"D"}, Help: "delete tag, or the marked tags (asks first)", Short: "delete",
		Mutates: true, Disabled: pane.Gate(env, pane.RoleEditor, ok || p.L.Table().MarkedCount() > 0),
		Run: func() tea.Cmd { p.askDelete(env); return nil }}
	// esc clears a filter or the marks first: the first binding of a key wins.
	var out, rest []pane.Binding
	for _, b := range lb {
		if b.Action == pane.ActBack {
			if b.Help == list.HelpClearFilter { // also ends a server search
				b.Run = func() tea.Cmd { return p.SetQuery(env, "") }
			}
			out = append(out, b)
		} else {
			rest = append(rest, b)
		}
	}
	t, _ := p.L.Selected()
	open := pane.Binding{Action: pane.ActOpen, Keys: []string{"enter"}, Help: "tag details: platforms and layers", Short: "open", Group: pane.GroupPanes,
		Disabled: pane.Gate(env, pane.RoleUnknown, ok), Run: func() tea.Cmd {
			env.Push(&Detail{root: p, ref: p.repo(), name: t.Name, row: t})
			return nil
		}}
	stale := pane.Binding{Action: ActMarkInactive, Keys: []string{"I"}, Help: "mark tags neither pushed nor pulled for N days", Short: "stale", Group: pane.GroupSelect,
		Run: func() tea.Cmd { p.askStale(env); return nil }}
	out = append(out, back, open)
	out = append(out, rest[:3]...) // sort, reverse, mark
	out = append(out, del, copyTag(env, p.repo(), t, ok), copyDigest(env, p.repo(), t, ok), stale)
	return append(out, rest[3:]...)
}

// ActMarkInactive marks the tags idle for a number of days.
const ActMarkInactive = "mark_inactive"

// ActCopyDigest copies the pull command by digest.
const ActCopyDigest = "copy_digest"

// copyTag copies "docker pull NS/REPO:TAG".
func copyTag(env pane.Env, ref string, t Row, ok bool) pane.Binding {
	return pane.Binding{Action: pane.ActCopy, Keys: []string{"y"}, Help: "copy docker pull NS/REPO:TAG", Short: "copy", Group: pane.GroupGeneral,
		Disabled: pane.Gate(env, pane.RoleUnknown, ok), Run: func() tea.Cmd {
			cmd := "docker pull " + sanitize.String(ref+":"+t.Name)
			env.Copy(cmd)
			env.Say("copied " + cmd)
			return nil
		}}
}

// copyDigest copies "docker pull NS/REPO@sha256:…".
func copyDigest(env pane.Env, ref string, t Row, ok bool) pane.Binding {
	why := pane.Gate(env, pane.RoleUnknown, ok)
	if why == "" && t.Digest == "" {
		why = "the Hub gave no digest for this tag"
	}
	return pane.Binding{Action: ActCopyDigest, Keys: []string{"Y"}, Help: "copy docker pull NS/REPO@DIGEST", Short: "copy@", Group: pane.GroupGeneral,
		Disabled: why, Run: func() tea.Cmd {
			cmd := "docker pull " + sanitize.String(ref+"@"+t.Digest)
			env.Copy(cmd)
			env.Say("copied " + cmd)
			return nil
		}}
}

// askStale asks for a number of days, then marks every visible tag
// neither pushed nor pulled in that many days before now.
func (p *Pane) askStale(env pane.Env) {
	env.Ask(dialog.NewPrompt("Mark stale tags", "Mark the tags neither pushed nor pulled for more than this many days:", "90", 5,
		func(v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 1 || n > 36500 {
				return fmt.Errorf("a whole number of days, 1 or more")
			}
			return nil
		},
		func(v string) tea.Cmd {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			cut := env.Now().AddDate(0, 0, -n)
			marked := p.L.MarkWhere(fmt.Sprintf("neither pushed nor pulled for more than %d days", n), func(t Row) bool {
				return Stale(t, cut)
			})
			env.Say(fmt.Sprintf("marked %d tag(s) idle for more than %d days", marked, n))
			return nil
		}))
}

// Stale reports whether t was neither pushed nor pulled since cut.
func Stale(t Row, cut time.Time) bool {
	last := max(t.Pushed, t.Pulled)
	if t.Pushed == 0 {
		last = max(last, t.Updated)
	}
	return last < cut.Unix()
}

// BulkTypedConfirm is how many tags one y may delete; more ask for the
// count to be typed.
const BulkTypedConfirm = 20

// askDelete asks before deleting the marked tags, or the one under the cursor.
func (p *Pane) askDelete(env pane.Env) {
	names := p.L.Chosen()
	if len(names) == 0 {
		return
	}
	sort.Strings(names)
	if len(names) >= minImageCover && env.Client() != nil {
		p.askCover(env, names) // first: do whole images hold exactly these tags?
		return
	}
	p.askTagDelete(env, names)
}

// askTagDelete asks before deleting names one request at a time.
func (p *Pane) askTagDelete(env pane.Env, names []string) {
	ref, coll := p.repo(), p.L.Coll() // the list the user is looking at now, read in Update
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
	chosen := make(map[string]bool, len(names))
	for _, n := range names {
		chosen[n] = true
	}
	var size int64
	for _, t := range coll.Snapshot() {
		if chosen[t.Name] {
			size += t.Size
		}
	}
	body += fmt.Sprintf("\n\n%d tag(s), %s in all (images other tags share stay).", len(names), text.Bytes(size))
	if rule := p.L.MarkRule(); rule != "" {
		body += "\n\nChosen by: " + rule + "."
	}
	body += "\nOnly the tags listed here are deleted."
	run := func() tea.Cmd {
		env.MutateEach(pane.Bulk{
			What:  fmt.Sprintf("deleting %d tag(s) of %s", len(names), ref),
			Done:  fmt.Sprintf("deleted %d tag(s) of %s", len(names), ref),
			Title: fmt.Sprintf("Deleting %d tag(s) of %s", len(names), ref),
			Items: names,
			Do: func(ctx context.Context, c *hubclient.Client, n string) error {
				_, err := c.Tags.Delete(ctx, ns, repo, n)
				return err
			},
			Apply: func(done []string) tea.Cmd {
				if p.L.Coll() != coll {
					return nil // the pane shows another repository now
				}
				gone := make(map[string]bool, len(done))
				for _, n := range done {
					gone[n] = true
				}
				p.L.KeepCursor() // on the tag it was on, when that one stays
				coll.RemoveWhere(func(t Row) bool { return gone[t.Name] })
				p.L.ClearMarks()
				return p.L.ItemsChanged()
			},
		})
		return nil
	}
	if len(names) > BulkTypedConfirm { // many tags at once: type how many
		env.Ask(dialog.NewTyped(title, body, fmt.Sprintf("delete %d tags", len(names)), run))
		return
	}
	env.Ask(dialog.NewConfirm(title, body, run))
}
