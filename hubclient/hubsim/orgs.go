package hubsim

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// routesOrgs registers the handlers of this API area.
func (s *Server) routesOrgs() {
	s.handle("GET /v2/orgs/{name}/settings", s.getOrgSettings)
	s.handle("PUT /v2/orgs/{name}/settings", s.putOrgSettings)
}

// orgScopeAccess is who may do what in the organization areas (members,
// invites, teams, settings), named by the OAT scope the operation needs.
// People need an org role: any member reads members and teams, editors also
// read settings, and only owners read invites (as the document says) or
// change anything. A personal access token also needs repo:read to read and
// repo:admin to change (PAT scopes are repository scopes only; those are the
// nearest match). An organization access token needs the scope itself.
func orgScopeAccess(oatScope string) access {
	a := access{Role: RoleOwner, PATScope: "repo:admin", OATScope: oatScope}
	switch oatScope {
	case "member-read", "team-read":
		a.Role, a.PATScope = RoleMember, "repo:read"
	case "settings-read":
		a.Role, a.PATScope = RoleEditor, "repo:read"
	case "invite-read":
		a.PATScope = "repo:read"
	}
	return a
}

// SetSeats caps the members plus pending invites of org (0 removes the
// cap); a bulk invite that would pass it is refused with 409.
func (s *Server) SetSeats(orgName string, seats int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.st.orgs[orgName]
	if o == nil {
		return fmt.Errorf("hubsim: no organization %q", orgName)
	}
	o.Seats = max(0, seats)
	return nil
}

// OrgAuditRecord is one audit event as OrgAuditTail reports it.
type OrgAuditRecord struct {
	Action, Name, Actor, Description string
	Data                             map[string]string
	Timestamp                        time.Time
}

// OrgAuditTail returns the newest n audit events of org, oldest first, so
// tests can see what a mutation recorded.
func (s *Server) OrgAuditTail(orgName string, n int) []OrgAuditRecord {
	s.mu.RLock()
	defer s.mu.RUnlock()
	o := s.st.orgs[orgName]
	if o == nil || n <= 0 {
		return nil
	}
	evs := o.Audit[max(0, len(o.Audit)-n):]
	out := make([]OrgAuditRecord, 0, len(evs))
	for _, ev := range evs {
		out = append(out, OrgAuditRecord{Action: ev.Action, Name: ev.Name, Actor: ev.Actor, Description: ev.Description,
			Data: maps.Clone(ev.Data), Timestamp: ev.Timestamp})
	}
	return out
}

// GrantPAT gives username a new active personal access token with scopes
// and returns its secret, so tests can sign in with a token of any scope.
func (s *Server) GrantPAT(username, label string, scopes ...string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.users[username]
	if u == nil {
		return "", fmt.Errorf("hubsim: no user %q", username)
	}
	id := s.orgAreaUUID()
	tok := "dckr_pat_" + strings.ReplaceAll(s.orgAreaUUID(), "-", "")[:27]
	u.PATs[id] = &pat{UUID: id, Label: label, Scopes: slices.Clone(scopes), Token: tok, Active: true, Created: s.clock.Now()}
	return tok, nil
}

// orgSettingsJSON is schema orgSettings.
type orgSettingsJSON struct {
	RestrictedImages restrictedImagesJSON `json:"restricted_images"`
}

type restrictedImagesJSON struct {
	Enabled                 bool `json:"enabled"`
	AllowOfficialImages     bool `json:"allow_official_images"`
	AllowVerifiedPublishers bool `json:"allow_verified_publishers"`
}

func settingsJSON(st orgSettings) orgSettingsJSON {
	return orgSettingsJSON{restrictedImagesJSON{st.RestrictImages, st.AllowOfficialImages, st.AllowVerifiedPublishers}}
}

func (s *Server) getOrgSettings(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	name := r.PathValue("name")
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !s.authorize(w, p, name, orgScopeAccess("settings-read")) {
		return
	}
	writeJSON(w, http.StatusOK, settingsJSON(s.st.orgs[name].Settings))
}

func (s *Server) putOrgSettings(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var in struct {
		RestrictedImages *struct {
			Enabled                 *bool `json:"enabled"`
			AllowOfficialImages     *bool `json:"allow_official_images"`
			AllowVerifiedPublishers *bool `json:"allow_verified_publishers"`
		} `json:"restricted_images"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	name := r.PathValue("name")
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.authorize(w, p, name, orgScopeAccess("settings-edit")) {
		return
	}
	required := []string{"This field is required."}
	ri := in.RestrictedImages
	if ri == nil {
		writeFieldErrors(w, "restricted_images is required.", map[string][]string{"restricted_images": required})
		return
	}
	fields := map[string][]string{}
	if ri.Enabled == nil {
		fields["restricted_images.enabled"] = required
	}
	if ri.AllowOfficialImages == nil {
		fields["restricted_images.allow_official_images"] = required
	}
	if ri.AllowVerifiedPublishers == nil {
		fields["restricted_images.allow_verified_publishers"] = required
	}
	if len(fields) > 0 {
		writeFieldErrors(w, "restricted_images needs enabled, allow_official_images and allow_verified_publishers.", fields)
		return
	}
	o := s.st.orgs[name]
	o.Settings = orgSettings{RestrictImages: *ri.Enabled, AllowOfficialImages: *ri.AllowOfficialImages, AllowVerifiedPublishers: *ri.AllowVerifiedPublishers}
	s.audit(name, "org.settings.update", name, p, "updated the organization settings", map[string]string{
		"restricted_images":         strconv.FormatBool(*ri.Enabled),
		"allow_official_images":     strconv.FormatBool(*ri.AllowOfficialImages),
		"allow_verified_publishers": strconv.FormatBool(*ri.AllowVerifiedPublishers),
	})
	writeJSON(w, http.StatusOK, settingsJSON(o.Settings))
}
