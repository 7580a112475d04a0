package hubclient

import (
	"context"
	"fmt"
	"strings"
)

// SearchService searches Docker Hub's public repositories. `docker search`
// asks the registry index (GET /v1/search on index.docker.io, seed
// document 001); on hub.docker.com, where every other call of this client
// goes, the same search answers at GET /v2/search/repositories/ in the
// Hub's paging envelope, with pulls beside the v1 fields.
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

// searchRepo is a result as /v2/search/repositories/ answers it.
type searchRepo struct {
	RepoName         string `json:"repo_name"`
	ShortDescription string `json:"short_description"`
	StarCount        int64  `json:"star_count"`
	PullCount        int64  `json:"pull_count"`
	IsOfficial       bool   `json:"is_official"`
	IsAutomated      bool   `json:"is_automated"`
}

// Repositories returns one page of the public repositories matching term,
// best first. Response.Count stops at MaxSearchResults.
func (s *SearchService) Repositories(ctx context.Context, term string, opt *ListOptions) ([]SearchResult, *Response, error) {
	term = strings.TrimSpace(term)
	if term == "" {
		return nil, nil, &ValidationError{"query", "say what to search for"}
	}
	var o ListOptions
	if opt != nil {
		o = *opt
	}
	if err := o.validate(); err != nil {
		return nil, nil, err
	}
	q := o.values()
	q.Set("query", term)
	items, resp, err := getPage[searchRepo](ctx, s.c, "/v2/search/repositories/", q)
	if err != nil {
		return nil, resp, fmt.Errorf("search %q: %w", term, err)
	}
	if resp.Count > MaxSearchResults {
		resp.Count = MaxSearchResults
	}
	out := make([]SearchResult, len(items))
	for i, r := range items {
		out[i] = SearchResult{Name: r.RepoName, Description: r.ShortDescription, StarCount: r.StarCount, PullCount: r.PullCount,
			IsOfficial: r.IsOfficial, IsAutomated: r.IsAutomated}
	}
	return out, resp, nil
}
