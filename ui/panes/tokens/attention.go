package tokens

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/table"
)

// attRow is one token of either kind that needs attention.
type attRow struct {
	kind     string // "personal" or "organization"
	id       string
	label    string
	flags    Flag
	expires  *time.Time
	lastUsed *time.Time
	active   bool
}

var attColumns = []table.Column{
	{Title: "KIND", Min: 12, Max: 12},
	{Title: "LABEL", Min: 14, Max: 36, Flex: 2},
	{Title: "NEEDS ATTENTION", Min: 16, Max: 50, Flex: 2},
	{Title: "EXPIRES", Min: 10, Max: 10},
	{Title: "LAST USED", Min: 9, Max: 9},
	{Title: "ACTIVE", Min: 6, Max: 6},
}

// attention brings the rows of the attention view up to date: every
// token of both lists with a flag, personal ones first.
func (p *Pane) attention(now time.Time) {
	pc, oc := p.PATs.Coll(), p.OATs.Coll()
	m := memo{items: [2]any{pc, oc}, head: [2]any{headOf(pc.Items), headOf(oc.Items)}, n: len(pc.Items)<<16 | len(oc.Items),
		res: len(p.res), hour: now.Unix() / 3600, ok: true}
	if m == p.attMemo {
		return
	}
	p.attMemo = m
	p.attRows = p.attRows[:0]
	for _, t := range pc.Items {
		if f := PATFlags(t, now); f != 0 {
			p.attRows = append(p.attRows, attRow{kind: "personal", id: t.UUID, label: t.TokenLabel, flags: f,
				expires: t.ExpiresAt, lastUsed: t.LastUsed, active: t.IsActive})
		}
	}
	for _, t := range oc.Items {
		if f := OATFlags(p.withRes(t), now); f != 0 {
			p.attRows = append(p.attRows, attRow{kind: "organization", id: t.ID, label: t.Label, flags: f,
				expires: t.ExpiresAt, lastUsed: t.LastUsedAt, active: t.IsActive})
		}
	}
	rows := p.attRows
	p.att.SetSource(len(rows), func(row, col int) string {
		r := rows[row]
		switch col {
		case 0:
			return r.kind
		case 1:
			return r.label
		case 2:
			return r.flags.String()
		case 3:
			return Expiry(r.expires, p.now)
		case 4:
			return LastUsed(r.lastUsed, p.now)
		case 5:
			return yesNo(r.active)
		}
		return ""
	})
	p.att.SetID(func(row int) string { return rows[row].kind + rows[row].id })
	p.att.SetCursor(p.att.Cursor())
}

// attSelected is the row under the attention view's cursor.
func (p *Pane) attSelected() (attRow, bool) {
	i := p.att.Cursor()
	if i < 0 || i >= len(p.attRows) {
		return attRow{}, false
	}
	return p.attRows[i], true
}

// attBindings are the keys of the attention view: enter goes to the
// token in its own view, where the changes are.
func (p *Pane) attBindings(env pane.Env) []pane.Binding {
	r, ok := p.attSelected()
	return []pane.Binding{
		{Action: pane.ActOpen, Keys: []string{"enter"}, Help: "show the token in its own view", Short: "go to",
			Disabled: pane.Gate(env, pane.RoleUnknown, ok), Run: func() tea.Cmd { p.goTo(r); return nil }},
		{Action: ActToggleActive, Keys: []string{"a"}, Help: "activate / deactivate token", Short: "on/off",
			Mutates: true, Disabled: p.attReady(env, r, ok), Run: func() tea.Cmd { p.attToggle(env, r); return nil }},
		{Action: pane.ActDelete, Keys: []string{"D"}, Help: "delete token (asks first)", Short: "delete",
			Mutates: true, Disabled: p.attReady(env, r, ok), Run: func() tea.Cmd { p.attDelete(env, r); return nil }},
		{Action: pane.ActRefresh, Keys: []string{"r"}, Help: "refresh both lists", Short: "refresh", Group: pane.GroupGeneral,
			Run: func() tea.Cmd {
				cmds := []tea.Cmd{p.PATs.Load(env)}
				if !env.Personal() {
					p.resFor = nil
					cmds = append(cmds, p.OATs.Load(env))
				}
				return tea.Batch(cmds...)
			}},
	}
}

// attReady says why a change of r cannot be made now, or "".
func (p *Pane) attReady(env pane.Env, r attRow, ok bool) string {
	if !ok {
		return "nothing selected"
	}
	if r.kind == "personal" {
		return p.patReady(env, true)
	}
	return p.oatReady(env, true)
}

// attToggle activates or deactivates the token of r.
func (p *Pane) attToggle(env pane.Env, r attRow) {
	if r.kind == "personal" {
		if i := p.PATs.Coll().Find(func(t hubclient.AccessToken) bool { return t.UUID == r.id }); i >= 0 {
			p.askTogglePAT(env, p.PATs.Coll().Items[i])
		}
		return
	}
	if i := p.OATs.Coll().Find(func(t hubclient.OrgAccessToken) bool { return t.ID == r.id }); i >= 0 {
		p.askToggleOAT(env, p.OATs.Coll().Items[i])
	}
}

// attDelete deletes the token of r, asking as its own view does.
func (p *Pane) attDelete(env pane.Env, r attRow) {
	if r.kind == "personal" {
		p.askDeletePATIDs(env, []string{r.id})
		return
	}
	if i := p.OATs.Coll().Find(func(t hubclient.OrgAccessToken) bool { return t.ID == r.id }); i >= 0 {
		p.askDeleteOAT(env, p.OATs.Coll().Items[i])
	}
}

// goTo switches to r's view with the cursor on it.
func (p *Pane) goTo(r attRow) {
	if r.kind == "personal" {
		p.view = Personal
		for i := range p.PATs.Visible() {
			if t, _ := p.PATs.Row(i); t.UUID == r.id {
				p.PATs.Table().SetCursor(i)
			}
		}
		return
	}
	p.view = Organization
	for i := range p.OATs.Visible() {
		if t, _ := p.OATs.Row(i); t.ID == r.id {
			p.OATs.Table().SetCursor(i)
		}
	}
}
