package hubsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// lgEnv is a demo simulator on loopback for the legacy-route tests.
type lgEnv struct {
	t   *testing.T
	s   *Server
	url string
}

func newLGEnv(t *testing.T) *lgEnv {
	t.Helper()
	s, url := coreStart(t, Options{Dataset: "demo", RateLimit: -1})
	return &lgEnv{t: t, s: s, url: url}
}

// token signs in with identifier and secret and returns the bearer token.
func (e *lgEnv) token(id, secret string) string {
	e.t.Helper()
	body, _ := json.Marshal(map[string]string{"identifier": id, "secret": secret})
	resp, b := coreDo(e.t, "POST", e.url+"/v2/auth/token", string(body), nil)
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("sign in as %s: %d %s", id, resp.StatusCode, b)
	}
	return coreJSONMap(e.t, b)["access_token"].(string)
}

// pat grants username a personal access token with scopes and signs in with it.
func (e *lgEnv) pat(username string, scopes ...string) string {
	e.t.Helper()
	secret, err := e.s.GrantPAT(username, "legacy test", scopes...)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.token(username, secret)
}

// call sends one request (token "" is anonymous) and returns the status and body.
func (e *lgEnv) call(method, path, token, body string) (int, []byte) {
	e.t.Helper()
	hdr := map[string]string{}
	if token != "" {
		hdr["Authorization"] = "Bearer " + token
	}
	resp, b := coreDo(e.t, method, e.url+path, body, hdr)
	return resp.StatusCode, b
}

// want sends one request and fails unless it answers status; it returns
// the decoded JSON body (nil when there is none).
func (e *lgEnv) want(status int, method, path, token, body string) map[string]any {
	e.t.Helper()
	got, b := e.call(method, path, token, body)
	if got != status {
		e.t.Fatalf("%s %s: %d %s, want %d", method, path, got, b, status)
	}
	if len(b) == 0 {
		return nil
	}
	return coreJSONMap(e.t, b)
}

// lastAudit is the newest audit event of the demo org.
func (e *lgEnv) lastAudit() OrgAuditRecord {
	e.t.Helper()
	evs := e.s.OrgAuditTail(DemoOrg, 1)
	if len(evs) != 1 {
		e.t.Fatal("no audit events")
	}
	return evs[0]
}

// repoWhere returns the name of a demo repository for which ok holds.
func (e *lgEnv) repoWhere(ok func(*repo) bool) string {
	e.t.Helper()
	e.s.mu.RLock()
	defer e.s.mu.RUnlock()
	for _, n := range e.s.st.namespaces[DemoOrg].names() {
		if ok(e.s.st.namespaces[DemoOrg].Repos[n]) {
			return n
		}
	}
	e.t.Fatal("no such repository in the demo dataset")
	return ""
}

func TestLegacyRepositoryAndTagReads(t *testing.T) {
	e := newLGEnv(t)
	demo := e.token(DemoUser, DemoPassword)
	private := e.repoWhere(func(r *repo) bool { return r.Private && len(r.Tags) > 0 })
	public := e.repoWhere(func(r *repo) bool { return !r.Private && len(r.Tags) > 0 })

	for _, suffix := range []string{"/", ""} {
		legacy := e.want(200, "GET", "/v2/repositories/acme/"+private+suffix, demo, "")
		current := e.want(200, "GET", "/v2/namespaces/acme/repositories/"+private, demo, "")
		if !reflect.DeepEqual(legacy, current) {
			t.Errorf("legacy repository%q differs from the documented one:\n%v\n%v", suffix, legacy, current)
		}
	}
	// The legacy spellings apply the same access rules.
	e.want(404, "GET", "/v2/repositories/acme/"+private+"/", "", "")
	e.want(200, "GET", "/v2/repositories/acme/"+public+"/", "", "")
	e.want(404, "GET", "/v2/repositories/acme/"+private+"/tags/", e.token(OutsiderUser, OutsiderUser), "")
	e.want(404, "GET", "/v2/repositories/acme/no-such-repo/", demo, "")

	page := e.want(200, "GET", "/v2/repositories/acme/"+private+"/tags/?page_size=3", demo, "")
	current := e.want(200, "GET", "/v2/namespaces/acme/repositories/"+private+"/tags?page_size=3", demo, "")
	if !reflect.DeepEqual(page["results"], current["results"]) || page["count"] != current["count"] {
		t.Errorf("legacy tag list differs from the documented one")
	}
	if next, _ := page["next"].(string); page["count"].(float64) > 3 && !strings.Contains(next, "/v2/repositories/acme/"+private+"/tags/?") {
		t.Errorf("next of the legacy tag list = %q, want the legacy path", next)
	}
	first := page["results"].([]any)[0].(map[string]any)["name"].(string)
	for _, suffix := range []string{"/", ""} {
		tag := e.want(200, "GET", "/v2/repositories/acme/"+private+"/tags/"+first+suffix, demo, "")
		current := e.want(200, "GET", "/v2/namespaces/acme/repositories/"+private+"/tags/"+first, demo, "")
		if !reflect.DeepEqual(tag, current) {
			t.Errorf("legacy tag%q differs from the documented one", suffix)
		}
	}
	e.want(404, "GET", "/v2/repositories/acme/"+private+"/tags/no-such-tag/", demo, "")
}

