package hubclient

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"
	"unicode/utf8"
)

// RepoService covers repositories: list, create, check, get, update, delete, team permissions, immutable tags.
type RepoService service

// Limits the document states for repositories.
const (
	// MaxRepoDescriptionLength is the longest short description, in characters.
	MaxRepoDescriptionLength = 100
	// MaxRepoFullDescriptionLength is the longest full description (overview), in characters.
	MaxRepoFullDescriptionLength = 25000
)

// Repository orderings accepted by RepoListOptions.Ordering; a leading '-'
// sorts descending.
const (
	RepoOrderName        = "name"
	RepoOrderLastUpdated = "last_updated"
	RepoOrderPullCount   = "pull_count"
)

// Team permissions on a repository.
const (
	RepoPermissionRead  = "read"
	RepoPermissionWrite = "write"
	RepoPermissionAdmin = "admin"
)

// Category is a repository category.
type Category struct {
	// Name is the human-readable name.
	Name string `json:"name"`
	// Slug is the URL-friendly identifier.
	Slug string `json:"slug"`
}

// Repository is an entry of a repository list (repository_list_entry).
type Repository struct {
	// Name is the repository name, without the namespace.
	Name string `json:"name"`
	// Namespace is the organization or user that owns it.
	Namespace string `json:"namespace"`
	// RepositoryType is "image", "plugin" or "" (null).
	RepositoryType string `json:"repository_type"`
	// Status is the status code (1 active).
	Status int `json:"status"`
	// StatusDescription is "active" or "inactive".
	StatusDescription string `json:"status_description"`
	// Description is the short description ("" when null).
	Description string `json:"description"`
	// IsPrivate tells whether only permitted users can see it.
	IsPrivate bool `json:"is_private"`
	// StarCount is how many users starred it.
	StarCount int64 `json:"star_count"`
	// PullCount is the total number of pulls.
	PullCount int64 `json:"pull_count"`
	// LastUpdated is the last push (zero when null).
	LastUpdated time.Time `json:"last_updated"`
	// LastModified is the last change of any kind (zero when null).
	LastModified time.Time `json:"last_modified"`
	// DateRegistered is when it was created.
	DateRegistered time.Time `json:"date_registered"`
	// Affiliation is the caller's affiliation with it ("" for none).
	Affiliation string `json:"affiliation"`
	// MediaTypes are the media types of its content.
	MediaTypes []string `json:"media_types"`
	// ContentTypes are its content types ("image", "plugin", ...).
	ContentTypes []string `json:"content_types"`
	// Categories classify it.
	Categories []Category `json:"categories"`
	// StorageSize is the storage it uses, in bytes.
	StorageSize int64 `json:"storage_size"`
	// CanEdit is sent by the deprecated list (ListDeprecated) only: whether
	// the caller may change it.
	CanEdit bool `json:"can_edit,omitempty"`
}

// FullName is namespace/name.
func (r Repository) FullName() string { return r.Namespace + "/" + r.Name }

// RepoPermissions are what the caller may do with a repository.
type RepoPermissions struct {
	// Read is view and pull.
	Read bool `json:"read"`
	// Write is also push and description changes.
	Write bool `json:"write"`
	// Admin is also deletion, privacy, immutable tags and team permissions.
	Admin bool `json:"admin"`
}

// ImmutableTagsSettings are a repository's immutable tags: when Enabled, a
// tag matching one of the Rules (regular expressions) cannot be overwritten
// or deleted.
type ImmutableTagsSettings struct {
	// Enabled turns the rules on.
	Enabled bool `json:"enabled"`
	// Rules are regular expressions matched against whole tag names.
	Rules []string `json:"rules"`
}

