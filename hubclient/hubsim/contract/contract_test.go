package contract_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hubtui/hubtui/hubclient/hubsim/contract"
)

const documentPath = "../testdata/hub-api.yaml"

func load(t *testing.T) *contract.Validator {
	t.Helper()
	v, err := contract.Load(documentPath)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// exchange is one canned answer of a test server.
type exchange struct {
	status      int
	contentType string
	header      map[string]string
	body        string
}

// serve starts a server that answers every request with ex and returns a
// client whose transport checks each exchange, and the reported errors.
func serve(t *testing.T, v *contract.Validator, ex exchange) (*http.Client, string, func() []error) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if ex.contentType != "" {
			w.Header().Set("Content-Type", ex.contentType)
		}
		for k, val := range ex.header {
			w.Header().Set(k, val)
		}
		w.WriteHeader(ex.status)
		io.WriteString(w, ex.body)
	}))
	t.Cleanup(srv.Close)
	var mu sync.Mutex
	var errs []error
	client := &http.Client{Transport: v.Transport(srv.Client().Transport, func(err error) {
		mu.Lock()
		defer mu.Unlock()
		errs = append(errs, err)
	})}
	return client, srv.URL, func() []error {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(errs)
	}
}

func do(t *testing.T, c *http.Client, method, url, body string) []byte {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer test")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// oneError returns the single reported error, failing the test otherwise.
func oneError(t *testing.T, errs []error) error {
	t.Helper()
	if len(errs) != 1 {
		t.Fatalf("got %d reported errors, want 1: %v", len(errs), errs)
	}
	return errs[0]
}

func wantNoErrors(t *testing.T, errs []error) {
	t.Helper()
	for _, err := range errs {
		t.Error(err)
	}
}

// tagList is a page of tags as the Hub answers it.
const tagList = `{
  "count": 2,
  "next": null,
  "previous": null,
  "results": [
    {
      "creator": 7, "id": 11, "last_updated": "2026-01-05T21:06:53.506400Z",
      "last_updater": 7, "last_updater_username": "jonsnow", "name": "latest",
      "repository": 3, "full_size": 3653479, "v2": true, "tag_status": "active",
      "status": "active", "tag_last_pulled": null, "tag_last_pushed": "2026-01-05T21:06:53.506400Z",
      "media_type": "application/vnd.oci.image.index.v1+json", "content_type": "image",
      "digest": "sha256:aa",
      "images": [
        {"architecture": "amd64", "features": "", "variant": null, "digest": "sha256:bb",
         "os": "linux", "os_features": "", "os_version": null, "size": 3653479,
         "status": "active", "last_pulled": null, "last_pushed": "2026-01-05T21:06:53.506400Z"},
        {"architecture": "arm", "features": "", "variant": "v7", "digest": "sha256:cc",
         "os": "linux", "os_features": "", "os_version": null, "size": 3100000,
         "status": "inactive", "last_pulled": null, "last_pushed": null}
      ]
    },
    {"id": 12, "name": "1.0", "v2": true, "images": [], "last_updated": null}
  ]
}`

const tagsURL = "/v2/namespaces/acme/repositories/web/tags?page=1&page_size=2"

func TestValidTagListPasses(t *testing.T) {
	v := load(t)
	c, base, errs := serve(t, v, exchange{status: 200, contentType: "application/json", body: tagList})
	got := do(t, c, "GET", base+tagsURL, "")
	wantNoErrors(t, errs())
	if string(got) != tagList {
		t.Errorf("the transport changed the body the caller reads:\n%s", got)
	}
}

// repository is a repository_info answer; drop removes one field.
func repository(drop string) string {
	fields := []string{
		`"user": "acme"`, `"name": "web"`, `"namespace": "acme"`, `"repository_type": "image"`,
		`"status": 1`, `"status_description": "active"`, `"description": ""`, `"is_private": false`,
		`"is_automated": false`, `"star_count": 0`, `"pull_count": 12`,
		`"last_updated": "2026-01-05T21:06:53.506400Z"`, `"last_modified": null`,
		`"date_registered": "2025-01-05T21:06:53Z"`, `"collaborator_count": 0`, `"affiliation": null`,
		`"hub_user": "acme"`, `"has_starred": false`, `"full_description": null`,
		`"permissions": {"read": true, "write": true, "admin": true}`,
		`"media_types": []`, `"content_types": []`, `"categories": []`,
		`"immutable_tags_settings": {"enabled": false, "rules": []}`, `"storage_size": null`, `"source": null`,
	}
	fields = slices.DeleteFunc(fields, func(f string) bool { return strings.HasPrefix(f, `"`+drop+`"`) })
	return "{" + strings.Join(fields, ", ") + "}"
}

func TestRepositoryPasses(t *testing.T) {
	v := load(t)
	c, base, errs := serve(t, v, exchange{status: 200, contentType: "application/json", body: repository("")})
	do(t, c, "GET", base+"/v2/namespaces/acme/repositories/web", "")
	wantNoErrors(t, errs())
}

func TestMissingRequiredFieldFails(t *testing.T) {
	v := load(t)
	c, base, errs := serve(t, v, exchange{status: 200, contentType: "application/json", body: repository("permissions")})
	do(t, c, "GET", base+"/v2/namespaces/acme/repositories/web", "")
	err := oneError(t, errs())
	var ce *contract.Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %v is a %T, want *contract.Error", err, err)
	}
	msg := err.Error()
	for _, want := range []string{"GET", "/v2/namespaces/acme/repositories/web", "200", `"permissions"`, "missing"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not name %q:\n%s", want, msg)
		}
	}
	if ce.Operation != "GET /v2/namespaces/{namespace}/repositories/{repository}" || ce.Status != 200 {
		t.Errorf("error names operation %q status %d", ce.Operation, ce.Status)
	}
}

