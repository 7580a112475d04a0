package hubsim

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// routesInvites registers the handlers of this API area.
func (s *Server) routesInvites() {
	s.handle("GET /v2/orgs/{org_name}/invites", s.listOrgInvites)
	s.handle("DELETE /v2/invites/{id}", s.cancelInvite)
	s.handle("PATCH /v2/invites/{id}/resend", s.resendInvite)
	s.handle("POST /v2/invites/bulk", s.bulkInvite)
}

// Per-invitee statuses of a bulk invite.
const (
	inviteStatusInvited        = "invited"
	inviteStatusExistingMember = "existing_org_member"
	inviteStatusInvalid        = "invalid_email_or_docker_id"
	inviteStatusAlreadyInvited = "already_invited"
)

// inviteJSON is schema invite (plus role, which the Hub sends).
type inviteJSON struct {
	ID              string `json:"id"`
	InviterUsername string `json:"inviter_username"`
	Invitee         string `json:"invitee"`
	Org             string `json:"org"`
	Team            string `json:"team"`
	Role            string `json:"role"`
	CreatedAt       string `json:"created_at"`
}

func inviteOut(orgName string, inv *invite) inviteJSON {
	return inviteJSON{ID: inv.ID, InviterUsername: inv.Inviter, Invitee: inv.Invitee, Org: orgName, Team: inv.Team,
		Role: inv.Role, CreatedAt: ts(inv.Created)}
}

