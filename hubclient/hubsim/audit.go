package hubsim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Audit logs.
//
// GET /v2/auditlogs/{account} answers {"logs": [...]} newest first, with no
// count and no next link, default page_size 25, filtered by action, name,
// actor, from and to (both inclusive). Events older than three months are
// not returned. A page past the end is an empty list. Owners may read
// their organization's log (a PAT needs repo:read), and so may
// organization access tokens with audit-log-read. A personal namespace has
// an empty log: changes to personal access tokens are not recorded in any
// organization's log. Errors use the document's rpcStatus shape
// {code, message, details}.

// auditRetention is how far back the Hub keeps audit events.
const auditRetention = 90 * 24 * time.Hour

// routesAudit registers the handlers of this API area.
func (s *Server) routesAudit() {
	s.handle("GET /v2/auditlogs/{account}", s.listAudit)
	s.handle("GET /v2/auditlogs/{account}/actions", s.listAuditActions)
}

// auditLogBody is the documented AuditLog shape.
type auditLogBody struct {
	Account     string            `json:"account"`
	Action      string            `json:"action"`
	Name        string            `json:"name"`
	Actor       string            `json:"actor"`
	Data        map[string]string `json:"data"`
	Timestamp   string            `json:"timestamp"`
	Description string            `json:"action_description"`
}

// grpcCode maps an HTTP status to the gRPC code of an rpcStatus body.
func grpcCode(status int) int {
	switch status {
	case http.StatusBadRequest:
		return 3 // INVALID_ARGUMENT
	case http.StatusUnauthorized:
		return 16 // UNAUTHENTICATED
	case http.StatusForbidden:
		return 7 // PERMISSION_DENIED
	case http.StatusNotFound:
		return 5 // NOT_FOUND
	case http.StatusTooManyRequests:
		return 8 // RESOURCE_EXHAUSTED
	}
	return 2 // UNKNOWN
}

// writeRPCError writes the rpcStatus error shape.
func writeRPCError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"code": grpcCode(status), "message": msg, "details": []any{}})
}

// errCapture is an http.ResponseWriter that keeps what a helper wrote, so a
// handler can re-shape the error of authenticate or authorize.
type errCapture struct {
	h      http.Header
	status int
	body   bytes.Buffer
}

func newErrCapture() *errCapture { return &errCapture{h: http.Header{}} }

func (c *errCapture) Header() http.Header { return c.h }

func (c *errCapture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	return c.body.Write(b)
}

func (c *errCapture) WriteHeader(status int) { c.status = status }

