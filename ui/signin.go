package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/text"
)

// signInTimeout bounds one sign-in attempt.
const signInTimeout = 30 * time.Second

// signin is the interactive sign-in screen: username, password or token
// (masked), then a two-factor code when the Hub asks for one.
type signin struct {
	user, secret, code textinput.Model
	focusIdx           int
	stage              int // 0 credentials, 1 two-factor code
	busy               bool
	err                string
	base               Session
	client             *hubclient.Client
	challenge          hubclient.Secret
	attempt            uint64
	save               bool // save the credentials once signed in
}

func newSignin(base Session) *signin {
	s := &signin{base: base}
	s.user = textinput.New()
	s.user.Prompt = "Username: "
	s.user.SetValue(base.User)
	s.secret = textinput.New()
	s.secret.Prompt = "Password or token: "
	s.secret.EchoMode = textinput.EchoPassword
	s.code = textinput.New()
	s.code.Prompt = "Two-factor code: "
	s.code.CharLimit = 8
	if base.User != "" {
		s.focusIdx = 1
	}
	return s
}

func (s *signin) inputs() []*textinput.Model {
	if s.stage == 1 {
		return []*textinput.Model{&s.code}
	}
	return []*textinput.Model{&s.user, &s.secret}
}

// focus focuses the current field.
func (s *signin) focus() tea.Cmd {
	var cmd tea.Cmd
	for i, in := range s.inputs() {
		if i == s.focusIdx {
			cmd = in.Focus()
		} else {
			in.Blur()
		}
	}
	return cmd
}

// signedInMsg ends a sign-in or a context switch.
type signedInMsg struct {
	attempt uint64
	sess    Session
	err     error
	saveErr error // signed in, but saving the credentials failed
	saved   bool
}

// twoFactorMsg asks for the code.
type twoFactorMsg struct {
	attempt   uint64
	client    *hubclient.Client
	challenge hubclient.Secret
}

// update handles keys and text on the sign-in screen.
func (s *signin) update(a *App, msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "esc":
			if s.stage == 1 {
				s.stage, s.focusIdx, s.err = 0, 1, ""
				s.code.SetValue("")
				return s.focus()
			}
			if a.sess.Client != nil { // a switch was cancelled: back to the console
				a.mode = modeNormal
				a.signin = nil
				return nil
			}
			return a.quit()
		case "tab", "down":
			s.focusIdx = (s.focusIdx + 1) % len(s.inputs())
			return s.focus()
		case "shift+tab", "up":
			s.focusIdx = (s.focusIdx + len(s.inputs()) - 1) % len(s.inputs())
			return s.focus()
		case "enter", "ctrl+s":
			if s.busy {
				return nil
			}
			if s.stage == 0 && s.focusIdx == 0 && k.String() == "enter" {
				if strings.TrimSpace(s.user.Value()) == "" {
					s.err = "enter a username first"
					return nil
				}
				s.focusIdx, s.err = 1, ""
				return s.focus()
			}
			if s.stage == 0 {
				s.save = k.String() == "ctrl+s" && s.base.Save != nil
			}
			return s.submit(a)
		}
	}
	in := s.inputs()[s.focusIdx]
	var cmd tea.Cmd
	*in, cmd = in.Update(msg)
	return cmd
}

// handle takes the sign-in's own results.
func (s *signin) handle(a *App, msg tea.Msg) (tea.Cmd, bool) {
	m, ok := msg.(twoFactorMsg)
	if !ok {
		return nil, false
	}
	if m.attempt != s.attempt {
		return nil, true
	}
	s.busy = false
	s.client, s.challenge = m.client, m.challenge
	s.stage, s.focusIdx, s.err = 1, 0, ""
	return s.focus(), true
}

// submit signs in with what was typed, in a Cmd.
func (s *signin) submit(a *App) tea.Cmd {
	s.attempt++
	attempt := s.attempt
	s.err = ""
	if s.stage == 1 {
		code := strings.TrimSpace(s.code.Value())
		if len(code) < 6 {
			s.err = "enter the six-digit code from your authenticator app"
			return nil
		}
		s.busy = true
		client, challenge, base := s.client, s.challenge, s.base
		user, secret, save := s.user.Value(), hubclient.Secret(s.secret.Value()), s.saver(a)
		return func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), signInTimeout)
			defer cancel()
			if _, err := client.Auth.Login2FA(ctx, challenge, code); err != nil {
				return signedInMsg{attempt: attempt, err: err}
			}
			base.Client, base.User = client, user
			return save(ctx, signedInMsg{attempt: attempt, sess: base}, user, secret)
		}
	}
	user := strings.TrimSpace(s.user.Value())
	secret := hubclient.Secret(s.secret.Value())
	if user == "" || secret == "" {
		s.err = "enter a username and a password or access token"
		return nil
	}
	dial := s.base.Dial
	if dial == nil {
		dial = a.opts.Dial
	}
	if dial == nil {
		s.err = "signing in is not available here"
		return nil
	}
	s.busy = true
	base, save := s.base, s.saver(a)
	return func() tea.Msg {
		client, err := dial(user, secret)
		if err != nil {
			return signedInMsg{attempt: attempt, err: err}
		}
		ctx, cancel := context.WithTimeout(context.Background(), signInTimeout)
		defer cancel()
		err = client.Auth.SignIn(ctx)
		var tf *hubclient.TwoFactorRequiredError
		if errors.As(err, &tf) {
			return twoFactorMsg{attempt: attempt, client: client, challenge: tf.Token}
		}
		if err != nil {
			return signedInMsg{attempt: attempt, err: err}
		}
		base.Client, base.User = client, user
		return save(ctx, signedInMsg{attempt: attempt, sess: base}, user, secret)
	}
}

