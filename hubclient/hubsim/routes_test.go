package hubsim

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient/hubsim/contract"
)

// servedOutsideDocument lists the routes hubsim serves that Docker's API
// document does not describe (as "METHOD /path/{template}"), so that
// route tests cover them as well as the documented operations.
func servedOutsideDocument() []string {
	return []string{
		"GET /v2/user",
		"GET /v2/user/orgs",
		"GET /api/v1.1/users/{username}",
		"PATCH /api/v1.1/users/{username}",
		"GET /api/v1.1/users/{username}/emails",
		"POST /api/v1.1/users/{username}/emails",
		"DELETE /api/v1.1/users/{username}/emails",
		"GET /v2/repositories/{namespace}",
		"GET /v2/repositories/{namespace}/{repository}",
		"PATCH /v2/repositories/{namespace}/{repository}",
		"DELETE /v2/repositories/{namespace}/{repository}",
		"POST /v2/repositories/{namespace}/{repository}/privacy",
		"GET /v2/repositories/{namespace}/{repository}/tags",
		"GET /v2/repositories/{namespace}/{repository}/tags/{tag}",
		"DELETE /v2/repositories/{namespace}/{repository}/tags/{tag}",
		"GET /v2/repositories/{namespace}/{repository}/groups",
		"GET /v2/repositories/{namespace}/{repository}/groups/{group_id}",
		"PATCH /v2/repositories/{namespace}/{repository}/groups/{group_id}",
		"DELETE /v2/repositories/{namespace}/{repository}/groups/{group_id}",
		"GET /v2/orgs/{org_name}",
		"GET /v2/orgs/{org_name}/settings/registry-access-management",
		"PUT /v2/orgs/{org_name}/settings/registry-access-management",
		"GET /v2/namespaces/{namespace}/repositories/{repository}/images",
		"GET /v2/namespaces/{namespace}/repositories/{repository}/images/{digest}/tags",
		"GET /v2/namespaces/{namespace}/repositories/{repository}/images-summary",
		"POST /v2/namespaces/{namespace}/delete-images",
	}
}

// TestTrailingSlashIsSameRoute asks the router, for every documented
// operation and every route served outside the document, where the path
// goes with and without a trailing slash: both spellings must reach the
// same route, never the 404 fallback.
func TestTrailingSlashIsSameRoute(t *testing.T) {
	v, err := contract.Load("testdata/hub-api.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Dataset: "empty", RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ops := append(append(v.Operations(), v.Legacy()...), servedOutsideDocument()...)
	fill := strings.NewReplacer("{", "p", "}", "")
	for _, op := range ops {
		method, path, _ := strings.Cut(op, " ")
		bare := fill.Replace(path)
		var routes []string
		for _, p := range []string{bare, bare + "/"} {
			_, pattern := s.mux.Handler(httptest.NewRequest(method, p, nil))
			if pattern == "" || pattern == "/" {
				t.Errorf("%s %s is not routed (pattern %q)", method, p, pattern)
				continue
			}
			routes = append(routes, strings.TrimSuffix(pattern, "/{$}"))
		}
		if len(routes) == 2 && routes[0] != routes[1] {
			t.Errorf("%s %s and %s/ reach different routes: %q and %q", method, bare, bare, routes[0], routes[1])
		}
	}
}
