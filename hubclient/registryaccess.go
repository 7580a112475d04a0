package hubclient

import (
	"context"
	"fmt"
	"net/http"
)

// RegistryAccess is an organization's Registry Access Management: which
// registries its members may use from Docker Desktop. The Hub serves it
// outside the published document (the Terraform provider manages it);
// organization access tokens may not use it.
type RegistryAccess struct {
	// Enabled turns the restriction on.
	Enabled bool `json:"enabled"`
	// StandardRegistries are the well-known ones (Docker Hub: ID "DockerHub").
	StandardRegistries []StandardRegistry `json:"standard_registries"`
	// CustomRegistries are other registries, by address.
	CustomRegistries []CustomRegistry `json:"custom_registries"`
}

// StandardRegistry is one well-known registry and whether it is allowed.
type StandardRegistry struct {
	ID      string `json:"id"`
	Allowed bool   `json:"allowed"`
}

// CustomRegistry is one registry by address (a host, optionally with a
// port and a path, without a scheme).
type CustomRegistry struct {
	Address      string `json:"address"`
	FriendlyName string `json:"friendly_name"`
	Allowed      bool   `json:"allowed"`
}

// GetRegistryAccess calls GET /v2/orgs/{org}/settings/registry-access-management.
func (s *OrgService) GetRegistryAccess(ctx context.Context, org string) (*RegistryAccess, *Response, error) {
	if err := checkNamespace("org", org); err != nil {
		return nil, nil, err
	}
	var out RegistryAccess
	resp, err := s.c.do(ctx, request{method: http.MethodGet, path: path("/v2/orgs/%s/settings/registry-access-management", org)}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("get registry access management of %s: %w", org, err)
	}
	return &out, resp, nil
}

// UpdateRegistryAccess calls PUT /v2/orgs/{org}/settings/registry-access-management:
// the registries given replace what the org had. Only owners may change it.
func (s *OrgService) UpdateRegistryAccess(ctx context.Context, org string, ra RegistryAccess) (*RegistryAccess, *Response, error) {
	if err := checkNamespace("org", org); err != nil {
		return nil, nil, err
	}
	if ra.StandardRegistries == nil {
		ra.StandardRegistries = []StandardRegistry{}
	}
	if ra.CustomRegistries == nil {
		ra.CustomRegistries = []CustomRegistry{}
	}
	var out RegistryAccess
	resp, err := s.c.do(ctx, request{method: http.MethodPut, path: path("/v2/orgs/%s/settings/registry-access-management", org), body: ra}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("update registry access management of %s: %w", org, err)
	}
	return &out, resp, nil
}
