package hubclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"time"
)

// AccountService covers the account API v1.1: the profile
// (GET/PATCH /api/v1.1/users/{username}/) and e-mail addresses
// (GET/POST/DELETE /api/v1.1/users/{username}/emails/). Not every Hub
// offers it: a 404 or 410 answer comes back as an error wrapping
// ErrNotOffered (and the *APIError), so a UI can hide the Account pane.
type AccountService service

// AccountProfile is a user's profile as the account API describes it.
type AccountProfile struct {
	ID          int64     `json:"id"`
	Username    string    `json:"username"`
	URL         string    `json:"url"`
	DateJoined  time.Time `json:"date_joined"`
	Type        string    `json:"type"` // "User"
	FullName    string    `json:"full_name"`
	Location    string    `json:"location"`
	Company     string    `json:"company"`
	ProfileURL  string    `json:"profile_url"`
	GravatarURL string    `json:"gravatar_url"`
	Email       string    `json:"email"`
	IsActive    bool      `json:"is_active"`
}

// ProfileUpdate is the body of PATCH /api/v1.1/users/{username}/. Nil
// fields are left alone; a pointer to "" clears the field.
type ProfileUpdate struct {
	FullName      *string `json:"full_name,omitempty"`
	Location      *string `json:"location,omitempty"`
	Company       *string `json:"company,omitempty"`
	ProfileURL    *string `json:"profile_url,omitempty"`
	GravatarEmail *string `json:"gravatar_email,omitempty"`
}

// AccountEmail is one of a user's e-mail addresses.
type AccountEmail struct {
	Email    string `json:"email"`
	Verified bool   `json:"verified"`
	Primary  bool   `json:"primary"`
}

func (u ProfileUpdate) validate() error {
	if u.FullName == nil && u.Location == nil && u.Company == nil && u.ProfileURL == nil && u.GravatarEmail == nil {
		return &ValidationError{"full_name", "nothing to change"}
	}
	if u.ProfileURL != nil && *u.ProfileURL != "" {
		p, err := url.Parse(*u.ProfileURL)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return &ValidationError{"profile_url", "must be an http:// or https:// URL"}
		}
	}
	if u.GravatarEmail != nil && *u.GravatarEmail != "" {
		if err := validateEmail("gravatar_email", *u.GravatarEmail); err != nil {
			return err
		}
	}
	return nil
}

func validateEmail(field, addr string) error {
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Address != addr {
		return &ValidationError{field, fmt.Sprintf("%q is not an e-mail address", addr)}
	}
	return nil
}

func validateAccountUser(username string) error { return checkUsername("username", username) }

// notOffered wraps err with ErrNotOffered when the Hub answered 404 or 410.
func notOffered(op string, err error) error {
	var ae *APIError
	if errors.As(err, &ae) && (ae.StatusCode == http.StatusNotFound || ae.StatusCode == http.StatusGone) {
		return fmt.Errorf("%s: %w: %w", op, ErrNotOffered, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// Profile calls GET /api/v1.1/users/{username}/.
func (s *AccountService) Profile(ctx context.Context, username string) (*AccountProfile, *Response, error) {
	if err := validateAccountUser(username); err != nil {
		return nil, nil, err
	}
	var out AccountProfile
	resp, err := s.c.do(ctx, request{method: http.MethodGet, path: path("/api/v1.1/users/%s/", username)}, &out)
	if err != nil {
		return nil, resp, notOffered("get account profile "+username, err)
	}
	return &out, resp, nil
}

// UpdateProfile calls PATCH /api/v1.1/users/{username}/ and returns the
// updated profile.
func (s *AccountService) UpdateProfile(ctx context.Context, username string, u ProfileUpdate) (*AccountProfile, *Response, error) {
	if err := validateAccountUser(username); err != nil {
		return nil, nil, err
	}
	if err := u.validate(); err != nil {
		return nil, nil, err
	}
	var out AccountProfile
	resp, err := s.c.do(ctx, request{method: http.MethodPatch, path: path("/api/v1.1/users/%s/", username), body: u}, &out)
	if err != nil {
		return nil, resp, notOffered("update account profile "+username, err)
	}
	return &out, resp, nil
}

// Emails calls GET /api/v1.1/users/{username}/emails/.
func (s *AccountService) Emails(ctx context.Context, username string) ([]AccountEmail, *Response, error) {
	if err := validateAccountUser(username); err != nil {
		return nil, nil, err
	}
	var out []AccountEmail
	resp, err := s.c.do(ctx, request{method: http.MethodGet, path: path("/api/v1.1/users/%s/emails/", username)}, &out)
	if err != nil {
		return nil, resp, notOffered("list e-mail addresses of "+username, err)
	}
	return out, resp, nil
}

// AddEmail calls POST /api/v1.1/users/{username}/emails/. The new address
// is unverified and not primary; the Hub sends no confirmation mail.
func (s *AccountService) AddEmail(ctx context.Context, username, email string) (*AccountEmail, *Response, error) {
	if err := validateAccountUser(username); err != nil {
		return nil, nil, err
	}
	if err := validateEmail("email", email); err != nil {
		return nil, nil, err
	}
	var out AccountEmail
	body := struct {
		Email string `json:"email"`
	}{email}
	resp, err := s.c.do(ctx, request{method: http.MethodPost, path: path("/api/v1.1/users/%s/emails/", username), body: body}, &out)
	if err != nil {
		return nil, resp, notOffered(fmt.Sprintf("add e-mail address %s to %s", email, username), err)
	}
	return &out, resp, nil
}

// DeleteEmail calls DELETE /api/v1.1/users/{username}/emails/ with the
// address in the body. The primary address cannot be deleted.
func (s *AccountService) DeleteEmail(ctx context.Context, username, email string) (*Response, error) {
	if err := validateAccountUser(username); err != nil {
		return nil, err
	}
	if strings.TrimSpace(email) == "" {
		return nil, &ValidationError{"email", "must not be empty"}
	}
	body := struct {
		Email string `json:"email"`
	}{email}
	resp, err := s.c.do(ctx, request{method: http.MethodDelete, path: path("/api/v1.1/users/%s/emails/", username), body: body}, nil)
	if err != nil {
		return resp, notOffered(fmt.Sprintf("delete e-mail address %s of %s", email, username), err)
	}
	return resp, nil
}
