// Package contract checks HTTP exchanges against Docker's Hub OpenAPI
// document (the reduced, patched copy in hubclient/hubsim/testdata), so that
// hubclient and hubsim cannot drift into a private dialect of the Hub API.
//
// Wrap a client's transport with (*Validator).Transport to check every
// request and response that passes through it:
//
//	v, err := contract.Load("testdata/hub-api.yaml")
//	...
//	hc := &http.Client{Transport: v.Transport(nil, func(err error) {
//		if !errors.Is(err, contract.ErrUndocumented) {
//			t.Error(err)
//		}
//	})}
package contract

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// undocumentedError is the type of ErrUndocumented.
type undocumentedError string

func (e undocumentedError) Error() string { return string(e) }

// ErrUndocumented is matched (with errors.Is) by the error Check returns for
// an exchange whose method and path are not an operation of the document.
// The Hub serves operations outside the document (image management, the
// account API, legacy routes), so callers usually skip these.
const ErrUndocumented = undocumentedError("operation not in the OpenAPI document")

// ErrLegacy is matched (with errors.Is) by the error Check returns for an
// exchange on a legacy route (see Legacy) that the document has no shape
// for. The error matches ErrUndocumented as well, so callers that skip
// undocumented operations skip these too.
const ErrLegacy = undocumentedError("legacy route outside the OpenAPI document")

// legacyError is the error of an exchange on a legacy route without a shape.
type legacyError struct {
	method, path, route string
}

func (e *legacyError) Error() string {
	return fmt.Sprintf("contract: %s %s: %s (%s)", e.method, e.path, ErrLegacy, e.route)
}

// Is reports whether target is ErrLegacy or ErrUndocumented.
func (e *legacyError) Is(target error) bool { return target == ErrLegacy || target == ErrUndocumented }

// Error is a contract violation found by Check.
type Error struct {
	// Method and Path are the request's method and URL path.
	Method, Path string
	// Operation is the documented operation, as "METHOD /path/{template}".
	Operation string
	// Status is the response status code, 0 when no response was checked.
	Status int
	// Problems lists each violation, naming the parameter or the field
	// (as a JSON pointer into the body) that fails.
	Problems []string
}

// Error lists the problems after the exchange they were found in.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "contract: %s %s", e.Method, e.Path)
	if e.Status != 0 {
		fmt.Fprintf(&b, " -> %d", e.Status)
	}
	fmt.Fprintf(&b, " (%s):", e.Operation)
	if len(e.Problems) == 1 {
		b.WriteString(" " + e.Problems[0])
		return b.String()
	}
	for _, p := range e.Problems {
		b.WriteString("\n\t- " + p)
	}
	return b.String()
}

// Validator checks requests and responses against one OpenAPI document. It
// is safe for concurrent use.
type Validator struct {
	doc    *openapi3.T
	router routers.Router
}

// Load reads the OpenAPI document at path, validates it and prepares a
// router for it. The document's servers are ignored, so that exchanges with
// any host (a loopback test server, say) match its paths.
func Load(path string) (*Validator, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("contract: load %s: %w", path, err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("contract: validate %s: %w", path, err)
	}
	doc.Servers = nil
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("contract: route %s: %w", path, err)
	}
	return &Validator{doc: doc, router: router}, nil
}

// Operations lists every documented operation as "METHOD /path", sorted by
// path and then method.
func (v *Validator) Operations() []string {
	var ops []string
	for _, path := range v.doc.Paths.InMatchingOrder() {
		for method := range v.doc.Paths.Value(path).Operations() {
			ops = append(ops, method+" "+path)
		}
	}
	slices.SortFunc(ops, func(a, b string) int {
		am, ap, _ := strings.Cut(a, " ")
		bm, bp, _ := strings.Cut(b, " ")
		if c := strings.Compare(ap, bp); c != 0 {
			return c
		}
		return strings.Compare(am, bm)
	})
	return ops
}

// Match returns the documented operation that req addresses, as one of the
// strings Operations lists, or an error matching ErrUndocumented.
func (v *Validator) Match(req *http.Request) (string, error) {
	route, _, err := v.find(req)
	if err != nil {
		return "", err
	}
	return route.Method + " " + route.Path, nil
}

// find routes req to its documented operation. The Hub treats a path with
// a trailing slash as the same route as the path without it, so a path the
// document does not know is tried once more without its trailing slash.
func (v *Validator) find(req *http.Request) (*routers.Route, map[string]string, error) {
	route, params, err := v.router.FindRoute(req)
	if p := req.URL.Path; err != nil && len(p) > 1 && strings.HasSuffix(p, "/") {
		bare := req.Clone(req.Context())
		bare.URL.Path, bare.URL.RawPath = strings.TrimSuffix(p, "/"), ""
		if r2, p2, err2 := v.router.FindRoute(bare); err2 == nil {
			route, params, err = r2, p2, nil
		}
	}
	switch {
	case errors.Is(err, routers.ErrPathNotFound), errors.Is(err, routers.ErrMethodNotAllowed):
		return nil, nil, fmt.Errorf("contract: %s %s: %w", req.Method, req.URL.Path, ErrUndocumented)
	case err != nil:
		return nil, nil, fmt.Errorf("contract: route %s %s: %w", req.Method, req.URL.Path, err)
	}
	return route, params, nil
}

