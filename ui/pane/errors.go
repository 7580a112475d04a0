package pane

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// Partial is a bulk change that went through for some items only; the
// screen still shows the part that did.
type Partial struct {
	Total int
	Errs  []error // one per item that failed, each naming its item ("v1: …")
}

func (e Partial) Error() string {
	return fmt.Sprintf("%d of %d not done: %v", len(e.Errs), e.Total, errors.Join(e.Errs...))
}

// Unwrap gives the items' errors.
func (e Partial) Unwrap() []error { return e.Errs }

// Describe puts an error in plain words, with the server's own words when
// it sent some; every piece from the server is sanitised.
func Describe(err error) string {
	var rl *hubclient.RateLimitError
	var ae *hubclient.APIError
	var ve *hubclient.ValidationError
	var pe Partial
	switch {
	case err == nil:
		return ""
	case errors.As(err, &pe):
		more := ""
		if len(pe.Errs) > 1 {
			more = fmt.Sprintf(" (and %d more)", len(pe.Errs)-1)
		}
		return fmt.Sprintf("%d of %d not done: %s%s", len(pe.Errs), pe.Total, Describe(pe.Errs[0]), more)
	case errors.Is(err, context.Canceled):
		return ""
	case errors.Is(err, hubclient.ErrReadOnly):
		return "read-only mode: nothing was changed"
	case errors.Is(err, hubclient.ErrNotOffered):
		return "this Docker Hub does not offer that operation"
	case errors.As(err, &rl):
		return fmt.Sprintf("rate limited by Docker Hub: try again in %s", rl.RetryAfter.Round(time.Second))
	case errors.As(err, &ve):
		return sanitize.String(ve.Error())
	case errors.As(err, &ae):
		words := ae.Words()
		if words == "" {
			words = strings.ToLower(httpText(ae.StatusCode))
		}
		prefix := ""
		switch ae.StatusCode {
		case 401:
			prefix = "not signed in or the session expired: "
		case 403:
			prefix = "not allowed: "
		case 404:
			prefix = "not found: "
		case 409:
			prefix = "conflict: "
		}
		if ae.StatusCode >= 500 {
			prefix = "Docker Hub failed: "
		}
		return sanitize.String(fmt.Sprintf("%s%s (%d)", prefix, words, ae.StatusCode))
	}
	return sanitize.String(err.Error())
}

// DescribeFull is Describe with every item of a bulk change named, for the
// help page, where there is room for all of them.
func DescribeFull(err error) string {
	var pe Partial
	if !errors.As(err, &pe) {
		return Describe(err)
	}
	parts := make([]string, len(pe.Errs))
	for i, e := range pe.Errs {
		name, _, _ := strings.Cut(e.Error(), ": ")
		parts[i] = sanitize.String(name) + ": " + Describe(e)
	}
	return fmt.Sprintf("%d of %d not done:\n%s", len(pe.Errs), pe.Total, strings.Join(parts, "\n"))
}

func httpText(code int) string {
	switch {
	case code >= 500:
		return "server error"
	case code == 404:
		return "not found"
	}
	return fmt.Sprintf("HTTP %d", code)
}