func TestWrongFieldTypeNamesField(t *testing.T) {
	v := load(t)
	body := strings.Replace(tagList, `"full_size": 3653479`, `"full_size": "3.6 MB"`, 1)
	c, base, errs := serve(t, v, exchange{status: 200, contentType: "application/json", body: body})
	do(t, c, "GET", base+tagsURL, "")
	msg := oneError(t, errs()).Error()
	if !strings.Contains(msg, "/results/0/full_size") {
		t.Errorf("error does not name the field:\n%s", msg)
	}
}

func TestWrongStatusFails(t *testing.T) {
	v := load(t)
	c, base, errs := serve(t, v, exchange{status: http.StatusCreated, contentType: "application/json", body: tagList})
	do(t, c, "GET", base+tagsURL, "")
	msg := oneError(t, errs()).Error()
	for _, want := range []string{"GET", "/v2/namespaces/acme/repositories/web/tags", "201", "not documented"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not name %q:\n%s", want, msg)
		}
	}
}

func TestWrongContentTypeFails(t *testing.T) {
	v := load(t)
	c, base, errs := serve(t, v, exchange{status: 200, contentType: "text/plain", body: tagList})
	do(t, c, "GET", base+tagsURL, "")
	if msg := oneError(t, errs()).Error(); !strings.Contains(msg, "text/plain") {
		t.Errorf("error does not name the content type:\n%s", msg)
	}
}

func TestRateLimitedAnswerNeedsRetryAfter(t *testing.T) {
	v := load(t)
	c, base, errs := serve(t, v, exchange{status: 429, contentType: "application/json", body: `{}`,
		header: map[string]string{"Retry-After": "12"}})
	do(t, c, "GET", base+tagsURL, "")
	wantNoErrors(t, errs())

	c, base, errs = serve(t, v, exchange{status: 429, contentType: "application/json", body: `{}`})
	do(t, c, "GET", base+tagsURL, "")
	if msg := oneError(t, errs()).Error(); !strings.Contains(msg, "Retry-After") {
		t.Errorf("error does not name Retry-After:\n%s", msg)
	}
}

func TestUndocumentedOperation(t *testing.T) {
	v := load(t)
	c, base, errs := serve(t, v, exchange{status: 200, contentType: "application/json", body: `{"count": 0}`})
	do(t, c, "GET", base+"/v2/namespaces/acme/repositories/web/images", "")
	do(t, c, "DELETE", base+"/v2/namespaces/acme/repositories/web", "")
	got := errs()
	if len(got) != 2 {
		t.Fatalf("got %d errors, want 2: %v", len(got), got)
	}
	for _, err := range got {
		if !errors.Is(err, contract.ErrUndocumented) {
			t.Errorf("%v does not match ErrUndocumented", err)
		}
	}
	req := httptest.NewRequest("GET", "/api/v1.1/users/jonsnow/", nil)
	if _, err := v.Match(req); !errors.Is(err, contract.ErrUndocumented) {
		t.Errorf("Match: %v, want ErrUndocumented", err)
	}
}

