package hubclient

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Personal access token scopes. A higher scope implies the lower ones:
// repo:admin ⊃ repo:write ⊃ repo:read ⊃ repo:public_read.
const (
	ScopeRepoAdmin      = "repo:admin"
	ScopeRepoWrite      = "repo:write"
	ScopeRepoRead       = "repo:read"
	ScopeRepoPublicRead = "repo:public_read"
)

// MaxTokenLabelLength is the documented maximum length of a personal access
// token's label.
const MaxTokenLabelLength = 100

// TokenService covers personal access tokens (PATs): GET/POST
// /v2/access-tokens and GET/PATCH/DELETE /v2/access-tokens/{uuid}.
//
// Docker Hub lets only a password (or two-factor) session manage personal
// access tokens: a session signed in with a PAT or an organization access
// token is answered 403.
type TokenService service

// AccessToken is a personal access token as the Hub describes it. Token
// holds the secret value only in the answer to Create; everywhere else the
// Hub sends "".
type AccessToken struct {
	UUID        string     `json:"uuid"`
	ClientID    string     `json:"client_id"`
	CreatorIP   string     `json:"creator_ip"`
	CreatorUA   string     `json:"creator_ua"`
	CreatedAt   time.Time  `json:"created_at"`
	LastUsed    *time.Time `json:"last_used"` // nil: never used
	GeneratedBy string     `json:"generated_by"`
	IsActive    bool       `json:"is_active"`
	Token       Secret     `json:"token"`
	TokenLabel  string     `json:"token_label"`
	Scopes      []string   `json:"scopes"`
	ExpiresAt   *time.Time `json:"expires_at"` // nil: never expires
}

// Expired reports whether the token has an expiry that is not after now.
func (t AccessToken) Expired(now time.Time) bool {
	return t.ExpiresAt != nil && !t.ExpiresAt.After(now)
}

// AccessTokenPage is one page of GET /v2/access-tokens, with the number of
// active tokens the Hub reports beside the total.
type AccessTokenPage struct {
	Count       int           `json:"count"`
	ActiveCount int           `json:"active_count"`
	Next        string        `json:"next"`
	Previous    string        `json:"previous"`
	Results     []AccessToken `json:"results"`
}

// TokenListOptions page GET /v2/access-tokens.
type TokenListOptions struct {
	ListOptions
}

// CreateAccessTokenRequest is the body of POST /v2/access-tokens.
type CreateAccessTokenRequest struct {
	TokenLabel string     `json:"token_label"`
	Scopes     []string   `json:"scopes"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"` // nil: never expires
}

// UpdateAccessTokenRequest is the body of PATCH /v2/access-tokens/{uuid}:
// a new label, enabling or disabling, or both. Nil fields are left alone.
type UpdateAccessTokenRequest struct {
	TokenLabel *string `json:"token_label,omitempty"`
	IsActive   *bool   `json:"is_active,omitempty"`
}

// ValidPATScope reports whether scope is one of the documented PAT scopes.
func ValidPATScope(scope string) bool {
	switch scope {
	case ScopeRepoAdmin, ScopeRepoWrite, ScopeRepoRead, ScopeRepoPublicRead:
		return true
	}
	return false
}

func validateTokenLabel(label string) error {
	if strings.TrimSpace(label) == "" {
		return &ValidationError{"token_label", "must not be empty"}
	}
	if utf8.RuneCountInString(label) > MaxTokenLabelLength {
		return &ValidationError{"token_label", fmt.Sprintf("must be at most %d characters", MaxTokenLabelLength)}
	}
	return nil
}

func validateTokenUUID(uuid string) error { return checkPathID("uuid", uuid) }

func (r CreateAccessTokenRequest) validate() error {
	if err := validateTokenLabel(r.TokenLabel); err != nil {
		return err
	}
	if len(r.Scopes) == 0 {
		return &ValidationError{"scopes", "give at least one of repo:admin, repo:write, repo:read, repo:public_read"}
	}
	for _, sc := range r.Scopes {
		if !ValidPATScope(sc) {
			return &ValidationError{"scopes", fmt.Sprintf("%q is not one of repo:admin, repo:write, repo:read, repo:public_read", sc)}
		}
	}
	return nil
}

