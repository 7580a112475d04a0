package ui_test

import (
	"context"
	"errors"
	"fmt"
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
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/panes/tags"
)

func TestFilterNarrowsAndEscClears(t *testing.T) {
	d := demoDriver(t)
	rp := repoPane(d)
	d.Key("/")
	if d.App.Mode() != ui.ModeFilter {
		t.Fatal("/ did not open the filter")
	}
	d.Type("p")
	// Drawn before the match arrives: the previous order stays on screen.
	if s := d.Screen(); !strings.Contains(s, "admin-console") {
		t.Fatalf("the list vanished while the filter ran:\n%s", s)
	}
	d.Type("aymnts")
	d.Until("the filter result", func() bool { return !rp.L.Filtering() && rp.L.Visible() > 0 })
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
	d.Key("esc")
	if rp.L.Visible() != 60 || d.App.Mode() != ui.ModeNormal {
		t.Fatalf("esc left %d rows, mode %v", rp.L.Visible(), d.App.Mode())
	}
}

func TestPaletteJumpsToTagsWithCompletionAndHistory(t *testing.T) {
	d := demoDriver(t)
	d.Key(":")
	d.Type("ta")
	d.Key("tab")
	if v := d.App.PaletteValue(); v != "tags " {
		t.Fatalf("completion gave %q", v)
	}
	d.Type("acme/we")
	d.Key("tab")
	if v := d.App.PaletteValue(); v != "tags acme/web" {
		t.Fatalf("repository completion gave %q", v)
	}
	d.Key("esc", ":")
	d.Type("tags acme/p")
	d.Key("tab")
	first := d.App.PaletteValue()
	d.Key("tab")
	second := d.App.PaletteValue()
	if !strings.HasPrefix(first, "tags acme/p") || !strings.HasPrefix(second, "tags acme/p") || first == second {
		t.Fatalf("tab did not cycle the candidates: %q then %q", first, second)
	}
	d.Key("esc", ":")
	d.Type("tags acme/web")
	d.Key("enter")
	if d.App.Top().Kind() != state.Tags {
		t.Fatalf("active pane %v", d.App.Top().Title())
	}
	tp := tagPane(d)
	d.Until("tags", func() bool { return tp.L.Coll().Status == state.Loaded })
	if tp.L.Scope() != "acme/web" || len(tp.L.Coll().Items) == 0 {
		t.Fatalf("tags of %q: %d", tp.L.Scope(), len(tp.L.Coll().Items))
	}
	if s := d.Screen(); !strings.Contains(s, "latest") || !strings.Contains(s, "linux/amd64") {
		t.Fatalf("tags screen:\n%s", s)
	}
	d.Key(":")
	d.Key("up")
	if v := d.App.PaletteValue(); v != "tags acme/web" {
		t.Fatalf("history gave %q", v)
	}
	d.Key("esc")
	d.Key(":")
	d.Type("bogus")
	d.Key("enter")
	if !strings.Contains(d.App.Error(), `unknown command "bogus"`) {
		t.Fatalf("error %q", d.App.Error())
	}
	d.Key(":")
	d.Type("tags acme/web extra")
	d.Key("enter")
	if !strings.Contains(d.App.Error(), "namespace/name") {
		t.Fatalf("error %q", d.App.Error())
	}
	// A bare name is a repository of the current org.
	d.Key(":")
	d.Type("tags api")
	d.Key("enter")
	if tp.L.Scope() != "acme/api" {
		t.Fatalf(":tags api opened %q", tp.L.Scope())
	}
	// Help shows the last error whole.
	d.App.SetErr(fmt.Errorf("%s", strings.Repeat("a long error ", 30)+"THE END"))
	d.Key("?")
	if !strings.Contains(d.Screen(), "THE END") {
		t.Fatalf("help does not show the whole error:\n%s", d.Screen())
	}
}

