package members

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/safeout"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// previewLines is how many members a confirmation lists by name.
const previewLines = 12

// targets are the members a change applies to: the marked ones, else the
// one under the cursor; skipped are the marked invitees, which are not
// members yet.
func (p *Pane) targets() (ms []hubclient.Member, skipped int) {
	ids := p.L.Marked()
	if len(ids) == 0 {
		m, ok := p.L.Selected()
		if !ok {
			return nil, 0
		}
		if m.IsInvitee() {
			return nil, 1
		}
		return []hubclient.Member{m}, 0
	}
	want := make(map[string]bool, len(ids))
	for _, i := range ids {
		want[i] = true
	}
	for _, m := range p.L.Coll().Items {
		if !want[id(m)] {
			continue
		}
		if m.IsInvitee() {
			skipped++
			continue
		}
		ms = append(ms, m)
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Username < ms[j].Username })
	return ms, skipped
}

// gate is why a change of members cannot be made now, or "".
func (p *Pane) gate(env pane.Env) string {
	ms, skipped := p.targets()
	if why := pane.Gate(env, pane.RoleOwner, len(ms) > 0 || skipped > 0); why != "" {
		return why
	}
	if len(ms) == 0 {
		return "invitees are not members yet: cancel or resend their invites in the Invites pane"
	}
	return ""
}

// roleBinding changes the role of the marked members, or the one under the cursor.
func (p *Pane) roleBinding(env pane.Env) pane.Binding {
	return pane.Binding{Action: ActChangeRole, Keys: []string{"c"}, Help: "change role of member or marked ones", Short: "set role",
		Mutates: true, Disabled: p.gate(env), Run: func() tea.Cmd {
			ms, skipped := p.targets()
			p.askRole(env, ms, skipped)
			return nil
		}}
}

// removeBinding removes the marked members, or the one under the cursor,
// once the name (or the count) is typed.
func (p *Pane) removeBinding(env pane.Env) pane.Binding {
	return pane.Binding{Action: pane.ActDelete, Keys: []string{"D"}, Help: "remove member or marked ones from the org", Short: "remove",
		Mutates: true, Disabled: p.gate(env), Run: func() tea.Cmd {
			ms, skipped := p.targets()
			p.askRemove(env, ms, skipped)
			return nil
		}}
}

// roleItems are the roles a picker offers.
func roleItems() []dialog.Item {
	return []dialog.Item{
		{ID: hubclient.OrgRoleOwner, Label: "owner", Detail: "everything: members, teams, billing, settings, every repository"},
		{ID: hubclient.OrgRoleEditor, Label: "editor", Detail: "manage repositories and teams' access to them"},
		{ID: hubclient.OrgRoleMember, Label: "member", Detail: "what their teams are given"},
	}
}

// askRole asks for the new role, then confirms with a preview of each
// member's change.
func (p *Pane) askRole(env pane.Env, ms []hubclient.Member, skipped int) {
	if len(ms) == 0 {
		return
	}
	title := "New role for " + ms[0].Username
	if len(ms) > 1 {
		title = fmt.Sprintf("New role for %d members", len(ms))
	}
	env.Ask(dialog.NewPicker(title, roleItems(), []string{ms[0].OrgRole()}, false, func(ids []string) tea.Cmd {
		if len(ids) == 1 {
			p.confirmRole(env, ms, skipped, ids[0])
		}
		return nil
	}))
}

// RolePreview is the line a role change's confirmation shows for m.
func RolePreview(m hubclient.Member, role string) string {
	if m.OrgRole() == role {
		return fmt.Sprintf("%s: already %s (unchanged)", m.Username, role)
	}
	return fmt.Sprintf("%s: %s → %s", m.Username, m.OrgRole(), role)
}

