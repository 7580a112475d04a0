package settings

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/list"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/text"
)

// ActDeactivate deactivates a provisioned user.
const ActDeactivate = "deactivate_user"

// scimData is what the SCIM endpoints answered.
type scimData struct {
	config *hubclient.SCIMServiceProviderConfig
	types  []hubclient.SCIMResourceType
	schems []hubclient.SCIMSchema
	users  []hubclient.SCIMUser
	err    error // the provider configuration did not answer: SCIM is not there
	part   error // a later part did not answer
}

// SCIM is the page of SCIM provisioning, pushed over Settings: the
// provider configuration, resource types and schemas in a summary, and the
// provisioned users with a detail of the one under the cursor.
type SCIM struct {
	org    string
	data   *scimData
	gen    uint64
	cancel context.CancelFunc
	cursor int
	top    int
}

// Kind is state.Settings.
func (s *SCIM) Kind() state.Kind { return state.Settings }

// Title names the page in the breadcrumbs.
func (s *SCIM) Title() string { return "SCIM" }

// Busy reports the load in flight.
func (s *SCIM) Busy() bool { return s.data == nil }

// Enter loads what the SCIM endpoints answer, once.
func (s *SCIM) Enter(env pane.Env) tea.Cmd {
	if s.data != nil {
		return nil
	}
	return s.load(env)
}

func (s *SCIM) load(env pane.Env) tea.Cmd {
	c := env.Client()
	if c == nil {
		return nil
	}
	if s.cancel != nil {
		s.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.gen = env.NextGen()
	return list.Call(ctx, state.Key{Kind: state.Settings, Scope: s.org + "/scim"}, s.gen, func(ctx context.Context) (*scimData, error) {
		d := &scimData{}
		var err error
		if d.config, _, err = c.SCIM.ServiceProviderConfig(ctx); err != nil {
			d.err = err
			return d, nil
		}
		var errs []error
		if d.types, _, err = c.SCIM.ResourceTypes(ctx); err != nil {
			errs = append(errs, err)
		}
		if d.schems, _, err = c.SCIM.Schemas(ctx); err != nil {
			errs = append(errs, err)
		}
		d.users, err = hubclient.ListAll(ctx, c, func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.SCIMUser, *hubclient.Response, error) {
			return c.SCIM.ListUsers(ctx, &hubclient.SCIMUserListOptions{ListOptions: o})
		}, nil)
		if err != nil {
			errs = append(errs, err)
		}
		d.part = errors.Join(errs...)
		return d, nil
	})
}

// Leave cancels the load.
func (s *SCIM) Leave(pane.Env) {
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
}

// Update takes the load's answer.
func (s *SCIM) Update(env pane.Env, msg tea.Msg) tea.Cmd {
	if m, ok := msg.(list.Result[*scimData]); ok && m.Gen == s.gen {
		s.data = m.Val
		if m.Val != nil && m.Val.part != nil {
			env.Fail("scim", fmt.Errorf("SCIM: %w", m.Val.part))
		}
	}
	return nil
}

// Move moves the cursor over the users.
func (s *SCIM) Move(_ pane.Env, act string) {
	n := 0
	if s.data != nil {
		n = len(s.data.users)
	}
	switch act {
	case pane.ActUp:
		s.cursor--
	case pane.ActDown:
		s.cursor++
	case pane.ActTop:
		s.cursor = 0
	case pane.ActBottom:
		s.cursor = n - 1
	case pane.ActPageDown, pane.ActHalfDown:
		s.cursor += 10
	case pane.ActPageUp, pane.ActHalfUp:
		s.cursor -= 10
	}
	s.cursor = max(0, min(s.cursor, n-1))
}

// selected is the user under the cursor.
func (s *SCIM) selected() (hubclient.SCIMUser, bool) {
	if s.data == nil || s.cursor < 0 || s.cursor >= len(s.data.users) {
		return hubclient.SCIMUser{}, false
	}
	return s.data.users[s.cursor], true
}

// Selected is the user's name (their e-mail address).
func (s *SCIM) Selected() (string, bool) {
	u, ok := s.selected()
	return u.UserName, ok
}

// Bindings are the page's keys.
func (s *SCIM) Bindings(env pane.Env) []pane.Binding {
	u, ok := s.selected()
	why := pane.Gate(env, pane.RoleOwner, ok)
	if why == "" && !u.Active {
		why = u.UserName + " is deactivated already"
	}
	return []pane.Binding{
		{Action: ActDeactivate, Keys: []string{"D"}, Help: "deactivate the user (active: false)", Short: "deactivate", Mutates: true,
			Disabled: why, Run: func() tea.Cmd { s.askDeactivate(env, u); return nil }},
		{Action: pane.ActRefresh, Keys: []string{"r"}, Help: "ask the SCIM endpoints again", Short: "refresh", Group: pane.GroupGeneral,
			Run: func() tea.Cmd { s.data = nil; return s.load(env) }},
	}
}

