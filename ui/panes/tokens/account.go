package tokens

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/text"
)

// The Account page's own actions, by config name.
const (
	ActAddEmail    = "add_email"
	ActRemoveEmail = "remove_email"
)

// Account is the signed-in user's account, pushed over the Tokens pane:
// the profile (GET /v2/user/, and the account API v1.1 where the Hub
// offers it) and e-mail addresses, with the changes the account API
// allows. Where the Hub answers the account API 404 or 410 the page is
// read-only and says so once.
type Account struct {
	me         *hubclient.User
	meErr      error
	prof       *hubclient.AccountProfile
	profErr    error
	emails     []hubclient.AccountEmail
	emailsErr  error
	loaded     bool
	gen        uint64
	cancel     context.CancelFunc
	cursor     int // over the e-mail addresses
	scroll     int
	height     int
	cursorLine int // the line of the selected address at the last View; -1 when none
}

// Kind is state.Tokens: the page lives on the Tokens tab.
func (a *Account) Kind() state.Kind { return state.Tokens }

// Title names the page in the breadcrumbs.
func (a *Account) Title() string { return "Account" }

// Busy reports the fetch in flight.
func (a *Account) Busy() bool { return !a.loaded }

// Offered reports whether the Hub offers the account API (false once it
// answered 404 or 410).
func (a *Account) Offered() bool {
	return !errors.Is(a.profErr, hubclient.ErrNotOffered) && !errors.Is(a.emailsErr, hubclient.ErrNotOffered)
}

// Enter fetches the account.
func (a *Account) Enter(env pane.Env) tea.Cmd {
	if a.loaded && a.me != nil {
		return nil
	}
	return a.fetch(env)
}

// Leave cancels the fetch.
func (a *Account) Leave(pane.Env) {
	if a.cancel != nil {
		a.cancel()
		a.cancel = nil
	}
}

// accountMsg is the answer of the three reads of the account.
type accountMsg struct {
	gen       uint64
	me        *hubclient.User
	meErr     error
	prof      *hubclient.AccountProfile
	profErr   error
	emails    []hubclient.AccountEmail
	emailsErr error
}

