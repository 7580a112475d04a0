package hubclient_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
)

func TestAccountProfile(t *testing.T) {
	e := newEnv(t, hubsim.Options{})
	ctx := context.Background()
	c := e.owner()
	p, _, err := c.Account.Profile(ctx, hubsim.DemoUser)
	if err != nil {
		t.Fatal(err)
	}
	if p.Username != hubsim.DemoUser || p.ID == 0 || p.Type != "User" || !p.IsActive || p.Email != "demo@acme.example" ||
		p.URL != e.url+"/api/v1.1/users/demo/" || p.DateJoined.IsZero() || !strings.HasPrefix(p.GravatarURL, "https://secure.gravatar.com/avatar/") {
		t.Fatalf("profile %+v", p)
	}
	up, _, err := c.Account.UpdateProfile(ctx, hubsim.DemoUser, hubclient.ProfileUpdate{Location: new("Private Island"),
		ProfileURL: new("http://janedoe.example/"), Company: new("Retired"), GravatarEmail: new("jane@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if up.Location != "Private Island" || up.Company != "Retired" || up.ProfileURL != "http://janedoe.example/" || up.FullName != p.FullName ||
		up.GravatarURL == p.GravatarURL {
		t.Errorf("updated %+v", up)
	}
	again, _, err := c.Account.Profile(ctx, hubsim.DemoUser)
	if err != nil || *again != *up {
		t.Errorf("read back %+v, %v", again, err)
	}

	// Only the account's owner, and changes only with a password session.
	_, _, err = c.Account.Profile(ctx, hubsim.EditorUser)
	wantStatus(t, "another user's profile", err, http.StatusForbidden)
	pc := e.client(hubsim.DemoUser, hubsim.DemoPAT)
	if _, _, err := pc.Account.Profile(ctx, hubsim.DemoUser); err != nil {
		t.Errorf("PAT reads the profile: %v", err)
	}
	_, _, err = pc.Account.UpdateProfile(ctx, hubsim.DemoUser, hubclient.ProfileUpdate{Location: new("x")})
	wantStatus(t, "PAT changes the profile", err, http.StatusForbidden)
	_, _, err = e.client(hubsim.DemoOrg, hubsim.DemoOAT).Account.Profile(ctx, hubsim.DemoOrg)
	wantStatus(t, "OAT reads a profile", err, http.StatusForbidden)
	if errors.Is(err, hubclient.ErrNotOffered) {
		t.Errorf("403 reported as not offered: %v", err)
	}

	e.nothingSent("nothing to change", func() error {
		_, _, err := c.Account.UpdateProfile(ctx, hubsim.DemoUser, hubclient.ProfileUpdate{})
		return err
	}, isValidation("full_name"))
	e.nothingSent("bad profile URL", func() error {
		_, _, err := c.Account.UpdateProfile(ctx, hubsim.DemoUser, hubclient.ProfileUpdate{ProfileURL: new("javascript:alert(1)")})
		return err
	}, isValidation("profile_url"))
	e.nothingSent("bad gravatar email", func() error {
		_, _, err := c.Account.UpdateProfile(ctx, hubsim.DemoUser, hubclient.ProfileUpdate{GravatarEmail: new("not-an-address")})
		return err
	}, isValidation("gravatar_email"))
	e.nothingSent("no username", func() error { _, _, err := c.Account.Profile(ctx, ""); return err }, isValidation("username"))
	ro := e.client(hubsim.DemoUser, hubsim.DemoPassword, hubclient.WithReadOnly())
	e.nothingSent("read-only update", func() error {
		_, _, err := ro.Account.UpdateProfile(ctx, hubsim.DemoUser, hubclient.ProfileUpdate{Location: new("x")})
		return err
	}, isReadOnly)
	status, body := e.raw(c, http.MethodPatch, "/api/v1.1/users/demo/", "application/json", `{"profile_url":"ftp://x","gravatar_email":"@"}`)
	if status != http.StatusBadRequest || !strings.Contains(body, "profile_url") || !strings.Contains(body, "gravatar_email") {
		t.Errorf("server-side validation: %d %s", status, body)
	}
}

func TestAccountEmails(t *testing.T) {
	e := newEnv(t, hubsim.Options{})
	ctx := context.Background()
	c := e.owner()
	list, _, err := c.Account.Emails(ctx, hubsim.DemoUser)
	if err != nil || len(list) != 1 || list[0] != (hubclient.AccountEmail{Email: "demo@acme.example", Verified: true, Primary: true}) {
		t.Fatalf("emails %v %+v", err, list)
	}
	added, resp, err := c.Account.AddEmail(ctx, hubsim.DemoUser, "demo+other@acme.example")
	if err != nil || resp.StatusCode != http.StatusCreated || *added != (hubclient.AccountEmail{Email: "demo+other@acme.example"}) {
		t.Fatalf("add: %v %+v", err, added)
	}
	list, _, _ = c.Account.Emails(ctx, hubsim.DemoUser)
	if len(list) != 2 || list[1].Email != "demo+other@acme.example" {
		t.Errorf("after add %+v", list)
	}
	_, _, err = c.Account.AddEmail(ctx, hubsim.DemoUser, "erin@acme.example")
	wantStatus(t, "address of another account", err, http.StatusBadRequest)
	resp, err = c.Account.DeleteEmail(ctx, hubsim.DemoUser, "demo+other@acme.example")
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %v", err)
	}
	_, err = c.Account.DeleteEmail(ctx, hubsim.DemoUser, "demo@acme.example")
	var ae *hubclient.APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadRequest || !strings.Contains(ae.Words(), "primary") {
		t.Errorf("delete primary: %v", err)
	}
	_, err = c.Account.DeleteEmail(ctx, hubsim.DemoUser, "nobody@acme.example")
	wantStatus(t, "delete unknown address", err, http.StatusBadRequest)
	_, _, err = c.Account.Emails(ctx, hubsim.MemberUser)
	wantStatus(t, "another user's addresses", err, http.StatusForbidden)
	_, _, err = e.client(hubsim.DemoUser, hubsim.DemoPAT).Account.AddEmail(ctx, hubsim.DemoUser, "x@acme.example")
	wantStatus(t, "PAT adds an address", err, http.StatusForbidden)

	e.nothingSent("bad address", func() error {
		_, _, err := c.Account.AddEmail(ctx, hubsim.DemoUser, "Demo <demo@x.example>")
		return err
	}, isValidation("email"))
	e.nothingSent("empty delete", func() error { _, err := c.Account.DeleteEmail(ctx, hubsim.DemoUser, ""); return err }, isValidation("email"))
	ro := e.client(hubsim.DemoUser, hubsim.DemoPassword, hubclient.WithReadOnly())
	e.nothingSent("read-only add", func() error { _, _, err := ro.Account.AddEmail(ctx, hubsim.DemoUser, "x@acme.example"); return err }, isReadOnly)
	e.nothingSent("read-only delete", func() error { _, err := ro.Account.DeleteEmail(ctx, hubsim.DemoUser, "x@acme.example"); return err }, isReadOnly)
	if list, _, err := ro.Account.Emails(ctx, hubsim.DemoUser); err != nil || len(list) != 1 {
		t.Errorf("read-only list: %v", err)
	}
}

// A Hub without the account API answers 404 or 410: every method reports
// ErrNotOffered and keeps the server's answer reachable.
func TestAccountNotOffered(t *testing.T) {
	for _, status := range []int{http.StatusGone, http.StatusNotFound} {
		var hits int
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits++
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"detail":"This API has been retired."}`))
		}))
		c, err := hubclient.New(hubclient.WithBaseURL(srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		calls := map[string]func() error{
			"profile": func() error { _, _, err := c.Account.Profile(ctx, "demo"); return err },
			"update": func() error {
				_, _, err := c.Account.UpdateProfile(ctx, "demo", hubclient.ProfileUpdate{Location: new("x")})
				return err
			},
			"emails": func() error { _, _, err := c.Account.Emails(ctx, "demo"); return err },
			"add":    func() error { _, _, err := c.Account.AddEmail(ctx, "demo", "a@b.example"); return err },
			"delete": func() error { _, err := c.Account.DeleteEmail(ctx, "demo", "a@b.example"); return err },
		}
		for name, call := range calls {
			err := call()
			var ae *hubclient.APIError
			if !errors.Is(err, hubclient.ErrNotOffered) || !errors.As(err, &ae) || ae.StatusCode != status || ae.Detail != "This API has been retired." {
				t.Errorf("%d %s: %v", status, name, err)
			}
		}
		if hits != len(calls) {
			t.Errorf("%d: %d requests for %d calls", status, hits, len(calls))
		}
		srv.Close()
	}
}