// saver returns what to do after a successful sign-in: save the typed
// credentials with the credential helper when the user asked, else nothing.
func (s *signin) saver(a *App) func(ctx context.Context, m signedInMsg, user string, secret hubclient.Secret) tea.Msg {
	store := s.base.Save
	if !s.save || store == nil {
		return func(_ context.Context, m signedInMsg, _ string, _ hubclient.Secret) tea.Msg { return m }
	}
	return func(ctx context.Context, m signedInMsg, user string, secret hubclient.Secret) tea.Msg {
		m.saveErr = store(ctx, user, secret)
		m.saved = m.saveErr == nil
		return m
	}
}

// onSignedIn installs a new session (from the sign-in screen or :ctx).
func (a *App) onSignedIn(m signedInMsg) tea.Cmd {
	if a.signin == nil || a.mode != modeSignIn || m.attempt != a.signin.attempt {
		return nil // the screen was left, or an older attempt
	}
	a.signin.busy = false
	if m.err != nil {
		a.signin.err = describeSignInErr(m.err)
		if a.signin.stage == 0 {
			a.signin.secret.SetValue("")
		} else {
			a.signin.code.SetValue("")
		}
		return nil
	}
	a.signin = nil
	cmd := a.install(m.sess)
	if a.lost != "" {
		a.errText, a.errAt, a.lost = sanitize.String(a.lost), a.opts.Now(), ""
	}
	switch {
	case m.saveErr != nil:
		a.setErr(fmt.Errorf("signed in, but saving the credentials failed: %w", m.saveErr))
	case m.saved:
		a.say(a.status + fmt.Sprintf(" · credentials saved with docker-credential-%s", sanitize.String(m.sess.SaveHelper)))
	}
	return cmd
}

// install makes sess current: every pane starts over and results of the
// previous session are dropped.
func (a *App) install(sess Session) tea.Cmd {
	a.leaveAll()
	if sess.Client != a.sess.Client {
		a.orgs = nil
	}
	a.sess = sess
	a.sessionID++
	a.resetTabs()
	a.mode = modeNormal
	a.errText = ""
	a.say(fmt.Sprintf("signed in as %s", sanitize.String(sess.User)))
	return a.start()
}

// orgsErr owns the error of a failed organization list.
const orgsErr = "orgs"

// orgsMsg lists the signed-in user's organizations.
type orgsMsg struct {
	session uint64
	names   []string
	err     error
}

// loadOrgs fetches the user's organizations for `:org` completion; when no
// org was chosen it opens the first one.
func (a *App) loadOrgs() tea.Cmd {
	c, session := a.sess.Client, a.sessionID
	if c == nil || a.orgs != nil {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), signInTimeout)
		defer cancel()
		orgs, err := hubclient.ListAll(ctx, c, func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.Organization, *hubclient.Response, error) {
			return c.Users.ListOrgs(ctx, &hubclient.UserOrgListOptions{ListOptions: o})
		}, nil)
		names := make([]string, 0, len(orgs))
		for _, o := range orgs {
			names = append(names, o.OrgName)
		}
		return orgsMsg{session: session, names: names, err: err}
	}
}

// onOrgs records the user's organizations.
func (a *App) onOrgs(m orgsMsg) tea.Cmd {
	if m.session != a.sessionID {
		return nil
	}
	if m.err == nil {
		a.orgs = m.names
		if a.errFrom == orgsErr {
			a.errText, a.errFrom = "", ""
		}
	} else if !hubclient.IsStatus(m.err, 403) && !errors.Is(m.err, context.Canceled) { // an OAT may not list orgs: quietly
		a.setErr(fmt.Errorf("could not list your organizations (:org NAME opens one): %w", m.err))
		a.errFrom = orgsErr
	}
	if a.sess.Org != "" {
		return nil
	}
	// No org was named: open the first of the user's, else the user's own
	// namespace (an organization access token signs in as its org).
	a.sess.Org = a.sess.User
	if len(a.orgs) > 0 {
		a.sess.Org = a.orgs[0]
	}
	a.say("organization " + sanitize.String(a.sess.Org) + " (:org switches)")
	return tea.Batch(a.enterPane(), a.loadRole())
}

