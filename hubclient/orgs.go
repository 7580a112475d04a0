package hubclient

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// OrgService covers organization settings.
type OrgService service

// OrgSettings are an organization's settings (schema orgSettings).
type OrgSettings struct {
	// RestrictedImages is Image Access Management; the Hub applies it only
	// on a Business subscription.
	RestrictedImages RestrictedImages `json:"restricted_images"`
}

// RestrictedImages limits which images members may pull from Docker Hub
// (schema restricted_images).
type RestrictedImages struct {
	// Enabled restricts image usage for users in the organization.
	Enabled bool `json:"enabled"`
	// AllowOfficialImages allows Docker Official Images when Enabled.
	AllowOfficialImages bool `json:"allow_official_images"`
	// AllowVerifiedPublishers allows Verified Publisher images when Enabled.
	AllowVerifiedPublishers bool `json:"allow_verified_publishers"`
}

// GetSettings returns an organization's settings (GET /v2/orgs/{name}/settings).
func (s *OrgService) GetSettings(ctx context.Context, org string) (*OrgSettings, *Response, error) {
	if err := checkNamespace("org", org); err != nil {
		return nil, nil, err
	}
	var out OrgSettings
	resp, err := s.c.do(ctx, request{method: http.MethodGet, path: path("/v2/orgs/%s/settings", org)}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("get settings of %s: %w", org, err)
	}
	return &out, resp, nil
}

// UpdateSettings replaces an organization's settings (PUT
// /v2/orgs/{name}/settings); every field of restricted_images is sent, as the
// document requires. Only owners may change settings.
func (s *OrgService) UpdateSettings(ctx context.Context, org string, settings OrgSettings) (*OrgSettings, *Response, error) {
	if err := checkNamespace("org", org); err != nil {
		return nil, nil, err
	}
	var out OrgSettings
	resp, err := s.c.do(ctx, request{method: http.MethodPut, path: path("/v2/orgs/%s/settings", org), body: settings}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("update settings of %s: %w", org, err)
	}
	return &out, resp, nil
}

// orgArgRequired refuses an empty (or blank) path argument before anything
// is sent.
func orgArgRequired(field, v string) error {
	if strings.TrimSpace(v) == "" {
		return &ValidationError{field, "is required"}
	}
	return nil
}
