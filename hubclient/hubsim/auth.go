package hubsim

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Kinds of bearer token.
const (
	KindPassword = "password"
	KindPAT      = "pat"
	KindOAT      = "oat"
	kind2FA      = "2fa-challenge"
)

// principal is who a bearer token speaks for.
type principal struct {
	User       string   // username; for an OAT, the org name
	Kind       string   // KindPassword | KindPAT | KindOAT
	Scopes     []string // PAT scopes
	Org        string   // OAT: its org
	TokenID    string   // PAT uuid or OAT id
	TokenLabel string
}

// claims are the JWT payload.
type claims struct {
	Sub    string   `json:"sub"`
	Kind   string   `json:"kind"`
	Scopes []string `json:"scopes,omitempty"`
	Org    string   `json:"org,omitempty"`
	TID    string   `json:"tid,omitempty"`
	Label  string   `json:"label,omitempty"`
	Iat    int64    `json:"iat"`
	Exp    int64    `json:"exp"`
	Jti    string   `json:"jti"`
}

// issue signs a JWT for p living ttl.
func (s *Server) issue(p principal, kind string, ttl time.Duration) string {
	now := s.clock.Now()
	c := claims{Sub: p.User, Kind: kind, Scopes: p.Scopes, Org: p.Org, TID: p.TokenID, Label: p.TokenLabel,
		Iat: now.Unix(), Exp: now.Add(ttl).Unix(), Jti: fmt.Sprintf("%x", s.rng.Int64N(1<<62))}
	hdr := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	body, _ := json.Marshal(c)
	msg := hdr + "." + base64.RawURLEncoding.EncodeToString(body)
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(msg))
	return msg + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// verify checks a JWT's signature and expiry.
func (s *Server) verify(tok string) (claims, error) {
	var c claims
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return c, fmt.Errorf("malformed token")
	}
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(parts[0] + "." + parts[1]))
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, m.Sum(nil)) {
		return c, fmt.Errorf("invalid token signature")
	}
	body, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || json.Unmarshal(body, &c) != nil {
		return c, fmt.Errorf("malformed token")
	}
	if s.clock.Now().Unix() >= c.Exp {
		return c, fmt.Errorf("token expired")
	}
	return c, nil
}

// authenticate reads the bearer token, answering 401 when it is missing,
// invalid, expired, or belongs to a token since revoked.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (principal, bool) {
	a := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(a, "Bearer ")
	if !ok {
		tok, ok = strings.CutPrefix(a, "JWT ")
	}
	if !ok || tok == "" {
		writeError(w, http.StatusUnauthorized, "Authentication credentials were not provided.")
		return principal{}, false
	}
	c, err := s.verify(tok)
	if err != nil || c.Kind == kind2FA {
		msg := "Invalid token."
		if err != nil && strings.Contains(err.Error(), "expired") {
			msg = "Token expired."
		}
		writeError(w, http.StatusUnauthorized, msg)
		return principal{}, false
	}
	p := principal{User: c.Sub, Kind: c.Kind, Scopes: c.Scopes, Org: c.Org, TokenID: c.TID, TokenLabel: c.Label}
	s.mu.RLock()
	defer s.mu.RUnlock()
	switch p.Kind {
	case KindPAT:
		u := s.st.users[p.User]
		if u == nil || u.PATs[p.TokenID] == nil || !u.PATs[p.TokenID].Active {
			writeError(w, http.StatusUnauthorized, "Invalid token: the access token was revoked or disabled.")
			return principal{}, false
		}
	case KindOAT:
		o := s.st.orgs[p.Org]
		if o == nil || o.OATs[p.TokenID] == nil || !o.OATs[p.TokenID].Active {
			writeError(w, http.StatusUnauthorized, "Invalid token: the access token was revoked or disabled.")
			return principal{}, false
		}
	default:
		if s.st.users[p.User] == nil {
			writeError(w, http.StatusUnauthorized, "Invalid token.")
			return principal{}, false
		}
	}
	return p, true
}

// access is what an operation needs: a minimum org role for people, a PAT
// scope, and an OAT scope. An empty field means "no requirement of that kind".
type access struct {
	Role     string // RoleMember | RoleEditor | RoleOwner
	PATScope string // repo:public_read | repo:read | repo:write | repo:admin; "" means any PAT
	OATScope string // e.g. "member-read"; "" refuses OATs
}