func TestLegacyPrivacy(t *testing.T) {
	e := newLGEnv(t)
	demo := e.token(DemoUser, DemoPassword)
	name := e.repoWhere(func(r *repo) bool {
		return !r.Private && e.s.teamRepoPerm(e.s.st.orgs[DemoOrg], MemberUser, r.Name) != "admin"
	})
	path := "/v2/repositories/acme/" + name + "/privacy"

	got := e.want(200, "POST", path, demo, `{"is_private": true}`)
	if got["is_private"] != true || got["name"] != name {
		t.Errorf("privacy answer: %v", got)
	}
	if ev := e.lastAudit(); ev.Action != "repo.change_privacy" || ev.Name != "acme/"+name || ev.Data["privacy"] != "private" {
		t.Errorf("audit after making it private: %+v", ev)
	}
	if r := e.want(200, "GET", "/v2/namespaces/acme/repositories/"+name, demo, ""); r["is_private"] != true {
		t.Errorf("repository still public: %v", r)
	}
	// Setting what it already is changes nothing and records nothing.
	n := len(e.s.OrgAuditTail(DemoOrg, 1<<30))
	e.want(200, "POST", path+"/", demo, `{"is_private": true}`)
	if len(e.s.OrgAuditTail(DemoOrg, 1<<30)) != n {
		t.Error("an unchanged privacy was audited")
	}

	e.want(400, "POST", path, demo, `{}`)
	e.want(400, "POST", path, demo, `{"is_private": "yes"}`)
	e.want(401, "POST", path, "", `{"is_private": false}`)
	e.want(401, "POST", path, "not-a-token", `{"is_private": false}`)
	e.want(403, "POST", path, e.token(MemberUser, MemberUser), `{"is_private": false}`)
	e.want(403, "POST", path, e.pat(DemoUser, "repo:write"), `{"is_private": false}`)
	e.want(404, "POST", "/v2/repositories/acme/no-such-repo/privacy", demo, `{"is_private": false}`)
	// Editors and admin-scoped tokens may; so may an OAT with repo-edit.
	e.want(200, "POST", path, e.token(EditorUser, EditorUser), `{"is_private": false}`)
	e.want(200, "POST", path, e.pat(DemoUser, "repo:admin"), `{"is_private": true}`)
	e.want(200, "POST", path, e.token(DemoOrg, DemoOAT), `{"is_private": false}`)
	if ev := e.lastAudit(); ev.Action != "repo.change_privacy" || ev.Data["access_token_type"] != "organization" {
		t.Errorf("audit of the OAT change: %+v", ev)
	}
}

// lgTeamWithPerm finds a team of the demo org other than owners holding a
// permission on some repository, and a team holding none on it.
func (e *lgEnv) lgTeamWithPerm() (repoName string, withID int64, perm string, withoutID int64) {
	e.t.Helper()
	e.s.mu.RLock()
	defer e.s.mu.RUnlock()
	o := e.s.st.orgs[DemoOrg]
	names := make([]string, 0, len(o.Teams))
	for n := range o.Teams {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		t := o.Teams[n]
		for rn, p := range t.RepoPerms {
			for _, other := range names {
				if o.Teams[other].RepoPerms[rn] == "" {
					return rn, t.ID, p, o.Teams[other].ID
				}
			}
		}
	}
	e.t.Fatal("no team with a repository permission")
	return "", 0, "", 0
}