func TestRequestChecks(t *testing.T) {
	v := load(t)
	c, base, errs := serve(t, v, exchange{status: 201, contentType: "application/json",
		body: `{"id": 1, "uuid": "u", "name": "devs", "description": "", "member_count": 0}`})

	do(t, c, "POST", base+"/v2/orgs/acme/groups", `{"name": "devs", "description": "Developers"}`)
	wantNoErrors(t, errs())

	do(t, c, "POST", base+"/v2/orgs/acme/groups", `{"description": "no name"}`)
	if msg := oneError(t, errs()).Error(); !strings.Contains(msg, "request body") || !strings.Contains(msg, `"name"`) {
		t.Errorf("error does not name the request body field:\n%s", msg)
	}

	c, base, errs = serve(t, v, exchange{status: 200, contentType: "application/json", body: tagList})
	do(t, c, "GET", base+"/v2/namespaces/acme/repositories/web/tags?page=two", "")
	if msg := oneError(t, errs()).Error(); !strings.Contains(msg, `query parameter "page"`) {
		t.Errorf("error does not name the parameter:\n%s", msg)
	}
}

func TestMembersExportCSV(t *testing.T) {
	v := load(t)
	const url = "/v2/orgs/acme/members/export"
	good := "Name,Username,Email,Type,Permission,Teams,Date Joined\n" +
		"Jon Snow,jonsnow,jon@example.com,User,Owner,\"owners, devs\",2020-01-01 15:00:51.193355 +0000 UTC\n" +
		",,sam@example.com,Invitee,Member,,2020-02-01 15:00:51.193355 +0000 UTC\n"
	c, base, errs := serve(t, v, exchange{status: 200, contentType: "text/csv", body: good})
	do(t, c, "GET", base+url, "")
	wantNoErrors(t, errs())

	bad := strings.Replace(good, "User,Owner", "Robot,Owner", 1)
	c, base, errs = serve(t, v, exchange{status: 200, contentType: "text/csv", body: bad})
	do(t, c, "GET", base+url, "")
	if msg := oneError(t, errs()).Error(); !strings.Contains(msg, "/0/Type") {
		t.Errorf("error does not name the CSV cell:\n%s", msg)
	}
}

func TestHeadAndNoContent(t *testing.T) {
	v := load(t)
	c, base, errs := serve(t, v, exchange{status: 200})
	do(t, c, "HEAD", base+"/v2/namespaces/acme/repositories/web/tags/latest", "")
	c2, base2, errs2 := serve(t, v, exchange{status: 204})
	do(t, c2, "DELETE", base2+"/v2/orgs/acme/groups/devs", "")
	wantNoErrors(t, append(errs(), errs2()...))
}

func TestTransportRestoresRequestBody(t *testing.T) {
	v := load(t)
	const body = `{"token_label": "ci", "scopes": ["repo:read"]}`
	var got []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(201)
		io.WriteString(w, `{"uuid": "u", "token_label": "ci", "scopes": ["repo:read"], "is_active": true, "token": "dckr_pat_x"}`)
	}))
	defer srv.Close()
	var reported []error
	c := &http.Client{Transport: v.Transport(nil, func(err error) { reported = append(reported, err) })}
	resp, err := c.Post(srv.URL+"/v2/access-tokens", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if string(got) != body {
		t.Errorf("server read %q, want %q", got, body)
	}
	wantNoErrors(t, reported)
}

func TestTruncatedBodyIsNotChecked(t *testing.T) {
	v := load(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "1000")
		io.WriteString(w, `{"count": 1, "res`)
	}))
	defer srv.Close()
	var reported []error
	c := &http.Client{Transport: v.Transport(nil, func(err error) { reported = append(reported, err) })}
	resp, err := c.Get(srv.URL + tagsURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil {
		t.Errorf("reading a truncated body succeeded: %q", b)
	}
	if !bytes.HasPrefix([]byte(`{"count": 1, "res`), b) || len(b) == 0 {
		t.Errorf("caller read %q", b)
	}
	wantNoErrors(t, reported)
}

func TestConcurrentChecks(t *testing.T) {
	v := load(t)
	c, base, errs := serve(t, v, exchange{status: 200, contentType: "application/json", body: tagList})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 5 {
				do(t, c, "GET", base+tagsURL, "")
			}
		})
	}
	wg.Wait()
	wantNoErrors(t, errs())
}

