// Package hubclient is a typed client for the Docker Hub HTTP API: sign-in
// and token refresh, pagination, rate limits, retries and typed errors, with
// one service per API area.
package hubclient

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

const (
	// DefaultBaseURL is Docker Hub.
	DefaultBaseURL = "https://hub.docker.com"
	// Version is the client version sent in the User-Agent.
	Version = "0.1.0"
	// MaxPageSize is the documented maximum page_size.
	MaxPageSize = 100
	// DefaultConcurrency bounds ListAll's parallel page fetches.
	DefaultConcurrency = 8
	// DefaultLoadDeadline is how long one ListAll may take (see
	// WithLoadDeadline): long enough for a 100,000-tag repository (1,000
	// pages) inside a 180-a-minute rate budget, about six minutes.
	DefaultLoadDeadline = 15 * time.Minute
	// refreshMargin is how long before its exp a JWT is renewed; a token
	// that lives less than four margins is renewed after three quarters of
	// its life instead.
	refreshMargin = 60 * time.Second
	// DefaultMaxBody bounds the body of a successful answer.
	DefaultMaxBody = 32 << 20
	// DefaultMaxExportBody bounds the body of a members CSV export.
	DefaultMaxExportBody = 256 << 20
	// maxErrorBody bounds the body of an error answer.
	maxErrorBody = 64 << 10
	// maxFullErrorBody bounds an error body read for request.errBody.
	maxFullErrorBody = 16 << 20
)

// Client talks to one Docker Hub. It is safe for concurrent use.
type Client struct {
	base        *url.URL
	http        *http.Client
	userAgent   string
	readOnly    bool
	concurrency int
	pageSize    int // what ListAll asks for
	// maxListItems and maxListPages bound one ListAll (0: the defaults).
	maxListItems, maxListPages int
	loadDeadline               time.Duration // how long one ListAll may take; 0 for ever
	// maxBody and maxExportBody bound a 2xx body (request.large picks the second).
	maxBody, maxExportBody int64
	retry                  RetryPolicy
	now                    func() time.Time
	sleep                  func(ctx context.Context, d time.Duration) error

	authMu  sync.Mutex // serialises sign-in
	mu      sync.Mutex // guards the fields below
	creds   Credentials
	until   time.Time // a request is waiting for the rate limit until then
	waiting int       // how many requests wait for it
	token   Secret
	exp     time.Time // when to renew the token (before its exp claim)
	rate    Rate
	fg      int           // changes running (Foreground)
	fgDone  chan struct{} // closed when the last of them is done

	// Services, one per API area.
	Auth      *AuthService
	Users     *UserService
	Repos     *RepoService
	Tags      *TagService
	Orgs      *OrgService
	Members   *MemberService
	Teams     *TeamService
	Invites   *InviteService
	Tokens    *TokenService
	OrgTokens *OrgTokenService
	Audit     *AuditService
	SCIM      *SCIMService
	Images    *ImageService
	Account   *AccountService
	Search    *SearchService
}

type service struct{ c *Client }

// Credentials sign a client in: a username with a password or personal access
// token, or an organization name with an organization access token.
type Credentials struct {
	Identifier string
	Secret     Secret
}

// RetryPolicy caps retries of idempotent requests.
type RetryPolicy struct {
	Max     int           // retries after the first attempt
	Base    time.Duration // first backoff
	Cap     time.Duration // longest backoff
	MaxWait time.Duration // longest Retry-After a GET will wait for before giving up
}

// Option configures a Client.
type Option func(*Client) error

// WithBaseURL points the client at another Hub (hubsim, a proxy).
func WithBaseURL(raw string) Option {
	return func(c *Client) error {
		u, err := url.Parse(strings.TrimRight(raw, "/"))
		if err != nil {
			return fmt.Errorf("base URL %q: %w", raw, err)
		}
		if err := checkScheme(u); err != nil {
			return err
		}
		c.base = u
		return nil
	}
}

