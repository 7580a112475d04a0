package hubclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// TagService covers repository tags: list, get, check, delete.
type TagService service

// ErrImmutableTag is wrapped by TagService.Delete when the Hub refuses to
// delete a tag because an immutable-tags rule of the repository matches it;
// the *APIError it also wraps names the rule.
const ErrImmutableTag = Error("hubclient: the tag is immutable")

// Layer is one layer of an image.
type Layer struct {
	// Digest is the layer digest ("" when null).
	Digest string `json:"digest"`
	// Size is the layer size in bytes.
	Size int64 `json:"size"`
	// Instruction is the Dockerfile instruction that made it.
	Instruction string `json:"instruction"`
}

// TagImage is one platform image of a tag (the document's image schema).
type TagImage struct {
	// Architecture is the CPU architecture (amd64, arm64, ...).
	Architecture string `json:"architecture"`
	// Features are CPU features.
	Features string `json:"features"`
	// Variant is the CPU variant (v8, ...; "" when null).
	Variant string `json:"variant"`
	// Digest is the image manifest digest ("" when null).
	Digest string `json:"digest"`
	// Layers are the image's layers, when the Hub sends them.
	Layers []Layer `json:"layers,omitempty"`
	// OS is the operating system.
	OS string `json:"os"`
	// OSFeatures are OS features.
	OSFeatures string `json:"os_features"`
	// OSVersion is the OS version ("" when null).
	OSVersion string `json:"os_version"`
	// Size is the compressed size in bytes.
	Size int64 `json:"size"`
	// Status is active or inactive.
	Status string `json:"status"`
	// LastPulled is the last pull (zero when null).
	LastPulled time.Time `json:"last_pulled"`
	// LastPushed is the last push (zero when null).
	LastPushed time.Time `json:"last_pushed"`
}

// Platform is os/architecture[/variant].
func (im TagImage) Platform() string {
	p := im.OS + "/" + im.Architecture
	if im.Variant != "" {
		p += "/" + im.Variant
	}
	return p
}

// Tag is a repository tag (the document's tag schema, plus fields the Hub
// sends beyond it).
type Tag struct {
	// ID is the tag id.
	ID int64 `json:"id"`
	// Images are the tag's platform images.
	Images []TagImage `json:"images"`
	// Creator is the id of the user that pushed the tag.
	Creator int64 `json:"creator"`
	// LastUpdated is the last update (zero when null).
	LastUpdated time.Time `json:"last_updated"`
	// LastUpdater is the id of the last user that updated it.
	LastUpdater int64 `json:"last_updater"`
	// LastUpdaterUsername is that user's name.
	LastUpdaterUsername string `json:"last_updater_username"`
	// Name is the tag name.
	Name string `json:"name"`
	// Repository is the repository id.
	Repository int64 `json:"repository"`
	// FullSize is the compressed size of all layers, in bytes.
	FullSize int64 `json:"full_size"`
	// V2 tells whether the tag is served by the v2 registry API.
	V2 bool `json:"v2"`
	// Status is active (pushed or pulled in the past month) or inactive.
	Status string `json:"status"`
	// TagLastPulled is the last pull (zero when null).
	TagLastPulled time.Time `json:"tag_last_pulled"`
	// TagLastPushed is the last push (zero when null).
	TagLastPushed time.Time `json:"tag_last_pushed"`
	// TagStatus is Status as the Hub also names it (not in the document).
	TagStatus string `json:"tag_status,omitempty"`
	// MediaType is the manifest media type (not in the document).
	MediaType string `json:"media_type,omitempty"`
	// ContentType is "image" and the like (not in the document).
	ContentType string `json:"content_type,omitempty"`
	// Digest is the manifest or index digest (not in the document).
	Digest string `json:"digest,omitempty"`
}

// TagListOptions filter a tag list.
type TagListOptions struct {
	ListOptions
	// Name keeps tags whose name contains it. The Hub supports this filter;
	// the document does not list it, so it is only sent when set.
	Name string
}

