package hubclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// AuthService signs in: access tokens from a password, PAT or OAT, and the
// legacy login with two-factor authentication.
type AuthService service

// signIn exchanges credentials for a JWT. Personal and organization access
// tokens go to POST /v2/auth/token; a password goes to POST /v2/users/login,
// which is the route that answers a two-factor challenge.
func (s *AuthService) signIn(ctx context.Context, cr Credentials) (Secret, error) {
	sec := cr.Secret.Reveal()
	if strings.HasPrefix(sec, "dckr_pat_") || strings.HasPrefix(sec, "dckr_oat_") {
		return s.CreateAccessToken(ctx, cr.Identifier, cr.Secret)
	}
	return s.Login(ctx, cr.Identifier, cr.Secret)
}

// CreateAccessToken calls POST /v2/auth/token with a username and password
// or PAT, or an organization name and OAT, and returns the bearer JWT.
func (s *AuthService) CreateAccessToken(ctx context.Context, identifier string, secret Secret) (Secret, error) {
	body := struct {
		Identifier string `json:"identifier"`
		Secret     string `json:"secret"`
	}{identifier, secret.Reveal()}
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if _, err := s.c.do(ctx, request{method: http.MethodPost, path: "/v2/auth/token", body: body, noAuth: true}, &out); err != nil {
		return "", wrapLogin("create access token", err)
	}
	return Secret(out.AccessToken), nil
}

// Login calls POST /v2/users/login. When the account has two-factor
// authentication it returns a *TwoFactorRequiredError carrying the challenge.
func (s *AuthService) Login(ctx context.Context, username string, password Secret) (Secret, error) {
	body := struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}{username, password.Reveal()}
	var out struct {
		Token string `json:"token"`
	}
	if _, err := s.c.do(ctx, request{method: http.MethodPost, path: "/v2/users/login", body: body, noAuth: true}, &out); err != nil {
		return "", wrapLogin("login", err)
	}
	return Secret(out.Token), nil
}

// Login2FA completes a two-factor sign-in with POST /v2/users/2fa-login and
// installs the resulting JWT in the client.
func (s *AuthService) Login2FA(ctx context.Context, challenge Secret, code string) (Secret, error) {
	if strings.TrimSpace(code) == "" {
		return "", &ValidationError{"code", "enter the six-digit code from your authenticator app"}
	}
	body := struct {
		Token string `json:"login_2fa_token"`
		Code  string `json:"code"`
	}{challenge.Reveal(), strings.TrimSpace(code)}
	var out struct {
		Token string `json:"token"`
	}
	if _, err := s.c.do(ctx, request{method: http.MethodPost, path: "/v2/users/2fa-login", body: body, noAuth: true}, &out); err != nil {
		return "", wrapLogin("two-factor login", err)
	}
	jwt := Secret(out.Token)
	s.c.setToken(jwt)
	return jwt, nil
}

// SignIn signs the client in now with its credentials (instead of lazily on
// the first request), so a UI can report bad credentials or a 2FA challenge
// up front. Without credentials it returns ErrNoCredentials and keeps any
// token the client was given.
func (s *AuthService) SignIn(ctx context.Context) error {
	if !s.c.hasCreds() {
		return ErrNoCredentials
	}
	s.c.invalidate()
	_, err := s.c.bearer(ctx)
	var t terminal
	if errors.As(err, &t) {
		return t.error
	}
	return err
}

// wrapLogin turns a login 401 that carries a 2FA challenge into a
// TwoFactorRequiredError.
func wrapLogin(op string, err error) error {
	var ae *APIError
	if errors.As(err, &ae) && ae.StatusCode == http.StatusUnauthorized {
		var eb errorBody
		if json.Unmarshal(ae.Body, &eb) == nil && eb.Login2FA != "" {
			return &TwoFactorRequiredError{Token: Secret(eb.Login2FA), Detail: looseString(eb.Detail)}
		}
	}
	return fmt.Errorf("%s: %w", op, err)
}
