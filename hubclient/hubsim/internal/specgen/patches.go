package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// A patch repairs one defect of the source document. Each patch fails when
// it no longer finds the defect it repairs, so a newer source document that
// fixes (or moves) a defect is noticed instead of silently patched twice.
type patch struct {
	name  string
	apply func(root *yaml.Node) error
}

// patches lists the repairs in the order they are applied. testdata/README.md
// describes each one.
func patches() []patch {
	return []patch{
		{"requiredFlagsOnProperties", requiredFlagsOnProperties},
		{"objectsWithItems", objectsWithItems},
		{"danglingTeamRepoRef", danglingTeamRepoRef},
		{"undefinedSecurityScheme", undefinedSecurityScheme},
		{"orgTokensPathParamMissing", orgTokensPathParamMissing},
		{"pageParamsAsNumber", pageParamsAsNumber},
		{"searchParamAsInteger", searchParamAsInteger},
		{"membersListWrappedInArray", membersListWrappedInArray},
		{"memberRoleWithoutEditor", memberRoleWithoutEditor},
		{"bulkInviteWrappedTwice", bulkInviteWrappedTwice},
		{"tagImagesAsObject", tagImagesAsObject},
		{"tagV2AsString", tagV2AsString},
		{"imageNullableFields", imageNullableFields},
		{"patExpiresAtNotNullable", patExpiresAtNotNullable},
		{"pageLinksNotNullable", pageLinksNotNullable},
		{"scimSchemasMinItemsOnItem", scimSchemasMinItemsOnItem},
		{"immutableTagsRegexPattern", immutableTagsRegexPattern},
		{"membersExportRoleColumn", membersExportRoleColumn},
		{"membersExportWithoutEditor", membersExportWithoutEditor},
		{"objectSchemasWithoutType", objectSchemasWithoutType},
	}
}

