package ui

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/charmbracelet/x/ansi"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/panes/repos"
	"github.com/hubtui/hubtui/ui/panes/tags"
)

// fixedNow is the clock of every UI test, so screens do not depend on the day.
func fixedNow() time.Time { return time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC) }

// startSim runs a demo hubsim on loopback with a fixed clock.
func startSim(t testing.TB, opts hubsim.Options) (*hubsim.Server, string) {
	t.Helper()
	if opts.Dataset == "" {
		opts.Dataset = "demo"
	}
	if opts.Clock == nil {
		opts.Clock = hubsim.NewFakeClock(fixedNow())
	}
	if opts.RateLimit == 0 {
		opts.RateLimit = -1
	}
	sim, err := hubsim.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return sim, url
}

// demoSession signs in as user against url.
func demoSession(t testing.TB, url, user, password string, extra ...hubclient.Option) Session {
	t.Helper()
	// The client's clock is the simulator's, so tokens do not look expired.
	c, err := hubclient.New(append([]hubclient.Option{hubclient.WithBaseURL(url), hubclient.WithCredentials(user, hubclient.Secret(password)),
		hubclient.WithClock(fixedNow)}, extra...)...)
	if err != nil {
		t.Fatal(err)
	}
	return Session{Client: c, Context: "test", HubURL: url, User: user, Org: hubsim.DemoOrg, ReadOnly: c.ReadOnly()}
}

// driver runs an App the way Bubble Tea does, but in the test's goroutine:
// Update is called directly, Cmds run in goroutines and their messages come
// back through a channel.
type driver struct {
	t    testing.TB
	app  *App
	msgs chan tea.Msg
}

func newDriver(t testing.TB, opts Options, w, h int) *driver {
	t.Helper()
	if opts.Now == nil {
		opts.Now = fixedNow
	}
	d := &driver{t: t, app: New(opts), msgs: make(chan tea.Msg, 1024)}
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.run(d.app.Init())
	return d
}

func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() { d.msgs <- cmd() }()
}

func (d *driver) send(msg tea.Msg) {
	_, cmd := d.app.Update(msg)
	d.run(cmd)
}

// key presses one key, given as Bubble Tea spells it ("j", "enter", "ctrl+a").
func (d *driver) key(keys ...string) {
	for _, k := range keys {
		d.send(keyMsg(k))
	}
}

// typeText types s one rune at a time.
func (d *driver) typeText(s string) {
	for _, r := range s {
		d.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "space":
		return tea.KeyPressMsg{Code: ' ', Text: " "}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	}
	if c, ok := strings.CutPrefix(k, "ctrl+"); ok {
		return tea.KeyPressMsg{Code: rune(c[0]), Mod: tea.ModCtrl}
	}
	r := []rune(k)[0]
	if r >= 'A' && r <= 'Z' {
		return tea.KeyPressMsg{Code: r + 32, Text: k, Mod: tea.ModShift}
	}
	return tea.KeyPressMsg{Code: r, Text: k}
}

// until pumps messages until cond holds, failing after a timeout with the screen.
func (d *driver) until(what string, cond func() bool) {
	d.t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case m := <-d.msgs:
			d.deliver(m)
		case <-deadline:
			d.t.Fatalf("timed out waiting for %s; screen:\n%s", what, d.screen())
		}
	}
}

// settle delivers what is already queued, for up to d.
func (d *driver) settle(dur time.Duration) {
	end := time.After(dur)
	for {
		select {
		case m := <-d.msgs:
			d.deliver(m)
		case <-end:
			return
		}
	}
}

func (d *driver) deliver(m tea.Msg) {
	switch m := m.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range m {
			d.run(c)
		}
	default:
		d.send(m)
	}
}

func (d *driver) screen() string { return ansi.Strip(d.app.View().Content) }

func (d *driver) repos() *repos.Pane { return d.app.Pane(state.Repos).(*repos.Pane) }
func (d *driver) tags() *tags.Pane   { return d.app.Pane(state.Tags).(*tags.Pane) }

func (d *driver) reposLoaded() bool { return d.repos().L.Coll().Status == state.Loaded }

// openTags runs `:tags ref` through the palette and waits for the tags.
func (d *driver) openTags(ref string) *tags.Pane {
	d.t.Helper()
	d.key(":")
	d.typeText("tags " + ref)
	d.key("enter")
	tp := d.tags()
	d.until("the tags of "+ref, func() bool { return tp.L.Scope() == ref && tp.L.Coll().Status == state.Loaded })
	return tp
}

// demoDriver is the App at 120×40 signed in as demo on a demo hubsim, with
// the repositories loaded.
func demoDriver(t *testing.T) *driver {
	t.Helper()
	_, url := startSim(t, hubsim.Options{})
	d := newDriver(t, Options{Session: demoSession(t, url, "demo", "demo")}, 120, 40)
	d.until("repositories", d.reposLoaded)
	return d
}

