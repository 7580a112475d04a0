package hubsim

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// routesOrgs registers the handlers of this API area.
func (s *Server) routesOrgs() {
	s.handle("GET /v2/orgs/{name}/settings", s.getOrgSettings)
	s.handle("PUT /v2/orgs/{name}/settings", s.putOrgSettings)
	// Outside the document, served by the Hub: the organization's profile
	// (hub-tool and the Terraform provider read it) and Registry Access
	// Management (the Terraform provider manages it).
	s.handle("GET /v2/orgs/{org_name}/{$}", s.getOrg)
	s.handle("GET /v2/orgs/{org_name}/settings/registry-access-management", s.getRegistryAccess)
	s.handle("PUT /v2/orgs/{org_name}/settings/registry-access-management", s.putRegistryAccess)
}

// getOrg answers GET /v2/orgs/{org_name}/ with the organization's public
// profile, the shape of an entry of GET /v2/user/orgs/. Like the profile
// page on hub.docker.com it needs no sign-in; a token sent must be valid.
func (s *Server) getOrg(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.optionalAuth(w, r); !ok {
		return
	}
	name := r.PathValue("org_name")
	s.mu.RLock()
	o := s.st.orgs[name]
	if o == nil {
		s.mu.RUnlock()
		writeErrInfo(w, http.StatusNotFound, "Organization not found: "+name, nil)
		return
	}
	out := orgProfile(o)
	s.mu.RUnlock()
	writeGetOrHead(w, r, out)
}

// orgProfile is o as GET /v2/orgs/{org_name}/ and GET /v2/user/orgs/ show it.
func orgProfile(o *org) userOrgJSON {
	return userOrgJSON{ID: o.ID, OrgName: o.Name, FullName: o.FullName, Company: o.Company,
		DateJoined: ts(o.Created), Type: "Organization"}
}

// ramDockerHub is the id of Docker Hub among the standard registries.
const ramDockerHub = "DockerHub"

// ramJSON is the Registry Access Management settings as the Hub answers them.
type ramJSON struct {
	Enabled            bool             `json:"enabled"`
	StandardRegistries []ramStandardReg `json:"standard_registries"`
	CustomRegistries   []ramCustomReg   `json:"custom_registries"`
}

type ramStandardReg struct {
	ID      string `json:"id"`
	Allowed bool   `json:"allowed"`
}

type ramCustomReg struct {
	Address      string `json:"address"`
	FriendlyName string `json:"friendly_name"`
	Allowed      bool   `json:"allowed"`
}

func registryAccessJSON(st orgSettings) ramJSON {
	out := ramJSON{Enabled: st.RAMEnabled, StandardRegistries: []ramStandardReg{{ID: ramDockerHub, Allowed: st.RAMDockerHub}},
		CustomRegistries: make([]ramCustomReg, 0, len(st.RAMCustom))}
	for _, c := range st.RAMCustom {
		out.CustomRegistries = append(out.CustomRegistries, ramCustomReg(c))
	}
	return out
}

// registryAccessAccess is who may read (change false) or change Registry
// Access Management: the org settings rules, but organization access
// tokens are refused (the Hub does not offer it to them).
func registryAccessAccess(change bool) access {
	a := orgScopeAccess("settings-read")
	if change {
		a = orgScopeAccess("settings-edit")
	}
	a.OATScope = ""
	return a
}

func (s *Server) getRegistryAccess(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	name := r.PathValue("org_name")
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !s.authorize(w, p, name, registryAccessAccess(false)) {
		return
	}
	writeJSON(w, http.StatusOK, registryAccessJSON(s.st.orgs[name].Settings))
}