// WithHTTPClient sends every request through hc's transport, timeout and
// cookie jar. The client works on a copy of hc: it never follows a redirect
// (a 3xx answer is a *RedirectError) and its transport refuses plain http://
// to anything but a loopback host, whatever hc says; hc itself is left
// unchanged. A nil hc means the default client.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc != nil {
			c.http = hc
		}
		return nil
	}
}

// WithCredentials sets who signs in.
func WithCredentials(identifier string, secret Secret) Option {
	return func(c *Client) error { c.creds = Credentials{identifier, secret}; return nil }
}

// WithToken starts with an existing bearer JWT (for example after a 2FA sign-in).
func WithToken(jwt Secret) Option {
	return func(c *Client) error { c.setToken(jwt); return nil }
}

// WithUserAgent replaces the User-Agent.
func WithUserAgent(ua string) Option {
	return func(c *Client) error { c.userAgent = ua; return nil }
}

// WithReadOnly makes every request other than GET/HEAD and sign-in fail with
// ErrReadOnly before anything is sent.
func WithReadOnly() Option {
	return func(c *Client) error { c.readOnly = true; return nil }
}

// WithConcurrency bounds ListAll's parallel page fetches.
func WithConcurrency(n int) Option {
	return func(c *Client) error {
		if n < 1 {
			return &ValidationError{"concurrency", "must be at least 1"}
		}
		c.concurrency = n
		return nil
	}
}

// WithPageSize sets the page_size ListAll asks for (1 to MaxPageSize;
// default MaxPageSize, the fewest requests).
func WithPageSize(n int) Option {
	return func(c *Client) error {
		if n < 1 || n > MaxPageSize {
			return &ValidationError{"page_size", fmt.Sprintf("must be between 1 and %d", MaxPageSize)}
		}
		c.pageSize = n
		return nil
	}
}

// WithRetryPolicy replaces the retry policy.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *Client) error { c.retry = p; return nil }
}

// WithLoadDeadline sets how long one ListAll may take in all (default
// DefaultLoadDeadline; 0 means no limit). Past it ListAll stops with a
// *DeadlineError. A deadline of the caller's context that comes sooner is
// kept.
func WithLoadDeadline(d time.Duration) Option {
	return func(c *Client) error {
		if d < 0 {
			return &ValidationError{"load deadline", "must not be negative"}
		}
		c.loadDeadline = d
		return nil
	}
}

// LoadDeadline is how long one ListAll may take (0: no limit). A load
// started now ends at the latest at time.Now().Add(LoadDeadline()); the
// context ListAll hands to its PageFunc carries that deadline, so
// ctx.Deadline() there tells the current load's.
func (c *Client) LoadDeadline() time.Duration { return c.loadDeadline }

// WithClock replaces the clock used for token expiry (tests).
func WithClock(now func() time.Time) Option {
	return func(c *Client) error { c.now = now; return nil }
}

// WithSleep replaces how the client waits between retries and for the
// rate limit (default: a timer, cut short when ctx ends). Tests that run
// in simulated time pass a function that moves their clock by d; it must
// return ctx.Err() when ctx is done.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) error {
		if sleep == nil {
			return &ValidationError{"sleep", "must not be nil"}
		}
		c.sleep = sleep
		return nil
	}
}