func TestReposListLoadsAndNavigates(t *testing.T) {
	d := demoDriver(t)
	rp := d.repos()
	if n := len(rp.L.Coll().Items); n != 60 {
		t.Fatalf("loaded %d repositories, want the demo's 60", n)
	}
	s := d.screen()
	for _, want := range []string{"org: acme", "NAME", "VISIBILITY", "PULLS", "api", "60 repositories"} {
		if !strings.Contains(s, want) {
			t.Fatalf("screen lacks %q:\n%s", want, s)
		}
	}
	d.key("j", "j")
	if c := rp.L.Table().Cursor(); c != 2 {
		t.Fatalf("cursor after jj = %d", c)
	}
	d.key("G")
	if c := rp.L.Table().Cursor(); c != 59 {
		t.Fatalf("cursor after G = %d", c)
	}
	d.key("g")
	if c := rp.L.Table().Cursor(); c != 0 {
		t.Fatalf("cursor after g = %d", c)
	}
	d.key("ctrl+d")
	if c := rp.L.Table().Cursor(); c == 0 {
		t.Fatal("ctrl+d did not move")
	}
}

func TestFilterNarrowsAndEscClears(t *testing.T) {
	d := demoDriver(t)
	rp := d.repos()
	d.key("/")
	if d.app.mode != modeFilter {
		t.Fatal("/ did not open the filter")
	}
	d.typeText("p")
	// Drawn before the match arrives: the previous order stays on screen.
	if s := d.screen(); !strings.Contains(s, "admin-console") {
		t.Fatalf("the list vanished while the filter ran:\n%s", s)
	}
	d.typeText("aymnts")
	d.until("the filter result", func() bool { return !rp.L.Filtering() && rp.L.Visible() > 0 })
	if n := rp.L.Visible(); n >= 60 {
		t.Fatalf("filter kept %d rows", n)
	}
	first, _ := rp.L.Selected()
	if first.Name != "payments-api" {
		t.Fatalf("best match = %q, want payments-api", first.Name)
	}
	if hl := rp.L.Highlights(0); len(hl) != len("paymnts") {
		t.Fatalf("highlights %v", hl)
	}
	d.key("esc")
	if rp.L.Visible() != 60 || d.app.mode != modeNormal {
		t.Fatalf("esc left %d rows, mode %v", rp.L.Visible(), d.app.mode)
	}
}

func TestPaletteJumpsToTagsWithCompletionAndHistory(t *testing.T) {
	d := demoDriver(t)
	d.key(":")
	d.typeText("ta")
	d.key("tab")
	if v := d.app.palette.input.Value(); v != "tags " {
		t.Fatalf("completion gave %q", v)
	}
	d.typeText("acme/we")
	d.key("tab")
	if v := d.app.palette.input.Value(); v != "tags acme/web" {
		t.Fatalf("repository completion gave %q", v)
	}
	d.key("esc", ":")
	d.typeText("tags acme/p")
	d.key("tab")
	first := d.app.palette.input.Value()
	d.key("tab")
	second := d.app.palette.input.Value()
	if !strings.HasPrefix(first, "tags acme/p") || !strings.HasPrefix(second, "tags acme/p") || first == second {
		t.Fatalf("tab did not cycle the candidates: %q then %q", first, second)
	}
	d.key("esc", ":")
	d.typeText("tags acme/web")
	d.key("enter")
	if d.app.cur().p.Kind() != state.Tags {
		t.Fatalf("active pane %v", d.app.cur().p.Title())
	}
	tp := d.tags()
	d.until("tags", func() bool { return tp.L.Coll().Status == state.Loaded })
	if tp.L.Scope() != "acme/web" || len(tp.L.Coll().Items) == 0 {
		t.Fatalf("tags of %q: %d", tp.L.Scope(), len(tp.L.Coll().Items))
	}
	if s := d.screen(); !strings.Contains(s, "latest") || !strings.Contains(s, "linux/amd64") {
		t.Fatalf("tags screen:\n%s", s)
	}
	d.key(":")
	d.key("up")
	if v := d.app.palette.input.Value(); v != "tags acme/web" {
		t.Fatalf("history gave %q", v)
	}
	d.key("esc")
	d.key(":")
	d.typeText("bogus")
	d.key("enter")
	if !strings.Contains(d.app.errText, `unknown command "bogus"`) {
		t.Fatalf("error %q", d.app.errText)
	}
	d.key(":")
	d.typeText("tags acme/web extra")
	d.key("enter")
	if !strings.Contains(d.app.errText, "namespace/name") {
		t.Fatalf("error %q", d.app.errText)
	}
	// A bare name is a repository of the current org.
	d.key(":")
	d.typeText("tags api")
	d.key("enter")
	if tp.L.Scope() != "acme/api" {
		t.Fatalf(":tags api opened %q", tp.L.Scope())
	}
	// Help shows the last error whole.
	d.app.setErr(fmt.Errorf("%s", strings.Repeat("a long error ", 30)+"THE END"))
	d.key("?")
	if !strings.Contains(d.screen(), "THE END") {
		t.Fatalf("help does not show the whole error:\n%s", d.screen())
	}
}

func TestTagsKeyOpensRepositoryTags(t *testing.T) {
	d := demoDriver(t)
	want, _ := d.repos().L.Selected()
	d.key("t")
	tp := d.tags()
	if tp.L.Scope() != "acme/"+want.Name {
		t.Fatalf("t opened %q, want acme/%s", tp.L.Scope(), want.Name)
	}
	d.until("tags", func() bool { return tp.L.Coll().Status == state.Loaded })
	d.key("esc")
	if d.app.cur().p.Kind() != state.Repos {
		t.Fatal("esc from tags did not go back to repositories")
	}
}

