package hubsim

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// routesTeams registers the handlers of this API area.
func (s *Server) routesTeams() {
	s.handle("GET /v2/orgs/{org_name}/groups", s.listTeams)
	s.handle("POST /v2/orgs/{org_name}/groups", s.createTeam)
	s.handle("GET /v2/orgs/{org_name}/groups/{group_name}", s.getTeam)
	s.handle("PUT /v2/orgs/{org_name}/groups/{group_name}", s.replaceTeam)
	s.handle("PATCH /v2/orgs/{org_name}/groups/{group_name}", s.patchTeam)
	s.handle("DELETE /v2/orgs/{org_name}/groups/{group_name}", s.deleteTeam)
	s.handle("GET /v2/orgs/{org_name}/groups/{group_name}/members", s.listTeamMembers)
	s.handle("POST /v2/orgs/{org_name}/groups/{group_name}/members", s.addTeamMember)
	s.handle("DELETE /v2/orgs/{org_name}/groups/{group_name}/members/{username}", s.removeTeamMember)
}

// orgGroupJSON is schema org_group.
type orgGroupJSON struct {
	ID          int64  `json:"id"`
	UUID        string `json:"uuid"`
	Name        string `json:"name"`
	Description string `json:"description"`
	MemberCount int    `json:"member_count"`
}

func teamOut(t *team) orgGroupJSON {
	return orgGroupJSON{ID: t.ID, UUID: t.UUID, Name: t.Name, Description: t.Description, MemberCount: len(t.Members)}
}

// groupMemberJSON is schema group_member.
type groupMemberJSON struct {
	ID            string `json:"id"`
	Username      string `json:"username"`
	FullName      string `json:"full_name"`
	Company       string `json:"company"`
	Location      string `json:"location"`
	ProfileURL    string `json:"profile_url"`
	GravatarEmail string `json:"gravatar_email"`
	GravatarURL   string `json:"gravatar_url"`
	DateJoined    string `json:"date_joined"`
	Type          string `json:"type"`
	Email         string `json:"email,omitempty"`
}

// teamNameProblem says what is wrong with a team name, "" when nothing:
// 1 to 30 letters, digits, '.', '_' or '-', starting with a letter or digit.
func teamNameProblem(name string) string {
	if name == "" {
		return "This field is required."
	}
	if len(name) > 30 {
		return "Ensure this field has no more than 30 characters."
	}
	for i, r := range name {
		alnum := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if i == 0 && !alnum {
			return "A team name starts with a letter or a digit."
		}
		if !alnum && r != '.' && r != '_' && r != '-' {
			return "A team name has only letters, digits, '.', '_' and '-'."
		}
	}
	return ""
}

// teamNamed finds a team by name ignoring case, so "Backend" and "backend"
// cannot both exist.
func teamNamed(o *org, name string) *team {
	if t := o.Teams[name]; t != nil {
		return t
	}
	for n, t := range o.Teams {
		if strings.EqualFold(n, name) {
			return t
		}
	}
	return nil
}

// teamFor authorizes p and finds the path's team, answering 404 when it is
// missing. The caller holds s.mu.
func (s *Server) teamFor(w http.ResponseWriter, r *http.Request, p principal, need access) (*org, *team, bool) {
	name, tn := r.PathValue("org_name"), r.PathValue("group_name")
	if !s.authorize(w, p, name, need) {
		return nil, nil, false
	}
	o := s.st.orgs[name]
	t := o.Teams[tn]
	if t == nil {
		writeErrInfo(w, http.StatusNotFound, fmt.Sprintf("Team not found: %s/%s", name, tn), nil)
		return nil, nil, false
	}
	return o, t, true
}

func (s *Server) listTeams(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	pg, ok := parsePaging(w, r, 25)
	if !ok {
		return
	}
	q := r.URL.Query()
	username, search := q.Get("username"), strings.ToLower(q.Get("search"))
	name := r.PathValue("org_name")
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !s.authorize(w, p, name, orgScopeAccess("team-read")) {
		return
	}
	o := s.st.orgs[name]
	names := make([]string, 0, len(o.Teams))
	for n, t := range o.Teams {
		if (username != "" && !t.Members[username]) || (search != "" && !strings.Contains(strings.ToLower(n), search)) {
			continue
		}
		names = append(names, n)
	}
	slices.Sort(names)
	out, ok := pageOf(w, pg, names, func(n string) orgGroupJSON { return teamOut(o.Teams[n]) })
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, newPage(r, pg, len(names), out))
}

