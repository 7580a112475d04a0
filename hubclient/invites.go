package hubclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"time"
)

// InviteService covers invites: list, resend, cancel, bulk.
type InviteService service

// Invite is a pending invitation to an organization (schema invite).
type Invite struct {
	// ID is the invite's UUID.
	ID              string `json:"id"`
	InviterUsername string `json:"inviter_username"`
	// Invitee is a Docker ID for a registered user or an e-mail address.
	Invitee string `json:"invitee"`
	Org     string `json:"org"`
	// Team is the team the invitee joins ("" for none).
	Team string `json:"team"`
	// Role is the org role the invitee gets. The document's schema lacks
	// it; the Hub sends it.
	Role      string    `json:"role,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Statuses of one invitee in a bulk invite answer.
const (
	// InviteStatusInvited: an invite was (or, in a dry run, would be) sent.
	InviteStatusInvited = "invited"
	// InviteStatusExistingMember: the invitee already belongs to the org.
	InviteStatusExistingMember = "existing_org_member"
	// InviteStatusInvalid: neither an e-mail address nor a Docker ID.
	InviteStatusInvalid = "invalid_email_or_docker_id"
	// InviteStatusAlreadyInvited: a pending invite exists for the invitee.
	InviteStatusAlreadyInvited = "already_invited"
)

// MaxBulkInvitees is the most invitees one bulk invite may carry, as
// Docker's own invite form allows.
const MaxBulkInvitees = 1000

// BulkInviteRequest is the body of POST /v2/invites/bulk.
type BulkInviteRequest struct {
	// Org is the organization to join (required).
	Org string `json:"org"`
	// Team is the team to join (optional).
	Team string `json:"team,omitempty"`
	// Role is OrgRoleOwner, OrgRoleEditor or OrgRoleMember (optional).
	Role string `json:"role,omitempty"`
	// Invitees are e-mail addresses or Docker IDs (required).
	Invitees []string `json:"invitees"`
	// DryRun validates everything and changes nothing: the answer tells
	// what would happen to each invitee.
	DryRun bool `json:"dry_run,omitempty"`
}

// BulkInviteResult is the outcome for one invitee.
type BulkInviteResult struct {
	Invitee string `json:"invitee"`
	// Status is one of the InviteStatus constants (or another word the Hub uses).
	Status string `json:"status"`
	// Invite is set when an invite was created.
	Invite *Invite `json:"invite,omitempty"`
}

// List returns an organization's pending invites (GET
// /v2/orgs/{org_name}/invites). Only owners may list them. The answer is not
// paginated.
func (s *InviteService) List(ctx context.Context, org string) ([]Invite, *Response, error) {
	if err := checkNamespace("org", org); err != nil {
		return nil, nil, err
	}
	var out struct {
		Data []Invite `json:"data"`
	}
	resp, err := s.c.do(ctx, request{method: http.MethodGet, path: path("/v2/orgs/%s/invites", org)}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("list invites of %s: %w", org, err)
	}
	resp.Count = len(out.Data)
	return out.Data, resp, nil
}

// Cancel cancels a pending invite (DELETE /v2/invites/{id}).
func (s *InviteService) Cancel(ctx context.Context, id string) (*Response, error) {
	if err := checkPathID("id", id); err != nil {
		return nil, err
	}
	resp, err := s.c.do(ctx, request{method: http.MethodDelete, path: path("/v2/invites/%s", id)}, nil)
	if err != nil {
		return resp, fmt.Errorf("cancel invite %s: %w", id, err)
	}
	return resp, nil
}

// Resend sends a pending invite's e-mail again (PATCH /v2/invites/{id}/resend).
func (s *InviteService) Resend(ctx context.Context, id string) (*Response, error) {
	if err := checkPathID("id", id); err != nil {
		return nil, err
	}
	resp, err := s.c.do(ctx, request{method: http.MethodPatch, path: path("/v2/invites/%s/resend", id)}, nil)
	if err != nil {
		return resp, fmt.Errorf("resend invite %s: %w", id, err)
	}
	return resp, nil
}

// Bulk invites many people at once (POST /v2/invites/bulk) and reports what
// happened to each. With DryRun nothing changes and the statuses say what
// would happen. Every invitee is checked first (ValidateInvitee): when any
// is malformed nothing is sent and the *ValidationError names them all.
func (s *InviteService) Bulk(ctx context.Context, req BulkInviteRequest) ([]BulkInviteResult, *Response, error) {
	if err := checkNamespace("org", req.Org); err != nil {
		return nil, nil, err
	}
	req.Role = strings.ToLower(strings.TrimSpace(req.Role))
	if req.Role != "" && !validOrgRole(req.Role) {
		return nil, nil, &ValidationError{"role", fmt.Sprintf("%q is not one of owner, editor, member", req.Role)}
	}
	if len(req.Invitees) == 0 {
		return nil, nil, &ValidationError{"invitees", "name at least one e-mail address or Docker ID"}
	}
	if len(req.Invitees) > MaxBulkInvitees {
		return nil, nil, &ValidationError{"invitees", fmt.Sprintf("at most %d per request, got %d", MaxBulkInvitees, len(req.Invitees))}
	}
	if bad := CheckInvitees(req.Invitees); len(bad) > 0 {
		quoted := make([]string, 0, min(len(bad), 10))
		for _, b := range bad[:min(len(bad), 10)] {
			quoted = append(quoted, strconv.Quote(b))
		}
		more := ""
		if len(bad) > 10 {
			more = fmt.Sprintf(" and %d more", len(bad)-10)
		}
		return nil, nil, &ValidationError{"invitees", "not an e-mail address or Docker ID: " + strings.Join(quoted, ", ") + more}
	}
	var out struct {
		Invitees json.RawMessage `json:"invitees"`
	}
	resp, err := s.c.do(ctx, request{method: http.MethodPost, path: "/v2/invites/bulk", body: req}, &out)
	what := "invite"
	if req.DryRun {
		what = "dry-run invite"
	}
	if err != nil {
		return nil, resp, fmt.Errorf("%s %d to %s: %w", what, len(req.Invitees), req.Org, err)
	}
	res, err := decodeBulkInvitees(out.Invitees)
	if err != nil {
		return nil, resp, fmt.Errorf("%s %d to %s: %w", what, len(req.Invitees), req.Org, err)
	}
	return res, resp, nil
}

// decodeBulkInvitees reads the answer's invitees: a list, as the Hub sends
// it, or the list wrapped once more ({"invitees": [...]}), as the document's
// schema literally reads.
func decodeBulkInvitees(raw json.RawMessage) ([]BulkInviteResult, error) {
	s := strings.TrimSpace(string(raw))
	switch {
	case s == "" || s == "null":
		return nil, nil
	case strings.HasPrefix(s, "["):
		var list []BulkInviteResult
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, fmt.Errorf("decode invitees: %w", err)
		}
		return list, nil
	default:
		var inner struct {
			Invitees []BulkInviteResult `json:"invitees"`
		}
		if err := json.Unmarshal(raw, &inner); err != nil {
			return nil, fmt.Errorf("decode invitees: %w", err)
		}
		return inner.Invitees, nil
	}
}

// SplitInvitees splits pasted text into invitees the way Docker's invite
// form does: entries separated by commas, semicolons or white space. Empty
// entries are dropped and repeats (ignoring case) kept once, in order.
func SplitInvitees(text string) []string {
	fields := strings.FieldsFunc(text, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f'
	})
	seen := make(map[string]bool, len(fields))
	out := make([]string, 0, len(fields))
	for _, f := range fields {
		k := strings.ToLower(f)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	return out
}

// CheckInvitees returns the entries that are neither an e-mail address nor
// a Docker ID, in order.
func CheckInvitees(invitees []string) []string {
	var bad []string
	for _, v := range invitees {
		if ValidateInvitee(v) != nil {
			bad = append(bad, v)
		}
	}
	return bad
}

// ValidateInvitee checks that v is an e-mail address (a bare
// local@domain.tld, no display name) or a Docker ID. A Docker ID is
// lowercase letters and digits; new ones are 4 to 30 characters, but
// older accounts can be shorter, so 2 to 30 are accepted.
func ValidateInvitee(v string) error {
	switch {
	case v == "":
		return &ValidationError{"invitee", "is empty"}
	case v != strings.TrimSpace(v):
		return &ValidationError{"invitee", fmt.Sprintf("%q has surrounding spaces", v)}
	case strings.Contains(v, "@"):
		if !validInviteEmail(v) {
			return &ValidationError{"invitee", fmt.Sprintf("%q is not a valid e-mail address", v)}
		}
		return nil
	}
	if len(v) < 2 || len(v) > 30 {
		return &ValidationError{"invitee", fmt.Sprintf("%q: a Docker ID has 2 to 30 characters", v)}
	}
	for _, r := range v {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			return &ValidationError{"invitee", fmt.Sprintf("%q: a Docker ID has only lowercase letters and digits", v)}
		}
	}
	return nil
}

func validInviteEmail(v string) bool {
	if len(v) > 254 || strings.Count(v, "@") != 1 {
		return false
	}
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v || a.Name != "" {
		return false
	}
	local, domain, _ := strings.Cut(v, "@")
	if local == "" || len(local) > 64 || !strings.Contains(domain, ".") {
		return false
	}
	for _, label := range strings.Split(domain, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r > 0x7f) {
				return false
			}
		}
	}
	return true
}