func TestMarksSortAndDetail(t *testing.T) {
	d := demoDriver(t)
	rp := d.repos()
	d.key("space", "space")
	if n := rp.L.Table().MarkedCount(); n != 2 {
		t.Fatalf("marked %d", n)
	}
	d.key("ctrl+a")
	if n := rp.L.Table().MarkedCount(); n != 60 {
		t.Fatalf("ctrl+a marked %d", n)
	}
	d.key("esc")
	if n := rp.L.Table().MarkedCount(); n != 0 {
		t.Fatalf("esc left %d marks", n)
	}
	d.key("s", "s", "s") // NAME → VISIBILITY → PULLS, biggest first
	d.until("sorted rows", func() bool { return !rp.L.Filtering() })
	if !strings.Contains(d.screen(), "sort PULLS ▼") {
		t.Fatalf("sort not shown:\n%s", d.screen())
	}
	prev := int64(math.MaxInt64)
	for row := 0; row < rp.L.Visible(); row++ {
		r, _ := rp.L.Row(row)
		if r.PullCount > prev {
			t.Fatalf("row %d pulls %d after %d", row, r.PullCount, prev)
		}
		prev = r.PullCount
	}
	before, _ := rp.L.Selected()
	d.key("S")
	d.until("reversed rows", func() bool { return !rp.L.Filtering() })
	if after, _ := rp.L.Selected(); after.Name != before.Name {
		t.Fatalf("the cursor left %s for %s when the order changed", before.Name, after.Name)
	}
	d.key("g")
	top, _ := rp.L.Selected()
	if top.PullCount != prev || !strings.Contains(d.screen(), "sort PULLS ▲") {
		t.Fatalf("reverse sort put %d first, the least is %d", top.PullCount, prev)
	}
	d.key("enter")
	d.until("details", func() bool { return rp.Open() != nil && rp.Open().Info() != nil })
	s := d.screen()
	for _, want := range []string{"README", "Quick start", "Your access", "Repos › acme/" + top.Name} {
		if !strings.Contains(s, want) {
			t.Fatalf("detail lacks %q:\n%s", want, s)
		}
	}
	d.key("esc")
	if d.app.Top() != pane.Pane(rp) {
		t.Fatal("esc did not close the detail view")
	}
}

func TestStaleResultsAreDropped(t *testing.T) {
	d := demoDriver(t)
	rp := d.repos()
	old := rp.L.Coll().Gen
	d.key("r")
	if rp.L.Coll().Gen == old {
		t.Fatal("refresh did not start a new generation")
	}
	// (A late page of the previous load is dropped: ui/list tests it.)
	d.until("the refresh", d.reposLoaded)
	if len(rp.L.Coll().Items) != 60 {
		t.Fatalf("after refresh %d rows", len(rp.L.Coll().Items))
	}
	// An org the user is not in is refused before anything changes.
	d.until("the user's organizations", func() bool { return d.app.orgs != nil })
	d.key(":")
	d.typeText("org acme2")
	d.key("enter")
	if !strings.Contains(d.app.errText, "not a member of acme2") || d.app.sess.Org != "acme" {
		t.Fatalf("err %q, org %q", d.app.errText, d.app.sess.Org)
	}
	// Switching org starts over; results for the old org are dropped.
	oldKey := rp.L.Coll().Key
	d.key(":")
	d.typeText("org demo") // the user's own namespace
	d.key("enter")
	rp = d.repos()
	_ = oldKey
	d.until("the new org's repositories", d.reposLoaded)
	for _, r := range rp.L.Coll().Items {
		if r.Name == "ghost" || r.Namespace != "demo" {
			t.Fatalf("a page for the old org was applied to the new one: %+v", r)
		}
	}
}

func TestPaneSwitchingAndHelp(t *testing.T) {
	d := demoDriver(t)
	d.key("tab")
	if d.app.cur().p.Kind() != state.Tags {
		t.Fatal("tab did not move to Tags")
	}
	d.key("shift+tab", "shift+tab")
	if d.app.cur().p.Kind() != state.Settings {
		t.Fatalf("shift+tab twice gave %s", d.app.cur().p.Title())
	}
	d.key("4")
	if d.app.cur().p.Kind() != state.Members || !strings.Contains(d.screen(), "members") {
		t.Fatalf("4 gave %s:\n%s", d.app.cur().p.Title(), d.screen())
	}
	d.send(tea.WindowSizeMsg{Width: 120, Height: 60}) // help whole, unscrolled
	d.key("1", "?")
	s := d.screen()
	for _, want := range []string{"filter ('exact", "command palette", "mark all visible", ":tags NS/REPO", ":ctx NAME", "ctrl+d"} {
		if !strings.Contains(s, want) {
			t.Fatalf("help lacks %q:\n%s", want, s)
		}
	}
	d.key("x")
	if d.app.mode != modeNormal {
		t.Fatal("a key did not close help")
	}
}