func TestOperations(t *testing.T) {
	v := load(t)
	ops := v.Operations()
	for _, want := range []string{
		"GET /v2/namespaces/{namespace}/repositories/{repository}/tags",
		"HEAD /v2/namespaces/{namespace}/repositories/{repository}/tags/{tag}",
		"POST /v2/auth/token",
		"GET /v2/orgs/{org_name}/members/export",
		"PUT /v2/scim/2.0/Users/{id}",
	} {
		if !slices.Contains(ops, want) {
			t.Errorf("Operations lacks %q", want)
		}
	}
	if !slices.IsSortedFunc(ops, func(a, b string) int {
		_, ap, _ := strings.Cut(a, " ")
		_, bp, _ := strings.Cut(b, " ")
		return strings.Compare(ap, bp)
	}) {
		t.Errorf("Operations are not sorted by path: %v", ops)
	}
	for _, op := range ops {
		method, path, _ := strings.Cut(op, " ")
		url := strings.NewReplacer("{", "x", "}", "x").Replace(path)
		got, err := v.Match(httptest.NewRequest(method, url, nil))
		if err != nil || got != op {
			t.Errorf("Match(%s %s) = %q, %v; want %q", method, url, got, err, op)
		}
	}
}

// TestGeneratedDocumentUpToDate regenerates the reduced document from Docker's
// document and compares it with the committed copy, so that nobody edits the
// copy by hand. HUB_API_DOCUMENT names Docker's document; by default it is
// shared/reference/hub-api-latest.yaml beside the repository.
func TestGeneratedDocumentUpToDate(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	src := os.Getenv("HUB_API_DOCUMENT")
	if src == "" {
		src = filepath.Join(root, "..", "shared", "reference", "hub-api-latest.yaml")
	}
	if _, err := os.Stat(src); err != nil {
		t.Skipf("Docker's document is not here (%v); set HUB_API_DOCUMENT", err)
	}
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	out := filepath.Join(t.TempDir(), "hub-api.yaml")
	cmd := exec.Command(gotool, "run", "./hubclient/hubsim/internal/specgen", "-in", src, "-out", out)
	cmd.Dir = root
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("specgen: %v\n%s", err, msg)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(documentPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not what specgen makes of %s; regenerate it as hubclient/hubsim/testdata/README.md says", documentPath, src)
	}
}

// moduleRoot finds the directory of go.mod above the working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// TestTrailingSlashIsTheSameOperation checks that a path with a trailing
// slash matches, and is checked as, the documented operation without it.
func TestTrailingSlashIsTheSameOperation(t *testing.T) {
	v := load(t)
	for p, want := range map[string]string{
		"/v2/orgs/acme/members/":                     "GET /v2/orgs/{org_name}/members",
		"/v2/namespaces/acme/repositories/web/tags/": "GET /v2/namespaces/{namespace}/repositories/{repository}/tags",
		"/v2/scim/2.0/Users/":                        "GET /v2/scim/2.0/Users",
	} {
		if op, err := v.Match(httptest.NewRequest("GET", p, nil)); op != want || err != nil {
			t.Errorf("Match(GET %s) = %q, %v; want %q", p, op, err, want)
		}
	}
	c, base, errs := serve(t, v, exchange{status: 200, contentType: "application/json", body: tagList})
	do(t, c, "GET", base+"/v2/namespaces/acme/repositories/web/tags/?page=1&page_size=2", "")
	wantNoErrors(t, errs())

	bad := strings.Replace(tagList, `"full_size": 3653479`, `"full_size": "3.6 MB"`, 1)
	c, base, errs = serve(t, v, exchange{status: 200, contentType: "application/json", body: bad})
	do(t, c, "GET", base+"/v2/namespaces/acme/repositories/web/tags/", "")
	err := oneError(t, errs())
	var ce *contract.Error
	if !errors.As(err, &ce) || ce.Operation != "GET /v2/namespaces/{namespace}/repositories/{repository}/tags" ||
		ce.Path != "/v2/namespaces/acme/repositories/web/tags/" || !strings.Contains(err.Error(), "/results/0/full_size") {
		t.Errorf("bad body under a trailing slash: %v", err)
	}
}