func (r UpdateAccessTokenRequest) validate() error {
	if r.TokenLabel == nil && r.IsActive == nil {
		return &ValidationError{"token_label", "nothing to change: set a label or is_active"}
	}
	if r.TokenLabel != nil {
		return validateTokenLabel(*r.TokenLabel)
	}
	return nil
}

// ListPage calls GET /v2/access-tokens and returns one page with its total
// and active counts.
func (s *TokenService) ListPage(ctx context.Context, opt *TokenListOptions) (*AccessTokenPage, *Response, error) {
	if opt == nil {
		opt = &TokenListOptions{}
	}
	if err := opt.validate(); err != nil {
		return nil, nil, err
	}
	var pg AccessTokenPage
	resp, err := s.c.do(ctx, request{method: http.MethodGet, path: "/v2/access-tokens", query: opt.values()}, &pg)
	if err != nil {
		return nil, resp, fmt.Errorf("list personal access tokens: %w", err)
	}
	resp.Count, resp.Next, resp.Previous = pg.Count, pg.Next, pg.Previous
	return &pg, resp, nil
}

// List calls GET /v2/access-tokens and returns one page of the signed-in
// user's personal access tokens (Token is "" on each).
func (s *TokenService) List(ctx context.Context, opt *TokenListOptions) ([]AccessToken, *Response, error) {
	pg, resp, err := s.ListPage(ctx, opt)
	if err != nil {
		return nil, resp, err
	}
	return pg.Results, resp, nil
}

// Create calls POST /v2/access-tokens. The answer is the only time the
// token's value is shown: keep AccessToken.Token.
func (s *TokenService) Create(ctx context.Context, req CreateAccessTokenRequest) (*AccessToken, *Response, error) {
	if err := req.validate(); err != nil {
		return nil, nil, err
	}
	var out AccessToken
	resp, err := s.c.do(ctx, request{method: http.MethodPost, path: "/v2/access-tokens", body: req}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("create personal access token %q: %w", req.TokenLabel, err)
	}
	return &out, resp, nil
}

// Get calls GET /v2/access-tokens/{uuid}.
func (s *TokenService) Get(ctx context.Context, uuid string) (*AccessToken, *Response, error) {
	if err := validateTokenUUID(uuid); err != nil {
		return nil, nil, err
	}
	var out AccessToken
	resp, err := s.c.do(ctx, request{method: http.MethodGet, path: path("/v2/access-tokens/%s", uuid)}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("get personal access token %s: %w", uuid, err)
	}
	return &out, resp, nil
}

// Update calls PATCH /v2/access-tokens/{uuid} to rename, enable or disable
// a token.
func (s *TokenService) Update(ctx context.Context, uuid string, req UpdateAccessTokenRequest) (*AccessToken, *Response, error) {
	if err := validateTokenUUID(uuid); err != nil {
		return nil, nil, err
	}
	if err := req.validate(); err != nil {
		return nil, nil, err
	}
	var out AccessToken
	resp, err := s.c.do(ctx, request{method: http.MethodPatch, path: path("/v2/access-tokens/%s", uuid), body: req}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("update personal access token %s: %w", uuid, err)
	}
	return &out, resp, nil
}

// Delete calls DELETE /v2/access-tokens/{uuid}. It cannot be undone.
func (s *TokenService) Delete(ctx context.Context, uuid string) (*Response, error) {
	if err := validateTokenUUID(uuid); err != nil {
		return nil, err
	}
	resp, err := s.c.do(ctx, request{method: http.MethodDelete, path: path("/v2/access-tokens/%s", uuid)}, nil)
	if err != nil {
		return resp, fmt.Errorf("delete personal access token %s: %w", uuid, err)
	}
	return resp, nil
}