func (p *Pane) confirmRole(env pane.Env, ms []hubclient.Member, skipped int, role string) {
	var change []string
	var lines []string
	for _, m := range ms {
		if m.OrgRole() != role {
			change = append(change, m.Username)
		}
		lines = append(lines, RolePreview(m, role))
	}
	if len(change) == 0 {
		env.Say(fmt.Sprintf("nothing to change: already %s", role))
		return
	}
	org, coll := env.Org(), p.L.Coll()
	body := preview(lines)
	if skipped > 0 {
		body += fmt.Sprintf("\n\n%d marked invitee(s) left out: invitees get their role from the invite.", skipped)
	}
	switch role {
	case hubclient.OrgRoleOwner:
		body += "\n\nOwners can change everything in " + org + ", its members and billing included; they join the owners team."
	default:
		if slices.ContainsFunc(ms, func(m hubclient.Member) bool { return m.OrgRole() == hubclient.OrgRoleOwner }) {
			body += "\n\nOwners made " + role + " leave the owners team. The Hub keeps at least one owner."
		}
	}
	title := fmt.Sprintf("Make %s %s?", change[0], role)
	if len(change) > 1 {
		title = fmt.Sprintf("Make %d members %s?", len(change), role+"s")
	}
	env.Ask(dialog.NewConfirm(title, body, func() tea.Cmd {
		env.MutateEach(pane.Bulk{
			What:  fmt.Sprintf("making %d member(s) of %s %s", len(change), org, role),
			Done:  fmt.Sprintf("made %d member(s) of %s %s", len(change), org, role),
			Title: fmt.Sprintf("Making %d member(s) %s", len(change), role),
			Items: change,
			Do: func(ctx context.Context, c *hubclient.Client, username string) error {
				_, _, err := c.Members.UpdateRole(ctx, org, username, role)
				return err
			},
			Apply: func(done []string) tea.Cmd {
				if p.L.Coll() != coll {
					return nil
				}
				ok := make(map[string]bool, len(done))
				for _, u := range done {
					ok[u] = true
				}
				for i, m := range coll.Items {
					if ok[m.Username] && !m.IsInvitee() {
						coll.Replace(i, withRole(m, role))
					}
				}
				if d := p.detail; d != nil && ok[d.m.Username] {
					d.m = withRole(d.m, role)
				}
				p.staleOthers(env)
				stale[hubclient.Team](env, state.Teams, org) // the owners team's count
				p.L.KeepCursor()
				p.L.ClearMarks()
				return p.L.ItemsChanged()
			},
		})
		return nil
	}))
}

// withRole is m with role, in and out of the owners team as the Hub does.
func withRole(m hubclient.Member, role string) hubclient.Member {
	m.Role = strings.ToUpper(role[:1]) + role[1:]
	groups := slices.DeleteFunc(slices.Clone(m.Groups), func(g string) bool { return g == hubclient.OwnersTeam })
	if role == hubclient.OrgRoleOwner {
		groups = append(groups, hubclient.OwnersTeam)
		slices.Sort(groups)
	}
	m.Groups = groups
	return m
}

// preview lists lines, the first previewLines of them.
func preview(lines []string) string {
	if len(lines) > previewLines {
		lines = append(lines[:previewLines:previewLines], fmt.Sprintf("… and %d more", len(lines)-previewLines))
	}
	return strings.Join(lines, "\n")
}

// RemovePhrase is what must be typed to remove n members at once.
func RemovePhrase(n int) string { return fmt.Sprintf("remove %d members", n) }

// askRemove asks for the username (or, for several, the count) to be typed.
func (p *Pane) askRemove(env pane.Env, ms []hubclient.Member, skipped int) {
	if len(ms) == 0 {
		return
	}
	org, user, coll := env.Org(), env.User(), p.L.Coll()
	names := make([]string, len(ms))
	lines := make([]string, len(ms))
	self := false
	for i, m := range ms {
		names[i] = m.Username
		lines[i] = m.Username
		if m.FullName != "" {
			lines[i] += " (" + m.FullName + ")"
		}
		if len(m.Groups) > 0 {
			lines[i] += " — teams: " + strings.Join(m.Groups, ", ")
		}
		self = self || m.Username == user
	}
	title, typed := "Remove "+names[0]+" from "+org, names[0]
	if len(ms) > 1 {
		title, typed = fmt.Sprintf("Remove %d members from %s", len(ms), org), RemovePhrase(len(ms))
	}
	body := preview(lines) + "\n\nThey leave every team of " + org + " and lose access to its private repositories. Adding them back takes a new invite."
	if self {
		body += "\n\nYou are removing yourself: you will lose access to " + org + "."
	}
	if skipped > 0 {
		body += fmt.Sprintf("\n\n%d marked invitee(s) left out: cancel invites in the Invites pane.", skipped)
	}
	env.Ask(dialog.NewTyped(title, body, typed, func() tea.Cmd {
		env.MutateEach(pane.Bulk{
			What:  fmt.Sprintf("removing %d member(s) from %s", len(names), org),
			Done:  fmt.Sprintf("removed %d member(s) from %s", len(names), org),
			Title: fmt.Sprintf("Removing %d member(s) from %s", len(names), org),
			Items: names,
			Do: func(ctx context.Context, c *hubclient.Client, username string) error {
				_, err := c.Members.Remove(ctx, org, username)
				return err
			},
			Apply: func(done []string) tea.Cmd { return p.forget(env, coll, done) },
		})
		return nil
	}))
}

