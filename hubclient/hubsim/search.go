package hubsim

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// routesSearch serves the public repository search Docker's own command
// line uses (`docker search`: GET /v1/search?q=TERM&n=25&page=1, the
// answer shape of the v1 API, seed document 001), over every public
// repository of the simulator. It needs no sign-in.
//
// On hub.docker.com the same search answers at GET /v2/search/repositories/
// (query, page, page_size) in the paging envelope with absolute links.
func (s *Server) routesSearch() {
	s.handle("GET /v1/search", s.search)
	s.handle("GET /v2/search/repositories", s.searchV2)
}

// searchResult is one repository found, as the v1 search answers it; the
// Hub adds pull_count beside the documented fields.
type searchResult struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	StarCount   int64  `json:"star_count"`
	PullCount   int64  `json:"pull_count"`
	IsOfficial  bool   `json:"is_official"`
	IsAutomated bool   `json:"is_automated"`
}

type searchBody struct {
	Query      string         `json:"query"`
	NumResults int            `json:"num_results"`
	NumPages   int            `json:"num_pages"`
	Page       int            `json:"page"`
	PageSize   int            `json:"page_size"`
	Results    []searchResult `json:"results"`
}

// searchV2Result is one result of /v2/search/repositories/.
type searchV2Result struct {
	RepoName         string `json:"repo_name"`
	ShortDescription string `json:"short_description"`
	StarCount        int64  `json:"star_count"`
	PullCount        int64  `json:"pull_count"`
	RepoOwner        string `json:"repo_owner"`
	IsAutomated      bool   `json:"is_automated"`
	IsOfficial       bool   `json:"is_official"`
}

func (s *Server) searchV2(w http.ResponseWriter, r *http.Request) {
	term := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("query")))
	if term == "" {
		writeFieldErrors(w, "query is required.", map[string][]string{"query": {"This field is required."}})
		return
	}
	pg, ok := parsePaging(w, r, 25)
	if !ok {
		return
	}
	found := s.searchRepos(term)
	out, ok := pageOf(w, pg, found, func(f searchResult) searchV2Result {
		return searchV2Result{RepoName: f.Name, ShortDescription: f.Description, StarCount: f.StarCount, PullCount: f.PullCount,
			IsAutomated: f.IsAutomated, IsOfficial: f.IsOfficial}
	})
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, newPage(r, pg, len(found), out))
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	term := strings.ToLower(strings.TrimSpace(q.Get("q")))
	if term == "" {
		writeError(w, http.StatusBadRequest, "The search term q is required.")
		return
	}
	size, page := 25, 1
	if v := q.Get("n"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			writeError(w, http.StatusBadRequest, "n must be a number from 1 to 100.")
			return
		}
		size = n
	}
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, "page must be a number from 1.")
			return
		}
		page = n
	}
	found := s.searchRepos(term)
	pages := (len(found) + size - 1) / size
	lo := min((page-1)*size, len(found))
	hi := min(lo+size, len(found))
	writeJSON(w, http.StatusOK, searchBody{Query: term, NumResults: len(found), NumPages: pages, Page: page, PageSize: size,
		Results: append([]searchResult{}, found[lo:hi]...)})
}

// searchRepos is every public repository whose name or description holds
// term, best first (stars, pulls, name).
func (s *Server) searchRepos(term string) []searchResult {
	s.mu.RLock()
	var found []searchResult
	for nsName, ns := range s.st.namespaces {
		for name, rp := range ns.Repos {
			if rp.Private {
				continue
			}
			full := nsName + "/" + name
			if !strings.Contains(full, term) && !strings.Contains(strings.ToLower(rp.Description), term) {
				continue
			}
			shown := full
			if nsName == "library" { // official images are named without it
				shown = name
			}
			found = append(found, searchResult{Name: shown, Description: rp.Description, StarCount: rp.Stars, PullCount: rp.Pulls,
				IsOfficial: nsName == "library"})
		}
	}
	s.mu.RUnlock()
	// Best first: stars, then pulls, then name.
	sort.Slice(found, func(i, j int) bool {
		a, b := found[i], found[j]
		if a.StarCount != b.StarCount {
			return a.StarCount > b.StarCount
		}
		if a.PullCount != b.PullCount {
			return a.PullCount > b.PullCount
		}
		return a.Name < b.Name
	})
	return found
}