func TestStaleResultsAreDropped(t *testing.T) {
	d := demoDriver(t)
	rp := repoPane(d)
	old := rp.L.Coll().Gen
	d.Key("r")
	if rp.L.Coll().Gen == old {
		t.Fatal("refresh did not start a new generation")
	}
	// (A late page of the previous load is dropped: ui/list tests it.)
	d.Until("the refresh", reposLoaded(d))
	if len(rp.L.Coll().Items) != 60 {
		t.Fatalf("after refresh %d rows", len(rp.L.Coll().Items))
	}
	// An org the user is not in is refused before anything changes.
	d.Until("the user's organizations", func() bool { return d.App.Orgs() != nil })
	d.Key(":")
	d.Type("org acme2")
	d.Key("enter")
	if !strings.Contains(d.App.Error(), "not a member of acme2") || d.App.Session().Org != "acme" {
		t.Fatalf("err %q, org %q", d.App.Error(), d.App.Session().Org)
	}
	// Switching org starts over; results for the old org are dropped: a
	// page of acme held back until demo has loaded changes nothing.
	_, reload := d.App.Update(uitest.KeyMsg("r"))
	late := reload()      // the first page of acme, not yet delivered
	d.Palette("org demo") // the user's own namespace
	d.Deliver(late)       // while demo loads
	rp = repoPane(d)
	d.Until("the new org's repositories", reposLoaded(d))
	if d.App.Error() != "" {
		t.Fatalf("the old org's late page left an error: %q", d.App.Error())
	}
	for _, r := range rp.L.Coll().Items {
		if r.Namespace != "demo" {
			t.Fatalf("a page for the old org was applied to the new one: %+v", r)
		}
	}
}

func TestPaneSwitchingAndHelp(t *testing.T) {
	d := demoDriver(t)
	d.Key("tab")
	if d.App.Top().Kind() != state.Tags {
		t.Fatal("tab did not move to Tags")
	}
	d.Key("shift+tab", "shift+tab")
	if d.App.Top().Kind() != state.Settings {
		t.Fatalf("shift+tab twice gave %s", d.App.Top().Title())
	}
	d.Key("4")
	if d.App.Top().Kind() != state.Members || !strings.Contains(d.Screen(), "members") {
		t.Fatalf("4 gave %s:\n%s", d.App.Top().Title(), d.Screen())
	}
	d.Send(tea.WindowSizeMsg{Width: 120, Height: 60}) // help whole, unscrolled
	d.Key("1", "?")
	s := d.Screen()
	for _, want := range []string{"filter ('exact", "command palette", "mark all visible", ":tags NS/REPO", ":ctx NAME", "ctrl+d"} {
		if !strings.Contains(s, want) {
			t.Fatalf("help lacks %q:\n%s", want, s)
		}
	}
	d.Key("x")
	if d.App.Mode() != ui.ModeNormal {
		t.Fatal("a key did not close help")
	}
}

func TestReadOnlyRefusesAndSays(t *testing.T) {
	_, url := uitest.StartSim(t, hubsim.Options{})
	sess := uitest.Session(t, url, "demo", "demo", hubclient.WithReadOnly())
	d := uitest.New(t, ui.Options{Session: sess}, 120, 40)
	d.Until("repositories", reposLoaded(d))
	if !strings.Contains(d.Screen(), "READ-ONLY") {
		t.Fatalf("no read-only badge:\n%s", d.Screen())
	}
	d.Key("?")
	help := d.Screen()
	for _, b := range d.App.KeyBindings() {
		if b.Mutates && strings.Contains(help, b.Help) {
			t.Fatalf("read-only help shows %q:\n%s", b.Help, help)
		}
	}
	if !strings.Contains(help, "filter ('exact") {
		t.Fatalf("help is empty:\n%s", help)
	}
	d.Key("esc")
	// The client refuses even when something asks it directly.
	if _, err := d.App.Session().Client.Repos.Delete(context.Background(), "acme", "web"); !errors.Is(err, hubclient.ErrReadOnly) {
		t.Fatalf("delete in read-only mode: %v", err)
	}
}