// New builds a Client.
func New(opts ...Option) (*Client, error) {
	base, _ := url.Parse(DefaultBaseURL)
	c := &Client{
		base:          base,
		http:          &http.Client{Timeout: 60 * time.Second},
		userAgent:     "hubtui/" + Version,
		concurrency:   DefaultConcurrency,
		pageSize:      MaxPageSize,
		loadDeadline:  DefaultLoadDeadline,
		maxBody:       DefaultMaxBody,
		maxExportBody: DefaultMaxExportBody,
		retry:         RetryPolicy{Max: 4, Base: 250 * time.Millisecond, Cap: 8 * time.Second, MaxWait: 90 * time.Second},
		now:           time.Now,
		sleep:         sleepCtx,
	}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	c.http = guarded(c.http)
	s := func() *service { return &service{c} }
	c.Auth = (*AuthService)(s())
	c.Users = (*UserService)(s())
	c.Repos = (*RepoService)(s())
	c.Tags = (*TagService)(s())
	c.Orgs = (*OrgService)(s())
	c.Members = (*MemberService)(s())
	c.Teams = (*TeamService)(s())
	c.Invites = (*InviteService)(s())
	c.Tokens = (*TokenService)(s())
	c.OrgTokens = (*OrgTokenService)(s())
	c.Audit = (*AuditService)(s())
	c.SCIM = (*SCIMService)(s())
	c.Images = (*ImageService)(s())
	c.Account = (*AccountService)(s())
	c.Search = (*SearchService)(s())
	return c, nil
}

// String names the client without its secrets: %v of a Client never shows
// the password or the token.
func (c *Client) String() string {
	return fmt.Sprintf("hubclient.Client{%s as %q, read-only %v}", c.base.Redacted(), c.Identifier(), c.readOnly)
}

// Format prints String for every verb.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// LogValue keeps secrets out of slog.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

// BaseURL is the Hub this client talks to.
func (c *Client) BaseURL() string { return c.base.String() }

// ReadOnly reports whether the client refuses mutations.
func (c *Client) ReadOnly() bool { return c.readOnly }

// Identifier is the username (or org name for an OAT) the client signs in as.
func (c *Client) Identifier() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.creds.Identifier
}

// WaitingUntil is when a request that is waiting for the rate budget (after
// a 429, or ListAll pacing itself) will go on; zero when none waits.
func (c *Client) WaitingUntil() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.until
}

// waitFor sleeps d for the rate limit, so that WaitingUntil tells a UI.
func (c *Client) waitFor(ctx context.Context, d time.Duration) error {
	end := c.now().Add(d)
	c.mu.Lock()
	c.waiting++
	if end.After(c.until) {
		c.until = end
	}
	c.mu.Unlock()
	err := c.sleep(ctx, d)
	c.mu.Lock()
	if c.waiting--; c.waiting == 0 {
		c.until = time.Time{} // the last waiter is done
	}
	c.mu.Unlock()
	return err
}

// Rate is the last rate-limit reading seen on any answer.
func (c *Client) Rate() Rate {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rate
}

func checkScheme(u *url.URL) error {
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return ErrInsecureURL
	default:
		return fmt.Errorf("base URL %q: scheme must be https", u.String())
	}
}

// guarded returns a copy of hc that follows no redirect and whose transport
// checks the scheme of every request (see schemeGuard).
func guarded(hc *http.Client) *http.Client {
	cp := *hc
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	cp.Transport = schemeGuard{base}
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cp
}

// schemeGuard refuses, before anything is sent, a request to a plain
// http:// URL whose host is not a loopback address, and any scheme other
// than http and https.
type schemeGuard struct{ base http.RoundTripper }

