package tokens_test

import (
	"encoding/base64"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
)

var patSecret = regexp.MustCompile(`dckr_pat_[A-Za-z0-9_-]{27}`)

// createPAT fills the new-token form and scope picker, and waits for the
// secret dialog; it returns the secret as shown.
func createPAT(r *rig, label string) string {
	r.T.Helper()
	r.Key("n")
	r.sees("New personal access token")
	r.Type(label)
	r.Key("enter", "enter", "enter") // label → expiry (90 days) → date → submit
	r.sees("Scopes of " + label)
	r.Key("enter") // repo:read, chosen already
	r.sees("It will not be shown again.")
	secret := patSecret.FindString(r.Screen())
	if secret == "" {
		r.T.Fatalf("no secret on screen:\n%s", r.Screen())
	}
	return secret
}

func TestCreatePATShowsTheSecretOnceCopiesItAndForgetsIt(t *testing.T) {
	for _, tmux := range []bool{false, true} {
		name := "plain"
		if tmux {
			name = "tmux"
		}
		t.Run(name, func(t *testing.T) {
			r := newRig(t, options{tmux: tmux})
			r.openTokens()
			secret := createPAT(r, "ci runner")

			// y copies it with OSC 52 (wrapped for tmux inside tmux).
			before := len(r.Raw)
			r.Key("y")
			r.Until("the copy", func() bool { return len(r.Raw) > before })
			seq := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(secret)) + "\x07"
			want := seq
			if tmux {
				want += "\x1bPtmux;" + strings.ReplaceAll(seq, "\x1b", "\x1b\x1b") + "\x1b\\"
			}
			if got := r.Raw[len(r.Raw)-1]; got != want {
				t.Fatalf("OSC 52 written:\n%q\nwant\n%q", got, want)
			}
			r.sees("copied")

			// Copied: one enter closes it.
			r.Key("enter")
			r.Until("the dialog to close", func() bool { return !strings.Contains(r.Screen(), "It will not be shown again.") })
			r.sees("ci runner")

			if where := modelHolds(r.App, secret); where != "" {
				t.Fatalf("the secret is still in the model at %s", where)
			}
			// Nor on any screen after, nor written to the terminal again.
			for _, k := range []string{"j", "k", "v", "v", "v", "?", "esc"} {
				r.Key(k)
				r.Settle(20 * time.Millisecond)
				if strings.Contains(r.App.View().Content, secret) {
					t.Fatalf("the secret is on screen after %q:\n%s", k, r.Screen())
				}
			}
			n := 0
			for _, raw := range r.Raw {
				if strings.Contains(raw, base64.StdEncoding.EncodeToString([]byte(secret))) || strings.Contains(raw, secret) {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("the secret was written %d times; want once (the copy)", n)
			}

			// What was shown is the token itself: it signs in, and the Hub
			// has it with the scope and expiry asked for.
			c := r.client(hubsim.DemoUser, secret)
			if _, _, err := c.Users.Me(ctx(t)); err != nil {
				t.Fatalf("sign in with the shown secret: %v", err)
			}
			list, _, err := r.demo().Tokens.List(ctx(t), nil)
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(list, func(x hubclient.AccessToken) bool { return x.TokenLabel == "ci runner" })
			if i < 0 {
				t.Fatalf("no token ci runner on the Hub: %+v", list)
			}
			if got := list[i]; !slices.Equal(got.Scopes, []string{"repo:read"}) || got.ExpiresAt == nil ||
				got.ExpiresAt.Sub(uitest90(r)) != 0 {
				t.Fatalf("created %+v; want repo:read expiring in 90 days", got)
			}
		})
	}
}

// uitest90 is 90 days after the rig's clock.
func uitest90(r *rig) time.Time {
	return r.clock.Now().Add(90 * 24 * time.Hour).UTC().Truncate(time.Second)
}

func TestSecretDialogAsksBeforeClosingUncopied(t *testing.T) {
	r := newRig(t, options{})
	r.openTokens()
	secret := createPAT(r, "no copy")
	r.Key("esc")
	r.sees("not copied: press enter again to close")
	if len(r.Raw) != 0 {
		t.Fatalf("written to the terminal without y: %q", r.Raw)
	}
	r.Key("esc")
	r.Until("closed", func() bool { return !strings.Contains(r.Screen(), "It will not be shown again.") })
	if where := modelHolds(r.App, secret); where != "" {
		t.Fatalf("the secret is still in the model at %s", where)
	}
}