func TestTooSmallAndResize(t *testing.T) {
	_, url := uitest.StartSim(t, hubsim.Options{})
	d := uitest.New(t, ui.Options{Session: uitest.Session(t, url, "demo", "demo")}, 50, 12)
	if s := d.Screen(); !strings.Contains(s, "needs at least 60×15") {
		t.Fatalf("small screen:\n%s", s)
	}
	d.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.Until("repositories", reposLoaded(d))
	lines := strings.Split(d.Screen(), "\n")
	if len(lines) != 24 {
		t.Fatalf("80x24 frame has %d lines", len(lines))
	}
}

func TestUnreachableHubShowsErrorAndRetries(t *testing.T) {
	sim, err := hubsim.New(hubsim.Options{Dataset: "demo", RateLimit: -1, Clock: hubsim.NewFakeClock(uitest.FixedNow())})
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
	c, err := hubclient.New(hubclient.WithBaseURL(srv.URL), hubclient.WithCredentials("demo", "demo"), hubclient.WithClock(uitest.FixedNow),
		hubclient.WithRetryPolicy(hubclient.RetryPolicy{Max: 0}))
	if err != nil {
		t.Fatal(err)
	}
	d := uitest.New(t, ui.Options{Session: ui.Session{Client: c, Org: "acme", User: "demo"}}, 100, 30)
	rp := repoPane(d)
	d.Until("the failure", func() bool { return rp.L.Coll().Status == state.Failed })
	if s := d.Screen(); !strings.Contains(s, "Could not load repositories") || !strings.Contains(s, "r to retry") {
		t.Fatalf("screen:\n%s", s)
	}
	mu.Lock()
	down = false
	mu.Unlock()
	d.Key("r")
	d.Until("the retry", reposLoaded(d))
	if d.App.Error() != "" {
		t.Fatalf("the old load error stays over a good load: %q", d.App.Error())
	}
}

func TestSignInWithTwoFactor(t *testing.T) {
	sim, url := uitest.StartSim(t, hubsim.Options{})
	dial := func(user string, secret hubclient.Secret) (*hubclient.Client, error) {
		return hubclient.New(hubclient.WithBaseURL(url), hubclient.WithCredentials(user, secret), hubclient.WithClock(uitest.FixedNow))
	}
	d := uitest.New(t, ui.Options{Session: ui.Session{HubURL: url, Org: "acme"}, Dial: dial}, 100, 30)
	if !strings.Contains(d.Screen(), "Sign in to Docker Hub") {
		t.Fatalf("no sign-in screen:\n%s", d.Screen())
	}
	d.Type("ops")
	d.Key("enter")
	d.Type("wrong")
	d.Key("enter")
	d.Until("the refusal", func() bool { return d.App.SignInErr() != "" })
	if s := d.Screen(); !strings.Contains(s, "Incorrect authentication credentials") {
		t.Fatalf("refusal not in the server's words:\n%s", s)
	}
	if strings.Contains(d.Screen(), "wrong") {
		t.Fatal("the secret was echoed")
	}
	d.Type("ops")
	d.Key("enter")
	d.Until("the 2FA prompt", func() bool { return d.App.SignInStage() == 1 })
	code, err := sim.TOTP(hubsim.TwoFactorSecret)
	if err != nil {
		t.Fatal(err)
	}
	d.Type(code)
	d.Key("enter")
	d.Until("repositories", reposLoaded(d))
	if d.App.Session().User != "ops" {
		t.Fatalf("signed in as %q", d.App.Session().User)
	}
}

