package repos

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/list"
	"github.com/hubtui/hubtui/ui/markdown"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/text"
)

// Detail is the page of one repository, pushed over the list: its full
// record, the teams with access, immutable tag rules and the README
// rendered as Markdown, with the same changes the list offers. Changes go
// through the list's Env, so the list row and this page change together.
type Detail struct {
	root    *Pane
	rootEnv pane.Env
	env     pane.Env // this page's own, from Enter
	repo    hubclient.Repository
	info    *hubclient.RepositoryInfo
	infoErr error
	infoGen uint64
	groups  []hubclient.RepositoryGroup
	grpErr  error
	grpGen  uint64
	grpDone bool
	// readme holds the rendered README per width; rendering runs in a Cmd.
	readme    map[int][]string
	mdGen     uint64
	mdWant    int // the width asked for last
	mdErr     error
	scroll    int
	height    int
	cancel    context.CancelFunc
	grpCancel context.CancelFunc
	// form is the immutable tags form while its rules are verified.
	form      *dialog.Form
	verifyGen uint64
}

// verifyTimeout bounds verifying the immutable tags rules.
const verifyTimeout = 30 * time.Second

// mdMsg is the README rendered at one width.
type mdMsg struct {
	gen   uint64
	w     int
	lines []string
	err   error
}

// readmeWidths is how many widths' renderings a page keeps.
const readmeWidths = 3

// Kind is state.Repos.
func (d *Detail) Kind() state.Kind { return state.Repos }

// Title is the repository's name, for the breadcrumbs.
func (d *Detail) Title() string { return fullName(d.repo) }

// Selected is the repository shown.
func (d *Detail) Selected() (string, bool) { return fullName(d.repo), true }

// Busy reports the detail fetch in flight.
func (d *Detail) Busy() bool { return d.info == nil && d.infoErr == nil }

// Enter fetches the full record and the teams with access (again, when
// left while they loaded).
func (d *Detail) Enter(env pane.Env) tea.Cmd {
	d.env = env
	var cmds []tea.Cmd
	if d.info == nil {
		cmds = append(cmds, d.fetch(env))
	}
	if !d.grpDone {
		cmds = append(cmds, d.fetchGroups(env))
	}
	if d.info != nil {
		w, _ := env.Size()
		cmds = append(cmds, d.render(env, w))
	}
	return tea.Batch(cmds...)
}

// Leave cancels the fetches.
func (d *Detail) Leave(pane.Env) {
	for _, c := range []*context.CancelFunc{&d.cancel, &d.grpCancel} {
		if *c != nil {
			(*c)()
			*c = nil
		}
	}
	d.infoErr = nil
}

// close pops the page (its repository was deleted).
func (d *Detail) close() {
	if d.env != nil {
		d.env.Pop()
	}
	if d.root.open == d {
		d.root.open = nil
	}
}

func (d *Detail) fetch(env pane.Env) tea.Cmd {
	if d.cancel != nil {
		d.cancel()
	}
	c := env.Client()
	if c == nil {
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	d.cancel = cancel
	d.infoGen = env.NextGen()
	d.infoErr = nil
	ns, name := d.repo.Namespace, d.repo.Name
	return list.Call(ctx, state.Key{Kind: state.Repos, Scope: ns + "/" + name}, d.infoGen, func(ctx context.Context) (*hubclient.RepositoryInfo, error) {
		info, _, err := c.Repos.Get(ctx, ns, name)
		return info, err
	})
}

// fetchGroups lists the teams with a permission on the repository.
func (d *Detail) fetchGroups(env pane.Env) tea.Cmd {
	if d.grpCancel != nil {
		d.grpCancel()
	}
	c := env.Client()
	if c == nil {
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	d.grpCancel = cancel
	d.grpGen = env.NextGen()
	ns, name := d.repo.Namespace, d.repo.Name
	return list.Call(ctx, state.Key{Kind: state.Repos, Scope: ns + "/" + name}, d.grpGen, func(ctx context.Context) ([]hubclient.RepositoryGroup, error) {
		return hubclient.ListAll(ctx, c, func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.RepositoryGroup, *hubclient.Response, error) {
			return c.Repos.ListGroups(ctx, ns, name, &o)
		}, nil)
	})
}

// render renders the README at width w in a Cmd, unless that width is
// held or being rendered.
func (d *Detail) render(env pane.Env, w int) tea.Cmd {
	w = readmeWidth(w)
	if d.info == nil || d.readme[w] != nil || d.mdWant == w {
		return nil
	}
	d.mdGen = env.NextGen()
	d.mdWant = w
	gen, src := d.mdGen, d.info.FullDescription
	t := env.Theme()
	style := markdown.StyleFor(t.Name, t.Dark)
	return func() tea.Msg {
		lines, err := markdown.Render(src, w, style)
		return mdMsg{gen: gen, w: w, lines: lines, err: err}
	}
}

// readmeWidth is the README's width on a w-wide body: indented by two.
func readmeWidth(w int) int { return max(20, w-4) }

// Update takes the fetches' answers, a rendering, and new sizes.
func (d *Detail) Update(env pane.Env, msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case pane.Resized:
		return d.render(env, m.W)
	case verifiedMsg:
		d.onVerified(env, m)
		return nil
	case mdMsg:
		if m.gen != d.mdGen {
			return nil
		}
		d.mdWant = 0
		d.mdErr = m.err
		if m.err == nil {
			if d.readme == nil || len(d.readme) >= readmeWidths {
				d.readme = map[int][]string{}
			}
			d.readme[m.w] = m.lines
		}
		return nil
	case list.Result[[]hubclient.RepositoryGroup]:
		if m.Gen != d.grpGen || errors.Is(m.Err, context.Canceled) {
			return nil
		}
		d.groups, d.grpErr, d.grpDone = m.Val, m.Err, true
		sort.Slice(d.groups, func(i, j int) bool { return d.groups[i].GroupName < d.groups[j].GroupName })
		return nil
	case list.Result[*hubclient.RepositoryInfo]:
		if m.Gen != d.infoGen || errors.Is(m.Err, context.Canceled) {
			return nil // stale, or cancelled by leaving (Enter fetches again)
		}
		d.info, d.infoErr = m.Val, m.Err
		d.readme, d.mdWant, d.mdErr = nil, 0, nil
		if m.Err != nil {
			env.Fail("", fmt.Errorf("repository %s: %w", m.Key.Scope, m.Err))
			return nil
		}
		w, _ := env.Size()
		return d.render(env, w)
	}
	return nil
}

