package hubsim

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Organization access tokens.
//
// Only owners manage them: reading needs the owner role (a PAT needs
// repo:read), changing needs the owner role (a PAT needs repo:admin).
// Organization access tokens cannot manage organization access tokens.
// Every change is audited as org.access_token.create/update/delete.

// routesOrgTokens registers the handlers of this API area.
func (s *Server) routesOrgTokens() {
	s.handle("GET /v2/orgs/{name}/access-tokens", s.listOATs)
	s.handle("POST /v2/orgs/{name}/access-tokens", s.createOAT)
	s.handle("GET /v2/orgs/{org_name}/access-tokens/{access_token_id}", s.getOAT)
	s.handle("PATCH /v2/orgs/{org_name}/access-tokens/{access_token_id}", s.patchOAT)
	s.handle("DELETE /v2/orgs/{org_name}/access-tokens/{access_token_id}", s.deleteOAT)
}

// oatRepoScopes are the scopes a TYPE_REPO resource may hold.
const oatRepoScopes = "repo-pull,repo-push,scope-image-pull,scope-image-push"

// oatBody is the documented orgAccessToken shape, with resources (get,
// create, update) and the token value (create only), plus the description
// that the Hub sends beyond the document (its create and update requests
// take one).
type oatBody struct {
	ID          string       `json:"id"`
	Label       string       `json:"label"`
	Description string       `json:"description"` // "" when none
	CreatedBy   string       `json:"created_by"`
	IsActive    bool         `json:"is_active"`
	CreatedAt   string       `json:"created_at"`
	ExpiresAt   *string      `json:"expires_at"`
	LastUsedAt  *string      `json:"last_used_at"`
	Token       string       `json:"token,omitempty"`
	Resources   []oatResBody `json:"resources,omitempty"`
}

// oatResBody is the documented orgAccessTokenResource shape.
type oatResBody struct {
	Type   string   `json:"type"`
	Path   string   `json:"path"`
	Scopes []string `json:"scopes"`
}

func oatJSON(t *oat, withResources, withToken bool) oatBody {
	b := oatBody{ID: t.ID, Label: t.Label, Description: t.Description, CreatedBy: t.CreatedBy, IsActive: t.Active, CreatedAt: ts(t.Created),
		ExpiresAt: tsPtr(t.ExpiresAt), LastUsedAt: tsPtr(t.LastUsed)}
	if withResources {
		b.Resources = make([]oatResBody, 0, len(t.Resources))
		for _, r := range t.Resources {
			b.Resources = append(b.Resources, oatResBody{Type: r.Type, Path: r.Path, Scopes: append([]string{}, r.Scopes...)})
		}
	}
	if withToken {
		b.Token = t.Token
	}
	return b
}

// oatInput is the request body of create and update.
type oatInput struct {
	Label       *string       `json:"label"`
	Description *string       `json:"description"`
	Resources   *[]oatResBody `json:"resources"`
	ExpiresAt   *string       `json:"expires_at"`
	IsActive    *bool         `json:"is_active"`
}

// checkOATResources validates resources for org o, adding field errors.
// The caller holds s.mu.
func (s *Server) checkOATResources(o *org, in oatInput, fields map[string][]string) []oatResource {
	if in.Resources == nil {
		return nil
	}
	if len(*in.Resources) == 0 {
		fields["resources"] = []string{"Give at least one resource."}
		return nil
	}
	var out []oatResource
	for i, r := range *in.Resources {
		key := fmt.Sprintf("resources[%d]", i)
		valid := oatRepoScopes
		switch r.Type {
		case "TYPE_REPO":
			if msg := s.checkOATRepoPath(o, r.Path); msg != "" {
				fields[key+".path"] = []string{msg}
			}
		case "TYPE_ORG":
			valid = orgScopesCSV
			if r.Path != "*" && r.Path != o.Name {
				fields[key+".path"] = []string{`The path of an organization resource is "*".`}
			}
		default:
			fields[key+".type"] = []string{fmt.Sprintf("%q is not one of TYPE_REPO, TYPE_ORG.", r.Type)}
			continue
		}
		if len(r.Scopes) == 0 {
			fields[key+".scopes"] = []string{"Give at least one scope."}
		}
		for _, sc := range r.Scopes {
			if !slices.Contains(strings.Split(valid, ","), sc) {
				fields[key+".scopes"] = append(fields[key+".scopes"], fmt.Sprintf("%q is not a %s scope.", sc, r.Type))
			}
		}
		out = append(out, oatResource{Type: r.Type, Path: r.Path, Scopes: compactPATScopes(r.Scopes)})
	}
	return out
}

// checkOATRepoPath accepts "*/*/public", "org/*" and an existing "org/repo".
func (s *Server) checkOATRepoPath(o *org, p string) string {
	if p == "*/*/public" {
		return ""
	}
	ns, repo, ok := strings.Cut(p, "/")
	if !ok || repo == "" || strings.Contains(repo, "/") {
		return fmt.Sprintf(`%q is not "namespace/repository", "namespace/*" or "*/*/public".`, p)
	}
	if ns != o.Name {
		return fmt.Sprintf("%q is outside the organization %s.", p, o.Name)
	}
	if repo != "*" && s.st.repoOf(ns, repo) == nil {
		return fmt.Sprintf("The repository %s does not exist.", p)
	}
	return ""
}