// RoundTrip checks the scheme, then hands the request on.
func (g schemeGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := checkScheme(req.URL); err != nil {
		if req.Body != nil {
			_ = req.Body.Close() // a RoundTripper always closes the body
		}
		return nil, fmt.Errorf("%s %s: %w", req.Method, req.URL.Redacted(), err)
	}
	return g.base.RoundTrip(req)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Rate is one X-RateLimit-* reading.
type Rate struct {
	Limit     int
	Remaining int
	Reset     time.Time
	Known     bool
}

func parseRate(h http.Header) Rate {
	var r Rate
	if v := h.Get("X-RateLimit-Limit"); v != "" {
		r.Limit, _ = strconv.Atoi(v)
		r.Known = true
	}
	if v := h.Get("X-RateLimit-Remaining"); v != "" {
		r.Remaining, _ = strconv.Atoi(v)
	}
	if v := h.Get("X-RateLimit-Reset"); v != "" {
		if sec, err := strconv.ParseInt(v, 10, 64); err == nil {
			r.Reset = time.Unix(sec, 0)
		}
	}
	return r
}

// Response wraps the HTTP answer with what the Hub reports about paging and
// the rate budget.
type Response struct {
	*http.Response
	Count          int    // total items, when the endpoint reports it
	Next, Previous string // absolute URLs, "" at the ends
	Rate           Rate   // X-RateLimit-* of this answer

	auth Secret // the Authorization this request carried, to tell a stale 401
}

// String describes the answer (request, status, paging, rate budget)
// without the credentials the request carried.
func (r Response) String() string {
	var b strings.Builder
	b.WriteString("hubclient.Response{")
	if hr := r.Response; hr != nil {
		if req := hr.Request; req != nil && req.URL != nil {
			fmt.Fprintf(&b, "%s %s: ", req.Method, req.URL.Redacted())
		}
		b.WriteString(hr.Status)
	}
	fmt.Fprintf(&b, ", count %d", r.Count)
	if r.Next != "" {
		fmt.Fprintf(&b, ", next %q", r.Next)
	}
	if r.Previous != "" {
		fmt.Fprintf(&b, ", previous %q", r.Previous)
	}
	if r.Rate.Known {
		fmt.Fprintf(&b, ", rate %d of %d left", r.Rate.Remaining, r.Rate.Limit)
	}
	b.WriteString("}")
	return b.String()
}

// Format prints String for every verb (%v, %+v, %#v, %s...): printing a
// Response never shows the bearer token of its request.
func (r Response) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, r.String()) }

// LogValue keeps the request's credentials out of slog.
func (r Response) LogValue() slog.Value { return slog.StringValue(r.String()) }

// request describes one call.
type request struct {
	method string
	path   string // absolute path like /v2/..., already escaped
	query  url.Values
	body   any    // JSON-encoded when not nil
	raw    []byte // sent as is when not nil
	noAuth bool   // sign-in endpoints
	accept string
	ctype  string
	// errBody, when set, receives the whole body of an error answer (up to
	// maxFullErrorBody), for answers that list more than APIError.Body keeps.
	errBody *[]byte
	// large reads a successful body of up to Client.maxExportBody instead
	// of Client.maxBody (the members CSV export).
	large bool
}

// checkPath refuses a path with an empty, "." or ".." segment before
// anything is sent: an argument such as a tag named ".." would otherwise let
// a proxy that normalises paths turn DELETE .../tags/../ into a repository
// delete. It also refuses a segment whose unescaped form holds a '/', '\',
// '%' or control character, or is a dot or two: "..%2F.." would reach a
// server that decodes %2F as "../..". The name checks of each method come
// first and say more; this is the last guard.
func checkPath(p string) error {
	segs := strings.Split(strings.TrimSuffix(strings.TrimPrefix(p, "/"), "/"), "/")
	for _, seg := range segs {
		switch seg {
		case "", ".", "..":
			return &ValidationError{"path", fmt.Sprintf("%q has an empty, \".\" or \"..\" part (a name argument is empty or a dot)", p)}
		}
		raw, err := url.PathUnescape(seg)
		if err != nil || raw == "." || raw == ".." || strings.ContainsAny(raw, "/\\%") || strings.ContainsFunc(raw, unicode.IsControl) {
			return &ValidationError{"path", fmt.Sprintf("%q has a part that would change the path (an escaped '/', '\\' or '%%', a control character or a dot)", p)}
		}
	}
	return nil
}

