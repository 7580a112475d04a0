package hubclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ImageService covers image management: the manifests of a repository with
// their tags, a summary of active and inactive ones, and bulk deletion with a
// dry run. These operations come from the older v2 document and are not in
// the current one; a Hub that answers 404 or 410 for them gives an error
// wrapping ErrNotOffered.
type ImageService service

// Image statuses and orderings.
const (
	// ImageStatusActive marks an image pushed or pulled since the active_from time.
	ImageStatusActive = "active"
	// ImageStatusInactive marks the others.
	ImageStatusInactive = "inactive"

	// ImageOrderLastActivity orders by last push or pull; prefix '-' for newest first.
	ImageOrderLastActivity = "last_activity"
	// ImageOrderDigest orders by digest; prefix '-' for descending.
	ImageOrderDigest = "digest"

	// ImageWarningCurrentTag warns that tags still point at the image.
	ImageWarningCurrentTag = "current_tag"
	// ImageWarningIsActive warns that the image was pushed or pulled since active_from.
	ImageWarningIsActive = "is_active"
)

// ImageTag is a tag of an image: IsCurrent tells whether it still points at it.
type ImageTag struct {
	// Tag is the tag name.
	Tag string `json:"tag"`
	// IsCurrent tells whether the tag points at the image now.
	IsCurrent bool `json:"is_current"`
}

// RepositoryImage is one image (manifest) of a repository.
type RepositoryImage struct {
	// Namespace and Repository name the repository.
	Namespace  string `json:"namespace"`
	Repository string `json:"repository"`
	// Digest is the manifest digest.
	Digest string `json:"digest"`
	// Tags are the tags that point or pointed at it.
	Tags []ImageTag `json:"tags"`
	// LastPushed is the last push (zero when null).
	LastPushed time.Time `json:"last_pushed"`
	// LastPulled is the last pull (zero when null).
	LastPulled time.Time `json:"last_pulled"`
	// Status is active or inactive.
	Status string `json:"status"`
}

// CurrentTags are the names of the tags that still point at the image.
func (im RepositoryImage) CurrentTags() []string {
	var out []string
	for _, t := range im.Tags {
		if t.IsCurrent {
			out = append(out, t.Tag)
		}
	}
	return out
}

// ImageListOptions filter and order an image list.
type ImageListOptions struct {
	ListOptions
	// Status keeps active or inactive images ("" for both).
	Status string
	// CurrentlyTagged keeps images with at least one current tag (true) or
	// none (false); nil for both.
	CurrentlyTagged *bool
	// Ordering is last_activity or digest, with a leading '-' for
	// descending; "" is the Hub's default.
	Ordering string
	// ActiveFrom is when an image must have been pushed or pulled since to
	// count as active; zero means the Hub's default, a month ago.
	ActiveFrom time.Time
}

func (o *ImageListOptions) query() (url.Values, error) {
	var opt ImageListOptions
	if o != nil {
		opt = *o
	}
	if err := opt.validate(); err != nil {
		return nil, err
	}
	q := opt.values()
	switch opt.Status {
	case "":
	case ImageStatusActive, ImageStatusInactive:
		q.Set("status", opt.Status)
	default:
		return nil, &ValidationError{"status", "must be active or inactive"}
	}
	if opt.CurrentlyTagged != nil {
		q.Set("currently_tagged", strconv.FormatBool(*opt.CurrentlyTagged))
	}
	switch strings.TrimPrefix(opt.Ordering, "-") {
	case "":
		if opt.Ordering != "" {
			return nil, &ValidationError{"ordering", "must be last_activity, -last_activity, digest or -digest"}
		}
	case ImageOrderLastActivity, ImageOrderDigest:
		q.Set("ordering", opt.Ordering)
	default:
		return nil, &ValidationError{"ordering", "must be last_activity, -last_activity, digest or -digest"}
	}
	if !opt.ActiveFrom.IsZero() {
		q.Set("active_from", opt.ActiveFrom.UTC().Format(time.RFC3339Nano))
	}
	return q, nil
}