// Bindings are the page's keys; esc (back) is the frame's.
func (d *Detail) Bindings(env pane.Env) []pane.Binding {
	p, r := d.root, d.repo
	root := d.rootEnv
	if root == nil { // a fresh page, listed for the keymap
		root = env
	}
	return []pane.Binding{
		{Action: ActTags, Keys: []string{"t"}, Help: "tags of this repository", Short: "tags", Group: pane.GroupPanes,
			Run: func() tea.Cmd { env.Open(state.Tags, fullName(r)); return nil }},
		p.editBinding(root, r, true),
		p.visibilityBinding(root, r, true),
		p.deleteBinding(root, r, true),
		d.readmeBinding(env),
		d.immutableBinding(env),
		{Action: ActImages, Keys: []string{"i"}, Help: "images: clean up inactive and untagged ones", Short: "images", Group: pane.GroupPanes,
			Run: func() tea.Cmd { env.Push(newImages(d)); return nil }},
		{Action: ActAccess, Keys: []string{"a"}, Help: "teams with access: add, change, remove", Short: "access", Group: pane.GroupPanes,
			Run: func() tea.Cmd { env.Push(&Access{d: d}); return nil }},
		copyBinding(env, r, true),
		urlBinding(env, r, true),
		{Action: pane.ActRefresh, Keys: []string{"r"}, Help: "refresh the details", Short: "refresh", Group: pane.GroupGeneral,
			Run: func() tea.Cmd {
				d.grpDone = false
				return tea.Batch(d.fetch(env), d.fetchGroups(env))
			}},
	}
}

// ActReadme edits a repository's README.
const ActReadme = "edit_readme"

// readmeBinding edits the README in $EDITOR (or a text area), then asks
// before saving it.
func (d *Detail) readmeBinding(env pane.Env) pane.Binding {
	full := fullName(d.repo)
	why := pane.Gate(env, pane.RoleEditor, d.info != nil)
	if d.info == nil && d.infoErr == nil {
		why = "the details are still loading"
	}
	return pane.Binding{Action: ActReadme, Keys: []string{"E"}, Help: "edit the README (in $EDITOR)", Short: "readme",
		Mutates: true, Disabled: why, Run: func() tea.Cmd {
			before := d.info.FullDescription
			env.Edit("README of "+full, before, hubclient.MaxRepoFullDescriptionLength, func(after string) tea.Cmd {
				if after == before {
					env.Say("README unchanged")
					return nil
				}
				env.Ask(dialog.NewConfirm("Save the README of "+full+"?",
					fmt.Sprintf("%s → %s characters.", text.Commas(int64(utf8.RuneCountInString(before))), text.Commas(int64(utf8.RuneCountInString(after)))),
					func() tea.Cmd {
						d.rootEnv.Mutate(pane.Change{What: "saving the README of " + full, Done: "saved the README of " + full,
							Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
								info, _, err := c.Repos.Update(ctx, d.repo.Namespace, d.repo.Name, &hubclient.RepositoryUpdateRequest{FullDescription: &after})
								return func() tea.Cmd { return d.root.updated(full, info, func(*hubclient.Repository) {}) }, err
							}})
						return nil
					}))
				return nil
			})
			return nil
		}}
}

// setInfo takes a new full record: the README renders again.
func (d *Detail) setInfo(info *hubclient.RepositoryInfo) {
	d.info = info
	d.readme, d.mdWant, d.mdErr = nil, 0, nil
	if d.env != nil {
		w, _ := d.env.Size()
		d.env.Do(d.render(d.env, w))
	}
}

