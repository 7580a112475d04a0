package tokens

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

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

// Columns of the personal access tokens list.
const (
	patLabel = iota
	patScopes
	patActive
	patExpires
	patLastUsed
	patAttention
	patCreated
)

func optTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// patSpec lists the signed-in user's personal access tokens.
func (p *Pane) patSpec() list.Spec[hubclient.AccessToken] {
	return list.Spec[hubclient.AccessToken]{
		Kind: state.Tokens,
		Noun: "personal access tokens",
		Columns: []table.Column{
			{Title: "LABEL", Min: 14, Max: 36, Flex: 2},
			{Title: "SCOPES", Min: 10, Max: 40, Flex: 1},
			{Title: "ACTIVE", Min: 6, Max: 6},
			{Title: "EXPIRES", Min: 10, Max: 10},
			{Title: "LAST USED", Min: 9, Max: 9},
			{Title: "ATTENTION", Min: 12, Max: 40, Flex: 1},
			{Title: "CREATED", Min: 10, Max: 10},
		},
		Cell: func(t hubclient.AccessToken, col int) string {
			switch col {
			case patLabel:
				return t.TokenLabel
			case patScopes:
				return strings.Join(t.Scopes, ", ")
			case patActive:
				return yesNo(t.IsActive)
			case patExpires:
				return Expiry(t.ExpiresAt, p.now)
			case patLastUsed:
				return LastUsed(t.LastUsed, p.now)
			case patAttention:
				return PATFlags(t, p.now).String()
			case patCreated:
				return day(t.CreatedAt)
			}
			return ""
		},
		Schema: state.Schema[hubclient.AccessToken]{
			Name: func(t hubclient.AccessToken) string { return t.TokenLabel },
			Compare: func(a, b hubclient.AccessToken, col int) int {
				switch col {
				case patScopes:
					return strings.Compare(strings.Join(a.Scopes, ","), strings.Join(b.Scopes, ","))
				case patActive:
					return text.CompareBool(a.IsActive, b.IsActive)
				case patExpires:
					return compareExpiry(a.ExpiresAt, b.ExpiresAt)
				case patLastUsed:
					return optTime(a.LastUsed).Compare(optTime(b.LastUsed))
				case patAttention:
					return text.CompareInt(int(PATFlags(a, time.Now())), int(PATFlags(b, time.Now())))
				case patCreated:
					return a.CreatedAt.Compare(b.CreatedAt)
				}
				return strings.Compare(a.TokenLabel, b.TokenLabel)
			},
		},
		ID:        func(t hubclient.AccessToken) string { return t.UUID },
		DescFirst: []int{patLastUsed, patAttention, patCreated},
		Fetch: func(c *hubclient.Client, _ string) hubclient.PageFunc[hubclient.AccessToken] {
			return func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.AccessToken, *hubclient.Response, error) {
				return c.Tokens.List(ctx, &hubclient.TokenListOptions{ListOptions: o})
			}
		},
	}
}

