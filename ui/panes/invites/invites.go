// Package invites is the Invites pane: the organization's pending invites
// (resend, cancel, one or marked) and the bulk invite flow — a pasted or
// loaded list checked line by line, the Hub's dry run, the send and each
// invitee's result — which keeps whatever was not sent.
package invites

import (
	"context"
	"fmt"
	"strings"
	"sync"

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
	ActResend   = "resend_invite"
	ActBulkFile = "invite_from_file"
)

// Entry is the pane's registry line.
func Entry() pane.Entry {
	return pane.Entry{Kind: state.Invites, Title: "Invites", Command: "invites", Usage: "invites",
		Help: "pending invites; bulk invite with a dry run", New: func() pane.Pane { return New() }}
}

// Columns of the invites list.
const (
	colInvitee = iota
	colRole
	colTeam
	colInviter
	colCreated
)

// Spec lists an org's pending invites.
func Spec() list.Spec[hubclient.Invite] {
	return list.Spec[hubclient.Invite]{
		Kind: state.Invites,
		Noun: "pending invites",
		Columns: []table.Column{
			{Title: "INVITEE", Min: 16, Max: 40, Flex: 3},
			{Title: "ROLE", Min: 6, Max: 8},
			{Title: "TEAM", Min: 6, Max: 24, Flex: 1},
			{Title: "INVITED BY", Min: 10, Max: 20, Flex: 1},
			{Title: "CREATED", Min: 16, Max: 16},
		},
		Cell: func(v hubclient.Invite, col int) string {
			switch col {
			case colInvitee:
				return v.Invitee
			case colRole:
				return text.OrDash(v.Role)
			case colTeam:
				return text.OrDash(v.Team)
			case colInviter:
				return v.InviterUsername
			case colCreated:
				return text.ShortTime(v.CreatedAt)
			}
			return ""
		},
		Schema: state.Schema[hubclient.Invite]{
			Name: func(v hubclient.Invite) string { return v.Invitee },
			Compare: func(a, b hubclient.Invite, col int) int {
				switch col {
				case colRole:
					return strings.Compare(a.Role, b.Role)
				case colTeam:
					return strings.Compare(a.Team, b.Team)
				case colInviter:
					return strings.Compare(a.InviterUsername, b.InviterUsername)
				case colCreated:
					return a.CreatedAt.Compare(b.CreatedAt)
				}
				return strings.Compare(strings.ToLower(a.Invitee), strings.ToLower(b.Invitee))
			},
		},
		ID:        func(v hubclient.Invite) string { return v.ID },
		DescFirst: []int{colCreated},
		Fetch:     fetchInvites,
	}
}

// fetchInvites serves the Hub's one unpaginated answer as pages of the
// size asked for, so the list streams it like any other: the Hub is asked
// once, whichever page comes first.
func fetchInvites(c *hubclient.Client, org string) hubclient.PageFunc[hubclient.Invite] {
	var once sync.Once
	var all []hubclient.Invite
	var err error
	return func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.Invite, *hubclient.Response, error) {
		once.Do(func() { all, _, err = c.Invites.List(ctx, org) })
		if err != nil {
			return nil, nil, err
		}
		size := o.PageSize
		if size <= 0 {
			size = len(all)
		}
		from := min(len(all), (max(o.Page, 1)-1)*size)
		to := min(len(all), from+size)
		resp := &hubclient.Response{Count: len(all)}
		if to < len(all) {
			resp.Next = fmt.Sprintf("?page=%d&page_size=%d", max(o.Page, 1)+1, size)
		}
		return all[from:to], resp, nil
	}
}

// Pane lists the pending invites and runs the bulk invite flow.
type Pane struct {
	L *list.List[hubclient.Invite]
	// draft is the bulk invite text not sent yet: what was typed or
	// loaded, cut down to what was not sent after a send.
	draft string
	// path is the CSV file loaded last.
	path string
	// teams are the org's team names for the local check (nil until
	// loaded); teamsOrg is the org they are of.
	teams    map[string]bool
	teamsOrg string
	teamsGen uint64
	// flowGen is the bulk invite step awaited; busy says what it waits for.
	flowGen uint64
	busy    string
	// waiting is a list to check once the teams are in.
	waiting *string
}

// New is the pane before its first visit.
func New() *Pane { return &Pane{L: list.New(Spec())} }

// Kind is state.Invites.
func (p *Pane) Kind() state.Kind { return state.Invites }

// Title names the tab.
func (p *Pane) Title() string { return "Invites" }

// Busy reports a load or a dry run in flight.
func (p *Pane) Busy() bool { return p.L.Busy() || p.busy != "" }

