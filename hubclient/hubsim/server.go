// Package hubsim is an in-memory Docker Hub that speaks the same HTTP API as
// hub.docker.com, for the demo, tests and benchmarks (as net/http/httptest
// sits under net/http). It enforces bearer auth with expiring JWTs, org roles
// and token scopes, pages with absolute links, rate limits with 429 and
// Retry-After, records every mutation in the audit log, and injects faults.
package hubsim

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure a simulator.
type Options struct {
	Dataset   string        // "demo" (default), "large" or "empty"
	Seed      uint64        // dataset and fault seed; 0 means 1
	TokenTTL  time.Duration // JWT lifetime; default 10 minutes
	RateLimit int           // requests per minute per caller; 0 means 180, negative disables
	Latency   time.Duration // added to every answer
	Jitter    time.Duration // random extra latency up to this much
	Faults    Faults
	Clock     Clock   // default RealClock
	Activity  float64 // background events per second on the wall clock; 0 is off (see RunActivity for simulated time)
}

// Server is a running in-memory Docker Hub. It implements http.Handler.
type Server struct {
	opts   Options
	clock  Clock
	mux    *http.ServeMux
	key    []byte // JWT signing key
	mu     sync.RWMutex
	st     *store
	spent  map[string]time.Time // two-factor challenges already used, until they expire
	rateMu sync.Mutex
	rates  map[string]*bucket
	rng    *lockedRand
	stop   chan struct{}
	once   sync.Once
	simMu  sync.Mutex   // serialises RunActivity and ActivityBurst
	sim    *simActivity // simulated-time activity; nil until first used
}

// New builds a simulator loaded with its dataset.
func New(opts Options) (*Server, error) {
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.TokenTTL == 0 {
		opts.TokenTTL = 10 * time.Minute
	}
	if opts.RateLimit == 0 {
		opts.RateLimit = 180
	}
	if opts.Clock == nil {
		opts.Clock = RealClock{}
	}
	if opts.Dataset == "" {
		opts.Dataset = "demo"
	}
	s := &Server{
		opts:  opts,
		clock: opts.Clock,
		mux:   http.NewServeMux(),
		rates: map[string]*bucket{},
		spent: map[string]time.Time{},
		rng:   newLockedRand(opts.Seed),
		stop:  make(chan struct{}),
	}
	k := sha256.Sum256(binary.LittleEndian.AppendUint64([]byte("hubsim-jwt"), opts.Seed))
	s.key = k[:]
	st, err := buildDataset(opts.Dataset, opts.Seed, s.clock.Now())
	if err != nil {
		return nil, err
	}
	s.st = st
	s.routes()
	if opts.Activity > 0 {
		go s.runActivity(opts.Activity)
	}
	return s, nil
}

// Close stops background activity.
func (s *Server) Close() { s.once.Do(func() { close(s.stop) }) }

// routes registers every area's handlers; each lives in its own file.
func (s *Server) routes() {
	s.routesAuth()
	s.routesUsers()
	s.routesRepos()
	s.routesTags()
	s.routesOrgs()
	s.routesMembers()
	s.routesTeams()
	s.routesInvites()
	s.routesTokens()
	s.routesOrgTokens()
	s.routesAudit()
	s.routesSCIM()
	s.routesImages()
	s.routesSearch()
	s.routesAccount()
	s.mux.HandleFunc("/", s.unrouted)
}

// unrouted answers what no route takes: 405 with Allow when the path is
// served for other methods, else 404.
func (s *Server) unrouted(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeError(w, http.StatusMethodNotAllowed, "Method \""+r.Method+"\" not allowed.")
		return
	}
	writeError(w, http.StatusNotFound, "Not found: "+r.Method+" "+r.URL.Path)
}

// handle registers pattern ("GET /v2/..." or "GET /v2/.../{$}") on the
// mux twice, with and without a trailing slash: the Hub treats
// /v2/orgs/acme/members/ and /v2/orgs/acme/members as one route, and
// Docker's own clients (hub-tool, the Terraform provider) use both
// spellings. Every route is registered here, so none is slash-sensitive.
func (s *Server) handle(pattern string, h http.HandlerFunc) {
	s.mux.HandleFunc(pattern, h)
	s.mux.HandleFunc(slashTwin(pattern), h)
}