func TestCreatePATValidatesAsTyped(t *testing.T) {
	r := newRig(t, options{})
	r.openTokens()
	r.Key("n")
	r.sees("New personal access token")
	r.Type(strings.Repeat("x", 10))
	r.Key("enter", "enter") // to the date
	r.Type("2020-01-01")
	r.sees("the date must be in the future")
	r.Key("enter") // refused: stays
	r.sees("1 field needs fixing")
	// A date in the future, but the expiry says 90 days: asked again.
	for range 10 {
		r.Key("backspace")
	}
	r.Type("2027-01-01")
	r.Key("enter")
	r.sees("choose 'on a date' above")
	// Back to the label, emptied: the label error shows as it is typed.
	r.Key("shift+tab", "shift+tab")
	for range 10 {
		r.Key("backspace")
	}
	r.sees("give the token a label")
	r.Key("esc")
	list, _, err := r.demo().Tokens.List(ctx(t), nil)
	if err != nil || len(list) != 4 {
		t.Fatalf("tokens after a cancelled form: %d, %v; want the 4 of the demo", len(list), err)
	}
}

func TestExpiryHighlightingFollowsTheClock(t *testing.T) {
	r := newRig(t, options{})
	r.openTokens()
	head := func() string { return strings.Split(r.Screen(), "\n")[4] }
	if !strings.Contains(head(), "0 expiring in 14d · 0 expired · 0 unused 90d+") {
		t.Fatalf("header at the start: %q", head())
	}
	// The CI token expires in three months: 80 days on it has 12 days left.
	r.clock.Advance(80 * 24 * time.Hour)
	r.Key("r")
	r.Settle(100 * time.Millisecond)
	r.sees("1 expiring in 14d")
	row := lineOf(r.Screen(), "CI pipeline")
	if !strings.Contains(row, "in 12d !") || !strings.Contains(row, "expires soon") {
		t.Fatalf("CI pipeline row 80 days on: %q", row)
	}
	// Every token was last used 1–10 days before the start: all unused 90+ days.
	if !strings.Contains(head(), "0 unused 90d+") {
		t.Fatalf("header 80 days on: %q", head())
	}
	r.clock.Advance(20 * 24 * time.Hour)
	r.Key("r")
	r.sees("1 expired")
	row = lineOf(r.Screen(), "CI pipeline")
	if !strings.Contains(row, "EXPIRED") || !strings.Contains(row, "expired") {
		t.Fatalf("CI pipeline row 100 days on: %q", row)
	}
	if !strings.Contains(head(), "4 unused 90d+") {
		t.Fatalf("header 100 days on: %q", head())
	}
	// The attention view lists every one of them, with the reasons.
	r.Key("v", "v")
	r.sees("Needs attention")
	if row := lineOf(r.Screen(), "CI pipeline"); !strings.Contains(row, "personal") || !strings.Contains(row, "expired") {
		t.Fatalf("attention row: %q", row)
	}
	// enter goes to it in the personal view.
	for !strings.Contains(lineOf(r.Screen(), "CI pipeline"), ">") {
		r.Key("j")
	}
	// Deactivated from here.
	r.Key("a")
	r.sees("Deactivate CI pipeline?")
	r.Key("y")
	r.sees("deactivated CI pipeline")
	if row := lineOf(r.Screen(), "CI pipeline"); !strings.HasSuffix(strings.TrimSpace(row), " no") {
		t.Fatalf("attention row after deactivating: %q", row)
	}
	r.Key("enter")
	r.sees("SCOPES")
	if row := lineOf(r.Screen(), "CI pipeline"); !strings.HasPrefix(strings.TrimSpace(row), ">") {
		t.Fatalf("cursor not on CI pipeline:\n%s", r.Screen())
	}
}