// path joins format with escaped segments: path("/v2/orgs/%s/members", org).
func path(format string, segs ...string) string {
	args := make([]any, len(segs))
	for i, s := range segs {
		args[i] = url.PathEscape(s)
	}
	return fmt.Sprintf(format, args...)
}

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// do sends r, retrying idempotent requests, refreshing the token once on a
// 401, and decodes a 2xx JSON body into out.
func (c *Client) do(ctx context.Context, r request, out any) (*Response, error) {
	if c.readOnly && r.method != http.MethodGet && r.method != http.MethodHead && !r.noAuth {
		return nil, ErrReadOnly
	}
	if err := c.yield(ctx); err != nil {
		return nil, err
	}
	var payload []byte
	switch {
	case r.raw != nil:
		payload = r.raw
	case r.body != nil:
		b, err := json.Marshal(r.body)
		if err != nil {
			return nil, fmt.Errorf("encode request: %w", err)
		}
		payload = b
	}
	if err := checkPath(r.path); err != nil {
		return nil, err
	}
	u := *c.base
	u.Path = strings.TrimRight(c.base.Path, "/") + r.path
	if r.path != "" {
		if i := strings.IndexByte(r.path, '?'); i >= 0 {
			return nil, fmt.Errorf("path %q must not carry a query", r.path)
		}
		u.RawPath = strings.TrimRight(c.base.EscapedPath(), "/") + r.path
		if p, err := url.PathUnescape(u.RawPath); err == nil {
			u.Path = p
		}
	}
	if len(r.query) > 0 {
		u.RawQuery = r.query.Encode()
	}
	refreshed := false
	timedOut := false // an attempt has hit the client timeout
	attempt := 0
	for {
		resp, body, err := c.once(ctx, r, u.String(), payload)
		if err == nil && resp.StatusCode < 300 {
			if raw, ok := out.(*[]byte); ok {
				*raw = body // a non-JSON answer (CSV export) handed over as is
				return resp, nil
			}
			if out != nil && len(body) > 0 && r.method != http.MethodHead {
				if err := json.Unmarshal(body, out); err != nil {
					return resp, fmt.Errorf("%s %s: decode answer: %w", r.method, u.Path, err)
				}
			}
			return resp, nil
		}
		if err != nil && (ctx.Err() != nil || errors.Is(err, ErrNoCredentials) || isTerminal(err)) {
			return resp, err
		}
		var apiErr *APIError
		if err == nil {
			apiErr = DecodeErrorBody(resp.StatusCode, body)
			if r.errBody != nil {
				*r.errBody = body
			}
			apiErr.Method, apiErr.URL = r.method, u.Path
			if apiErr.TxnID == "" {
				apiErr.TxnID = resp.Header.Get("X-Txn-Id")
			}
			if resp.StatusCode == http.StatusUnauthorized && !r.noAuth && !refreshed && c.hasCreds() && idempotent(r.method) {
				refreshed = true
				c.invalidateIf(resp.auth)
				continue
			}
			if resp.StatusCode == http.StatusTooManyRequests {
				rl := &RateLimitError{APIError: apiErr, RetryAfter: retryAfter(resp.Header, c.now()), Reset: resp.Rate.Reset}
				if rl.RetryAfter == 0 { // no Retry-After: until the window resets, else back off
					rl.RetryAfter = backoff(c.retry, attempt)
					if d := rl.Reset.Sub(c.now()); !rl.Reset.IsZero() && d > 0 {
						rl.RetryAfter = d
					}
				}
				if !idempotent(r.method) || attempt >= c.retry.Max || rl.RetryAfter > c.retry.MaxWait {
					return resp, rl
				}
				attempt++
				if serr := c.waitFor(ctx, rl.RetryAfter+jitter(c.retry.Base)); serr != nil {
					return resp, fmt.Errorf("%w (while waiting after: %w)", serr, rl)
				}
				continue
			}
			if resp.StatusCode < 500 || !idempotent(r.method) || attempt >= c.retry.Max {
				return resp, apiErr
			}
		} else if !idempotent(r.method) || attempt >= c.retry.Max {
			return resp, fmt.Errorf("%s %s: %w", r.method, u.Path, err)
		} else if isTimeout(err) {
			// A stalled Hub is asked once more, not Max times: each try
			// waits the whole client timeout.
			if timedOut {
				return resp, fmt.Errorf("%s %s: timed out twice: %w", r.method, u.Path, err)
			}
			timedOut = true
		}
		wait := backoff(c.retry, attempt)
		if resp != nil {
			if ra := retryAfter(resp.Header, c.now()); ra > 0 {
				if ra > c.retry.MaxWait {
					if apiErr != nil {
						return resp, apiErr
					}
					return resp, fmt.Errorf("%s %s: %w", r.method, u.Path, err)
				}
				wait = ra
			}
		}
		attempt++
		if serr := c.sleep(ctx, wait); serr != nil {
			// Keep both: the caller cancelled (errors.Is context.Canceled),
			// and the last answer still explains why we were retrying.
			if apiErr != nil {
				return resp, fmt.Errorf("%w (while waiting after: %w)", serr, apiErr)
			}
			return resp, fmt.Errorf("%s %s: %w (while waiting after: %w)", r.method, u.Path, serr, err)
		}
	}
}