// RepositoryInfo is one repository in detail (repository_info).
type RepositoryInfo struct {
	// User is the owner's username (the namespace).
	User string `json:"user"`
	// Name is the repository name.
	Name string `json:"name"`
	// Namespace is the organization or user that owns it.
	Namespace string `json:"namespace"`
	// RepositoryType is "image" or "" (null).
	RepositoryType string `json:"repository_type"`
	// Status is the status code (1 active).
	Status int `json:"status"`
	// StatusDescription describes Status.
	StatusDescription string `json:"status_description"`
	// Description is the short description.
	Description string `json:"description"`
	// IsPrivate tells whether only permitted users can see it.
	IsPrivate bool `json:"is_private"`
	// IsAutomated tells whether it has automated builds.
	IsAutomated bool `json:"is_automated"`
	// StarCount is how many users starred it.
	StarCount int64 `json:"star_count"`
	// PullCount is the total number of pulls.
	PullCount int64 `json:"pull_count"`
	// LastUpdated is the last push.
	LastUpdated time.Time `json:"last_updated"`
	// LastModified is the last change (zero when null).
	LastModified time.Time `json:"last_modified"`
	// DateRegistered is when it was created.
	DateRegistered time.Time `json:"date_registered"`
	// CollaboratorCount is the number of collaborators.
	CollaboratorCount int64 `json:"collaborator_count"`
	// Affiliation is the caller's affiliation ("" when null).
	Affiliation string `json:"affiliation"`
	// HubUser is the Hub user information ("" when null).
	HubUser string `json:"hub_user"`
	// HasStarred tells whether the caller starred it.
	HasStarred bool `json:"has_starred"`
	// FullDescription is the Markdown overview ("" when null).
	FullDescription string `json:"full_description"`
	// Permissions are what the caller may do with it.
	Permissions RepoPermissions `json:"permissions"`
	// MediaTypes are the media types of its content.
	MediaTypes []string `json:"media_types"`
	// ContentTypes are its content types.
	ContentTypes []string `json:"content_types"`
	// Categories classify it.
	Categories []Category `json:"categories"`
	// ImmutableTagsSettings are its immutable tags rules.
	ImmutableTagsSettings ImmutableTagsSettings `json:"immutable_tags_settings"`
	// StorageSize is the storage it uses in bytes; nil when the Hub does not say.
	StorageSize *int64 `json:"storage_size"`
	// Source is where it was created from ("" when null).
	Source string `json:"source"`
}

// FullName is namespace/name.
func (r RepositoryInfo) FullName() string { return r.Namespace + "/" + r.Name }

// RepoListOptions filter and order a repository list.
type RepoListOptions struct {
	ListOptions
	// Name keeps repositories whose name contains it.
	Name string
	// Ordering is one of name, last_updated, pull_count, optionally with a
	// leading '-' for descending; "" is the Hub's default (name).
	Ordering string
}

func (o *RepoListOptions) query() (url.Values, error) {
	var opt RepoListOptions
	if o != nil {
		opt = *o
	}
	if err := opt.validate(); err != nil {
		return nil, err
	}
	switch opt.Ordering {
	case "", RepoOrderName, "-" + RepoOrderName, RepoOrderLastUpdated, "-" + RepoOrderLastUpdated, RepoOrderPullCount, "-" + RepoOrderPullCount:
	default:
		return nil, &ValidationError{"ordering", "must be one of name, -name, last_updated, -last_updated, pull_count, -pull_count"}
	}
	q := opt.values()
	if opt.Name != "" {
		q.Set("name", opt.Name)
	}
	if opt.Ordering != "" {
		q.Set("ordering", opt.Ordering)
	}
	return q, nil
}

// checkRepoRef checks a namespace and a repository name against Docker's
// naming rules before anything is sent.
func checkRepoRef(namespace, repository string) error {
	if err := checkNamespace("namespace", namespace); err != nil {
		return err
	}
	return checkRepoName("repository", repository)
}

// List calls GET /v2/namespaces/{namespace}/repositories (listNamespaceRepositories)
// and returns one page. Public repositories are visible to everyone; private
// ones need permission.
func (s *RepoService) List(ctx context.Context, namespace string, opt *RepoListOptions) ([]Repository, *Response, error) {
	if err := checkNamespace("namespace", namespace); err != nil {
		return nil, nil, err
	}
	q, err := opt.query()
	if err != nil {
		return nil, nil, err
	}
	repos, resp, err := getPage[Repository](ctx, s.c, path("/v2/namespaces/%s/repositories", namespace), q)
	if err != nil {
		return nil, resp, fmt.Errorf("list repositories of %s: %w", namespace, err)
	}
	return repos, resp, nil
}

// ListDeprecated calls GET /v2/repositories/{namespace}/, the list the
// current document deprecates in favour of List but every Hub still serves
// (hub-tool uses it). Its entries also carry CanEdit.
func (s *RepoService) ListDeprecated(ctx context.Context, namespace string, opt *RepoListOptions) ([]Repository, *Response, error) {
	if err := checkNamespace("namespace", namespace); err != nil {
		return nil, nil, err
	}
	q, err := opt.query()
	if err != nil {
		return nil, nil, err
	}
	repos, resp, err := getPage[Repository](ctx, s.c, path("/v2/repositories/%s/", namespace), q)
	if err != nil {
		return nil, resp, fmt.Errorf("list repositories of %s: %w", namespace, err)
	}
	return repos, resp, nil
}

