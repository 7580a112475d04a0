package hubclient

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// SCIM media type and schema URNs.
const (
	SCIMMediaType          = "application/scim+json"
	SCIMSchemaUser         = "urn:ietf:params:scim:schemas:core:2.0:User"
	SCIMSchemaListResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	SCIMSchemaError        = "urn:ietf:params:scim:api:messages:2.0:Error"
	// SCIMMaxCount is the documented maximum of the count parameter.
	SCIMMaxCount = 200
)

// SCIMService covers SCIM 2.0 provisioning under /v2/scim/2.0: the service
// provider configuration, resource types, schemas, and users. Requests and
// answers use application/scim+json; errors carry the SCIM error shape
// (status, schemas, detail, scimType), decoded into *APIError with
// SCIMType set. Docker Hub authenticates SCIM with the bearer token of the
// organization's SSO connection; the client sends its own bearer token.
type SCIMService service

// SCIMServiceProviderConfig is GET /v2/scim/2.0/ServiceProviderConfig.
type SCIMServiceProviderConfig struct {
	Schemas               []string           `json:"schemas"`
	DocumentationURI      string             `json:"documentationUri"`
	Patch                 SCIMSupported      `json:"patch"`
	Bulk                  SCIMBulk           `json:"bulk"`
	Filter                SCIMFilter         `json:"filter"`
	ChangePassword        SCIMSupported      `json:"changePassword"`
	Sort                  SCIMSupported      `json:"sort"`
	ETag                  SCIMSupported      `json:"etag"`
	AuthenticationSchemes SCIMAuthentication `json:"authenticationSchemes"`
}

// SCIMSupported says whether a feature is supported.
type SCIMSupported struct {
	Supported bool `json:"supported"`
}

// SCIMBulk describes bulk support.
type SCIMBulk struct {
	Supported      bool `json:"supported"`
	MaxOperations  int  `json:"maxOperations"`
	MaxPayloadSize int  `json:"maxPayloadSize"`
}

// SCIMFilter describes filter support.
type SCIMFilter struct {
	Supported  bool `json:"supported"`
	MaxResults int  `json:"maxResults"`
}

// SCIMAuthentication describes the authentication scheme (one object in
// Docker's document, not a list as in RFC 7643).
type SCIMAuthentication struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	SpecURI     string `json:"specUri"`
	Type        string `json:"type"`
}

// SCIMResourceType is one resource type (Docker offers "User").
type SCIMResourceType struct {
	Schemas     []string `json:"schemas"`
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Endpoint    string   `json:"endpoint"`
	Schema      string   `json:"schema"`
}

// SCIMSchema is one schema with its attributes.
type SCIMSchema struct {
	Schemas     []string              `json:"schemas"`
	ID          string                `json:"id"`
	Name        string                `json:"name"`
	Description string                `json:"description"`
	Attributes  []SCIMSchemaAttribute `json:"attributes"`
}

// SCIMSchemaAttribute is an attribute of a schema; complex attributes list
// their SubAttributes.
type SCIMSchemaAttribute struct {
	Name          string                `json:"name"`
	Type          string                `json:"type"` // string | boolean | complex
	MultiValued   bool                  `json:"multiValued"`
	Description   string                `json:"description"`
	Required      bool                  `json:"required"`
	CaseExact     bool                  `json:"caseExact"`
	Mutability    string                `json:"mutability"`
	Returned      string                `json:"returned"`
	Uniqueness    string                `json:"uniqueness"`
	SubAttributes []SCIMSchemaAttribute `json:"subAttributes,omitempty"`
}

// SCIMUser is a provisioned user. UserName is the e-mail address;
// DisplayName is the Docker ID (username).
type SCIMUser struct {
	Schemas     []string    `json:"schemas"`
	ID          string      `json:"id"`
	UserName    string      `json:"userName"`
	Name        *SCIMName   `json:"name,omitempty"`
	DisplayName string      `json:"displayName"`
	Active      bool        `json:"active"`
	Emails      []SCIMEmail `json:"emails"`
	Groups      []SCIMGroup `json:"groups"`
	Meta        SCIMMeta    `json:"meta"`
}

// SCIMName is a user's name.
type SCIMName struct {
	GivenName  string `json:"givenName,omitempty"`
	FamilyName string `json:"familyName,omitempty"`
}

// SCIMEmail is one of a user's e-mail addresses.
type SCIMEmail struct {
	Value   string `json:"value"`
	Display string `json:"display"`
	Primary bool   `json:"primary"`
}

// SCIMGroup is a team the user belongs to.
type SCIMGroup struct {
	Value   string `json:"value"`
	Display string `json:"display"`
}