// lineOf is the first line of screen holding s.
func lineOf(screen, s string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

func TestRenameToggleAndDeleteSeveralPATs(t *testing.T) {
	r := newRig(t, options{})
	r.openTokens()
	for !strings.HasPrefix(strings.TrimSpace(lineOf(r.Screen(), "laptop pulls")), ">") {
		r.Key("j")
	}
	r.Key("e")
	r.sees("Rename laptop pulls")
	r.Key("ctrl+u")
	r.Type("laptop pulls (old)")
	r.Key("enter")
	r.sees("renamed laptop pulls")
	r.Key("a")
	r.sees("Deactivate laptop pulls (old)?")
	r.Key("y")
	r.sees("deactivated laptop pulls (old)")
	if row := lineOf(r.Screen(), "laptop pulls (old)"); !strings.Contains(row, " no ") {
		t.Fatalf("row after deactivating: %q", row)
	}
	c := r.demo()
	list, _, err := c.Tokens.List(ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(list, func(x hubclient.AccessToken) bool { return x.TokenLabel == "laptop pulls (old)" })
	if i < 0 || list[i].IsActive {
		t.Fatalf("on the Hub: %+v", list)
	}

	// Mark two, delete them: the question names both first.
	r.Key("space") // marks laptop pulls (old), moves on to old release script
	r.Key("space")
	r.Key("D")
	r.sees("Delete 2 personal access tokens?")
	scr := r.Screen()
	if !strings.Contains(scr, "• laptop pulls (old)") || !strings.Contains(scr, "• old release script") {
		t.Fatalf("the preview does not name both:\n%s", scr)
	}
	r.Key("y")
	r.sees("deleted 2 personal access token(s)")
	r.Key("esc") // the progress box
	r.Until("rows gone", func() bool { return !strings.Contains(r.Screen(), "old release script") })
	list, _, err = c.Tokens.List(ctx(t), nil)
	if err != nil || len(list) != 2 {
		t.Fatalf("tokens left on the Hub: %d, %v; want 2", len(list), err)
	}
}

func TestPATSessionIsToldWhyInPlainWords(t *testing.T) {
	r := newRig(t, options{user: hubsim.DemoUser, secret: hubsim.DemoPAT})
	r.Key("6")
	r.sees("This session cannot manage personal access tokens")
	r.sees("only a sign-in with a password manage personal access tokens")
	r.sees("Docker Hub said: not allowed: cannot manage tokens with a token")
	r.sees("personal access tokens: this session may not list them")
	if f := footer(r.Screen()); strings.Contains(f, " new ") {
		t.Fatalf("footer offers new: %q", f)
	}
	r.Key("n")
	r.sees("sign in with your password")
}

func TestReadOnlyHidesTheChanges(t *testing.T) {
	r := newRig(t, options{readOnly: true})
	r.openTokens()
	for i, v := range []string{"personal", "org"} {
		if i == 1 {
			r.Key("v")
			r.sees("organization access tokens · loaded")
		}
		f := footer(r.Screen())
		for _, w := range []string{"new", "rename", "edit", "on/off", "delete"} {
			if strings.Contains(f, " "+w+" ") {
				t.Fatalf("%s view, read-only footer offers %s: %q", v, w, f)
			}
		}
		r.Key("n")
		r.sees("read-only: changes are off")
	}
	r.Key("A")
	r.sees("E-mail addresses")
	if f := footer(r.Screen()); strings.Contains(f, "edit") || strings.Contains(f, "e-mail") {
		t.Fatalf("read-only account footer: %q", f)
	}
}

func TestFailedCreateLeavesNothingOnScreen(t *testing.T) {
	r := newRig(t, options{})
	r.openTokens()
	r.Key("n")
	r.Type("doomed")
	r.Key("enter", "enter", "enter")
	r.sees("Scopes of doomed")
	r.sim.SetFaults(hubsim.Faults{Status: map[int]float64{503: 1}})
	r.Key("enter")
	r.Until("the failure", func() bool {
		return strings.Contains(r.Screen(), "error: Docker Hub failed") && strings.Contains(r.Screen(), "(503)")
	})
	r.sim.SetFaults(hubsim.Faults{})
	if strings.Contains(r.Screen(), "It will not be shown again.") || lineOf(r.Screen(), "doomed  ") != "" {
		t.Fatalf("a failed create left something on screen:\n%s", r.Screen())
	}
	if n := r.pane().PATs.Coll().Len(); n != 4 {
		t.Fatalf("%d rows after a failed create; want 4", n)
	}
}
