package hubclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Error is a constant error value; the sentinel errors of this package are of this type.
type Error string

// Error implements the error interface.
func (e Error) Error() string { return string(e) }

const (
	// ErrReadOnly is returned, before anything is sent, for a mutating request
	// made through a client built WithReadOnly.
	ErrReadOnly = Error("hubclient: read-only mode: refusing to change anything on Docker Hub")
	// ErrNotOffered is returned when the Hub answers 404 or 410 for an
	// operation that not every Hub offers (image management, account API).
	ErrNotOffered = Error("hubclient: this Docker Hub does not offer this operation")
	// ErrNoCredentials is returned when a request needs a token and the client has no credentials.
	ErrNoCredentials = Error("hubclient: no credentials: sign in first")
	// ErrInsecureURL is returned for a plain http:// base URL that is not a loopback address.
	ErrInsecureURL = Error("hubclient: refusing plain http:// to a non-loopback host; use https://")
)

// APIError is a non-2xx answer from Docker Hub. It carries the server's own
// words: Detail and Message from the body, per-field errors from
// `fields`/`errinfo`, and the transaction id when the Hub sent one.
type APIError struct {
	StatusCode int
	Method     string
	URL        string
	Detail     string              // "detail"
	Message    string              // "message" or "text"
	Fields     map[string][]string // "fields" (ValueError) or "errinfo"
	TxnID      string              // "txnid" or X-Txn-Id
	SCIMType   string              // "scimType" of SCIM errors
	Body       []byte              // the raw body, at most 4 KiB
}

// Error shows the status and the server's own words.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d %s", e.Method, e.URL, e.StatusCode, http.StatusText(e.StatusCode))
	if w := e.Words(); w != "" {
		b.WriteString(": ")
		b.WriteString(w)
	}
	return b.String()
}

// Words is what the server said, without method and URL: detail, message and
// field errors joined, for a status line.
func (e *APIError) Words() string {
	var parts []string
	if e.Detail != "" {
		parts = append(parts, e.Detail)
	}
	if e.Message != "" && e.Message != e.Detail {
		parts = append(parts, e.Message)
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, k+": "+strings.Join(e.Fields[k], "; "))
	}
	return strings.Join(parts, " — ")
}

// errorBody is the union of the four documented error shapes: Error
// {detail,message}, error {errinfo,detail,message}, ValueError {fields,text},
// scim_error {status,schemas,detail}, and the login error {detail,login_2fa_token}.
type errorBody struct {
	Detail       json.RawMessage `json:"detail"`
	Message      string          `json:"message"`
	Text         string          `json:"text"`
	Fields       json.RawMessage `json:"fields"`
	ErrInfo      json.RawMessage `json:"errinfo"`
	TxnID        string          `json:"txnid"`
	SCIMType     string          `json:"scimType"`
	Login2FA     string          `json:"login_2fa_token"`
	Code         json.RawMessage `json:"code"`
	ErrorMessage string          `json:"error"`
}

// DecodeErrorBody turns an error response body into an APIError. It accepts
// every documented error shape and falls back to the raw text for anything
// else; it never fails.
func DecodeErrorBody(status int, body []byte) *APIError {
	e := &APIError{StatusCode: status}
	if len(body) > 4096 {
		e.Body = append([]byte(nil), body[:4096]...)
	} else {
		e.Body = append([]byte(nil), body...)
	}
	var eb errorBody
	if err := json.Unmarshal(body, &eb); err != nil {
		txt := strings.TrimSpace(string(e.Body))
		txt = clip(txt, 200)
		if txt != "" && !strings.HasPrefix(txt, "<") {
			e.Message = txt
		}
		return e
	}
	e.Detail = clip(looseString(eb.Detail), maxWords)
	e.Message = eb.Message
	if e.Message == "" {
		e.Message = eb.Text
	}
	if e.Message == "" {
		e.Message = eb.ErrorMessage
	}
	e.Message = clip(e.Message, maxWords)
	e.TxnID = eb.TxnID
	e.SCIMType = eb.SCIMType
	e.Fields = mergeFields(decodeFields(eb.Fields), decodeFields(eb.ErrInfo))
	return e
}

// maxWords bounds the server's detail and message kept in an APIError.
const maxWords = 4096

