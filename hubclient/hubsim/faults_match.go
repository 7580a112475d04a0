package hubsim

import (
	"fmt"
	"net/http"
	"strings"
)

// MatchFault answers Status to every request with Method (any method when
// "") on Path (with or without a trailing slash), instead of serving it.
// Tests use it to make one item of a bulk change fail on purpose.
type MatchFault struct {
	Method string
	Path   string // "/v2/orgs/acme/members/bob"
	Status int    // a 4xx or 5xx status
	// Detail is the error text the answer carries; "" gives "Simulated
	// failure: STATUS TEXT".
	Detail string
}

func (m MatchFault) message() string {
	if m.Detail != "" {
		return m.Detail
	}
	return fmt.Sprintf("Simulated failure: %d %s", m.Status, http.StatusText(m.Status))
}

// matchFault finds the first fault of faults that r matches.
func matchFault(faults []MatchFault, r *http.Request) (MatchFault, bool) {
	p := strings.TrimSuffix(r.URL.Path, "/")
	for _, m := range faults {
		if (m.Method == "" || strings.EqualFold(m.Method, r.Method)) && strings.TrimSuffix(m.Path, "/") == p {
			return m, true
		}
	}
	return MatchFault{}, false
}
