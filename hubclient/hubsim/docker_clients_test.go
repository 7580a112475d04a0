package hubsim_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/hubclient/hubsim/contract"
)

// These tests talk to hubsim as Docker's own clients do: hub-tool
// (github.com/docker/hub-tool, pkg/hub) and the Terraform provider's Hub
// client (github.com/docker/terraform-provider-docker, internal/hubclient).
// The small client below is ours, plain net/http; it sends the methods,
// paths (with the trailing slashes those clients put on them, and the
// legacy /v2/repositories/... spellings) and bodies they send, and decodes
// the answers into the field types they decode into (time.Time where
// hub-tool has it, so "" for a date would fail). Every exchange also goes
// through the contract validator: documented operations (with or without
// a trailing slash) and legacy routes with a documented shape are checked;
// legacy routes without one are skipped as undocumented.

// dcClient is a minimal Hub client: a base URL (hub-tool's is the site,
// Terraform's ends in /v2), a bearer token and a checking transport.
type dcClient struct {
	t     *testing.T
	base  string
	token string
	hc    *http.Client
}

// dcEnv is one demo simulator and the validator its exchanges go through.
type dcEnv struct {
	t    *testing.T
	sim  *hubsim.Server
	url  string
	tr   http.RoundTripper
	mu   sync.Mutex
	errs []error
}

