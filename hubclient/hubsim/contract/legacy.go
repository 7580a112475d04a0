package contract

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// legacyRoute is a route the Hub serves outside the OpenAPI document: an
// older spelling of a documented operation or an operation Docker never
// documented, which Docker's own clients (hub-tool, the Terraform
// provider) still call. Where the document has a component schema for
// the bodies the route exchanges, the route names it and Check holds the
// exchange to it.
type legacyRoute struct {
	method, path string // path template; {name} stands for one segment
	// request is the component schema of the JSON request body, "" when
	// the document has none.
	request string
	// response is the component schema of a 2xx JSON answer, "" when the
	// document has none. Error answers are held to the schema `error`.
	response string
}

// legacyRoutes lists the legacy routes, each without its trailing slash
// (the Hub answers both spellings).
func legacyRoutes() []legacyRoute {
	return []legacyRoute{
		{method: http.MethodGet, path: "/v2/user", response: "user"},
		{method: http.MethodGet, path: "/v2/user/orgs"},
		{method: http.MethodGet, path: "/v2/orgs/{org_name}"},
		{method: http.MethodGet, path: "/v2/orgs/{org_name}/settings/registry-access-management"},
		{method: http.MethodPut, path: "/v2/orgs/{org_name}/settings/registry-access-management"},
		{method: http.MethodGet, path: "/v2/repositories/{namespace}", response: "list_repositories_response"},
		{method: http.MethodGet, path: "/v2/repositories/{namespace}/{repository}", response: "repository_info"},
		{method: http.MethodPatch, path: "/v2/repositories/{namespace}/{repository}", response: "repository_info"},
		{method: http.MethodDelete, path: "/v2/repositories/{namespace}/{repository}"},
		{method: http.MethodPost, path: "/v2/repositories/{namespace}/{repository}/privacy", response: "repository_info"},
		{method: http.MethodGet, path: "/v2/repositories/{namespace}/{repository}/tags", response: "paginated_tags"},
		{method: http.MethodGet, path: "/v2/repositories/{namespace}/{repository}/tags/{tag}", response: "tag"},
		{method: http.MethodDelete, path: "/v2/repositories/{namespace}/{repository}/tags/{tag}"},
		{method: http.MethodGet, path: "/v2/repositories/{namespace}/{repository}/groups"},
		{method: http.MethodGet, path: "/v2/repositories/{namespace}/{repository}/groups/{group_id}", response: "RepositoryGroup"},
		{method: http.MethodPatch, path: "/v2/repositories/{namespace}/{repository}/groups/{group_id}",
			request: "team_repo", response: "RepositoryGroup"},
		{method: http.MethodDelete, path: "/v2/repositories/{namespace}/{repository}/groups/{group_id}"},
	}
}

// Legacy lists the legacy routes Check knows, as "METHOD /path", sorted by
// path and then method. They are not operations of the document: Match
// does not match them and Operations does not list them.
func (v *Validator) Legacy() []string {
	routes := legacyRoutes()
	out := make([]string, 0, len(routes))
	for _, lr := range routes {
		out = append(out, lr.method+" "+lr.path)
	}
	slices.SortFunc(out, func(a, b string) int {
		am, ap, _ := strings.Cut(a, " ")
		bm, bp, _ := strings.Cut(b, " ")
		if c := strings.Compare(ap, bp); c != 0 {
			return c
		}
		return strings.Compare(am, bm)
	})
	return out
}

// matchLegacy finds the legacy route of req, ignoring a trailing slash.
func matchLegacy(req *http.Request) (legacyRoute, bool) {
	path := req.URL.Path
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	segs := strings.Split(path, "/")
	method := req.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	for _, lr := range legacyRoutes() {
		if lr.method == method && templateMatches(strings.Split(lr.path, "/"), segs) {
			return lr, true
		}
	}
	return legacyRoute{}, false
}

// templateMatches matches path segments against template segments, where
// "{name}" matches any one non-empty segment.
func templateMatches(tmpl, segs []string) bool {
	if len(tmpl) != len(segs) {
		return false
	}
	for i, t := range tmpl {
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
			if segs[i] == "" {
				return false
			}
			continue
		}
		if t != segs[i] {
			return false
		}
	}
	return true
}

// checkLegacy checks an exchange on a legacy route against the schemas the
// route names: the request body, a 2xx answer, and an error answer as the
// schema `error`. A route without any schema gives an error matching
// ErrLegacy.
func (v *Validator) checkLegacy(lr legacyRoute, req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) error {
	route := lr.method + " " + lr.path
	if lr.request == "" && lr.response == "" {
		return &legacyError{method: req.Method, path: req.URL.Path, route: route}
	}
	ce := &Error{Method: req.Method, Path: req.URL.Path, Operation: "legacy " + route}
	if lr.request != "" && len(reqBody) > 0 {
		ce.Problems = append(ce.Problems, v.checkBody("request body", lr.request, reqBody, false)...)
	}
	if resp != nil && req.Method != http.MethodHead {
		ce.Status = resp.StatusCode
		schema := lr.response
		if resp.StatusCode >= 300 {
			schema = "error"
		}
		if schema != "" && len(respBody) > 0 {
			mediaType, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
			if mediaType != "application/json" {
				ce.Problems = append(ce.Problems, fmt.Sprintf("response: content type %q, want application/json", resp.Header.Get("Content-Type")))
			} else {
				ce.Problems = append(ce.Problems, v.checkBody("response body", schema, respBody, true)...)
			}
		}
	}
	if len(ce.Problems) > 0 {
		return ce
	}
	return nil
}

// checkBody validates a JSON body against the named component schema.
func (v *Validator) checkBody(where, schema string, body []byte, response bool) []string {
	ref := v.doc.Components.Schemas[schema]
	if ref == nil || ref.Value == nil {
		return []string{fmt.Sprintf("%s: the document has no schema %q", where, schema)}
	}
	var value any
	if err := json.Unmarshal(body, &value); err != nil {
		return []string{where + ": not JSON: " + err.Error()}
	}
	opts := []openapi3.SchemaValidationOption{openapi3.MultiErrors(), openapi3.DisableSchemaErrorDetails()}
	if response {
		opts = append(opts, openapi3.VisitAsResponse())
	} else {
		opts = append(opts, openapi3.VisitAsRequest())
	}
	if err := ref.Value.VisitJSON(value, opts...); err != nil {
		return describe(where, err)
	}
	return nil
}