// askDeactivate deactivates u on confirmation: the Hub removes them from
// the organization until the identity provider activates them again.
func (s *SCIM) askDeactivate(env pane.Env, u hubclient.SCIMUser) {
	name := u.UserName
	if u.DisplayName != "" {
		name += " (" + u.DisplayName + ")"
	}
	data := s.data
	env.Ask(dialog.NewConfirm("Deactivate "+name+"?",
		"The Hub sets active to false: "+name+" leaves "+s.org+" and its teams until activated again. Your identity provider may activate them again on its next sync.",
		func() tea.Cmd {
			env.Mutate(pane.Change{What: "deactivating " + u.UserName, Done: "deactivated " + u.UserName,
				Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
					nu, _, err := c.SCIM.UpdateUser(ctx, u.ID, hubclient.SCIMUpdateUserRequest{Enabled: false})
					return func() tea.Cmd {
						if nu == nil || s.data != data {
							return nil
						}
						for i := range data.users {
							if data.users[i].ID == u.ID {
								data.users[i] = *nu
							}
						}
						return nil
					}, err
				}})
			return nil
		}))
}

// Status counts the users.
func (s *SCIM) Status(env pane.Env) string {
	if s.data == nil {
		return env.Spinner() + " asking the SCIM endpoints…"
	}
	if s.data.err != nil {
		return "SCIM not available"
	}
	active := 0
	for _, u := range s.data.users {
		if u.Active {
			active++
		}
	}
	return fmt.Sprintf("%d provisioned users, %d active", len(s.data.users), active)
}

// notAvailable says why the Hub does not answer SCIM for the org.
func notAvailable(org string, err error) string {
	var ae *hubclient.APIError
	why := "SCIM provisioning comes with an SSO connection (Docker Business): an owner sets up SSO, turns SCIM on in its connection, " +
		"and the identity provider calls these endpoints with the connection's SCIM token."
	if errors.As(err, &ae) {
		switch ae.StatusCode {
		case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
			return "The SCIM endpoints do not answer for " + org + " with this sign-in. The Hub says: " + pane.Describe(err) + "\n\n" + why
		}
	}
	return "The SCIM endpoints did not answer: " + pane.Describe(err) + "\n\n" + why
}

// View draws the summary, the users and the detail of the one under the cursor.
func (s *SCIM) View(env pane.Env, w, h int) string {
	th := env.Theme()
	if s.data == nil {
		return "\n  " + env.Spinner() + " asking the SCIM endpoints…"
	}
	if s.data.err != nil {
		return "\n  " + th.Warn.Render("SCIM is not available.") + "\n\n  " + text.Wrap(sanitize.Text(notAvailable(s.org, s.data.err)), w-4, "  ")
	}
	d := s.data
	cfg := d.config
	var out []string
	out = append(out, "", "  "+th.Title.Render("SCIM 2.0 provisioning of "+sanitize.String(s.org)))
	out = append(out, "  "+text.Truncate(sanitize.String(fmt.Sprintf("provider: patch %s · bulk %s · filter %s (max %d) · sort %s · etag %s · auth %s",
		yes(cfg.Patch.Supported), yes(cfg.Bulk.Supported), yes(cfg.Filter.Supported), cfg.Filter.MaxResults, yes(cfg.Sort.Supported),
		yes(cfg.ETag.Supported), text.OrDash(cfg.AuthenticationSchemes.Name))), w-2))
	var types, schemas []string
	for _, t := range d.types {
		types = append(types, t.Name+" at "+t.Endpoint)
	}
	for _, sc := range d.schems {
		schemas = append(schemas, fmt.Sprintf("%s (%d attributes)", text.OrDash(sc.Name), len(sc.Attributes)))
	}
	out = append(out, "  "+text.Truncate(sanitize.String("resource types: "+text.OrDash(strings.Join(types, ", "))), w-2))
	out = append(out, "  "+text.Truncate(sanitize.String("schemas: "+text.OrDash(strings.Join(schemas, ", "))), w-2), "")
	out = append(out, "  "+th.Title.Render(fmt.Sprintf("Provisioned users (%d)", len(d.users))))
	detail := 6
	room := max(1, h-len(out)-detail-1)
	s.top = max(0, min(s.top, s.cursor))
	if s.cursor >= s.top+room {
		s.top = s.cursor - room + 1
	}
	for i := s.top; i < min(len(d.users), s.top+room); i++ {
		u := d.users[i]
		cur := "  "
		if i == s.cursor {
			cur = "> "
		}
		st := "active"
		if !u.Active {
			st = "deactivated"
		}
		row := fmt.Sprintf("%s%-36s %-20s %s", cur, sanitize.String(u.UserName), sanitize.String(u.DisplayName), st)
		if !u.Active {
			row = th.Dim.Render(row)
		}
		out = append(out, "  "+text.Truncate(row, w-2))
	}
	if u, ok := s.selected(); ok {
		out = append(out, "", "  "+th.Title.Render(sanitize.String(u.UserName)))
		name := ""
		if u.Name != nil {
			name = strings.TrimSpace(u.Name.GivenName + " " + u.Name.FamilyName)
		}
		var groups, mails []string
		for _, g := range u.Groups {
			groups = append(groups, g.Display)
		}
		for _, e := range u.Emails {
			mails = append(mails, e.Value)
		}
		out = append(out, "  "+text.Truncate(sanitize.String(fmt.Sprintf("id %s · name %s · Docker ID %s · active %v", u.ID, text.OrDash(name), text.OrDash(u.DisplayName), u.Active)), w-2))
		out = append(out, "  "+text.Truncate(sanitize.String("e-mails: "+text.OrDash(strings.Join(mails, ", "))+" · teams: "+text.OrDash(strings.Join(groups, ", "))), w-2))
		out = append(out, "  "+text.Truncate(sanitize.String("created "+text.ShortTime(u.Meta.Created)+" · modified "+text.ShortTime(u.Meta.LastModified)), w-2))
	}
	return text.FitBlock(strings.Join(out, "\n"), h)
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
