package hubclient

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestDecodeErrorBodyShapes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   APIError // StatusCode, Detail, Message, Fields, TxnID, SCIMType are compared
		words  string   // substring expected in Error()
	}{
		{
			name: "Error", status: 404,
			body: `{"detail":"Object not found","message":"Object not found"}`,
			want: APIError{StatusCode: 404, Detail: "Object not found", Message: "Object not found"},
			// Message equal to Detail is shown once.
			words: "404 Not Found: Object not found",
		},
		{
			name: "error with errinfo", status: 400,
			body: `{"errinfo":{"team_name":"already exists","org":"acme"},"detail":"Bad team","message":"team exists"}`,
			want: APIError{StatusCode: 400, Detail: "Bad team", Message: "team exists",
				Fields: map[string][]string{"team_name": {"already exists"}, "org": {"acme"}}},
			words: "Bad team — team exists — org: acme — team_name: already exists",
		},
		{
			name: "ValueError", status: 400,
			body: `{"fields":{"name":["This field is required.","Too short."],"page_size":["Ensure this value is less than or equal to 100."]},"text":"Invalid request"}`,
			want: APIError{StatusCode: 400, Message: "Invalid request",
				Fields: map[string][]string{"name": {"This field is required.", "Too short."}, "page_size": {"Ensure this value is less than or equal to 100."}}},
			words: "Invalid request — name: This field is required.; Too short. — page_size:",
		},
		{
			name: "ValueError single string", status: 400,
			body: `{"fields":{"name":"bad name"},"text":"x"}`,
			want: APIError{StatusCode: 400, Message: "x", Fields: map[string][]string{"name": {"bad name"}}},
		},
		{
			name: "ValueError nested object", status: 400,
			body: `{"fields":{"name":{"code":"invalid"}}}`,
			want: APIError{StatusCode: 400, Fields: map[string][]string{"name": {`{"code":"invalid"}`}}},
		},
		{
			name: "scim_error", status: 409,
			body:  `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"409","scimType":"uniqueness","detail":"User already exists"}`,
			want:  APIError{StatusCode: 409, Detail: "User already exists", SCIMType: "uniqueness"},
			words: "409 Conflict: User already exists",
		},
		{
			name: "login error with 2FA", status: 401,
			body: `{"detail":"Require secondary authentication on MFA enabled account","login_2fa_token":"abc.def.ghi"}`,
			want: APIError{StatusCode: 401, Detail: "Require secondary authentication on MFA enabled account"},
		},
		{
			name: "login error", status: 401,
			body:  `{"detail":"Incorrect authentication credentials","login_2fa_token":null}`,
			want:  APIError{StatusCode: 401, Detail: "Incorrect authentication credentials"},
			words: "401 Unauthorized: Incorrect authentication credentials",
		},
		{
			name: "txnid", status: 500,
			body: `{"detail":"Internal error","txnid":"T-123"}`,
			want: APIError{StatusCode: 500, Detail: "Internal error", TxnID: "T-123"},
		},
		{
			name: "detail as object", status: 400,
			body: `{"detail":{"name":"taken"}}`,
			want: APIError{StatusCode: 400, Detail: `{"name":"taken"}`},
		},
		{
			name: "detail as list", status: 400,
			body: `{"detail":["a","b"]}`,
			want: APIError{StatusCode: 400, Detail: `["a","b"]`},
		},
		{
			name: "error string", status: 403,
			body: `{"error":"forbidden here"}`,
			want: APIError{StatusCode: 403, Message: "forbidden here"},
		},
		{
			name: "plain text", status: 502,
			body:  "  Bad Gateway from upstream\n",
			want:  APIError{StatusCode: 502, Message: "Bad Gateway from upstream"},
			words: "502 Bad Gateway: Bad Gateway from upstream",
		},
		{
			name: "HTML", status: 503,
			body: "<html><head><title>503 Service Temporarily Unavailable</title></head><body>nginx</body></html>",
			want: APIError{StatusCode: 503},
		},
		{
			name: "HTML after whitespace", status: 502,
			body: "\r\n  <!DOCTYPE html><html>oops</html>",
			want: APIError{StatusCode: 502},
		},
		{name: "empty", status: 500, body: "", want: APIError{StatusCode: 500}},
		{name: "whitespace", status: 500, body: " \n\t ", want: APIError{StatusCode: 500}},
		{name: "JSON null", status: 500, body: "null", want: APIError{StatusCode: 500}},
		{name: "empty object", status: 404, body: "{}", want: APIError{StatusCode: 404}},
		{name: "JSON string", status: 400, body: `"just text"`, want: APIError{StatusCode: 400, Message: `"just text"`}},
		{name: "JSON list", status: 400, body: `[1,2]`, want: APIError{StatusCode: 400, Message: `[1,2]`}},
		{name: "truncated JSON", status: 400, body: `{"detail":"cut`, want: APIError{StatusCode: 400, Message: `{"detail":"cut`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := DecodeErrorBody(tc.status, []byte(tc.body))
			if e == nil {
				t.Fatal("nil")
			}
			got := APIError{StatusCode: e.StatusCode, Detail: e.Detail, Message: e.Message, Fields: e.Fields, TxnID: e.TxnID, SCIMType: e.SCIMType}
			if len(got.Fields) == 0 {
				got.Fields = nil
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			if string(e.Body) != tc.body {
				t.Errorf("Body = %q", e.Body)
			}
			if tc.words != "" && !strings.Contains(e.Error(), tc.words) {
				t.Errorf("Error() = %q, want it to contain %q", e.Error(), tc.words)
			}
			if strings.Contains(e.Error(), "<html") || strings.Contains(e.Error(), "<!DOCTYPE") {
				t.Errorf("Error() shows HTML: %q", e.Error())
			}
		})
	}
}

