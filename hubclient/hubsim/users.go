package hubsim

import (
	"net/http"
	"slices"
)

// routesUsers registers the handlers of this API area: the signed-in user
// and their organizations. Neither is in Docker's API document; the Hub
// serves both at these slash-terminated paths (and the Hub CLI tool calls
// them); handle answers the paths without the slash too.
func (s *Server) routesUsers() {
	s.handle("GET /v2/user/{$}", s.getSignedInUser)
	s.handle("GET /v2/user/orgs/{$}", s.listSignedInUserOrgs)
}

// userJSON is the document's `user` schema, the shape of GET /v2/user/.
type userJSON struct {
	ID            string `json:"id"`
	Username      string `json:"username"`
	FullName      string `json:"full_name"`
	Location      string `json:"location"`
	Company       string `json:"company"`
	GravatarEmail string `json:"gravatar_email"`
	GravatarURL   string `json:"gravatar_url"`
	ProfileURL    string `json:"profile_url"`
	DateJoined    string `json:"date_joined"`
	Type          string `json:"type"`
}

// userOrgJSON is one organization of GET /v2/user/orgs/, and the answer
// of GET /v2/orgs/{org_name}/.
type userOrgJSON struct {
	ID            string `json:"id"`
	OrgName       string `json:"orgname"`
	FullName      string `json:"full_name"`
	Location      string `json:"location"`
	Company       string `json:"company"`
	GravatarEmail string `json:"gravatar_email"`
	GravatarURL   string `json:"gravatar_url"`
	ProfileURL    string `json:"profile_url"`
	DateJoined    string `json:"date_joined"`
	Type          string `json:"type"`
}

// refuseOATForUser refuses organization access tokens: they speak for an
// organization, not a person, so "who am I" has no answer. The Hub refuses
// them too; hubsim answers 403 (the caller is authenticated, a 401 would
// only make a client sign in again and retry).
func refuseOATForUser(w http.ResponseWriter, p principal) bool {
	if p.Kind == KindOAT {
		writeError(w, http.StatusForbidden, "Organization access tokens cannot be used for this endpoint: it needs a user (password or personal access token).")
		return false
	}
	return true
}

func (s *Server) getSignedInUser(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok || !refuseOATForUser(w, p) {
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	u := s.st.users[p.User]
	if u == nil {
		writeError(w, http.StatusUnauthorized, "Invalid token.")
		return
	}
	writeJSON(w, http.StatusOK, userJSON{ID: u.ID, Username: u.Username, FullName: u.FullName, Location: u.Location,
		Company: u.Company, GravatarEmail: u.GravatarEmail, ProfileURL: u.ProfileURL, DateJoined: ts(u.Joined), Type: "User"})
}

func (s *Server) listSignedInUserOrgs(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok || !refuseOATForUser(w, p) {
		return
	}
	pg, ok := parsePaging(w, r, 25)
	if !ok {
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var names []string
	for n, o := range s.st.orgs {
		if o.Members[p.User] != nil {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	out, ok := pageOf(w, pg, names, func(n string) userOrgJSON { return orgProfile(s.st.orgs[n]) })
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, newPage(r, pg, len(names), out))
}
