package hubclient

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Resource types of an organization access token.
const (
	OATResourceRepo = "TYPE_REPO"
	OATResourceOrg  = "TYPE_ORG"
)

// OATPublicRepos is the TYPE_REPO path that means every public repository.
const OATPublicRepos = "*/*/public"

// Scopes an organization access token can hold. TYPE_REPO resources take
// the repository scopes; TYPE_ORG resources (path "*") take the
// organization scopes.
const (
	OATScopeRepoPull     = "repo-pull"
	OATScopeRepoPush     = "repo-push"
	OATScopeImagePull    = "scope-image-pull" // the document's spelling of repo-pull
	OATScopeImagePush    = "scope-image-push"
	OATScopeMemberRead   = "member-read"
	OATScopeMemberEdit   = "member-edit"
	OATScopeTeamRead     = "team-read"
	OATScopeTeamEdit     = "team-edit"
	OATScopeInviteRead   = "invite-read"
	OATScopeInviteEdit   = "invite-edit"
	OATScopeAuditLogRead = "audit-log-read"
	OATScopeSettingsRead = "settings-read"
	OATScopeSettingsEdit = "settings-edit"
	OATScopeOrgRepoRead  = "repo-read"
	OATScopeOrgRepoEdit  = "repo-edit"
)

// OATRepoScopes lists the scopes valid on a TYPE_REPO resource.
func OATRepoScopes() []string {
	return []string{OATScopeRepoPull, OATScopeRepoPush, OATScopeImagePull, OATScopeImagePush}
}

// OATOrgScopes lists the scopes valid on a TYPE_ORG resource.
func OATOrgScopes() []string {
	return []string{OATScopeMemberRead, OATScopeMemberEdit, OATScopeTeamRead, OATScopeTeamEdit,
		OATScopeInviteRead, OATScopeInviteEdit, OATScopeAuditLogRead, OATScopeSettingsRead,
		OATScopeSettingsEdit, OATScopeOrgRepoRead, OATScopeOrgRepoEdit}
}

// OrgTokenService covers organization access tokens (OATs): GET/POST
// /v2/orgs/{name}/access-tokens and GET/PATCH/DELETE
// /v2/orgs/{org_name}/access-tokens/{access_token_id}. Only organization
// owners manage them.
type OrgTokenService service

// OrgAccessToken is an organization access token. Resources is filled by
// Get, Create and Update (the list leaves it out); Token holds the secret
// value only in the answer to Create.
type OrgAccessToken struct {
	ID          string                   `json:"id"`
	Label       string                   `json:"label"`
	Description string                   `json:"description"` // "" when none
	CreatedBy   string                   `json:"created_by"`
	IsActive    bool                     `json:"is_active"`
	CreatedAt   time.Time                `json:"created_at"`
	ExpiresAt   *time.Time               `json:"expires_at"`   // nil: never expires
	LastUsedAt  *time.Time               `json:"last_used_at"` // nil: never used
	Resources   []OrgAccessTokenResource `json:"resources,omitempty"`
	Token       Secret                   `json:"token,omitempty"`
}

// Expired reports whether the token has an expiry that is not after now.
func (t OrgAccessToken) Expired(now time.Time) bool {
	return t.ExpiresAt != nil && !t.ExpiresAt.After(now)
}

// OrgAccessTokenResource is what an organization access token may touch:
// a repository path (TYPE_REPO: "org/repo", "org/*" or "*/*/public") or the
// organization (TYPE_ORG, path "*"), with the scopes it holds there.
type OrgAccessTokenResource struct {
	Type   string   `json:"type"`
	Path   string   `json:"path"`
	Scopes []string `json:"scopes"`
}

// OrgTokenListOptions page GET /v2/orgs/{name}/access-tokens.
type OrgTokenListOptions struct {
	ListOptions
}

// CreateOrgAccessTokenRequest is the body of POST /v2/orgs/{name}/access-tokens.
type CreateOrgAccessTokenRequest struct {
	Label       string                   `json:"label"`
	Description string                   `json:"description,omitempty"`
	Resources   []OrgAccessTokenResource `json:"resources,omitempty"`
	ExpiresAt   *time.Time               `json:"expires_at,omitempty"` // nil: never expires
}

// UpdateOrgAccessTokenRequest is the body of PATCH
// /v2/orgs/{org_name}/access-tokens/{access_token_id}. Nil fields are left
// alone; Resources, when not nil, replaces the token's resources.
type UpdateOrgAccessTokenRequest struct {
	Label       *string                  `json:"label,omitempty"`
	Description *string                  `json:"description,omitempty"`
	Resources   []OrgAccessTokenResource `json:"resources,omitempty"`
	IsActive    *bool                    `json:"is_active,omitempty"`
}

// validate checks one resource against the document's rules.
func (r OrgAccessTokenResource) validate(i int) error {
	field := fmt.Sprintf("resources[%d]", i)
	switch r.Type {
	case OATResourceRepo:
		if err := validateOATRepoPath(r.Path); err != nil {
			return &ValidationError{field + ".path", err.Error()}
		}
	case OATResourceOrg:
		if strings.TrimSpace(r.Path) == "" {
			return &ValidationError{field + ".path", `must not be empty (use "*" for the organization)`}
		}
	default:
		return &ValidationError{field + ".type", fmt.Sprintf("%q is not TYPE_REPO or TYPE_ORG", r.Type)}
	}
	if len(r.Scopes) == 0 {
		return &ValidationError{field + ".scopes", "give at least one scope"}
	}
	valid := OATRepoScopes()
	if r.Type == OATResourceOrg {
		valid = OATOrgScopes()
	}
	for _, sc := range r.Scopes {
		if !slices.Contains(valid, sc) {
			return &ValidationError{field + ".scopes", fmt.Sprintf("%q is not a %s scope (valid: %s)", sc, r.Type, strings.Join(valid, ", "))}
		}
	}
	return nil
}

