package members

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/list"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/text"
)

// RecentEvents is how many audit events about a member the page shows.
const RecentEvents = 20

// Detail is the page of one member, pushed over the list: who they are,
// their teams, the invites pending for the same person and the recent
// audit events about them. Changes go through the list's Env, so the list
// row and this page change together.
type Detail struct {
	root    *Pane
	rootEnv pane.Env
	env     pane.Env
	m       hubclient.Member

	gen     uint64
	cancel  context.CancelFunc
	invites []hubclient.Invite
	invErr  error
	invDone bool
	events  []hubclient.AuditLog
	evErr   error
	evDone  bool

	scroll, height int
}

// Kind is state.Members.
func (d *Detail) Kind() state.Kind { return state.Members }

// Title is the member's username, for the breadcrumbs.
func (d *Detail) Title() string { return name(d.m) }

// Selected is the member shown.
func (d *Detail) Selected() (string, bool) { return name(d.m), true }

// Busy reports a fetch in flight.
func (d *Detail) Busy() bool { return !d.invDone || !d.evDone }

// Member is the member shown.
func (d *Detail) Member() hubclient.Member { return d.m }

// Enter fetches the invites and audit events (again, when left while they loaded).
func (d *Detail) Enter(env pane.Env) tea.Cmd {
	d.env = env
	if d.invDone && d.evDone {
		return nil
	}
	return d.fetch(env)
}

// Leave cancels the fetches.
func (d *Detail) Leave(pane.Env) {
	if d.cancel != nil {
		d.cancel()
		d.cancel = nil
	}
}

// close pops the page (its member was removed).
func (d *Detail) close() {
	if d.env != nil {
		d.env.Pop()
	}
	if d.root.detail == d {
		d.root.detail = nil
	}
}

// invitesFor keeps the invites of the same person as m: by Docker ID or
// by e-mail address.
func invitesFor(m hubclient.Member, all []hubclient.Invite) []hubclient.Invite {
	var out []hubclient.Invite
	for _, in := range all {
		if m.Username != "" && strings.EqualFold(in.Invitee, m.Username) || m.Email != "" && strings.EqualFold(in.Invitee, m.Email) {
			out = append(out, in)
		}
	}
	return out
}

