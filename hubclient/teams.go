package hubclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// TeamService covers teams (groups) and team members.
type TeamService service

// OwnersTeam is the team whose members are the organization's owners.
const OwnersTeam = "owners"

// Team is a group of an organization (schema org_group).
type Team struct {
	ID          int64  `json:"id"`
	UUID        string `json:"uuid"`
	Name        string `json:"name"`
	Description string `json:"description"`
	MemberCount int    `json:"member_count"`
}

// TeamMember is a user in a team (schema group_member). Email is only
// filled in for owners (and others with elevated permissions).
type TeamMember struct {
	User
	Email string `json:"email"`
}

// TeamListOptions filter and page GET /v2/orgs/{org_name}/groups.
type TeamListOptions struct {
	ListOptions
	// Username keeps the teams this user belongs to.
	Username string
	// Search matches team names.
	Search string
}

// TeamMemberListOptions filter and page GET
// /v2/orgs/{org_name}/groups/{group_name}/members.
type TeamMemberListOptions struct {
	ListOptions
	// Search matches username, full name or (for owners) e-mail.
	Search string
}

// TeamUpdate is a partial change for Update (PATCH); nil fields are left as
// they are.
type TeamUpdate struct {
	Name        *string `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`
}

// teamBody is the body of create (POST) and replace (PUT).
type teamBody struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// validTeamName applies the only rule the document states for a team
// name: it is required. Surrounding spaces are refused too, since such a
// name could not be told apart from its trimmed form in a list.
func validTeamName(field, name string) error {
	if strings.TrimSpace(name) == "" {
		return &ValidationError{field, "is required"}
	}
	if name != strings.TrimSpace(name) {
		return &ValidationError{field, fmt.Sprintf("%q has surrounding spaces", name)}
	}
	return nil
}

// List returns one page of an organization's teams (GET /v2/orgs/{org_name}/groups).
func (s *TeamService) List(ctx context.Context, org string, opt *TeamListOptions) ([]Team, *Response, error) {
	if err := checkNamespace("org", org); err != nil {
		return nil, nil, err
	}
	if opt == nil {
		opt = &TeamListOptions{}
	}
	if err := opt.validate(); err != nil {
		return nil, nil, err
	}
	q := opt.values()
	if opt.Username != "" {
		q.Set("username", opt.Username)
	}
	if opt.Search != "" {
		q.Set("search", opt.Search)
	}
	teams, resp, err := getPage[Team](ctx, s.c, path("/v2/orgs/%s/groups", org), q)
	if err != nil {
		return nil, resp, fmt.Errorf("list teams of %s: %w", org, err)
	}
	return teams, resp, nil
}

// Get returns one team (GET /v2/orgs/{org_name}/groups/{group_name}).
func (s *TeamService) Get(ctx context.Context, org, team string) (*Team, *Response, error) {
	if err := teamArgs(org, team); err != nil {
		return nil, nil, err
	}
	var t Team
	resp, err := s.c.do(ctx, request{method: http.MethodGet, path: path("/v2/orgs/%s/groups/%s", org, team)}, &t)
	if err != nil {
		return nil, resp, fmt.Errorf("get team %s/%s: %w", org, team, err)
	}
	return &t, resp, nil
}

// Create makes a team (POST /v2/orgs/{org_name}/groups). The Hub answers
// 409 when the name is taken.
func (s *TeamService) Create(ctx context.Context, org, name, description string) (*Team, *Response, error) {
	if err := checkNamespace("org", org); err != nil {
		return nil, nil, err
	}
	if err := validTeamName("name", name); err != nil {
		return nil, nil, err
	}
	var t Team
	resp, err := s.c.do(ctx, request{method: http.MethodPost, path: path("/v2/orgs/%s/groups", org),
		body: teamBody{Name: name, Description: description}}, &t)
	if err != nil {
		return nil, resp, fmt.Errorf("create team %s/%s: %w", org, name, err)
	}
	return &t, resp, nil
}

// Replace sets a team's name and description (PUT
// /v2/orgs/{org_name}/groups/{group_name}); an empty description clears it.
func (s *TeamService) Replace(ctx context.Context, org, team, name, description string) (*Team, *Response, error) {
	if err := teamArgs(org, team); err != nil {
		return nil, nil, err
	}
	if err := validTeamName("name", name); err != nil {
		return nil, nil, err
	}
	var t Team
	resp, err := s.c.do(ctx, request{method: http.MethodPut, path: path("/v2/orgs/%s/groups/%s", org, team),
		body: teamBody{Name: name, Description: description}}, &t)
	if err != nil {
		return nil, resp, fmt.Errorf("replace team %s/%s: %w", org, team, err)
	}
	return &t, resp, nil
}