// validateOATRepoPath accepts "namespace/repository", "namespace/*" and "*/*/public".
func validateOATRepoPath(p string) error {
	if p == OATPublicRepos {
		return nil
	}
	ns, repo, ok := strings.Cut(p, "/")
	if !ok || ns == "" || repo == "" || strings.Contains(repo, "/") || ns == "*" {
		return fmt.Errorf(`%q is not "namespace/repository", "namespace/*" or "*/*/public"`, p)
	}
	return nil
}

func validateOATResources(res []OrgAccessTokenResource) error {
	if len(res) == 0 {
		return &ValidationError{"resources", "give at least one resource"}
	}
	for i, r := range res {
		if err := r.validate(i); err != nil {
			return err
		}
	}
	return nil
}

func (r CreateOrgAccessTokenRequest) validate() error {
	if strings.TrimSpace(r.Label) == "" {
		return &ValidationError{"label", "must not be empty"}
	}
	return validateOATResources(r.Resources)
}

func (r UpdateOrgAccessTokenRequest) validate() error {
	if r.Label == nil && r.Description == nil && r.Resources == nil && r.IsActive == nil {
		return &ValidationError{"label", "nothing to change: set a label, description, resources or is_active"}
	}
	if r.Label != nil && strings.TrimSpace(*r.Label) == "" {
		return &ValidationError{"label", "must not be empty"}
	}
	if r.Resources != nil {
		return validateOATResources(r.Resources)
	}
	return nil
}

func validateOATTarget(org, id string) error {
	if err := checkNamespace("org_name", org); err != nil {
		return err
	}
	return checkPathID("access_token_id", id)
}

// List calls GET /v2/orgs/{name}/access-tokens and returns one page. The
// Hub reports the total as `total`; Response.Count carries it.
func (s *OrgTokenService) List(ctx context.Context, org string, opt *OrgTokenListOptions) ([]OrgAccessToken, *Response, error) {
	if err := checkNamespace("name", org); err != nil {
		return nil, nil, err
	}
	if opt == nil {
		opt = &OrgTokenListOptions{}
	}
	if err := opt.validate(); err != nil {
		return nil, nil, err
	}
	var pg struct {
		Total    int              `json:"total"`
		Next     string           `json:"next"`
		Previous string           `json:"previous"`
		Results  []OrgAccessToken `json:"results"`
	}
	resp, err := s.c.do(ctx, request{method: http.MethodGet, path: path("/v2/orgs/%s/access-tokens", org), query: opt.values()}, &pg)
	if err != nil {
		return nil, resp, fmt.Errorf("list access tokens of %s: %w", org, err)
	}
	resp.Count, resp.Next, resp.Previous = pg.Total, pg.Next, pg.Previous
	return pg.Results, resp, nil
}

// Create calls POST /v2/orgs/{name}/access-tokens. The answer is the only
// time the token's value is shown: keep OrgAccessToken.Token.
func (s *OrgTokenService) Create(ctx context.Context, org string, req CreateOrgAccessTokenRequest) (*OrgAccessToken, *Response, error) {
	if err := checkNamespace("name", org); err != nil {
		return nil, nil, err
	}
	if err := req.validate(); err != nil {
		return nil, nil, err
	}
	var out OrgAccessToken
	resp, err := s.c.do(ctx, request{method: http.MethodPost, path: path("/v2/orgs/%s/access-tokens", org), body: req}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("create access token %q in %s: %w", req.Label, org, err)
	}
	return &out, resp, nil
}

// Get calls GET /v2/orgs/{org_name}/access-tokens/{access_token_id}.
func (s *OrgTokenService) Get(ctx context.Context, org, id string) (*OrgAccessToken, *Response, error) {
	if err := validateOATTarget(org, id); err != nil {
		return nil, nil, err
	}
	var out OrgAccessToken
	resp, err := s.c.do(ctx, request{method: http.MethodGet, path: path("/v2/orgs/%s/access-tokens/%s", org, id)}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("get access token %s of %s: %w", id, org, err)
	}
	return &out, resp, nil
}

// Update calls PATCH /v2/orgs/{org_name}/access-tokens/{access_token_id}.
func (s *OrgTokenService) Update(ctx context.Context, org, id string, req UpdateOrgAccessTokenRequest) (*OrgAccessToken, *Response, error) {
	if err := validateOATTarget(org, id); err != nil {
		return nil, nil, err
	}
	if err := req.validate(); err != nil {
		return nil, nil, err
	}
	var out OrgAccessToken
	resp, err := s.c.do(ctx, request{method: http.MethodPatch, path: path("/v2/orgs/%s/access-tokens/%s", org, id), body: req}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("update access token %s of %s: %w", id, org, err)
	}
	return &out, resp, nil
}

// Delete calls DELETE /v2/orgs/{org_name}/access-tokens/{access_token_id}.
// It cannot be undone.
func (s *OrgTokenService) Delete(ctx context.Context, org, id string) (*Response, error) {
	if err := validateOATTarget(org, id); err != nil {
		return nil, err
	}
	resp, err := s.c.do(ctx, request{method: http.MethodDelete, path: path("/v2/orgs/%s/access-tokens/%s", org, id)}, nil)
	if err != nil {
		return resp, fmt.Errorf("delete access token %s of %s: %w", id, org, err)
	}
	return resp, nil
}