// retryAfterStatus is the status the document's rate-limiting section
// promises for every operation once the request budget is spent, with a
// Retry-After header, whether or not the operation lists it.
const retryAfterStatus = http.StatusTooManyRequests

// Check validates one exchange: the request's path, query and header
// parameters and its body (reqBody) against the operation it addresses,
// then the response's status, content type, headers and body (respBody).
// Authentication is not checked: a bearer token's presence and validity are
// the server's business. A nil resp checks the request alone.
//
// A path with a trailing slash is checked as the documented path without
// it. An exchange on a legacy route (see Legacy) is checked against the
// component schemas that route shares with the document.
//
// Check returns nil for a valid exchange, an error matching ErrUndocumented
// when the document has no such operation (also matching ErrLegacy for a
// legacy route without a documented shape), and otherwise a *Error naming
// the method, path, status and each failing parameter or field.
func (v *Validator) Check(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) error {
	route, params, err := v.find(req)
	if errors.Is(err, ErrUndocumented) {
		if lr, ok := matchLegacy(req); ok {
			return v.checkLegacy(lr, req, reqBody, resp, respBody)
		}
	}
	if err != nil {
		return err
	}
	ce := &Error{Method: req.Method, Path: req.URL.Path, Operation: route.Method + " " + route.Path}
	ctx := context.Background()

	// The validators read (and may rewrite) the request, so they get a copy.
	vreq := req.Clone(ctx)
	vreq.Body, vreq.ContentLength = io.NopCloser(bytes.NewReader(reqBody)), int64(len(reqBody))
	vreq.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(reqBody)), nil }
	reqInput := &openapi3filter.RequestValidationInput{
		Request:    vreq,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
			MultiError:              true,
			SkipSettingDefaults:     true,
			SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.DisableSchemaErrorDetails()},
		},
	}
	if err := openapi3filter.ValidateRequest(ctx, reqInput); err != nil {
		ce.Problems = append(ce.Problems, describe("request", err)...)
	}

	if resp != nil {
		ce.Status = resp.StatusCode
		ce.Problems = append(ce.Problems, v.checkResponse(ctx, reqInput, route, resp, respBody)...)
	}
	if len(ce.Problems) > 0 {
		return ce
	}
	return nil
}

func (v *Validator) checkResponse(ctx context.Context, reqInput *openapi3filter.RequestValidationInput,
	route *routers.Route, resp *http.Response, body []byte,
) []string {
	status := resp.StatusCode
	documented := route.Operation.Responses.Status(status)
	if documented == nil {
		documented = route.Operation.Responses.Default()
	}
	if documented == nil {
		if status == retryAfterStatus {
			if resp.Header.Get("Retry-After") == "" {
				return []string{"response: 429 without a Retry-After header"}
			}
			return nil
		}
		return []string{fmt.Sprintf("response: status %d is not documented (documented: %s)",
			status, strings.Join(statusCodes(route.Operation.Responses), ", "))}
	}
	if req := reqInput.Request; req.Method == http.MethodHead {
		// A response to HEAD has no body; its status is all there is to check.
		return nil
	}

	header := resp.Header
	if header == nil {
		header = http.Header{}
	}
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: reqInput,
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{
			MultiError:              true,
			IncludeResponseStatus:   true,
			SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.DisableSchemaErrorDetails()},
		},
	}
	// kin-openapi decodes text/csv into one string; the document describes
	// the rows as objects keyed by the header line, so CSV is checked here.
	mediaType, _, _ := mime.ParseMediaType(header.Get("Content-Type"))
	var csvSchema *openapi3.SchemaRef
	if documented.Value != nil && mediaType == "text/csv" {
		if mt := documented.Value.Content.Get(mediaType); mt != nil && mt.Schema != nil {
			csvSchema = mt.Schema
			input.Options.ExcludeResponseBody = true
		}
	}
	var problems []string
	if err := openapi3filter.ValidateResponse(ctx, input); err != nil {
		problems = append(problems, describe("response", err)...)
	}
	if csvSchema != nil {
		problems = append(problems, checkCSV(csvSchema, body)...)
	}
	return problems
}

// checkCSV validates a CSV body as a list of objects, one a row, keyed by
// the header line.
func checkCSV(schema *openapi3.SchemaRef, body []byte) []string {
	records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		return []string{"response body: not CSV: " + err.Error()}
	}
	rows := make([]any, 0, len(records))
	if len(records) > 0 {
		head := records[0]
		for _, rec := range records[1:] {
			row := make(map[string]any, len(rec))
			for i, cell := range rec {
				if i < len(head) {
					row[head[i]] = cell
				}
			}
			rows = append(rows, row)
		}
	}
	err = schema.Value.VisitJSON(rows, openapi3.VisitAsResponse(), openapi3.MultiErrors(), openapi3.DisableSchemaErrorDetails())
	if err != nil {
		return describe("response body (CSV rows)", err)
	}
	return nil
}