// clip cuts s to at most n bytes without splitting a character, marking the
// cut with an ellipsis.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// looseString reads a JSON value that should be a string but is sometimes an
// object or a list in the wild.
func looseString(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(raw))
}

// decodeFields reads {"field": ["msg", ...]} or {"field": "msg"} or {"field": {...}}.
func decodeFields(raw json.RawMessage) map[string][]string {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	out := make(map[string][]string, len(m))
	for k, v := range m {
		var list []string
		if json.Unmarshal(v, &list) == nil {
			out[k] = list
			continue
		}
		out[k] = []string{looseString(v)}
	}
	return out
}

func mergeFields(a, b map[string][]string) map[string][]string {
	if len(a) == 0 {
		return b
	}
	for k, v := range b {
		a[k] = append(a[k], v...)
	}
	return a
}

// RateLimitError is a 429 answer. RetryAfter is from the Retry-After header
// and Reset from X-RateLimit-Reset.
type RateLimitError struct {
	*APIError
	RetryAfter time.Duration
	Reset      time.Time
}

// Error names the wait.
func (e *RateLimitError) Error() string {
	return fmt.Sprintf("rate limited by Docker Hub: retry in %s (%s)", e.RetryAfter.Round(time.Second), e.APIError.Error())
}

// Unwrap exposes the underlying APIError.
func (e *RateLimitError) Unwrap() error { return e.APIError }

// RedirectError is a 3xx answer. The client never follows a redirect: the
// Hub API does not use them, and following one would send the bearer token
// or a sign-in secret to wherever Location points.
type RedirectError struct {
	Method     string
	URL        string // the path that was asked for
	StatusCode int
	Location   string // where the answer pointed, "" when it did not say
}

// Error names the status and the Location.
func (e *RedirectError) Error() string {
	where := "no Location"
	if e.Location != "" {
		where = e.Location
	}
	return fmt.Sprintf("%s %s: %d %s: redirect to %s not followed (the Hub API does not redirect)", e.Method, e.URL, e.StatusCode, http.StatusText(e.StatusCode), where)
}

// BodyTooLargeError is a successful answer whose body is larger than the
// client reads (DefaultMaxBody, DefaultMaxExportBody for a members export).
// Nothing of it is kept, and the request is not repeated.
type BodyTooLargeError struct {
	Method string
	URL    string // the path that was asked for
	Limit  int64  // bytes
}

// Error names the request and the limit.
func (e *BodyTooLargeError) Error() string {
	return fmt.Sprintf("response from %s %s: body larger than %s", e.Method, e.URL, byteSize(e.Limit))
}

// byteSize writes n in the largest binary unit that divides it.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// DeadlineError is returned by ListAll when the load ran past the client's
// load deadline (see WithLoadDeadline). It wraps the error the deadline
// caused, so errors.Is(err, context.DeadlineExceeded) holds.
type DeadlineError struct {
	Op       string        // what was loading, such as "list /v2/orgs/acme/members"
	Deadline time.Time     // when the load was stopped
	Limit    time.Duration // how long a load may take
	Err      error
}

// Error says the load took too long.
func (e *DeadlineError) Error() string {
	return fmt.Sprintf("%s: stopped: not done within %s: %v", e.Op, e.Limit, e.Err)
}

// Unwrap returns the error the deadline caused.
func (e *DeadlineError) Unwrap() error { return e.Err }

// ValidationError is returned before anything is sent when an argument breaks
// a rule the API document states.
type ValidationError struct {
	Field  string
	Reason string
}

// Error names the field.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("invalid %s: %s", e.Field, e.Reason)
}

// TwoFactorRequiredError is returned by sign-in when the account has
// two-factor authentication: ask the user for a code and call
// AuthService.Login2FA with Token.
type TwoFactorRequiredError struct {
	Token  Secret
	Detail string
}

// Error says what is needed.
func (e *TwoFactorRequiredError) Error() string {
	if e.Detail != "" {
		return "two-factor authentication required: " + e.Detail
	}
	return "two-factor authentication required"
}

// IsStatus reports whether err is an APIError with the given status code.
func IsStatus(err error, status int) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.StatusCode == status
	}
	return false
}
