package hubclient_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/hubclient/hubsim/contract"
)

// The demo org has 60 repositories; acme/web, acme/api and acme/payments-api
// have 12 tags each (latest, stable, edge, v1.x.y...).
const rpDemoRepos = 60

// newRPEnv is a demo simulator for the repository, tag and image tests.
func newRPEnv(t *testing.T) *simEnv { return newEnv(t, hubsim.Options{}, rpKnownDeviation) }

// rpKnownDeviation reports whether a contract error is one of the
// deliberate deviations of this area from the document: CreateRepository
// answers 409 Conflict for a name that is taken (the document lists no 409
// there, though it defines a conflict response).
func rpKnownDeviation(err error) bool {
	var ce *contract.Error
	if !errors.As(err, &ce) {
		return false
	}
	return ce.Status == http.StatusConflict && ce.Operation == "POST /v2/namespaces/{namespace}/repositories"
}

func rpNames(rs []hubclient.Repository) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Name
	}
	return out
}

// rpListAll reads every repository of the demo org as c sees them.
func rpListAll(t *testing.T, c *hubclient.Client, opt hubclient.RepoListOptions) []hubclient.Repository {
	t.Helper()
	all, err := hubclient.ListAll(context.Background(), c, func(ctx context.Context, lo hubclient.ListOptions) ([]hubclient.Repository, *hubclient.Response, error) {
		o := opt
		o.ListOptions = lo
		return c.Repos.List(ctx, hubsim.DemoOrg, &o)
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return all
}

func TestRepoList(t *testing.T) {
	e := newRPEnv(t)
	ctx := context.Background()
	c := e.owner()
	repos, resp, err := c.Repos.List(ctx, hubsim.DemoOrg, &hubclient.RepoListOptions{ListOptions: hubclient.ListOptions{PageSize: 10}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Count != rpDemoRepos || len(repos) != 10 {
		t.Fatalf("count %d, rows %d", resp.Count, len(repos))
	}
	if !strings.HasPrefix(resp.Next, e.url+"/v2/namespaces/acme/repositories?") || !strings.Contains(resp.Next, "page=2") || resp.Previous != "" {
		t.Errorf("next %q previous %q", resp.Next, resp.Previous)
	}
	for _, r := range repos {
		if r.Namespace != hubsim.DemoOrg || r.FullName() != "acme/"+r.Name || r.DateRegistered.IsZero() || r.LastUpdated.IsZero() ||
			r.StatusDescription != "active" || r.RepositoryType != "image" || r.Categories == nil {
			t.Errorf("row %+v", r)
		}
	}
	if !slices.IsSorted(rpNames(repos)) {
		t.Errorf("default order is not by name: %v", rpNames(repos))
	}

	all := rpListAll(t, c, hubclient.RepoListOptions{})
	if len(all) != rpDemoRepos || !slices.IsSorted(rpNames(all)) || len(slices.Compact(rpNames(all))) != rpDemoRepos {
		t.Fatalf("ListAll: %d rows, sorted %v", len(all), slices.IsSorted(rpNames(all)))
	}
	web := all[slices.IndexFunc(all, func(r hubclient.Repository) bool { return r.Name == "web" })]
	if web.StorageSize <= 0 || !slices.Contains(web.ContentTypes, "image") || len(web.MediaTypes) == 0 {
		t.Errorf("acme/web row %+v", web)
	}
	public := 0
	for _, r := range all {
		if !r.IsPrivate {
			public++
		}
	}
	if public == 0 || public == rpDemoRepos {
		t.Fatalf("demo data: %d public repositories", public)
	}

	// Filter and orderings.
	api := rpListAll(t, c, hubclient.RepoListOptions{Name: "api"})
	if len(api) < 2 {
		t.Errorf("name filter: %v", rpNames(api))
	}
	for _, r := range api {
		if !strings.Contains(r.Name, "api") {
			t.Errorf("name filter let through %s", r.Name)
		}
	}
	desc := rpListAll(t, c, hubclient.RepoListOptions{Ordering: "-" + hubclient.RepoOrderName})
	rev := rpNames(all)
	slices.Reverse(rev)
	if got := rpNames(desc); !slices.Equal(got, rev) {
		t.Errorf("-name: %v", got[:5])
	}
	pulls := rpListAll(t, c, hubclient.RepoListOptions{Ordering: "-" + hubclient.RepoOrderPullCount})
	if len(pulls) != rpDemoRepos || !slices.IsSortedFunc(pulls, func(a, b hubclient.Repository) int { return int(b.PullCount - a.PullCount) }) {
		t.Errorf("-pull_count not descending")
	}
	upd := rpListAll(t, c, hubclient.RepoListOptions{Ordering: hubclient.RepoOrderLastUpdated})
	if !slices.IsSortedFunc(upd, func(a, b hubclient.Repository) int { return a.LastUpdated.Compare(b.LastUpdated) }) {
		t.Errorf("last_updated not ascending")
	}

	// Past the last page; unknown namespace.
	_, _, err = c.Repos.List(ctx, hubsim.DemoOrg, &hubclient.RepoListOptions{ListOptions: hubclient.ListOptions{Page: 99}})
	wantStatus(t, "page 99", err, http.StatusNotFound)
	_, _, err = c.Repos.List(ctx, "no-such-namespace", nil)
	wantStatus(t, "unknown namespace", err, http.StatusNotFound)
	if err == nil || !strings.Contains(err.Error(), "list repositories of no-such-namespace") {
		t.Errorf("error lacks context: %v", err)
	}

	// Who sees what: members see private repositories; anonymous callers,
	// outsiders and a PAT without repo:read see the public ones.
	for name, cl := range map[string]*hubclient.Client{
		"anonymous":        e.client("", ""),
		"outsider":         e.client(hubsim.OutsiderUser, hubsim.OutsiderUser),
		"public_read PAT":  e.pat("repo:public_read"),
		"member":           e.member(),
		"org access token": e.client(hubsim.DemoOrg, hubsim.DemoOAT),
	} {
		rs := rpListAll(t, cl, hubclient.RepoListOptions{})
		want := public
		if name == "member" || name == "org access token" {
			want = rpDemoRepos
		}
		if len(rs) != want {
			t.Errorf("%s sees %d repositories, want %d", name, len(rs), want)
		}
		if want == public {
			for _, r := range rs {
				if r.IsPrivate {
					t.Errorf("%s sees private %s", name, r.Name)
				}
			}
		}
	}

	// Refused before sending.
	e.nothingSent("page_size 101", func() error {
		_, _, err := c.Repos.List(ctx, hubsim.DemoOrg, &hubclient.RepoListOptions{ListOptions: hubclient.ListOptions{PageSize: 101}})
		return err
	}, isValidation("page_size"))
	e.nothingSent("bad ordering", func() error {
		_, _, err := c.Repos.List(ctx, hubsim.DemoOrg, &hubclient.RepoListOptions{Ordering: "stars"})
		return err
	}, isValidation("ordering"))
	e.nothingSent("no namespace", func() error { _, _, err := c.Repos.List(ctx, "", nil); return err }, isValidation("namespace"))

	// The simulator's own refusals, as the document describes them.
	if st, body := e.rawChecked(c, "GET", "/v2/namespaces/acme/repositories?ordering=stars", "", ""); st != 400 || !strings.Contains(body, `"ordering"`) {
		t.Errorf("bad ordering: %d %s", st, body)
	}
	if st, _ := e.rawChecked(c, "GET", "/v2/namespaces/acme/repositories?page_size=101", "", ""); st != 400 {
		t.Errorf("page_size 101: %d", st)
	}
}

func TestRepoListDeprecated(t *testing.T) {
	e := newRPEnv(t)
	ctx := context.Background()
	c := e.owner()
	repos, resp, err := c.Repos.ListDeprecated(ctx, hubsim.DemoOrg, &hubclient.RepoListOptions{Ordering: "-last_updated"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Count != rpDemoRepos || len(repos) != hubclient.MaxPageSize && len(repos) != rpDemoRepos {
		t.Fatalf("count %d rows %d", resp.Count, len(repos))
	}
	if !slices.IsSortedFunc(repos, func(a, b hubclient.Repository) int { return b.LastUpdated.Compare(a.LastUpdated) }) {
		t.Errorf("-last_updated not descending")
	}
	for _, r := range repos {
		if !r.CanEdit {
			t.Errorf("owner cannot edit %s", r.Name)
		}
	}
	out, _, err := e.client(hubsim.OutsiderUser, hubsim.OutsiderUser).Repos.ListDeprecated(ctx, hubsim.DemoOrg, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range out {
		if r.CanEdit || r.IsPrivate {
			t.Errorf("outsider row %+v", r)
		}
	}
	e.nothingSent("no namespace", func() error { _, _, err := c.Repos.ListDeprecated(ctx, "", nil); return err }, isValidation("namespace"))
}

func TestRepoCreateGetCheck(t *testing.T) {
	e := newRPEnv(t)
	ctx := context.Background()
	c := e.owner()
	info, resp, err := c.Repos.Create(ctx, hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{
		Name: "hubtui-new", Description: "Made by a test", FullDescription: "# hubtui-new\n", IsPrivate: true})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusCreated || info.FullName() != "acme/hubtui-new" || !info.IsPrivate || info.Description != "Made by a test" ||
		info.FullDescription != "# hubtui-new\n" || info.DateRegistered.IsZero() || info.ImmutableTagsSettings.Enabled ||
		info.ImmutableTagsSettings.Rules == nil || info.Permissions != (hubclient.RepoPermissions{Read: true, Write: true, Admin: true}) ||
		info.StorageSize == nil || *info.StorageSize != 0 {
		t.Errorf("created %+v (status %d)", info, resp.StatusCode)
	}
	ev := e.wantAudit("repo.create", "acme/hubtui-new", hubsim.DemoUser)
	if ev.Data["privacy"] != "private" {
		t.Errorf("audit data %v", ev.Data)
	}

	got, _, err := c.Repos.Get(ctx, hubsim.DemoOrg, "hubtui-new")
	if err != nil || got.Name != "hubtui-new" || got.User != hubsim.DemoOrg || !got.IsPrivate {
		t.Fatalf("get: %+v, %v", got, err)
	}
	if ok, _, err := c.Repos.Check(ctx, hubsim.DemoOrg, "hubtui-new"); !ok || err != nil {
		t.Errorf("check: %v, %v", ok, err)
	}
	if ok, _, err := c.Repos.Check(ctx, hubsim.DemoOrg, "nope"); ok || err != nil {
		t.Errorf("check missing: %v, %v", ok, err)
	}
	_, _, err = c.Repos.Get(ctx, hubsim.DemoOrg, "nope")
	wantStatus(t, "get missing", err, http.StatusNotFound)

	// The name is taken.
	_, _, err = c.Repos.Create(ctx, hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: "hubtui-new"})
	wantStatus(t, "duplicate", err, http.StatusConflict)

	// Who may create: editors and owners, PATs with repo:write, the OAT.
	_, _, err = e.member().Repos.Create(ctx, hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: "by-member"})
	wantStatus(t, "member create", err, http.StatusForbidden)
	_, _, err = e.client(hubsim.OutsiderUser, hubsim.OutsiderUser).Repos.Create(ctx, hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: "by-outsider"})
	wantStatus(t, "outsider create", err, http.StatusForbidden)
	_, _, err = e.pat("repo:read").Repos.Create(ctx, hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: "by-read-pat"})
	wantStatus(t, "repo:read PAT create", err, http.StatusForbidden)
	if _, _, err := e.editor().Repos.Create(ctx, hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: "by-editor"}); err != nil {
		t.Errorf("editor create: %v", err)
	}
	if _, _, err := e.pat("repo:write").Repos.Create(ctx, hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: "by-write-pat"}); err != nil {
		t.Errorf("repo:write PAT create: %v", err)
	}
	if _, _, err := e.client(hubsim.DemoOrg, hubsim.DemoOAT).Repos.Create(ctx, hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: "by-oat"}); err != nil {
		t.Errorf("OAT create: %v", err)
	}
	ev = e.wantAudit("repo.create", "acme/by-oat", hubsim.DemoOrg)
	if ev.Data["access_token_type"] != "organization" {
		t.Errorf("OAT audit data %v", ev.Data)
	}
	// A personal namespace belongs to its user alone.
	if _, _, err := c.Repos.Create(ctx, hubsim.DemoUser, &hubclient.RepositoryCreateRequest{Name: "mine"}); err != nil {
		t.Errorf("own namespace: %v", err)
	}
	_, _, err = c.Repos.Create(ctx, hubsim.EditorUser, &hubclient.RepositoryCreateRequest{Name: "theirs"})
	wantStatus(t, "someone else's namespace", err, http.StatusForbidden)

	// Visibility of one repository.
	anon := e.client("", "")
	_, _, err = anon.Repos.Get(ctx, hubsim.DemoOrg, "hubtui-new")
	wantStatus(t, "anonymous get private", err, http.StatusNotFound)
	if ok, _, err := anon.Repos.Check(ctx, hubsim.DemoOrg, "hubtui-new"); ok || err != nil {
		t.Errorf("anonymous check private: %v, %v", ok, err)
	}
	_, _, err = e.client(hubsim.OutsiderUser, hubsim.OutsiderUser).Repos.Get(ctx, hubsim.DemoOrg, "hubtui-new")
	wantStatus(t, "outsider get private", err, http.StatusNotFound)
	mine, _, err := e.member().Repos.Get(ctx, hubsim.DemoOrg, "hubtui-new")
	if err != nil || mine.Permissions.Write || !mine.Permissions.Read {
		t.Errorf("member get private: %+v, %v", mine, err)
	}
	if _, _, err := c.Repos.Update(ctx, hubsim.DemoOrg, "by-editor", &hubclient.RepositoryUpdateRequest{IsPrivate: new(false)}); err != nil {
		t.Fatal(err)
	}
	pub, _, err := anon.Repos.Get(ctx, hubsim.DemoOrg, "by-editor")
	if err != nil || pub.Permissions != (hubclient.RepoPermissions{Read: true}) {
		t.Errorf("anonymous get public: %+v, %v", pub, err)
	}

	// Refused before sending.
	for _, bad := range []string{"", "a", "Web", "-web", "web-", "we--b", "we/b", strings.Repeat("a", 256)} {
		e.nothingSent("name "+bad, func() error {
			_, _, err := c.Repos.Create(ctx, hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: bad})
			return err
		}, isValidation("name"))
	}
	for _, good := range []string{"ab", "a.b_c-d", "x1-2.3"} {
		if !hubclient.ValidRepositoryName(good) {
			t.Errorf("%q refused", good)
		}
	}
	e.nothingSent("description 101", func() error {
		_, _, err := c.Repos.Create(ctx, hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: "long", Description: strings.Repeat("é", 101)})
		return err
	}, isValidation("description"))
	e.nothingSent("full description 25001", func() error {
		_, _, err := c.Repos.Create(ctx, hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: "long", FullDescription: strings.Repeat("x", 25001)})
		return err
	}, isValidation("full_description"))
	e.nothingSent("read-only", func() error {
		_, _, err := e.client(hubsim.DemoUser, hubsim.DemoPassword, hubclient.WithReadOnly()).Repos.Create(ctx, hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: "ro"})
		return err
	}, isReadOnly)
	e.nothingSent("get without repository", func() error { _, _, err := c.Repos.Get(ctx, hubsim.DemoOrg, ""); return err }, isValidation("repository"))
	e.nothingSent("check without namespace", func() error { _, _, err := c.Repos.Check(ctx, "", "web"); return err }, isValidation("namespace"))

	// The simulator checks the same rules (400, error shape with errinfo).
	for _, body := range []string{
		`{"name":"Bad Name","namespace":"acme"}`,
		`{"name":"ok-name","namespace":"other"}`,
		`{"name":"ok-name","namespace":"acme","description":"` + strings.Repeat("d", 101) + `"}`,
	} {
		if st, resp := e.rawChecked(c, "POST", "/v2/namespaces/acme/repositories", "application/json", body); st != 400 || !strings.Contains(resp, `"errinfo"`) {
			t.Errorf("%s: %d %s", body, st, resp)
		}
	}
}