func (a *Account) fetch(env pane.Env) tea.Cmd {
	c := env.Client()
	if c == nil {
		return nil
	}
	if a.cancel != nil {
		a.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	a.cancel = cancel
	a.gen = env.NextGen()
	a.loaded = false
	gen, user := a.gen, env.User()
	return func() tea.Msg {
		m := accountMsg{gen: gen}
		m.me, _, m.meErr = c.Users.Me(ctx)
		if m.me != nil && m.me.Username != "" {
			user = m.me.Username
		}
		if user == "" {
			return m
		}
		m.prof, _, m.profErr = c.Account.Profile(ctx, user)
		if errors.Is(m.profErr, hubclient.ErrNotOffered) {
			m.emailsErr = m.profErr // the whole API is missing: do not ask again
			return m
		}
		m.emails, _, m.emailsErr = c.Account.Emails(ctx, user)
		return m
	}
}

// Update takes the account's answers.
func (a *Account) Update(env pane.Env, msg tea.Msg) tea.Cmd {
	m, ok := msg.(accountMsg)
	if !ok || m.gen != a.gen || errors.Is(m.meErr, context.Canceled) {
		return nil
	}
	a.loaded = true
	a.me, a.meErr, a.prof, a.profErr, a.emails, a.emailsErr = m.me, m.meErr, m.prof, m.profErr, m.emails, m.emailsErr
	a.cursor = min(a.cursor, max(0, len(a.emails)-1))
	return nil
}

// username is the account's name.
func (a *Account) username(env pane.Env) string {
	if a.me != nil && a.me.Username != "" {
		return a.me.Username
	}
	if a.prof != nil {
		return a.prof.Username
	}
	return env.User()
}

// ready says why an account change cannot be made now, or "".
func (a *Account) ready() string {
	switch {
	case !a.loaded:
		return "the account is still loading"
	case !a.Offered():
		return "this Docker Hub does not offer changes to the account"
	case a.prof == nil:
		return "the profile could not be read"
	}
	return ""
}

// Bindings are the page's keys; esc (back) is the frame's.
func (a *Account) Bindings(env pane.Env) []pane.Binding {
	email, hasEmail := a.selectedEmail()
	removeWhy := a.ready()
	switch {
	case removeWhy != "":
	case !hasEmail:
		removeWhy = "no e-mail address selected"
	case email.Primary:
		removeWhy = "the primary address cannot be removed"
	}
	addWhy := a.ready()
	if addWhy == "" && a.emailsErr != nil {
		addWhy = "the e-mail addresses could not be read"
	}
	return []pane.Binding{
		{Action: pane.ActEdit, Keys: []string{"e"}, Help: "edit profile (name, company, location, URL)", Short: "edit",
			Mutates: true, Disabled: a.ready(), Run: func() tea.Cmd { a.askEdit(env); return nil }},
		{Action: ActAddEmail, Keys: []string{"n"}, Help: "add an e-mail address", Short: "add e-mail",
			Mutates: true, Disabled: addWhy, Run: func() tea.Cmd { a.askAddEmail(env); return nil }},
		{Action: ActRemoveEmail, Keys: []string{"D"}, Help: "remove the selected e-mail address", Short: "remove e-mail",
			Mutates: true, Disabled: removeWhy, Run: func() tea.Cmd { a.askRemoveEmail(env, email); return nil }},
		{Action: pane.ActRefresh, Keys: []string{"r"}, Help: "refresh the account", Short: "refresh", Group: pane.GroupGeneral,
			Run: func() tea.Cmd { return a.fetch(env) }},
	}
}

func (a *Account) selectedEmail() (hubclient.AccountEmail, bool) {
	if a.cursor < 0 || a.cursor >= len(a.emails) {
		return hubclient.AccountEmail{}, false
	}
	return a.emails[a.cursor], true
}

// Move moves the cursor over the e-mail addresses.
func (a *Account) Move(_ pane.Env, act string) {
	switch act {
	case pane.ActUp:
		a.cursor = max(0, a.cursor-1)
	case pane.ActDown:
		a.cursor = min(max(0, len(a.emails)-1), a.cursor+1)
	case pane.ActTop:
		a.cursor = 0
	case pane.ActBottom:
		a.cursor = max(0, len(a.emails)-1)
	}
}

// Selected is the selected e-mail address, for y.
func (a *Account) Selected() (string, bool) {
	e, ok := a.selectedEmail()
	return e.Email, ok
}

// Status says what is loading.
func (a *Account) Status(env pane.Env) string {
	if !a.loaded {
		return env.Spinner() + " loading the account…"
	}
	if !a.Offered() {
		return "account " + sanitize.String(a.username(env)) + " · read-only"
	}
	return fmt.Sprintf("account %s · %d e-mail address(es)", sanitize.String(a.username(env)), len(a.emails))
}

// View draws the page, scrolled.
func (a *Account) View(env pane.Env, w, h int) string {
	a.height = h
	lines := a.lines(env, w)
	if a.cursorLine >= 0 { // keep the selected address in view
		a.scroll = max(min(a.scroll, a.cursorLine), a.cursorLine-h+2)
	}
	a.scroll = max(0, min(a.scroll, len(lines)-h))
	return strings.Join(lines[a.scroll:min(len(lines), a.scroll+h)], "\n")
}

func (a *Account) lines(env pane.Env, w int) []string {
	t := env.Theme()
	a.cursorLine = -1
	field := func(label, value string) string {
		return t.Label.Render(fmt.Sprintf("  %-14s", label)) + text.Truncate(sanitize.String(value), max(10, w-18))
	}
	lines := []string{"", "  " + t.Title.Render("Account")}
	if !a.loaded && a.me == nil {
		return append(lines, "", "  "+env.Spinner()+" loading the account…")
	}
	var ae *hubclient.APIError
	if a.me == nil && a.prof == nil {
		why := pane.Describe(a.meErr)
		if errors.As(a.meErr, &ae) && ae.StatusCode == http.StatusForbidden {
			why = "This session signed in with an organization access token: it speaks for the organization, not a person, and has no account to show. " +
				"Docker Hub said: " + why
		}
		return append(lines, "", "  "+text.Wrap(why, w-4, "  "))
	}
	// The profile: the account API's where it answers, else GET /v2/user/.
	var u hubclient.User
	if a.me != nil {
		u = *a.me
	}
	if p := a.prof; p != nil {
		u.Username, u.FullName, u.Company, u.Location, u.ProfileURL = p.Username, p.FullName, p.Company, p.Location, p.ProfileURL
		if !p.DateJoined.IsZero() {
			u.DateJoined = p.DateJoined
		}
		if p.Type != "" {
			u.Type = p.Type
		}
	}
	lines = append(lines, "",
		field("Username", u.Username),
		field("Full name", text.OrDash(u.FullName)),
		field("Company", text.OrDash(u.Company)),
		field("Location", text.OrDash(u.Location)),
		field("Profile URL", text.OrDash(u.ProfileURL)),
		field("Joined", text.LongTime(u.DateJoined)),
		field("Type", text.OrDash(u.Type)),
	)
	if !a.Offered() {
		lines = append(lines, "", "  "+t.Warn.Render(text.Wrap("Read-only: this Docker Hub does not offer the account API (it answered "+
			statusOf(a.profErr, a.emailsErr)+"), so the profile comes from GET /v2/user/ and cannot be changed here; e-mail addresses are not shown.", w-4, "  ")))
		return lines
	}
	if a.profErr != nil {
		lines = append(lines, "", "  "+t.Error.Render(text.Truncate("profile: "+pane.Describe(a.profErr), w-4)))
	}
	lines = append(lines, "", "  "+t.Title.Render("E-mail addresses"))
	switch {
	case a.emailsErr != nil:
		lines = append(lines, "  "+t.Error.Render(text.Truncate(pane.Describe(a.emailsErr), w-4)))
	case len(a.emails) == 0:
		lines = append(lines, "  "+t.Dim.Render("none"))
	}
	for i, e := range a.emails {
		var tags []string
		if e.Primary {
			tags = append(tags, "primary")
		}
		if e.Verified {
			tags = append(tags, "verified")
		} else {
			tags = append(tags, "unverified")
		}
		mark := "  "
		line := sanitize.String(e.Email)
		if i == a.cursor {
			mark = "> "
			line = t.Key.Render(line)
			a.cursorLine = len(lines)
		}
		lines = append(lines, "  "+mark+line+"  "+t.Dim.Render(strings.Join(tags, ", ")))
	}
	if !env.ReadOnly() {
		k := func(act string) string { return keyOf(a.Bindings(env), act) }
		lines = append(lines, "", "  "+t.Dim.Render(k(pane.ActEdit)+" edit profile · "+k(ActAddEmail)+" add e-mail · "+k(ActRemoveEmail)+" remove e-mail · esc back"))
	}
	return lines
}

// keyOf is the first key of action among bs.
func keyOf(bs []pane.Binding, action string) string {
	for _, b := range bs {
		if b.Action == action && len(b.Keys) > 0 {
			return b.Keys[0]
		}
	}
	return action
}

// statusOf is the status the account API answered ("404", "410").
func statusOf(errs ...error) string {
	for _, err := range errs {
		var ae *hubclient.APIError
		if errors.As(err, &ae) {
			return fmt.Sprint(ae.StatusCode)
		}
	}
	return "404"
}

// askEdit asks for the profile's new values.
func (a *Account) askEdit(env pane.Env) {
	p := a.prof
	user := a.username(env)
	fields := []dialog.Field{
		{Key: "full_name", Label: "Full name", Initial: p.FullName, Limit: 255},
		{Key: "company", Label: "Company", Initial: p.Company, Limit: 255},
		{Key: "location", Label: "Location", Initial: p.Location, Limit: 255},
		{Key: "profile_url", Label: "Profile URL", Initial: p.ProfileURL, Check: checkURL},
	}
	env.Ask(dialog.NewForm("Profile of "+user, "", fields, func(v map[string]string) tea.Cmd {
		var u hubclient.ProfileUpdate
		set := func(dst **string, key, old string) {
			if nv := v[key]; nv != sanitize.String(old) {
				*dst = &nv
			}
		}
		set(&u.FullName, "full_name", p.FullName)
		set(&u.Company, "company", p.Company)
		set(&u.Location, "location", p.Location)
		set(&u.ProfileURL, "profile_url", p.ProfileURL)
		if u.FullName == nil && u.Company == nil && u.Location == nil && u.ProfileURL == nil {
			env.Say("profile unchanged")
			return nil
		}
		env.Mutate(pane.Change{What: "saving the profile of " + user, Done: "saved the profile of " + user,
			Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
				out, _, err := c.Account.UpdateProfile(ctx, user, u)
				return func() tea.Cmd {
					if out != nil {
						a.prof = out
					}
					return nil
				}, err
			}})
		return nil
	}))
}