// RepositoryCreateRequest is the body of Create (repo_creation_request).
type RepositoryCreateRequest struct {
	// Name must be 2 to 255 characters: lowercase letters and digits, with
	// single '.', '_' or '-' between them.
	Name string `json:"name"`
	// Namespace is filled in by Create from its namespace argument.
	Namespace string `json:"namespace"`
	// Description is the short description, at most 100 characters.
	Description string `json:"description,omitempty"`
	// FullDescription is the Markdown overview, at most 25,000 characters.
	FullDescription string `json:"full_description,omitempty"`
	// Registry is where the repository is hosted ("" for docker.io).
	Registry string `json:"registry,omitempty"`
	// IsPrivate makes the repository private.
	IsPrivate bool `json:"is_private"`
}

// ValidRepositoryName reports whether name matches the document's rule for
// repository names: ^[a-z0-9]+(?:[._-][a-z0-9]+)*$, 2 to 255 characters.
func ValidRepositoryName(name string) bool {
	if len(name) < 2 || len(name) > 255 {
		return false
	}
	sep := true
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			sep = false
		case c == '.' || c == '_' || c == '-':
			if sep {
				return false
			}
			sep = true
		default:
			return false
		}
	}
	return !sep
}

func checkRepoDescriptions(desc, full *string) error {
	if desc != nil && utf8.RuneCountInString(*desc) > MaxRepoDescriptionLength {
		return &ValidationError{"description", fmt.Sprintf("must be at most %d characters (it has %d)", MaxRepoDescriptionLength, utf8.RuneCountInString(*desc))}
	}
	if full != nil && utf8.RuneCountInString(*full) > MaxRepoFullDescriptionLength {
		return &ValidationError{"full_description", fmt.Sprintf("must be at most %d characters (it has %d)", MaxRepoFullDescriptionLength, utf8.RuneCountInString(*full))}
	}
	return nil
}

// Create calls POST /v2/namespaces/{namespace}/repositories (CreateRepository).
// The name and description lengths are checked before anything is sent. A
// name already taken answers 409 Conflict.
func (s *RepoService) Create(ctx context.Context, namespace string, in *RepositoryCreateRequest) (*RepositoryInfo, *Response, error) {
	if err := checkNamespace("namespace", namespace); err != nil {
		return nil, nil, err
	}
	if in == nil {
		return nil, nil, &ValidationError{"name", "is required"}
	}
	if !ValidRepositoryName(in.Name) {
		return nil, nil, &ValidationError{"name", "must be 2 to 255 characters: lowercase letters and digits, with single '.', '_' or '-' between them"}
	}
	if err := checkRepoDescriptions(&in.Description, &in.FullDescription); err != nil {
		return nil, nil, err
	}
	body := *in
	body.Namespace = namespace
	var out RepositoryInfo
	resp, err := s.c.do(ctx, request{method: http.MethodPost, path: path("/v2/namespaces/%s/repositories", namespace), body: body}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("create repository %s/%s: %w", namespace, in.Name, err)
	}
	return &out, resp, nil
}

// Get calls GET /v2/namespaces/{namespace}/repositories/{repository} (GetRepository).
func (s *RepoService) Get(ctx context.Context, namespace, repository string) (*RepositoryInfo, *Response, error) {
	if err := checkRepoRef(namespace, repository); err != nil {
		return nil, nil, err
	}
	var out RepositoryInfo
	resp, err := s.c.do(ctx, request{method: http.MethodGet, path: path("/v2/namespaces/%s/repositories/%s", namespace, repository)}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("get repository %s/%s: %w", namespace, repository, err)
	}
	return &out, resp, nil
}

// Check calls HEAD /v2/namespaces/{namespace}/repositories/{repository}
// (CheckRepository). It reports false without error when the Hub answers
// 404 (no such repository, or a private one the caller cannot see).
func (s *RepoService) Check(ctx context.Context, namespace, repository string) (bool, *Response, error) {
	if err := checkRepoRef(namespace, repository); err != nil {
		return false, nil, err
	}
	resp, err := s.c.do(ctx, request{method: http.MethodHead, path: path("/v2/namespaces/%s/repositories/%s", namespace, repository)}, nil)
	return headExists(resp, err, "check repository "+namespace+"/"+repository)
}