func TestReadOnlyRefusesAndSays(t *testing.T) {
	_, url := startSim(t, hubsim.Options{})
	sess := demoSession(t, url, "demo", "demo", hubclient.WithReadOnly())
	d := newDriver(t, Options{Session: sess}, 120, 40)
	d.until("repositories", d.reposLoaded)
	if !strings.Contains(d.screen(), "READ-ONLY") {
		t.Fatalf("no read-only badge:\n%s", d.screen())
	}
	d.key("?")
	help := d.screen()
	for _, b := range d.app.keys.Bindings() {
		if b.Mutates && strings.Contains(help, b.Help) {
			t.Fatalf("read-only help shows %q:\n%s", b.Help, help)
		}
	}
	if !strings.Contains(help, "filter ('exact") {
		t.Fatalf("help is empty:\n%s", help)
	}
	d.key("esc")
	// The client refuses even when something asks it directly.
	if _, err := d.app.sess.Client.Repos.Delete(context.Background(), "acme", "web"); !errors.Is(err, hubclient.ErrReadOnly) {
		t.Fatalf("delete in read-only mode: %v", err)
	}
}

func TestTooSmallAndResize(t *testing.T) {
	_, url := startSim(t, hubsim.Options{})
	d := newDriver(t, Options{Session: demoSession(t, url, "demo", "demo")}, 50, 12)
	if s := d.screen(); !strings.Contains(s, "needs at least 60×15") {
		t.Fatalf("small screen:\n%s", s)
	}
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.until("repositories", d.reposLoaded)
	lines := strings.Split(d.screen(), "\n")
	if len(lines) != 24 {
		t.Fatalf("80x24 frame has %d lines", len(lines))
	}
}

func TestUnreachableHubShowsErrorAndRetries(t *testing.T) {
	sim, err := hubsim.New(hubsim.Options{Dataset: "demo", RateLimit: -1, Clock: hubsim.NewFakeClock(fixedNow())})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	down := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		isDown := down
		mu.Unlock()
		if isDown {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					_ = conn.Close()
					return
				}
			}
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := hubclient.New(hubclient.WithBaseURL(srv.URL), hubclient.WithCredentials("demo", "demo"), hubclient.WithClock(fixedNow),
		hubclient.WithRetryPolicy(hubclient.RetryPolicy{Max: 0}))
	if err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Options{Session: Session{Client: c, Org: "acme", User: "demo"}}, 100, 30)
	rp := d.repos()
	d.until("the failure", func() bool { return rp.L.Coll().Status == state.Failed })
	if s := d.screen(); !strings.Contains(s, "Could not load repositories") || !strings.Contains(s, "r to retry") {
		t.Fatalf("screen:\n%s", s)
	}
	mu.Lock()
	down = false
	mu.Unlock()
	d.key("r")
	d.until("the retry", d.reposLoaded)
	if d.app.errText != "" {
		t.Fatalf("the old load error stays over a good load: %q", d.app.errText)
	}
}

func TestSignInWithTwoFactor(t *testing.T) {
	sim, url := startSim(t, hubsim.Options{})
	dial := func(user string, secret hubclient.Secret) (*hubclient.Client, error) {
		return hubclient.New(hubclient.WithBaseURL(url), hubclient.WithCredentials(user, secret), hubclient.WithClock(fixedNow))
	}
	d := newDriver(t, Options{Session: Session{HubURL: url, Org: "acme"}, Dial: dial}, 100, 30)
	if !strings.Contains(d.screen(), "Sign in to Docker Hub") {
		t.Fatalf("no sign-in screen:\n%s", d.screen())
	}
	d.typeText("ops")
	d.key("enter")
	d.typeText("wrong")
	d.key("enter")
	d.until("the refusal", func() bool { return d.app.signin != nil && d.app.signin.err != "" })
	if s := d.screen(); !strings.Contains(s, "Incorrect authentication credentials") {
		t.Fatalf("refusal not in the server's words:\n%s", s)
	}
	if strings.Contains(d.screen(), "wrong") {
		t.Fatal("the secret was echoed")
	}
	d.typeText("ops")
	d.key("enter")
	d.until("the 2FA prompt", func() bool { return d.app.signin != nil && d.app.signin.stage == 1 })
	code, err := sim.TOTP(hubsim.TwoFactorSecret)
	if err != nil {
		t.Fatal(err)
	}
	d.typeText(code)
	d.key("enter")
	d.until("repositories", d.reposLoaded)
	if d.app.sess.User != "ops" {
		t.Fatalf("signed in as %q", d.app.sess.User)
	}
}

func TestSignInSavesOnlyWhenAsked(t *testing.T) {
	_, url := startSim(t, hubsim.Options{})
	dial := func(user string, secret hubclient.Secret) (*hubclient.Client, error) {
		return hubclient.New(hubclient.WithBaseURL(url), hubclient.WithCredentials(user, secret), hubclient.WithClock(fixedNow))
	}
	var saved []string
	save := func(_ context.Context, user string, secret hubclient.Secret) error {
		saved = append(saved, user+":"+secret.Reveal())
		return nil
	}
	d := newDriver(t, Options{Session: Session{HubURL: url, Org: "acme", Save: save, SaveHelper: "fake"}, Dial: dial}, 100, 30)
	if !strings.Contains(d.screen(), "ctrl+s sign in and save with docker-credential-fake") {
		t.Fatalf("no save hint:\n%s", d.screen())
	}
	d.typeText("demo")
	d.key("enter")
	d.typeText("demo")
	d.key("ctrl+s")
	d.until("repositories", d.reposLoaded)
	if len(saved) != 1 || saved[0] != "demo:demo" {
		t.Fatalf("saved %v", saved)
	}
	if !strings.Contains(d.app.status, "credentials saved with docker-credential-fake") {
		t.Fatalf("status %q", d.app.status)
	}
}

