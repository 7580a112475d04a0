package hubclient

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// UserService covers who am I and my organizations (GET /v2/user/,
// GET /v2/user/orgs/). Neither operation is in Docker's current API
// document, but hub.docker.com serves both (the Hub CLI tool uses them).
type UserService service

// Account types as the Hub names them in the `type` field.
const (
	// AccountTypeUser is a person's account.
	AccountTypeUser = "User"
	// AccountTypeOrg is an organization in the document's `user` schema.
	AccountTypeOrg = "Org"
	// AccountTypeOrganization is an organization in GET /v2/user/orgs/.
	AccountTypeOrganization = "Organization"
)

// User is a Docker account as the document's `user` schema describes it:
// the signed-in user of GET /v2/user/, and the common part of org members.
type User struct {
	// ID is the account's UUID without dashes.
	ID            string    `json:"id"`
	Username      string    `json:"username"`
	FullName      string    `json:"full_name"`
	Company       string    `json:"company"`
	Location      string    `json:"location"`
	ProfileURL    string    `json:"profile_url"`
	GravatarEmail string    `json:"gravatar_email"`
	GravatarURL   string    `json:"gravatar_url"`
	DateJoined    time.Time `json:"date_joined"`
	// Type is AccountTypeUser or AccountTypeOrg.
	Type string `json:"type"`
}

// Organization is one organization of the signed-in user, as GET
// /v2/user/orgs/ lists it.
type Organization struct {
	ID            string    `json:"id"`
	OrgName       string    `json:"orgname"`
	FullName      string    `json:"full_name"`
	Company       string    `json:"company"`
	Location      string    `json:"location"`
	ProfileURL    string    `json:"profile_url"`
	GravatarEmail string    `json:"gravatar_email"`
	GravatarURL   string    `json:"gravatar_url"`
	DateJoined    time.Time `json:"date_joined"`
	// Type is AccountTypeOrganization.
	Type string `json:"type"`
}

// UserOrgListOptions page GET /v2/user/orgs/.
type UserOrgListOptions struct {
	ListOptions
}

// Me returns the signed-in user (GET /v2/user/). A client signed in with an
// organization access token speaks for an organization, not a person: the
// Hub refuses it (hubsim answers 403).
func (s *UserService) Me(ctx context.Context) (*User, *Response, error) {
	var u User
	resp, err := s.c.do(ctx, request{method: http.MethodGet, path: "/v2/user/"}, &u)
	if err != nil {
		return nil, resp, fmt.Errorf("get signed-in user: %w", err)
	}
	return &u, resp, nil
}

// ListOrgs returns one page of the organizations the signed-in user belongs
// to (GET /v2/user/orgs/).
func (s *UserService) ListOrgs(ctx context.Context, opt *UserOrgListOptions) ([]Organization, *Response, error) {
	var lo ListOptions
	if opt != nil {
		lo = opt.ListOptions
	}
	if err := lo.validate(); err != nil {
		return nil, nil, err
	}
	orgs, resp, err := getPage[Organization](ctx, s.c, "/v2/user/orgs/", lo.values())
	if err != nil {
		return nil, resp, fmt.Errorf("list my organizations: %w", err)
	}
	return orgs, resp, nil
}