func TestLegacyTeamRepositoryPermission(t *testing.T) {
	e := newLGEnv(t)
	demo := e.token(DemoUser, DemoPassword)
	repoName, id, perm, without := e.lgTeamWithPerm()
	path := fmt.Sprintf("/v2/repositories/acme/%s/groups/%d/", repoName, id)

	got := e.want(200, "GET", path, demo, "")
	if got["group_id"] != float64(id) || got["permission"] != perm || got["group_name"] == "" {
		t.Errorf("GET team permission: %v", got)
	}
	e.want(200, "GET", strings.TrimSuffix(path, "/"), e.token(MemberUser, MemberUser), "")
	e.want(200, "GET", path, e.pat(DemoUser, "repo:read"), "")
	e.want(401, "GET", path, "", "")
	e.want(404, "GET", fmt.Sprintf("/v2/repositories/acme/%s/groups/%d/", repoName, without), demo, "")
	e.want(400, "GET", fmt.Sprintf("/v2/repositories/acme/%s/groups/platform/", repoName), demo, "")

	next := "admin"
	if perm == "admin" {
		next = "read"
	}
	// Terraform sends every field of its struct: group_id 0 and group_name "".
	body := fmt.Sprintf(`{"group_id": 0, "group_name": "", "permission": %q}`, next)
	got = e.want(200, "PATCH", path, demo, body)
	if got["permission"] != next || got["group_id"] != float64(id) {
		t.Errorf("PATCH answer: %v", got)
	}
	if got := e.want(200, "GET", path, demo, ""); got["permission"] != next {
		t.Errorf("permission after PATCH: %v", got)
	}
	ev := e.lastAudit()
	if ev.Action != "repo.team.permission.update" || ev.Name != "acme/"+repoName || ev.Data["permission"] != next || ev.Data["previous_permission"] != perm {
		t.Errorf("audit after PATCH: %+v", ev)
	}
	e.want(400, "PATCH", path, demo, `{"permission": "owner"}`)
	e.want(400, "PATCH", path, demo, fmt.Sprintf(`{"group_id": %d, "permission": "read"}`, without))
	e.want(404, "PATCH", fmt.Sprintf("/v2/repositories/acme/%s/groups/%d/", repoName, without), demo, `{"permission": "read"}`)
	e.want(403, "PATCH", path, e.token(MemberUser, MemberUser), `{"permission": "read"}`)
	e.want(403, "PATCH", path, e.pat(DemoUser, "repo:write"), `{"permission": "read"}`)
	e.want(200, "PATCH", path, e.pat(DemoUser, "repo:admin"), `{"permission": "write"}`)
}

func TestLegacyOrgInfo(t *testing.T) {
	e := newLGEnv(t)
	for _, path := range []string{"/v2/orgs/acme/", "/v2/orgs/acme"} {
		for _, tok := range []string{"", e.token(DemoUser, DemoPassword), e.token(OutsiderUser, OutsiderUser)} {
			got := e.want(200, "GET", path, tok, "")
			if got["orgname"] != DemoOrg || got["full_name"] != "Acme Corp" || got["id"] == "" || got["date_joined"] == "" || got["type"] == nil {
				t.Errorf("GET %s: %v", path, got)
			}
		}
	}
	e.want(404, "GET", "/v2/orgs/no-such-org/", "", "")
	e.want(404, "GET", "/v2/orgs/"+DemoUser+"/", "", "") // a user, not an organization
}