func (s *Server) getTeam(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, t, ok := s.teamFor(w, r, p, orgScopeAccess("team-read"))
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, teamOut(t))
}

func (s *Server) createTeam(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var in struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	name := r.PathValue("org_name")
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.authorize(w, p, name, orgScopeAccess("team-edit")) {
		return
	}
	if prob := teamNameProblem(in.Name); prob != "" {
		writeErrInfo(w, http.StatusBadRequest, "Invalid team name: "+prob, map[string]string{"name": prob})
		return
	}
	o := s.st.orgs[name]
	if teamNamed(o, in.Name) != nil {
		writeErrInfo(w, http.StatusConflict, fmt.Sprintf("A team named %s already exists in %s.", in.Name, name), map[string]string{"name": "already exists"})
		return
	}
	t := &team{ID: s.st.id(), UUID: s.orgAreaUUID(), Name: in.Name, Description: in.Description,
		Members: map[string]bool{}, RepoPerms: map[string]string{}}
	o.Teams[t.Name] = t
	s.audit(name, "org.team.create", name, p, "created the team "+t.Name, map[string]string{"team": t.Name})
	writeJSON(w, http.StatusCreated, teamOut(t))
}

// changeTeam renames and re-describes a team (PUT and PATCH); nil leaves a
// field as it is.
func (s *Server) changeTeam(w http.ResponseWriter, r *http.Request, p principal, newName, desc *string) {
	o, t, ok := s.teamFor(w, r, p, orgScopeAccess("team-edit"))
	if !ok {
		return
	}
	oldName := t.Name
	if newName != nil && *newName != t.Name {
		if prob := teamNameProblem(*newName); prob != "" {
			writeErrInfo(w, http.StatusBadRequest, "Invalid team name: "+prob, map[string]string{"name": prob})
			return
		}
		if t.Name == ownersTeamName {
			writeErrInfo(w, http.StatusForbidden, "The owners team cannot be renamed.", nil)
			return
		}
		if other := teamNamed(o, *newName); other != nil && other != t {
			writeErrInfo(w, http.StatusConflict, fmt.Sprintf("A team named %s already exists in %s.", *newName, o.Name), map[string]string{"name": "already exists"})
			return
		}
		delete(o.Teams, t.Name)
		t.Name = *newName
		o.Teams[t.Name] = t
		for _, inv := range o.Invites {
			if inv.Team == oldName {
				inv.Team = t.Name
			}
		}
	}
	if desc != nil {
		t.Description = *desc
	}
	data := map[string]string{"team": t.Name, "description": t.Description}
	if oldName != t.Name {
		data["previous_name"] = oldName
	}
	s.audit(o.Name, "org.team.update", o.Name, p, "updated the team "+t.Name, data)
	writeJSON(w, http.StatusOK, teamOut(t))
}