// CanFilter is true: the list filters.
func (p *Pane) CanFilter() bool { return true }

// Query is the filter.
func (p *Pane) Query() string { return p.L.Query() }

// SetQuery changes the filter.
func (p *Pane) SetQuery(_ pane.Env, q string) tea.Cmd { return p.L.SetQuery(q) }

// Move moves the cursor.
func (p *Pane) Move(env pane.Env, act string) { p.L.Move(env, act) }

// Selected is the invitee under the cursor.
func (p *Pane) Selected() (string, bool) {
	v, ok := p.L.Selected()
	return v.Invitee, ok
}

// Draft is the bulk invite text kept for the next bulk invite.
func (p *Pane) Draft() string { return p.draft }

// ownerOnly reports whether the user's role is known and below owner: only
// owners may see or change invites.
func ownerOnly(env pane.Env) bool {
	r := env.Role()
	return r != pane.RoleUnknown && r < pane.RoleOwner
}

// Enter lists the org's pending invites (owners only, as the Hub has it).
func (p *Pane) Enter(env pane.Env) tea.Cmd {
	if p.L.Scope() != env.Org() {
		p.L.Open(env, env.Org())
	}
	if ownerOnly(env) || env.Personal() {
		return nil
	}
	return p.L.Ensure(env)
}

// Leave stops the load.
func (p *Pane) Leave(pane.Env) { p.L.Leave() }

// Update takes the list's pages and the bulk invite flow's answers.
func (p *Pane) Update(env pane.Env, msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case teamsMsg:
		p.onTeams(env, m)
		return nil
	case fileMsg:
		return p.onFile(env, m)
	case dryRunMsg:
		return p.onDryRun(env, m)
	}
	cmd, _ := p.L.Update(env, msg)
	return cmd
}

// Status is the list's counts and progress, and the flow's step.
func (p *Pane) Status(env pane.Env) string {
	s := p.L.Status(env)
	if p.busy != "" {
		s = strings.TrimPrefix(s+" · "+env.Spinner()+" "+p.busy, " · ")
	}
	if p.draft != "" && p.busy == "" {
		s += " · a bulk invite list is kept (" + env.Key(pane.ActNew) + ")"
	}
	return s
}

// View draws the list, or why there is none.
func (p *Pane) View(env pane.Env, w, h int) string {
	switch {
	case env.Org() == "":
		return "\n  " + env.Spinner() + " finding your organizations…"
	case env.Personal():
		return "\n  " + text.Wrap(sanitize.String(env.Org())+" is a personal namespace: it has no members to invite. Switch to an organization with :org NAME.", w-4, "  ")
	case ownerOnly(env):
		return "\n  " + text.Wrap(fmt.Sprintf("Only owners of %s can see and send invites; you are %s %s. Ask an owner to invite people for you.",
			sanitize.String(env.Org()), article(env.Role()), env.Role()), w-4, "  ")
	}
	return p.L.View(env, w, h)
}

// article is "an" before "editor", else "a".
func article(r pane.Role) string {
	if r == pane.RoleEditor || r == pane.RoleOwner {
		return "an"
	}
	return "a"
}

// Bindings are the pane's keys, in footer priority order.
func (p *Pane) Bindings(env pane.Env) []pane.Binding {
	v, ok := p.L.Selected()
	chosen := ok || p.L.Table().MarkedCount() > 0
	lb := p.L.Bindings(env)
	b := []pane.Binding{
		{Action: pane.ActNew, Keys: []string{"n"}, Help: "invite people (paste or type a list)", Short: "invite", Mutates: true,
			Disabled: pane.Gate(env, pane.RoleOwner, env.Org() != "" && !env.Personal()), Run: func() tea.Cmd { p.startPaste(env); return nil }},
		{Action: ActBulkFile, Keys: []string{"L"}, Help: "invite people from a CSV file", Short: "csv", Mutates: true,
			Disabled: pane.Gate(env, pane.RoleOwner, env.Org() != "" && !env.Personal()), Run: func() tea.Cmd { p.startFile(env); return nil }},
		{Action: ActResend, Keys: []string{"R"}, Help: "resend invite e-mail (marked or this one)", Short: "resend", Mutates: true,
			Disabled: pane.Gate(env, pane.RoleOwner, chosen), Run: func() tea.Cmd { p.askResend(env); return nil }},
		{Action: pane.ActDelete, Keys: []string{"D"}, Help: "cancel invite (marked or this one)", Short: "cancel", Mutates: true,
			Disabled: pane.Gate(env, pane.RoleOwner, chosen), Run: func() tea.Cmd { p.askCancel(env); return nil }},
	}
	b = append(b, lb[:3]...)
	b = append(b, pane.Binding{Action: pane.ActCopy, Keys: []string{"y"}, Help: "copy the invitee", Short: "copy", Group: pane.GroupGeneral,
		Disabled: pane.Gate(env, pane.RoleUnknown, ok), Run: func() tea.Cmd {
			s := sanitize.String(v.Invitee)
			env.Copy(s)
			env.Say("copied " + s)
			return nil
		}})
	return append(b, lb[3:]...)
}

