package tokens_test

import (
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/panes/tokens"
)

func TestFlags(t *testing.T) {
	now := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { v := now.Add(d); return &v }
	day := 24 * time.Hour
	for _, c := range []struct {
		name string
		tok  hubclient.AccessToken
		want string
	}{
		{"fresh and never used", hubclient.AccessToken{CreatedAt: now.Add(-day), Scopes: []string{"repo:read"}}, ""},
		{"old and never used", hubclient.AccessToken{CreatedAt: now.Add(-8 * day), Scopes: []string{"repo:read"}}, "never used"},
		{"used lately", hubclient.AccessToken{CreatedAt: now.Add(-300 * day), LastUsed: at(-89 * day)}, ""},
		{"unused 91 days", hubclient.AccessToken{CreatedAt: now.Add(-300 * day), LastUsed: at(-91 * day)}, "unused 90d+"},
		{"expires in 14 days", hubclient.AccessToken{CreatedAt: now, LastUsed: at(0), ExpiresAt: at(14 * day)}, "expires soon"},
		{"expires in 15 days", hubclient.AccessToken{CreatedAt: now, LastUsed: at(0), ExpiresAt: at(15 * day)}, ""},
		{"expired now", hubclient.AccessToken{CreatedAt: now, LastUsed: at(0), ExpiresAt: at(0)}, "expired"},
		{"admin", hubclient.AccessToken{CreatedAt: now, LastUsed: at(0), Scopes: []string{"repo:admin"}}, "broad scopes"},
		{"several", hubclient.AccessToken{CreatedAt: now.Add(-400 * day), LastUsed: at(-100 * day), ExpiresAt: at(-day),
			Scopes: []string{"repo:admin"}}, "expired, unused 90d+, broad scopes"},
	} {
		if got := tokens.PATFlags(c.tok, now).String(); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	repo := func(path string, scopes ...string) hubclient.OrgAccessTokenResource {
		return hubclient.OrgAccessTokenResource{Type: hubclient.OATResourceRepo, Path: path, Scopes: scopes}
	}
	org := func(scopes ...string) hubclient.OrgAccessTokenResource {
		return hubclient.OrgAccessTokenResource{Type: hubclient.OATResourceOrg, Path: "*", Scopes: scopes}
	}
	for _, c := range []struct {
		res  []hubclient.OrgAccessTokenResource
		want bool
	}{
		{[]hubclient.OrgAccessTokenResource{repo("acme/web", "repo-pull", "repo-push")}, false},
		{[]hubclient.OrgAccessTokenResource{repo("acme/*", "repo-pull")}, false},
		{[]hubclient.OrgAccessTokenResource{repo("acme/*", "repo-push")}, true},
		{[]hubclient.OrgAccessTokenResource{org("member-read", "audit-log-read")}, false},
		{[]hubclient.OrgAccessTokenResource{repo("acme/web", "repo-pull"), org("team-edit")}, true},
	} {
		if got := tokens.BroadResources(c.res); got != c.want {
			t.Errorf("BroadResources(%v) = %v", c.res, got)
		}
	}
	if got := tokens.Expiry(at(3*day+time.Hour), now); got != "in 3d !" {
		t.Errorf("Expiry in 3 days: %q", got)
	}
	if got := tokens.Expiry(nil, now); got != "never" {
		t.Errorf("Expiry(nil): %q", got)
	}
}

func TestRules(t *testing.T) {
	for _, c := range []struct {
		typ, path string
		scopes    []string
		want      string
	}{
		{hubclient.OATResourceRepo, "acme/web", []string{"repo-pull", "repo-push"}, ""},
		{hubclient.OATResourceRepo, "acme/web", []string{"repo-pull", "member-read"}, "member-read is not a repository scope: acme/web takes only repo-pull, repo-push, scope-image-pull, scope-image-push"},
		{hubclient.OATResourceOrg, "*", []string{"repo-pull", "repo-push"}, "repo-pull, repo-push are not organization scopes"},
		{hubclient.OATResourceOrg, "*", []string{"team-edit"}, ""},
		{hubclient.OATResourceRepo, hubclient.OATPublicRepos, []string{"repo-push"}, "other people's public repositories can only be pulled: choose repo-pull"},
	} {
		got := tokens.RefuseScopes(c.typ, c.path, c.scopes)
		if (c.want == "") != (got == "") || len(got) < len(c.want) || got[:len(c.want)] != c.want {
			t.Errorf("RefuseScopes(%s, %s, %v) = %q, want %q…", c.typ, c.path, c.scopes, got, c.want)
		}
	}
	for _, c := range []struct {
		path string
		ok   bool
	}{
		{"acme/web", true}, {"acme/*", true}, {"*/*/public", true}, {"other/web", false}, {"acme", false}, {"acme/a/b", false}, {"acme/Web!", false},
	} {
		if err := tokens.CheckRepoPath("acme", c.path); (err == nil) != c.ok {
			t.Errorf("CheckRepoPath(%q) = %v", c.path, err)
		}
	}
	for _, c := range []struct {
		label string
		ok    bool
	}{
		{"ci", true}, {"", false}, {"   ", false}, {string(make([]byte, 101)), false}, {"a\tb", false},
	} {
		if err := tokens.CheckLabel(c.label); (err == nil) != c.ok {
			t.Errorf("CheckLabel(%q) = %v", c.label, err)
		}
	}
}
