package hubclient_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/hubclient/hubsim/contract"
)

// ccRecorder notes, for every exchange, the documented operation it matched
// and the status it got, then hands the request to the validating transport.
type ccRecorder struct {
	v    *contract.Validator
	base http.RoundTripper

	mu     sync.Mutex
	status map[string][]int // operation ("METHOD /path") → statuses seen
	undoc  map[string][]int // undocumented "METHOD /actual/path" → statuses seen
}

func (r *ccRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	op, matchErr := r.v.Match(req)
	resp, err := r.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if matchErr != nil {
		key := req.Method + " " + req.URL.Path
		r.undoc[key] = append(r.undoc[key], resp.StatusCode)
	} else {
		r.status[op] = append(r.status[op], resp.StatusCode)
	}
	return resp, nil
}

// succeeded lists the documented operations that got a 2xx answer.
func (r *ccRecorder) succeeded() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ops []string
	for op, sts := range r.status {
		if slices.ContainsFunc(sts, func(s int) bool { return s >= 200 && s < 300 }) {
			ops = append(ops, op)
		}
	}
	slices.Sort(ops)
	return ops
}

// saw reports whether op was answered with status.
func (r *ccRecorder) saw(op string, status int) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Contains(r.status[op], status)
}

// ccEnv is a demo simulator whose clients all go through one recorder and
// the contract validator; every problem other than an undocumented
// operation fails the test.
type ccEnv struct {
	t   *testing.T
	sim *hubsim.Server
	url string
	v   *contract.Validator
	rec *ccRecorder
}