func TestRepoUpdate(t *testing.T) {
	e := newRPEnv(t)
	ctx := context.Background()
	c := e.owner()
	before, _, err := c.Repos.Get(ctx, hubsim.DemoOrg, "web")
	if err != nil {
		t.Fatal(err)
	}
	info, _, err := c.Repos.Update(ctx, hubsim.DemoOrg, "web", &hubclient.RepositoryUpdateRequest{
		Description: new("The web front end"), FullDescription: new("# web\n\nNew overview.")})
	if err != nil {
		t.Fatal(err)
	}
	if info.Description != "The web front end" || info.FullDescription != "# web\n\nNew overview." || info.IsPrivate != before.IsPrivate ||
		!info.LastModified.After(before.LastModified) {
		t.Errorf("updated %+v", info)
	}
	ev := e.wantAudit("repo.update_description", "acme/web", hubsim.DemoUser)
	if ev.Data["fields"] != "description,full_description" {
		t.Errorf("audit data %v", ev.Data)
	}
	got, _, err := c.Repos.Get(ctx, hubsim.DemoOrg, "web")
	if err != nil || got.Description != "The web front end" {
		t.Fatalf("get after update: %+v, %v", got, err)
	}

	// Privacy.
	info, _, err = c.Repos.Update(ctx, hubsim.DemoOrg, "web", &hubclient.RepositoryUpdateRequest{IsPrivate: new(!before.IsPrivate)})
	if err != nil || info.IsPrivate == before.IsPrivate {
		t.Fatalf("privacy: %+v, %v", info, err)
	}
	want := "public"
	if info.IsPrivate {
		want = "private"
	}
	if ev := e.wantAudit("repo.change_privacy", "acme/web", hubsim.DemoUser); ev.Data["privacy"] != want {
		t.Errorf("audit data %v", ev.Data)
	}

	// Who may: editors; a member without a team permission may not; a
	// repo:write PAT may change descriptions but not privacy.
	if _, _, err := e.editor().Repos.Update(ctx, hubsim.DemoOrg, "web", &hubclient.RepositoryUpdateRequest{Description: new("by erin")}); err != nil {
		t.Errorf("editor: %v", err)
	}
	if _, _, err := c.Repos.Create(ctx, hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: "member-target"}); err != nil {
		t.Fatal(err)
	}
	_, _, err = e.member().Repos.Update(ctx, hubsim.DemoOrg, "member-target", &hubclient.RepositoryUpdateRequest{Description: new("by max")})
	wantStatus(t, "member update", err, http.StatusForbidden)
	w := e.pat("repo:write")
	if _, _, err := w.Repos.Update(ctx, hubsim.DemoOrg, "web", &hubclient.RepositoryUpdateRequest{Description: new("by PAT")}); err != nil {
		t.Errorf("repo:write PAT description: %v", err)
	}
	_, _, err = w.Repos.Update(ctx, hubsim.DemoOrg, "web", &hubclient.RepositoryUpdateRequest{IsPrivate: new(true)})
	wantStatus(t, "repo:write PAT privacy", err, http.StatusForbidden)
	_, _, err = c.Repos.Update(ctx, hubsim.DemoOrg, "nope", &hubclient.RepositoryUpdateRequest{Description: new("x")})
	wantStatus(t, "missing", err, http.StatusNotFound)

	e.nothingSent("description 101", func() error {
		_, _, err := c.Repos.Update(ctx, hubsim.DemoOrg, "web", &hubclient.RepositoryUpdateRequest{Description: new(strings.Repeat("x", 101))})
		return err
	}, isValidation("description"))
	e.nothingSent("nothing to change", func() error {
		_, _, err := c.Repos.Update(ctx, hubsim.DemoOrg, "web", &hubclient.RepositoryUpdateRequest{})
		return err
	}, isValidation("update"))
	e.nothingSent("read-only", func() error {
		_, _, err := e.client(hubsim.DemoUser, hubsim.DemoPassword, hubclient.WithReadOnly()).Repos.Update(ctx, hubsim.DemoOrg, "web", &hubclient.RepositoryUpdateRequest{Description: new("x")})
		return err
	}, isReadOnly)
	if st, body := e.rawChecked(c, "PATCH", "/v2/repositories/acme/web/", "application/json", `{"full_description":"`+strings.Repeat("f", 25001)+`"}`); st != 400 || !strings.Contains(body, `"full_description"`) {
		t.Errorf("sim full_description 25001: %d %s", st, body)
	}
}