// checkURL is the Hub's rule for a profile URL.
func checkURL(v string) error {
	if v == "" {
		return nil
	}
	if !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") || len(v) < len("http://x") {
		return fmt.Errorf("an http:// or https:// address, or empty")
	}
	return nil
}

// checkEmail is an e-mail address as the Hub takes it.
func checkEmail(v string) error {
	addr, err := mail.ParseAddress(v)
	if err != nil || addr.Address != v {
		return fmt.Errorf("not an e-mail address")
	}
	return nil
}

func (a *Account) askAddEmail(env pane.Env) {
	user := a.username(env)
	env.Ask(dialog.NewPrompt("Add an e-mail address to "+user, "The new address starts unverified and not primary; the Hub sends no confirmation mail.", "", 254, checkEmail,
		func(v string) tea.Cmd {
			env.Mutate(pane.Change{What: "adding " + v, Done: "added " + v,
				Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
					out, _, err := c.Account.AddEmail(ctx, user, v)
					return func() tea.Cmd {
						if out != nil {
							a.emails = append(a.emails, *out)
						}
						return nil
					}, err
				}})
			return nil
		}))
}

func (a *Account) askRemoveEmail(env pane.Env, e hubclient.AccountEmail) {
	user := a.username(env)
	addr := sanitize.String(e.Email)
	c := dialog.NewConfirm("Remove "+addr+"?", "Mail to it no longer reaches this account.", func() tea.Cmd {
		env.Mutate(pane.Change{What: "removing " + addr, Done: "removed " + addr,
			Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
				_, err := c.Account.DeleteEmail(ctx, user, e.Email)
				return func() tea.Cmd {
					for i, x := range a.emails {
						if x.Email == e.Email {
							a.emails = append(a.emails[:i:i], a.emails[i+1:]...)
							break
						}
					}
					a.cursor = min(a.cursor, max(0, len(a.emails)-1))
					return nil
				}, err
			}})
		return nil
	})
	c.Danger = true
	env.Ask(c)
}
