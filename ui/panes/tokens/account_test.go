package tokens_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
)

func TestAccountEditAndEmails(t *testing.T) {
	r := newRig(t, options{})
	r.Key(":")
	r.Type("tokens account")
	r.Key("enter")
	r.sees("E-mail addresses")
	r.sees("Tokens › Account")
	r.sees("Demo Tanaka")
	r.sees("demo@acme.example  primary, verified")

	// The primary address cannot be removed: said, not sent.
	r.Key("D")
	if !strings.Contains(r.Screen(), "the primary address cannot be removed") {
		t.Fatalf("no reason:\n%s", r.Screen())
	}

	r.Key("e")
	r.sees("Profile of demo")
	r.Key("ctrl+u")
	r.Type("Dee Mo")
	r.Key("enter", "enter", "enter") // → company → location → profile URL
	r.Type("ftp://x")
	r.sees("an http:// or https:// address")
	r.Key("ctrl+u")
	r.Type("https://demo.example")
	r.Key("enter")
	r.sees("saved the profile of demo")
	r.sees("Dee Mo")
	r.sees("https://demo.example")
	c := r.demo()
	p, _, err := c.Account.Profile(ctx(t), hubsim.DemoUser)
	if err != nil || p.FullName != "Dee Mo" || p.ProfileURL != "https://demo.example" || p.Company != "Acme Corp" {
		t.Fatalf("profile on the Hub: %+v, %v", p, err)
	}

	r.Key("n")
	r.sees("Add an e-mail address to demo")
	r.Type("not an address")
	r.sees("not an e-mail address")
	r.Key("ctrl+u")
	r.Type("demo+ci@acme.example")
	r.Key("enter")
	r.sees("demo+ci@acme.example  unverified")
	emails, _, err := c.Account.Emails(ctx(t), hubsim.DemoUser)
	if err != nil || !slices.ContainsFunc(emails, func(e hubclient.AccountEmail) bool { return e.Email == "demo+ci@acme.example" }) {
		t.Fatalf("e-mails on the Hub: %+v, %v", emails, err)
	}
	r.Key("j", "D")
	r.sees("Remove demo+ci@acme.example?")
	r.Key("y")
	r.sees("removed demo+ci@acme.example")
	r.Until("the address gone", func() bool { return !strings.Contains(r.Screen(), "demo+ci@acme.example  unverified") })
	emails, _, _ = c.Account.Emails(ctx(t), hubsim.DemoUser)
	if len(emails) != 1 {
		t.Fatalf("e-mails on the Hub after removing: %+v", emails)
	}
	r.Key("esc")
	r.sees("4 personal tokens · ")
}

// withoutAccountAPI answers the account API 410, as a Hub that retired it.
func withoutAccountAPI(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if strings.HasPrefix(req.URL.Path, "/api/v1.1/") {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusGone)
			_, _ = w.Write([]byte(`{"detail":"Gone."}`))
			return
		}
		h.ServeHTTP(w, req)
	})
}

func TestAccountIsReadOnlyWhereTheHubDoesNotOfferIt(t *testing.T) {
	r := newRig(t, options{wrap: withoutAccountAPI})
	r.openTokens()
	r.Key("A")
	r.sees("Read-only: this Docker Hub does not offer the account API (it answered 410)")
	scr := r.Screen()
	if !strings.Contains(scr, "Demo Tanaka") || !strings.Contains(scr, "Acme Corp") {
		t.Fatalf("the profile from GET /v2/user/ is missing:\n%s", scr)
	}
	if strings.Count(scr, "does not offer") != 1 {
		t.Fatalf("said more than once:\n%s", scr)
	}
	if strings.Contains(scr, "error:") {
		t.Fatalf("shown as an error:\n%s", scr)
	}
	f := footer(scr)
	for _, w := range []string{"edit", "e-mail"} {
		if strings.Contains(f, w) {
			t.Fatalf("footer offers %s: %q", w, f)
		}
	}
	r.Key("e")
	if !strings.Contains(r.Screen(), "error: edit profile (name, company, location, URL): this Docker Hub does not") {
		t.Fatalf("e says nothing:\n%s", r.Screen())
	}
}

func TestAccountOfAnOATSession(t *testing.T) {
	r := newRig(t, options{user: hubsim.DemoOrg, secret: hubsim.DemoOAT})
	r.Key("6", "A")
	r.sees("speaks for the organization, not a person")
}