func TestRepoDelete(t *testing.T) {
	e := newRPEnv(t)
	ctx := context.Background()
	c := e.owner()
	for _, n := range []string{"doomed", "kept"} {
		if _, _, err := c.Repos.Create(ctx, hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: n, IsPrivate: true}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := e.member().Repos.Delete(ctx, hubsim.DemoOrg, "doomed")
	wantStatus(t, "member delete", err, http.StatusForbidden)
	_, err = e.pat("repo:write").Repos.Delete(ctx, hubsim.DemoOrg, "doomed")
	wantStatus(t, "repo:write PAT delete", err, http.StatusForbidden)
	_, err = e.client(hubsim.OutsiderUser, hubsim.OutsiderUser).Repos.Delete(ctx, hubsim.DemoOrg, "doomed")
	wantStatus(t, "outsider delete (private: hidden)", err, http.StatusNotFound)

	resp, err := c.Repos.Delete(ctx, hubsim.DemoOrg, "doomed")
	if err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("delete: %v", err)
	}
	e.wantAudit("repo.delete", "acme/doomed", hubsim.DemoUser)
	if ok, _, err := c.Repos.Check(ctx, hubsim.DemoOrg, "doomed"); ok || err != nil {
		t.Errorf("still there: %v %v", ok, err)
	}
	_, err = c.Repos.Delete(ctx, hubsim.DemoOrg, "doomed")
	wantStatus(t, "delete twice", err, http.StatusNotFound)
	if _, err := e.pat("repo:admin").Repos.Delete(ctx, hubsim.DemoOrg, "kept"); err != nil {
		t.Errorf("repo:admin PAT delete: %v", err)
	}
	e.nothingSent("read-only", func() error {
		_, err := e.client(hubsim.DemoUser, hubsim.DemoPassword, hubclient.WithReadOnly()).Repos.Delete(ctx, hubsim.DemoOrg, "web")
		return err
	}, isReadOnly)
	e.nothingSent("no repository", func() error { _, err := c.Repos.Delete(ctx, hubsim.DemoOrg, ""); return err }, isValidation("repository"))
}