func TestRegistryAccessManagement(t *testing.T) {
	e := newLGEnv(t)
	demo := e.token(DemoUser, DemoPassword)
	const path = "/v2/orgs/acme/settings/registry-access-management"

	got := e.want(200, "GET", path, demo, "")
	std, _ := got["standard_registries"].([]any)
	if got["enabled"] != false || len(std) != 1 || std[0].(map[string]any)["id"] != "DockerHub" || std[0].(map[string]any)["allowed"] != true {
		t.Errorf("default settings: %v", got)
	}
	if _, ok := got["custom_registries"].([]any); !ok {
		t.Errorf("custom_registries is not a list: %v", got)
	}
	e.want(200, "GET", path+"/", e.token(EditorUser, EditorUser), "")
	e.want(200, "GET", path, e.pat(DemoUser, "repo:read"), "")
	e.want(403, "GET", path, e.token(MemberUser, MemberUser), "")
	e.want(403, "GET", path, e.token(DemoOrg, DemoOAT), "") // not offered to OATs
	e.want(401, "GET", path, "", "")
	e.want(404, "GET", "/v2/orgs/no-such-org/settings/registry-access-management", demo, "")

	put := `{"enabled": true, "standard_registries": [{"id": "DockerHub", "allowed": false}],
		"custom_registries": [{"address": "registry.acme.example", "friendly_name": "Acme", "allowed": true},
		{"address": "ghcr.io", "friendly_name": "GitHub", "allowed": false}]}`
	before := len(e.s.OrgAuditTail(DemoOrg, 1<<30))
	e.want(200, "PUT", path+"/", demo, put)
	got = e.want(200, "GET", path, demo, "")
	var want map[string]any
	if err := json.Unmarshal([]byte(put), &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("settings after PUT:\n%v\nwant\n%v", got, want)
	}
	evs := e.s.OrgAuditTail(DemoOrg, 1<<30)[before:]
	var actions []string
	for _, ev := range evs {
		actions = append(actions, ev.Action)
	}
	for _, a := range []string{"org.registry_access.enabled", "org.registry_access.registry_updated", "org.registry_access.registry_added"} {
		if !slices.Contains(actions, a) {
			t.Errorf("audit after PUT lacks %s: %v", a, actions)
		}
	}

	before = len(e.s.OrgAuditTail(DemoOrg, 1<<30))
	e.want(200, "PUT", path, demo, `{"enabled": false, "standard_registries": [{"id": "DockerHub", "allowed": true}], "custom_registries": []}`)
	actions = nil
	for _, ev := range e.s.OrgAuditTail(DemoOrg, 1<<30)[before:] {
		actions = append(actions, ev.Action)
	}
	if !slices.Contains(actions, "org.registry_access.disabled") || !slices.Contains(actions, "org.registry_access.registry_removed") {
		t.Errorf("audit after turning it off: %v", actions)
	}

	for _, bad := range []string{
		`{}`,
		`{"enabled": true, "standard_registries": [{"id": "Quay", "allowed": true}]}`,
		`{"enabled": true, "custom_registries": [{"address": "", "allowed": true}]}`,
		`{"enabled": true, "custom_registries": [{"address": "https://registry.acme.example", "allowed": true}]}`,
		`{"enabled": true, "custom_registries": [{"address": "a.example", "allowed": true}, {"address": "A.example", "allowed": false}]}`,
	} {
		e.want(400, "PUT", path, demo, bad)
	}
	e.want(403, "PUT", path, e.token(EditorUser, EditorUser), `{"enabled": true}`)
	e.want(403, "PUT", path, e.pat(DemoUser, "repo:write"), `{"enabled": true}`)
	e.want(403, "PUT", path, e.token(DemoOrg, DemoOAT), `{"enabled": true}`)
	e.want(200, "PUT", path, e.pat(DemoUser, "repo:admin"), `{"enabled": true}`)
}

// TestCreateRepositoryNamespaceFromPath creates repositories as the
// Terraform provider does, without namespace in the body: the path names
// it. A namespace in the body must still match the path.
func TestCreateRepositoryNamespaceFromPath(t *testing.T) {
	e := newLGEnv(t)
	demo := e.token(DemoUser, DemoPassword)
	got := e.want(201, "POST", "/v2/namespaces/acme/repositories", demo,
		`{"name": "from-terraform", "description": "made without a namespace", "full_description": "", "registry": "", "is_private": true}`)
	if got["namespace"] != DemoOrg || got["name"] != "from-terraform" || got["is_private"] != true {
		t.Errorf("created: %v", got)
	}
	if ev := e.lastAudit(); ev.Action != "repo.create" || ev.Name != "acme/from-terraform" {
		t.Errorf("audit: %+v", ev)
	}
	e.want(200, "GET", "/v2/repositories/acme/from-terraform/", demo, "")
	e.want(201, "POST", "/v2/namespaces/acme/repositories/", demo, `{"name": "with-slash", "namespace": ""}`)
	e.want(201, "POST", "/v2/namespaces/acme/repositories", demo, `{"name": "with-namespace", "namespace": "acme"}`)
	e.want(400, "POST", "/v2/namespaces/acme/repositories", demo, `{"name": "elsewhere", "namespace": "other"}`)
	e.want(400, "POST", "/v2/namespaces/acme/repositories", demo, `{"description": "no name"}`)
	e.want(409, "POST", "/v2/namespaces/acme/repositories", demo, `{"name": "from-terraform"}`)
	e.want(403, "POST", "/v2/namespaces/acme/repositories", e.token(MemberUser, MemberUser), `{"name": "by-a-member"}`)
}
