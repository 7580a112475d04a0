package hubsim

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// routesMembers registers the handlers of this API area.
func (s *Server) routesMembers() {
	s.handle("GET /v2/orgs/{org_name}/members", s.listOrgMembers)
	s.handle("GET /v2/orgs/{org_name}/members/export", s.exportOrgMembers)
	s.handle("PUT /v2/orgs/{org_name}/members/{username}", s.putOrgMember)
	s.handle("DELETE /v2/orgs/{org_name}/members/{username}", s.deleteOrgMember)
}

// ownersTeamName is the team whose members are the org's owners; its
// membership and the owner role move together.
const ownersTeamName = "owners"

// memberRoleTitle is a role as member rows spell it: Owner, Editor, Member.
func memberRoleTitle(role string) string {
	switch role {
	case RoleOwner:
		return "Owner"
	case RoleEditor:
		return "Editor"
	case RoleMember:
		return "Member"
	}
	return role
}

func validOrgRole(role string) bool {
	return role == RoleOwner || role == RoleEditor || role == RoleMember
}

// memberTeamNames lists, sorted, the teams of o that username belongs to.
func memberTeamNames(o *org, username string) []string {
	names := []string{}
	for n, t := range o.Teams {
		if t.Members[username] {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

func orgOwnerCount(o *org) int {
	n := 0
	for _, m := range o.Members {
		if m.Role == RoleOwner {
			n++
		}
	}
	return n
}

// setOrgMemberRole changes a member's role, keeping the owners team in step.
// The caller holds s.mu for writing and has checked the last-owner rule.
func setOrgMemberRole(o *org, m *member, role string) {
	m.Role = role
	if t := o.Teams[ownersTeamName]; t != nil {
		if role == RoleOwner {
			t.Members[m.Username] = true
		} else {
			delete(t.Members, m.Username)
		}
	}
}

// isInviteEmail reports whether v looks like an e-mail address.
func isInviteEmail(v string) bool {
	local, domain, ok := strings.Cut(v, "@")
	return ok && local != "" && !strings.ContainsAny(v, " \t\r\n<>,;\"") && !strings.Contains(domain, "@") &&
		strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".") && !strings.Contains(domain, "..")
}

// inviteeIsDockerID reports whether v is a well-formed Docker ID: lowercase
// letters and digits, 2 to 30 of them (new IDs need 4; older ones are shorter).
func inviteeIsDockerID(v string) bool {
	if len(v) < 2 || len(v) > 30 {
		return false
	}
	for _, r := range v {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// inviteeUserByEmail finds a user by any of their addresses, ignoring case.
func (st *store) inviteeUserByEmail(addr string) *user {
	for _, u := range st.users {
		if strings.EqualFold(u.Email, addr) {
			return u
		}
		for _, e := range u.Emails {
			if strings.EqualFold(e.Address, addr) {
				return u
			}
		}
	}
	return nil
}

// orgMemberJSON is schema org_member (user plus email, role, groups...).
type orgMemberJSON struct {
	ID             string   `json:"id"`
	Username       string   `json:"username"`
	FullName       string   `json:"full_name"`
	Company        string   `json:"company"`
	Location       string   `json:"location"`
	ProfileURL     string   `json:"profile_url"`
	GravatarEmail  string   `json:"gravatar_email"`
	GravatarURL    string   `json:"gravatar_url"`
	DateJoined     string   `json:"date_joined"`
	Type           string   `json:"type"`
	Email          string   `json:"email"`
	Role           string   `json:"role"`
	Groups         []string `json:"groups"`
	IsGuest        bool     `json:"is_guest"`
	PrimaryEmail   string   `json:"primary_email"`
	LastLoggedInAt *string  `json:"last_logged_in_at,omitempty"`
	LastSeenAt     *string  `json:"last_seen_at,omitempty"`
	// LastDesktopVersion is left out for someone who never used Docker
	// Desktop (the document types it as a string, not nullable).
	LastDesktopVersion string `json:"last_desktop_version,omitempty"`
	// sortKey orders rows; not sent.
	sortKey string
}

// orgMemberRow is the org_member row of a member.
func orgMemberRow(o *org, u *user, m *member) orgMemberJSON {
	return orgMemberJSON{ID: u.ID, Username: u.Username, FullName: u.FullName, Company: u.Company, Location: u.Location,
		ProfileURL: u.ProfileURL, GravatarEmail: u.GravatarEmail, DateJoined: ts(u.Joined), Type: "User",
		Email: u.Email, Role: memberRoleTitle(m.Role), Groups: memberTeamNames(o, u.Username), PrimaryEmail: u.Email,
		LastLoggedInAt: tsPtr(u.LastLogin), LastSeenAt: tsPtr(m.LastSeen), LastDesktopVersion: u.DesktopVersion, sortKey: u.Username}
}

// inviteeRow is the org_member row of a pending invite (role Invitee).
func inviteeRow(st *store, inv *invite) orgMemberJSON {
	row := orgMemberJSON{ID: inv.ID, DateJoined: ts(inv.Created), Type: "User", Role: "Invitee", Groups: []string{}}
	if inv.Team != "" {
		row.Groups = []string{inv.Team}
	}
	if strings.Contains(inv.Invitee, "@") {
		row.Email, row.PrimaryEmail = inv.Invitee, inv.Invitee
	} else {
		row.Username = inv.Invitee
		if u := st.users[inv.Invitee]; u != nil {
			row.FullName, row.Company, row.Location = u.FullName, u.Company, u.Location
		}
	}
	row.sortKey = strings.ToLower(row.Username + row.Email)
	return row
}

func (s *Server) listOrgMembers(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	pg, ok := parsePaging(w, r, 25)
	if !ok {
		return
	}
	q := r.URL.Query()
	typ, role := q.Get("type"), q.Get("role")
	switch typ {
	case "", "all", "invitee", "member":
	default:
		writeErrInfo(w, http.StatusBadRequest, "Invalid type: "+typ, map[string]string{"type": "must be one of all, invitee, member"})
		return
	}
	if role != "" && !validOrgRole(role) {
		writeErrInfo(w, http.StatusBadRequest, "Invalid role: "+role, map[string]string{"role": "must be one of owner, editor, member"})
		return
	}
	withInvites := false
	if v := q.Get("invites"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			writeErrInfo(w, http.StatusBadRequest, "Invalid invites: "+v, map[string]string{"invites": "must be true or false"})
			return
		}
		withInvites = b
	}
	wantMembers := typ != "invitee"
	wantInvitees := typ == "invitee" || typ == "all" || (typ == "" && withInvites)
	search := strings.ToLower(q.Get("search"))
	name := r.PathValue("org_name")

	s.mu.RLock()
	defer s.mu.RUnlock()
	if !s.authorize(w, p, name, orgScopeAccess("member-read")) {
		return
	}
	o := s.st.orgs[name]
	matches := func(fields ...string) bool {
		if search == "" {
			return true
		}
		for _, f := range fields {
			if strings.Contains(strings.ToLower(f), search) {
				return true
			}
		}
		return false
	}
	var rows []orgMemberJSON
	if wantMembers {
		for un, m := range o.Members {
			u := s.st.users[un]
			if u == nil || (role != "" && m.Role != role) || !matches(u.Username, u.FullName, u.Email) {
				continue
			}
			rows = append(rows, orgMemberRow(o, u, m))
		}
	}
	if wantInvitees {
		for _, inv := range o.Invites {
			if (role != "" && inv.Role != role) || !matches(inv.Invitee) {
				continue
			}
			rows = append(rows, inviteeRow(s.st, inv))
		}
	}
	slices.SortFunc(rows, func(a, b orgMemberJSON) int {
		if c := strings.Compare(a.sortKey, b.sortKey); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	lo, hi, ok := pg.window(w, len(rows))
	if !ok {
		return
	}
	page := rows[lo:hi]
	if page == nil {
		page = []orgMemberJSON{}
	}
	writeJSON(w, http.StatusOK, newPage(r, pg, len(rows), page))
}

// exportOrgMembers answers the members (and invitees) as CSV with the
// columns Docker's export has: Name, Username, Email, Type, Permission,
// Teams, Date Joined (Go's time.String format, as the document's example).
func (s *Server) exportOrgMembers(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	name := r.PathValue("org_name")
	s.mu.RLock()
	if !s.authorize(w, p, name, access{Role: RoleEditor, PATScope: "repo:read", OATScope: "member-read"}) {
		s.mu.RUnlock()
		return
	}
	o := s.st.orgs[name]
	const joinedLayout = "2006-01-02 15:04:05.999999 -0700 MST"
	type line struct {
		key    string
		fields []string
	}
	lines := make([]line, 0, len(o.Members)+len(o.Invites))
	for un, m := range o.Members {
		u := s.st.users[un]
		if u == nil {
			continue
		}
		lines = append(lines, line{"0" + un, []string{u.FullName, un, u.Email, "User", memberRoleTitle(m.Role),
			strings.Join(memberTeamNames(o, un), ", "), m.Joined.UTC().Format(joinedLayout)}})
	}
	for _, inv := range o.Invites {
		username, email := "", inv.Invitee
		if !strings.Contains(inv.Invitee, "@") {
			username, email = inv.Invitee, ""
			if u := s.st.users[inv.Invitee]; u != nil {
				email = u.Email
			}
		}
		lines = append(lines, line{"1" + inv.Created.UTC().Format("20060102150405") + inv.ID, []string{"", username, email, "Invitee",
			memberRoleTitle(inv.Role), "", inv.Created.UTC().Format(joinedLayout)}})
	}
	now := s.clock.Now().UTC()
	s.mu.RUnlock()

	slices.SortFunc(lines, func(a, b line) int { return strings.Compare(a.key, b.key) })
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write([]string{"Name", "Username", "Email", "Type", "Permission", "Teams", "Date Joined"})
	for _, l := range lines {
		_ = cw.Write(l.fields)
	}
	cw.Flush()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment;filename="%s-members-%s.csv"`, name, now.Format("20060102T150405Z")))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) putOrgMember(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var in struct {
		Role string `json:"role"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	name, username := r.PathValue("org_name"), r.PathValue("username")
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.authorize(w, p, name, orgScopeAccess("member-edit")) {
		return
	}
	if !validOrgRole(in.Role) {
		writeErrInfo(w, http.StatusBadRequest, fmt.Sprintf("Invalid role %q: use owner, editor or member.", in.Role),
			map[string]string{"role": "must be one of owner, editor, member"})
		return
	}
	o := s.st.orgs[name]
	m, u := o.Members[username], s.st.users[username]
	if m == nil || u == nil {
		writeErrInfo(w, http.StatusNotFound, fmt.Sprintf("%s is not a member of the organization %s.", username, name), nil)
		return
	}
	if m.Role == RoleOwner && in.Role != RoleOwner && orgOwnerCount(o) == 1 {
		writeErrInfo(w, http.StatusBadRequest, fmt.Sprintf("%s is the last owner of %s: make someone else an owner first.", username, name),
			map[string]string{"role": "the organization needs at least one owner"})
		return
	}
	if m.Role != in.Role {
		old := m.Role
		setOrgMemberRole(o, m, in.Role)
		s.audit(name, "org.member.role.change", name, p, fmt.Sprintf("changed the role of %s from %s to %s", username, old, in.Role),
			map[string]string{"member": username, "role": in.Role, "previous_role": old})
	}
	writeJSON(w, http.StatusOK, orgMemberRow(o, u, m))
}

func (s *Server) deleteOrgMember(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	name, username := r.PathValue("org_name"), r.PathValue("username")
	s.mu.Lock()
	defer s.mu.Unlock()
	need := orgScopeAccess("member-edit")
	if p.Kind != KindOAT && p.User == username {
		need.Role = RoleMember // anyone may leave an organization
	}
	if !s.authorize(w, p, name, need) {
		return
	}
	o := s.st.orgs[name]
	m := o.Members[username]
	if m == nil {
		writeErrInfo(w, http.StatusNotFound, fmt.Sprintf("%s is not a member of the organization %s.", username, name), nil)
		return
	}
	if m.Role == RoleOwner && orgOwnerCount(o) == 1 {
		writeErrInfo(w, http.StatusBadRequest, fmt.Sprintf("%s is the last owner of %s and cannot be removed.", username, name),
			map[string]string{"username": "the organization needs at least one owner"})
		return
	}
	delete(o.Members, username)
	for _, t := range o.Teams {
		delete(t.Members, username)
	}
	s.audit(name, "org.member.remove", name, p, fmt.Sprintf("removed %s from the organization %s", username, name),
		map[string]string{"member": username})
	w.WriteHeader(http.StatusNoContent)
}