func TestTwoFactorSessionExpiryAsksForANewCode(t *testing.T) {
	clock := hubsim.NewFakeClock(fixedNow())
	sim, url := startSim(t, hubsim.Options{Clock: clock})
	c, err := hubclient.New(hubclient.WithBaseURL(url), hubclient.WithCredentials("ops", "ops"), hubclient.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Options{Session: Session{Client: c, User: "ops", Org: "acme", HubURL: url}}, 100, 30)
	d.until("the 2FA prompt", func() bool { return d.app.mode == modeSignIn && d.app.signin.stage == 1 })
	code, _ := sim.TOTP(hubsim.TwoFactorSecret)
	d.typeText(code)
	d.key("enter")
	d.until("repositories", d.reposLoaded)
	if d.app.sess.User != "ops" || d.app.sess.Org != "acme" {
		t.Fatalf("session %+v", d.app.sess)
	}
	// The session expires under a change: the change is said to be lost.
	clock.Advance(11 * time.Minute)
	r, _ := d.repos().L.Selected()
	d.key("p", "y")
	d.until("the 2FA prompt", func() bool { return d.app.mode == modeSignIn })
	if !strings.Contains(d.app.signin.err, "The last change was not made") {
		t.Fatalf("sign-in says %q", d.app.signin.err)
	}
	code, _ = sim.TOTP(hubsim.TwoFactorSecret)
	d.typeText(code)
	d.key("enter")
	d.until("repositories", func() bool { return d.app.mode == modeNormal && d.reposLoaded() })
	if !strings.Contains(d.app.errText, "not done: making acme/"+r.Name) {
		t.Fatalf("the lost change is not reported: %q", d.app.errText)
	}
}

func TestRepositoryChangesAskFirst(t *testing.T) {
	d := demoDriver(t)
	rp := d.repos()
	target, _ := rp.L.Selected()
	full := "acme/" + target.Name

	// Delete asks for the name to be typed; a wrong name does nothing.
	d.key("D")
	if d.app.Dialog() == nil || !strings.Contains(d.screen(), "Type "+full+" to confirm") {
		t.Fatalf("no typed confirmation:\n%s", d.screen())
	}
	d.typeText("acme/wrong")
	d.key("enter")
	if d.app.Dialog() == nil {
		t.Fatal("a wrong name closed the confirmation")
	}
	d.key("esc")
	if d.app.mode != modeNormal || len(rp.L.Coll().Items) != 60 {
		t.Fatal("esc did not cancel")
	}
	d.key("D")
	d.typeText(full)
	d.key("enter")
	d.until("the deletion", func() bool { return strings.Contains(d.app.status, "deleted "+full) })
	if len(rp.L.Coll().Items) != 59 || rp.L.Coll().Find(func(r hubclient.Repository) bool { return r.Name == target.Name }) >= 0 {
		t.Fatalf("%s still listed (%d rows)", full, len(rp.L.Coll().Items))
	}
	d.key("r")
	d.until("the reload", d.reposLoaded)
	if len(rp.L.Coll().Items) != 59 {
		t.Fatalf("the Hub still has %d repositories", len(rp.L.Coll().Items))
	}

	// Visibility asks y/n and changes the row.
	r, _ := rp.L.Selected()
	d.key("p")
	d.key("n")
	d.settle(200 * time.Millisecond)
	if cur, _ := rp.L.Selected(); cur.IsPrivate != r.IsPrivate || strings.HasPrefix(d.app.status, "making") {
		t.Fatalf("n changed the visibility (status %q)", d.app.status)
	}
	d.key("p", "y")
	d.until("the visibility change", func() bool { cur, _ := rp.L.Selected(); return cur.IsPrivate != r.IsPrivate })

	// The description is checked before anything is sent.
	d.key("e")
	d.send(tea.PasteMsg{Content: strings.Repeat("x", 101)})
	d.key("enter")
	if d.app.Dialog() == nil || !strings.Contains(d.screen(), "at most 100") {
		t.Fatalf("a long description was not refused:\n%s", d.screen())
	}
	d.key("esc", "e", "enter") // enter without an edit sends nothing
	if d.app.status != "description unchanged" {
		t.Fatalf("an unedited description was sent: status %q", d.app.status)
	}
	d.key("e")
	d.key("ctrl+u")
	d.typeText("Checkout service")
	d.key("enter")
	d.until("the new description", func() bool { cur, _ := rp.L.Selected(); return cur.Description == "Checkout service" })

	// A new repository: the form checks the name, then public or private.
	d.key("n", "tab")
	d.typeText("Bad Name")
	d.key("ctrl+s")
	if !strings.Contains(d.screen(), "not a valid repository name") {
		t.Fatalf("a bad name was not refused:\n%s", d.screen())
	}
	d.key("esc", "n", "tab")
	d.typeText("fresh-service")
	gen, count := rp.L.Coll().Gen, len(rp.L.Coll().Items)
	d.key("tab", "tab", "right", "ctrl+s") // visibility: public
	d.until("the new repository", func() bool {
		return rp.L.Coll().Status == state.Loaded && rp.L.Coll().Find(func(r hubclient.Repository) bool { return r.Name == "fresh-service" }) >= 0
	})
	i := rp.L.Coll().Find(func(r hubclient.Repository) bool { return r.Name == "fresh-service" })
	if rp.L.Coll().Items[i].IsPrivate {
		t.Fatal("n did not make it public")
	}
	if rp.L.Coll().Gen != gen || len(rp.L.Coll().Items) != count+1 || rp.L.Coll().Items[i-1].Name > "fresh-service" {
		t.Fatalf("create reloaded or misplaced the row: gen %d→%d, %d→%d rows, after %q", gen, rp.L.Coll().Gen, count, len(rp.L.Coll().Items), rp.L.Coll().Items[i-1].Name)
	}
}