func TestSignInSavesOnlyWhenAsked(t *testing.T) {
	_, url := uitest.StartSim(t, hubsim.Options{})
	dial := func(user string, secret hubclient.Secret) (*hubclient.Client, error) {
		return hubclient.New(hubclient.WithBaseURL(url), hubclient.WithCredentials(user, secret), hubclient.WithClock(uitest.FixedNow))
	}
	var saved []string
	save := func(_ context.Context, user string, secret hubclient.Secret) error {
		saved = append(saved, user+":"+secret.Reveal())
		return nil
	}
	d := uitest.New(t, ui.Options{Session: ui.Session{HubURL: url, Org: "acme", Save: save, SaveHelper: "fake"}, Dial: dial}, 100, 30)
	if !strings.Contains(d.Screen(), "ctrl+s sign in and save with docker-credential-fake") {
		t.Fatalf("no save hint:\n%s", d.Screen())
	}
	d.Type("demo")
	d.Key("enter")
	d.Type("demo")
	d.Key("ctrl+s")
	d.Until("repositories", reposLoaded(d))
	if len(saved) != 1 || saved[0] != "demo:demo" {
		t.Fatalf("saved %v", saved)
	}
	if !strings.Contains(d.App.Status(), "credentials saved with docker-credential-fake") {
		t.Fatalf("status %q", d.App.Status())
	}
}