func (s *Server) listOATs(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	pg, ok := parsePaging(w, r, 10)
	if !ok {
		return
	}
	name := r.PathValue("name")
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !s.authorize(w, p, name, access{Role: RoleOwner, PATScope: "repo:read"}) {
		return
	}
	all := sortedOATs(s.st.orgs[name])
	results, ok := pageOf(w, pg, all, func(t *oat) oatBody { return oatJSON(t, false, false) })
	if !ok {
		return
	}
	body := newPage(r, pg, len(all), results)
	writeJSON(w, http.StatusOK, struct {
		Total    int       `json:"total"`
		Next     *string   `json:"next"`
		Previous *string   `json:"previous"`
		Results  []oatBody `json:"results"`
	}{body.Count, body.Next, body.Previous, results})
}

// sortedOATs orders an org's tokens newest first, then by label.
func sortedOATs(o *org) []*oat {
	all := make([]*oat, 0, len(o.OATs))
	for _, t := range o.OATs {
		all = append(all, t)
	}
	slices.SortFunc(all, func(a, b *oat) int {
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		return strings.Compare(a.Label+a.ID, b.Label+b.ID)
	})
	return all
}

func (s *Server) createOAT(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var in oatInput
	if !readJSON(w, r, &in) {
		return
	}
	name := r.PathValue("name")
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.authorize(w, p, name, access{Role: RoleOwner, PATScope: "repo:admin"}) {
		return
	}
	o := s.st.orgs[name]
	fields := map[string][]string{}
	if in.Label == nil || strings.TrimSpace(*in.Label) == "" {
		fields["label"] = []string{"This field is required."}
	}
	if in.Resources == nil {
		fields["resources"] = []string{"Give at least one resource."}
	}
	res := s.checkOATResources(o, in, fields)
	exp, msg := s.tokenExpiry(in.ExpiresAt)
	if msg != "" {
		fields["expires_at"] = []string{msg}
	}
	if len(fields) > 0 {
		writeFieldErrors(w, "Invalid organization access token.", fields)
		return
	}
	t := &oat{ID: s.tokenUUID(), Label: *in.Label, Token: s.tokenSecret("dckr_oat_"), CreatedBy: p.User,
		Created: s.clock.Now().UTC(), ExpiresAt: exp, Active: true, Resources: res}
	if in.Description != nil {
		t.Description = *in.Description
	}
	o.OATs[t.ID] = t
	s.audit(name, "org.access_token.create", name, p, fmt.Sprintf("created the organization access token %q", t.Label),
		map[string]string{"label": t.Label, "token_id": t.ID})
	writeJSON(w, http.StatusCreated, oatJSON(t, true, true))
}

// findOAT authorizes p as need in the path's org and finds the path's
// token, answering 403/404. The caller holds s.mu.
func (s *Server) findOAT(w http.ResponseWriter, r *http.Request, p principal, need access) (*org, *oat) {
	name := r.PathValue("org_name")
	if !s.authorize(w, p, name, need) {
		return nil, nil
	}
	o := s.st.orgs[name]
	t := o.OATs[r.PathValue("access_token_id")]
	if t == nil {
		writeError(w, http.StatusNotFound, "Access token not found.")
		return nil, nil
	}
	return o, t
}

func (s *Server) getOAT(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if _, t := s.findOAT(w, r, p, access{Role: RoleOwner, PATScope: "repo:read"}); t != nil {
		writeJSON(w, http.StatusOK, oatJSON(t, true, false))
	}
}

func (s *Server) patchOAT(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var in oatInput
	if !readJSON(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, t := s.findOAT(w, r, p, access{Role: RoleOwner, PATScope: "repo:admin"})
	if t == nil {
		return
	}
	fields := map[string][]string{}
	if in.Label != nil && strings.TrimSpace(*in.Label) == "" {
		fields["label"] = []string{"This field may not be blank."}
	}
	if in.ExpiresAt != nil {
		fields["expires_at"] = []string{"The expiration date cannot be changed; create a new token."}
	}
	res := s.checkOATResources(o, in, fields)
	if len(fields) == 0 && in.Label == nil && in.Description == nil && in.Resources == nil && in.IsActive == nil {
		fields["label"] = []string{"Give label, description, resources or is_active."}
	}
	if len(fields) > 0 {
		writeFieldErrors(w, "Invalid update.", fields)
		return
	}
	data := map[string]string{"token_id": t.ID}
	var changed []string
	if in.Label != nil && *in.Label != t.Label {
		data["old_label"], data["label"] = t.Label, *in.Label
		t.Label = *in.Label
		changed = append(changed, "label")
	}
	if in.Description != nil && *in.Description != t.Description {
		t.Description = *in.Description
		changed = append(changed, "description")
	}
	if in.Resources != nil {
		t.Resources = res
		changed = append(changed, "resources")
	}
	if in.IsActive != nil && *in.IsActive != t.Active {
		t.Active = *in.IsActive
		data["is_active"] = fmt.Sprint(t.Active)
		changed = append(changed, "is_active")
	}
	data["label"] = t.Label
	data["changed"] = strings.Join(changed, ",")
	s.audit(o.Name, "org.access_token.update", o.Name, p, fmt.Sprintf("updated the organization access token %q", t.Label), data)
	writeJSON(w, http.StatusOK, oatJSON(t, true, false))
}

func (s *Server) deleteOAT(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, t := s.findOAT(w, r, p, access{Role: RoleOwner, PATScope: "repo:admin"})
	if t == nil {
		return
	}
	delete(o.OATs, t.ID)
	s.audit(o.Name, "org.access_token.delete", o.Name, p, fmt.Sprintf("deleted the organization access token %q", t.Label),
		map[string]string{"label": t.Label, "token_id": t.ID})
	w.WriteHeader(http.StatusNoContent)
}