// SCIMMeta is a resource's metadata.
type SCIMMeta struct {
	ResourceType string    `json:"resourceType"`
	Location     string    `json:"location"`
	Created      time.Time `json:"created"`
	LastModified time.Time `json:"lastModified"`
}

// SCIMUserListOptions filter, sort and page GET /v2/scim/2.0/Users. Page
// and PageSize map to SCIM's startIndex and count, so the usual paging
// helpers work.
type SCIMUserListOptions struct {
	ListOptions
	Filter     string   // e.g. userName eq "jon.snow@docker.com"
	Attributes []string // limit the answer to these attributes
	SortBy     string   // e.g. userName
	SortOrder  string   // ascending | descending
}

// SCIMCreateUserRequest is the body of POST /v2/scim/2.0/Users. Schemas
// defaults to the core User schema.
type SCIMCreateUserRequest struct {
	Schemas  []string  `json:"schemas"`
	UserName string    `json:"userName"`
	Name     *SCIMName `json:"name,omitempty"`
}

// SCIMUpdateUserRequest is the body of PUT /v2/scim/2.0/Users/{id}. The
// Hub treats a missing `enabled` as false and deactivates the user, so
// Enabled is always sent. A nil Name leaves the name alone.
type SCIMUpdateUserRequest struct {
	Schemas []string  `json:"schemas"`
	Name    *SCIMName `json:"name,omitempty"`
	Enabled bool      `json:"enabled"`
}

// scimList is a SCIM ListResponse. Docker's document spells the list
// `resources`; RFC 7644 spells it `Resources`; decoding accepts either.
type scimList[T any] struct {
	Schemas      []string `json:"schemas"`
	TotalResults int      `json:"totalResults"`
	StartIndex   int      `json:"startIndex"`
	ItemsPerPage int      `json:"itemsPerPage"`
	Resources    []T      `json:"resources"`
}

func (s *SCIMService) get(ctx context.Context, p string, q url.Values, out any) (*Response, error) {
	return s.c.do(ctx, request{method: http.MethodGet, path: p, query: q, accept: SCIMMediaType}, out)
}

// ServiceProviderConfig calls GET /v2/scim/2.0/ServiceProviderConfig.
func (s *SCIMService) ServiceProviderConfig(ctx context.Context) (*SCIMServiceProviderConfig, *Response, error) {
	var out SCIMServiceProviderConfig
	resp, err := s.get(ctx, "/v2/scim/2.0/ServiceProviderConfig", nil, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("get SCIM service provider config: %w", err)
	}
	return &out, resp, nil
}

// ResourceTypes calls GET /v2/scim/2.0/ResourceTypes.
func (s *SCIMService) ResourceTypes(ctx context.Context) ([]SCIMResourceType, *Response, error) {
	var out scimList[SCIMResourceType]
	resp, err := s.get(ctx, "/v2/scim/2.0/ResourceTypes", nil, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("list SCIM resource types: %w", err)
	}
	resp.Count = out.TotalResults
	return out.Resources, resp, nil
}

// ResourceType calls GET /v2/scim/2.0/ResourceTypes/{name}.
func (s *SCIMService) ResourceType(ctx context.Context, name string) (*SCIMResourceType, *Response, error) {
	if err := checkPathID("name", name); err != nil {
		return nil, nil, err
	}
	var out SCIMResourceType
	resp, err := s.get(ctx, path("/v2/scim/2.0/ResourceTypes/%s", name), nil, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("get SCIM resource type %s: %w", name, err)
	}
	return &out, resp, nil
}

// Schemas calls GET /v2/scim/2.0/Schemas.
func (s *SCIMService) Schemas(ctx context.Context) ([]SCIMSchema, *Response, error) {
	var out scimList[SCIMSchema]
	resp, err := s.get(ctx, "/v2/scim/2.0/Schemas", nil, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("list SCIM schemas: %w", err)
	}
	resp.Count = out.TotalResults
	return out.Resources, resp, nil
}

// Schema calls GET /v2/scim/2.0/Schemas/{id}, e.g. SCIMSchemaUser.
func (s *SCIMService) Schema(ctx context.Context, id string) (*SCIMSchema, *Response, error) {
	if err := checkPathID("id", id); err != nil {
		return nil, nil, err
	}
	var out SCIMSchema
	resp, err := s.get(ctx, path("/v2/scim/2.0/Schemas/%s", id), nil, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("get SCIM schema %s: %w", id, err)
	}
	return &out, resp, nil
}

