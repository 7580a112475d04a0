package hubsim

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Faults makes the simulator misbehave the way networks and busy services do.
// Rates are probabilities per request in [0, 1].
type Faults struct {
	Status    map[int]float64 // answer this status instead (e.g. 500: 0.05)
	Reset     float64         // close the connection without an answer
	Stall     float64         // hold the request for StallFor before answering
	StallFor  time.Duration   // default 30s
	Truncate  float64         // send a Content-Length the body never reaches
	StormFrom time.Time       // 429 every request from StormFrom for StormFor
	StormFor  time.Duration
	// Match fails every request one of them matches, always: one member's
	// removal in a bulk change, say (see MatchFault).
	Match []MatchFault
}

// ParseFaults reads a fault spec such as
// "500=0.05,503=0.02,reset=0.01,stall=0.01,stall_for=5s,truncate=0.01,storm=10s".
// A storm starts when the simulator starts.
func ParseFaults(spec string, now time.Time) (Faults, error) {
	f := Faults{Status: map[int]float64{}}
	if strings.TrimSpace(spec) == "" {
		return f, nil
	}
	for _, part := range strings.Split(spec, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return f, fmt.Errorf("fault %q: want name=value", part)
		}
		switch k {
		case "stall_for", "storm":
			d, err := time.ParseDuration(v)
			if err != nil {
				return f, fmt.Errorf("fault %s: %w", k, err)
			}
			if k == "storm" {
				f.StormFrom, f.StormFor = now, d
			} else {
				f.StallFor = d
			}
			continue
		}
		rate, err := strconv.ParseFloat(v, 64)
		if err != nil || rate < 0 || rate > 1 {
			return f, fmt.Errorf("fault %s: rate %q must be between 0 and 1", k, v)
		}
		switch k {
		case "reset":
			f.Reset = rate
		case "stall":
			f.Stall = rate
		case "truncate":
			f.Truncate = rate
		default:
			code, err := strconv.Atoi(k)
			if err != nil || code < 400 || code > 599 {
				return f, fmt.Errorf("fault %q: want a 4xx/5xx status, reset, stall, stall_for, truncate or storm", k)
			}
			f.Status[code] = rate
		}
	}
	return f, nil
}

// SetFaults replaces the fault configuration (tests).
func (s *Server) SetFaults(f Faults) {
	s.rateMu.Lock()
	s.opts.Faults = f
	s.rateMu.Unlock()
}

func (s *Server) faults() Faults {
	s.rateMu.Lock()
	defer s.rateMu.Unlock()
	return s.opts.Faults
}

func (s *Server) inStorm(now time.Time) bool {
	f := s.opts.Faults
	return f.StormFor > 0 && !now.Before(f.StormFrom) && now.Before(f.StormFrom.Add(f.StormFor))
}

// injectFault applies at most one fault to this request and reports whether
// it answered (or dropped) the request itself.
func (s *Server) injectFault(w http.ResponseWriter, r *http.Request) bool {
	f := s.faults()
	if mf, ok := matchFault(f.Match, r); ok {
		writeError(w, mf.Status, mf.message())
		return true
	}
	if f.Reset > 0 && s.rng.Float64() < f.Reset {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return true
			}
		}
		panic(http.ErrAbortHandler)
	}
	if f.Stall > 0 && s.rng.Float64() < f.Stall {
		d := f.StallFor
		if d == 0 {
			d = 30 * time.Second
		}
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return true
		}
	}
	codes := make([]int, 0, len(f.Status))
	for c := range f.Status {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	for _, c := range codes {
		if s.rng.Float64() < f.Status[c] {
			if c == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "1")
			}
			writeError(w, c, fmt.Sprintf("Simulated failure: %d %s", c, http.StatusText(c)))
			return true
		}
	}
	if f.Truncate > 0 && s.rng.Float64() < f.Truncate {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "4096")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"count": 1, "results": [`))
		return true
	}
	return false
}