// exists turns a HEAD answer into found / not found / error.
func headExists(resp *Response, err error, op string) (bool, *Response, error) {
	if err == nil {
		return true, resp, nil
	}
	if IsStatus(err, http.StatusNotFound) {
		return false, resp, nil
	}
	return false, resp, fmt.Errorf("%s: %w", op, err)
}

// RepositoryUpdateRequest changes a repository; nil fields stay as they are.
type RepositoryUpdateRequest struct {
	// Description is the short description, at most 100 characters.
	Description *string `json:"description,omitempty"`
	// FullDescription is the Markdown overview, at most 25,000 characters.
	FullDescription *string `json:"full_description,omitempty"`
	// IsPrivate changes the visibility (needs admin rights).
	IsPrivate *bool `json:"is_private,omitempty"`
}

// Update calls PATCH /v2/repositories/{namespace}/{repository}/, which the
// Hub serves outside the current document, to change the descriptions or the
// visibility. Lengths are checked before anything is sent.
func (s *RepoService) Update(ctx context.Context, namespace, repository string, in *RepositoryUpdateRequest) (*RepositoryInfo, *Response, error) {
	if err := checkRepoRef(namespace, repository); err != nil {
		return nil, nil, err
	}
	if in == nil || (in.Description == nil && in.FullDescription == nil && in.IsPrivate == nil) {
		return nil, nil, &ValidationError{"update", "nothing to change"}
	}
	if err := checkRepoDescriptions(in.Description, in.FullDescription); err != nil {
		return nil, nil, err
	}
	var out RepositoryInfo
	resp, err := s.c.do(ctx, request{method: http.MethodPatch, path: path("/v2/repositories/%s/%s/", namespace, repository), body: in}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("update repository %s/%s: %w", namespace, repository, err)
	}
	return &out, resp, nil
}

// Delete calls DELETE /v2/repositories/{namespace}/{repository}/, which the
// Hub serves outside the current document (it answers 202 Accepted). It
// deletes every tag and image of the repository and cannot be undone.
func (s *RepoService) Delete(ctx context.Context, namespace, repository string) (*Response, error) {
	if err := checkRepoRef(namespace, repository); err != nil {
		return nil, err
	}
	resp, err := s.c.do(ctx, request{method: http.MethodDelete, path: path("/v2/repositories/%s/%s/", namespace, repository)}, nil)
	if err != nil {
		return resp, fmt.Errorf("delete repository %s/%s: %w", namespace, repository, err)
	}
	return resp, nil
}

// ImmutableTagsRequest is the body of UpdateImmutableTags
// (update_repository_immutable_tags_request); both fields are sent.
type ImmutableTagsRequest struct {
	// Enabled turns immutable tags on or off.
	Enabled bool `json:"immutable_tags"`
	// Rules are regular expressions; a tag matching one is immutable.
	Rules []string `json:"immutable_tags_rules"`
}

// checkRule refuses an empty rule or one that is not a regular expression.
func checkImmutableRule(field, rule string) error {
	if rule == "" {
		return &ValidationError{field, "a rule must not be empty"}
	}
	if _, err := regexp.Compile(rule); err != nil {
		return &ValidationError{field, fmt.Sprintf("%q is not a regular expression: %v", rule, err)}
	}
	return nil
}

// UpdateImmutableTags calls PATCH /v2/namespaces/{namespace}/repositories/{repository}/immutabletags
// (UpdateRepositoryImmutableTags). It needs admin rights on the repository.
func (s *RepoService) UpdateImmutableTags(ctx context.Context, namespace, repository string, in ImmutableTagsRequest) (*RepositoryInfo, *Response, error) {
	if err := checkRepoRef(namespace, repository); err != nil {
		return nil, nil, err
	}
	for _, r := range in.Rules {
		if err := checkImmutableRule("immutable_tags_rules", r); err != nil {
			return nil, nil, err
		}
	}
	if in.Rules == nil {
		in.Rules = []string{}
	}
	var out RepositoryInfo
	resp, err := s.c.do(ctx, request{method: http.MethodPatch, path: path("/v2/namespaces/%s/repositories/%s/immutabletags", namespace, repository), body: in}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("update immutable tags of %s/%s: %w", namespace, repository, err)
	}
	return &out, resp, nil
}