func (o *SCIMUserListOptions) values() (url.Values, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	switch o.SortOrder {
	case "", "ascending", "descending":
	default:
		return nil, &ValidationError{"sortOrder", `must be "ascending" or "descending"`}
	}
	page, size := max(o.Page, 1), o.PageSize
	if size == 0 {
		size = MaxPageSize
	}
	q := url.Values{}
	q.Set("startIndex", strconv.Itoa((page-1)*size+1))
	q.Set("count", strconv.Itoa(size))
	if o.Filter != "" {
		q.Set("filter", o.Filter)
	}
	if len(o.Attributes) > 0 {
		q.Set("attributes", strings.Join(o.Attributes, ","))
	}
	if o.SortBy != "" {
		q.Set("sortBy", o.SortBy)
	}
	if o.SortOrder != "" {
		q.Set("sortOrder", o.SortOrder)
	}
	return q, nil
}

// ListUsers calls GET /v2/scim/2.0/Users and returns one page.
// Response.Count is totalResults; Response.Next, when more users follow,
// is a link carrying page and page_size (and the matching startIndex and
// count) so that Pages and ListAll can walk the list.
func (s *SCIMService) ListUsers(ctx context.Context, opt *SCIMUserListOptions) ([]SCIMUser, *Response, error) {
	if opt == nil {
		opt = &SCIMUserListOptions{}
	}
	q, err := opt.values()
	if err != nil {
		return nil, nil, err
	}
	var out scimList[SCIMUser]
	resp, err := s.get(ctx, "/v2/scim/2.0/Users", q, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("list SCIM users: %w", err)
	}
	resp.Count = out.TotalResults
	start, _ := strconv.Atoi(q.Get("startIndex"))
	size, _ := strconv.Atoi(q.Get("count"))
	page := (start-1)/size + 1
	link := func(p int) string {
		u := *s.c.base
		u.Path = strings.TrimRight(s.c.base.Path, "/") + "/v2/scim/2.0/Users"
		u.RawPath = ""
		lq := url.Values{}
		for k, v := range q {
			lq[k] = v
		}
		lq.Set("startIndex", strconv.Itoa((p-1)*size+1))
		lq.Set("page", strconv.Itoa(p))
		lq.Set("page_size", strconv.Itoa(size))
		u.RawQuery = lq.Encode()
		return u.String()
	}
	if len(out.Resources) > 0 && start-1+len(out.Resources) < out.TotalResults {
		resp.Next = link(page + 1)
	}
	if page > 1 {
		resp.Previous = link(page - 1)
	}
	return out.Resources, resp, nil
}

// CreateUser calls POST /v2/scim/2.0/Users. A user that already exists by
// e-mail is added to the organization.
func (s *SCIMService) CreateUser(ctx context.Context, req SCIMCreateUserRequest) (*SCIMUser, *Response, error) {
	if len(req.Schemas) == 0 {
		req.Schemas = []string{SCIMSchemaUser}
	}
	if err := validateEmail("userName", req.UserName); err != nil {
		return nil, nil, err
	}
	var out SCIMUser
	resp, err := s.c.do(ctx, request{method: http.MethodPost, path: "/v2/scim/2.0/Users", body: req,
		accept: SCIMMediaType, ctype: SCIMMediaType}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("create SCIM user %s: %w", req.UserName, err)
	}
	return &out, resp, nil
}

// GetUser calls GET /v2/scim/2.0/Users/{id}.
func (s *SCIMService) GetUser(ctx context.Context, id string) (*SCIMUser, *Response, error) {
	if err := checkPathID("id", id); err != nil {
		return nil, nil, err
	}
	var out SCIMUser
	resp, err := s.get(ctx, path("/v2/scim/2.0/Users/%s", id), nil, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("get SCIM user %s: %w", id, err)
	}
	return &out, resp, nil
}

// UpdateUser calls PUT /v2/scim/2.0/Users/{id} to rename, activate or
// deactivate a user (Enabled false deactivates).
func (s *SCIMService) UpdateUser(ctx context.Context, id string, req SCIMUpdateUserRequest) (*SCIMUser, *Response, error) {
	if err := checkPathID("id", id); err != nil {
		return nil, nil, err
	}
	if len(req.Schemas) == 0 {
		req.Schemas = []string{SCIMSchemaUser}
	}
	var out SCIMUser
	resp, err := s.c.do(ctx, request{method: http.MethodPut, path: path("/v2/scim/2.0/Users/%s", id), body: req,
		accept: SCIMMediaType, ctype: SCIMMediaType}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("update SCIM user %s: %w", id, err)
	}
	return &out, resp, nil
}