func TestMembersCannotDeleteAndReadOnlyHidesChanges(t *testing.T) {
	_, url := startSim(t, hubsim.Options{})
	d := newDriver(t, Options{Session: demoSession(t, url, hubsim.MemberUser, hubsim.MemberUser)}, 120, 40)
	d.until("repositories", d.reposLoaded)
	// The role is known: D says why it cannot before anything is sent.
	d.until("the role", func() bool { return d.app.role() == pane.RoleMember })
	d.key("D")
	if d.app.Dialog() != nil || !strings.Contains(d.app.errText, "only owners and editors of acme can; you are a member") {
		t.Fatalf("dialog %v, error %q", d.app.Dialog(), d.app.errText)
	}
	d.key("?")
	if s := d.screen(); !strings.Contains(s, "(only owners") || !strings.Contains(s, "can; you are a member)") {
		t.Fatalf("help does not say why delete is off:\n%s", d.screen())
	}
	d.key("?")
	// The Hub refuses it too, in its own words, when asked directly.
	r, _ := d.repos().L.Selected()
	if _, err := d.app.sess.Client.Repos.Delete(context.Background(), "acme", r.Name); err == nil || !strings.Contains(err.Error(), "403") {
		t.Fatalf("the Hub let a member delete: %v", err)
	}

	ro := newDriver(t, Options{Session: demoSession(t, url, "demo", "demo", hubclient.WithReadOnly())}, 120, 40)
	ro.until("repositories", ro.reposLoaded)
	s := ro.screen()
	for _, hidden := range []string{"D delete", "p visibility", "e edit", "n new"} {
		if strings.Contains(s, hidden) {
			t.Fatalf("read-only footer shows %q:\n%s", hidden, s)
		}
	}
	ro.key("D")
	if ro.app.mode != modeNormal {
		t.Fatal("D opened a confirmation in read-only mode")
	}
	ro.key("?")
	if strings.Contains(ro.screen(), "delete (asks first)") {
		t.Fatalf("read-only help lists delete:\n%s", ro.screen())
	}
}

func TestBulkTagDeleteReportsImmutableTags(t *testing.T) {
	d := demoDriver(t)
	// Find a repository with immutable tags (the demo has some: rule v.*).
	var ref string
	for _, r := range d.repos().L.Coll().Items {
		c := d.app.sess.Client
		info, _, err := c.Repos.Get(context.Background(), r.Namespace, r.Name)
		if err == nil && info.ImmutableTagsSettings.Enabled {
			ref = r.Namespace + "/" + r.Name
			break
		}
	}
	if ref == "" {
		t.Skip("no repository with immutable tags in the demo data")
	}
	tp := d.openTags(ref)
	before := len(tp.L.Coll().Items)
	d.key("ctrl+a", "D")
	d.until("the question", func() bool { return d.app.Dialog() != nil })
	if strings.Contains(d.screen(), "instead?") { // whole images hold these tags: take the tags one at a time
		d.key("n")
	}
	if !strings.Contains(d.screen(), fmt.Sprintf("Delete %d tags of %s?", before, ref)) {
		t.Fatalf("bulk confirmation:\n%s", d.screen())
	}
	d.key("y")
	d.until("the result", func() bool { return d.app.errText != "" || strings.HasPrefix(d.app.status, "deleted") })
	if !strings.Contains(d.app.errText, "not done") || !strings.Contains(d.app.errText, "immutable") {
		t.Fatalf("immutable tags were not reported: err %q status %q", d.app.errText, d.app.status)
	}
	left := len(tp.L.Coll().Items)
	if left == 0 || left == before {
		t.Fatalf("%d of %d tags left; want only the immutable ones", left, before)
	}
	for _, tg := range tp.L.Coll().Items {
		if !strings.HasPrefix(tg.Name, "v") {
			t.Fatalf("tag %s should have been deleted", tg.Name)
		}
	}
}

