package hubclient

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// SearchService searches Docker Hub's public repositories, as `docker
// search` does: GET /v1/search (seed document 001 and docker/cli's
// registry client). The v1 answer has no next link; Response.Count is the
// number of results.
type SearchService service

// MaxSearchResults is the most results a search lists in all: a popular
// term matches tens of thousands, and a list of them is not what anyone
// reads past the first pages.
const MaxSearchResults = 500

// SearchResult is one public repository found.
type SearchResult struct {
	// Name is namespace/name, or the bare name of an official image.
	Name string `json:"name"`
	// Description is the short description.
	Description string `json:"description"`
	// StarCount is how many users starred it.
	StarCount int64 `json:"star_count"`
	// PullCount is its pulls, when the Hub says (not in the v1 document).
	PullCount int64 `json:"pull_count"`
	// IsOfficial marks a Docker Official Image.
	IsOfficial bool `json:"is_official"`
	// IsAutomated marks an automated build.
	IsAutomated bool `json:"is_automated"`
}

// Ref is what `docker pull` takes: an official image under library/.
func (r SearchResult) Ref() string {
	if !strings.Contains(r.Name, "/") {
		return "library/" + r.Name
	}
	return r.Name
}

// Repositories returns one page of the public repositories matching term.
func (s *SearchService) Repositories(ctx context.Context, term string, opt *ListOptions) ([]SearchResult, *Response, error) {
	term = strings.TrimSpace(term)
	if term == "" {
		return nil, nil, &ValidationError{"q", "say what to search for"}
	}
	var o ListOptions
	if opt != nil {
		o = *opt
	}
	if err := o.validate(); err != nil {
		return nil, nil, err
	}
	page, size := max(1, o.Page), o.PageSize
	if size == 0 {
		size = MaxPageSize
	}
	q := url.Values{"q": {term}, "n": {strconv.Itoa(size)}, "page": {strconv.Itoa(page)}}
	var out struct {
		NumResults int            `json:"num_results"`
		NumPages   int            `json:"num_pages"`
		Results    []SearchResult `json:"results"`
	}
	resp, err := s.c.do(ctx, request{method: http.MethodGet, path: "/v1/search", query: q}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("search %q: %w", term, err)
	}
	resp.Count = min(out.NumResults, MaxSearchResults)
	if (page-1)*size >= resp.Count {
		return nil, resp, nil
	}
	return out.Results, resp, nil
}