// switchOrg shows another organization with the same sign-in.
func (a *App) switchOrg(org string) tea.Cmd {
	if !validOrgName(org) {
		a.setErr(fmt.Errorf("%q is not a valid organization name (4–30 lower-case letters and digits)", sanitize.String(org)))
		return nil
	}
	if a.orgs != nil && org != a.sess.User && !slices.Contains(a.orgs, org) {
		known := strings.Join(a.orgs, ", ")
		if known == "" {
			known = "none"
		}
		a.setErr(fmt.Errorf("you are not a member of %s (your organizations: %s)", sanitize.String(org), sanitize.String(known)))
		return nil
	}
	sess := a.sess
	sess.Org = org
	cmd := a.install(sess) // the active pane stays; install enters it
	a.say("organization " + org)
	return cmd
}

// validOrgName checks the Hub's namespace rule: lower-case letters and
// digits, 2 to 255 characters (Docker IDs are 4–30, older orgs shorter).
func validOrgName(s string) bool {
	if len(s) < 2 || len(s) > 255 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// switchContext signs in to another context from the config file, in a Cmd.
func (a *App) switchContext(name string) tea.Cmd {
	if a.opts.Switch == nil {
		a.setErr(fmt.Errorf("no contexts are configured: run `hubtui config init` and edit the file"))
		return nil
	}
	a.switchID++
	attempt := a.switchID
	a.say("switching to context " + sanitize.String(name) + "…")
	sw := a.opts.Switch
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), signInTimeout)
		defer cancel()
		sess, err := sw(ctx, name)
		if err != nil {
			err = fmt.Errorf("context %s: %w", name, err)
		}
		return switchedMsg{attempt: attempt, sess: sess, err: err}
	}
}

// switchedMsg ends a `:ctx` switch.
type switchedMsg struct {
	attempt uint64
	sess    Session
	err     error
}

// onSwitched installs the context switched to; without credentials for it
// the sign-in screen opens, aimed at that context's Hub.
func (a *App) onSwitched(m switchedMsg) tea.Cmd {
	if m.attempt != a.switchID {
		return nil // a later switch was asked for
	}
	var tf *hubclient.TwoFactorRequiredError
	switch {
	case errors.As(m.err, &tf) && m.sess.Client != nil:
		a.signin = newSignin(m.sess)
		a.signin.client, a.signin.challenge = m.sess.Client, tf.Token
		a.signin.stage, a.signin.focusIdx = 1, 0
		a.mode = modeSignIn
		return a.signin.focus()
	case m.err != nil:
		a.say("")
		a.setErr(m.err)
		return nil
	case m.sess.Client == nil:
		a.signin = newSignin(m.sess)
		a.mode = modeSignIn
		a.say("")
		return a.signin.focus()
	}
	return a.install(m.sess)
}

// view draws the sign-in screen.
func (s *signin) view(a *App) string {
	t := a.theme
	var b strings.Builder
	b.WriteString(t.Title.Render("Sign in to Docker Hub") + "\n")
	hub := s.base.HubURL
	if hub == "" {
		hub = hubclient.DefaultBaseURL
	}
	b.WriteString(t.Dim.Render(sanitize.String(hub)) + "\n\n")
	for _, in := range s.inputs() {
		in.SetWidth(30)
		b.WriteString(in.View() + "\n")
	}
	b.WriteString("\n")
	switch {
	case s.busy:
		b.WriteString(a.spin.View() + " signing in…\n")
	case s.err != "":
		b.WriteString(t.Error.Render(text.Wrap(s.err, 60, "")) + "\n")
	case s.stage == 1:
		b.WriteString(t.Dim.Render("Two-factor authentication is on: enter the code from your app.") + "\n")
	default:
		b.WriteString(t.Dim.Render(text.Wrap("A personal access token is safer than a password; with an organization access token, the username is the org's name. Nothing is saved.", min(56, a.w-8), "")) + "\n")
	}
	keys := "enter continue · tab next field · esc back/quit"
	if s.base.Save != nil && s.base.SaveHelper != "" && s.stage == 0 {
		keys = "enter sign in · ctrl+s sign in and save with docker-credential-" + sanitize.String(s.base.SaveHelper) + "\ntab next field · esc quit"
	}
	b.WriteString("\n" + t.Dim.Render(keys))
	box := t.Box.Render(b.String())
	return lipgloss.Place(a.w, a.h, lipgloss.Center, lipgloss.Center, box)
}

// describeSignInErr is a sign-in failure in the server's own words.
func describeSignInErr(err error) string {
	var ae *hubclient.APIError
	if errors.As(err, &ae) && ae.StatusCode == 401 && ae.Words() != "" {
		return sanitize.String(ae.Words())
	}
	return pane.Describe(err)
}

// reauth asks for a new two-factor code when a two-factor session expired
// (the Hub will not renew it from the password alone); after the code the
// console starts over in the same org.
func (a *App) reauth(tf *hubclient.TwoFactorRequiredError) {
	s := newSignin(a.sess)
	s.client, s.challenge = a.sess.Client, tf.Token
	s.stage, s.focusIdx = 1, 0
	s.err = "Your session expired. Enter a new two-factor code to go on."
	if a.lost != "" {
		s.err += " The last change was not made."
	}
	s.focus()
	a.signin = s
	a.mode = modeSignIn
}