func TestRateLimitWaitIsShown(t *testing.T) {
	_, url := startSim(t, hubsim.Options{RateLimit: 3})
	d := newDriver(t, Options{Session: demoSession(t, url, "demo", "demo")}, 120, 40)
	d.until("repositories", d.reposLoaded)
	const waiting = "rate limit: waiting 60s"
	for i := 0; i < 5 && !strings.Contains(d.screen(), waiting); i++ {
		d.key("r") // spend the budget; the load that finds it spent waits
		d.settle(100 * time.Millisecond)
	}
	s := d.screen()
	if !strings.Contains(s, waiting) || !strings.Contains(s, "rate 0/3 (resets in 60s)") {
		t.Fatalf("no countdown for the spent budget:\n%s", s)
	}
	d.repos().Leave(d.app.cur().env) // stop the waiting request
}

func TestStaleDerivationNeverMixesWithNewRows(t *testing.T) {
	d := demoDriver(t)
	rp := d.repos()
	// A filter is computed over the 60 rows…
	pending := rp.L.SetQuery("a")()
	// …while a reload replaces them with fewer rows.
	gen := rp.L.Coll().Begin(d.app.gen)
	d.app.gen = gen
	rp.L.Coll().AddPage(gen, 1, rp.L.Coll().Items[:3], 3)
	d.send(pending) // the result arrives late
	_ = d.screen()  // must not panic
	for row := 0; row < rp.L.Visible(); row++ {
		rp.L.Table().SetCursor(row)
		if r, ok := rp.L.Selected(); !ok || !strings.Contains(d.screen(), r.Name) {
			t.Fatalf("row %d selects %q, which is not on screen", row, r.Name)
		}
	}
}

func TestDeletingWhileSortedKeepsTheListLive(t *testing.T) {
	d := demoDriver(t)
	rp := d.repos()
	d.key("s", "S")
	d.until("sorted rows", func() bool { return !rp.L.Filtering() })
	target, _ := rp.L.Selected()
	d.key("D")
	d.typeText("acme/" + target.Name)
	d.key("enter")
	d.until("the deletion", func() bool { return rp.L.Visible() == 59 && !rp.L.Filtering() })
	if cur, _ := rp.L.Selected(); cur.Name == target.Name {
		t.Fatalf("the deleted %s is still under the cursor", target.Name)
	}
}

func TestWithoutAnOrgTheFirstOfTheUsersOrgsOpens(t *testing.T) {
	sim, url := startSim(t, hubsim.Options{})
	dial := func(user string, secret hubclient.Secret) (*hubclient.Client, error) {
		return hubclient.New(hubclient.WithBaseURL(url), hubclient.WithCredentials(user, secret), hubclient.WithClock(fixedNow))
	}
	d := newDriver(t, Options{Session: Session{HubURL: url}, Dial: dial}, 100, 30)
	d.typeText("ops")
	d.key("enter")
	d.typeText("ops")
	d.key("enter")
	d.until("the 2FA prompt", func() bool { return d.app.signin != nil && d.app.signin.stage == 1 })
	code, _ := sim.TOTP(hubsim.TwoFactorSecret)
	d.typeText(code)
	d.key("enter")
	d.until("repositories", d.reposLoaded)
	if d.app.sess.Org != "acme" || len(d.repos().L.Coll().Items) != 60 {
		t.Fatalf("org %q with %d repositories", d.app.sess.Org, len(d.repos().L.Coll().Items))
	}
}

func TestContextSwitch(t *testing.T) {
	_, url := startSim(t, hubsim.Options{})
	var next Session
	var nextErr error
	sw := func(_ context.Context, name string) (Session, error) { return next, nextErr }
	d := newDriver(t, Options{Session: demoSession(t, url, "demo", "demo"), Switch: sw, Contexts: []string{"test", "ops", "broken"}}, 120, 40)
	d.until("repositories", d.reposLoaded)

	// A context that fails says why and keeps the console as it was.
	nextErr = fmt.Errorf("no such context")
	d.key(":")
	d.typeText("ctx broken")
	d.key("enter")
	d.until("the failure", func() bool { return d.app.errText != "" })
	if !strings.Contains(d.app.errText, "no such context") || d.app.sess.Context != "test" {
		t.Fatalf("err %q, context %q", d.app.errText, d.app.sess.Context)
	}

	// A context without credentials opens the sign-in screen for its Hub.
	nextErr = nil
	next = Session{Context: "ops", HubURL: url, Org: "acme", Dial: func(user string, secret hubclient.Secret) (*hubclient.Client, error) {
		return hubclient.New(hubclient.WithBaseURL(url), hubclient.WithCredentials(user, secret), hubclient.WithClock(fixedNow))
	}}
	d.key(":")
	d.typeText("ctx ops")
	d.key("enter")
	d.until("the sign-in screen", func() bool { return d.app.mode == modeSignIn })
	d.typeText("erin")
	d.key("enter")
	d.typeText("erin")
	d.key("enter")
	d.until("repositories", func() bool { return d.app.mode == modeNormal && d.reposLoaded() })
	if d.app.sess.Context != "ops" || d.app.sess.User != "erin" {
		t.Fatalf("session %+v", d.app.sess)
	}
	if !strings.Contains(d.screen(), "ctx: ops") {
		t.Fatalf("header:\n%s", d.screen())
	}
}

