package hubsim

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Personal access tokens.
//
// As on Docker Hub, only a password (or two-factor) session manages
// personal access tokens: a session signed in with a PAT or an organization
// access token is answered 403 "cannot manage tokens with a token". Token
// values are shown once, in the answer to POST; GET answers "" for token.
// Changes to personal access tokens are personal: they are recorded in no
// organization's audit log.

// routesTokens registers the handlers of this API area.
func (s *Server) routesTokens() {
	s.handle("GET /v2/access-tokens", s.listPATs)
	s.handle("POST /v2/access-tokens", s.createPAT)
	s.handle("GET /v2/access-tokens/{uuid}", s.getPAT)
	s.handle("PATCH /v2/access-tokens/{uuid}", s.patchPAT)
	s.handle("DELETE /v2/access-tokens/{uuid}", s.deletePAT)
}

// patScopes are the documented PAT scopes.
const patScopes = "repo:admin,repo:write,repo:read,repo:public_read"

// patBody is the documented accessToken shape.
type patBody struct {
	UUID        string   `json:"uuid"`
	ClientID    string   `json:"client_id"`
	CreatorIP   string   `json:"creator_ip"`
	CreatorUA   string   `json:"creator_ua"`
	CreatedAt   string   `json:"created_at"`
	LastUsed    *string  `json:"last_used"`
	GeneratedBy string   `json:"generated_by"`
	IsActive    bool     `json:"is_active"`
	Token       string   `json:"token"`
	TokenLabel  string   `json:"token_label"`
	Scopes      []string `json:"scopes"`
	ExpiresAt   *string  `json:"expires_at"` // null: never expires
}

func patJSON(t *pat, withToken bool) patBody {
	b := patBody{UUID: t.UUID, ClientID: "HUB", CreatorIP: t.CreatorIP, CreatorUA: t.CreatorUA, CreatedAt: ts(t.Created),
		LastUsed: tsPtr(t.LastUsed), GeneratedBy: "manual", IsActive: t.Active, TokenLabel: t.Label,
		Scopes: append([]string{}, t.Scopes...), ExpiresAt: tsPtr(t.ExpiresAt)}
	if withToken {
		b.Token = t.Token
	}
	return b
}

// tokenUUID is a random v4-shaped UUID from the simulator's seeded source.
func (s *Server) tokenUUID() string {
	const digits = "0123456789abcdef"
	b := make([]byte, 32)
	for i := range b {
		b[i] = digits[s.rng.Int64N(16)]
	}
	h := string(b)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:]
}

// tokenSecret is a token value such as dckr_pat_… with 27 random characters.
func (s *Server) tokenSecret(prefix string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	b := make([]byte, 27)
	for i := range b {
		b[i] = alphabet[s.rng.Int64N(int64(len(alphabet)))]
	}
	return prefix + string(b)
}

// patSession authenticates and insists on a password session, answering
// 403 for a session that was itself signed in with an access token.
func (s *Server) patSession(w http.ResponseWriter, r *http.Request) (principal, bool) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return p, false
	}
	if p.Kind != KindPassword {
		writeError(w, http.StatusForbidden, "cannot manage tokens with a token: sign in with your password to manage personal access tokens")
		return p, false
	}
	return p, true
}

// tokenExpiry reads an optional expires_at that must lie in the future.
func (s *Server) tokenExpiry(raw *string) (time.Time, string) {
	if raw == nil || *raw == "" {
		return time.Time{}, ""
	}
	t, err := time.Parse(time.RFC3339Nano, *raw)
	if err != nil {
		return time.Time{}, "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
	}
	if !t.After(s.clock.Now()) {
		return time.Time{}, "The expiration date must be in the future."
	}
	return t.UTC(), ""
}

func checkTokenLabel(label string) string {
	switch {
	case strings.TrimSpace(label) == "":
		return "This field may not be blank."
	case utf8.RuneCountInString(label) > 100:
		return "Ensure this field has no more than 100 characters."
	}
	return ""
}

