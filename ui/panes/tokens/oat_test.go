package tokens_test

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
)

var oatSecret = regexp.MustCompile(`dckr_oat_[A-Za-z0-9_-]{27}`)

// oatByLabel is the org's token labelled label, with its resources.
func oatByLabel(t *testing.T, c *hubclient.Client, label string) (*hubclient.OrgAccessToken, bool) {
	t.Helper()
	list, _, err := c.OrgTokens.List(ctx(t), hubsim.DemoOrg, nil)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(list, func(x hubclient.OrgAccessToken) bool { return x.Label == label })
	if i < 0 {
		return nil, false
	}
	full, _, err := c.OrgTokens.Get(ctx(t), hubsim.DemoOrg, list[i].ID)
	if err != nil {
		t.Fatal(err)
	}
	return full, true
}

func TestOATCreateWithRepositoriesEditAndDelete(t *testing.T) {
	r := newRig(t, options{})
	c := r.demo()
	repos, _, err := c.Repos.List(ctx(t), hubsim.DemoOrg, nil)
	if err != nil || len(repos) < 2 {
		t.Fatalf("repositories of the demo: %d, %v", len(repos), err)
	}
	a, b := repos[0].Name, repos[1].Name
	r.openTokens()
	r.Key("v")
	r.sees("organization access tokens · loaded")
	r.sees("resources: acme/* repo-pull,repo-push") // fetched after the list

	r.Key("n")
	r.sees("New access token of acme")
	r.Type("deploy bot")
	r.Key("enter")
	r.Type("pushes releases")
	r.Key("enter", "enter", "enter") // description → expiry → date → submit
	r.sees("Resources of deploy bot")
	r.Key("enter") // repositories of acme…
	r.sees("Repositories of acme")
	for _, name := range []string{a, b} {
		r.Type(name)
		r.Key("space")
		for range name {
			r.Key("backspace")
		}
	}
	r.sees("2 chosen")
	r.Key("enter")
	r.sees("Scopes on acme/" + a)

	// An organization scope on repositories is refused before sending.
	r.Key("down", "down", "down", "down", "space") // member-read
	r.Key("enter")
	// Read at once: the frame's error clock is the wall clock, which a
	// test's fixed clock is far behind, so the next tick takes it away.
	if !strings.Contains(r.Screen(), "not sent: member-read is not a repository scope") {
		t.Fatalf("no refusal:\n%s", r.Screen())
	}
	r.sees("Scopes on acme/" + a) // asked again, with the valid choice kept
	r.sees("1 chosen")
	if _, ok := oatByLabel(t, c, "deploy bot"); ok {
		t.Fatal("a token was created with a refused scope")
	}
	r.Key("down", "space") // repo-push
	r.Key("enter")
	r.sees("done: create the token")
	r.Key("enter")
	r.sees("It will not be shown again.")
	secret := oatSecret.FindString(r.Screen())
	if secret == "" {
		t.Fatalf("no secret on screen:\n%s", r.Screen())
	}
	r.Key("esc", "esc") // not copied: asks once more
	r.Until("closed", func() bool { return !strings.Contains(r.Screen(), "It will not be shown again.") })
	if where := modelHolds(r.App, secret); where != "" {
		t.Fatalf("the secret is still in the model at %s", where)
	}
	r.sees("resources: acme/" + a + " repo-pull,repo-push; acme/" + b + " repo-pull,repo-push")
	if row := lineOf(r.Screen(), "deploy bot"); !strings.HasPrefix(strings.TrimSpace(row), ">") {
		t.Fatalf("the cursor is not on the new token:\n%s", r.Screen())
	}
	got, ok := oatByLabel(t, c, "deploy bot")
	if !ok {
		t.Fatal("deploy bot is not on the Hub")
	}
	want := []hubclient.OrgAccessTokenResource{
		{Type: hubclient.OATResourceRepo, Path: "acme/" + a, Scopes: []string{"repo-pull", "repo-push"}},
		{Type: hubclient.OATResourceRepo, Path: "acme/" + b, Scopes: []string{"repo-pull", "repo-push"}},
	}
	if got.Description != "pushes releases" || !slices.EqualFunc(got.Resources, want, func(x, y hubclient.OrgAccessTokenResource) bool {
		return x.Type == y.Type && x.Path == y.Path && slices.Equal(x.Scopes, y.Scopes)
	}) {
		t.Fatalf("on the Hub: %+v\nwant resources %+v", got, want)
	}
	// The secret is the token: it signs in as the org.
	if _, _, err := r.client(hubsim.DemoOrg, secret).Repos.List(ctx(t), hubsim.DemoOrg, nil); err != nil {
		t.Fatalf("sign in with the shown secret: %v", err)
	}

	// Edit: new label, deactivated, resources kept.
	r.Key("e")
	r.sees("Edit the access token deploy bot")
	r.Key("ctrl+u")
	r.Type("deploy bot 2")
	r.Key("enter", "enter", "right", "enter", "enter") // label → description → active: no → resources: keep → submit
	r.sees("saved the access token deploy bot")
	got, ok = oatByLabel(t, c, "deploy bot 2")
	if !ok || got.IsActive || len(got.Resources) != 2 {
		t.Fatalf("after the edit: %+v", got)
	}
	if row := lineOf(r.Screen(), "deploy bot 2"); !strings.Contains(row, " no ") {
		t.Fatalf("row after the edit: %q", row)
	}

	// Edit again: the resources replaced by the organization.
	r.Key("e")
	r.sees("Edit the access token deploy bot 2")
	r.Key("enter", "enter", "enter", "right", "enter") // resources: replace
	r.sees("Resources of deploy bot 2")
	r.Key("down", "down", "down", "down", "enter") // the organization acme
	r.sees("Scopes on the organization acme")
	r.Key("enter") // member-read
	r.sees("done: save the changes")
	r.Key("enter")
	r.sees("saved the access token deploy bot 2")
	got, _ = oatByLabel(t, c, "deploy bot 2")
	if len(got.Resources) != 1 || got.Resources[0].Type != hubclient.OATResourceOrg || !slices.Equal(got.Resources[0].Scopes, []string{"member-read"}) {
		t.Fatalf("resources after the replace: %+v", got.Resources)
	}
	r.sees("resources: org member-read")

	// Delete: the label typed.
	r.Key("D")
	r.sees("Delete the access token deploy bot 2 of acme")
	r.Type("deploy bot")
	r.Key("enter")
	r.sees("Type the name exactly")
	r.Type(" 2")
	r.Key("enter")
	r.sees("deleted the access token deploy bot 2")
	r.Until("row gone", func() bool {
		return r.pane().OATs.Coll().Find(func(x hubclient.OrgAccessToken) bool { return x.Label == "deploy bot 2" }) < 0
	})
	if strings.Contains(lineOf(r.Screen(), "deploy bot 2"), " no ") {
		t.Fatalf("the row is still drawn:\n%s", r.Screen())
	}
	if _, _, err := c.OrgTokens.Get(ctx(t), hubsim.DemoOrg, got.ID); !isStatus(err, 404) {
		t.Fatalf("get after delete: %v; want 404", err)
	}
}