// compareExpiry orders the soonest expiry first and "never" last.
func compareExpiry(a, b *time.Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return a.Compare(*b)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func day(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02")
}

// patDetail is the selected token's details under the list.
func (p *Pane) patDetail(env pane.Env, w int) []string {
	t, ok := p.PATs.Selected()
	if !ok {
		return nil
	}
	th := env.Theme()
	s := func(v string) string { return sanitize.String(v) }
	l1 := fmt.Sprintf("%s · created %s from %s with %s", s(t.TokenLabel), text.LongTime(t.CreatedAt), text.OrDash(s(t.CreatorIP)), text.OrDash(s(t.CreatorUA)))
	exp := "never expires"
	if t.ExpiresAt != nil {
		exp = "expires " + text.LongTime(*t.ExpiresAt)
	}
	used := "never used"
	if t.LastUsed != nil {
		used = "last used " + text.LongTime(*t.LastUsed)
	}
	l2 := exp + " · " + used
	if f := PATFlags(t, p.now); f != 0 {
		l2 = "needs attention: " + f.String() + " · " + l2
	}
	l3 := fmt.Sprintf("scopes %s · id %s", s(strings.Join(t.Scopes, ", ")), s(t.UUID))
	return []string{"  " + text.Truncate(l1, w-4), "  " + th.Dim.Render(text.Truncate(l2, w-4)), "  " + th.Dim.Render(text.Truncate(l3, w-4))}
}

// patBindings are the keys of the personal view.
func (p *Pane) patBindings(env pane.Env) []pane.Binding {
	t, ok := p.PATs.Selected()
	marked := p.PATs.Table().MarkedCount()
	back, first, rest := splitList(p.PATs.Bindings(env))
	b := append(back, first...)
	b = append(b,
		pane.Binding{Action: pane.ActNew, Keys: []string{"n"}, Help: "new personal access token (its secret is shown once)", Short: "new",
			Mutates: true, Disabled: p.patReady(env, true), Run: func() tea.Cmd { p.askCreatePAT(env); return nil }},
		pane.Binding{Action: pane.ActEdit, Keys: []string{"e"}, Help: "rename token", Short: "rename",
			Mutates: true, Disabled: p.patReady(env, ok), Run: func() tea.Cmd { p.askRenamePAT(env, t); return nil }},
		pane.Binding{Action: ActToggleActive, Keys: []string{"a"}, Help: "activate / deactivate token", Short: "on/off",
			Mutates: true, Disabled: p.patReady(env, ok), Run: func() tea.Cmd { p.askTogglePAT(env, t); return nil }},
		pane.Binding{Action: pane.ActDelete, Keys: []string{"D"}, Help: "delete token, or the marked tokens (asks first)", Short: "delete",
			Mutates: true, Disabled: p.patReady(env, ok || marked > 0), Run: func() tea.Cmd { p.askDeletePATs(env); return nil }},
	)
	return append(b, rest...)
}

// patReady says why a PAT change cannot be made now, or "".
func (p *Pane) patReady(env pane.Env, selected bool) string {
	if forbidden(p.PATs.Coll()) != "" {
		return "this session cannot manage personal access tokens: sign in with your password"
	}
	return pane.Gate(env, pane.RoleUnknown, selected)
}

// CheckLabel is the Hub's rule for a token label, applied as it is typed.
func CheckLabel(v string) error {
	switch n := utf8.RuneCountInString(v); {
	case strings.TrimSpace(v) == "":
		return fmt.Errorf("give the token a label, such as the machine or job that uses it")
	case n > hubclient.MaxTokenLabelLength:
		return fmt.Errorf("the label has %d characters; the Hub takes at most %d", n, hubclient.MaxTokenLabelLength)
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		return fmt.Errorf("the label is one line of printable text")
	}
	return nil
}

// Expiry choices of a new token.
var expiryChoices = []string{"never", "30 days", "60 days", "90 days", "180 days", "365 days", "on a date"}

// expiryFields are the form fields of a new token's expiry.
func expiryFields(now func() time.Time) []dialog.Field {
	return []dialog.Field{
		{Key: "expiry", Label: "Expires", Choices: expiryChoices, Initial: "90 days",
			Help: "←/→ to choose; a token that never expires is one more thing to rotate by hand"},
		{Key: "date", Label: "Date (YYYY-MM-DD, for 'on a date')", Limit: 10, Check: func(v string) error {
			if v == "" {
				return nil
			}
			_, err := parseDate(v, now())
			return err
		}},
	}
}

// parseDate reads a YYYY-MM-DD expiry, which must lie in the future.
func parseDate(v string, now time.Time) (time.Time, error) {
	d, err := time.Parse("2006-01-02", strings.TrimSpace(v))
	if err != nil {
		return time.Time{}, fmt.Errorf("write the date as YYYY-MM-DD, like %s", now.AddDate(0, 3, 0).Format("2006-01-02"))
	}
	if !d.After(now) {
		return time.Time{}, fmt.Errorf("the date must be in the future")
	}
	return d.UTC(), nil
}

// expiryOf is the expiry the form's values ask for: nil for never.
func expiryOf(v map[string]string, now time.Time) (*time.Time, error) {
	c := v["expiry"]
	if c != "on a date" && strings.TrimSpace(v["date"]) != "" {
		return nil, fmt.Errorf("choose 'on a date' above to expire on this date, or empty it")
	}
	switch c {
	case "never":
		return nil, nil
	case "on a date":
		if strings.TrimSpace(v["date"]) == "" {
			return nil, fmt.Errorf("give the date, or choose another expiry")
		}
		d, err := parseDate(v["date"], now)
		return &d, err
	default:
		var days int
		if _, err := fmt.Sscanf(c, "%d days", &days); err != nil {
			return nil, fmt.Errorf("expiry %q: %w", c, err)
		}
		t := now.Add(time.Duration(days) * 24 * time.Hour).UTC().Truncate(time.Second)
		return &t, nil
	}
}

// patScopeItems are the documented PAT scopes, with what each allows.
func patScopeItems() []dialog.Item {
	return []dialog.Item{
		{ID: hubclient.ScopeRepoAdmin, Label: hubclient.ScopeRepoAdmin, Detail: "read, write and delete repositories (broad)"},
		{ID: hubclient.ScopeRepoWrite, Label: hubclient.ScopeRepoWrite, Detail: "read and push"},
		{ID: hubclient.ScopeRepoRead, Label: hubclient.ScopeRepoRead, Detail: "pull public and private repositories"},
		{ID: hubclient.ScopeRepoPublicRead, Label: hubclient.ScopeRepoPublicRead, Detail: "pull public repositories only"},
	}
}

// askCreatePAT asks for a new token's label and expiry, then its scopes,
// then creates it and shows its secret once.
func (p *Pane) askCreatePAT(env pane.Env) {
	p.askCreatePATForm(env, nil)
}

func (p *Pane) askCreatePATForm(env pane.Env, keep map[string]string) {
	fields := append([]dialog.Field{{Key: "label", Label: "Label", Limit: hubclient.MaxTokenLabelLength, Check: CheckLabel,
		Help: "what uses it: a machine, a CI job"}}, expiryFields(env.Now)...)
	for i := range fields {
		if v, ok := keep[fields[i].Key]; ok {
			fields[i].Initial = v
		}
	}
	var f *dialog.Form
	f = dialog.NewForm("New personal access token", "A token signs in as you wherever a password would, within its scopes.", fields,
		func(v map[string]string) tea.Cmd {
			exp, err := expiryOf(v, env.Now())
			if err != nil {
				p.askCreatePATForm(env, v)
				return nil
			}
			label := v["label"]
			env.Ask(dialog.NewPicker("Scopes of "+label+" (space chooses, enter creates)", patScopeItems(), []string{hubclient.ScopeRepoRead}, true,
				func(scopes []string) tea.Cmd {
					p.createPAT(env, hubclient.CreateAccessTokenRequest{TokenLabel: label, Scopes: scopes, ExpiresAt: exp})
					return nil
				}))
			return nil
		})
	if keep != nil {
		if _, err := expiryOf(keep, env.Now()); err != nil {
			f.SetError("date", err.Error())
		}
	}
	env.Ask(f)
}

// createPAT creates the token; the list gets its row (without the
// secret), and the secret goes to the shown-once dialog alone.
func (p *Pane) createPAT(env pane.Env, req hubclient.CreateAccessTokenRequest) {
	coll := p.PATs.Coll()
	env.Mutate(pane.Change{What: "creating the personal access token " + req.TokenLabel, Done: "created the personal access token " + req.TokenLabel,
		Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
			t, _, err := c.Tokens.Create(ctx, req)
			if err != nil || t == nil {
				return nil, err
			}
			secret := t.Token
			t.Token = ""
			row := *t
			return func() tea.Cmd {
				if p.PATs.Coll() == coll {
					coll.Insert(0, row)
					p.PATs.Table().SetCursor(0)
				}
				showSecret(env, "Personal access token "+row.TokenLabel,
					"Use it as the password: docker login -u "+env.User()+". Copy it now and keep it in a password manager or your CI's secret store. "+
						"Docker Hub will not show it again, and hubtui keeps no copy once this box is closed.", secret)
				secret = ""
				return p.PATs.ItemsChanged()
			}, nil
		}})
}

