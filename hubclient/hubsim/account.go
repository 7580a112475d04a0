package hubsim

import (
	"crypto/md5"
	"encoding/hex"
	"net/http"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Account API v1.1 (the older docs.docker.io account API): the profile
// (GET/PATCH /api/v1.1/users/{username}/) and e-mail addresses
// (GET/POST/DELETE /api/v1.1/users/{username}/emails/).
//
// A user sees and changes only their own account: another username is
// answered 403 (existing or not, so usernames cannot be probed). A PAT may
// read (the document's profile_read); changes need a password session;
// organization access tokens get 403. Errors use the Error shape
// {detail, message}; invalid data is a 400 ValueError {fields, text}.
// Account changes are personal and are recorded in no organization's log.

// routesAccount registers the handlers of this API area.
func (s *Server) routesAccount() {
	s.handle("GET /api/v1.1/users/{username}/{$}", s.getProfile)
	s.handle("PATCH /api/v1.1/users/{username}/{$}", s.patchProfile)
	s.handle("GET /api/v1.1/users/{username}/emails/{$}", s.listEmails)
	s.handle("POST /api/v1.1/users/{username}/emails/{$}", s.addEmail)
	s.handle("DELETE /api/v1.1/users/{username}/emails/{$}", s.deleteEmail)
}

// profileBody is the profile shape of the account API.
type profileBody struct {
	ID          int64  `json:"id"`
	Username    string `json:"username"`
	URL         string `json:"url"`
	DateJoined  string `json:"date_joined"`
	Type        string `json:"type"`
	FullName    string `json:"full_name"`
	Location    string `json:"location"`
	Company     string `json:"company"`
	ProfileURL  string `json:"profile_url"`
	GravatarURL string `json:"gravatar_url"`
	Email       string `json:"email"`
	IsActive    bool   `json:"is_active"`
}

// emailBody is an e-mail address of the account API.
type emailBody struct {
	Email    string `json:"email"`
	Verified bool   `json:"verified"`
	Primary  bool   `json:"primary"`
}

func (s *Server) profileJSON(r *http.Request, u *user) profileBody {
	id, _ := strconv.ParseInt(u.ID[:min(12, len(u.ID))], 16, 64)
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	self := url.URL{Scheme: scheme, Host: r.Host, Path: "/api/v1.1/users/" + u.Username + "/"}
	grav := u.GravatarEmail
	if grav == "" {
		grav = u.Email
	}
	sum := md5.Sum([]byte(strings.ToLower(strings.TrimSpace(grav))))
	return profileBody{
		ID: id, Username: u.Username, URL: self.String(), DateJoined: ts(u.Joined), Type: "User",
		FullName: u.FullName, Location: u.Location, Company: u.Company, ProfileURL: u.ProfileURL, Email: u.Email, IsActive: true,
		GravatarURL: "https://secure.gravatar.com/avatar/" + hex.EncodeToString(sum[:]) + ".jpg?s=80&r=g&d=mm",
	}
}

// accountUser authenticates and finds the path's user, who must be the
// caller; write demands a password session. The caller must then take s.mu.
func (s *Server) accountUser(w http.ResponseWriter, r *http.Request, write bool) (string, bool) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return "", false
	}
	name := r.PathValue("username")
	switch {
	case p.Kind == KindOAT:
		writeError(w, http.StatusForbidden, "Organization access tokens cannot use the account API.")
		return "", false
	case !strings.EqualFold(name, p.User):
		writeError(w, http.StatusForbidden, "You do not have permission to perform this action.")
		return "", false
	case write && p.Kind != KindPassword:
		writeError(w, http.StatusForbidden, "Access tokens cannot change the account: sign in with your password.")
		return "", false
	}
	return p.User, true
}

// accountOf finds the account's user, answering 404 when there is none.
// The caller holds s.mu.
func (s *Server) accountOf(w http.ResponseWriter, name string) *user {
	u := s.st.users[name]
	if u == nil {
		writeError(w, http.StatusNotFound, "Not found.")
	}
	return u
}

