package hubclient

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// MemberService covers organization members: list, export, role change, removal.
type MemberService service

// Org roles as requests (and the role filter) spell them.
const (
	OrgRoleOwner  = "owner"
	OrgRoleEditor = "editor"
	OrgRoleMember = "member"
)

// Member.Role values as the Hub answers them. The document's enum predates
// the editor role and lists Owner, Member and Invitee only.
const (
	MemberRoleOwner   = "Owner"
	MemberRoleEditor  = "Editor"
	MemberRoleMember  = "Member"
	MemberRoleInvitee = "Invitee"
)

// Values of MemberListOptions.Type.
const (
	MemberTypeAll     = "all"
	MemberTypeInvitee = "invitee"
	MemberTypeMember  = "member"
)

// Member is one row of an organization's member list (schema org_member):
// a user with their role and teams, or, when invitees are listed, a pending
// invitee (Role "Invitee").
type Member struct {
	User
	Email string `json:"email"`
	// Role is MemberRoleOwner, MemberRoleEditor, MemberRoleMember or MemberRoleInvitee.
	Role string `json:"role"`
	// Groups are the names of the teams the member belongs to.
	Groups []string `json:"groups"`
	// IsGuest flags an e-mail address outside the org's verified domains.
	IsGuest bool `json:"is_guest"`
	// PrimaryEmail is deprecated in favour of Email.
	PrimaryEmail string `json:"primary_email,omitempty"`
	// The insights fields are only sent to orgs with insights enabled.
	LastLoggedInAt     *time.Time `json:"last_logged_in_at,omitempty"`
	LastSeenAt         *time.Time `json:"last_seen_at,omitempty"`
	LastDesktopVersion string     `json:"last_desktop_version,omitempty"`
}

// IsInvitee reports whether the row is a pending invitation.
func (m Member) IsInvitee() bool { return strings.EqualFold(m.Role, MemberRoleInvitee) }

// OrgRole is the member's role in request spelling (OrgRoleOwner, ...), or
// "" for an invitee.
func (m Member) OrgRole() string {
	if m.IsInvitee() {
		return ""
	}
	return strings.ToLower(m.Role)
}

// MemberListOptions filter and page GET /v2/orgs/{org_name}/members.
type MemberListOptions struct {
	ListOptions
	// Search matches username, full name or e-mail.
	Search string
	// Type is MemberTypeAll, MemberTypeInvitee or MemberTypeMember ("" lets
	// the Hub choose: members only).
	Type string
	// Role keeps one role: OrgRoleOwner, OrgRoleEditor or OrgRoleMember.
	Role string
	// Invites includes pending invitees in the answer.
	Invites bool
}