func isStatus(err error, code int) bool {
	var ae *hubclient.APIError
	return errors.As(err, &ae) && ae.StatusCode == code
}

func TestOATPatternIsCheckedAsTyped(t *testing.T) {
	r := newRig(t, options{})
	r.openTokens()
	r.Key("v")
	r.sees("organization access tokens · loaded")
	r.Key("n")
	r.Type("pattern")
	r.Key("enter", "enter", "enter", "enter")
	r.sees("Resources of pattern")
	r.Key("down", "enter") // a repository path or pattern…
	r.sees("Repository path")
	r.Key("ctrl+u")
	r.Type("other/web")
	r.sees("other/web is outside the organization acme")
	r.Key("ctrl+u")
	r.Type("acme/*")
	r.Key("enter")
	r.sees("Scopes on acme/*")
	r.Key("esc")
	if _, ok := oatByLabel(t, r.demo(), "pattern"); ok {
		t.Fatal("a cancelled token was created")
	}
}

func TestOATForAMemberIsExplained(t *testing.T) {
	r := newRig(t, options{user: hubsim.MemberUser, secret: hubsim.MemberUser})
	r.openTokens()
	r.Key("v")
	r.sees("This session cannot manage the access tokens of acme")
	r.sees("Only owners of acme manage")
	r.Key("n")
	r.sees("cannot manage the access tokens of acme")
}