// slashTwin is pattern with its trailing slash toggled:
// "GET /v2/user/{$}" gives "GET /v2/user" and "GET /v2/user" gives
// "GET /v2/user/{$}". Patterns are exact ones, never subtree patterns
// ending in a bare slash.
func slashTwin(pattern string) string {
	if bare, ok := strings.CutSuffix(pattern, "/{$}"); ok {
		return bare
	}
	return pattern + "/{$}"
}

// ServeHTTP applies latency, faults and the rate limit, then routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if d := s.latency(); d > 0 {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		}
	}
	// The budget is read first, so even a faulty answer carries X-RateLimit-*.
	if !s.admit(w, r) {
		return
	}
	if s.injectFault(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) latency() time.Duration {
	d := s.opts.Latency
	if s.opts.Jitter > 0 {
		d += time.Duration(s.rng.Int64N(int64(s.opts.Jitter)))
	}
	return d
}

// Start serves s on addr ("127.0.0.1:0" for any free port) and returns the
// base URL and a function that shuts the server down.
func (s *Server) Start(addr string) (string, func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("listen %s: %w", addr, err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	stop := func() {
		s.Close()
		// Answers in flight get a moment; a request still waiting then (a
		// client that went away mid-load) is cut rather than waited for.
		ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
		defer cancel()
		if srv.Shutdown(ctx) != nil {
			_ = srv.Close()
		}
	}
	return "http://" + ln.Addr().String(), stop, nil
}

// bucket is one caller's rate window.
type bucket struct {
	start time.Time
	used  int
}

// admit applies the per-caller budget, writing X-RateLimit-* on every answer
// and 429 + Retry-After when the budget is spent.
func (s *Server) admit(w http.ResponseWriter, r *http.Request) bool {
	if s.opts.RateLimit < 0 {
		// No budget, but an injected 429 storm still blows.
		s.rateMu.Lock()
		storm := s.inStorm(s.clock.Now())
		s.rateMu.Unlock()
		if storm {
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusTooManyRequests, "Rate limit exceeded. Please retry later.")
			return false
		}
		return true
	}
	key := s.callerKey(r)
	now := s.clock.Now()
	s.rateMu.Lock()
	b := s.rates[key]
	if b == nil || now.Sub(b.start) >= time.Minute {
		b = &bucket{start: now}
		s.rates[key] = b
	}
	storm := s.inStorm(now)
	b.used++
	remaining := s.opts.RateLimit - b.used
	reset := b.start.Add(time.Minute)
	s.rateMu.Unlock()
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.opts.RateLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(0, remaining)))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	if remaining < 0 || storm {
		wait := int(reset.Sub(now).Seconds() + 0.999)
		if storm {
			wait = 1
		}
		h.Set("Retry-After", strconv.Itoa(max(1, wait)))
		writeError(w, http.StatusTooManyRequests, "Rate limit exceeded. Please retry later.")
		return false
	}
	return true
}

// callerKey identifies a caller for rate limiting: the bearer token's
// subject when present (so a renewed token does not get a fresh budget),
// else the remote host.
func (s *Server) callerKey(r *http.Request) string {
	a := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(a, "Bearer ")
	if !ok {
		tok, ok = strings.CutPrefix(a, "JWT ")
	}
	if ok {
		if c, err := s.verify(tok); err == nil {
			return "u:" + c.Sub
		}
	}
	if len(a) > 7 {
		sum := sha256.Sum256([]byte(a))
		return "t:" + string(sum[:8])
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "ip:" + host
}

// ResetRateLimits forgets every caller's spent budget (tests).
func (s *Server) ResetRateLimits() {
	s.rateMu.Lock()
	s.rates = map[string]*bucket{}
	s.rateMu.Unlock()
}

// lockedRand is a seeded random source safe for concurrent use.
type lockedRand struct {
	mu sync.Mutex
	r  *rand.Rand
}

func newLockedRand(seed uint64) *lockedRand {
	return &lockedRand{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

func (l *lockedRand) Int64N(n int64) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Int64N(n)
}

func (l *lockedRand) Float64() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Float64()
}
