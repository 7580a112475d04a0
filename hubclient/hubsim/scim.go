package hubsim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// SCIM 2.0 under /v2/scim/2.0.
//
// Docker Hub authenticates SCIM with the bearer token of the organization's
// SSO connection. The simulator has no SSO connections; it takes the bearer
// JWTs it issues: an organization access token acts on its organization
// (member-read to read, member-edit to change), and a person acts on the one
// organization they own (a PAT needs repo:read to read, repo:admin to
// change; the owner of several organizations must use an organization
// access token). SCIM users are the organization's members plus the users a
// SCIM client deactivated (PUT with enabled false removes the user from the
// organization; enabled true brings them back as a member). Answers and
// errors are application/scim+json; errors have the SCIM shape {status,
// schemas, detail, scimType}.

const (
	scimMedia          = "application/scim+json"
	scimUserSchema     = "urn:ietf:params:scim:schemas:core:2.0:User"
	scimListSchema     = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	scimErrorSchema    = "urn:ietf:params:scim:api:messages:2.0:Error"
	scimDefaultCount   = 10
	scimMaxCount       = 200
	scimResourceSchema = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
	scimSchemaSchema   = "urn:ietf:params:scim:schemas:core:2.0:Schema"
	scimSPCSchema      = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
)

// routesSCIM registers the handlers of this API area.
func (s *Server) routesSCIM() {
	s.handle("GET /v2/scim/2.0/ServiceProviderConfig", s.scimServiceProviderConfig)
	s.handle("GET /v2/scim/2.0/ResourceTypes", s.scimResourceTypes)
	s.handle("GET /v2/scim/2.0/ResourceTypes/{name}", s.scimResourceType)
	s.handle("GET /v2/scim/2.0/Schemas", s.scimSchemas)
	s.handle("GET /v2/scim/2.0/Schemas/{id}", s.scimSchema)
	s.handle("GET /v2/scim/2.0/Users", s.scimListUsers)
	s.handle("POST /v2/scim/2.0/Users", s.scimCreateUser)
	s.handle("GET /v2/scim/2.0/Users/{id}", s.scimGetUser)
	s.handle("PUT /v2/scim/2.0/Users/{id}", s.scimPutUser)
}

func writeSCIM(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeSCIMError(w, http.StatusInternalServerError, "internal error", "")
		return
	}
	w.Header().Set("Content-Type", scimMedia)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeSCIMError writes the SCIM error shape.
