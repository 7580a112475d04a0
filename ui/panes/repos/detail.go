package repos

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/list"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/text"
)

// Detail is the page of one repository, pushed over the list: its full
// record (README, permissions, immutable tag rules) and the same changes
// the list offers. Changes go through the list's Env, so the list row and
// this page change together.
type Detail struct {
	root    *Pane
	rootEnv pane.Env
	env     pane.Env // this page's own, from Enter
	repo    hubclient.Repository
	info    *hubclient.RepositoryInfo
	infoErr error
	infoGen uint64
	scroll  int
	height  int
	cancel  context.CancelFunc
}

// Kind is state.Repos.
func (d *Detail) Kind() state.Kind { return state.Repos }

// Title is the repository's name, for the breadcrumbs.
func (d *Detail) Title() string { return fullName(d.repo) }

// Selected is the repository shown.
func (d *Detail) Selected() (string, bool) { return fullName(d.repo), true }

// Busy reports the detail fetch in flight.
func (d *Detail) Busy() bool { return d.info == nil && d.infoErr == nil }

// Enter fetches the full record (again, when left while it loaded).
func (d *Detail) Enter(env pane.Env) tea.Cmd {
	d.env = env
	if d.info == nil {
		return d.fetch(env)
	}
	return nil
}

// Leave cancels the fetch.
func (d *Detail) Leave(pane.Env) {
	if d.cancel != nil {
		d.cancel()
		d.cancel = nil
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

// Update takes the detail fetch's answer.
func (d *Detail) Update(env pane.Env, msg tea.Msg) tea.Cmd {
	m, ok := msg.(list.Result[*hubclient.RepositoryInfo])
	if !ok || m.Gen != d.infoGen || errors.Is(m.Err, context.Canceled) {
		return nil // stale, or cancelled by leaving (Enter fetches again)
	}
	d.info, d.infoErr = m.Val, m.Err
	if m.Err != nil {
		env.Fail("", fmt.Errorf("repository %s: %w", m.Key.Scope, m.Err))
	}
	return nil
}

// Bindings are the page's keys; esc (back) is the frame's.
func (d *Detail) Bindings(env pane.Env) []pane.Binding {
	p, r := d.root, d.repo
	return []pane.Binding{
		{Action: ActTags, Keys: []string{"t"}, Help: "tags of this repository", Short: "tags", Group: pane.GroupPanes,
			Run: func() tea.Cmd { env.Open(state.Tags, fullName(r)); return nil }},
		p.editBinding(d.rootEnv, r, true),
		p.visibilityBinding(d.rootEnv, r, true),
		p.deleteBinding(d.rootEnv, r, true),
		{Action: pane.ActRefresh, Keys: []string{"r"}, Help: "refresh the details", Short: "refresh", Group: pane.GroupGeneral,
			Run: func() tea.Cmd { return d.fetch(env) }},
	}
}

// Move scrolls the page.
func (d *Detail) Move(_ pane.Env, act string) {
	half := max(1, d.height/2)
	switch act {
	case pane.ActUp:
		d.scroll = max(0, d.scroll-1)
	case pane.ActDown:
		d.scroll++
	case pane.ActTop:
		d.scroll = 0
	case pane.ActBottom:
		d.scroll = 1 << 30 // View clamps it
	case pane.ActPageDown, pane.ActHalfDown:
		d.scroll += half
	case pane.ActPageUp, pane.ActHalfUp:
		d.scroll = max(0, d.scroll-half)
	}
}

// Status says what is loading, else the list's counts.
func (d *Detail) Status(env pane.Env) string {
	if d.info == nil && d.infoErr == nil {
		return env.Spinner() + " loading repository details…"
	}
	return d.root.L.Status(env)
}

// View draws the page, scrolled.
func (d *Detail) View(env pane.Env, w, h int) string {
	d.height = h
	lines := d.lines(env, w)
	d.scroll = min(d.scroll, max(0, len(lines)-h))
	return strings.Join(lines[d.scroll:min(len(lines), d.scroll+h)], "\n")
}

// lines renders the page; every server string is sanitised.
func (d *Detail) lines(env pane.Env, w int) []string {
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
		lines = append(lines, "", "  "+t.Error.Render(pane.Describe(d.infoErr)))
	case d.info == nil:
		lines = append(lines, "", "  "+env.Spinner()+" loading details…")
	default:
		in := d.info
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
			field("Your access", text.OrDash(strings.Join(perms, ", "))),
			field("Immutable tags", imm),
			field("Collaborators", text.Commas(in.CollaboratorCount)),
		)
		if in.StorageSize != nil {
			lines = append(lines, field("Storage", text.Bytes(*in.StorageSize)))
		}
		lines = append(lines, "", "  "+t.Title.Render("README"), "")
		readme := in.FullDescription
		if strings.TrimSpace(readme) == "" {
			lines = append(lines, "  "+t.Dim.Render("No full description."))
		}
		for _, l := range strings.Split(sanitize.Text(readme), "\n") {
			lines = append(lines, "  "+text.Truncate(l, max(10, w-4)))
		}
	}
	k := env.Key
	lines = append(lines, "", "  "+t.Dim.Render(k(ActTags)+" tags · "+k(pane.ActCopy)+" copy name · "+k(pane.ActRefresh)+" refresh · "+k(pane.ActBack)+" back"))
	return lines
}
