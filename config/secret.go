package config

import (
	"fmt"
	"strings"
)

// Values of Context.Secret, the place a context's secret comes from.
const (
	// SecretAuto tries HUBTUI_USERNAME/HUBTUI_TOKEN, then the Docker CLI
	// login, then leaves sign-in to the UI. An empty Secret means the same.
	SecretAuto = "auto"
	// SecretEnv reads only HUBTUI_USERNAME and HUBTUI_TOKEN.
	SecretEnv = "env"
	// SecretDocker reads only the Docker CLI login (config.json and its
	// credential helpers).
	SecretDocker = "docker"
	// SecretKeyringHelper asks one Docker credential helper,
	// docker-credential-NAME; written "keyring-helper NAME".
	SecretKeyringHelper = "keyring-helper"
	// SecretPrompt always leaves sign-in to the UI.
	SecretPrompt = "prompt"
)

// SecretSpec is a parsed Context.Secret.
type SecretSpec struct {
	// Kind is SecretAuto, SecretEnv, SecretDocker, SecretKeyringHelper or SecretPrompt.
	Kind string
	// Helper is NAME of docker-credential-NAME when Kind is SecretKeyringHelper.
	Helper string
}

// String returns the spec as written in the config file.
func (s SecretSpec) String() string {
	if s.Kind == SecretKeyringHelper {
		return SecretKeyringHelper + " " + s.Helper
	}
	if s.Kind == "" {
		return SecretAuto
	}
	return s.Kind
}

// ParseSecret parses a Context.Secret value: "auto" (or ""), "env",
// "docker", "keyring-helper NAME" or "prompt".
func ParseSecret(s string) (SecretSpec, error) {
	f := strings.Fields(s)
	switch {
	case len(f) == 0:
		return SecretSpec{Kind: SecretAuto}, nil
	case len(f) == 1 && (f[0] == SecretAuto || f[0] == SecretEnv || f[0] == SecretDocker || f[0] == SecretPrompt):
		return SecretSpec{Kind: f[0]}, nil
	case f[0] == SecretKeyringHelper:
		if len(f) != 2 {
			return SecretSpec{}, fmt.Errorf("secret %s needs one helper name, as in %q", SecretKeyringHelper, "keyring-helper pass")
		}
		if err := checkHelperName(f[1]); err != nil {
			return SecretSpec{}, err
		}
		return SecretSpec{Kind: SecretKeyringHelper, Helper: f[1]}, nil
	}
	return SecretSpec{}, fmt.Errorf("secret must be auto, env, docker, keyring-helper NAME or prompt, not %q", s)
}

// SecretSpec parses the context's Secret; see ParseSecret.
func (c Context) SecretSpec() (SecretSpec, error) { return ParseSecret(c.Secret) }

// checkHelperName accepts the NAME of docker-credential-NAME: letters,
// digits, '.', '_' and '-', not starting with '-' or '.'.
func checkHelperName(name string) error {
	if name == "" {
		return fmt.Errorf("the credential helper name is empty")
	}
	if len(name) > 64 {
		return fmt.Errorf("the credential helper name is longer than 64 characters")
	}
	if name[0] == '-' || name[0] == '.' {
		return fmt.Errorf("the credential helper name %q must start with a letter or digit", name)
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
		if !ok {
			return fmt.Errorf("the credential helper name %q may hold only letters, digits, '.', '_' and '-'", name)
		}
	}
	return nil
}