func TestRepoImmutableTags(t *testing.T) {
	e := newRPEnv(t)
	ctx := context.Background()
	c := e.owner()
	info, _, err := c.Repos.UpdateImmutableTags(ctx, hubsim.DemoOrg, "web", hubclient.ImmutableTagsRequest{Enabled: true, Rules: []string{"v.*", "stable"}})
	if err != nil {
		t.Fatal(err)
	}
	if !info.ImmutableTagsSettings.Enabled || !slices.Equal(info.ImmutableTagsSettings.Rules, []string{"v.*", "stable"}) {
		t.Errorf("settings %+v", info.ImmutableTagsSettings)
	}
	ev := e.wantAudit("repo.immutable.tags.updated", "acme/web", hubsim.DemoUser)
	if ev.Data["immutable_tags"] != "true" || ev.Data["rules"] != "v.*,stable" {
		t.Errorf("audit data %v", ev.Data)
	}
	if got, _, err := c.Repos.Get(ctx, hubsim.DemoOrg, "web"); err != nil || !got.ImmutableTagsSettings.Enabled {
		t.Errorf("get: %+v %v", got, err)
	}

	// Verify previews a rule against the tags.
	tags, _, err := c.Repos.VerifyImmutableTags(ctx, hubsim.DemoOrg, "web", "v1.*")
	if err != nil || len(tags) == 0 {
		t.Fatalf("verify: %v %v", tags, err)
	}
	for _, tg := range tags {
		if !strings.HasPrefix(tg, "v1") {
			t.Errorf("verify v1.* matched %s", tg)
		}
	}
	if tags, _, err := c.Repos.VerifyImmutableTags(ctx, hubsim.DemoOrg, "web", "latest"); err != nil || !slices.Equal(tags, []string{"latest"}) {
		t.Errorf("verify latest: %v %v", tags, err)
	}
	if tags, _, err := c.Repos.VerifyImmutableTags(ctx, hubsim.DemoOrg, "web", "nothing-.*"); err != nil || tags == nil || len(tags) != 0 {
		t.Errorf("verify no match: %#v %v", tags, err)
	}

	// A protected tag cannot be deleted; another can.
	_, err = c.Tags.Delete(ctx, hubsim.DemoOrg, "web", tags0(t, c, "v1"))
	if !errors.Is(err, hubclient.ErrImmutableTag) || !hubclient.IsStatus(err, http.StatusBadRequest) || !strings.Contains(err.Error(), `"v.*"`) {
		t.Errorf("delete immutable: %v", err)
	}
	_, err = c.Tags.Delete(ctx, hubsim.DemoOrg, "web", "stable")
	if !errors.Is(err, hubclient.ErrImmutableTag) {
		t.Errorf("delete stable: %v", err)
	}
	if _, err := c.Tags.Delete(ctx, hubsim.DemoOrg, "web", "edge"); err != nil {
		t.Errorf("delete edge: %v", err)
	}
	// Turned off, nothing is protected.
	if _, _, err := c.Repos.UpdateImmutableTags(ctx, hubsim.DemoOrg, "web", hubclient.ImmutableTagsRequest{}); err != nil {
		t.Fatal(err)
	}
	if ev := e.lastAudit(); ev.Action != "repo.immutable.tags.updated" || ev.Data["immutable_tags"] != "false" {
		t.Errorf("audit %+v", ev)
	}
	if _, err := c.Tags.Delete(ctx, hubsim.DemoOrg, "web", "stable"); err != nil {
		t.Errorf("delete stable after turning off: %v", err)
	}

	// Who may: admins of the repository only.
	_, _, err = e.member().Repos.UpdateImmutableTags(ctx, hubsim.DemoOrg, "web", hubclient.ImmutableTagsRequest{})
	wantStatus(t, "member update", err, http.StatusForbidden)
	_, _, err = e.pat("repo:write").Repos.VerifyImmutableTags(ctx, hubsim.DemoOrg, "web", "v.*")
	wantStatus(t, "repo:write PAT verify", err, http.StatusForbidden)
	_, _, err = c.Repos.VerifyImmutableTags(ctx, hubsim.DemoOrg, "nope", "v.*")
	wantStatus(t, "verify missing repository", err, http.StatusNotFound)

	e.nothingSent("bad rule", func() error {
		_, _, err := c.Repos.UpdateImmutableTags(ctx, hubsim.DemoOrg, "web", hubclient.ImmutableTagsRequest{Enabled: true, Rules: []string{"v(.*"}})
		return err
	}, isValidation("immutable_tags_rules"))
	e.nothingSent("empty regex", func() error {
		_, _, err := c.Repos.VerifyImmutableTags(ctx, hubsim.DemoOrg, "web", "")
		return err
	}, isValidation("regex"))
	e.nothingSent("read-only", func() error {
		_, _, err := e.client(hubsim.DemoUser, hubsim.DemoPassword, hubclient.WithReadOnly()).Repos.UpdateImmutableTags(ctx, hubsim.DemoOrg, "web", hubclient.ImmutableTagsRequest{})
		return err
	}, isReadOnly)
	for _, body := range []string{`{"immutable_tags":true,"immutable_tags_rules":[]}`, `{"immutable_tags":true}`, `{"immutable_tags":true,"immutable_tags_rules":["("]}`} {
		if st, resp := e.rawChecked(c, "PATCH", "/v2/namespaces/acme/repositories/web/immutabletags", "application/json", body); st != 400 || !strings.Contains(resp, "immutable_tags_rules") {
			t.Errorf("sim %s: %d %s", body, st, resp)
		}
	}
	if st, _ := e.rawChecked(c, "POST", "/v2/namespaces/acme/repositories/web/immutabletags/verify", "application/json", `{"regex":"("}`); st != 400 {
		t.Errorf("sim bad regex: %d", st)
	}
}