func writeSCIMError(w http.ResponseWriter, status int, detail, scimType string) {
	body := map[string]any{"schemas": []string{scimErrorSchema}, "status": strconv.Itoa(status), "detail": detail}
	if scimType != "" {
		body["scimType"] = scimType
	}
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", scimMedia)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// scimAuth authenticates the caller and resolves the organization it acts
// on. write asks for the change scopes. The caller then takes s.mu.
func (s *Server) scimAuth(w http.ResponseWriter, r *http.Request, write bool) (principal, string, bool) {
	c := newErrCapture()
	p, ok := s.authenticate(c, r)
	if !ok {
		writeSCIMError(w, c.status, c.detail(), "")
		return p, "", false
	}
	need := access{Role: RoleOwner, PATScope: "repo:read", OATScope: "member-read"}
	if write {
		need = access{Role: RoleOwner, PATScope: "repo:admin", OATScope: "member-edit"}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	orgName := p.Org
	if p.Kind != KindOAT {
		var owned []string
		for name, o := range s.st.orgs {
			if m := o.Members[p.User]; m != nil && m.Role == RoleOwner {
				owned = append(owned, name)
			}
		}
		switch len(owned) {
		case 0:
			writeSCIMError(w, http.StatusForbidden, "SCIM provisioning needs an organization owner or an organization access token.", "")
			return p, "", false
		case 1:
			orgName = owned[0]
		default:
			writeSCIMError(w, http.StatusForbidden, "You own several organizations: use an organization access token to choose one for SCIM.", "")
			return p, "", false
		}
	}
	if o := s.st.orgs[orgName]; o != nil && o.SCIMOff {
		writeSCIMError(w, http.StatusForbidden, "SCIM is not enabled for "+orgName+": turn on SCIM in the organization's SSO connection.", "")
		return p, "", false
	}
	c = newErrCapture()
	if !s.authorize(c, p, orgName, need) {
		writeSCIMError(w, c.status, c.detail(), "")
		return p, "", false
	}
	return p, orgName, true
}

// scimID is a user's SCIM id: the user's id as a UUID.
func scimID(u *user) string {
	h := u.ID
	if len(h) < 32 {
		h += strings.Repeat("0", 32-len(h))
	}
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

type scimNameBody struct {
	GivenName  string `json:"givenName"`
	FamilyName string `json:"familyName"`
}

type scimValueBody struct {
	Value   string `json:"value"`
	Display string `json:"display"`
	Primary *bool  `json:"primary,omitempty"`
}

type scimMetaBody struct {
	ResourceType string `json:"resourceType"`
	Location     string `json:"location"`
	Created      string `json:"created"`
	LastModified string `json:"lastModified"`
}

type scimUserBody struct {
	Schemas     []string        `json:"schemas"`
	ID          string          `json:"id"`
	UserName    string          `json:"userName"`
	Name        scimNameBody    `json:"name"`
	DisplayName string          `json:"displayName"`
	Active      bool            `json:"active"`
	Emails      []scimValueBody `json:"emails"`
	Groups      []scimValueBody `json:"groups"`
	Meta        scimMetaBody    `json:"meta"`
}

// scimLink is the absolute URL of path on this simulator.
func scimLink(r *http.Request, path string) string {
	u := url.URL{Scheme: "http", Host: r.Host, Path: path}
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		u.Scheme = "https"
	}
	return u.String()
}

func scimSplitName(full string) (given, family string) {
	given, family, _ = strings.Cut(strings.TrimSpace(full), " ")
	return given, strings.TrimSpace(family)
}

// scimUser renders u as seen by org o. The caller holds s.mu.
func (s *Server) scimUser(r *http.Request, o *org, u *user) scimUserBody {
	given, family := scimSplitName(u.FullName)
	primary := true
	b := scimUserBody{Schemas: []string{scimUserSchema}, ID: scimID(u), UserName: u.Email,
		Name: scimNameBody{GivenName: given, FamilyName: family}, DisplayName: u.Username,
		Active: o.Members[u.Username] != nil, Emails: []scimValueBody{{Value: u.Email, Display: u.Email, Primary: &primary}},
		Groups: []scimValueBody{}}
	names := make([]string, 0, len(o.Teams))
	for name, t := range o.Teams {
		if t.Members[u.Username] {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		b.Groups = append(b.Groups, scimValueBody{Value: n, Display: n})
	}
	modified := u.Joined
	if u.Modified.After(modified) {
		modified = u.Modified
	}
	if t, ok := o.SCIMDeactivated[u.Username]; ok && t.After(modified) {
		modified = t
	}
	b.Meta = scimMetaBody{ResourceType: "User", Location: scimLink(r, "/v2/scim/2.0/Users/"+b.ID),
		Created: u.Joined.UTC().Format(time.RFC3339), LastModified: modified.UTC().Format(time.RFC3339)}
	return b
}

// scimPeople lists the users SCIM sees in o, by username. The caller holds s.mu.
func (s *Server) scimPeople(o *org) []*user {
	var out []*user
	for name := range o.Members {
		if u := s.st.users[name]; u != nil {
			out = append(out, u)
		}
	}
	for name := range o.SCIMDeactivated {
		if u := s.st.users[name]; u != nil && o.Members[name] == nil {
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(a, b *user) int { return strings.Compare(a.Username, b.Username) })
	return out
}

func (s *Server) scimFind(o *org, id string) *user {
	for _, u := range s.scimPeople(o) {
		if strings.EqualFold(scimID(u), id) {
			return u
		}
	}
	return nil
}

func (s *Server) scimServiceProviderConfig(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := s.scimAuth(w, r, false); !ok {
		return
	}
	writeSCIM(w, http.StatusOK, map[string]any{
		"schemas":          []string{scimSPCSchema},
		"documentationUri": "",
		"patch":            map[string]any{"supported": false},
		"bulk":             map[string]any{"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
		"filter":           map[string]any{"supported": true, "maxResults": 99999},
		"changePassword":   map[string]any{"supported": false},
		"sort":             map[string]any{"supported": true},
		"etag":             map[string]any{"supported": false},
		"authenticationSchemes": map[string]any{
			"name":        "OAuth 2.0 Bearer Token",
			"description": "The OAuth 2.0 Bearer Token Authentication scheme. OAuth enables clients to access protected resources by obtaining an access token, which is defined in RFC 6750 as \"a string representing an access authorization issued to the client\", rather than using the resource owner's credentials directly.",
			"specUri":     "http://tools.ietf.org/html/rfc6750",
			"type":        "oauthbearertoken",
		},
	})
}

func scimUserResourceType() map[string]any {
	return map[string]any{"schemas": []string{scimResourceSchema}, "id": "User", "name": "User", "description": "User",
		"endpoint": "/Users", "schema": scimUserSchema}
}

func (s *Server) scimResourceTypes(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := s.scimAuth(w, r, false); !ok {
		return
	}
	writeSCIM(w, http.StatusOK, map[string]any{"schemas": []string{scimListSchema}, "totalResults": 1,
		"resources": []any{scimUserResourceType()}})
}

func (s *Server) scimResourceType(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := s.scimAuth(w, r, false); !ok {
		return
	}
	if r.PathValue("name") != "User" {
		writeSCIMError(w, http.StatusNotFound, "Resource type not found: "+r.PathValue("name"), "")
		return
	}
	writeSCIM(w, http.StatusOK, scimUserResourceType())
}

// scimAttr is one attribute of the User schema.
type scimAttr struct {
	Name          string     `json:"name"`
	Type          string     `json:"type"`
	MultiValued   bool       `json:"multiValued"`
	Description   string     `json:"description"`
	Required      bool       `json:"required"`
	CaseExact     bool       `json:"caseExact"`
	Mutability    string     `json:"mutability"`
	Returned      string     `json:"returned"`
	Uniqueness    string     `json:"uniqueness"`
	SubAttributes []scimAttr `json:"subAttributes,omitempty"`
}

func scimUserSchemaBody() map[string]any {
	str := func(name, desc, mut string, req bool, uniq string) scimAttr {
		return scimAttr{Name: name, Type: "string", Description: desc, Required: req, Mutability: mut, Returned: "default", Uniqueness: uniq}
	}
	attrs := []scimAttr{
		str("userName", "Unique identifier for the User, typically used by the user to directly authenticate to the service provider. Each User MUST include a non-empty userName value. This identifier MUST be unique across the service provider's entire set of Users.", "readWrite", true, "server"),
		{Name: "name", Type: "complex", Description: "The components of the user's real name.", Mutability: "readWrite", Returned: "default", Uniqueness: "none",
			SubAttributes: []scimAttr{
				str("givenName", "The given name of the User, or first name in most Western languages.", "readWrite", false, "none"),
				str("familyName", "The family name of the User, or last name in most Western languages.", "readWrite", false, "none"),
			}},
		str("displayName", "The username in Docker, also known as the Docker ID.", "readOnly", false, "server"),
		{Name: "active", Type: "boolean", Description: "A Boolean value indicating the User's administrative status.", Mutability: "readWrite", Returned: "default", Uniqueness: "none"},
		{Name: "emails", Type: "complex", MultiValued: true, Description: "Email addresses for the user.", Mutability: "readOnly", Returned: "default", Uniqueness: "none",
			SubAttributes: []scimAttr{
				str("value", "Email address for the User.", "readOnly", false, "none"),
				str("display", "A human-readable name, primarily used for display purposes.", "readOnly", false, "none"),
				{Name: "primary", Type: "boolean", Description: "A Boolean value indicating the primary address.", Mutability: "readOnly", Returned: "default", Uniqueness: "none"},
			}},
		{Name: "groups", Type: "complex", MultiValued: true, Description: "The teams the user belongs to.", Mutability: "readOnly", Returned: "default", Uniqueness: "none",
			SubAttributes: []scimAttr{
				str("value", "The team's name.", "readOnly", false, "none"),
				str("display", "A human-readable name, primarily used for display purposes.", "readOnly", false, "none"),
			}},
	}
	return map[string]any{"schemas": []string{scimSchemaSchema}, "id": scimUserSchema, "name": "User",
		"description": "User Account", "attributes": attrs}
}

func (s *Server) scimSchemas(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := s.scimAuth(w, r, false); !ok {
		return
	}
	writeSCIM(w, http.StatusOK, map[string]any{"schemas": []string{scimListSchema}, "totalResults": 1,
		"resources": []any{scimUserSchemaBody()}})
}

func (s *Server) scimSchema(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := s.scimAuth(w, r, false); !ok {
		return
	}
	if r.PathValue("id") != scimUserSchema {
		writeSCIMError(w, http.StatusNotFound, "Schema not found: "+r.PathValue("id"), "")
		return
	}
	writeSCIM(w, http.StatusOK, scimUserSchemaBody())
}

// scimIntParam reads an integer query parameter.
func scimIntParam(q url.Values, name string, def int) (int, bool) {
	v := q.Get(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

func (s *Server) scimListUsers(w http.ResponseWriter, r *http.Request) {
	_, orgName, ok := s.scimAuth(w, r, false)
	if !ok {
		return
	}
	q := r.URL.Query()
	start, ok1 := scimIntParam(q, "startIndex", 1)
	count, ok2 := scimIntParam(q, "count", scimDefaultCount)
	if !ok1 || !ok2 {
		writeSCIMError(w, http.StatusBadRequest, "startIndex and count must be integers.", "invalidValue")
		return
	}
	start = max(start, 1)
	count = min(max(count, 0), scimMaxCount)
	var match func(scimUserBody) bool
	if f := strings.TrimSpace(q.Get("filter")); f != "" {
		var err error
		if match, err = parseSCIMFilter(f); err != nil {
			writeSCIMError(w, http.StatusBadRequest, "Invalid filter: "+err.Error(), "invalidFilter")
			return
		}
	}
	sortBy, order := q.Get("sortBy"), q.Get("sortOrder")
	if order != "" && order != "ascending" && order != "descending" {
		writeSCIMError(w, http.StatusBadRequest, `sortOrder must be "ascending" or "descending".`, "invalidValue")
		return
	}
	key, ok := scimSortKey(sortBy)
	if !ok {
		writeSCIMError(w, http.StatusBadRequest, "Cannot sort by "+sortBy+".", "invalidValue")
		return
	}
	var attrs []string
	if a := q.Get("attributes"); a != "" {
		for _, x := range strings.Split(a, ",") {
			if x = strings.TrimSpace(x); x != "" {
				attrs = append(attrs, x)
			}
		}
	}
	s.mu.RLock()
	o := s.st.orgs[orgName]
	var all []scimUserBody
	for _, u := range s.scimPeople(o) {
		b := s.scimUser(r, o, u)
		if match == nil || match(b) {
			all = append(all, b)
		}
	}
	s.mu.RUnlock()
	slices.SortStableFunc(all, func(a, b scimUserBody) int {
		c := strings.Compare(strings.ToLower(key(a)), strings.ToLower(key(b)))
		if order == "descending" {
			c = -c
		}
		return c
	})
	lo := min(start-1, len(all))
	hi := min(lo+count, len(all))
	res := make([]any, 0, hi-lo)
	for _, b := range all[lo:hi] {
		res = append(res, scimProject(b, attrs))
	}
	writeSCIM(w, http.StatusOK, map[string]any{"schemas": []string{scimListSchema}, "totalResults": len(all),
		"startIndex": start, "itemsPerPage": len(res), "resources": res})
}

// scimSortKey maps a sortBy attribute to a key function.
func scimSortKey(attr string) (func(scimUserBody) string, bool) {
	switch strings.ToLower(attr) {
	case "", "displayname":
		return func(b scimUserBody) string { return b.DisplayName }, true
	case "username", "emails", "emails.value":
		return func(b scimUserBody) string { return b.UserName }, true
	case "name.givenname":
		return func(b scimUserBody) string { return b.Name.GivenName }, true
	case "name.familyname":
		return func(b scimUserBody) string { return b.Name.FamilyName }, true
	case "id":
		return func(b scimUserBody) string { return b.ID }, true
	case "meta.created":
		return func(b scimUserBody) string { return b.Meta.Created }, true
	case "meta.lastmodified":
		return func(b scimUserBody) string { return b.Meta.LastModified }, true
	}
	return nil, false
}

// scimProject keeps only the requested attributes (plus id and schemas).
func scimProject(b scimUserBody, attrs []string) any {
	if len(attrs) == 0 {
		return b
	}
	raw, _ := json.Marshal(b)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(raw, &m)
	keep := map[string]bool{"id": true, "schemas": true}
	for _, a := range attrs {
		top, _, _ := strings.Cut(a, ".")
		for k := range m {
			if strings.EqualFold(k, top) {
				keep[k] = true
			}
		}
	}
	for k := range m {
		if !keep[k] {
			delete(m, k)
		}
	}
	return m
}

// readSCIMBody decodes a SCIM request body, answering 400 invalidSyntax.
func readSCIMBody(w http.ResponseWriter, r *http.Request, v any) bool {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		writeSCIMError(w, http.StatusBadRequest, "Request body is not valid JSON: "+err.Error(), "invalidSyntax")
		return false
	}
	return true
}

func (s *Server) scimCreateUser(w http.ResponseWriter, r *http.Request) {
	p, orgName, ok := s.scimAuth(w, r, true)
	if !ok {
		return
	}
	var in struct {
		Schemas  []string      `json:"schemas"`
		UserName string        `json:"userName"`
		Name     *scimNameBody `json:"name"`
	}
	if !readSCIMBody(w, r, &in) {
		return
	}
	if !slices.Contains(in.Schemas, scimUserSchema) {
		writeSCIMError(w, http.StatusBadRequest, "schemas must include "+scimUserSchema+".", "invalidSyntax")
		return
	}
	if !acctValidEmail(in.UserName) {
		writeSCIMError(w, http.StatusBadRequest, "userName must be an email address.", "invalidValue")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.st.orgs[orgName]
	now := s.clock.Now()
	var u *user
	for _, cand := range s.st.users {
		if strings.EqualFold(cand.Email, in.UserName) {
			u = cand
			break
		}
	}
	if u != nil && o.Members[u.Username] != nil {
		writeSCIMError(w, http.StatusConflict, "User already exists in the organization: "+in.UserName, "uniqueness")
		return
	}
	if u == nil {
		u = s.scimNewUser(in.UserName, in.Name, now)
	}
	s.scimJoin(o, u, p, now)
	b := s.scimUser(r, o, u)
	w.Header().Set("Location", b.Meta.Location)
	writeSCIM(w, http.StatusCreated, b)
}

// scimNewUser creates a Docker account for a provisioned e-mail address.
// The caller holds s.mu for writing.
func (s *Server) scimNewUser(addr string, name *scimNameBody, now time.Time) *user {
	local, _, _ := strings.Cut(strings.ToLower(addr), "@")
	base := strings.Map(func(r rune) rune {
		if r < unicode.MaxASCII && (unicode.IsLower(r) || unicode.IsDigit(r)) {
			return r
		}
		return -1
	}, local)
	for len(base) < 4 {
		base += "0"
	}
	base = base[:min(len(base), 26)]
	username := base
	for i := 1; s.st.users[username] != nil || s.st.namespaces[username] != nil; i++ {
		username = fmt.Sprintf("%s%d", base, i)
	}
	const digits = "0123456789abcdef"
	id := make([]byte, 32)
	for i := range id {
		id[i] = digits[s.rng.Int64N(16)]
	}
	u := &user{ID: string(id), Username: username, Email: addr, Joined: now.UTC(), Modified: now.UTC(), PATs: map[string]*pat{}}
	if name != nil {
		u.FullName = strings.TrimSpace(name.GivenName + " " + name.FamilyName)
	}
	u.Emails = []email{{ID: s.st.id(), Address: addr, Verified: true, Primary: true}}
	s.st.users[username] = u
	s.st.namespaces[username] = &namespace{Name: username, Repos: map[string]*repo{}}
	return u
}

// scimJoin makes u a member of o (and of its "company" team when there is
// one), auditing org.member.add. The caller holds s.mu for writing.
func (s *Server) scimJoin(o *org, u *user, p principal, now time.Time) {
	o.Members[u.Username] = &member{Username: u.Username, Role: RoleMember, Joined: now.UTC()}
	delete(o.SCIMDeactivated, u.Username)
	if t := o.Teams["company"]; t != nil {
		t.Members[u.Username] = true
	}
	s.audit(o.Name, "org.member.add", o.Name, p, fmt.Sprintf("added %s to the organization %s (SCIM)", u.Username, o.Name),
		map[string]string{"member": u.Username, "role": RoleMember, "source": "scim"})
}

func (s *Server) scimGetUser(w http.ResponseWriter, r *http.Request) {
	_, orgName, ok := s.scimAuth(w, r, false)
	if !ok {
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	o := s.st.orgs[orgName]
	u := s.scimFind(o, r.PathValue("id"))
	if u == nil {
		writeSCIMError(w, http.StatusNotFound, "User not found: "+r.PathValue("id"), "")
		return
	}
	writeSCIM(w, http.StatusOK, s.scimUser(r, o, u))
}

func (s *Server) scimPutUser(w http.ResponseWriter, r *http.Request) {
	p, orgName, ok := s.scimAuth(w, r, true)
	if !ok {
		return
	}
	var in struct {
		Schemas []string      `json:"schemas"`
		Name    *scimNameBody `json:"name"`
		Enabled bool          `json:"enabled"`
	}
	if !readSCIMBody(w, r, &in) {
		return
	}
	if !slices.Contains(in.Schemas, scimUserSchema) {
		writeSCIMError(w, http.StatusBadRequest, "schemas must include "+scimUserSchema+".", "invalidSyntax")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.st.orgs[orgName]
	u := s.scimFind(o, r.PathValue("id"))
	if u == nil {
		writeSCIMError(w, http.StatusNotFound, "User not found: "+r.PathValue("id"), "")
		return
	}
	now := s.clock.Now()
	m := o.Members[u.Username]
	if !in.Enabled && m != nil && m.Role == RoleOwner && s.scimOwnerCount(o) == 1 {
		writeSCIMError(w, http.StatusConflict, u.Username+" is the last owner of "+o.Name+" and cannot be deactivated.", "mutability")
		return
	}
	if in.Name != nil {
		given, family := scimSplitName(u.FullName)
		if g := strings.TrimSpace(in.Name.GivenName); g != "" {
			given = g
		}
		if f := strings.TrimSpace(in.Name.FamilyName); f != "" {
			family = f
		}
		if full := strings.TrimSpace(given + " " + family); full != u.FullName {
			u.FullName = full
			u.Modified = now
		}
	}
	switch {
	case in.Enabled && m == nil:
		s.scimJoin(o, u, p, now)
	case !in.Enabled && m != nil:
		delete(o.Members, u.Username)
		for _, t := range o.Teams {
			delete(t.Members, u.Username)
		}
		if o.SCIMDeactivated == nil {
			o.SCIMDeactivated = map[string]time.Time{}
		}
		o.SCIMDeactivated[u.Username] = now
		s.audit(o.Name, "org.member.remove", o.Name, p, fmt.Sprintf("removed %s from the organization %s (SCIM deactivation)", u.Username, o.Name),
			map[string]string{"member": u.Username, "source": "scim"})
	}
	writeSCIM(w, http.StatusOK, s.scimUser(r, o, u))
}

func (s *Server) scimOwnerCount(o *org) int {
	n := 0
	for _, m := range o.Members {
		if m.Role == RoleOwner {
			n++
		}
	}
	return n
}

// ---------------------------------------------------------------------------
// Filters: attrPath op value, "pr", and/or/not, parentheses (RFC 7644 3.4.2.2).

type scimToken struct {
	kind string // "(" ")" "word" "string"
	text string
}

func scimTokens(src string) ([]scimToken, error) {
	var out []scimToken
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '(' || c == ')':
			out = append(out, scimToken{kind: string(c)})
			i++
		case c == '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(src) && src[j] != '"'; j++ {
				if src[j] == '\\' && j+1 < len(src) {
					j++
				}
				b.WriteByte(src[j])
			}
			if j >= len(src) {
				return nil, fmt.Errorf("unterminated string at %d", i)
			}
			out = append(out, scimToken{kind: "string", text: b.String()})
			i = j + 1
		default:
			j := i
			for j < len(src) && src[j] != ' ' && src[j] != '\t' && src[j] != '(' && src[j] != ')' && src[j] != '"' {
				j++
			}
			out = append(out, scimToken{kind: "word", text: src[i:j]})
			i = j
		}
	}
	return out, nil
}

type scimParser struct {
	toks []scimToken
	pos  int
}

func (p *scimParser) peekWord(w string) bool {
	return p.pos < len(p.toks) && p.toks[p.pos].kind == "word" && strings.EqualFold(p.toks[p.pos].text, w)
}

func (p *scimParser) expr() (func(scimUserBody) bool, error) {
	left, err := p.term()
	if err != nil {
		return nil, err
	}
	for p.peekWord("or") {
		p.pos++
		right, err := p.term()
		if err != nil {
			return nil, err
		}
		l := left
		left = func(b scimUserBody) bool { return l(b) || right(b) }
	}
	return left, nil
}

func (p *scimParser) term() (func(scimUserBody) bool, error) {
	left, err := p.factor()
	if err != nil {
		return nil, err
	}
	for p.peekWord("and") {
		p.pos++
		right, err := p.factor()
		if err != nil {
			return nil, err
		}
		l := left
		left = func(b scimUserBody) bool { return l(b) && right(b) }
	}
	return left, nil
}

func (p *scimParser) factor() (func(scimUserBody) bool, error) {
	if p.pos >= len(p.toks) {
		return nil, fmt.Errorf("unexpected end of filter")
	}
	if p.peekWord("not") {
		p.pos++
		if p.pos >= len(p.toks) || p.toks[p.pos].kind != "(" {
			return nil, fmt.Errorf(`"not" must be followed by "("`)
		}
		inner, err := p.factor()
		if err != nil {
			return nil, err
		}
		return func(b scimUserBody) bool { return !inner(b) }, nil
	}
	if p.toks[p.pos].kind == "(" {
		p.pos++
		inner, err := p.expr()
		if err != nil {
			return nil, err
		}
		if p.pos >= len(p.toks) || p.toks[p.pos].kind != ")" {
			return nil, fmt.Errorf(`missing ")"`)
		}
		p.pos++
		return inner, nil
	}
	return p.comparison()
}

func (p *scimParser) comparison() (func(scimUserBody) bool, error) {
	t := p.toks[p.pos]
	if t.kind != "word" {
		return nil, fmt.Errorf("expected an attribute, found %q", t.text)
	}
	get, err := scimAttrValues(t.text)
	if err != nil {
		return nil, err
	}
	p.pos++
	if p.pos >= len(p.toks) || p.toks[p.pos].kind != "word" {
		return nil, fmt.Errorf("expected an operator after %s", t.text)
	}
	op := strings.ToLower(p.toks[p.pos].text)
	p.pos++
	if op == "pr" {
		return func(b scimUserBody) bool {
			return slices.ContainsFunc(get(b), func(v string) bool { return v != "" })
		}, nil
	}
	if p.pos >= len(p.toks) {
		return nil, fmt.Errorf("expected a value after %s %s", t.text, op)
	}
	vt := p.toks[p.pos]
	p.pos++
	want := strings.ToLower(vt.text)
	if vt.kind == "word" && want != "true" && want != "false" && want != "null" {
		return nil, fmt.Errorf("value %q must be quoted", vt.text)
	}
	var cmp func(have string) bool
	switch op {
	case "eq":
		cmp = func(h string) bool { return h == want }
	case "ne":
		cmp = func(h string) bool { return h != want }
	case "co":
		cmp = func(h string) bool { return strings.Contains(h, want) }
	case "sw":
		cmp = func(h string) bool { return strings.HasPrefix(h, want) }
	case "ew":
		cmp = func(h string) bool { return strings.HasSuffix(h, want) }
	default:
		return nil, fmt.Errorf("unsupported operator %q", op)
	}
	return func(b scimUserBody) bool {
		vals := get(b)
		if op == "ne" {
			return !slices.ContainsFunc(vals, func(v string) bool { return v == want })
		}
		return slices.ContainsFunc(vals, cmp)
	}, nil
}

// scimAttrValues returns a getter of an attribute's values, lower-cased.
func scimAttrValues(attr string) (func(scimUserBody) []string, error) {
	lower := func(vs ...string) []string {
		for i := range vs {
			vs[i] = strings.ToLower(vs[i])
		}
		return vs
	}
	switch strings.ToLower(strings.TrimPrefix(attr, scimUserSchema+":")) {
	case "username":
		return func(b scimUserBody) []string { return lower(b.UserName) }, nil
	case "displayname":
		return func(b scimUserBody) []string { return lower(b.DisplayName) }, nil
	case "id":
		return func(b scimUserBody) []string { return lower(b.ID) }, nil
	case "active":
		return func(b scimUserBody) []string { return []string{strconv.FormatBool(b.Active)} }, nil
	case "name.givenname":
		return func(b scimUserBody) []string { return lower(b.Name.GivenName) }, nil
	case "name.familyname":
		return func(b scimUserBody) []string { return lower(b.Name.FamilyName) }, nil
	case "emails", "emails.value":
		return func(b scimUserBody) []string {
			var out []string
			for _, e := range b.Emails {
				out = append(out, strings.ToLower(e.Value))
			}
			return out
		}, nil
	case "groups", "groups.value", "groups.display":
		return func(b scimUserBody) []string {
			var out []string
			for _, g := range b.Groups {
				out = append(out, strings.ToLower(g.Value))
			}
			return out
		}, nil
	}
	return nil, fmt.Errorf("unknown attribute %q", attr)
}

// parseSCIMFilter compiles a filter expression.
func parseSCIMFilter(src string) (func(scimUserBody) bool, error) {
	toks, err := scimTokens(src)
	if err != nil {
		return nil, err
	}
	p := &scimParser{toks: toks}
	f, err := p.expr()
	if err != nil {
		return nil, err
	}
	if p.pos != len(toks) {
		return nil, fmt.Errorf("unexpected %q", toks[p.pos].text)
	}
	return f, nil
}