func (o *MemberListOptions) query() (url.Values, error) {
	if o == nil {
		o = &MemberListOptions{}
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	switch o.Type {
	case "", MemberTypeAll, MemberTypeInvitee, MemberTypeMember:
	default:
		return nil, &ValidationError{"type", fmt.Sprintf("%q is not one of all, invitee, member", o.Type)}
	}
	if o.Role != "" && !validOrgRole(o.Role) {
		return nil, &ValidationError{"role", fmt.Sprintf("%q is not one of owner, editor, member", o.Role)}
	}
	q := o.values()
	if o.Search != "" {
		q.Set("search", o.Search)
	}
	if o.Type != "" {
		q.Set("type", o.Type)
	}
	if o.Role != "" {
		q.Set("role", o.Role)
	}
	if o.Invites {
		q.Set("invites", "true")
	}
	return q, nil
}

func validOrgRole(r string) bool {
	return r == OrgRoleOwner || r == OrgRoleEditor || r == OrgRoleMember
}

// List returns one page of an organization's members (GET
// /v2/orgs/{org_name}/members).
func (s *MemberService) List(ctx context.Context, org string, opt *MemberListOptions) ([]Member, *Response, error) {
	if err := checkNamespace("org", org); err != nil {
		return nil, nil, err
	}
	q, err := opt.query()
	if err != nil {
		return nil, nil, err
	}
	ms, resp, err := getPage[Member](ctx, s.c, path("/v2/orgs/%s/members", org), q)
	if err != nil {
		return nil, resp, fmt.Errorf("list members of %s: %w", org, err)
	}
	return ms, resp, nil
}

// UpdateRole changes a member's role (PUT /v2/orgs/{org_name}/members/{username})
// to OrgRoleOwner, OrgRoleEditor or OrgRoleMember and returns the updated
// member. The Hub refuses to demote the last owner.
func (s *MemberService) UpdateRole(ctx context.Context, org, username, role string) (*Member, *Response, error) {
	if err := checkNamespace("org", org); err != nil {
		return nil, nil, err
	}
	if err := checkUsername("username", username); err != nil {
		return nil, nil, err
	}
	role = strings.ToLower(strings.TrimSpace(role))
	if !validOrgRole(role) {
		return nil, nil, &ValidationError{"role", "must be one of owner, editor, member"}
	}
	body := struct {
		Role string `json:"role"`
	}{role}
	var m Member
	resp, err := s.c.do(ctx, request{method: http.MethodPut, path: path("/v2/orgs/%s/members/%s", org, username), body: body}, &m)
	if err != nil {
		return nil, resp, fmt.Errorf("change role of %s in %s to %s: %w", username, org, role, err)
	}
	return &m, resp, nil
}

// Remove removes a member from the organization and all its teams (DELETE
// /v2/orgs/{org_name}/members/{username}). The last owner cannot be removed.
func (s *MemberService) Remove(ctx context.Context, org, username string) (*Response, error) {
	if err := checkNamespace("org", org); err != nil {
		return nil, err
	}
	if err := checkUsername("username", username); err != nil {
		return nil, err
	}
	resp, err := s.c.do(ctx, request{method: http.MethodDelete, path: path("/v2/orgs/%s/members/%s", org, username)}, nil)
	if err != nil {
		return resp, fmt.Errorf("remove %s from %s: %w", username, org, err)
	}
	return resp, nil
}

// MemberExport is the CSV of GET /v2/orgs/{org_name}/members/export: the
// bytes as the Hub sent them (to save as a file) and the parsed rows.
type MemberExport struct {
	// Filename is from Content-Disposition, "" when the Hub sent none.
	Filename string
	// Raw is the CSV as received.
	Raw []byte
	// Rows are the parsed records, in the Hub's order.
	Rows []MemberExportRow
}

// MemberExportRow is one line of the members CSV.
type MemberExportRow struct {
	Name     string
	Username string
	Email    string
	// Type is "User" for a member or "Invitee" for a pending invitation.
	Type string
	// Permission is the role: "Owner", "Editor" or "Member" (column
	// "Permission", or "Role" in older exports).
	Permission string
	// Teams are the member's teams (none for invitees).
	Teams []string
	// DateJoined is when the member joined (or was invited); zero when the
	// text could not be read, which DateJoinedText keeps.
	DateJoined     time.Time
	DateJoinedText string
}

// Export downloads the organization's members as CSV (GET
// /v2/orgs/{org_name}/members/export) and parses it.
func (s *MemberService) Export(ctx context.Context, org string) (*MemberExport, *Response, error) {
	if err := checkNamespace("org", org); err != nil {
		return nil, nil, err
	}
	var raw []byte
	resp, err := s.c.do(ctx, request{method: http.MethodGet, path: path("/v2/orgs/%s/members/export", org), accept: "text/csv", large: true}, &raw)
	if err != nil {
		return nil, resp, fmt.Errorf("export members of %s: %w", org, err)
	}
	ex := &MemberExport{Raw: raw}
	if cd := resp.Header.Get("Content-Disposition"); cd != "" {
		if _, params, perr := mime.ParseMediaType(cd); perr == nil {
			ex.Filename = params["filename"]
		}
	}
	ex.Rows, err = ParseMemberCSV(raw)
	if err != nil {
		return ex, resp, fmt.Errorf("export members of %s: %w", org, err)
	}
	return ex, resp, nil
}

// memberCSVTimeLayouts are the forms the Date Joined column takes: Go's
// time.String as the Hub writes it, then RFC 3339 and a bare date-time.
const (
	memberCSVTimeGo   = "2006-01-02 15:04:05.999999999 -0700 MST"
	memberCSVTimeBare = "2006-01-02 15:04:05"
)

// ParseMemberCSV reads a members export. Columns are found by their header
// (case-insensitively, in any order, unknown ones ignored); a Username or
// Email column is required.
func ParseMemberCSV(b []byte) ([]MemberExportRow, error) {
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("members CSV header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		k := strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[k]; !dup {
			col[k] = i
		}
	}
	_, hasUser := col["username"]
	_, hasEmail := col["email"]
	if !hasUser && !hasEmail {
		return nil, fmt.Errorf("members CSV: no Username or Email column in header %q", strings.Join(head, ","))
	}
	cell := func(rec []string, names ...string) string {
		for _, n := range names {
			if i, ok := col[n]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
		}
		return ""
	}
	var rows []MemberExportRow
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return rows, fmt.Errorf("members CSV: %w", err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		row := MemberExportRow{
			Name:           cell(rec, "name"),
			Username:       cell(rec, "username"),
			Email:          cell(rec, "email"),
			Type:           cell(rec, "type"),
			Permission:     cell(rec, "permission", "role"),
			DateJoinedText: cell(rec, "date joined"),
		}
		for _, t := range strings.Split(cell(rec, "teams"), ",") {
			if t = strings.TrimSpace(t); t != "" {
				row.Teams = append(row.Teams, t)
			}
		}
		row.DateJoined = parseMemberCSVTime(row.DateJoinedText)
		rows = append(rows, row)
	}
	return rows, nil
}

func parseMemberCSVTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	// time.String may append a monotonic clock reading ("m=+0.01").
	if i := strings.Index(s, " m="); i >= 0 {
		s = s[:i]
	}
	for _, layout := range []string{memberCSVTimeGo, time.RFC3339Nano, memberCSVTimeBare} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}