// describe flattens a kin-openapi validation error into one line per
// problem, each prefixed with where it was found.
func describe(where string, err error) []string {
	if multi, ok := err.(openapi3.MultiError); ok {
		var out []string
		for _, e := range multi {
			out = append(out, describe(where, e)...)
		}
		return out
	}
	var reqErr *openapi3filter.RequestError
	var respErr *openapi3filter.ResponseError
	var schemaErr *openapi3.SchemaError
	var secErr *openapi3filter.SecurityRequirementsError
	switch {
	case errors.As(err, &reqErr):
		switch {
		case reqErr.Parameter != nil:
			where = fmt.Sprintf("%s %s parameter %q", where, reqErr.Parameter.In, reqErr.Parameter.Name)
		case reqErr.RequestBody != nil:
			where += " body"
		}
		if reqErr.Err == nil {
			return []string{where + ": " + reqErr.Reason}
		}
		if reqErr.Reason != "" && !isSchemaOrMulti(reqErr.Err) {
			return []string{where + ": " + reqErr.Reason + ": " + reqErr.Err.Error()}
		}
		return describe(where, reqErr.Err)
	case errors.As(err, &respErr):
		reason := respErr.Reason
		if respErr.Err == nil {
			return []string{where + ": " + reason}
		}
		if strings.HasPrefix(reason, "response body doesn't match schema") {
			return describe(where+" body", respErr.Err)
		}
		if !isSchemaOrMulti(respErr.Err) {
			return []string{where + ": " + reason + ": " + respErr.Err.Error()}
		}
		return describe(where+": "+reason, respErr.Err)
	case errors.As(err, &schemaErr):
		return describeSchema(where, nil, schemaErr)
	case errors.As(err, &secErr):
		return []string{where + ": " + secErr.Error()}
	}
	return []string{where + ": " + err.Error()}
}

// describeSchema describes a schema error found at the JSON pointer prefix.
// An error of allOf, anyOf or oneOf carries the errors of its subschemas;
// their pointers either continue the prefix or already include it.
func describeSchema(where string, prefix []string, err *openapi3.SchemaError) []string {
	pointer := err.JSONPointer()
	if !hasPrefix(pointer, prefix) {
		pointer = append(slices.Clone(prefix), pointer...)
	}
	if inner := schemaErrors(err.Origin); len(inner) > 0 {
		var out []string
		for _, e := range inner {
			out = append(out, describeSchema(where, pointer, e)...)
		}
		return out
	}
	reason := err.Reason
	if err.Origin != nil {
		reason = err.Origin.Error()
	}
	if reason == "" {
		reason = fmt.Sprintf("does not match %q", err.SchemaField)
	}
	if len(pointer) == 0 {
		return []string{where + ": " + reason}
	}
	return []string{where + " field /" + strings.Join(pointer, "/") + ": " + reason}
}

// schemaErrors returns the schema errors in err, looking through wrapping
// and nested MultiErrors.
func schemaErrors(err error) []*openapi3.SchemaError {
	if err == nil {
		return nil
	}
	if se, ok := err.(*openapi3.SchemaError); ok {
		return []*openapi3.SchemaError{se}
	}
	if me, ok := err.(openapi3.MultiError); ok {
		var out []*openapi3.SchemaError
		for _, e := range me {
			out = append(out, schemaErrors(e)...)
		}
		return out
	}
	return schemaErrors(errors.Unwrap(err))
}

func hasPrefix(s, prefix []string) bool {
	return len(s) >= len(prefix) && slices.Equal(s[:len(prefix)], prefix)
}

// isSchemaOrMulti reports whether err is a MultiError or holds a schema
// error, which describe breaks down further.
func isSchemaOrMulti(err error) bool {
	if _, ok := err.(openapi3.MultiError); ok {
		return true
	}
	var se *openapi3.SchemaError
	return errors.As(err, &se)
}

func statusCodes(r *openapi3.Responses) []string {
	codes := make([]string, 0, r.Len())
	for code := range r.Map() {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	return codes
}

// Transport returns a RoundTripper that sends each request through base
// (http.DefaultTransport when nil), checks the exchange with Check and passes
// every error Check returns, ErrUndocumented ones included, to report. The
// caller gets the response with its body intact. A response whose body
// cannot be read in full (a connection reset, a truncated body) is not
// checked: the caller sees the same read error.
func (v *Validator) Transport(base http.RoundTripper, report func(error)) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{v: v, base: base, report: report}
}

type transport struct {
	v      *Validator
	base   http.RoundTripper
	report func(error)
}

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("contract: read request body: %w", err)
		}
		reqBody = b
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(b))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	respBody, readErr := io.ReadAll(resp.Body)
	resp.Body.Close()
	if readErr != nil {
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(respBody), errReader{readErr}))
		return resp, nil
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	if err := t.v.Check(req, reqBody, resp, respBody); err != nil && t.report != nil {
		t.report(err)
	}
	return resp, nil
}

// errReader replays a read error after the bytes that were read.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