func (s *Server) replaceTeam(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var in struct {
		Name        *string `json:"name"`
		Description string  `json:"description"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.Name == nil {
		if _, _, ok := s.teamFor(w, r, p, orgScopeAccess("team-edit")); ok {
			writeErrInfo(w, http.StatusBadRequest, "name is required.", map[string]string{"name": "This field is required."})
		}
		return
	}
	s.changeTeam(w, r, p, in.Name, &in.Description)
}

func (s *Server) patchTeam(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var in struct {
		Name        *string `json:"name"`
		Description *string `json:"description"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.changeTeam(w, r, p, in.Name, in.Description)
}

func (s *Server) deleteTeam(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, t, ok := s.teamFor(w, r, p, orgScopeAccess("team-edit"))
	if !ok {
		return
	}
	if t.Name == ownersTeamName {
		writeErrInfo(w, http.StatusForbidden, "The owners team cannot be deleted.", nil)
		return
	}
	delete(o.Teams, t.Name)
	s.audit(o.Name, "org.team.delete", o.Name, p, "deleted the team "+t.Name, map[string]string{"team": t.Name})
	w.WriteHeader(http.StatusNoContent)
}

// listTeamMembers lists a team's users. Owners (and organization access
// tokens) may search by e-mail and see addresses; others see none.
func (s *Server) listTeamMembers(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	pg, ok := parsePaging(w, r, 25)
	if !ok {
		return
	}
	search := strings.ToLower(r.URL.Query().Get("search"))
	s.mu.RLock()
	defer s.mu.RUnlock()
	o, t, ok := s.teamFor(w, r, p, orgScopeAccess("team-read"))
	if !ok {
		return
	}
	elevated := p.Kind == KindOAT || (o.Members[p.User] != nil && o.Members[p.User].Role == RoleOwner)
	names := make([]string, 0, len(t.Members))
	for un := range t.Members {
		u := s.st.users[un]
		if u == nil {
			continue
		}
		if search != "" && !strings.Contains(strings.ToLower(u.Username), search) && !strings.Contains(strings.ToLower(u.FullName), search) &&
			!(elevated && strings.Contains(strings.ToLower(u.Email), search)) {
			continue
		}
		names = append(names, un)
	}
	slices.Sort(names)
	out, ok := pageOf(w, pg, names, func(un string) groupMemberJSON {
		u := s.st.users[un]
		gm := groupMemberJSON{ID: u.ID, Username: u.Username, FullName: u.FullName, Company: u.Company, Location: u.Location,
			ProfileURL: u.ProfileURL, GravatarEmail: u.GravatarEmail, DateJoined: ts(u.Joined), Type: "User"}
		if elevated {
			gm.Email = u.Email
		}
		return gm
	})
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, newPage(r, pg, len(names), out))
}

// addTeamMember adds an org member to a team; adding to the owners team
// makes them an owner. Adding someone already in the team changes nothing.
func (s *Server) addTeamMember(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var in struct {
		Member string `json:"member"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, t, ok := s.teamFor(w, r, p, orgScopeAccess("team-edit"))
	if !ok {
		return
	}
	if in.Member == "" {
		writeErrInfo(w, http.StatusBadRequest, "member is required.", map[string]string{"member": "This field is required."})
		return
	}
	username := in.Member
	if strings.Contains(username, "@") {
		if u := s.st.inviteeUserByEmail(username); u != nil {
			username = u.Username
		}
	}
	m := o.Members[username]
	if s.st.users[username] == nil || m == nil {
		writeErrInfo(w, http.StatusNotFound, fmt.Sprintf("%s is not a member of the organization %s; invite them first.", in.Member, o.Name), nil)
		return
	}
	if t.Members[username] {
		w.WriteHeader(http.StatusOK)
		return
	}
	t.Members[username] = true
	if t.Name == ownersTeamName && m.Role != RoleOwner {
		setOrgMemberRole(o, m, RoleOwner)
	}
	s.audit(o.Name, "org.team.member.add", username, p, fmt.Sprintf("added %s to the team %s", username, t.Name), map[string]string{"team": t.Name})
	w.WriteHeader(http.StatusOK)
}

// removeTeamMember takes a user out of a team; leaving the owners team
// makes an owner a member, and the last owner cannot leave it.
func (s *Server) removeTeamMember(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, t, ok := s.teamFor(w, r, p, orgScopeAccess("team-edit"))
	if !ok {
		return
	}
	username := r.PathValue("username")
	if !t.Members[username] {
		writeErrInfo(w, http.StatusNotFound, fmt.Sprintf("%s is not in the team %s.", username, t.Name), nil)
		return
	}
	if t.Name == ownersTeamName {
		if m := o.Members[username]; m != nil && m.Role == RoleOwner {
			if orgOwnerCount(o) == 1 {
				writeErrInfo(w, http.StatusForbidden, fmt.Sprintf("%s is the last owner of %s and cannot leave the owners team.", username, o.Name), nil)
				return
			}
			setOrgMemberRole(o, m, RoleMember)
		}
	}
	delete(t.Members, username)
	s.audit(o.Name, "org.team.member.remove", username, p, fmt.Sprintf("removed %s from the team %s", username, t.Name), map[string]string{"team": t.Name})
	w.WriteHeader(http.StatusNoContent)
}