// once sends one attempt and reads the whole body.
func (c *Client) once(ctx context.Context, r request, u string, payload []byte) (*Response, []byte, error) {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, rd)
	if err != nil {
		return nil, nil, terminal{fmt.Errorf("build request: %w", err)}
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if r.accept != "" {
		req.Header.Set("Accept", r.accept)
	}
	if payload != nil {
		ct := r.ctype
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	if !r.noAuth {
		tok, err := c.bearer(ctx)
		if err != nil {
			return nil, nil, err
		}
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok.Reveal())
		}
	}
	hr, err := c.http.Do(req)
	if err != nil {
		if errors.Is(err, ErrInsecureURL) {
			return nil, nil, terminal{err}
		}
		return nil, nil, err
	}
	defer hr.Body.Close()
	if hr.StatusCode >= 300 && hr.StatusCode < 400 {
		// The Hub API never redirects. Following one would carry the
		// bearer token (or re-post a password) to wherever it points.
		return nil, nil, &RedirectError{Method: r.method, URL: req.URL.Path, StatusCode: hr.StatusCode, Location: hr.Header.Get("Location")}
	}
	resp := &Response{Response: hr, Rate: parseRate(hr.Header), auth: Secret(req.Header.Get("Authorization"))}
	if resp.Rate.Known {
		c.mu.Lock()
		c.rate = resp.Rate
		c.mu.Unlock()
	}
	var body []byte
	if hr.StatusCode >= 300 {
		// An error body is cut at its cap: what it says fits well within.
		limit := int64(maxErrorBody)
		if r.errBody != nil {
			limit = maxFullErrorBody
		}
		body, err = io.ReadAll(io.LimitReader(hr.Body, limit))
	} else {
		limit := c.maxBody
		if r.large {
			limit = c.maxExportBody
		}
		tooLarge := &BodyTooLargeError{Method: r.method, URL: req.URL.Path, Limit: limit}
		if hr.ContentLength > limit {
			return resp, nil, tooLarge
		}
		body, err = io.ReadAll(io.LimitReader(hr.Body, limit+1))
		if int64(len(body)) > limit {
			return resp, nil, tooLarge
		}
	}
	if err != nil {
		return resp, nil, fmt.Errorf("read answer: %w", err)
	}
	// A HEAD answer announces the length of a body it never sends.
	if hr.ContentLength > 0 && int64(len(body)) < hr.ContentLength && hr.StatusCode < 300 && r.method != http.MethodHead {
		return resp, nil, fmt.Errorf("read answer: %w", io.ErrUnexpectedEOF)
	}
	return resp, body, nil
}

// isTimeout reports whether err is a timeout (the http.Client's Timeout,
// a dial or read deadline), not a refused or reset connection.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// terminal marks an error that retrying cannot fix.
type terminal struct{ error }