func TestNarrowHeaderKeepsReadOnlyBadge(t *testing.T) {
	_, url := startSim(t, hubsim.Options{})
	d := newDriver(t, Options{Session: demoSession(t, url, "demo", "demo", hubclient.WithReadOnly())}, 60, 15)
	d.until("repositories", d.reposLoaded)
	header := strings.Split(d.screen(), "\n")[0]
	if !strings.Contains(header, "READ-ONLY") || !strings.Contains(header, "idle") || ansi.StringWidth(header) > 60 {
		t.Fatalf("header %q", header)
	}
}

func TestChangeOutcomesSurviveSwitchesAndStayOnTheirList(t *testing.T) {
	d := demoDriver(t)

	// A tag delete whose answer lands after the pane moved to another
	// repository changes nothing there.
	tp := d.openTags("acme/web")
	tp.L.Table().SetCursor(tp.L.Coll().Find(func(t tags.Row) bool { return t.Name == "stable" }))
	d.key("D")
	_, cmd := d.app.Update(keyMsg("y")) // hold the answer back
	d.key("h")                          // the progress dialog steps aside
	d.openTags("acme/api")
	before := len(tp.L.Coll().Items)
	d.deliver(cmd())
	d.until("the delete's report", func() bool { return strings.Contains(d.screen(), "deleted 1 tag(s) of acme/web") })
	if len(tp.L.Coll().Items) != before {
		t.Fatalf("acme/api lost a tag to a delete in acme/web (%d → %d)", before, len(tp.L.Coll().Items))
	}
	if s := d.screen(); !strings.Contains(s, "acme/api · ") {
		t.Fatalf("the status line does not say what happened beside the list's status:\n%s", s)
	}

	// A change whose answer lands after :org is still reported.
	d.key("1")
	r, _ := d.repos().L.Selected()
	d.key("D")
	d.typeText("acme/" + r.Name)
	_, cmd = d.app.Update(keyMsg("enter"))
	d.key(":")
	d.typeText("org demo")
	d.key("enter")
	d.send(cmd())
	if !strings.Contains(d.app.status, "deleted acme/"+r.Name) {
		t.Fatalf("the deletion was not reported after :org: status %q", d.app.status)
	}
}

func TestTooSmallIgnoresKeysAndQAnswersHelp(t *testing.T) {
	d := demoDriver(t)
	r, _ := d.repos().L.Selected()
	d.send(tea.WindowSizeMsg{Width: 50, Height: 12})
	d.key("p", "y", "enter", "?")
	d.settle(100 * time.Millisecond)
	if d.app.mode != modeNormal || d.repos().Open() != nil || strings.HasPrefix(d.app.status, "making") {
		t.Fatalf("keys acted on a screen nobody could see: mode %v, status %q", d.app.mode, d.app.status)
	}
	if cur, _ := d.repos().L.Selected(); cur.IsPrivate != r.IsPrivate {
		t.Fatal("the visibility changed")
	}
	d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.key("?", "q")
	if d.app.quitting || d.app.mode != modeNormal {
		t.Fatalf("q in help: quitting %v, mode %v", d.app.quitting, d.app.mode)
	}
}

func TestDetailScrollsToTheEnd(t *testing.T) {
	d := demoDriver(t)
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.key("enter")
	d.until("details", func() bool { return d.repos().Open() != nil && d.repos().Open().Info() != nil })
	d.key("G")
	if s := d.screen(); !strings.Contains(s, "esc back") {
		t.Fatalf("G did not reach the end of the detail view:\n%s", s)
	}
	d.key("g")
	if s := d.screen(); !strings.Contains(s, "Description") {
		t.Fatalf("g did not go back to the top:\n%s", s)
	}
}

func TestNarrowTabsKeepTheActiveOne(t *testing.T) {
	d := demoDriver(t)
	d.send(tea.WindowSizeMsg{Width: 60, Height: 15})
	d.key("8")
	tabs := strings.Split(d.screen(), "\n")[1]
	if !strings.Contains(tabs, "8 Settings") || ansi.StringWidth(tabs) > 60 {
		t.Fatalf("tabs at 60 columns: %q", tabs)
	}
}

func TestManyTagsAskForTheCountTyped(t *testing.T) {
	d := demoDriver(t)
	tp := d.openTags("acme/web")
	many := make([]tags.Row, 25)
	for i := range many {
		many[i] = tags.Row{Name: fmt.Sprintf("pr-%02d", i)}
	}
	gen := tp.L.Coll().Begin(d.app.gen)
	d.app.gen = gen
	tp.L.Coll().AddPage(gen, 1, many, 25)
	tp.L.Coll().Finish(gen, nil, fixedNow())
	d.send(addressed{to: d.app.cur().id, msg: nil})
	d.run(tp.L.ItemsChanged())
	d.settle(50 * time.Millisecond)
	d.key("ctrl+a", "D")
	d.until("the question", func() bool { return d.app.Dialog() != nil })
	if d.app.Dialog() == nil || !strings.Contains(d.screen(), "Type delete 25 tags") {
		t.Fatalf("25 tags did not ask for the count typed:\n%s", d.screen())
	}
	d.key("y")
	if d.app.Dialog() == nil {
		t.Fatal("y alone deleted 25 tags")
	}
}