func TestDecodeErrorBodyLimits(t *testing.T) {
	long := strings.Repeat("x", 10000)
	e := DecodeErrorBody(500, []byte(long))
	if len(e.Body) != 4096 {
		t.Errorf("Body kept %d bytes, want 4096", len(e.Body))
	}
	if n := utf8.RuneCountInString(e.Message); n != 201 || !strings.HasSuffix(e.Message, "…") {
		t.Errorf("Message has %d runes: %q…", n, e.Message[:20])
	}
	// A cut through a multi-byte character still leaves valid UTF-8.
	for pad := range 4 {
		e = DecodeErrorBody(500, []byte(strings.Repeat("a", pad)+strings.Repeat("é€😀", 200)))
		if !utf8.ValidString(e.Message) {
			t.Errorf("pad %d: Message is not valid UTF-8: %q", pad, e.Message)
		}
	}
	// The body given is not aliased.
	b := []byte(`{"detail":"x"}`)
	e = DecodeErrorBody(400, b)
	b[2] = 'X'
	if string(e.Body) != `{"detail":"x"}` {
		t.Error("Body aliases the caller's slice")
	}
}

func TestAPIErrorWords(t *testing.T) {
	e := &APIError{StatusCode: 403, Method: "DELETE", URL: "/v2/repositories/acme/web/", Detail: "You are not an owner"}
	if got, want := e.Error(), "DELETE /v2/repositories/acme/web/: 403 Forbidden: You are not an owner"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	e = &APIError{StatusCode: 500, Method: "GET", URL: "/v2/x"}
	if got, want := e.Error(), "GET /v2/x: 500 Internal Server Error"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if e.Words() != "" {
		t.Errorf("Words() = %q", e.Words())
	}
}

func TestRateLimitErrorAndIsStatus(t *testing.T) {
	rl := &RateLimitError{APIError: &APIError{StatusCode: 429, Method: "GET", URL: "/v2/x", Detail: "slow down"}, RetryAfter: 1500 * time.Millisecond}
	wrapped := fmt.Errorf("list tags acme/web: %w", rl)
	var got *RateLimitError
	if !errors.As(wrapped, &got) || got.RetryAfter != 1500*time.Millisecond {
		t.Error("errors.As RateLimitError through a wrap failed")
	}
	var ae *APIError
	if !errors.As(wrapped, &ae) || ae.StatusCode != 429 {
		t.Error("errors.As APIError through RateLimitError failed")
	}
	if !IsStatus(wrapped, 429) || IsStatus(wrapped, 500) || IsStatus(errors.New("x"), 429) || IsStatus(nil, 429) {
		t.Error("IsStatus wrong")
	}
	if s := rl.Error(); !strings.Contains(s, "2s") || !strings.Contains(s, "slow down") {
		t.Errorf("Error() = %q", s)
	}
	if !IsStatus(fmt.Errorf("a: %w", fmt.Errorf("b: %w", &APIError{StatusCode: 404})), 404) {
		t.Error("IsStatus through two wraps")
	}
}

func TestSentinelErrors(t *testing.T) {
	for _, e := range []error{ErrReadOnly, ErrNotOffered, ErrNoCredentials, ErrInsecureURL} {
		if e.Error() == "" || !strings.HasPrefix(e.Error(), "hubclient: ") {
			t.Errorf("%q", e)
		}
		if !errors.Is(fmt.Errorf("op: %w", e), e) {
			t.Errorf("errors.Is(%q) through a wrap failed", e)
		}
	}
	if errors.Is(ErrReadOnly, ErrNotOffered) {
		t.Error("distinct sentinels compare equal")
	}
	ve := &ValidationError{Field: "page_size", Reason: "must be between 1 and 100"}
	if ve.Error() != "invalid page_size: must be between 1 and 100" {
		t.Errorf("ValidationError = %q", ve)
	}
	tf := &TwoFactorRequiredError{Token: "secret.challenge"}
	if tf.Error() != "two-factor authentication required" {
		t.Errorf("TwoFactorRequiredError = %q", tf)
	}
}

func FuzzDecodeErrorBody(f *testing.F) {
	for _, s := range []string{
		``, `{}`, `null`, `[]`, `"x"`, `<html>`, "plain", `{"detail":"x","message":"y"}`,
		`{"errinfo":{"a":"b"},"detail":"d","message":"m"}`, `{"fields":{"a":["b"]},"text":"t"}`,
		`{"status":"400","schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"d","scimType":"invalidValue"}`,
		`{"detail":"x","login_2fa_token":"t"}`, `{"detail":{"a":1}}`, `{"fields":{"a":{"b":[1]}}}`,
		`{"fields":[1,2]}`, `{"errinfo":"x"}`, `{"message":5}`, "\xff\xfe", `{"detail":"` + strings.Repeat("é", 300) + `"}`,
	} {
		f.Add(400, []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := DecodeErrorBody(status, body)
		if e == nil {
			t.Fatal("nil APIError")
		}
		if e.StatusCode != status {
			t.Fatalf("StatusCode = %d, want %d", e.StatusCode, status)
		}
		if len(e.Body) > 4096 || len(e.Body) > len(body) {
			t.Fatalf("Body is %d bytes", len(e.Body))
		}
		_ = e.Error()
		_ = e.Words()
		if len(e.Message) > 4096 {
			t.Fatalf("Message is %d bytes", len(e.Message))
		}
		if !utf8.Valid(body) {
			return
		}
		if !utf8.ValidString(e.Message) {
			t.Fatalf("Message %q is not valid UTF-8 for a valid UTF-8 body", e.Message)
		}
	})
}