// Move scrolls the page.
func (d *Detail) Move(_ pane.Env, act string) { d.scroll = pane.Scroll(d.scroll, d.height, act) }

// Status says what is loading, else the list's counts.
func (d *Detail) Status(env pane.Env) string {
	switch {
	case d.info == nil && d.infoErr == nil:
		return env.Spinner() + " loading repository details…"
	case d.mdWant != 0:
		return env.Spinner() + " rendering the README…"
	}
	return d.root.L.Status(env)
}

// View draws the page, scrolled: the head and the README's lines on
// screen, so a long README costs no more than a short one.
func (d *Detail) View(env pane.Env, w, h int) string {
	d.height = h
	head := d.head(env, w)
	body := d.readmeLines(env, w)
	foot := d.foot(env, w)
	total := len(head) + len(body) + len(foot)
	d.scroll = min(d.scroll, max(0, total-h))
	out := make([]string, 0, h)
	for i := d.scroll; i < min(total, d.scroll+h); i++ {
		switch {
		case i < len(head):
			out = append(out, head[i])
		case i < len(head)+len(body):
			out = append(out, "  "+body[i-len(head)])
		default:
			out = append(out, foot[i-len(head)-len(body)])
		}
	}
	return strings.Join(out, "\n")
}

// readmeLines is the README rendered for width w, another width's while
// that one renders, or the plain text until the first rendering arrives.
func (d *Detail) readmeLines(env pane.Env, w int) []string {
	if d.info == nil {
		return nil
	}
	if strings.TrimSpace(d.info.FullDescription) == "" {
		return []string{env.Theme().Dim.Render("No full description.")}
	}
	if l, ok := d.readme[readmeWidth(w)]; ok {
		return l
	}
	for _, l := range d.readme {
		return l // another width's, until this one is ready
	}
	var out []string
	if d.mdErr != nil {
		out = append(out, env.Theme().Error.Render(pane.Describe(d.mdErr)), "")
	}
	for _, l := range strings.Split(sanitize.Text(d.info.FullDescription), "\n") {
		out = append(out, text.Truncate(l, readmeWidth(w)))
	}
	return out
}

// head is everything above the README; every server string is sanitised.
func (d *Detail) head(env pane.Env, w int) []string {
	t := env.Theme()
	r := d.repo
	field := func(label, value string) string {
		return t.Label.Render(fmt.Sprintf("  %-16s", label)) + text.Truncate(sanitize.String(value), max(10, w-20))
	}
	lines := []string{
		"",
		"  " + t.Title.Render(sanitize.String(fullName(r))) + "  " + t.Dim.Render(visibility(r.IsPrivate)),
		"",
		field("Description", text.OrDash(r.Description)),
		field("Pulls", text.Commas(r.PullCount)),
		field("Stars", text.Commas(r.StarCount)),
		field("Last pushed", text.LongTime(r.LastUpdated)),
		field("Created", text.LongTime(r.DateRegistered)),
	}
	switch {
	case d.infoErr != nil:
		return append(lines, "", "  "+t.Error.Render(pane.Describe(d.infoErr)))
	case d.info == nil:
		return append(lines, "", "  "+env.Spinner()+" loading details…")
	}
	in := d.info
	var perms []string
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
	var cats []string
	for _, c := range in.Categories {
		cats = append(cats, c.Name)
	}
	if !in.LastModified.IsZero() {
		lines = append(lines, field("Last modified", text.LongTime(in.LastModified)))
	}
	lines = append(lines,
		field("Status", in.StatusDescription),
		field("Your access", text.OrDash(strings.Join(perms, ", "))),
		field("Immutable tags", imm),
		field("Categories", text.OrDash(strings.Join(cats, ", "))),
		field("Collaborators", text.Commas(in.CollaboratorCount)),
	)
	if in.StorageSize != nil {
		lines = append(lines, field("Storage", text.Bytes(*in.StorageSize)))
	}
	lines = append(lines, field("Hub address", HubURL(r)))
	switch {
	case d.grpErr != nil:
		lines = append(lines, field("Teams", "not listed: "+pane.Describe(d.grpErr)))
	case !d.grpDone:
		lines = append(lines, field("Teams", env.Spinner()+" loading…"))
	case len(d.groups) == 0:
		lines = append(lines, field("Teams", "none"))
	default:
		for i, g := range d.groups {
			label := ""
			if i == 0 {
				label = "Teams"
			}
			lines = append(lines, field(label, g.GroupName+": "+g.Permission))
		}
	}
	return append(lines, "", "  "+t.Title.Render("README"), "")
}

// foot says the page's keys.
func (d *Detail) foot(env pane.Env, w int) []string {
	k := env.Key
	keys := k(ActTags) + " tags · " + k(pane.ActCopy) + " copy pull command · " + k(ActURL) + " address · " + k(pane.ActRefresh) + " refresh · " + k(pane.ActBack) + " back"
	return []string{"", "  " + env.Theme().Dim.Render(text.Truncate(keys, max(10, w-2)))}
}

// Info is the full record once fetched (nil before).
func (d *Detail) Info() *hubclient.RepositoryInfo { return d.info }