// chosen are the marked invites, or the one under the cursor.
func (p *Pane) chosen() []hubclient.Invite {
	coll := p.L.Coll()
	if ids := p.L.Marked(); len(ids) > 0 {
		want := make(map[string]bool, len(ids))
		for _, id := range ids {
			want[id] = true
		}
		var out []hubclient.Invite
		for _, v := range coll.Items {
			if want[v.ID] {
				out = append(out, v)
			}
		}
		return out
	}
	if v, ok := p.L.Selected(); ok {
		return []hubclient.Invite{v}
	}
	return nil
}

// labels names each invite by its invitee (with its id's start when two
// share one) and maps the names back to the invites.
func labels(invs []hubclient.Invite) ([]string, map[string]hubclient.Invite) {
	names := make([]string, 0, len(invs))
	by := make(map[string]hubclient.Invite, len(invs))
	for _, v := range invs {
		n := sanitize.String(v.Invitee)
		if _, dup := by[n]; dup {
			n += " (" + v.ID[:min(8, len(v.ID))] + ")"
		}
		names = append(names, n)
		by[n] = v
	}
	return names, by
}

// listed is up to ten names and how many more there are, for a confirmation.
func listed(names []string) string {
	shown := names[:min(10, len(names))]
	s := strings.Join(shown, ", ")
	if len(names) > len(shown) {
		s += fmt.Sprintf(" and %d more", len(names)-len(shown))
	}
	return s
}

// askResend resends the chosen invites' e-mails, asking first.
func (p *Pane) askResend(env pane.Env) {
	invs := p.chosen()
	if len(invs) == 0 {
		return
	}
	names, by := labels(invs)
	org := env.Org()
	title := fmt.Sprintf("Resend %d invites?", len(invs))
	if len(invs) == 1 {
		title = "Resend the invite of " + names[0] + "?"
	}
	env.Ask(dialog.NewConfirm(title, "Docker Hub e-mails the invite again to "+listed(names)+". The invites stay as they are.", func() tea.Cmd {
		env.MutateEach(pane.Bulk{What: fmt.Sprintf("resending %d invites of %s", len(names), org), Done: fmt.Sprintf("resent %d invites of %s", len(names), org),
			Title: "Resending invites", Items: names,
			Do: func(ctx context.Context, c *hubclient.Client, item string) error {
				_, err := c.Invites.Resend(ctx, by[item].ID)
				return err
			},
			Apply: func([]string) tea.Cmd { return nil }})
		return nil
	}))
}

// askCancel cancels the chosen invites, asking first; the list drops
// those the Hub cancelled.
func (p *Pane) askCancel(env pane.Env) {
	invs := p.chosen()
	if len(invs) == 0 {
		return
	}
	names, by := labels(invs)
	org := env.Org()
	title := fmt.Sprintf("Cancel %d invites?", len(invs))
	if len(invs) == 1 {
		title = "Cancel the invite of " + names[0] + "?"
	}
	body := "The invite links sent to " + listed(names) + " stop working; they can be invited again later."
	if rule := p.L.MarkRule(); rule != "" {
		body += " Marked by the filter: " + rule + "."
	}
	coll := p.L.Coll()
	env.Ask(dialog.NewConfirm(title, body, func() tea.Cmd {
		env.MutateEach(pane.Bulk{What: fmt.Sprintf("cancelling %d invites of %s", len(names), org), Done: fmt.Sprintf("cancelled %d invites of %s", len(names), org),
			Title: "Cancelling invites", Items: names,
			Do: func(ctx context.Context, c *hubclient.Client, item string) error {
				_, err := c.Invites.Cancel(ctx, by[item].ID)
				return err
			},
			Apply: func(done []string) tea.Cmd {
				if p.L.Coll() != coll {
					return nil
				}
				gone := map[string]bool{}
				for _, n := range done {
					gone[by[n].ID] = true
				}
				p.L.KeepCursor()
				coll.RemoveWhere(func(v hubclient.Invite) bool { return gone[v.ID] })
				p.L.ClearMarks()
				return p.L.ItemsChanged()
			}})
		return nil
	}))
}