// showSecret shows a new token's value once; y copies it (OSC 52).
func showSecret(env pane.Env, title, note string, secret hubclient.Secret) {
	env.Ask(dialog.NewSecret(title, note, secret.Reveal(), func(s string) tea.Cmd {
		env.Copy(s)
		env.Say("copied the token to the clipboard")
		return nil
	}))
}

// askRenamePAT asks for a new label.
func (p *Pane) askRenamePAT(env pane.Env, t hubclient.AccessToken) {
	old := sanitize.String(t.TokenLabel)
	env.Ask(dialog.NewPrompt("Rename "+old, "A new label; the token and its secret stay as they are.", old, hubclient.MaxTokenLabelLength, CheckLabel,
		func(v string) tea.Cmd {
			if v == old {
				env.Say("label unchanged")
				return nil
			}
			p.updatePAT(env, t, "renaming "+old+" to "+v, "renamed "+old+" to "+v, hubclient.UpdateAccessTokenRequest{TokenLabel: &v},
				func(x *hubclient.AccessToken) { x.TokenLabel = v })
			return nil
		}))
}

// askTogglePAT activates or deactivates a token, asking first.
func (p *Pane) askTogglePAT(env pane.Env, t hubclient.AccessToken) {
	label := sanitize.String(t.TokenLabel)
	on := !t.IsActive
	title, body, what, done := "Deactivate "+label+"?", "Sign-ins with it fail until it is activated again; nothing is deleted.", "deactivating "+label, "deactivated "+label
	if on {
		title, body, what, done = "Activate "+label+"?", "It signs in again, within its scopes.", "activating "+label, "activated "+label
	}
	env.Ask(dialog.NewConfirm(title, body, func() tea.Cmd {
		p.updatePAT(env, t, what, done, hubclient.UpdateAccessTokenRequest{IsActive: &on}, func(x *hubclient.AccessToken) { x.IsActive = on })
		return nil
	}))
}