// forget drops removed members from the list and closes the page of one.
func (p *Pane) forget(env pane.Env, coll *state.Collection[hubclient.Member], done []string) tea.Cmd {
	gone := make(map[string]bool, len(done))
	for _, u := range done {
		gone[u] = true
	}
	if d := p.detail; d != nil && gone[d.m.Username] {
		d.close()
	}
	p.staleOthers(env)
	stale[hubclient.Team](env, state.Teams, env.Org()) // member counts
	if p.L.Coll() != coll {
		return nil
	}
	p.L.KeepCursor()
	p.L.Coll().RemoveWhere(func(m hubclient.Member) bool { return !m.IsInvitee() && gone[m.Username] })
	p.L.ClearMarks()
	return p.L.ItemsChanged()
}

// exportBinding saves the Hub's CSV export of the members to a file.
func (p *Pane) exportBinding(env pane.Env) pane.Binding {
	return pane.Binding{Action: ActExport, Keys: []string{"x"}, Help: "save the Hub's members CSV to a file", Short: "export",
		Disabled: pane.Gate(env, pane.RoleEditor, env.Org() != ""), Run: func() tea.Cmd {
			org := env.Org()
			def := DefaultExportPath(org, env.Now())
			env.Ask(dialog.NewPrompt("Save the members of "+org+" as CSV",
				"The Hub's export: every member and pending invitee with role, teams and date joined. A leading ~/ is your home directory.",
				def, 0, safeout.CheckPath, func(path string) tea.Cmd { return p.save(env, org, path, false) }))
			return nil
		}}
}

// DefaultExportPath is where the export is offered to be saved: the XDG
// data directory, named after the org and the time, never after anything
// the server said.
func DefaultExportPath(org string, now time.Time) string {
	return safeout.DefaultPath(org, "members", "csv", now)
}

// save downloads the export and writes it to path in a Cmd; an existing
// file is only replaced when overwrite is set (after asking).
func (p *Pane) save(env pane.Env, org, path string, overwrite bool) tea.Cmd {
	c := env.Client()
	if c == nil {
		return nil
	}
	return func() tea.Msg {
		rows := 0
		r := safeout.Save(path, overwrite, func() ([]byte, error) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			ex, _, err := c.Members.Export(ctx, org)
			if err != nil {
				return nil, err
			}
			body, err := cleanCSV(ex.Raw)
			if err != nil {
				return nil, fmt.Errorf("read the export of %s: %w", org, err)
			}
			rows = len(ex.Rows)
			return body, nil
		})
		return savedMsg{path: r.Path, rows: rows, exists: r.Exists, err: r.Err}
	}
}

// saved reports the end of a save, asking before replacing a file.
func (p *Pane) saved(env pane.Env, m savedMsg) tea.Cmd {
	org := env.Org()
	switch {
	case m.exists:
		env.Ask(dialog.NewReplace(m.path, func() tea.Cmd { return p.save(env, org, m.path, true) }))
	case m.err != nil:
		env.Fail("", fmt.Errorf("save the members export: %w", m.err))
	default:
		p.savedNote = "Saved to " + sanitize.String(m.path)
		env.Say(fmt.Sprintf("saved %d members and invitees of %s", m.rows, org))
	}
	return nil
}

// cleanCSV re-encodes the Hub's CSV with every cell sanitised, so showing
// the file in a terminal is as safe as showing the list.
func cleanCSV(raw []byte) ([]byte, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for _, rec := range recs {
		for i := range rec {
			rec[i] = sanitize.String(rec[i])
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}
