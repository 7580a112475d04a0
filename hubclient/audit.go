package hubclient

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// DefaultAuditPageSize is the Hub's default page_size for audit logs.
const DefaultAuditPageSize = 25

// AuditService covers audit logs (GET /v2/auditlogs/{account}) and the
// catalogue of audit actions (GET /v2/auditlogs/{account}/actions). Only
// organization owners, and organization access tokens with audit-log-read,
// may read an organization's log. Changes to personal access tokens are
// personal and never appear in an organization's log.
type AuditService service

// AuditLog is one audit event. Events carry no id; Key identifies one.
type AuditLog struct {
	Account           string            `json:"account"`
	Action            string            `json:"action"` // group and name joined by a dot: repo.tag.push
	Name              string            `json:"name"`   // repository, organization or member, by action
	Actor             string            `json:"actor"`  // username, or `name - access token "label"`
	Data              map[string]string `json:"data"`
	Timestamp         time.Time         `json:"timestamp"`
	ActionDescription string            `json:"action_description"`
}

// Key identifies an event for de-duplication (the Hub gives events no id):
// every field of it, data included, so two events of the same second, action
// and actor (a bulk invite, two pushes) stay two.
func (e AuditLog) Key() string {
	var b strings.Builder
	for _, f := range []string{e.Timestamp.UTC().Format(time.RFC3339Nano), e.Account, e.Action, e.Name, e.Actor, e.ActionDescription} {
		b.WriteString(f)
		b.WriteByte(0)
	}
	keys := make([]string, 0, len(e.Data))
	for k := range e.Data {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(e.Data[k])
		b.WriteByte(0)
	}
	return b.String()
}

// AuditListOptions filter and page GET /v2/auditlogs/{account}. Zero fields
// are not sent. A zero PageSize asks for MaxPageSize events.
type AuditListOptions struct {
	ListOptions
	Action string    // an action name such as repo.tag.push
	Name   string    // repository (acme/web), organization, or team member's username
	Actor  string    // the user who made the change
	From   time.Time // start of the time window
	To     time.Time // end of the time window
}

func (o *AuditListOptions) values() (url.Values, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	if !o.From.IsZero() && !o.To.IsZero() && o.To.Before(o.From) {
		return nil, &ValidationError{"to", "must not be before from"}
	}
	q := o.ListOptions.values()
	for k, v := range map[string]string{"action": o.Action, "name": o.Name, "actor": o.Actor} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if !o.From.IsZero() {
		q.Set("from", o.From.UTC().Format(time.RFC3339Nano))
	}
	if !o.To.IsZero() {
		q.Set("to", o.To.UTC().Format(time.RFC3339Nano))
	}
	return q, nil
}

// List calls GET /v2/auditlogs/{account} and returns one page of events,
// newest first. The Hub reports no count and no next link; when the page is
// full, Response.Next is set to the link of the following page (with page
// and page_size) so that Pages and ListAll can walk the log.
func (s *AuditService) List(ctx context.Context, account string, opt *AuditListOptions) ([]AuditLog, *Response, error) {
	if err := checkNamespace("account", account); err != nil {
		return nil, nil, err
	}
	if opt == nil {
		opt = &AuditListOptions{}
	}
	q, err := opt.values()
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		Logs []AuditLog `json:"logs"`
	}
	p := path("/v2/auditlogs/%s", account)
	resp, err := s.c.do(ctx, request{method: http.MethodGet, path: p, query: q}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("list audit logs of %s: %w", account, err)
	}
	page, _ := strconv.Atoi(q.Get("page"))
	size, _ := strconv.Atoi(q.Get("page_size"))
	if size > 0 && len(out.Logs) >= size {
		next := *s.c.base
		next.Path = strings.TrimRight(s.c.base.Path, "/") + "/v2/auditlogs/" + account
		next.RawPath = ""
		nq := url.Values{}
		for k, v := range q {
			nq[k] = v
		}
		nq.Set("page", strconv.Itoa(page+1))
		next.RawQuery = nq.Encode()
		resp.Next = next.String()
	}
	return out.Logs, resp, nil
}

// AuditAction is one entry of the action catalogue. Name is relative to its
// group: the action "repo.tag.push" is Name "tag.push" in group "repo".
type AuditAction struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Label       string `json:"label"`
}

// AuditActionGroup is one group of the catalogue (billing, enterprise,
// offload, oidc, org, repo).
type AuditActionGroup struct {
	Label   string        `json:"label"`
	Actions []AuditAction `json:"actions"`
}

// AuditActions is the catalogue by group name.
type AuditActions map[string]AuditActionGroup

// Names lists every full action name (group.name), sorted, as the action
// filter of List takes them.
func (a AuditActions) Names() []string {
	var out []string
	for g, grp := range a {
		for _, act := range grp.Actions {
			out = append(out, g+"."+act.Name)
		}
	}
	sort.Strings(out)
	return out
}

// Lookup finds a full action name (repo.tag.push) in the catalogue.
func (a AuditActions) Lookup(full string) (AuditAction, bool) {
	for g, grp := range a {
		rest, ok := strings.CutPrefix(full, g+".")
		if !ok {
			continue
		}
		for _, act := range grp.Actions {
			if act.Name == rest {
				return act, true
			}
		}
	}
	return AuditAction{}, false
}

// Actions calls GET /v2/auditlogs/{account}/actions and returns the
// catalogue of actions to filter the log by.
func (s *AuditService) Actions(ctx context.Context, account string) (AuditActions, *Response, error) {
	if err := checkNamespace("account", account); err != nil {
		return nil, nil, err
	}
	var out struct {
		Actions AuditActions `json:"actions"`
	}
	resp, err := s.c.do(ctx, request{method: http.MethodGet, path: path("/v2/auditlogs/%s/actions", account)}, &out)
	if err != nil {
		return nil, resp, fmt.Errorf("list audit actions of %s: %w", account, err)
	}
	return out.Actions, resp, nil
}