// requiredFlagsOnProperties: orgAccessTokenResource (type, path, scopes) and
// createOrgAccessTokenRequest (label) mark properties with `required: true`,
// the OpenAPI 2 parameter style. In a schema `required` is a list of names on
// the object, so the document does not load. The flags move to the object's
// `required` list, which is the rule the authors wrote.
func requiredFlagsOnProperties(root *yaml.Node) error {
	fix := map[string][]string{
		"orgAccessTokenResource":      {"type", "path", "scopes"},
		"createOrgAccessTokenRequest": {"label"},
	}
	for _, name := range []string{"orgAccessTokenResource", "createOrgAccessTokenRequest"} {
		obj, err := at(root, "components", "schemas", name)
		if err != nil {
			return err
		}
		for _, prop := range fix[name] {
			p, err := at(obj, "properties", prop)
			if err != nil {
				return err
			}
			if v := lookupKey(p, "required"); v == nil || v.Value != "true" {
				return fmt.Errorf("%s.%s: no `required: true` flag", name, prop)
			}
			deleteKey(p, "required")
			if err := addRequired(obj, prop); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	return nil
}

// objectsWithItems: ValueError.fields and error.errinfo are `type: object`
// with `items: {type: string}`. `items` applies to arrays only, so kin-openapi
// rejects the schema. The authors meant a map: errinfo maps names to strings;
// fields maps a field name to its messages, a list of strings, as the
// document's own 400 example for listNamespaceRepositories shows
// (`fields: {ordering: ["Invalid ordering value…"]}`).
func objectsWithItems(root *yaml.Node) error {
	fixes := []struct {
		schema, prop, values string
	}{
		{"ValueError", "fields", "{type: array, items: {type: string}}"},
		{"error", "errinfo", "{type: string}"},
	}
	for _, f := range fixes {
		p, err := at(root, "components", "schemas", f.schema, "properties", f.prop)
		if err != nil {
			return err
		}
		if lookupKey(p, "items") == nil || lookupKey(p, "type").Value != "object" {
			return fmt.Errorf("%s.%s: not an object with items", f.schema, f.prop)
		}
		deleteKey(p, "items")
		setKey(p, "additionalProperties", parse(f.values))
	}
	return nil
}

// danglingTeamRepoRef: schema team_repo is `allOf: [$ref:
// "#/components/responses/team_repo"]`, a reference to a response that does
// not exist (and a response is not a schema). No operation uses team_repo.
// The dangling allOf goes; the schema keeps its own properties as an object.
func danglingTeamRepoRef(root *yaml.Node) error {
	s, err := at(root, "components", "schemas", "team_repo")
	if err != nil {
		return err
	}
	all := lookupKey(s, "allOf")
	if all == nil || len(all.Content) != 1 || lookupKey(all.Content[0], "$ref").Value != "#/components/responses/team_repo" {
		return errors.New("team_repo: no dangling allOf reference")
	}
	deleteKey(s, "allOf")
	s.Content = append([]*yaml.Node{scalar("type"), scalar("object")}, s.Content...)
	return nil
}

// undefinedSecurityScheme: CreateRepository (POST
// /v2/namespaces/{namespace}/repositories) requires `BearerAuth`, but the
// scheme is declared as `bearerAuth`; names are case-sensitive, so request
// validation fails with "security scheme not found". The requirement is
// renamed to the declared scheme.
func undefinedSecurityScheme(root *yaml.Node) error {
	sec, err := at(root, "paths", "/v2/namespaces/{namespace}/repositories", "post", "security")
	if err != nil {
		return err
	}
	for _, req := range sec.Content {
		if req.Kind == yaml.MappingNode && len(req.Content) == 2 && req.Content[0].Value == "BearerAuth" {
			req.Content[0].Value = "bearerAuth"
			return nil
		}
	}
	return errors.New("CreateRepository: no BearerAuth requirement")
}

// orgTokensPathParamMissing: /v2/orgs/{name}/access-tokens uses the path
// variable {name} but declares no path parameter for it, which OpenAPI
// forbids (every template variable must be a required path parameter), so
// the document does not validate. The parameter is declared as a string at
// path level, as /v2/orgs/{name}/settings does.
func orgTokensPathParamMissing(root *yaml.Node) error {
	item, err := at(root, "paths", "/v2/orgs/{name}/access-tokens")
	if err != nil {
		return err
	}
	if lookupKey(item, "parameters") != nil {
		return errors.New("org access tokens: path parameters already declared")
	}
	item.Content = append([]*yaml.Node{scalar("parameters"),
		parse(`[{in: path, name: name, required: true, schema: {type: string}}]`)}, item.Content...)
	return nil
}

// pageParamsAsNumber: the page and page_size query parameters of GET
// /v2/access-tokens and GET /v2/orgs/{name}/access-tokens are `type: number`,
// so `page=1.5` would pass; every other list operation declares them as
// integers. They become integers.
func pageParamsAsNumber(root *yaml.Node) error {
	for _, path := range []string{"/v2/access-tokens", "/v2/orgs/{name}/access-tokens"} {
		params, err := at(root, "paths", path, "get", "parameters")
		if err != nil {
			return err
		}
		n := 0
		for _, p := range params.Content {
			name := lookupKey(p, "name")
			if name == nil || (name.Value != "page" && name.Value != "page_size") {
				continue
			}
			t, err := at(p, "schema", "type")
			if err != nil {
				return err
			}
			if t.Value != "number" {
				return fmt.Errorf("%s %s: type is %q", path, name.Value, t.Value)
			}
			t.Value = "integer"
			n++
		}
		if n != 2 {
			return fmt.Errorf("%s: found %d page parameters, want 2", path, n)
		}
	}
	return nil
}

// searchParamAsInteger: the shared `search` query parameter ("Search term.",
// used by GET /v2/orgs/{org_name}/members) is `type: integer`, so searching
// members for "jon" fails validation. The groups list declares its search
// term as a string; so does this fix.
func searchParamAsInteger(root *yaml.Node) error {
	t, err := at(root, "components", "parameters", "search", "schema", "type")
	if err != nil {
		return err
	}
	if t.Value != "integer" {
		return fmt.Errorf("search parameter: type is %q", t.Value)
	}
	t.Value = "string"
	return nil
}

// membersListWrappedInArray: GET /v2/orgs/{org_name}/members answers with
// `type: array, items: org_member_paginated`, a list of pages. The Hub
// answers one page object ({count, next, previous, results}) like every
// other list; the array wrapper goes.
func membersListWrappedInArray(root *yaml.Node) error {
	media, err := at(root, "paths", "/v2/orgs/{org_name}/members", "get", "responses", "200", "content", "application/json")
	if err != nil {
		return err
	}
	s := lookupKey(media, "schema")
	items := lookupKey(s, "items")
	if lookupKey(s, "type") == nil || lookupKey(s, "type").Value != "array" || items == nil ||
		lookupKey(items, "$ref") == nil || lookupKey(items, "$ref").Value != "#/components/schemas/org_member_paginated" {
		return errors.New("members list: not an array of org_member_paginated")
	}
	setKey(media, "schema", items)
	return nil
}

// memberRoleWithoutEditor: org_member.role allows Owner, Member and Invitee,
// but the document's own role filter (`role` query parameter) and PUT
// /v2/orgs/{org_name}/members/{username} set and filter by owner, editor and
// member, so the member an editor-role update answers with cannot be
// described. Editor joins the enum, capitalised like its neighbours.
func memberRoleWithoutEditor(root *yaml.Node) error {
	enum, err := at(root, "components", "schemas", "org_member", "properties", "role", "enum")
	if err != nil {
		return err
	}
	for _, n := range enum.Content {
		if strings.EqualFold(n.Value, "editor") {
			return errors.New("org_member.role: already allows Editor")
		}
	}
	enum.Content = append(enum.Content, scalar("Editor"))
	return nil
}

// bulkInviteWrappedTwice: POST /v2/invites/bulk answers 202 with
// `{invitees: $ref bulk_invite}`, but bulk_invite is itself
// `{invitees: [...]}` (its example is the whole answer), which makes the
// documented body `{"invitees": {"invitees": [...]}}`. The answer is
// bulk_invite itself.
func bulkInviteWrappedTwice(root *yaml.Node) error {
	media, err := at(root, "paths", "/v2/invites/bulk", "post", "responses", "202", "content", "application/json")
	if err != nil {
		return err
	}
	ref, err := at(media, "schema", "properties", "invitees", "$ref")
	if err != nil {
		return err
	}
	if ref.Value != "#/components/schemas/bulk_invite" {
		return fmt.Errorf("bulk invite: invitees refers to %q", ref.Value)
	}
	setKey(media, "schema", parse(`{$ref: "#/components/schemas/bulk_invite"}`))
	return nil
}

// tagImagesAsObject: tag.images is `type: object` beside `$ref: image` (a
// sibling of $ref, which OpenAPI 3.0 ignores), so one image object is
// documented. The Hub answers a list of images, one per platform of the tag.
func tagImagesAsObject(root *yaml.Node) error {
	p, err := at(root, "components", "schemas", "tag", "properties")
	if err != nil {
		return err
	}
	images := lookupKey(p, "images")
	if images == nil || lookupKey(images, "$ref") == nil || lookupKey(images, "type") == nil || lookupKey(images, "type").Value != "object" {
		return errors.New("tag.images: not an object reference")
	}
	setKey(p, "images", parse(`{type: array, items: {$ref: "#/components/schemas/image"}}`))
	return nil
}

// tagV2AsString: tag.v2 is `type: string` ("repository API version"); the
// Hub answers a boolean (`"v2": true`).
func tagV2AsString(root *yaml.Node) error {
	t, err := at(root, "components", "schemas", "tag", "properties", "v2", "type")
	if err != nil {
		return err
	}
	if t.Value != "string" {
		return fmt.Errorf("tag.v2: type is %q", t.Value)
	}
	t.Value = "boolean"
	return nil
}

// imageNullableFields: image.variant and image.os_version are plain strings,
// but the Hub answers null for an image without a CPU variant or OS version
// (every linux/amd64 image), as it does for the digest the document already
// marks nullable.
func imageNullableFields(root *yaml.Node) error {
	for _, prop := range []string{"variant", "os_version"} {
		p, err := at(root, "components", "schemas", "image", "properties", prop)
		if err != nil {
			return err
		}
		if lookupKey(p, "nullable") != nil {
			return fmt.Errorf("image.%s: already nullable", prop)
		}
		setKey(p, "nullable", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
	}
	return nil
}

// patExpiresAtNotNullable: accessToken.expires_at is a plain date-time,
// but a personal access token created without one never expires
// (createAccessTokenRequest: "If omitted, the token will remain valid
// indefinitely"), and the Hub answers null for it, as the document already
// allows for an organization access token's expires_at.
func patExpiresAtNotNullable(root *yaml.Node) error {
	p, err := at(root, "components", "schemas", "accessToken", "properties", "expires_at")
	if err != nil {
		return err
	}
	if lookupKey(p, "nullable") != nil {
		return errors.New("accessToken.expires_at: already nullable")
	}
	setKey(p, "nullable", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
	return nil
}

// pageLinksNotNullable: the shared `page` schema marks next and previous
// nullable (null on the first and last page), but the list answers that
// spell out their own page fields declare them as plain strings. The Hub
// answers null there as well; they become nullable like `page`.
func pageLinksNotNullable(root *yaml.Node) error {
	schemas := [][]string{
		{"components", "schemas", "getAccessTokensResponse"},
		{"components", "schemas", "getOrgAccessTokensResponse"},
		{"components", "schemas", "org_member_paginated"},
		{"paths", "/v2/orgs/{org_name}/groups", "get", "responses", "200", "content", "application/json", "schema"},
		{"paths", "/v2/orgs/{org_name}/groups/{group_name}/members", "get", "responses", "200", "content", "application/json", "schema"},
	}
	for _, path := range schemas {
		s, err := at(root, path...)
		if err != nil {
			return err
		}
		for _, link := range []string{"next", "previous"} {
			p, err := at(s, "properties", link)
			if err != nil {
				return fmt.Errorf("%s: %w", strings.Join(path, "/"), err)
			}
			if lookupKey(p, "nullable") != nil {
				return fmt.Errorf("%s.%s: already nullable", strings.Join(path, "/"), link)
			}
			setKey(p, "nullable", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
		}
	}
	return nil
}

// scimSchemasMinItemsOnItem: scim_user_schemas puts `minItems: 1` on the
// string items, where it means nothing, instead of on the array, so an empty
// `schemas` list passes. It moves to the array.
func scimSchemasMinItemsOnItem(root *yaml.Node) error {
	s, err := at(root, "components", "schemas", "scim_user_schemas")
	if err != nil {
		return err
	}
	items := lookupKey(s, "items")
	mi := lookupKey(items, "minItems")
	if mi == nil {
		return errors.New("scim_user_schemas: no minItems on items")
	}
	deleteKey(items, "minItems")
	setKey(s, "minItems", mi)
	return nil
}

// immutableTagsRegexPattern: immutable_tags_verify_request.regex has the
// pattern of a repository path (`[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/…)*`),
// escaped twice inside single quotes, so it matches a literal backslash. It
// rejects the field's own example ("v.*") and every rule of the immutable
// tags examples ("v.*", ".*-RELEASE"): a tag rule is a regular expression,
// not a repository path. The pattern goes; `regex` stays a required string.
func immutableTagsRegexPattern(root *yaml.Node) error {
	p, err := at(root, "components", "schemas", "immutable_tags_verify_request", "properties", "regex")
	if err != nil {
		return err
	}
	pat := lookupKey(p, "pattern")
	if pat == nil || !strings.Contains(pat.Value, `(\\.|_|__|-+)`) {
		return errors.New("immutable_tags_verify_request.regex: no double-escaped pattern")
	}
	deleteKey(p, "pattern")
	return nil
}

// membersExportRoleColumn: the CSV rows of GET
// /v2/orgs/{org_name}/members/export require a `Role` column that the row
// schema does not define; the column it defines (Owner or Member) is
// `Permission`, the name Docker's export uses. The required name follows the
// defined column.
func membersExportRoleColumn(root *yaml.Node) error {
	req, err := at(root, "paths", "/v2/orgs/{org_name}/members/export", "get", "responses", "200",
		"content", "text/csv", "schema", "items", "required")
	if err != nil {
		return err
	}
	for _, n := range req.Content {
		if n.Value == "Role" {
			n.Value = "Permission"
			return nil
		}
	}
	return errors.New("members export: no Role column required")
}

// membersExportWithoutEditor: the CSV export's Permission column allows
// Owner and Member only, but editors are members too (the role filter and PUT
// /v2/orgs/{org_name}/members/{username} know them), so an org with an editor
// cannot be exported validly. Editor joins the enum, as in org_member.role.
func membersExportWithoutEditor(root *yaml.Node) error {
	enum, err := at(root, "paths", "/v2/orgs/{org_name}/members/export", "get", "responses", "200",
		"content", "text/csv", "schema", "items", "properties", "Permission", "enum")
	if err != nil {
		return err
	}
	for _, n := range enum.Content {
		if strings.EqualFold(n.Value, "editor") {
			return errors.New("members export: Permission already allows Editor")
		}
	}
	enum.Content = append(enum.Content, scalar("Editor"))
	return nil
}

// objectSchemasWithoutType: several schemas list properties (and required
// names) but no `type`, so any non-object value, such as an array or a
// string, passes them: the groups and group members lists, the request
// bodies of PUT /v2/orgs/{name}/settings, PUT /v2/orgs/{org_name}/members/{username}
// and the group create, replace and update operations, org_member,
// scim_service_provider_config.patch and the extra properties of the SCIM
// error answers. They are declared objects, as everywhere else.
func objectSchemasWithoutType(root *yaml.Node) error {
	n := 0
	var walk func(v *yaml.Node, inSchema bool)
	walk = func(v *yaml.Node, inSchema bool) {
		switch v.Kind {
		case yaml.SequenceNode:
			for _, c := range v.Content {
				walk(c, inSchema)
			}
			return
		case yaml.MappingNode:
		default:
			return
		}
		if inSchema && lookupKey(v, "type") == nil && lookupKey(v, "$ref") == nil &&
			(lookupKey(v, "properties") != nil || lookupKey(v, "required") != nil && lookupKey(v, "required").Kind == yaml.SequenceNode) {
			v.Content = append([]*yaml.Node{scalar("type"), scalar("object")}, v.Content...)
			n++
		}
		for i := 0; i+1 < len(v.Content); i += 2 {
			k, c := v.Content[i].Value, v.Content[i+1]
			switch {
			case k == "schema" || k == "items" || k == "additionalProperties" || k == "not":
				walk(c, true)
			case k == "allOf" || k == "anyOf" || k == "oneOf":
				walk(c, true)
			case k == "properties" || k == "schemas" && !inSchema:
				for j := 1; j < len(c.Content); j += 2 {
					walk(c.Content[j], true)
				}
			case slices.Contains([]string{"enum", "default", "required", "discriminator"}, k):
			default:
				walk(c, false)
			}
		}
	}
	walk(root, false)
	if n == 0 {
		return errors.New("no object schema without type")
	}
	return nil
}

// ---------------------------------------------------------------------------
// Helpers

// at follows mapping keys from n.
func at(n *yaml.Node, keys ...string) (*yaml.Node, error) {
	for i, k := range keys {
		next := lookupKey(n, k)
		if next == nil {
			return nil, fmt.Errorf("%s: not found", strings.Join(keys[:i+1], "/"))
		}
		n = next
	}
	return n, nil
}

// setKey sets key in mapping m to v, appending it when absent.
func setKey(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, scalar(key), v)
}

// deleteKey removes key from mapping m.
func deleteKey(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
}

// addRequired appends name to the required list of object schema s.
func addRequired(s *yaml.Node, name string) error {
	req := lookupKey(s, "required")
	if req == nil {
		req = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		setKey(s, "required", req)
	}
	if req.Kind != yaml.SequenceNode {
		return errors.New("required is not a list")
	}
	for _, n := range req.Content {
		if n.Value == name {
			return nil
		}
	}
	req.Content = append(req.Content, scalar(name))
	return nil
}

// parse returns the node of a YAML snippet written in this file; block
// style is forced so the output reads like the rest of the document.
func parse(src string) *yaml.Node {
	var d yaml.Node
	if err := yaml.Unmarshal([]byte(src), &d); err != nil {
		panic(fmt.Sprintf("specgen: bad snippet %q: %v", src, err))
	}
	n := d.Content[0]
	var block func(*yaml.Node)
	block = func(n *yaml.Node) {
		n.Style &^= yaml.FlowStyle
		for _, c := range n.Content {
			block(c)
		}
	}
	block(n)
	return n
}