func newDCEnv(t *testing.T) *dcEnv {
	t.Helper()
	sim, err := hubsim.New(hubsim.Options{Dataset: "demo", RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	u, stop, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	v, err := contract.Load("testdata/hub-api.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e := &dcEnv{t: t, sim: sim, url: u}
	e.tr = v.Transport(http.DefaultTransport, func(err error) {
		if errors.Is(err, contract.ErrUndocumented) || dcKnownRequestDeviation(err) {
			return
		}
		e.mu.Lock()
		e.errs = append(e.errs, err)
		e.mu.Unlock()
	})
	t.Cleanup(func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		for _, err := range e.errs {
			t.Error(err)
		}
	})
	return e
}

// dcKnownRequestDeviation accepts the one request of these clients that
// the document forbids and the Hub accepts: creating a repository without
// namespace in the body (the Terraform provider sends none; the path names
// it). Nothing else of that exchange may be wrong.
func dcKnownRequestDeviation(err error) bool {
	var ce *contract.Error
	if !errors.As(err, &ce) || ce.Operation != "POST /v2/namespaces/{namespace}/repositories" {
		return false
	}
	for _, p := range ce.Problems {
		if !strings.HasPrefix(p, "request body") || !strings.Contains(p, `"namespace"`) {
			return false
		}
	}
	return true
}

func (e *dcEnv) client(base string) *dcClient {
	return &dcClient{t: e.t, base: base, hc: &http.Client{Transport: e.tr, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends one request to base+path (or to path itself when it is an
// absolute URL, a next link), failing unless it answers want, and decodes
// the JSON answer into out when out is not nil.
func (c *dcClient) do(method, path string, in any, want int, out any) {
	c.t.Helper()
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			c.t.Fatal(err)
		}
		body = bytes.NewReader(b)
	}
	target := path
	if !strings.HasPrefix(path, "http://") {
		target = c.base + path
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read: %v", method, target, err)
	}
	if resp.StatusCode != want {
		c.t.Fatalf("%s %s: %d %s, want %d", method, target, resp.StatusCode, b, want)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: decode %T: %v\n%s", method, target, out, err, b)
		}
	}
}

// login signs in with POST {path} {"username","password"} and keeps the token.
func (c *dcClient) login(path, username, password string) {
	c.t.Helper()
	var out struct {
		Token string `json:"token"`
	}
	c.do("POST", path, map[string]string{"username": username, "password": password}, http.StatusOK, &out)
	if out.Token == "" {
		c.t.Fatal("no token")
	}
	c.token = out.Token
}

// dcPage is the paging envelope both clients decode.
type dcPage[T any] struct {
	Count   int     `json:"count"`
	Next    *string `json:"next"`
	Results []T     `json:"results"`
}

// all follows next links from path and returns every result, as hub-tool
// (with fetchAllElements) and the Terraform provider's paginate do.
func all[T any](c *dcClient, path string) []T {
	c.t.Helper()
	var out []T
	for path != "" {
		var p dcPage[T]
		c.do("GET", path, nil, http.StatusOK, &p)
		out = append(out, p.Results...)
		path = ""
		if p.Next != nil {
			path = *p.Next
		}
	}
	return out
}

// Shapes hub-tool decodes (pkg/hub), with its field types.
type (
	htUser struct {
		ID         string    `json:"id"`
		UserName   string    `json:"username"`
		FullName   string    `json:"full_name"`
		DateJoined time.Time `json:"date_joined"`
		Type       string    `json:"type"`
	}
	htOrg struct {
		ID         string    `json:"id"`
		OrgName    string    `json:"orgname"`
		FullName   string    `json:"full_name"`
		Company    string    `json:"company"`
		Location   string    `json:"location"`
		DateJoined time.Time `json:"date_joined"`
		Type       string    `json:"type"`
	}
	htMember struct {
		UserName   string    `json:"username"`
		FullName   string    `json:"full_name"`
		DateJoined time.Time `json:"date_joined"`
		ID         string    `json:"id"`
	}
	htGroup struct {
		Name        string `json:"name"`
		Description string `json:"description"`
		ID          int    `json:"id"`
	}
	htRepo struct {
		Name        string    `json:"name"`
		Namespace   string    `json:"namespace"`
		PullCount   int       `json:"pull_count"`
		StarCount   int       `json:"star_count"`
		IsPrivate   bool      `json:"is_private"`
		LastUpdated time.Time `json:"last_updated"`
	}
	htTag struct {
		Name        string    `json:"name"`
		LastUpdated time.Time `json:"last_updated"`
		Images      []struct {
			Architecture string    `json:"architecture"`
			Os           string    `json:"os"`
			Digest       string    `json:"digest"`
			Size         int       `json:"size"`
			LastPulled   time.Time `json:"last_pulled"`
			LastPushed   time.Time `json:"last_pushed"`
		} `json:"images"`
		FullSize   int       `json:"full_size"`
		LastPulled time.Time `json:"tag_last_pulled"`
		LastPushed time.Time `json:"tag_last_pushed"`
		Status     string    `json:"tag_status"`
	}
)

// TestHubToolPaths walks what hub-tool's commands call: account info,
// org ls (each org's teams and members), org members and teams, repo ls
// and rm, tag ls and rm, and org info, with hub-tool's paths.
func TestHubToolPaths(t *testing.T) {
	e := newDCEnv(t)
	c := e.client(e.url)
	c.login("/v2/users/login?refresh_token=true", hubsim.DemoUser, hubsim.DemoPassword)

	var me htUser
	c.do("GET", "/v2/user/", nil, http.StatusOK, &me)
	if me.UserName != hubsim.DemoUser || me.DateJoined.IsZero() {
		t.Errorf("user: %+v", me)
	}
	orgs := all[htOrg](c, "/v2/user/orgs/?page_size=100")
	if len(orgs) != 1 || orgs[0].OrgName != hubsim.DemoOrg {
		t.Fatalf("orgs: %+v", orgs)
	}
	teams := all[htGroup](c, "/v2/orgs/acme/groups/?page_size=100")
	members := all[htMember](c, "/v2/orgs/acme/members/?page_size=100")
	if len(teams) == 0 || len(members) < 2 || !slices.ContainsFunc(teams, func(g htGroup) bool { return g.Name == "owners" }) {
		t.Fatalf("%d teams, %d members", len(teams), len(members))
	}
	for _, m := range members {
		if m.DateJoined.IsZero() || m.UserName == "" {
			t.Errorf("member %+v", m)
		}
	}
	var count dcPage[htMember]
	c.do("GET", "/v2/orgs/acme/members/?page_size=1", nil, http.StatusOK, &count)
	var teamCount dcPage[htGroup]
	c.do("GET", "/v2/orgs/acme/groups/?page_size=1", nil, http.StatusOK, &teamCount)
	if count.Count != len(members) || teamCount.Count != len(teams) {
		t.Errorf("counts %d/%d, listed %d/%d", count.Count, teamCount.Count, len(members), len(teams))
	}
	inTeam := all[htMember](c, "/v2/orgs/acme/groups/owners/members/")
	if !slices.ContainsFunc(inTeam, func(m htMember) bool { return m.UserName == hubsim.DemoUser }) {
		t.Errorf("owners: %+v", inTeam)
	}

	var info htOrg
	c.do("GET", "/v2/orgs/acme", nil, http.StatusOK, &info)
	if info.OrgName != hubsim.DemoOrg || info.ID == "" || info.DateJoined.IsZero() {
		t.Errorf("org info: %+v", info)
	}

	// repo ls: hub-tool puts no slash after the namespace.
	repos := all[htRepo](c, "/v2/repositories/acme?page_size=100")
	if len(repos) < 10 {
		t.Fatalf("%d repositories", len(repos))
	}
	repo := repos[0].Name
	tags := all[htTag](c, "/v2/repositories/acme/"+repo+"/tags/?page_size=100")
	if len(tags) < 2 || tags[0].LastPushed.IsZero() || len(tags[0].Images) == 0 {
		t.Fatalf("tags of %s: %+v", repo, tags)
	}
	c.do("DELETE", "/v2/repositories/acme/"+repo+"/tags/"+tags[len(tags)-1].Name+"/", nil, http.StatusNoContent, nil)
	if got := all[htTag](c, "/v2/repositories/acme/"+repo+"/tags/?page_size=100"); len(got) != len(tags)-1 {
		t.Errorf("%d tags after rm, want %d", len(got), len(tags)-1)
	}
	c.do("DELETE", "/v2/repositories/acme/"+repo+"/", nil, http.StatusAccepted, nil)
	c.do("GET", "/v2/repositories/acme/"+repo+"/", nil, http.StatusNotFound, nil)
}

// Shapes the Terraform provider decodes (internal/hubclient).
type (
	tfOrg struct {
		ID         string `json:"id,omitempty"`
		OrgName    string `json:"orgname"`
		FullName   string `json:"full_name"`
		DateJoined string `json:"date_joined"`
	}
	tfTeam struct {
		ID          int64  `json:"id"`
		UUID        string `json:"uuid"`
		Name        string `json:"name"`
		Description string `json:"description"`
		MemberCount int    `json:"member_count"`
	}
	tfMember struct {
		Username string   `json:"username"`
		Role     string   `json:"role"`
		Groups   []string `json:"groups"`
	}
	tfIAM struct {
		RestrictedImages struct {
			Enabled                 bool `json:"enabled"`
			AllowOfficialImages     bool `json:"allow_official_images"`
			AllowVerifiedPublishers bool `json:"allow_verified_publishers"`
		} `json:"restricted_images"`
	}
	tfRAM struct {
		Enabled            bool `json:"enabled"`
		StandardRegistries []struct {
			ID      string `json:"id"`
			Allowed bool   `json:"allowed"`
		} `json:"standard_registries"`
		CustomRegistries []tfCustomRegistry `json:"custom_registries"`
	}
	tfCustomRegistry struct {
		Address      string `json:"address"`
		FriendlyName string `json:"friendly_name"`
		Allowed      bool   `json:"allowed"`
	}
	tfRepo struct {
		Name            string `json:"name"`
		Namespace       string `json:"namespace"`
		IsPrivate       bool   `json:"is_private"`
		Description     string `json:"description"`
		FullDescription string `json:"full_description"`
		Permissions     struct {
			Read, Write, Admin bool
		} `json:"permissions"`
		ImmutableTagsSettings struct {
			Enabled bool     `json:"enabled"`
			Rules   []string `json:"rules"`
		} `json:"immutable_tags_settings"`
	}
	tfTeamRepoPermission struct {
		TeamID     int64  `json:"group_id"`
		TeamName   string `json:"group_name"`
		Permission string `json:"permission"`
	}
	tfTag struct {
		Name   string `json:"name"`
		Digest string `json:"digest"`
		Images []struct {
			Digest string `json:"digest"`
			Size   int64  `json:"size"`
		} `json:"images"`
	}
	tfAccessToken struct {
		UUID       string   `json:"uuid"`
		IsActive   bool     `json:"is_active"`
		Token      string   `json:"token"`
		TokenLabel string   `json:"token_label"`
		Scopes     []string `json:"scopes"`
		ExpiresAt  string   `json:"expires_at,omitempty"`
	}
	tfOATResource struct {
		Type   string   `json:"type"`
		Path   string   `json:"path"`
		Scopes []string `json:"scopes"`
	}
	tfOAT struct {
		ID          string          `json:"id"`
		Label       string          `json:"label"`
		Description string          `json:"description,omitempty"`
		IsActive    bool            `json:"is_active"`
		Token       string          `json:"token,omitempty"`
		Resources   []tfOATResource `json:"resources,omitempty"`
	}
)

// tfAll follows next links as the provider does, asking again with the
// path after its base URL.
func tfAll[T any](c *dcClient, path string) []T {
	c.t.Helper()
	var out []T
	for path != "" {
		var p dcPage[T]
		c.do("GET", strings.TrimPrefix(path, c.base), nil, http.StatusOK, &p)
		out = append(out, p.Results...)
		path = ""
		if p.Next != nil {
			path = *p.Next
		}
	}
	return out
}

// jwtExpiry reads the exp claim of a JWT, as the provider does to cache it.
func jwtExpiry(t *testing.T, token string) time.Time {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a JWT", token)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Exp int64 `json:"exp"`
	}
	if err := json.Unmarshal(b, &c); err != nil || c.Exp == 0 {
		t.Fatalf("token claims %s: %v", b, err)
	}
	return time.Unix(c.Exp, 0)
}

// TestTerraformProviderPaths walks what the provider's resources and data
// sources call, with its paths (base URL …/v2) and bodies.
func TestTerraformProviderPaths(t *testing.T) {
	e := newDCEnv(t)
	c := e.client(e.url + "/v2")
	c.login("/users/login", hubsim.DemoUser, hubsim.DemoPassword)
	if exp := jwtExpiry(t, c.token); !exp.After(time.Now()) {
		t.Fatalf("token expires at %v", exp)
	}

	t.Run("org", func(t *testing.T) {
		c.t = t
		var org tfOrg
		c.do("GET", "/orgs/acme/", nil, http.StatusOK, &org)
		if org.OrgName != hubsim.DemoOrg || org.DateJoined == "" {
			t.Errorf("org: %+v", org)
		}
		members := tfAll[tfMember](c, "/orgs/acme/members")
		if len(members) < 2 || !slices.ContainsFunc(members, func(m tfMember) bool { return m.Username == hubsim.MemberUser }) {
			t.Fatalf("members: %d", len(members))
		}
	})

	t.Run("settings", func(t *testing.T) {
		c.t = t
		var iam tfIAM
		iam.RestrictedImages.Enabled, iam.RestrictedImages.AllowOfficialImages = true, true
		c.do("PUT", "/orgs/acme/settings", iam, http.StatusOK, nil)
		var got tfIAM
		c.do("GET", "/orgs/acme/settings/", nil, http.StatusOK, &got)
		if got != iam {
			t.Errorf("image access management: %+v, want %+v", got, iam)
		}

		var ram tfRAM
		c.do("GET", "/orgs/acme/settings/registry-access-management", nil, http.StatusOK, &ram)
		if ram.Enabled || len(ram.StandardRegistries) != 1 || ram.StandardRegistries[0].ID != "DockerHub" {
			t.Errorf("registry access management: %+v", ram)
		}
		put := map[string]any{"enabled": true,
			"standard_registries": []map[string]any{{"id": "DockerHub", "allowed": true}},
			"custom_registries":   []tfCustomRegistry{{Address: "registry.acme.example", FriendlyName: "Acme", Allowed: true}}}
		c.do("PUT", "/orgs/acme/settings/registry-access-management", put, http.StatusOK, nil)
		c.do("GET", "/orgs/acme/settings/registry-access-management", nil, http.StatusOK, &ram)
		if !ram.Enabled || len(ram.CustomRegistries) != 1 || ram.CustomRegistries[0].Address != "registry.acme.example" {
			t.Errorf("after PUT: %+v", ram)
		}
		// Deleting the resource turns it off with Docker Hub allowed.
		c.do("PUT", "/orgs/acme/settings/registry-access-management", map[string]any{"enabled": false,
			"standard_registries": []map[string]any{{"id": "DockerHub", "allowed": true}}, "custom_registries": []any{}}, http.StatusOK, nil)
	})

	t.Run("team", func(t *testing.T) {
		c.t = t
		var team tfTeam
		c.do("POST", "/orgs/acme/groups/", tfTeam{Name: "tf-team", Description: "made by terraform"}, http.StatusCreated, &team)
		if team.ID == 0 || team.UUID == "" || team.Name != "tf-team" {
			t.Fatalf("created team: %+v", team)
		}
		c.do("GET", "/orgs/acme/groups/tf-team/", nil, http.StatusOK, &team)
		c.do("PATCH", "/orgs/acme/groups/tf-team/", tfTeam{ID: team.ID, UUID: team.UUID, Name: "tf-team", Description: "changed"}, http.StatusOK, &team)
		if team.Description != "changed" {
			t.Errorf("patched team: %+v", team)
		}
		c.do("POST", "/orgs/acme/groups/tf-team/members/", map[string]string{"member": hubsim.MemberUser}, http.StatusOK, nil)
		in := tfAll[tfMember](c, "/orgs/acme/groups/tf-team/members/")
		if len(in) != 1 || in[0].Username != hubsim.MemberUser {
			t.Errorf("team members: %+v", in)
		}
		c.do("DELETE", "/orgs/acme/groups/tf-team/members/"+hubsim.MemberUser, nil, http.StatusNoContent, nil)
		c.do("DELETE", "/orgs/acme/groups/tf-team/", nil, http.StatusNoContent, nil)
		c.do("GET", "/orgs/acme/groups/tf-team/", nil, http.StatusNotFound, nil)
	})

	t.Run("member", func(t *testing.T) {
		c.t = t
		c.do("PUT", "/orgs/acme/members/"+hubsim.MemberUser+"/", map[string]string{"role": "editor"}, http.StatusOK, nil)
		members := tfAll[tfMember](c, "/orgs/acme/members")
		i := slices.IndexFunc(members, func(m tfMember) bool { return m.Username == hubsim.MemberUser })
		if i < 0 || members[i].Role != "Editor" {
			t.Errorf("after the role change: %+v", members)
		}
		var invited struct {
			Invitees []struct {
				Invitee string `json:"invitee"`
				Status  string `json:"status"`
				Invite  struct {
					ID string `json:"id"`
				} `json:"invite"`
			} `json:"invitees"`
		}
		c.do("POST", "/invites/bulk", map[string]any{"org": "acme", "team": "", "invitees": []string{"tf.user@partner.example"},
			"role": "member", "dry_run": false}, http.StatusAccepted, &invited)
		if len(invited.Invitees) != 1 || invited.Invitees[0].Invite.ID == "" {
			t.Fatalf("bulk invite: %+v", invited)
		}
		var invites struct {
			Data []struct {
				ID      string `json:"id"`
				Invitee string `json:"invitee"`
			} `json:"data"`
		}
		c.do("GET", "/orgs/acme/invites", nil, http.StatusOK, &invites)
		if !slices.ContainsFunc(invites.Data, func(i struct {
			ID      string `json:"id"`
			Invitee string `json:"invitee"`
		}) bool {
			return i.ID == invited.Invitees[0].Invite.ID
		}) {
			t.Errorf("invites: %+v", invites)
		}
		c.do("DELETE", "/invites/"+invited.Invitees[0].Invite.ID, nil, http.StatusNoContent, nil)
		c.do("DELETE", "/orgs/acme/members/"+hubsim.MemberUser+"/", nil, http.StatusNoContent, nil)
	})

	t.Run("repository", func(t *testing.T) {
		c.t = t
		var repo tfRepo
		c.do("POST", "/namespaces/acme/repositories", map[string]any{"name": "tf-repo", "description": "made by terraform",
			"full_description": "# tf-repo", "registry": "", "is_private": false}, http.StatusCreated, &repo)
		if repo.Namespace != hubsim.DemoOrg || repo.Name != "tf-repo" || !repo.Permissions.Admin {
			t.Fatalf("created: %+v", repo)
		}
		c.do("GET", "/repositories/acme/tf-repo/", nil, http.StatusOK, &repo)
		c.do("PATCH", "/repositories/acme/tf-repo/", map[string]any{"description": "changed", "full_description": "# changed",
			"immutable_tags": false}, http.StatusOK, &repo)
		if repo.Description != "changed" {
			t.Errorf("patched: %+v", repo)
		}
		c.do("POST", "/repositories/acme/tf-repo/privacy", map[string]bool{"is_private": true}, http.StatusOK, nil)
		c.do("GET", "/repositories/acme/tf-repo/", nil, http.StatusOK, &repo)
		if !repo.IsPrivate {
			t.Errorf("still public: %+v", repo)
		}
		repos := tfAll[tfRepo](c, "/repositories/acme/")
		if !slices.ContainsFunc(repos, func(r tfRepo) bool { return r.Name == "tf-repo" && r.IsPrivate }) {
			t.Errorf("tf-repo not listed among %d", len(repos))
		}

		// Team permissions on a repository.
		var team tfTeam
		c.do("GET", "/orgs/acme/groups/platform/", nil, http.StatusOK, &team)
		path := fmt.Sprintf("/repositories/acme/tf-repo/groups/%d/", team.ID)
		var perm tfTeamRepoPermission
		c.do("POST", "/repositories/acme/tf-repo/groups/", tfTeamRepoPermission{TeamID: team.ID, Permission: "read"}, http.StatusOK, &perm)
		c.do("GET", path, nil, http.StatusOK, &perm)
		if perm.TeamID != team.ID || perm.TeamName != "platform" || perm.Permission != "read" {
			t.Errorf("permission: %+v", perm)
		}
		c.do("PATCH", path, tfTeamRepoPermission{Permission: "write"}, http.StatusOK, &perm)
		c.do("GET", path, nil, http.StatusOK, &perm)
		if perm.Permission != "write" {
			t.Errorf("after PATCH: %+v", perm)
		}
		c.do("DELETE", path, nil, http.StatusNoContent, nil)
		c.do("GET", path, nil, http.StatusNotFound, nil)
		c.do("DELETE", "/repositories/acme/tf-repo/", nil, http.StatusAccepted, nil)
	})

	t.Run("tags", func(t *testing.T) {
		c.t = t
		var repos dcPage[tfRepo]
		c.do("GET", "/repositories/acme/?page_size=1", nil, http.StatusOK, &repos)
		name := repos.Results[0].Name
		tags := tfAll[tfTag](c, "/namespaces/acme/repositories/"+name+"/tags")
		if len(tags) == 0 {
			t.Fatalf("no tags in %s", name)
		}
		var tag tfTag
		c.do("GET", "/repositories/acme/"+name+"/tags/"+url.PathEscape(tags[0].Name), nil, http.StatusOK, &tag)
		if tag.Name != tags[0].Name || tag.Digest == "" || len(tag.Images) == 0 {
			t.Errorf("tag: %+v", tag)
		}
	})

	t.Run("access tokens", func(t *testing.T) {
		c.t = t
		var pat tfAccessToken
		c.do("POST", "/access-tokens", map[string]any{"token_label": "tf", "scopes": []string{"repo:read"}}, http.StatusCreated, &pat)
		if pat.UUID == "" || pat.Token == "" || pat.ExpiresAt != "" {
			t.Fatalf("created PAT: %+v", pat)
		}
		c.do("GET", "/access-tokens/"+pat.UUID, nil, http.StatusOK, &pat)
		c.do("PATCH", "/access-tokens/"+pat.UUID, map[string]any{"token_label": "tf2", "is_active": false}, http.StatusOK, &pat)
		if pat.TokenLabel != "tf2" || pat.IsActive {
			t.Errorf("patched PAT: %+v", pat)
		}
		if all := tfAll[tfAccessToken](c, "/access-tokens"); !slices.ContainsFunc(all, func(p tfAccessToken) bool { return p.UUID == pat.UUID }) {
			t.Errorf("PAT not listed")
		}
		c.do("DELETE", "/access-tokens/"+pat.UUID, nil, http.StatusNoContent, nil)

		res := []tfOATResource{{Type: "TYPE_REPO", Path: "acme/*", Scopes: []string{"repo-pull"}}}
		var oat tfOAT
		c.do("POST", "/orgs/acme/access-tokens", map[string]any{"label": "tf-oat", "description": "made by terraform", "resources": res},
			http.StatusCreated, &oat)
		if oat.ID == "" || oat.Token == "" || oat.Description != "made by terraform" {
			t.Fatalf("created OAT: %+v", oat)
		}
		c.do("PATCH", "/orgs/acme/access-tokens/"+oat.ID, map[string]any{"label": "tf-oat", "description": "changed", "resources": res},
			http.StatusOK, &oat)
		c.do("GET", "/orgs/acme/access-tokens/"+oat.ID, nil, http.StatusOK, &oat)
		if oat.Description != "changed" || len(oat.Resources) != 1 {
			t.Errorf("OAT after PATCH: %+v", oat)
		}
		c.do("DELETE", "/orgs/acme/access-tokens/"+oat.ID, nil, http.StatusNoContent, nil)
	})
}

// TestDockerSearchPath is the search `docker search` sends (docker/cli's
// registry client: GET /v1/search?q=TERM&n=LIMIT, no sign-in needed).
func TestDockerSearchPath(t *testing.T) {
	e := newDCEnv(t)
	c := e.client(e.url)
	var out struct {
		Query      string `json:"query"`
		NumResults int    `json:"num_results"`
		NumPages   int    `json:"num_pages"`
		Results    []struct {
			Name        string `json:"name"`
			Description string `json:"description"`
			StarCount   int    `json:"star_count"`
			IsOfficial  bool   `json:"is_official"`
			IsAutomated bool   `json:"is_automated"`
		} `json:"results"`
	}
	c.do("GET", "/v1/search?q=acme&n=3", nil, http.StatusOK, &out)
	if out.Query != "acme" || out.NumResults <= 3 || len(out.Results) != 3 || out.NumPages < 2 || !strings.HasPrefix(out.Results[0].Name, "acme/") {
		t.Fatalf("search: %+v", out)
	}
	c.do("GET", "/v1/search?q=", nil, http.StatusBadRequest, nil)
}
