package hubsim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"detail":"internal error"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeError writes the documented Error shape {"detail","message"}.
func writeError(w http.ResponseWriter, status int, detail string) {
	writeJSON(w, status, map[string]string{"detail": detail, "message": detail})
}

// writeErrInfo writes the lower-case error shape {"errinfo","detail","message"}
// used by the org, team and invite operations.
func writeErrInfo(w http.ResponseWriter, status int, detail string, info map[string]string) {
	body := map[string]any{"detail": detail, "message": detail}
	if len(info) > 0 {
		body["errinfo"] = info
	}
	writeJSON(w, status, body)
}

// writeFieldErrors writes the ValueError shape {"fields": {...}, "text"}.
func writeFieldErrors(w http.ResponseWriter, text string, fields map[string][]string) {
	writeJSON(w, http.StatusBadRequest, map[string]any{"fields": fields, "text": text})
}

// writeGetOrHead answers a GET with v, and a HEAD with the status alone (no
// body, and no length of one).
func writeGetOrHead(w http.ResponseWriter, r *http.Request, v any) {
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// readJSON decodes the request body into v, answering 400 when it is not
// valid JSON; it reports whether decoding succeeded.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, "could not read request body")
		return false
	}
	if err := json.Unmarshal(b, v); err != nil {
		writeFieldErrors(w, "Invalid JSON body: "+err.Error(), map[string][]string{"body": {"invalid JSON"}})
		return false
	}
	return true
}

// paging is the parsed page/page_size of a request.
type paging struct {
	Page, Size int
}

// parsePaging reads page and page_size (defaultSize when absent), answering
// 400 for a page_size over 100 or a bad number.
func parsePaging(w http.ResponseWriter, r *http.Request, defaultSize int) (paging, bool) {
	p := paging{Page: 1, Size: defaultSize}
	q := r.URL.Query()
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeFieldErrors(w, "Invalid page.", map[string][]string{"page": {"A valid integer is required."}})
			return p, false
		}
		p.Page = n
	}
	if v := q.Get("page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeFieldErrors(w, "Invalid page_size.", map[string][]string{"page_size": {"A valid integer is required."}})
			return p, false
		}
		if n > 100 {
			writeFieldErrors(w, "page_size must be 100 or less.", map[string][]string{"page_size": {"Ensure this value is less than or equal to 100."}})
			return p, false
		}
		p.Size = n
	}
	return p, true
}

// window returns the [lo, hi) slice bounds of this page over total items,
// answering 404 for a page past the last (page 1 of an empty list is fine).
func (p paging) window(w http.ResponseWriter, total int) (lo, hi int, ok bool) {
	// Compare page counts rather than offsets: (Page-1)*Size overflows for huge pages.
	if p.Page > 1 && (p.Size < 1 || p.Page-1 >= (total+p.Size-1)/p.Size) {
		writeError(w, http.StatusNotFound, "Invalid page.")
		return 0, 0, false
	}
	lo = (p.Page - 1) * p.Size
	hi = min(lo+p.Size, total)
	lo = min(lo, total)
	return lo, hi, true
}

// pageOf renders the items of page p (items already in order) with render,
// answering 404 for a page past the last (see window); ok is false when it
// did.
func pageOf[T, J any](w http.ResponseWriter, p paging, items []T, render func(T) J) (out []J, ok bool) {
	lo, hi, ok := p.window(w, len(items))
	if !ok {
		return nil, false
	}
	out = make([]J, 0, hi-lo)
	for _, it := range items[lo:hi] {
		out = append(out, render(it))
	}
	return out, true
}

// pageBody is the Hub's paging envelope with absolute next/previous links.
type pageBody struct {
	Count    int     `json:"count"`
	Next     *string `json:"next"`
	Previous *string `json:"previous"`
	Results  any     `json:"results"`
}

// newPage builds the envelope for results of page p over total items.
func newPage(r *http.Request, p paging, total int, results any) pageBody {
	pb := pageBody{Count: total, Results: results}
	if p.Page*p.Size < total {
		s := pageLink(r, p.Page+1, p.Size)
		pb.Next = &s
	}
	if p.Page > 1 {
		s := pageLink(r, p.Page-1, p.Size)
		pb.Previous = &s
	}
	return pb
}

// pageLink is an absolute URL to another page of this request.
func pageLink(r *http.Request, page, size int) string {
	u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path}
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		u.Scheme = "https"
	}
	q := r.URL.Query()
	q.Set("page", strconv.Itoa(page))
	q.Set("page_size", strconv.Itoa(size))
	u.RawQuery = q.Encode()
	return u.String()
}

// ts formats a time as the Hub does.
func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000000Z")
}

// tsPtr is ts or nil for the zero time.
func tsPtr(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := ts(t)
	return &s
}