// Update changes some of a team's details (PATCH
// /v2/orgs/{org_name}/groups/{group_name}): rename it, or change its
// description.
func (s *TeamService) Update(ctx context.Context, org, team string, u TeamUpdate) (*Team, *Response, error) {
	if err := teamArgs(org, team); err != nil {
		return nil, nil, err
	}
	if u.Name == nil && u.Description == nil {
		return nil, nil, &ValidationError{"name", "nothing to change: set a name or a description"}
	}
	if u.Name != nil {
		if err := validTeamName("name", *u.Name); err != nil {
			return nil, nil, err
		}
	}
	var t Team
	resp, err := s.c.do(ctx, request{method: http.MethodPatch, path: path("/v2/orgs/%s/groups/%s", org, team), body: u}, &t)
	if err != nil {
		return nil, resp, fmt.Errorf("update team %s/%s: %w", org, team, err)
	}
	return &t, resp, nil
}

// Delete deletes a team (DELETE /v2/orgs/{org_name}/groups/{group_name}).
func (s *TeamService) Delete(ctx context.Context, org, team string) (*Response, error) {
	if err := teamArgs(org, team); err != nil {
		return nil, err
	}
	resp, err := s.c.do(ctx, request{method: http.MethodDelete, path: path("/v2/orgs/%s/groups/%s", org, team)}, nil)
	if err != nil {
		return resp, fmt.Errorf("delete team %s/%s: %w", org, team, err)
	}
	return resp, nil
}

// ListMembers returns one page of a team's members (GET
// /v2/orgs/{org_name}/groups/{group_name}/members). It also reads the bare
// list older Hub versions answered with (then Response.Count is its length
// and there is no next page).
func (s *TeamService) ListMembers(ctx context.Context, org, team string, opt *TeamMemberListOptions) ([]TeamMember, *Response, error) {
	if err := teamArgs(org, team); err != nil {
		return nil, nil, err
	}
	if opt == nil {
		opt = &TeamMemberListOptions{}
	}
	if err := opt.validate(); err != nil {
		return nil, nil, err
	}
	q := opt.values()
	if opt.Search != "" {
		q.Set("search", opt.Search)
	}
	var raw json.RawMessage
	resp, err := s.c.do(ctx, request{method: http.MethodGet, path: path("/v2/orgs/%s/groups/%s/members", org, team), query: q}, &raw)
	if err != nil {
		return nil, resp, fmt.Errorf("list members of team %s/%s: %w", org, team, err)
	}
	if b := bytes.TrimSpace(raw); len(b) > 0 && b[0] == '[' {
		var list []TeamMember
		if err := json.Unmarshal(b, &list); err != nil {
			return nil, resp, fmt.Errorf("list members of team %s/%s: decode answer: %w", org, team, err)
		}
		resp.Count = len(list)
		return list, resp, nil
	}
	var pg page[TeamMember]
	if err := json.Unmarshal(raw, &pg); err != nil {
		return nil, resp, fmt.Errorf("list members of team %s/%s: decode answer: %w", org, team, err)
	}
	resp.Count, resp.Next, resp.Previous = pg.Count, pg.Next, pg.Previous
	return pg.Results, resp, nil
}

// AddMember adds an organization member to a team (POST
// /v2/orgs/{org_name}/groups/{group_name}/members). Adding someone to the
// owners team makes them an owner.
func (s *TeamService) AddMember(ctx context.Context, org, team, username string) (*Response, error) {
	if err := teamArgs(org, team); err != nil {
		return nil, err
	}
	if err := orgArgRequired("member", username); err != nil {
		return nil, err
	}
	body := struct {
		Member string `json:"member"`
	}{username}
	resp, err := s.c.do(ctx, request{method: http.MethodPost, path: path("/v2/orgs/%s/groups/%s/members", org, team), body: body}, nil)
	if err != nil {
		return resp, fmt.Errorf("add %s to team %s/%s: %w", username, org, team, err)
	}
	return resp, nil
}

// RemoveMember removes a user from a team (DELETE
// /v2/orgs/{org_name}/groups/{group_name}/members/{username}); they stay in
// the organization.
func (s *TeamService) RemoveMember(ctx context.Context, org, team, username string) (*Response, error) {
	if err := teamArgs(org, team); err != nil {
		return nil, err
	}
	if err := checkUsername("username", username); err != nil {
		return nil, err
	}
	resp, err := s.c.do(ctx, request{method: http.MethodDelete, path: path("/v2/orgs/%s/groups/%s/members/%s", org, team, username)}, nil)
	if err != nil {
		return resp, fmt.Errorf("remove %s from team %s/%s: %w", username, org, team, err)
	}
	return resp, nil
}

func teamArgs(org, team string) error {
	if err := checkNamespace("org", org); err != nil {
		return err
	}
	return checkTeamRef("team", team)
}