// imagesErr wraps err with op, adding ErrNotOffered when the Hub answered
// 404 or 410: image management is not offered everywhere.
func imagesErr(op string, err error) error {
	var ae *APIError
	if errors.As(err, &ae) && (ae.StatusCode == http.StatusNotFound || ae.StatusCode == http.StatusGone) {
		return fmt.Errorf("%s: %w: %w", op, ErrNotOffered, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// List calls GET /v2/namespaces/{namespace}/repositories/{repository}/images
// and returns one page of the repository's images.
func (s *ImageService) List(ctx context.Context, namespace, repository string, opt *ImageListOptions) ([]RepositoryImage, *Response, error) {
	if err := checkRepoRef(namespace, repository); err != nil {
		return nil, nil, err
	}
	q, err := opt.query()
	if err != nil {
		return nil, nil, err
	}
	images, resp, err := getPage[RepositoryImage](ctx, s.c, path("/v2/namespaces/%s/repositories/%s/images", namespace, repository), q)
	if err != nil {
		return nil, resp, imagesErr("list images of "+namespace+"/"+repository, err)
	}
	return images, resp, nil
}

// Tags calls GET /v2/namespaces/{namespace}/repositories/{repository}/images/{digest}/tags
// and returns one page of the tags that point or pointed at the image.
func (s *ImageService) Tags(ctx context.Context, namespace, repository, digest string, opt *ListOptions) ([]ImageTag, *Response, error) {
	if err := checkRepoRef(namespace, repository); err != nil {
		return nil, nil, err
	}
	if err := checkDigest("digest", digest); err != nil {
		return nil, nil, err
	}
	var o ListOptions
	if opt != nil {
		o = *opt
	}
	if err := o.validate(); err != nil {
		return nil, nil, err
	}
	tags, resp, err := getPage[ImageTag](ctx, s.c, path("/v2/namespaces/%s/repositories/%s/images/%s/tags", namespace, repository, digest), o.values())
	if err != nil {
		return nil, resp, imagesErr("list tags of image "+digest+" in "+namespace+"/"+repository, err)
	}
	return tags, resp, nil
}

// ImageStatistics count a repository's images.
type ImageStatistics struct {
	// Total is the number of images.
	Total int `json:"total"`
	// Active were pushed or pulled since the active_from time.
	Active int `json:"active"`
	// Inactive were not.
	Inactive int `json:"inactive"`
}

// ImageSummary is the answer of Summary.
type ImageSummary struct {
	// ActiveFrom is the start of the active window the Hub used.
	ActiveFrom time.Time `json:"active_from"`
	// Statistics count the images.
	Statistics ImageStatistics `json:"statistics"`
}

// Summary calls GET /v2/namespaces/{namespace}/repositories/{repository}/images-summary.
// A zero activeFrom uses the Hub's default (a month ago).
func (s *ImageService) Summary(ctx context.Context, namespace, repository string, activeFrom time.Time) (*ImageSummary, *Response, error) {
	if err := checkRepoRef(namespace, repository); err != nil {
		return nil, nil, err
	}
	q := url.Values{}
	if !activeFrom.IsZero() {
		q.Set("active_from", activeFrom.UTC().Format(time.RFC3339Nano))
	}
	var out ImageSummary
	resp, err := s.c.do(ctx, request{method: http.MethodGet, path: path("/v2/namespaces/%s/repositories/%s/images-summary", namespace, repository), query: q}, &out)
	if err != nil {
		return nil, resp, imagesErr("summarise images of "+namespace+"/"+repository, err)
	}
	return &out, resp, nil
}

// ImageRef names one image of a namespace to delete.
type ImageRef struct {
	// Repository is the repository name, without the namespace.
	Repository string `json:"repository"`
	// Digest is the manifest digest (sha256:…).
	Digest string `json:"digest"`
}

// ImageDeleteWarning is a reason to think twice before deleting an image:
// current_tag (Tags still point at it) or is_active. Sent back in
// DeleteImagesRequest.IgnoreWarnings, it confirms the deletion anyway.
type ImageDeleteWarning struct {
	// Repository and Digest name the image.
	Repository string `json:"repository"`
	Digest     string `json:"digest"`
	// Warning is current_tag or is_active.
	Warning string `json:"warning"`
	// Tags are the image's current tags.
	Tags []string `json:"tags,omitempty"`
}

// ImageDeleteError is why an image cannot be deleted (not_found, ...).
type ImageDeleteError struct {
	// Repository and Digest name the image.
	Repository string `json:"repository"`
	Digest     string `json:"digest"`
	// Error is the reason, such as not_found.
	Error string `json:"error"`
}

// DeleteImagesRequest is the body of ImageService.Delete.
type DeleteImagesRequest struct {
	// DryRun reports what would be deleted and changes nothing.
	DryRun bool `json:"dry_run"`
	// ActiveFrom is the start of the active window for is_active warnings;
	// nil uses the Hub's default (a month ago).
	ActiveFrom *time.Time `json:"active_from,omitempty"`
	// Manifests are the images to delete.
	Manifests []ImageRef `json:"manifests"`
	// IgnoreWarnings confirm the deletion despite these warnings.
	IgnoreWarnings []ImageDeleteWarning `json:"ignore_warnings,omitempty"`
}

// DeleteImagesMetrics count what a deletion did (or, in a dry run, would do).
type DeleteImagesMetrics struct {
	// ManifestDeletes counts deleted images.
	ManifestDeletes int `json:"manifest_deletes"`
	// ManifestErrors counts images that could not be deleted.
	ManifestErrors int `json:"manifest_errors"`
	// TagDeletes counts tags deleted with their images.
	TagDeletes int `json:"tag_deletes"`
	// TagErrors counts tags that could not be deleted.
	TagErrors int `json:"tag_errors"`
}

// DeleteImagesResult is the answer of a deletion that went ahead.
type DeleteImagesResult struct {
	// DryRun echoes the request: nothing changed when true.
	DryRun bool `json:"dry_run"`
	// Metrics count what was (or would be) deleted.
	Metrics DeleteImagesMetrics `json:"metrics"`
}

// DeleteImagesRefusal is the Hub's "deletion not possible" answer: nothing
// was deleted because of Errors, or of Warnings the request did not ignore.
// It unwraps to the *APIError.
type DeleteImagesRefusal struct {
	*APIError
	// Errors make the deletion impossible.
	Errors []ImageDeleteError
	// Warnings stop it until sent back as IgnoreWarnings.
	Warnings []ImageDeleteWarning
}

// Error counts the problems and shows the server's words.
func (e *DeleteImagesRefusal) Error() string {
	return fmt.Sprintf("deletion not possible: %d errors, %d warnings (%s)", len(e.Errors), len(e.Warnings), e.APIError.Error())
}

// Unwrap exposes the APIError.
func (e *DeleteImagesRefusal) Unwrap() error { return e.APIError }

// decodeRefusal reads errinfo.details of a full error body.
func decodeRefusal(ae *APIError, body []byte) *DeleteImagesRefusal {
	var eb struct {
		ErrInfo struct {
			Details struct {
				Errors   []ImageDeleteError   `json:"errors"`
				Warnings []ImageDeleteWarning `json:"warnings"`
			} `json:"details"`
		} `json:"errinfo"`
	}
	if json.Unmarshal(body, &eb) != nil {
		return nil
	}
	d := eb.ErrInfo.Details
	if len(d.Errors) == 0 && len(d.Warnings) == 0 {
		return nil
	}
	return &DeleteImagesRefusal{APIError: ae, Errors: d.Errors, Warnings: d.Warnings}
}

// Delete calls POST /v2/namespaces/{namespace}/delete-images. When the Hub
// refuses (errors, or warnings not ignored; a dry run is refused the same
// way) the error is a *DeleteImagesRefusal listing them: show them, then
// repeat with IgnoreWarnings set to the warnings the user accepts.
func (s *ImageService) Delete(ctx context.Context, namespace string, in *DeleteImagesRequest) (*DeleteImagesResult, *Response, error) {
	if err := checkNamespace("namespace", namespace); err != nil {
		return nil, nil, err
	}
	if in == nil || len(in.Manifests) == 0 {
		return nil, nil, &ValidationError{"manifests", "name at least one image"}
	}
	for _, m := range in.Manifests {
		if m.Repository == "" {
			return nil, nil, &ValidationError{"manifests", "each image needs its repository"}
		}
		if err := checkDigest("manifests", m.Digest); err != nil {
			return nil, nil, err
		}
	}
	op := "delete images of " + namespace
	if in.DryRun {
		op = "dry-run " + op
	}
	var out DeleteImagesResult
	var body []byte // a refusal lists every image: keep the whole error body
	resp, err := s.c.do(ctx, request{method: http.MethodPost, path: path("/v2/namespaces/%s/delete-images", namespace), body: in, errBody: &body}, &out)
	if err != nil {
		var ae *APIError
		if errors.As(err, &ae) && ae.StatusCode == http.StatusBadRequest {
			if ref := decodeRefusal(ae, body); ref != nil {
				return nil, resp, fmt.Errorf("%s: %w", op, ref)
			}
		}
		return nil, resp, imagesErr(op, err)
	}
	return &out, resp, nil
}
