package hubsim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestTOTPRFC6238Vectors(t *testing.T) {
	// RFC 6238 appendix B, SHA-1, secret "12345678901234567890"; the
	// 8-digit values truncated to the 6 digits the Hub uses.
	secret := base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))
	if secret != "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" {
		t.Fatalf("secret = %s", secret)
	}
	for _, tc := range []struct {
		unix int64
		want string // 8 digits per the RFC
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	} {
		for _, sec := range []string{secret, strings.ToLower(secret), secret + "===="} {
			got, err := totp(sec, time.Unix(tc.unix, 0))
			if err != nil {
				t.Fatalf("totp(%q): %v", sec, err)
			}
			if got != tc.want[2:] {
				t.Errorf("T=%d secret %q: %s, want %s", tc.unix, sec, got, tc.want[2:])
			}
		}
	}
	// Same 30-second step, same code; the next step differs.
	a, _ := totp(secret, time.Unix(60, 0))
	b, _ := totp(secret, time.Unix(89, 0))
	c, _ := totp(secret, time.Unix(90, 0))
	if a != b || a == c {
		t.Errorf("steps: %s %s %s", a, b, c)
	}
	if _, err := totp("not base32!", time.Unix(59, 0)); err == nil {
		t.Error("a bad secret was accepted")
	}
}

func TestServerTOTPUsesItsClock(t *testing.T) {
	clk := NewFakeClock(time.Unix(59, 0))
	s, err := New(Options{Dataset: "empty", Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	secret := base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))
	if code, err := s.TOTP(secret); err != nil || code != "287082" {
		t.Errorf("TOTP at T=59 = %s, %v; want 287082", code, err)
	}
	clk.Advance((1111111109 - 59) * time.Second)
	if code, _ := s.TOTP(secret); code != "081804" {
		t.Errorf("TOTP at T=1111111109 = %s, want 081804", code)
	}
}