func (t terminal) Unwrap() error { return t.error }

func isTerminal(err error) bool {
	var t terminal
	var tf *TwoFactorRequiredError
	var ae *APIError
	var re *RedirectError
	var bl *BodyTooLargeError
	return errors.As(err, &t) || errors.As(err, &tf) || errors.As(err, &ae) || errors.As(err, &re) || errors.As(err, &bl)
}

func backoff(p RetryPolicy, attempt int) time.Duration {
	d := p.Base << attempt
	if d > p.Cap || d <= 0 {
		d = p.Cap
	}
	return d/2 + jitter(d/2)
}

func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d)
}

func retryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if sec, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
		return time.Duration(min(max(sec, 0), maxRetryAfter)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), maxRetryAfter*time.Second)
	}
	return 0
}

// maxRetryAfter caps a Retry-After in seconds (a day), so a huge value
// cannot overflow into "retry at once".
const maxRetryAfter = 24 * 60 * 60

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (c *Client) hasCreds() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.creds.Secret != ""
}

// invalidateIf forgets the token only when it is still the one a refused
// request carried (auth is that request's Authorization header), so a late
// 401 does not throw away a token another request has just obtained.
func (c *Client) invalidateIf(auth Secret) {
	c.mu.Lock()
	if auth == "" || auth.Reveal() == "Bearer "+c.token.Reveal() {
		c.token, c.exp = "", time.Time{}
	}
	c.mu.Unlock()
}

func (c *Client) invalidate() {
	c.mu.Lock()
	c.token, c.exp = "", time.Time{}
	c.mu.Unlock()
}

func (c *Client) setToken(jwt Secret) {
	exp := jwtRenewAt(jwt.Reveal())
	c.mu.Lock()
	c.token, c.exp = jwt, exp
	c.mu.Unlock()
}

// Token returns the current bearer JWT (signing in when needed).
func (c *Client) Token(ctx context.Context) (Secret, error) { return c.bearer(ctx) }

// bearer returns a valid JWT, signing in or refreshing when it is missing or
// about to expire. A client without credentials sends no Authorization.
func (c *Client) bearer(ctx context.Context) (Secret, error) {
	c.mu.Lock()
	tok, exp, creds := c.token, c.exp, c.creds
	c.mu.Unlock()
	if tok != "" && (exp.IsZero() || c.now().Before(exp)) {
		return tok, nil
	}
	if creds.Secret == "" {
		return tok, nil
	}
	c.authMu.Lock()
	defer c.authMu.Unlock()
	c.mu.Lock()
	tok, exp = c.token, c.exp
	c.mu.Unlock()
	if tok != "" && (exp.IsZero() || c.now().Before(exp)) {
		return tok, nil
	}
	jwt, err := c.Auth.signIn(ctx, creds)
	if err != nil {
		return "", terminal{err}
	}
	c.setToken(jwt)
	return jwt, nil
}

// jwtRenewAt is when to renew jwt: refreshMargin before its exp, or after
// three quarters of its life when it is short (exp - iat < 4 margins). It
// reads the claims without verifying the signature (the Hub verifies; we only
// need to know when to renew). Zero means "never".
func jwtRenewAt(jwt string) time.Time {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return time.Time{}
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}
	}
	var claims struct {
		Exp json.Number `json:"exp"`
		Iat json.Number `json:"iat"`
	}
	if json.Unmarshal(b, &claims) != nil {
		return time.Time{}
	}
	sec, err := claims.Exp.Int64()
	if err != nil {
		return time.Time{}
	}
	exp := time.Unix(sec, 0)
	margin := refreshMargin
	if iat, err := claims.Iat.Int64(); err == nil && iat < sec {
		margin = min(margin, exp.Sub(time.Unix(iat, 0))/4)
	}
	return exp.Add(-margin)
}