// roleRank orders org roles.
func roleRank(role string) int {
	switch role {
	case RoleOwner:
		return 3
	case RoleEditor:
		return 2
	case RoleMember:
		return 1
	}
	return 0
}

// patScopeRank orders PAT scopes; a higher scope implies the lower ones.
func patScopeRank(scope string) int {
	switch scope {
	case "repo:admin":
		return 4
	case "repo:write":
		return 3
	case "repo:read":
		return 2
	case "repo:public_read":
		return 1
	}
	return 0
}

// authorize checks p against need in org orgName, answering 403 (or 404 for
// an org the caller cannot see) when it falls short. The caller must hold s.mu.
func (s *Server) authorize(w http.ResponseWriter, p principal, orgName string, need access) bool {
	o := s.st.orgs[orgName]
	if o == nil {
		writeErrInfo(w, http.StatusNotFound, "Organization not found: "+orgName, nil)
		return false
	}
	if p.Kind == KindOAT {
		if p.Org != orgName || need.OATScope == "" || !oatAllows(o.OATs[p.TokenID], need.OATScope) {
			writeErrInfo(w, http.StatusForbidden, "The organization access token does not have the scope this operation needs ("+scopeName(need.OATScope)+").", nil)
			return false
		}
		return true
	}
	m := o.Members[p.User]
	if m == nil {
		writeErrInfo(w, http.StatusForbidden, "You are not a member of the organization "+orgName+".", nil)
		return false
	}
	if roleRank(m.Role) < roleRank(need.Role) {
		writeErrInfo(w, http.StatusForbidden, fmt.Sprintf("This operation needs the %s role in %s; you are %s.", need.Role, orgName, articleRole(m.Role)), nil)
		return false
	}
	if p.Kind == KindPAT && need.PATScope != "" && maxPATScope(p.Scopes) < patScopeRank(need.PATScope) {
		writeErrInfo(w, http.StatusForbidden, "The personal access token does not have the scope this operation needs ("+need.PATScope+").", nil)
		return false
	}
	return true
}

func scopeName(s string) string {
	if s == "" {
		return "not available to organization access tokens"
	}
	return s
}

func articleRole(role string) string {
	if role == RoleOwner {
		return "an owner"
	}
	if role == RoleEditor {
		return "an editor"
	}
	return "a member"
}

func maxPATScope(scopes []string) int {
	best := 0
	for _, sc := range scopes {
		best = max(best, patScopeRank(sc))
	}
	return best
}

// oatAllows reports whether an OAT holds scope on its org resource.
func oatAllows(t *oat, scope string) bool {
	if t == nil {
		return false
	}
	for _, res := range t.Resources {
		if slices.Contains(res.Scopes, scope) {
			return true
		}
	}
	return false
}

// audit appends an event to org's log. The caller holds s.mu for writing.
func (s *Server) audit(orgName, action, name string, p principal, desc string, data map[string]string) {
	o := s.st.orgs[orgName]
	if o == nil {
		return
	}
	actor := p.User
	if data == nil {
		data = map[string]string{}
	}
	if p.Kind == KindPAT || p.Kind == KindOAT {
		typ := "personal"
		if p.Kind == KindOAT {
			typ = "organization"
		}
		actor = fmt.Sprintf("%s - access token %q", p.User, p.TokenLabel)
		data["access_token_id"] = p.TokenID
		data["access_token_label"] = p.TokenLabel
		data["access_token_type"] = typ
	}
	o.Audit = append(o.Audit, auditEvent{Account: orgName, Action: action, Name: name, Actor: actor,
		Data: data, Timestamp: s.clock.Now(), Description: desc})
}

// totp computes the RFC 6238 code (SHA-1, 30 s, 6 digits) for secret at t.
func totp(secret string, t time.Time) (string, error) {
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
	if err != nil {
		return "", fmt.Errorf("totp secret: %w", err)
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(t.Unix()/30))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	code := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", code%1000000), nil
}

// TOTP returns the current two-factor code for secret by the simulator's
// clock, so tests and the README can sign in as the 2FA demo user.
func (s *Server) TOTP(secret string) (string, error) { return totp(secret, s.clock.Now()) }

// routesAuth registers sign-in.
func (s *Server) routesAuth() {
	s.handle("POST /v2/auth/token", s.authToken)
	s.handle("POST /v2/users/login", s.usersLogin)
	s.handle("POST /v2/users/2fa-login", s.users2FALogin)
}