// List calls GET /v2/namespaces/{namespace}/repositories/{repository}/tags
// (ListRepositoryTags) and returns one page, most recently pushed first.
func (s *TagService) List(ctx context.Context, namespace, repository string, opt *TagListOptions) ([]Tag, *Response, error) {
	if err := checkRepoRef(namespace, repository); err != nil {
		return nil, nil, err
	}
	var o TagListOptions
	if opt != nil {
		o = *opt
	}
	if err := o.validate(); err != nil {
		return nil, nil, err
	}
	q := o.values()
	if o.Name != "" {
		q.Set("name", o.Name)
	}
	tags, resp, err := getPage[Tag](ctx, s.c, path("/v2/namespaces/%s/repositories/%s/tags", namespace, repository), q)
	if err != nil {
		return nil, resp, fmt.Errorf("list tags %s/%s: %w", namespace, repository, err)
	}
	return tags, resp, nil
}

// HasTags calls HEAD /v2/namespaces/{namespace}/repositories/{repository}/tags:
// true when the repository has tags, false (without error) on 404.
func (s *TagService) HasTags(ctx context.Context, namespace, repository string) (bool, *Response, error) {
	if err := checkRepoRef(namespace, repository); err != nil {
		return false, nil, err
	}
	resp, err := s.c.do(ctx, request{method: http.MethodHead, path: path("/v2/namespaces/%s/repositories/%s/tags", namespace, repository)}, nil)
	return headExists(resp, err, "check tags of "+namespace+"/"+repository)
}

func checkTagRef(namespace, repository, tag string) error {
	if err := checkRepoRef(namespace, repository); err != nil {
		return err
	}
	return checkTagName("tag", tag)
}

// Get calls GET /v2/namespaces/{namespace}/repositories/{repository}/tags/{tag}
// (GetRepositoryTag).
func (s *TagService) Get(ctx context.Context, namespace, repository, tag string) (*Tag, *Response, error) {
	if err := checkTagRef(namespace, repository, tag); err != nil {
		return nil, nil, err
	}
	var out Tag
	resp, err := s.c.do(ctx, request{method: http.MethodGet, path: path("/v2/namespaces/%s/repositories/%s/tags/%s", namespace, repository, tag)}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("get tag %s/%s:%s: %w", namespace, repository, tag, err)
	}
	return &out, resp, nil
}

// Exists calls HEAD /v2/namespaces/{namespace}/repositories/{repository}/tags/{tag}:
// true when the tag exists, false (without error) on 404.
func (s *TagService) Exists(ctx context.Context, namespace, repository, tag string) (bool, *Response, error) {
	if err := checkTagRef(namespace, repository, tag); err != nil {
		return false, nil, err
	}
	resp, err := s.c.do(ctx, request{method: http.MethodHead, path: path("/v2/namespaces/%s/repositories/%s/tags/%s", namespace, repository, tag)}, nil)
	return headExists(resp, err, "check tag "+namespace+"/"+repository+":"+tag)
}

// Delete calls DELETE /v2/repositories/{namespace}/{repository}/tags/{tag}/,
// which the Hub serves outside the current document. The tag's manifest
// stays (untagged) until deleted through image management. A tag an
// immutable-tags rule protects is refused with an error wrapping
// ErrImmutableTag and the *APIError.
func (s *TagService) Delete(ctx context.Context, namespace, repository, tag string) (*Response, error) {
	if err := checkTagRef(namespace, repository, tag); err != nil {
		return nil, err
	}
	resp, err := s.c.do(ctx, request{method: http.MethodDelete, path: path("/v2/repositories/%s/%s/tags/%s/", namespace, repository, tag)}, nil)
	if err != nil {
		var ae *APIError
		if errors.As(err, &ae) && ae.StatusCode == http.StatusBadRequest && isImmutableRefusal(ae) {
			return resp, fmt.Errorf("delete tag %s/%s:%s: %w: %w", namespace, repository, tag, ErrImmutableTag, err)
		}
		return resp, fmt.Errorf("delete tag %s/%s:%s: %w", namespace, repository, tag, err)
	}
	return resp, nil
}

// isImmutableRefusal recognises the Hub's answer to deleting an immutable tag.
func isImmutableRefusal(ae *APIError) bool {
	for _, v := range ae.Fields["reason"] {
		if v == "immutable_tag" {
			return true
		}
	}
	return len(ae.Fields["rule"]) > 0 || strings.Contains(strings.ToLower(ae.Detail+" "+ae.Message), "immutable")
}