// detail is the detail (or message) of a captured error body.
func (c *errCapture) detail() string {
	var e struct {
		Detail  string `json:"detail"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(c.body.Bytes(), &e)
	if e.Detail != "" {
		return e.Detail
	}
	if e.Message != "" {
		return e.Message
	}
	return http.StatusText(c.status)
}

// auditAccess authenticates and authorizes a reader of account's log,
// writing rpcStatus errors. personal is true for the caller's own user
// namespace, whose log is empty. On success the caller holds s.mu for
// reading and must release it.
func (s *Server) auditAccess(w http.ResponseWriter, r *http.Request) (account string, personal, ok bool) {
	c := newErrCapture()
	p, ok := s.authenticate(c, r)
	if !ok {
		writeRPCError(w, c.status, c.detail())
		return "", false, false
	}
	account = r.PathValue("account")
	s.mu.RLock()
	if s.st.orgs[account] == nil && p.Kind != KindOAT && strings.EqualFold(account, p.User) {
		return account, true, true
	}
	c = newErrCapture()
	if !s.authorize(c, p, account, access{Role: RoleOwner, PATScope: "repo:read", OATScope: "audit-log-read"}) {
		s.mu.RUnlock()
		writeRPCError(w, c.status, c.detail())
		return "", false, false
	}
	return account, false, true
}

// auditFilter is the parsed query of a log request.
type auditFilter struct {
	action, name, actor string
	from, to            time.Time
}

func (f auditFilter) match(ev *auditEvent) bool {
	if f.action != "" && ev.Action != f.action {
		return false
	}
	if f.name != "" && ev.Name != f.name {
		return false
	}
	if f.actor != "" && ev.Actor != f.actor {
		// Token actors read `name - access token "label"`; the user part matches too.
		user, _, _ := strings.Cut(ev.Actor, " - access token ")
		if user != f.actor {
			return false
		}
	}
	if !f.from.IsZero() && ev.Timestamp.Before(f.from) {
		return false
	}
	if !f.to.IsZero() && ev.Timestamp.After(f.to) {
		return false
	}
	return true
}

func parseAuditTime(v string) (time.Time, bool) {
	if v == "" {
		return time.Time{}, true
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	return t, err == nil
}

func (s *Server) listAudit(w http.ResponseWriter, r *http.Request) {
	account, personal, ok := s.auditAccess(w, r)
	if !ok {
		return
	}
	defer s.mu.RUnlock()
	q := r.URL.Query()
	f := auditFilter{action: q.Get("action"), name: q.Get("name"), actor: q.Get("actor")}
	if f.from, ok = parseAuditTime(q.Get("from")); !ok {
		writeRPCError(w, http.StatusBadRequest, "parsing field \"from\": invalid date-time "+q.Get("from"))
		return
	}
	if f.to, ok = parseAuditTime(q.Get("to")); !ok {
		writeRPCError(w, http.StatusBadRequest, "parsing field \"to\": invalid date-time "+q.Get("to"))
		return
	}
	pg, ok := parsePaging(w, r, 25)
	if !ok {
		return
	}
	logs := make([]auditLogBody, 0, pg.Size)
	if !personal {
		events := s.st.orgs[account].Audit
		oldest := s.clock.Now().Add(-auditRetention)
		skip := len(events) // a page beyond every event, without overflowing
		if pg.Page-1 <= len(events)/pg.Size {
			skip = (pg.Page - 1) * pg.Size
		}
		// Events are kept oldest first: start at the newest one not after
		// `to`, stop at the first one before `from`.
		top := len(events)
		if !f.to.IsZero() {
			top = sort.Search(len(events), func(i int) bool { return events[i].Timestamp.After(f.to) })
		}
		for i := top - 1; i >= 0 && len(logs) < pg.Size; i-- {
			ev := &events[i]
			if ev.Timestamp.Before(oldest) || !f.from.IsZero() && ev.Timestamp.Before(f.from) {
				break
			}
			if !f.match(ev) {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			data := make(map[string]string, len(ev.Data))
			for k, v := range ev.Data {
				data[k] = v
			}
			logs = append(logs, auditLogBody{Account: ev.Account, Action: ev.Action, Name: ev.Name, Actor: ev.Actor,
				Data: data, Timestamp: ev.Timestamp.UTC().Format(time.RFC3339), Description: ev.Description})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"logs": logs})
}

// auditActionBody is the documented AuditLogAction shape.
type auditActionBody struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Label       string `json:"label"`
}

// auditGroupBody is the documented AuditLogActions shape.
type auditGroupBody struct {
	Actions []auditActionBody `json:"actions"`
	Label   string            `json:"label"`
}

func (s *Server) listAuditActions(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := s.auditAccess(w, r); !ok {
		return
	}
	s.mu.RUnlock()
	writeJSON(w, http.StatusOK, map[string]any{"actions": auditCatalogue()})
}

// auditCatalogue is the action catalogue by group: the document's example
// plus every action the simulator records. Each line of a group's table is
// name|label|description.
func auditCatalogue() map[string]auditGroupBody {
	groups := []struct{ key, label, table string }{
		{"billing", "Billing", `plan.upgrade|Plan Upgraded|Occurs when your organization’s billing plan is upgraded to a higher tier plan.
plan.downgrade|Plan Downgraded|Occurs when your organization’s billing plan is downgraded to a lower tier plan.
plan.seat_add|Seat Added|Occurs when a seat is added to your organization’s billing plan.
plan.seat_remove|Seat Removed|Occurs when a seat is removed from your organization’s billing plan.
plan.cycle_change|Billing Cycle Changed|Occurs when there is a change in the recurring interval that your organization is charged.
plan.downgrade_cancel|Plan Downgrade Canceled|Occurs when a scheduled plan downgrade for your organization is canceled.
plan.seat_removal_cancel|Seat Removal Canceled|Occurs when a scheduled seat removal for an organization’s billing plan is canceled.
plan.upgrade.request|Plan Upgrade Requested|Occurs when a user in your organization requests a plan upgrade.
plan.downgrade.request|Plan Downgrade Requested|Occurs when a user in your organization requests a plan downgrade.
plan.seat_add.request|Seat Addition Requested|Occurs when a user in your organization requests an increase in the number of seats.
plan.seat_removal.request|Seat Removal Requested|Occurs when a user in your organization requests a decrease in the number of seats.
plan.cycle_change.request|Billing Cycle Change Requested|Occurs when a user in your organization requests a change in the billing cycle.
plan.downgrade_cancel.request|Plan Downgrade Cancellation Requested|Occurs when a user in your organization requests a cancellation of a scheduled plan downgrade.
plan.seat_removal_cancel.request|Seat Removal Cancellation Requested|Occurs when a user in your organization requests a cancellation of a scheduled seat removal.
plan.product_change|Billing Product Changed|Occurs when there is a change in the product that your organization subscribes to.`},
		{"enterprise", "Enterprise", `setting.policy.create|Policy created|Details of adding an admin settings policy
setting.policy.update|Policy updated|Details of updating an admin settings policy
setting.policy.delete|Policy deleted|Details of deleting an admin settings policy
setting.policy.transfer|Policy transferred|Details of transferring an admin settings policy to another owner
sso.connection.create|Create SSO Connection|Details of creating a new org/company SSO connection
sso.connection.update|Update SSO Connection|Details of updating an existing org/company SSO connection
sso.connection.delete|Delete SSO Connection|Details of deleting an existing org/company SSO connection
sso.connection.enforcement_toggle|Enforce SSO|Details of toggling enforcement on an existing org/company SSO connection
sso.connection.scim_toggle|Enforce SCIM|Details of toggling SCIM on an existing org/company SSO connection
sso.connection.scim_token_refresh|Refresh SCIM Token|Details of a SCIM token refresh on an existing org/company SSO connection
sso.connection.connection_type_change|Change SSO Connection Type|Details of a connection type change on an existing org/company SSO connection
sso.connection.jit_toggle|Toggle JIT provisioning|Details of a JIT toggle on an existing org/company SSO connection`},
		{"offload", "Offload", `lease.start|Offload lease start|Details of the started Offload lease.
lease.end|Offload lease end|Details of the ended Offload lease.`},
		{"oidc", "OIDC", `connection.create|OIDC connection created|Details of creating an OIDC connection.
connection.update|OIDC connection updated|Details of updating an OIDC connection.
connection.delete|OIDC connection deleted|Details of deleting an OIDC connection.`},
		{"org", "Organization", `create|Organization Created|Activities related to the creation of a new organization
member.add|Organization Member Added|Details of the member added to your organization
member.remove|Organization Member Removed|Details about the member removed from your organization
member.role.change|Member Role Changed|Details about the role changed for a member in your organization
member.invite.send|Org Member Invited|Details of the member invited to your organization
invite.create|Invite Created|Details of an invitation to join your organization
invite.resend|Invite Resent|Details of an invitation to your organization that was sent again
invite.cancel|Invite Canceled|Details of an invitation to your organization that was withdrawn
invite.accept|Invite Accepted|Details of an invitation to your organization that was accepted
invite.decline|Invite Declined|Details of an invitation to your organization that was declined
team.create|Team Created|Activities related to the creation of a team
team.update|Team Updated|Activities related to the modification of a team
team.delete|Team Deleted|Activities related to the deletion of a team
team.member.add|Team Member Added|Details of the member added to your team
team.member.remove|Team Member Removed|Details of the member removed from your team
domain.create|Single Sign-On domain added|Details of the single sign-on domain added to your organization
domain.verify|Single Sign-On domain verified|Details of the single sign-on domain verified for your organization
domain.delete|Single Sign-On domain deleted|Details of the single sign-on domain removed from your organization
domain.auto-provisioning.toggle|Organization Auto-Provisioning Toggled|Details of toggling the Auto-Provisioning feature on a domain on or off
settings.update|Organization Settings Updated|Details related to the organization setting that was updated
registry_access.enabled|Registry Access Management enabled|Activities related to enabling Registry Access Management
registry_access.disabled|Registry Access Management disabled|Activities related to disabling Registry Access Management
registry_access.registry_added|Registry Access Management registry added|Activities related to the addition of a registry
registry_access.registry_updated|Registry Access Management registry updated|Details related to the registry that was updated
registry_access.registry_removed|Registry Access Management registry removed|Activities related to the removal of a registry
access_token.create|Access token created|Access token created in organization
access_token.update|Access token updated|Access token updated in organization
access_token.delete|Access token deleted|Access token deleted in organization
customrole.create|Custom role created|A custom role was created
customrole.update|Custom role updated|An existing custom role was updated
customrole.delete|Custom role deleted|A custom role was deleted
securepolicyconfigure.create|Secure Policy Configuration created|A secure policy configuration was created
securepolicyconfigure.update|Secure Policy Configuration updated|A secure policy configuration was updated
securepolicyconfigure.delete|Secure Policy Configuration deleted|A secure policy configuration was deleted
securepolicyclient.create|Secure Policy Client created|A secure policy client was created
securepolicyclient.update|Secure Policy Client updated|A secure policy client was updated
securepolicyclient.delete|Secure Policy Client deleted|A secure policy client was deleted
securepolicyprofile.create|Secure Policy Profile created|A secure policy profile was created
securepolicyprofile.update|Secure Policy Profile updated|A secure policy profile was updated
securepolicyprofile.delete|Secure Policy Profile deleted|A secure policy profile was deleted`},
		{"repo", "Repository", `create|Repository Created|Activities related to the creation of a new repository
update|Repository Updated|Activities related to the modification of a repository
update_description|Description Updated|Details related to updating the short or full description of a repository
delete|Repository Deleted|Activities related to the deletion of a repository
change_privacy|Privacy Changed|Details related to the privacy policies that were updated
category.updated|Categories updated|Details related to updating a repository categories
immutable.tags.updated|Tag immutability updated|Details related to updating tag immutability of a repository
team.permission.add|Team Permission Added|Details of a team given access to a repository
team.permission.update|Team Permission Changed|Details of a change to a team's access to a repository
team.permission.remove|Team Permission Removed|Details of a team's access to a repository that was removed
tag.push|Tag Pushed|Activities related to the tags pushed
tag.delete|Tag Deleted|Activities related to the tags deleted
image.delete|Image Deleted|Details of the image manifests deleted from a repository`},
	}
	out := make(map[string]auditGroupBody, len(groups))
	for _, g := range groups {
		var acts []auditActionBody
		for _, line := range strings.Split(g.table, "\n") {
			parts := strings.SplitN(line, "|", 3)
			if len(parts) != 3 {
				continue
			}
			acts = append(acts, auditActionBody{Name: parts[0], Label: parts[1], Description: parts[2]})
		}
		out[g.key] = auditGroupBody{Actions: acts, Label: g.label}
	}
	return out
}