// updatePAT sends a change of t and puts it on screen once done.
func (p *Pane) updatePAT(env pane.Env, t hubclient.AccessToken, what, done string, req hubclient.UpdateAccessTokenRequest, change func(*hubclient.AccessToken)) {
	coll := p.PATs.Coll()
	id := t.UUID
	env.Mutate(pane.Change{What: what, Done: done, Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
		_, _, err := c.Tokens.Update(ctx, id, req)
		return func() tea.Cmd {
			if p.PATs.Coll() != coll {
				return nil
			}
			if i := coll.Find(func(x hubclient.AccessToken) bool { return x.UUID == id }); i >= 0 {
				x := coll.Items[i]
				change(&x)
				coll.Replace(i, x)
			}
			p.PATs.KeepCursor()
			return p.PATs.ItemsChanged()
		}, err
	}})
}

// itemSep separates a bulk item's label from its id.
const itemSep = " · id "

// askDeletePATs deletes the marked tokens (or the one under the cursor),
// showing which before anything is sent.
func (p *Pane) askDeletePATs(env pane.Env) {
	ids := p.PATs.Marked()
	if len(ids) == 0 {
		t, ok := p.PATs.Selected()
		if !ok {
			return
		}
		ids = []string{t.UUID}
	}
	p.askDeletePATIDs(env, ids)
}

// askDeletePATIDs deletes the tokens with ids, naming them first.
func (p *Pane) askDeletePATIDs(env pane.Env, ids []string) {
	coll := p.PATs.Coll()
	var items []string
	for _, id := range ids {
		if i := coll.Find(func(x hubclient.AccessToken) bool { return x.UUID == id }); i >= 0 {
			items = append(items, sanitize.String(coll.Items[i].TokenLabel)+itemSep+id)
		}
	}
	if len(items) == 0 {
		return
	}
	slices.Sort(items)
	title := "Delete the personal access token " + strings.Split(items[0], itemSep)[0] + "?"
	body := "Whatever signs in with it stops working. It cannot be undone."
	if len(items) > 1 {
		title = fmt.Sprintf("Delete %d personal access tokens?", len(items))
		shown := make([]string, 0, 13)
		for i, it := range items {
			if i == 12 {
				shown = append(shown, fmt.Sprintf("… and %d more", len(items)-12))
				break
			}
			shown = append(shown, "• "+strings.Split(it, itemSep)[0])
		}
		body = strings.Join(shown, "\n") + "\n\nWhatever signs in with them stops working. It cannot be undone."
	}
	run := func() tea.Cmd {
		env.MutateEach(pane.Bulk{
			What:  fmt.Sprintf("deleting %d personal access token(s)", len(items)),
			Done:  fmt.Sprintf("deleted %d personal access token(s)", len(items)),
			Title: fmt.Sprintf("Deleting %d personal access token(s)", len(items)),
			Items: items,
			Do: func(ctx context.Context, c *hubclient.Client, item string) error {
				_, err := c.Tokens.Delete(ctx, idOf(item))
				return err
			},
			Apply: func(done []string) tea.Cmd {
				if p.PATs.Coll() != coll {
					return nil
				}
				gone := map[string]bool{}
				for _, it := range done {
					gone[idOf(it)] = true
				}
				p.PATs.KeepCursor()
				coll.RemoveWhere(func(x hubclient.AccessToken) bool { return gone[x.UUID] })
				p.PATs.ClearMarks()
				return p.PATs.ItemsChanged()
			},
		})
		return nil
	}
	c := dialog.NewConfirm(title, body, run)
	c.Danger = true
	env.Ask(c)
}

// idOf is the id of a bulk item.
func idOf(item string) string {
	i := strings.LastIndex(item, itemSep)
	if i < 0 {
		return item
	}
	return item[i+len(itemSep):]
}