// putRegistryAccess replaces the Registry Access Management settings:
// enabled is required; standard_registries and custom_registries, when
// given, replace what the org had. Every change is audited with the
// org.registry_access.* actions.
func (s *Server) putRegistryAccess(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var in struct {
		Enabled            *bool             `json:"enabled"`
		StandardRegistries *[]ramStandardReg `json:"standard_registries"`
		CustomRegistries   *[]ramCustomReg   `json:"custom_registries"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	name := r.PathValue("org_name")
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.authorize(w, p, name, registryAccessAccess(true)) {
		return
	}
	o := s.st.orgs[name]
	next := o.Settings
	fields := map[string][]string{}
	if in.Enabled == nil {
		fields["enabled"] = []string{"This field is required."}
	} else {
		next.RAMEnabled = *in.Enabled
	}
	if in.StandardRegistries != nil {
		for i, sr := range *in.StandardRegistries {
			if sr.ID != ramDockerHub {
				fields[fmt.Sprintf("standard_registries[%d].id", i)] = []string{fmt.Sprintf("%q is not a standard registry (%s).", sr.ID, ramDockerHub)}
				continue
			}
			next.RAMDockerHub = sr.Allowed
		}
	}
	if in.CustomRegistries != nil {
		next.RAMCustom = make([]customRegistry, 0, len(*in.CustomRegistries))
		seen := map[string]bool{}
		for i, c := range *in.CustomRegistries {
			key := fmt.Sprintf("custom_registries[%d]", i)
			if msg := registryAddressProblem(c.Address); msg != "" {
				fields[key+".address"] = []string{msg}
				continue
			}
			if seen[strings.ToLower(c.Address)] {
				fields[key+".address"] = []string{fmt.Sprintf("The registry %s is listed twice.", c.Address)}
				continue
			}
			if utf8.RuneCountInString(c.FriendlyName) > 100 {
				fields[key+".friendly_name"] = []string{"Ensure this field has no more than 100 characters."}
			}
			seen[strings.ToLower(c.Address)] = true
			next.RAMCustom = append(next.RAMCustom, customRegistry(c))
		}
	}
	if len(fields) > 0 {
		writeFieldErrors(w, "Invalid registry access management settings.", fields)
		return
	}
	s.auditRegistryAccess(name, p, o.Settings, next)
	o.Settings = next
	writeJSON(w, http.StatusOK, registryAccessJSON(o.Settings))
}

// registryAddressProblem says what is wrong with a custom registry address
// (a host, optionally with a port and a path, without a scheme), "" when
// nothing.
func registryAddressProblem(addr string) string {
	switch {
	case strings.TrimSpace(addr) == "":
		return "This field is required."
	case strings.Contains(addr, "://"):
		return "Give the registry address without a scheme (registry.example.com, not https://registry.example.com)."
	case len(addr) > 255 || strings.ContainsAny(addr, " \t\r\n"):
		return "Enter a valid registry address."
	}
	return ""
}

// auditRegistryAccess records what changed between old and next. The
// caller holds s.mu for writing.
func (s *Server) auditRegistryAccess(orgName string, p principal, old, next orgSettings) {
	if old.RAMEnabled != next.RAMEnabled {
		action, state := "org.registry_access.disabled", "off"
		if next.RAMEnabled {
			action, state = "org.registry_access.enabled", "on"
		}
		s.audit(orgName, action, orgName, p, "turned registry access management "+state, nil)
	}
	if old.RAMDockerHub != next.RAMDockerHub {
		s.audit(orgName, "org.registry_access.registry_updated", orgName, p,
			fmt.Sprintf("set Docker Hub to %s in registry access management", allowedWord(next.RAMDockerHub)),
			map[string]string{"registry": ramDockerHub, "allowed": strconv.FormatBool(next.RAMDockerHub)})
	}
	before := map[string]customRegistry{}
	for _, c := range old.RAMCustom {
		before[strings.ToLower(c.Address)] = c
	}
	after := map[string]bool{}
	for _, c := range next.RAMCustom {
		key := strings.ToLower(c.Address)
		after[key] = true
		data := map[string]string{"registry": c.Address, "friendly_name": c.FriendlyName, "allowed": strconv.FormatBool(c.Allowed)}
		prev, had := before[key]
		switch {
		case !had:
			s.audit(orgName, "org.registry_access.registry_added", orgName, p,
				fmt.Sprintf("added the registry %s (%s) to registry access management", c.Address, allowedWord(c.Allowed)), data)
		case prev != c:
			s.audit(orgName, "org.registry_access.registry_updated", orgName, p,
				fmt.Sprintf("updated the registry %s (%s) in registry access management", c.Address, allowedWord(c.Allowed)), data)
		}
	}
	for _, c := range old.RAMCustom {
		if !after[strings.ToLower(c.Address)] {
			s.audit(orgName, "org.registry_access.registry_removed", orgName, p,
				fmt.Sprintf("removed the registry %s from registry access management", c.Address), map[string]string{"registry": c.Address})
		}
	}
}

func allowedWord(allowed bool) string {
	if allowed {
		return "allowed"
	}
	return "not allowed"
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

// OrgAuditLen is how many audit events org holds (0 for no such org), so
// tests can tell how many a span added without copying them.
func (s *Server) OrgAuditLen(orgName string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if o := s.st.orgs[orgName]; o != nil {
		return len(o.Audit)
	}
	return 0
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