// VerifyImmutableTags calls POST /v2/namespaces/{namespace}/repositories/{repository}/immutabletags/verify
// (VerifyRepositoryImmutableTags) and returns the repository's tags that the
// rule matches, so a UI can preview a rule before saving it.
func (s *RepoService) VerifyImmutableTags(ctx context.Context, namespace, repository, regex string) ([]string, *Response, error) {
	if err := checkRepoRef(namespace, repository); err != nil {
		return nil, nil, err
	}
	if err := checkImmutableRule("regex", regex); err != nil {
		return nil, nil, err
	}
	body := struct {
		Regex string `json:"regex"`
	}{regex}
	var out struct {
		Tags []string `json:"tags"`
	}
	resp, err := s.c.do(ctx, request{method: http.MethodPost, path: path("/v2/namespaces/%s/repositories/%s/immutabletags/verify", namespace, repository), body: body}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("verify immutable tags rule of %s/%s: %w", namespace, repository, err)
	}
	return out.Tags, resp, nil
}

// RepositoryGroup is a team's permission on a repository (RepositoryGroup).
type RepositoryGroup struct {
	// GroupName is the team's name.
	GroupName string `json:"group_name"`
	// Permission is read, write or admin.
	Permission string `json:"permission"`
	// GroupID is the team's id.
	GroupID int64 `json:"group_id"`
}

func checkRepoPermission(p string) error {
	switch p {
	case RepoPermissionRead, RepoPermissionWrite, RepoPermissionAdmin:
		return nil
	}
	return &ValidationError{"permission", "must be read, write or admin"}
}

// CreateGroup calls POST /v2/repositories/{namespace}/{repository}/groups
// (CreateRepositoryGroup): it gives the team groupID the permission (read,
// write or admin) on the repository, replacing the one it had.
func (s *RepoService) CreateGroup(ctx context.Context, namespace, repository string, groupID int64, permission string) (*RepositoryGroup, *Response, error) {
	if err := checkRepoRef(namespace, repository); err != nil {
		return nil, nil, err
	}
	if groupID <= 0 {
		return nil, nil, &ValidationError{"group_id", "must be a team id"}
	}
	if err := checkRepoPermission(permission); err != nil {
		return nil, nil, err
	}
	body := struct {
		GroupID    int64  `json:"group_id"`
		Permission string `json:"permission"`
	}{groupID, permission}
	var out RepositoryGroup
	resp, err := s.c.do(ctx, request{method: http.MethodPost, path: path("/v2/repositories/%s/%s/groups", namespace, repository), body: body}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("give team %d %s on %s/%s: %w", groupID, permission, namespace, repository, err)
	}
	return &out, resp, nil
}

// ListGroups calls GET /v2/repositories/{namespace}/{repository}/groups,
// which the Hub serves outside the current document: one page of the teams
// holding a permission on the repository.
func (s *RepoService) ListGroups(ctx context.Context, namespace, repository string, opt *ListOptions) ([]RepositoryGroup, *Response, error) {
	if err := checkRepoRef(namespace, repository); err != nil {
		return nil, nil, err
	}
	var o ListOptions
	if opt != nil {
		o = *opt
	}
	if err := o.validate(); err != nil {
		return nil, nil, err
	}
	groups, resp, err := getPage[RepositoryGroup](ctx, s.c, path("/v2/repositories/%s/%s/groups", namespace, repository), o.values())
	if err != nil {
		return nil, resp, fmt.Errorf("list team permissions of %s/%s: %w", namespace, repository, err)
	}
	return groups, resp, nil
}

// DeleteGroup calls DELETE /v2/repositories/{namespace}/{repository}/groups/{group_id},
// which the Hub serves outside the current document: the team loses its
// permission on the repository.
func (s *RepoService) DeleteGroup(ctx context.Context, namespace, repository string, groupID int64) (*Response, error) {
	if err := checkRepoRef(namespace, repository); err != nil {
		return nil, err
	}
	if groupID <= 0 {
		return nil, &ValidationError{"group_id", "must be a team id"}
	}
	resp, err := s.c.do(ctx, request{method: http.MethodDelete, path: path("/v2/repositories/%s/%s/groups/%s", namespace, repository, strconv.FormatInt(groupID, 10))}, nil)
	if err != nil {
		return resp, fmt.Errorf("remove team %d from %s/%s: %w", groupID, namespace, repository, err)
	}
	return resp, nil
}