func newCCEnv(t *testing.T) *ccEnv {
	t.Helper()
	sim, err := hubsim.New(hubsim.Options{Dataset: "demo", RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	v, err := contract.Load("hubsim/testdata/hub-api.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tr := v.Transport(http.DefaultTransport, func(err error) {
		if !errors.Is(err, contract.ErrUndocumented) {
			t.Error(err)
		}
	})
	rec := &ccRecorder{v: v, base: tr, status: map[string][]int{}, undoc: map[string][]int{}}
	return &ccEnv{t: t, sim: sim, url: url, v: v, rec: rec}
}

func (e *ccEnv) client(id, secret string, opts ...hubclient.Option) *hubclient.Client {
	e.t.Helper()
	all := append([]hubclient.Option{
		hubclient.WithBaseURL(e.url),
		hubclient.WithHTTPClient(&http.Client{Transport: e.rec, Timeout: 10 * time.Second}),
		hubclient.WithRetryPolicy(hubclient.RetryPolicy{Max: 1, Base: time.Millisecond, Cap: time.Millisecond, MaxWait: time.Second}),
	}, opts...)
	if id != "" {
		all = append(all, hubclient.WithCredentials(id, hubclient.Secret(secret)))
	}
	c, err := hubclient.New(all...)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// must fails the test (and stops it) when err is not nil.
func ccMust(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func TestEveryDocumentedOperationIsServedAndValid(t *testing.T) {
	e := newCCEnv(t)
	ctx := context.Background()
	org := hubsim.DemoOrg

	// Sign-in: password (POST /v2/users/login), PAT and OAT (POST
	// /v2/auth/token), and the two-factor flow.
	owner := e.client(hubsim.DemoUser, hubsim.DemoPassword)
	ccMust(t, "owner sign-in", owner.Auth.SignIn(ctx))
	if _, err := owner.Auth.CreateAccessToken(ctx, hubsim.DemoUser, hubsim.DemoPAT); err != nil {
		t.Fatalf("create access token with a PAT: %v", err)
	}
	oat := e.client(org, hubsim.DemoOAT)
	ccMust(t, "OAT sign-in", oat.Auth.SignIn(ctx))
	ops := e.client(hubsim.TwoFactorUser, hubsim.TwoFactorPassword)
	var tf *hubclient.TwoFactorRequiredError
	if err := ops.Auth.SignIn(ctx); !errors.As(err, &tf) {
		t.Fatalf("2FA sign-in: %v, want a challenge", err)
	}
	code, err := e.sim.TOTP(hubsim.TwoFactorSecret)
	ccMust(t, "TOTP", err)
	_, err = ops.Auth.Login2FA(ctx, tf.Token, code)
	ccMust(t, "2FA login", err)
	if me, _, err := ops.Users.Me(ctx); err != nil || me.Username != hubsim.TwoFactorUser {
		t.Errorf("2FA session: %v %+v", err, me)
	}

	// Signed-in user (outside the document).
	_, _, err = owner.Users.Me(ctx)
	ccMust(t, "GET /v2/user/", err)
	_, _, err = owner.Users.ListOrgs(ctx, nil)
	ccMust(t, "GET /v2/user/orgs/", err)

	// Personal access tokens.
	_, _, err = owner.Tokens.List(ctx, nil)
	ccMust(t, "list PATs", err)
	pat, _, err := owner.Tokens.Create(ctx, hubclient.CreateAccessTokenRequest{TokenLabel: "contract", Scopes: []string{"repo:read"}})
	ccMust(t, "create PAT", err)
	_, _, err = owner.Tokens.Get(ctx, pat.UUID)
	ccMust(t, "get PAT", err)
	off := false
	_, _, err = owner.Tokens.Update(ctx, pat.UUID, hubclient.UpdateAccessTokenRequest{IsActive: &off})
	ccMust(t, "update PAT", err)
	_, err = owner.Tokens.Delete(ctx, pat.UUID)
	ccMust(t, "delete PAT", err)

	// Audit logs.
	_, _, err = owner.Audit.List(ctx, org, &hubclient.AuditListOptions{ListOptions: hubclient.ListOptions{PageSize: 10}})
	ccMust(t, "audit logs", err)
	_, _, err = owner.Audit.Actions(ctx, org)
	ccMust(t, "audit actions", err)

	// Organization settings: read, write back.
	settings, _, err := owner.Orgs.GetSettings(ctx, org)
	ccMust(t, "get settings", err)
	settings.RestrictedImages.Enabled = !settings.RestrictedImages.Enabled
	_, _, err = owner.Orgs.UpdateSettings(ctx, org, *settings)
	ccMust(t, "update settings", err)

	// Organization access tokens.
	_, _, err = owner.OrgTokens.List(ctx, org, nil)
	ccMust(t, "list OATs", err)
	ot, _, err := owner.OrgTokens.Create(ctx, org, hubclient.CreateOrgAccessTokenRequest{Label: "contract", Resources: []hubclient.OrgAccessTokenResource{
		{Type: hubclient.OATResourceOrg, Path: "*", Scopes: []string{hubclient.OATScopeAuditLogRead}},
	}})
	ccMust(t, "create OAT", err)
	_, _, err = owner.OrgTokens.Get(ctx, org, ot.ID)
	ccMust(t, "get OAT", err)
	label := "contract-renamed"
	_, _, err = owner.OrgTokens.Update(ctx, org, ot.ID, hubclient.UpdateOrgAccessTokenRequest{Label: &label})
	ccMust(t, "update OAT", err)
	_, err = owner.OrgTokens.Delete(ctx, org, ot.ID)
	ccMust(t, "delete OAT", err)

	// Repositories.
	_, _, err = owner.Repos.List(ctx, org, &hubclient.RepoListOptions{ListOptions: hubclient.ListOptions{PageSize: 25}})
	ccMust(t, "list repositories", err)
	_, _, err = owner.Repos.ListDeprecated(ctx, org, nil)
	ccMust(t, "GET /v2/repositories/{ns}/", err)
	_, _, err = owner.Repos.Create(ctx, org, &hubclient.RepositoryCreateRequest{Name: "contract-repo", Description: "checked"})
	ccMust(t, "create repository", err)
	_, _, err = owner.Repos.Get(ctx, org, "contract-repo")
	ccMust(t, "get repository", err)
	if ok, _, err := owner.Repos.Check(ctx, org, "contract-repo"); err != nil || !ok {
		t.Errorf("HEAD repository: %v %v", ok, err)
	}
	desc := "checked again"
	_, _, err = owner.Repos.Update(ctx, org, "contract-repo", &hubclient.RepositoryUpdateRequest{Description: &desc})
	ccMust(t, "PATCH /v2/repositories/{ns}/{repo}/", err)

	// Tags.
	_, _, err = owner.Tags.List(ctx, org, "web", nil)
	ccMust(t, "list tags", err)
	if ok, _, err := owner.Tags.HasTags(ctx, org, "web"); err != nil || !ok {
		t.Errorf("HEAD tags: %v %v", ok, err)
	}
	latest, _, err := owner.Tags.Get(ctx, org, "web", "latest")
	ccMust(t, "get tag", err)
	if ok, _, err := owner.Tags.Exists(ctx, org, "web", "latest"); err != nil || !ok {
		t.Errorf("HEAD tag: %v %v", ok, err)
	}
	_, err = owner.Tags.Delete(ctx, org, "web", "edge")
	ccMust(t, "delete tag", err)

	// Immutable tags.
	_, _, err = owner.Repos.UpdateImmutableTags(ctx, org, "web", hubclient.ImmutableTagsRequest{Enabled: true, Rules: []string{"v.*"}})
	ccMust(t, "immutable tags", err)
	_, _, err = owner.Repos.VerifyImmutableTags(ctx, org, "web", "v1.*")
	ccMust(t, "verify immutable tags", err)
	_, _, err = owner.Repos.UpdateImmutableTags(ctx, org, "web", hubclient.ImmutableTagsRequest{})
	ccMust(t, "immutable tags off", err)

	// Images (outside the document).
	imgs, _, err := owner.Images.List(ctx, org, "web", nil)
	ccMust(t, "list images", err)
	_, _, err = owner.Images.Tags(ctx, org, "web", latest.Digest, nil)
	ccMust(t, "image tags", err)
	_, _, err = owner.Images.Summary(ctx, org, "web", time.Time{})
	ccMust(t, "image summary", err)
	if len(imgs) == 0 {
		t.Fatal("acme/web has no images")
	}
	_, _, err = owner.Images.Delete(ctx, org, &hubclient.DeleteImagesRequest{DryRun: true,
		Manifests: []hubclient.ImageRef{{Repository: "web", Digest: imgs[len(imgs)-1].Digest}}})
	ccMust(t, "delete images (dry run)", err)

	// Account API v1.1 (outside the document).
	_, _, err = owner.Account.Profile(ctx, hubsim.DemoUser)
	ccMust(t, "profile", err)
	loc := "Contract Island"
	_, _, err = owner.Account.UpdateProfile(ctx, hubsim.DemoUser, hubclient.ProfileUpdate{Location: &loc})
	ccMust(t, "update profile", err)
	_, _, err = owner.Account.Emails(ctx, hubsim.DemoUser)
	ccMust(t, "emails", err)
	_, _, err = owner.Account.AddEmail(ctx, hubsim.DemoUser, "demo+contract@acme.example")
	ccMust(t, "add email", err)
	_, err = owner.Account.DeleteEmail(ctx, hubsim.DemoUser, "demo+contract@acme.example")
	ccMust(t, "delete email", err)

	// Groups (teams) and their members.
	_, _, err = owner.Teams.List(ctx, org, nil)
	ccMust(t, "list groups", err)
	team, _, err := owner.Teams.Create(ctx, org, "contract-team", "checked")
	ccMust(t, "create group", err)
	_, _, err = owner.Teams.Get(ctx, org, "contract-team")
	ccMust(t, "get group", err)
	tdesc := "checked twice"
	_, _, err = owner.Teams.Update(ctx, org, "contract-team", hubclient.TeamUpdate{Description: &tdesc})
	ccMust(t, "patch group", err)
	_, _, err = owner.Teams.Replace(ctx, org, "contract-team", "contract-group", "replaced")
	ccMust(t, "put group", err)
	_, err = owner.Teams.AddMember(ctx, org, "contract-group", hubsim.EditorUser)
	ccMust(t, "add group member", err)
	_, _, err = owner.Teams.ListMembers(ctx, org, "contract-group", nil)
	ccMust(t, "list group members", err)
	_, err = owner.Teams.RemoveMember(ctx, org, "contract-group", hubsim.EditorUser)
	ccMust(t, "remove group member", err)

	// Repository groups: the new team on the new repository.
	_, _, err = owner.Repos.CreateGroup(ctx, org, "contract-repo", team.ID, hubclient.RepoPermissionRead)
	ccMust(t, "repository group", err)
	_, _, err = owner.Repos.ListGroups(ctx, org, "contract-repo", nil)
	ccMust(t, "list repository groups", err)
	_, err = owner.Repos.DeleteGroup(ctx, org, "contract-repo", team.ID)
	ccMust(t, "delete repository group", err)
	_, err = owner.Teams.Delete(ctx, org, "contract-group")
	ccMust(t, "delete group", err)
	_, err = owner.Repos.Delete(ctx, org, "contract-repo")
	ccMust(t, "DELETE /v2/repositories/{ns}/{repo}/", err)

	// Invites.
	invites, _, err := owner.Invites.List(ctx, org)
	ccMust(t, "list invites", err)
	if len(invites) < 2 {
		t.Fatalf("%d demo invites", len(invites))
	}
	_, err = owner.Invites.Resend(ctx, invites[0].ID)
	ccMust(t, "resend invite", err)
	_, err = owner.Invites.Cancel(ctx, invites[1].ID)
	ccMust(t, "cancel invite", err)
	bulk := hubclient.BulkInviteRequest{Org: org, Team: "platform", Role: hubclient.OrgRoleMember,
		Invitees: []string{"contract@example.com", hubsim.OutsiderUser, hubsim.EditorUser}, DryRun: true}
	_, _, err = owner.Invites.Bulk(ctx, bulk)
	ccMust(t, "bulk invite (dry run)", err)
	bulk.DryRun = false
	_, _, err = owner.Invites.Bulk(ctx, bulk)
	ccMust(t, "bulk invite", err)

	// Members.
	_, _, err = owner.Members.List(ctx, org, &hubclient.MemberListOptions{ListOptions: hubclient.ListOptions{PageSize: 50}})
	ccMust(t, "list members", err)
	export, _, err := owner.Members.Export(ctx, org)
	ccMust(t, "export members", err)
	editors := 0
	for _, row := range export.Rows {
		switch row.Permission {
		case "Owner", "Member":
		case "Editor":
			editors++
		default:
			t.Errorf("export row %s: permission %q", row.Username, row.Permission)
		}
	}
	if editors == 0 {
		t.Error("no editor in the export: the Editor rows go unchecked")
	}

	// SCIM, with the organization access token.
	_, _, err = oat.SCIM.ServiceProviderConfig(ctx)
	ccMust(t, "SCIM config", err)
	_, _, err = oat.SCIM.ResourceTypes(ctx)
	ccMust(t, "SCIM resource types", err)
	_, _, err = oat.SCIM.ResourceType(ctx, "User")
	ccMust(t, "SCIM resource type", err)
	_, _, err = oat.SCIM.Schemas(ctx)
	ccMust(t, "SCIM schemas", err)
	_, _, err = oat.SCIM.Schema(ctx, hubclient.SCIMSchemaUser)
	ccMust(t, "SCIM schema", err)
	_, _, err = oat.SCIM.ListUsers(ctx, &hubclient.SCIMUserListOptions{ListOptions: hubclient.ListOptions{PageSize: 10}})
	ccMust(t, "SCIM users", err)
	su, _, err := oat.SCIM.CreateUser(ctx, hubclient.SCIMCreateUserRequest{UserName: "contract.user@acme.example",
		Name: &hubclient.SCIMName{GivenName: "Contract", FamilyName: "User"}})
	ccMust(t, "SCIM create user", err)
	_, _, err = oat.SCIM.GetUser(ctx, su.ID)
	ccMust(t, "SCIM get user", err)
	_, _, err = oat.SCIM.UpdateUser(ctx, su.ID, hubclient.SCIMUpdateUserRequest{Enabled: true,
		Name: &hubclient.SCIMName{GivenName: "Contract", FamilyName: "Checked"}})
	ccMust(t, "SCIM update user", err)

	// One error answer per family the document lists, checked the same way.
	_, err = e.client(hubsim.DemoUser, "wrong-password").Auth.Login(ctx, hubsim.DemoUser, "wrong-password")
	if !hubclient.IsStatus(err, http.StatusUnauthorized) {
		t.Errorf("wrong password: %v", err)
	}
	member := e.client(hubsim.MemberUser, hubsim.MemberUser)
	_, _, err = member.Members.UpdateRole(ctx, org, hubsim.EditorUser, hubclient.OrgRoleMember)
	if !hubclient.IsStatus(err, http.StatusForbidden) {
		t.Errorf("member changes a role: %v", err)
	}
	_, _, err = owner.Tags.Get(ctx, org, "web", "no-such-tag")
	if !hubclient.IsStatus(err, http.StatusNotFound) {
		t.Errorf("missing tag: %v", err)
	}
	past := time.Now().Add(-time.Hour)
	_, _, err = owner.Tokens.Create(ctx, hubclient.CreateAccessTokenRequest{TokenLabel: "expired", Scopes: []string{"repo:read"}, ExpiresAt: &past})
	var ae *hubclient.APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadRequest || len(ae.Fields["expires_at"]) == 0 {
		t.Errorf("PAT expiring in the past: %v", err)
	}
	for _, want := range []struct {
		op     string
		status int
	}{
		{"POST /v2/users/login", http.StatusUnauthorized},
		{"PUT /v2/orgs/{org_name}/members/{username}", http.StatusForbidden},
		{"GET /v2/namespaces/{namespace}/repositories/{repository}/tags/{tag}", http.StatusNotFound},
		{"POST /v2/access-tokens", http.StatusBadRequest},
	} {
		if !e.rec.saw(want.op, want.status) {
			t.Errorf("%s: no %d answer seen", want.op, want.status)
		}
	}

	// Member role change and removal last: they change who may do what.
	_, _, err = owner.Members.UpdateRole(ctx, org, hubsim.MemberUser, hubclient.OrgRoleEditor)
	ccMust(t, "change member role", err)
	_, err = owner.Members.Remove(ctx, org, hubsim.MemberUser)
	ccMust(t, "remove member", err)

	// Every documented operation answered with success at least once.
	got := e.rec.succeeded()
	var missing []string
	for _, op := range e.v.Operations() {
		if !slices.Contains(got, op) {
			missing = append(missing, op)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d of %d documented operations never answered with success:\n\t%s",
			len(missing), len(e.v.Operations()), strings.Join(missing, "\n\t"))
	}
	for _, op := range got {
		if !slices.Contains(e.v.Operations(), op) {
			t.Errorf("matched %q, which Operations does not list", op)
		}
	}
	t.Logf("%d documented operations served with success; %d undocumented routes used", len(got), len(e.rec.undoc))
}

// ccGoBuild builds ./cmd/hubsim into dir and returns the binary's path.
func ccGoBuild(t *testing.T, dir string) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	bin := filepath.Join(dir, "hubsim")
	cmd := exec.Command(goBin, "build", "-o", bin, "./cmd/hubsim")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/hubsim: %v\n%s", err, out)
	}
	return bin
}

func TestHubsimBinaryServesDocumentedGETs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the hubsim binary")
	}
	v, err := contract.Load("hubsim/testdata/hub-api.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bin := ccGoBuild(t, t.TempDir())

	cmd := exec.Command(bin, "--dataset", "demo")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := false
	t.Cleanup(func() {
		if !exited {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})

	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
	}()
	var first string
	select {
	case first = <-lines:
	case <-time.After(30 * time.Second):
		t.Fatalf("no listening line in 30s; stderr: %s", stderr.String())
	}
	base, ok := strings.CutPrefix(strings.TrimSpace(first), "hubsim listening on ")
	if !ok || !strings.HasPrefix(base, "http://") {
		t.Fatalf("first line %q", first)
	}

	hc := &http.Client{Timeout: 10 * time.Second}
	// exchange sends one request and checks it against the document.
	exchange := func(method, path, token, body string) []byte {
		t.Helper()
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, err := http.NewRequest(method, base+path, rd)
		if err != nil {
			t.Fatal(err)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("%s %s: read: %v", method, path, err)
		}
		if resp.StatusCode/100 != 2 {
			t.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
		if err := v.Check(req, []byte(body), resp, b); err != nil {
			t.Errorf("%s %s: %v", method, path, err)
		}
		return b
	}

	tokBody := exchange(http.MethodPost, "/v2/auth/token", "", fmt.Sprintf(`{"identifier":%q,"secret":%q}`, hubsim.DemoUser, hubsim.DemoPassword))
	_, rest, ok := strings.Cut(string(tokBody), `"access_token":"`)
	token, _, _ := strings.Cut(rest, `"`)
	if !ok || token == "" {
		t.Fatalf("no access token in %s", tokBody)
	}

	for _, p := range []string{
		"/v2/namespaces/acme/repositories",
		"/v2/namespaces/acme/repositories/web",
		"/v2/namespaces/acme/repositories/web/tags",
		"/v2/namespaces/acme/repositories/web/tags/latest",
		"/v2/orgs/acme/members",
		"/v2/orgs/acme/groups",
		"/v2/orgs/acme/groups/platform",
		"/v2/orgs/acme/groups/platform/members",
		"/v2/orgs/acme/invites",
		"/v2/orgs/acme/settings",
		"/v2/access-tokens",
		"/v2/orgs/acme/access-tokens",
		"/v2/auditlogs/acme",
		"/v2/auditlogs/acme/actions",
		"/v2/scim/2.0/ServiceProviderConfig",
		"/v2/scim/2.0/ResourceTypes",
		"/v2/scim/2.0/Schemas",
		"/v2/scim/2.0/Users",
	} {
		exchange(http.MethodGet, p, token, "")
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		exited = true
		if err != nil {
			t.Errorf("hubsim after SIGTERM: %v; stderr: %s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("hubsim did not stop within 10s of SIGTERM")
	}
}