// checkSecret resolves identifier+secret to a principal: a user's password
// or PAT, or an org's OAT.
func (s *Server) checkSecret(identifier, secret string) (principal, *user, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	if u := s.st.users[identifier]; u != nil {
		if secret == u.Password && u.Password != "" {
			u.LastLogin = now
			return principal{User: u.Username, Kind: KindPassword}, u, true
		}
		for _, t := range u.PATs {
			if t.Token == secret && t.Active && (t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt)) {
				t.LastUsed = now
				return principal{User: u.Username, Kind: KindPAT, Scopes: t.Scopes, TokenID: t.UUID, TokenLabel: t.Label}, u, true
			}
		}
	}
	if o := s.st.orgs[identifier]; o != nil {
		for _, t := range o.OATs {
			if t.Token == secret && t.Active && (t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt)) {
				t.LastUsed = now
				return principal{User: o.Name, Kind: KindOAT, Org: o.Name, TokenID: t.ID, TokenLabel: t.Label}, nil, true
			}
		}
	}
	return principal{}, nil, false
}

func (s *Server) authToken(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Identifier string `json:"identifier"`
		Secret     string `json:"secret"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if in.Identifier == "" || in.Secret == "" {
		writeErrInfo(w, http.StatusUnauthorized, "identifier and secret are required", nil)
		return
	}
	p, u, ok := s.checkSecret(in.Identifier, in.Secret)
	if !ok {
		writeErrInfo(w, http.StatusUnauthorized, "Incorrect authentication credentials", nil)
		return
	}
	if p.Kind == KindPassword && u.TOTPSecret != "" {
		writeErrInfo(w, http.StatusUnauthorized, "Two-factor authentication is enabled for this account: use a personal access token, or sign in with /v2/users/login and a code.", nil)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"access_token": s.issue(p, p.Kind, s.opts.TokenTTL)})
}

func (s *Server) usersLogin(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	p, u, ok := s.checkSecret(in.Username, in.Password)
	if !ok || p.Kind == KindOAT {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"detail": "Incorrect authentication credentials"})
		return
	}
	if p.Kind == KindPassword && u.TOTPSecret != "" {
		challenge := s.issue(p, kind2FA, 5*time.Minute)
		writeJSON(w, http.StatusUnauthorized, map[string]any{"detail": "Require secondary authentication on MFA enabled account", "login_2fa_token": challenge})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"token": s.issue(p, p.Kind, s.opts.TokenTTL)})
}

func (s *Server) users2FALogin(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Token string `json:"login_2fa_token"`
		Code  string `json:"code"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	c, err := s.verify(in.Token)
	if err != nil || c.Kind != kind2FA {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"detail": "The two-factor sign-in has expired or is invalid; sign in again."})
		return
	}
	s.mu.RLock()
	u := s.st.users[c.Sub]
	s.mu.RUnlock()
	if u == nil || u.TOTPSecret == "" {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"detail": "Incorrect authentication credentials"})
		return
	}
	now := s.clock.Now()
	for _, skew := range []time.Duration{0, -30 * time.Second, 30 * time.Second} {
		if code, err := totp(u.TOTPSecret, now.Add(skew)); err == nil && hmac.Equal([]byte(code), []byte(strings.TrimSpace(in.Code))) {
			if !s.spendChallenge(c.Jti, time.Unix(c.Exp, 0)) {
				writeJSON(w, http.StatusUnauthorized, map[string]string{"detail": "The two-factor sign-in has expired or is invalid; sign in again."})
				return
			}
			writeJSON(w, http.StatusOK, map[string]string{"token": s.issue(principal{User: u.Username, Kind: KindPassword}, KindPassword, s.opts.TokenTTL)})
			return
		}
	}
	writeJSON(w, http.StatusUnauthorized, map[string]string{"detail": "Incorrect two-factor authentication code"})
}

// spendChallenge marks a two-factor challenge used; it reports false when
// it already was, so a challenge signs in once. Spent challenges are
// forgotten once they would have expired anyway.
func (s *Server) spendChallenge(jti string, exp time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	for id, until := range s.spent {
		if now.After(until) {
			delete(s.spent, id)
		}
	}
	if _, used := s.spent[jti]; used {
		return false
	}
	s.spent[jti] = exp
	return true
}