func coreSim(t *testing.T, clk Clock) *Server {
	t.Helper()
	s, err := New(Options{RateLimit: -1, Clock: clk, TokenTTL: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func TestJWTIssueAndVerify(t *testing.T) {
	clk := NewFakeClock(coreT0())
	s := coreSim(t, clk)
	p := principal{User: DemoUser, Kind: KindPAT, Scopes: []string{"repo:read"}, TokenID: "tid", TokenLabel: "ci"}
	tok := s.issue(p, KindPAT, 2*time.Minute)
	c, err := s.verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	if c.Sub != DemoUser || c.Kind != KindPAT || c.TID != "tid" || c.Label != "ci" || len(c.Scopes) != 1 ||
		c.Iat != coreT0().Unix() || c.Exp != coreT0().Add(2*time.Minute).Unix() || c.Jti == "" {
		t.Errorf("claims = %+v", c)
	}
	if other := s.issue(p, KindPAT, 2*time.Minute); other == tok {
		t.Error("two tokens are identical (jti)")
	}

	clk.Advance(2*time.Minute - time.Second)
	if _, err := s.verify(tok); err != nil {
		t.Errorf("1s before exp: %v", err)
	}
	clk.Advance(time.Second)
	if _, err := s.verify(tok); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Errorf("at exp: %v, want expired", err)
	}

	fresh := s.issue(p, KindPAT, time.Minute)
	parts := strings.Split(fresh, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	forged := strings.Replace(string(payload), `"sub":"demo"`, `"sub":"ops"`, 1)
	for name, bad := range map[string]string{
		"forged payload": parts[0] + "." + b64(forged) + "." + parts[2],
		"bad signature":  parts[0] + "." + parts[1] + "." + b64("nope"),
		"sig not base64": parts[0] + "." + parts[1] + ".!!!",
		"two parts":      parts[0] + "." + parts[1],
		"empty":          "",
		"payload junk":   coreSign(s, parts[0]+"."+b64("not json")),
		"payload base64": coreSign(s, parts[0]+".!!"),
	} {
		if _, err := s.verify(bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// Another simulator (another seed) does not accept this one's tokens.
	s2, _ := New(Options{Dataset: "empty", Seed: 2, Clock: clk})
	defer s2.Close()
	if _, err := s2.verify(fresh); err == nil {
		t.Error("a token of another seed was accepted")
	}
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// coreSign signs msg with s's key, as issue does.
func coreSign(s *Server, msg string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(msg))
	return msg + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// coreAuth runs authenticate for one Authorization header value.
func coreAuth(s *Server, authz string) (principal, bool, *httptest.ResponseRecorder) {
	r := httptest.NewRequest("GET", "/v2/x", nil)
	if authz != "" {
		r.Header.Set("Authorization", authz)
	}
	w := httptest.NewRecorder()
	p, ok := s.authenticate(w, r)
	return p, ok, w
}

func coreDetail(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
		t.Fatalf("body %q: %v", w.Body, err)
	}
	d, _ := m["detail"].(string)
	if m["message"] != d {
		t.Errorf("body %s is not the Error shape", w.Body)
	}
	return d
}

func TestAuthenticate(t *testing.T) {
	clk := NewFakeClock(coreT0())
	s := coreSim(t, clk)
	pw := s.issue(principal{User: DemoUser, Kind: KindPassword}, KindPassword, 2*time.Minute)

	for _, tc := range []struct {
		name, authz, detail string
	}{
		{"missing", "", "Authentication credentials were not provided."},
		{"basic", "Basic ZGVtbzpkZW1v", "Authentication credentials were not provided."},
		{"empty bearer", "Bearer ", "Authentication credentials were not provided."},
		{"garbage", "Bearer garbage", "Invalid token."},
		{"2FA challenge", "Bearer " + s.issue(principal{User: TwoFactorUser, Kind: KindPassword}, kind2FA, time.Minute), "Invalid token."},
		{"unknown user", "Bearer " + s.issue(principal{User: "ghost", Kind: KindPassword}, KindPassword, time.Minute), "Invalid token."},
	} {
		_, ok, w := coreAuth(s, tc.authz)
		if ok || w.Code != http.StatusUnauthorized {
			t.Errorf("%s: ok=%v code=%d", tc.name, ok, w.Code)
			continue
		}
		if d := coreDetail(t, w); d != tc.detail {
			t.Errorf("%s: detail %q, want %q", tc.name, d, tc.detail)
		}
	}

	for _, authz := range []string{"Bearer " + pw, "JWT " + pw} {
		p, ok, w := coreAuth(s, authz)
		if !ok || p.User != DemoUser || p.Kind != KindPassword {
			t.Errorf("%s: %v %+v %s", authz[:4], ok, p, w.Body)
		}
	}

	// Expiry is enforced by the simulator's clock.
	clk.Advance(2 * time.Minute)
	_, ok, w := coreAuth(s, "Bearer "+pw)
	if ok || w.Code != 401 || coreDetail(t, w) != "Token expired." {
		t.Errorf("expired: ok=%v %d %s", ok, w.Code, w.Body)
	}

	// PAT and OAT tokens stop working once revoked.
	p, _, ok := s.checkSecret(DemoUser, DemoPAT)
	if !ok || p.Kind != KindPAT || p.TokenID == "" || len(p.Scopes) == 0 {
		t.Fatalf("PAT principal = %+v %v", p, ok)
	}
	patJWT := s.issue(p, KindPAT, time.Minute)
	o, _, ok := s.checkSecret(DemoOrg, DemoOAT)
	if !ok || o.Kind != KindOAT || o.Org != DemoOrg {
		t.Fatalf("OAT principal = %+v %v", o, ok)
	}
	oatJWT := s.issue(o, KindOAT, time.Minute)
	for _, tok := range []string{patJWT, oatJWT} {
		if got, ok, w := coreAuth(s, "Bearer "+tok); !ok || got.TokenID == "" {
			t.Errorf("live token refused: %s", w.Body)
		}
	}
	s.mu.Lock()
	s.st.users[DemoUser].PATs[p.TokenID].Active = false
	s.st.orgs[DemoOrg].OATs[o.TokenID].Active = false
	s.mu.Unlock()
	for _, tok := range []string{patJWT, oatJWT} {
		_, ok, w := coreAuth(s, "Bearer "+tok)
		if ok || w.Code != 401 || !strings.Contains(coreDetail(t, w), "revoked") {
			t.Errorf("revoked token: ok=%v %d %s", ok, w.Code, w.Body)
		}
	}
	if _, _, ok := s.checkSecret(DemoUser, DemoPAT); ok {
		t.Error("an inactive PAT still signs in")
	}
}

func TestCheckSecret(t *testing.T) {
	clk := NewFakeClock(coreT0())
	s := coreSim(t, clk)
	for _, tc := range []struct {
		id, secret, kind string
		ok               bool
	}{
		{DemoUser, DemoPassword, KindPassword, true},
		{DemoUser, DemoPAT, KindPAT, true},
		{DemoOrg, DemoOAT, KindOAT, true},
		{EditorUser, EditorUser, KindPassword, true},
		{TwoFactorUser, TwoFactorPassword, KindPassword, true},
		{DemoUser, "wrong", "", false},
		{DemoUser, "", "", false},
		{EditorUser, DemoPAT, "", false},
		{"ghost", "ghost", "", false},
		{DemoUser, DemoOAT, "", false},
		{"", "", "", false},
	} {
		p, _, ok := s.checkSecret(tc.id, tc.secret)
		if ok != tc.ok || (ok && p.Kind != tc.kind) {
			t.Errorf("checkSecret(%q, %q) = %+v %v", tc.id, tc.secret, p, ok)
		}
	}
	s.mu.RLock()
	last := s.st.users[DemoUser].LastLogin
	s.mu.RUnlock()
	if !last.Equal(coreT0()) {
		t.Errorf("LastLogin = %v", last)
	}
	// An expired PAT does not sign in.
	p, _, _ := s.checkSecret(DemoUser, DemoPAT)
	s.mu.Lock()
	s.st.users[DemoUser].PATs[p.TokenID].ExpiresAt = coreT0().Add(time.Hour)
	s.mu.Unlock()
	clk.Advance(time.Hour)
	if _, _, ok := s.checkSecret(DemoUser, DemoPAT); ok {
		t.Error("an expired PAT signs in")
	}
}

func TestAuthorize(t *testing.T) {
	s := coreSim(t, NewFakeClock(coreT0()))
	oat, _, _ := s.checkSecret(DemoOrg, DemoOAT)
	pat, _, _ := s.checkSecret(DemoUser, DemoPAT)
	readPAT := pat
	readPAT.Scopes = []string{"repo:public_read", "repo:read"}
	otherOAT := oat
	otherOAT.Org = "other"
	var ciOAT principal
	s.mu.RLock()
	for id, t := range s.st.orgs[DemoOrg].OATs {
		if t.Label == "ci-bot" {
			ciOAT = principal{User: DemoOrg, Kind: KindOAT, Org: DemoOrg, TokenID: id}
		}
	}
	s.mu.RUnlock()
	user := func(name string) principal { return principal{User: name, Kind: KindPassword} }
	owner := access{Role: RoleOwner, PATScope: "repo:admin", OATScope: "member-edit"}
	editor := access{Role: RoleEditor, PATScope: "repo:write", OATScope: "repo-edit"}
	member := access{Role: RoleMember, PATScope: "repo:read", OATScope: "member-read"}
	noOAT := access{Role: RoleMember}
	for _, tc := range []struct {
		name string
		p    principal
		org  string
		need access
		want int // 0: allowed
	}{
		{"owner needs owner", user(DemoUser), DemoOrg, owner, 0},
		{"editor needs owner", user(EditorUser), DemoOrg, owner, 403},
		{"editor needs editor", user(EditorUser), DemoOrg, editor, 0},
		{"member needs editor", user(MemberUser), DemoOrg, editor, 403},
		{"member needs member", user(MemberUser), DemoOrg, member, 0},
		{"outsider", user(OutsiderUser), DemoOrg, member, 403},
		{"unknown org", user(DemoUser), "nope", member, 404},
		{"admin PAT", pat, DemoOrg, owner, 0},
		{"read PAT needs admin", readPAT, DemoOrg, owner, 403},
		{"read PAT needs write", readPAT, DemoOrg, editor, 403},
		{"read PAT needs read", readPAT, DemoOrg, member, 0},
		{"PAT any scope", readPAT, DemoOrg, access{Role: RoleMember}, 0},
		{"OAT with scope", oat, DemoOrg, owner, 0},
		{"OAT refused", oat, DemoOrg, noOAT, 403},
		{"OAT of another org", otherOAT, DemoOrg, member, 403},
		{"OAT without the scope", ciOAT, DemoOrg, member, 403},
	} {
		w := httptest.NewRecorder()
		s.mu.RLock()
		ok := s.authorize(w, tc.p, tc.org, tc.need)
		s.mu.RUnlock()
		got := 0
		if !ok {
			got = w.Code
		}
		if got != tc.want {
			t.Errorf("%s: %d %s, want %d", tc.name, got, w.Body, tc.want)
			continue
		}
		if tc.want != 0 && coreDetail(t, w) == "" {
			t.Errorf("%s: no detail", tc.name)
		}
	}
	w := httptest.NewRecorder()
	s.mu.RLock()
	s.authorize(w, user(MemberUser), DemoOrg, owner)
	s.mu.RUnlock()
	if d := coreDetail(t, w); d != "This operation needs the owner role in acme; you are a member." {
		t.Errorf("detail = %q", d)
	}
}

func TestAuditAppends(t *testing.T) {
	clk := NewFakeClock(coreT0())
	s := coreSim(t, clk)
	pat, _, _ := s.checkSecret(DemoUser, DemoPAT)
	s.mu.Lock()
	before := len(s.st.orgs[DemoOrg].Audit)
	s.audit(DemoOrg, "repo.create", "acme/new", pat, "created", nil)
	s.audit(DemoOrg, "org.member.role.change", "erin", principal{User: DemoUser, Kind: KindPassword}, "role", map[string]string{"role": "owner"})
	s.audit("no-such-org", "repo.create", "x", pat, "", nil)
	evs := s.st.orgs[DemoOrg].Audit
	s.mu.Unlock()
	if len(evs) != before+2 {
		t.Fatalf("events %d → %d", before, len(evs))
	}
	a, b := evs[len(evs)-2], evs[len(evs)-1]
	if a.Action != "repo.create" || a.Name != "acme/new" || a.Account != DemoOrg || !a.Timestamp.Equal(coreT0()) ||
		a.Actor != `demo - access token "hubtui demo"` || a.Data["access_token_type"] != "personal" || a.Data["access_token_id"] != pat.TokenID {
		t.Errorf("PAT event = %+v", a)
	}
	if b.Actor != DemoUser || b.Data["role"] != "owner" || b.Data["access_token_id"] != "" {
		t.Errorf("password event = %+v", b)
	}
}

func TestSignInEndpoints(t *testing.T) {
	clk := NewFakeClock(coreT0())
	s, url := coreStart(t, Options{RateLimit: -1, Clock: clk, TokenTTL: 2 * time.Minute})
	post := func(path, body string) (int, map[string]any) {
		resp, b := coreDo(t, "POST", url+path, body, nil)
		return resp.StatusCode, coreJSONMap(t, b)
	}
	verified := func(name string, v any, kind string) {
		tok, _ := v.(string)
		c, err := s.verify(tok)
		if err != nil || c.Kind != kind {
			t.Errorf("%s: token %q: %v kind %q", name, tok, err, c.Kind)
		}
	}

	for _, tc := range []struct{ id, secret, kind string }{
		{DemoUser, DemoPassword, KindPassword}, {DemoUser, DemoPAT, KindPAT}, {DemoOrg, DemoOAT, KindOAT},
	} {
		st, m := post("/v2/auth/token", `{"identifier":"`+tc.id+`","secret":"`+tc.secret+`"}`)
		if st != 200 {
			t.Errorf("auth/token %s: %d %v", tc.id, st, m)
			continue
		}
		verified("auth/token "+tc.kind, m["access_token"], tc.kind)
	}
	for _, tc := range []struct{ body, detail string }{
		{`{"identifier":"demo","secret":"bad"}`, "Incorrect authentication credentials"},
		{`{"identifier":"demo"}`, "identifier and secret are required"},
		{`{"identifier":"ops","secret":"ops"}`, "Two-factor authentication is enabled for this account"},
	} {
		st, m := post("/v2/auth/token", tc.body)
		if d, _ := m["detail"].(string); st != 401 || !strings.HasPrefix(d, tc.detail) {
			t.Errorf("auth/token %s: %d %v", tc.body, st, m)
		}
	}
	if st, m := post("/v2/auth/token", `{"identifier":`); st != 400 || m["fields"] == nil {
		t.Errorf("bad JSON: %d %v", st, m)
	}

	st, m := post("/v2/users/login", `{"username":"demo","password":"demo"}`)
	if st != 200 {
		t.Fatalf("users/login demo: %d %v", st, m)
	}
	verified("users/login", m["token"], KindPassword)
	if st, m = post("/v2/users/login", `{"username":"acme","password":"`+DemoOAT+`"}`); st != 401 || m["detail"] != "Incorrect authentication credentials" {
		t.Errorf("users/login with an OAT: %d %v", st, m)
	}
	if st, m = post("/v2/users/login", `{"username":"demo","password":"x"}`); st != 401 || m["detail"] != "Incorrect authentication credentials" || m["login_2fa_token"] != nil {
		t.Errorf("users/login wrong password: %d %v", st, m)
	}

	// Two-factor: challenge, then code.
	st, m = post("/v2/users/login", `{"username":"ops","password":"ops"}`)
	challenge, _ := m["login_2fa_token"].(string)
	if st != 401 || challenge == "" || m["detail"] != "Require secondary authentication on MFA enabled account" {
		t.Fatalf("users/login ops: %d %v", st, m)
	}
	if _, _, w := coreAuth(s, "Bearer "+challenge); w.Code != 401 {
		t.Error("a 2FA challenge works as a bearer token")
	}
	codeAt := func(d time.Duration) string {
		c, err := totp(TwoFactorSecret, clk.Now().Add(d))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	login2FA := func(tok, code string) (int, map[string]any) {
		return post("/v2/users/2fa-login", `{"login_2fa_token":"`+tok+`","code":"`+code+`"}`)
	}
	for _, bad := range []string{"000000", codeAt(-90 * time.Second), codeAt(90 * time.Second), ""} {
		if bad == codeAt(0) {
			continue
		}
		if st, m := login2FA(challenge, bad); st != 401 || m["detail"] != "Incorrect two-factor authentication code" {
			t.Errorf("code %q: %d %v", bad, st, m)
		}
	}
	access := ""
	for i, skew := range []time.Duration{0, -30 * time.Second, 30 * time.Second} {
		if i > 0 { // a challenge signs in once: ask for a fresh one
			if st, m := login2FA(challenge, codeAt(skew)); st != 401 {
				t.Errorf("a used challenge signed in again: %d %v", st, m)
			}
			_, m := post("/v2/users/login", `{"username":"ops","password":"ops"}`)
			challenge, _ = m["login_2fa_token"].(string)
		}
		st, m := login2FA(challenge, codeAt(skew))
		if st != 200 {
			t.Errorf("code at %v: %d %v", skew, st, m)
			continue
		}
		verified("2fa-login", m["token"], KindPassword)
		access, _ = m["token"].(string)
	}
	if st, m := login2FA(access, codeAt(0)); st != 401 || !strings.Contains(m["detail"].(string), "expired or is invalid") {
		t.Errorf("an access token as challenge: %d %v", st, m)
	}
	if st, _ := login2FA("junk", codeAt(0)); st != 401 {
		t.Errorf("junk challenge: %d", st)
	}
	clk.Advance(5 * time.Minute)
	if st, m := login2FA(challenge, codeAt(0)); st != 401 || !strings.Contains(m["detail"].(string), "expired") {
		t.Errorf("stale challenge: %d %v", st, m)
	}
	// The code helper the README uses matches the server's own check.
	st, m = post("/v2/users/login", `{"username":"ops","password":"ops"}`)
	code, _ := s.TOTP(TwoFactorSecret)
	if st2, m2 := login2FA(m["login_2fa_token"].(string), code); st != 401 || st2 != 200 {
		t.Errorf("TOTP helper: %d %d %v", st, st2, m2)
	}
}