// orgAreaUUID makes a random dashed UUID (version 4 layout) for invites
// and teams.
func (s *Server) orgAreaUUID() string {
	const digits = "0123456789abcdef"
	b := make([]byte, 32)
	for i := range b {
		b[i] = digits[s.rng.Int64N(16)]
	}
	b[12] = '4'
	h := string(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-a" + h[17:20] + "-" + h[20:]
}

// inviteByID finds a pending invite in any organization.
func (st *store) inviteByID(id string) (*org, *invite) {
	for _, o := range st.orgs {
		if inv := o.Invites[id]; inv != nil {
			return o, inv
		}
	}
	return nil, nil
}

func (s *Server) listOrgInvites(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	name := r.PathValue("org_name")
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !s.authorize(w, p, name, orgScopeAccess("invite-read")) {
		return
	}
	o := s.st.orgs[name]
	invs := make([]*invite, 0, len(o.Invites))
	for _, inv := range o.Invites {
		invs = append(invs, inv)
	}
	slices.SortFunc(invs, func(a, b *invite) int {
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	data := make([]inviteJSON, 0, len(invs))
	for _, inv := range invs {
		data = append(data, inviteOut(name, inv))
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data})
}

// inviteAction authorizes p on the org that holds invite id, answering 404
// for an unknown id. The caller holds s.mu for writing.
func (s *Server) inviteAction(w http.ResponseWriter, p principal, id string) (*org, *invite, bool) {
	o, inv := s.st.inviteByID(id)
	if inv == nil {
		writeErrInfo(w, http.StatusNotFound, "Invite not found: "+id, nil)
		return nil, nil, false
	}
	if !s.authorize(w, p, o.Name, orgScopeAccess("invite-edit")) {
		return nil, nil, false
	}
	return o, inv, true
}

func (s *Server) cancelInvite(w http.ResponseWriter, r *http.Request) {
	s.changeInvite(w, r, "org.invite.cancel", "cancelled", true)
}

func (s *Server) resendInvite(w http.ResponseWriter, r *http.Request) {
	s.changeInvite(w, r, "org.invite.resend", "resent", false)
}

// changeInvite resends the path's invite, or cancels it when remove is
// set, auditing action ("<done> the invite of ...") and answering 204.
func (s *Server) changeInvite(w http.ResponseWriter, r *http.Request, action, done string, remove bool) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, inv, ok := s.inviteAction(w, p, r.PathValue("id"))
	if !ok {
		return
	}
	if remove {
		delete(o.Invites, inv.ID)
	}
	s.audit(o.Name, action, o.Name, p, fmt.Sprintf("%s the invite of %s to %s", done, inv.Invitee, o.Name),
		map[string]string{"invitee": inv.Invitee, "invite_id": inv.ID, "team": inv.Team})
	w.WriteHeader(http.StatusNoContent)
}

// bulkInviteOutcome is one invitee of the answer.
type bulkInviteOutcome struct {
	Invitee string      `json:"invitee"`
	Status  string      `json:"status"`
	Invite  *inviteJSON `json:"invite,omitempty"`
}

// bulkInvite answers 202 with the flat {"invitees": [...]} the Hub sends
// (the document's schema wraps the list twice).
func (s *Server) bulkInvite(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var in struct {
		Org      string   `json:"org"`
		Team     string   `json:"team"`
		Role     string   `json:"role"`
		Invitees []string `json:"invitees"`
		DryRun   bool     `json:"dry_run"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if in.Org == "" {
		writeErrInfo(w, http.StatusBadRequest, "org is required.", map[string]string{"org": "This field is required."})
		return
	}
	if len(in.Invitees) == 0 {
		writeErrInfo(w, http.StatusBadRequest, "invitees is required.", map[string]string{"invitees": "Name at least one e-mail address or Docker ID."})
		return
	}
	if len(in.Invitees) > 1000 {
		writeErrInfo(w, http.StatusBadRequest, "Too many invitees.", map[string]string{"invitees": "At most 1000 invitees per request."})
		return
	}
	if in.Role != "" && !validOrgRole(in.Role) {
		writeErrInfo(w, http.StatusBadRequest, fmt.Sprintf("Invalid role %q.", in.Role), map[string]string{"role": "must be one of owner, editor, member"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.authorize(w, p, in.Org, orgScopeAccess("invite-edit")) {
		return
	}
	o := s.st.orgs[in.Org]
	if in.Team != "" && o.Teams[in.Team] == nil {
		writeErrInfo(w, http.StatusBadRequest, fmt.Sprintf("Team %s does not exist in %s.", in.Team, in.Org), map[string]string{"team": "no such team"})
		return
	}
	role := in.Role
	if role == "" {
		role = RoleMember
	}
	if in.Team == ownersTeamName {
		role = RoleOwner
	}
	pending := func(u *user, v string) bool {
		for _, inv := range o.Invites {
			if strings.EqualFold(inv.Invitee, v) || (u != nil && (inv.Invitee == u.Username || strings.EqualFold(inv.Invitee, u.Email))) {
				return true
			}
		}
		return false
	}
	out := make([]bulkInviteOutcome, 0, len(in.Invitees))
	var toInvite []int // indexes into out
	seen := map[string]bool{}
	for _, v := range in.Invitees {
		key := strings.ToLower(strings.TrimSpace(v))
		if seen[key] {
			continue
		}
		seen[key] = true
		var u *user
		valid := false
		if strings.Contains(v, "@") {
			valid = isInviteEmail(v)
			if valid {
				u = s.st.inviteeUserByEmail(v)
			}
		} else {
			u = s.st.users[v]
			valid = u != nil || inviteeIsDockerID(v)
		}
		oc := bulkInviteOutcome{Invitee: v}
		switch {
		case !valid:
			oc.Status = inviteStatusInvalid
		case u != nil && o.Members[u.Username] != nil:
			oc.Status = inviteStatusExistingMember
		case pending(u, v):
			oc.Status = inviteStatusAlreadyInvited
		default:
			oc.Status = inviteStatusInvited
			toInvite = append(toInvite, len(out))
		}
		out = append(out, oc)
	}
	if o.Seats > 0 && len(o.Members)+len(o.Invites)+len(toInvite) > o.Seats {
		free := max(0, o.Seats-len(o.Members)-len(o.Invites))
		writeErrInfo(w, http.StatusConflict, fmt.Sprintf("Not enough seats: %s has %d free seats and %d invitees need one.", in.Org, free, len(toInvite)),
			map[string]string{"seats": fmt.Sprintf("%d of %d in use", o.Seats-free, o.Seats)})
		return
	}
	if !in.DryRun {
		now := s.clock.Now()
		inviter := p.User
		for _, i := range toInvite {
			inv := &invite{ID: s.orgAreaUUID(), Inviter: inviter, Invitee: out[i].Invitee, Team: in.Team, Role: role, Created: now}
			o.Invites[inv.ID] = inv
			j := inviteOut(o.Name, inv)
			out[i].Invite = &j
			s.audit(o.Name, "org.invite.create", o.Name, p, fmt.Sprintf("invited %s to %s as %s", inv.Invitee, o.Name, role),
				map[string]string{"invitee": inv.Invitee, "invite_id": inv.ID, "team": inv.Team, "role": role})
		}
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"invitees": out})
}