// tags0 returns the name of a tag of acme/web containing prefix.
func tags0(t *testing.T, c *hubclient.Client, prefix string) string {
	t.Helper()
	tags, _, err := c.Tags.List(context.Background(), hubsim.DemoOrg, "web", &hubclient.TagListOptions{Name: prefix})
	if err != nil || len(tags) == 0 {
		t.Fatalf("no %s tag: %v", prefix, err)
	}
	return tags[0].Name
}

func TestRepoGroups(t *testing.T) {
	e := newRPEnv(t)
	ctx := context.Background()
	c := e.owner()
	// Find a team id through the repositories that already grant some.
	var team hubclient.RepositoryGroup
	for _, r := range rpListAll(t, c, hubclient.RepoListOptions{}) {
		gs, resp, err := c.Repos.ListGroups(ctx, hubsim.DemoOrg, r.Name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Count != len(gs) {
			t.Errorf("%s: count %d rows %d", r.Name, resp.Count, len(gs))
		}
		if len(gs) > 0 {
			team = gs[0]
			break
		}
	}
	if team.GroupID == 0 || team.GroupName == "" {
		t.Fatal("no team holds a permission on any demo repository")
	}
	if _, _, err := c.Repos.Create(ctx, hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: "team-target"}); err != nil {
		t.Fatal(err)
	}
	g, resp, err := c.Repos.CreateGroup(ctx, hubsim.DemoOrg, "team-target", team.GroupID, hubclient.RepoPermissionWrite)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatal(err)
	}
	if *g != (hubclient.RepositoryGroup{GroupName: team.GroupName, Permission: "write", GroupID: team.GroupID}) {
		t.Errorf("group %+v", g)
	}
	ev := e.wantAudit("repo.team.permission.add", "acme/team-target", hubsim.DemoUser)
	if ev.Data["team"] != team.GroupName || ev.Data["permission"] != "write" {
		t.Errorf("audit data %v", ev.Data)
	}
	// Granting again replaces the permission.
	if _, _, err := c.Repos.CreateGroup(ctx, hubsim.DemoOrg, "team-target", team.GroupID, hubclient.RepoPermissionAdmin); err != nil {
		t.Fatal(err)
	}
	gs, _, err := c.Repos.ListGroups(ctx, hubsim.DemoOrg, "team-target", &hubclient.ListOptions{PageSize: 5})
	if err != nil || len(gs) != 1 || gs[0].Permission != "admin" {
		t.Fatalf("groups %+v %v", gs, err)
	}

	_, _, err = c.Repos.CreateGroup(ctx, hubsim.DemoOrg, "team-target", 999999999, hubclient.RepoPermissionRead)
	wantStatus(t, "unknown team", err, http.StatusNotFound)
	_, _, err = c.Repos.CreateGroup(ctx, hubsim.DemoOrg, "nope", team.GroupID, hubclient.RepoPermissionRead)
	wantStatus(t, "unknown repository", err, http.StatusNotFound)
	_, _, err = e.member().Repos.CreateGroup(ctx, hubsim.DemoOrg, "team-target", team.GroupID, hubclient.RepoPermissionRead)
	wantStatus(t, "member", err, http.StatusForbidden)
	_, _, err = e.pat("repo:write").Repos.CreateGroup(ctx, hubsim.DemoOrg, "team-target", team.GroupID, hubclient.RepoPermissionRead)
	wantStatus(t, "repo:write PAT", err, http.StatusForbidden)
	_, _, err = e.client(hubsim.OutsiderUser, hubsim.OutsiderUser).Repos.ListGroups(ctx, hubsim.DemoOrg, "web", nil)
	if !hubclient.IsStatus(err, 403) && !hubclient.IsStatus(err, 404) {
		t.Errorf("outsider list: %v", err)
	}
	e.nothingSent("bad permission", func() error {
		_, _, err := c.Repos.CreateGroup(ctx, hubsim.DemoOrg, "team-target", team.GroupID, "owner")
		return err
	}, isValidation("permission"))
	e.nothingSent("no group", func() error {
		_, _, err := c.Repos.CreateGroup(ctx, hubsim.DemoOrg, "team-target", 0, "read")
		return err
	}, isValidation("group_id"))
	e.nothingSent("read-only", func() error {
		_, _, err := e.client(hubsim.DemoUser, hubsim.DemoPassword, hubclient.WithReadOnly()).Repos.CreateGroup(ctx, hubsim.DemoOrg, "web", team.GroupID, "read")
		return err
	}, isReadOnly)
	if st, body := e.rawChecked(c, "POST", "/v2/repositories/acme/team-target/groups", "application/json", `{"group_id":1,"permission":"owner"}`); st != 400 || !strings.Contains(body, "permission") {
		t.Errorf("sim bad permission: %d %s", st, body)
	}

	// Remove it.
	if _, err := c.Repos.DeleteGroup(ctx, hubsim.DemoOrg, "team-target", team.GroupID); err != nil {
		t.Fatal(err)
	}
	e.wantAudit("repo.team.permission.remove", "acme/team-target", hubsim.DemoUser)
	_, err = c.Repos.DeleteGroup(ctx, hubsim.DemoOrg, "team-target", team.GroupID)
	wantStatus(t, "remove twice", err, http.StatusNotFound)
	if gs, _, err := c.Repos.ListGroups(ctx, hubsim.DemoOrg, "team-target", nil); err != nil || len(gs) != 0 {
		t.Errorf("after remove: %+v %v", gs, err)
	}

	// Deleting a repository drops its team permissions: a new one of the
	// same name starts clean.
	if _, _, err := c.Repos.CreateGroup(ctx, hubsim.DemoOrg, "team-target", team.GroupID, "read"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Repos.Delete(ctx, hubsim.DemoOrg, "team-target"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Repos.Create(ctx, hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: "team-target"}); err != nil {
		t.Fatal(err)
	}
	if gs, _, err := c.Repos.ListGroups(ctx, hubsim.DemoOrg, "team-target", nil); err != nil || len(gs) != 0 {
		t.Errorf("recreated repository inherits %+v %v", gs, err)
	}
}