// eventsAbout asks the audit log for what concerns username: events naming
// them (team membership), events they made, and role changes of them. The
// answers are merged newest first; the log is for owners only, so the
// first refusal is the answer.
func eventsAbout(ctx context.Context, c *hubclient.Client, org, username string) ([]hubclient.AuditLog, error) {
	queries := []hubclient.AuditListOptions{
		{Name: username},
		{Actor: username},
		{Action: "org.member.role.change"},
	}
	for i := range queries {
		queries[i].PageSize = 25
	}
	results := make([][]hubclient.AuditLog, len(queries))
	errs := make([]error, len(queries))
	var wg sync.WaitGroup
	for i := range queries {
		wg.Go(func() {
			results[i], _, errs[i] = c.Audit.List(ctx, org, &queries[i])
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	seen := map[string]bool{}
	var out []hubclient.AuditLog
	for qi, evs := range results {
		for _, e := range evs {
			if qi == 2 && e.Data["member"] != username {
				continue
			}
			if k := e.Key(); !seen[k] {
				seen[k] = true
				out = append(out, e)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b hubclient.AuditLog) int { return b.Timestamp.Compare(a.Timestamp) })
	if len(out) > RecentEvents {
		out = out[:RecentEvents]
	}
	return out, nil
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
	d.gen = env.NextGen()
	d.invDone, d.evDone, d.invErr, d.evErr = false, false, nil, nil
	org, m := env.Org(), d.m
	key := state.Key{Kind: state.Members, Scope: org + "/" + name(m)}
	cmds := []tea.Cmd{list.Call(ctx, key, d.gen, func(ctx context.Context) ([]hubclient.Invite, error) {
		all, _, err := c.Invites.List(ctx, org)
		return invitesFor(m, all), err
	})}
	if m.Username != "" {
		cmds = append(cmds, list.Call(ctx, key, d.gen, func(ctx context.Context) ([]hubclient.AuditLog, error) {
			return eventsAbout(ctx, c, org, m.Username)
		}))
	} else {
		d.evDone = true // an invitee by e-mail has no account to be about
	}
	return tea.Batch(cmds...)
}

// Update takes the fetches' answers.
func (d *Detail) Update(env pane.Env, msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case list.Result[[]hubclient.Invite]:
		if m.Gen != d.gen || errors.Is(m.Err, context.Canceled) {
			return nil
		}
		d.invites, d.invErr, d.invDone = m.Val, m.Err, true
	case list.Result[[]hubclient.AuditLog]:
		if m.Gen != d.gen || errors.Is(m.Err, context.Canceled) {
			return nil
		}
		d.events, d.evErr, d.evDone = m.Val, m.Err, true
	}
	return nil
}

// Bindings are the page's keys; esc (back) is the frame's.
func (d *Detail) Bindings(env pane.Env) []pane.Binding {
	p, m := d.root, d.m
	gate := pane.Gate(env, pane.RoleOwner, true)
	if gate == "" && m.IsInvitee() {
		gate = "invitees are not members yet: cancel or resend their invites in the Invites pane"
	}
	return []pane.Binding{
		{Action: ActChangeRole, Keys: []string{"c"}, Help: "change role (owner, editor, member)", Short: "set role", Mutates: true, Disabled: gate,
			Run: func() tea.Cmd { p.askRole(d.rootEnv, []hubclient.Member{d.m}, 0); return nil }},
		{Action: pane.ActDelete, Keys: []string{"D"}, Help: "remove from the organization (type the name)", Short: "remove", Mutates: true, Disabled: gate,
			Run: func() tea.Cmd { p.askRemove(d.rootEnv, []hubclient.Member{d.m}, 0); return nil }},
		{Action: pane.ActRefresh, Keys: []string{"r"}, Help: "refresh invites and audit events", Short: "refresh", Group: pane.GroupGeneral,
			Run: func() tea.Cmd { return d.fetch(env) }},
	}
}

// Move scrolls the page.
func (d *Detail) Move(_ pane.Env, act string) { d.scroll = pane.Scroll(d.scroll, d.height, act) }

// Status says what is loading.
func (d *Detail) Status(env pane.Env) string {
	if d.Busy() {
		return env.Spinner() + " loading invites and audit events…"
	}
	return fmt.Sprintf("%d pending invite(s) · %d recent audit event(s)", len(d.invites), len(d.events))
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
	m := d.m
	tw := max(10, w-20)
	field := func(label, value string) string {
		return t.Label.Render(fmt.Sprintf("  %-16s", label)) + text.Truncate(sanitize.String(value), tw)
	}
	head := "  " + t.Title.Render(sanitize.String(name(m)))
	if m.FullName != "" {
		head += "  " + t.Dim.Render(sanitize.String(m.FullName))
	}
	lines := []string{"", head, "",
		field("E-mail", text.OrDash(m.Email)),
		field("Role", text.OrDash(strings.ToLower(m.Role))),
		field("Type", memberType(m)),
		field("Joined", text.LongTime(m.DateJoined)),
		field("Last logged in", text.LongTime(lastLogin(m))),
	}
	if m.LastSeenAt != nil {
		lines = append(lines, field("Last seen", text.LongTime(*m.LastSeenAt)))
	}
	if m.LastDesktopVersion != "" {
		lines = append(lines, field("Docker Desktop", m.LastDesktopVersion))
	}
	if m.Company != "" {
		lines = append(lines, field("Company", m.Company))
	}
	if m.Location != "" {
		lines = append(lines, field("Location", m.Location))
	}

	lines = append(lines, "", "  "+t.Title.Render(fmt.Sprintf("Teams (%d)", len(m.Groups))))
	if len(m.Groups) == 0 {
		lines = append(lines, "  "+t.Dim.Render("In no team."))
	}
	for _, g := range m.Groups {
		lines = append(lines, "  "+text.Truncate(sanitize.String(g), w-4))
	}

	lines = append(lines, "", "  "+t.Title.Render("Pending invites"))
	switch {
	case !d.invDone:
		lines = append(lines, "  "+env.Spinner()+" loading invites…")
	case d.invErr != nil:
		lines = append(lines, "  "+t.Error.Render(text.Truncate(pane.Describe(d.invErr), w-4)))
	case len(d.invites) == 0:
		lines = append(lines, "  "+t.Dim.Render("None for this person."))
	}
	for _, in := range d.invites {
		s := fmt.Sprintf("%s as %s", in.Invitee, text.OrDash(in.Role))
		if in.Team != "" {
			s += " to team " + in.Team
		}
		s += " · invited by " + text.OrDash(in.InviterUsername) + " " + text.ShortTime(in.CreatedAt)
		lines = append(lines, "  "+text.Truncate(sanitize.String(s), w-4))
	}

	lines = append(lines, "", "  "+t.Title.Render("Recent audit events"))
	switch {
	case !d.evDone:
		lines = append(lines, "  "+env.Spinner()+" loading audit events…")
	case d.evErr != nil:
		lines = append(lines, "  "+t.Error.Render(text.Truncate(pane.Describe(d.evErr), w-4)))
	case len(d.events) == 0 && m.Username == "":
		lines = append(lines, "  "+t.Dim.Render("An invitee by e-mail has no account yet."))
	case len(d.events) == 0:
		lines = append(lines, "  "+t.Dim.Render("None in the recent log."))
	}
	for _, e := range d.events {
		what := e.ActionDescription
		if what == "" {
			what = e.Action + " " + e.Name
		}
		s := text.ShortTime(e.Timestamp) + "  " + e.Actor + ": " + what
		lines = append(lines, "  "+text.Truncate(sanitize.String(s), w-4))
	}
	k := env.Key
	lines = append(lines, "", "  "+t.Dim.Render(k(ActChangeRole)+" role · "+k(pane.ActDelete)+" remove · "+k(pane.ActCopy)+" copy name · "+
		k(pane.ActRefresh)+" refresh · "+k(pane.ActBack)+" back"))
	return lines
}