// readAccount answers a read of the path's account with what view makes of
// its user.
func (s *Server) readAccount(w http.ResponseWriter, r *http.Request, view func(*user) any) {
	name, ok := s.accountUser(w, r, false)
	if !ok {
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if u := s.accountOf(w, name); u != nil {
		writeJSON(w, http.StatusOK, view(u))
	}
}

func (s *Server) getProfile(w http.ResponseWriter, r *http.Request) {
	s.readAccount(w, r, func(u *user) any { return s.profileJSON(r, u) })
}

func (s *Server) patchProfile(w http.ResponseWriter, r *http.Request) {
	name, ok := s.accountUser(w, r, true)
	if !ok {
		return
	}
	var in struct {
		FullName      *string `json:"full_name"`
		Location      *string `json:"location"`
		Company       *string `json:"company"`
		ProfileURL    *string `json:"profile_url"`
		GravatarEmail *string `json:"gravatar_email"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	fields := map[string][]string{}
	for k, v := range map[string]*string{"full_name": in.FullName, "location": in.Location, "company": in.Company} {
		if v != nil && utf8.RuneCountInString(*v) > 255 {
			fields[k] = []string{"Ensure this field has no more than 255 characters."}
		}
	}
	if in.ProfileURL != nil && *in.ProfileURL != "" {
		if u, err := url.Parse(*in.ProfileURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			fields["profile_url"] = []string{"Enter a valid URL."}
		}
	}
	if in.GravatarEmail != nil && *in.GravatarEmail != "" && !acctValidEmail(*in.GravatarEmail) {
		fields["gravatar_email"] = []string{"Enter a valid email address."}
	}
	if len(fields) > 0 {
		writeFieldErrors(w, "Invalid profile.", fields)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.accountOf(w, name)
	if u == nil {
		return
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&u.FullName, in.FullName)
	set(&u.Location, in.Location)
	set(&u.Company, in.Company)
	set(&u.ProfileURL, in.ProfileURL)
	set(&u.GravatarEmail, in.GravatarEmail)
	u.Modified = s.clock.Now()
	writeJSON(w, http.StatusOK, s.profileJSON(r, u))
}

func acctValidEmail(addr string) bool {
	a, err := mail.ParseAddress(addr)
	return err == nil && a.Address == addr
}

func emailsJSON(u *user) []emailBody {
	out := make([]emailBody, 0, len(u.Emails))
	for _, e := range u.Emails {
		out = append(out, emailBody{Email: e.Address, Verified: e.Verified, Primary: e.Primary})
	}
	return out
}

func (s *Server) listEmails(w http.ResponseWriter, r *http.Request) {
	s.readAccount(w, r, func(u *user) any { return emailsJSON(u) })
}

// acctReadEmail reads the {"email": ...} body of POST and DELETE.
func acctReadEmail(w http.ResponseWriter, r *http.Request) (string, bool) {
	var in struct {
		Email *string `json:"email"`
	}
	if !readJSON(w, r, &in) {
		return "", false
	}
	if in.Email == nil || strings.TrimSpace(*in.Email) == "" {
		writeFieldErrors(w, "Invalid data.", map[string][]string{"email": {"This field is required."}})
		return "", false
	}
	return strings.TrimSpace(*in.Email), true
}

func (s *Server) addEmail(w http.ResponseWriter, r *http.Request) {
	name, ok := s.accountUser(w, r, true)
	if !ok {
		return
	}
	addr, ok := acctReadEmail(w, r)
	if !ok {
		return
	}
	if !acctValidEmail(addr) {
		writeFieldErrors(w, "Invalid data.", map[string][]string{"email": {"Enter a valid email address."}})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.accountOf(w, name)
	if u == nil {
		return
	}
	for _, other := range s.st.users {
		for _, e := range other.Emails {
			if strings.EqualFold(e.Address, addr) {
				writeFieldErrors(w, "Invalid data.", map[string][]string{"email": {"This email address is already in use."}})
				return
			}
		}
	}
	e := email{ID: s.st.id(), Address: addr}
	u.Emails = append(u.Emails, e)
	u.Modified = s.clock.Now()
	writeJSON(w, http.StatusCreated, emailBody{Email: e.Address, Verified: e.Verified, Primary: e.Primary})
}

func (s *Server) deleteEmail(w http.ResponseWriter, r *http.Request) {
	name, ok := s.accountUser(w, r, true)
	if !ok {
		return
	}
	addr, ok := acctReadEmail(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.accountOf(w, name)
	if u == nil {
		return
	}
	i := slices.IndexFunc(u.Emails, func(e email) bool { return strings.EqualFold(e.Address, addr) })
	switch {
	case i < 0:
		writeFieldErrors(w, "Invalid data.", map[string][]string{"email": {"This is not one of your email addresses."}})
		return
	case u.Emails[i].Primary:
		writeFieldErrors(w, "Invalid data.", map[string][]string{"email": {"The primary email address cannot be deleted."}})
		return
	}
	u.Emails = slices.Delete(u.Emails, i, i+1)
	u.Modified = s.clock.Now()
	w.WriteHeader(http.StatusNoContent)
}