// TestLegacyRoutesCheckedAgainstTheirShape checks that a legacy route the
// document gives a shape for is checked against that shape, with or
// without a trailing slash, and that one without a shape is reported as
// legacy (which callers skip as undocumented).
func TestLegacyRoutesCheckedAgainstTheirShape(t *testing.T) {
	v := load(t)
	for _, tc := range []struct {
		method, path, reqBody, body string
	}{
		{"GET", "/v2/repositories/acme/web/", "", repository("")},
		{"GET", "/v2/repositories/acme/web", "", repository("")},
		{"POST", "/v2/repositories/acme/web/privacy", `{"is_private": true}`, repository("")},
		{"GET", "/v2/repositories/acme/web/tags/?page=1&page_size=2", "", tagList},
		{"GET", "/v2/repositories/acme/web/groups/7/", "", `{"group_id": 7, "group_name": "platform", "permission": "write"}`},
		{"PATCH", "/v2/repositories/acme/web/groups/7/", `{"group_id": 0, "group_name": "", "permission": "admin"}`,
			`{"group_id": 7, "group_name": "platform", "permission": "admin"}`},
	} {
		c, base, errs := serve(t, v, exchange{status: 200, contentType: "application/json", body: tc.body})
		do(t, c, tc.method, base+tc.path, tc.reqBody)
		wantNoErrors(t, errs())
	}

	// A repository without permissions is not a repository_info.
	c, base, errs := serve(t, v, exchange{status: 200, contentType: "application/json", body: repository("permissions")})
	do(t, c, "GET", base+"/v2/repositories/acme/web/", "")
	err := oneError(t, errs())
	var ce *contract.Error
	if !errors.As(err, &ce) || ce.Operation != "legacy GET /v2/repositories/{namespace}/{repository}" ||
		!strings.Contains(err.Error(), "permissions") {
		t.Errorf("legacy repository without permissions: %v", err)
	}

	// A permission outside read/write/admin fails, in the answer and in the request.
	c, base, errs = serve(t, v, exchange{status: 200, contentType: "application/json", body: `{"group_id": 7, "permission": "owner"}`})
	do(t, c, "PATCH", base+"/v2/repositories/acme/web/groups/7/", `{"permission": "root"}`)
	err = oneError(t, errs())
	if !errors.As(err, &ce) || len(ce.Problems) != 2 || !strings.Contains(err.Error(), "request body") || !strings.Contains(err.Error(), "response body") {
		t.Errorf("bad permission: %v", err)
	}

	// A tag whose images are one object instead of a list.
	c, base, errs = serve(t, v, exchange{status: 200, contentType: "application/json", body: `{"name": "latest", "images": {}}`})
	do(t, c, "GET", base+"/v2/repositories/acme/web/tags/latest", "")
	if err := oneError(t, errs()); !strings.Contains(err.Error(), "/images") {
		t.Errorf("tag with images as an object: %v", err)
	}

	// Legacy routes the document has no shape for are reported as legacy.
	for _, p := range []string{"/v2/orgs/acme/", "/v2/orgs/acme/settings/registry-access-management"} {
		c, base, errs = serve(t, v, exchange{status: 200, contentType: "application/json", body: `{}`})
		do(t, c, "GET", base+p, "")
		err := oneError(t, errs())
		if !errors.Is(err, contract.ErrLegacy) || !errors.Is(err, contract.ErrUndocumented) {
			t.Errorf("GET %s: %v, want ErrLegacy and ErrUndocumented", p, err)
		}
		if _, err := v.Match(httptest.NewRequest("GET", p, nil)); !errors.Is(err, contract.ErrUndocumented) {
			t.Errorf("Match(GET %s): %v, want ErrUndocumented", p, err)
		}
	}
	// An error answer of a legacy route is checked as the error shape.
	c, base, errs = serve(t, v, exchange{status: 404, contentType: "application/json", body: `{"detail": 404}`})
	do(t, c, "GET", base+"/v2/repositories/acme/web/", "")
	if err := oneError(t, errs()); !strings.Contains(err.Error(), "/detail") {
		t.Errorf("legacy error with a numeric detail: %v", err)
	}
	if got := v.Legacy(); !slices.Contains(got, "GET /v2/repositories/{namespace}/{repository}") || !slices.Contains(got, "PUT /v2/orgs/{org_name}/settings/registry-access-management") {
		t.Errorf("Legacy() = %v", got)
	}
}