func TestTwoFactorSessionExpiryAsksForANewCode(t *testing.T) {
	clock := hubsim.NewFakeClock(uitest.FixedNow())
	sim, url := uitest.StartSim(t, hubsim.Options{Clock: clock})
	c, err := hubclient.New(hubclient.WithBaseURL(url), hubclient.WithCredentials("ops", "ops"), hubclient.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	d := uitest.New(t, ui.Options{Session: ui.Session{Client: c, User: "ops", Org: "acme", HubURL: url}}, 100, 30)
	d.Until("the 2FA prompt", func() bool { return d.App.Mode() == ui.ModeSignIn && d.App.SignInStage() == 1 })
	code, _ := sim.TOTP(hubsim.TwoFactorSecret)
	d.Type(code)
	d.Key("enter")
	d.Until("repositories", reposLoaded(d))
	if d.App.Session().User != "ops" || d.App.Session().Org != "acme" {
		t.Fatalf("session %+v", d.App.Session())
	}
	// The session expires under a change: the change is said to be lost.
	clock.Advance(11 * time.Minute)
	r, _ := repoPane(d).L.Selected()
	d.Key("p", "y")
	d.Until("the 2FA prompt", func() bool { return d.App.Mode() == ui.ModeSignIn })
	if !strings.Contains(d.App.SignInErr(), "The last change was not made") {
		t.Fatalf("sign-in says %q", d.App.SignInErr())
	}
	code, _ = sim.TOTP(hubsim.TwoFactorSecret)
	d.Type(code)
	d.Key("enter")
	d.Until("repositories", func() bool { return d.App.Mode() == ui.ModeNormal && reposLoaded(d)() })
	if !strings.Contains(d.App.Error(), "not done: making acme/"+r.Name) {
		t.Fatalf("the lost change is not reported: %q", d.App.Error())
	}
}

func TestRateLimitWaitIsShown(t *testing.T) {
	_, url := uitest.StartSim(t, hubsim.Options{RateLimit: 3})
	d := uitest.New(t, ui.Options{Session: uitest.Session(t, url, "demo", "demo")}, 120, 40)
	d.Until("repositories", reposLoaded(d))
	const waiting = "rate limit: waiting 60s"
	for i := 0; i < 5 && !strings.Contains(d.Screen(), waiting); i++ {
		d.Key("r") // spend the budget; the load that finds it spent waits
		d.Settle(100 * time.Millisecond)
	}
	s := d.Screen()
	if !strings.Contains(s, waiting) || !strings.Contains(s, "rate 0/3 (resets in 60s)") {
		t.Fatalf("no countdown for the spent budget:\n%s", s)
	}
	repoPane(d).Leave(d.App.TopEnv()) // stop the waiting request
}

func TestStaleDerivationNeverMixesWithNewRows(t *testing.T) {
	d := demoDriver(t)
	rp := repoPane(d)
	// A filter is computed over the 60 rows…
	pending := rp.L.SetQuery("a")()
	// …while a reload replaces them with fewer rows.
	gen := rp.L.Coll().Begin(d.App.Gen())
	d.App.SetGen(gen)
	rp.L.Coll().AddPage(gen, 1, rp.L.Coll().Items[:3], 3)
	d.Send(pending) // the result arrives late
	_ = d.Screen()  // must not panic
	for row := 0; row < rp.L.Visible(); row++ {
		rp.L.Table().SetCursor(row)
		if r, ok := rp.L.Selected(); !ok || !strings.Contains(d.Screen(), r.Name) {
			t.Fatalf("row %d selects %q, which is not on screen", row, r.Name)
		}
	}
}

func TestWithoutAnOrgTheFirstOfTheUsersOrgsOpens(t *testing.T) {
	sim, url := uitest.StartSim(t, hubsim.Options{})
	dial := func(user string, secret hubclient.Secret) (*hubclient.Client, error) {
		return hubclient.New(hubclient.WithBaseURL(url), hubclient.WithCredentials(user, secret), hubclient.WithClock(uitest.FixedNow))
	}
	d := uitest.New(t, ui.Options{Session: ui.Session{HubURL: url}, Dial: dial}, 100, 30)
	d.Type("ops")
	d.Key("enter")
	d.Type("ops")
	d.Key("enter")
	d.Until("the 2FA prompt", func() bool { return d.App.SignInStage() == 1 })
	code, _ := sim.TOTP(hubsim.TwoFactorSecret)
	d.Type(code)
	d.Key("enter")
	d.Until("repositories", reposLoaded(d))
	if d.App.Session().Org != "acme" || len(repoPane(d).L.Coll().Items) != 60 {
		t.Fatalf("org %q with %d repositories", d.App.Session().Org, len(repoPane(d).L.Coll().Items))
	}
}

func TestContextSwitch(t *testing.T) {
	_, url := uitest.StartSim(t, hubsim.Options{})
	var next ui.Session
	var nextErr error
	sw := func(_ context.Context, name string) (ui.Session, error) { return next, nextErr }
	d := uitest.New(t, ui.Options{Session: uitest.Session(t, url, "demo", "demo"), Switch: sw, Contexts: []string{"test", "ops", "broken"}}, 120, 40)
	d.Until("repositories", reposLoaded(d))

	// A context that fails says why and keeps the console as it was.
	nextErr = fmt.Errorf("no such context")
	d.Key(":")
	d.Type("ctx broken")
	d.Key("enter")
	d.Until("the failure", func() bool { return d.App.Error() != "" })
	if !strings.Contains(d.App.Error(), "no such context") || d.App.Session().Context != "test" {
		t.Fatalf("err %q, context %q", d.App.Error(), d.App.Session().Context)
	}

	// A context without credentials opens the sign-in screen for its Hub.
	nextErr = nil
	next = ui.Session{Context: "ops", HubURL: url, Org: "acme", Dial: func(user string, secret hubclient.Secret) (*hubclient.Client, error) {
		return hubclient.New(hubclient.WithBaseURL(url), hubclient.WithCredentials(user, secret), hubclient.WithClock(uitest.FixedNow))
	}}
	d.Key(":")
	d.Type("ctx ops")
	d.Key("enter")
	d.Until("the sign-in screen", func() bool { return d.App.Mode() == ui.ModeSignIn })
	d.Type("erin")
	d.Key("enter")
	d.Type("erin")
	d.Key("enter")
	d.Until("repositories", func() bool { return d.App.Mode() == ui.ModeNormal && reposLoaded(d)() })
	if d.App.Session().Context != "ops" || d.App.Session().User != "erin" {
		t.Fatalf("session %+v", d.App.Session())
	}
	if !strings.Contains(d.Screen(), "ctx: ops") {
		t.Fatalf("header:\n%s", d.Screen())
	}
}

func TestNarrowHeaderKeepsReadOnlyBadge(t *testing.T) {
	_, url := uitest.StartSim(t, hubsim.Options{})
	d := uitest.New(t, ui.Options{Session: uitest.Session(t, url, "demo", "demo", hubclient.WithReadOnly())}, 60, 15)
	d.Until("repositories", reposLoaded(d))
	header := strings.Split(d.Screen(), "\n")[0]
	if !strings.Contains(header, "READ-ONLY") || !strings.Contains(header, "idle") || ansi.StringWidth(header) > 60 {
		t.Fatalf("header %q", header)
	}
}

func TestChangeOutcomesSurviveSwitchesAndStayOnTheirList(t *testing.T) {
	d := demoDriver(t)

	// A tag delete whose answer lands after the pane moved to another
	// repository changes nothing there.
	tp := openTags(d, "acme/web")
	tp.L.Table().SetCursor(tp.L.Coll().Find(func(t tags.Row) bool { return t.Name == "stable" }))
	d.Key("D")
	_, cmd := d.App.Update(uitest.KeyMsg("y")) // hold the answer back
	d.Key("h")                                 // the progress dialog steps aside
	openTags(d, "acme/api")
	before := len(tp.L.Coll().Items)
	d.Deliver(cmd())
	d.Until("the delete's report", func() bool { return strings.Contains(d.Screen(), "deleted 1 tag(s) of acme/web") })
	if len(tp.L.Coll().Items) != before {
		t.Fatalf("acme/api lost a tag to a delete in acme/web (%d → %d)", before, len(tp.L.Coll().Items))
	}
	if s := d.Screen(); !strings.Contains(s, "acme/api · ") {
		t.Fatalf("the status line does not say what happened beside the list's status:\n%s", s)
	}

	// A change whose answer lands after :org is still reported.
	d.Key("1")
	r, _ := repoPane(d).L.Selected()
	d.Key("D")
	d.Type("acme/" + r.Name)
	_, cmd = d.App.Update(uitest.KeyMsg("enter"))
	d.Key(":")
	d.Type("org demo")
	d.Key("enter")
	d.Send(cmd())
	if !strings.Contains(d.App.Status(), "deleted acme/"+r.Name) {
		t.Fatalf("the deletion was not reported after :org: status %q", d.App.Status())
	}
}

func TestTooSmallIgnoresKeysAndQAnswersHelp(t *testing.T) {
	d := demoDriver(t)
	r, _ := repoPane(d).L.Selected()
	d.Send(tea.WindowSizeMsg{Width: 50, Height: 12})
	d.Key("p", "y", "enter", "?")
	d.Settle(100 * time.Millisecond)
	if d.App.Mode() != ui.ModeNormal || repoPane(d).Open() != nil || strings.HasPrefix(d.App.Status(), "making") {
		t.Fatalf("keys acted on a screen nobody could see: mode %v, status %q", d.App.Mode(), d.App.Status())
	}
	if cur, _ := repoPane(d).L.Selected(); cur.IsPrivate != r.IsPrivate {
		t.Fatal("the visibility changed")
	}
	d.Send(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.Key("?", "q")
	if d.App.Quitting() || d.App.Mode() != ui.ModeNormal {
		t.Fatalf("q in help: quitting %v, mode %v", d.App.Quitting(), d.App.Mode())
	}
}

func TestNarrowTabsKeepTheActiveOne(t *testing.T) {
	d := demoDriver(t)
	d.Send(tea.WindowSizeMsg{Width: 60, Height: 15})
	d.Key("8")
	tabs := strings.Split(d.Screen(), "\n")[1]
	if !strings.Contains(tabs, "8 Settings") || ansi.StringWidth(tabs) > 60 {
		t.Fatalf("tabs at 60 columns: %q", tabs)
	}
}