func (s *Server) listPATs(w http.ResponseWriter, r *http.Request) {
	p, ok := s.patSession(w, r)
	if !ok {
		return
	}
	pg, ok := parsePaging(w, r, 10)
	if !ok {
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	u := s.st.users[p.User]
	all := make([]*pat, 0, len(u.PATs))
	active := 0
	for _, t := range u.PATs {
		all = append(all, t)
		if t.Active {
			active++
		}
	}
	sortPATs(all)
	results, ok := pageOf(w, pg, all, func(t *pat) patBody { return patJSON(t, false) })
	if !ok {
		return
	}
	body := newPage(r, pg, len(all), results)
	writeJSON(w, http.StatusOK, struct {
		pageBody
		ActiveCount int `json:"active_count"`
	}{body, active})
}

// sortPATs orders tokens newest first, then by label.
func sortPATs(ts []*pat) {
	slices.SortFunc(ts, func(a, b *pat) int {
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		return strings.Compare(a.Label+a.UUID, b.Label+b.UUID)
	})
}

func (s *Server) createPAT(w http.ResponseWriter, r *http.Request) {
	p, ok := s.patSession(w, r)
	if !ok {
		return
	}
	var in struct {
		TokenLabel *string  `json:"token_label"`
		Scopes     []string `json:"scopes"`
		ExpiresAt  *string  `json:"expires_at"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	fields := map[string][]string{}
	label := ""
	if in.TokenLabel == nil {
		fields["token_label"] = []string{"This field is required."}
	} else if msg := checkTokenLabel(*in.TokenLabel); msg != "" {
		fields["token_label"] = []string{msg}
	} else {
		label = *in.TokenLabel
	}
	if len(in.Scopes) == 0 {
		fields["scopes"] = []string{"This field is required."}
	}
	for _, sc := range in.Scopes {
		if !slices.Contains(strings.Split(patScopes, ","), sc) {
			fields["scopes"] = append(fields["scopes"], fmt.Sprintf("%q is not a valid scope.", sc))
		}
	}
	exp, msg := s.tokenExpiry(in.ExpiresAt)
	if msg != "" {
		fields["expires_at"] = []string{msg}
	}
	if len(fields) > 0 {
		writeFieldErrors(w, "Invalid personal access token.", fields)
		return
	}
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		ip = r.RemoteAddr
	}
	t := &pat{UUID: s.tokenUUID(), Label: label, Scopes: compactPATScopes(in.Scopes), Token: s.tokenSecret("dckr_pat_"),
		Active: true, Created: s.clock.Now().UTC(), ExpiresAt: exp, CreatorIP: ip, CreatorUA: r.UserAgent()}
	s.mu.Lock()
	u := s.st.users[p.User]
	if u == nil {
		s.mu.Unlock()
		writeError(w, http.StatusUnauthorized, "Invalid token.")
		return
	}
	u.PATs[t.UUID] = t
	body := patJSON(t, true)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, body)
}

// compactPATScopes drops repeats, keeping the order given.
func compactPATScopes(in []string) []string {
	var out []string
	for _, sc := range in {
		if !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	return out
}

// findPAT answers 404 when the caller has no token with the path's uuid.
// The caller holds s.mu.
func (s *Server) findPAT(w http.ResponseWriter, r *http.Request, p principal) *pat {
	u := s.st.users[p.User]
	if u == nil {
		writeError(w, http.StatusNotFound, "Not found.")
		return nil
	}
	t := u.PATs[r.PathValue("uuid")]
	if t == nil {
		writeError(w, http.StatusNotFound, "Access token not found.")
		return nil
	}
	return t
}

func (s *Server) getPAT(w http.ResponseWriter, r *http.Request) {
	p, ok := s.patSession(w, r)
	if !ok {
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if t := s.findPAT(w, r, p); t != nil {
		writeJSON(w, http.StatusOK, patJSON(t, false))
	}
}

func (s *Server) patchPAT(w http.ResponseWriter, r *http.Request) {
	p, ok := s.patSession(w, r)
	if !ok {
		return
	}
	var raw map[string]json.RawMessage
	if !readJSON(w, r, &raw) {
		return
	}
	var in struct {
		TokenLabel *string `json:"token_label"`
		IsActive   *bool   `json:"is_active"`
	}
	fields := map[string][]string{}
	if v, ok := raw["token_label"]; ok {
		if json.Unmarshal(v, &in.TokenLabel) != nil || in.TokenLabel == nil {
			fields["token_label"] = []string{"Not a valid string."}
		} else if msg := checkTokenLabel(*in.TokenLabel); msg != "" {
			fields["token_label"] = []string{msg}
		}
	}
	if v, ok := raw["is_active"]; ok {
		if json.Unmarshal(v, &in.IsActive) != nil || in.IsActive == nil {
			fields["is_active"] = []string{"Must be a valid boolean."}
		}
	}
	if len(fields) == 0 && in.TokenLabel == nil && in.IsActive == nil {
		fields["token_label"] = []string{"Give token_label or is_active."}
	}
	if len(fields) > 0 {
		writeFieldErrors(w, "Invalid update.", fields)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.findPAT(w, r, p)
	if t == nil {
		return
	}
	if in.TokenLabel != nil {
		t.Label = *in.TokenLabel
	}
	if in.IsActive != nil {
		t.Active = *in.IsActive
	}
	writeJSON(w, http.StatusOK, patJSON(t, false))
}

func (s *Server) deletePAT(w http.ResponseWriter, r *http.Request) {
	p, ok := s.patSession(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.findPAT(w, r, p)
	if t == nil {
		return
	}
	delete(s.st.users[p.User].PATs, t.UUID)
	w.WriteHeader(http.StatusNoContent)
}
