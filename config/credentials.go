package config

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hubtui/hubtui/ui/sanitize"
)

// Credential sources, environment variables and Docker constants.
const (
	// EnvUsername and EnvToken are the variables FromEnv reads.
	EnvUsername = "HUBTUI_USERNAME"
	EnvToken    = "HUBTUI_TOKEN"

	// SourceEnv is Credential.Source for a credential from the environment.
	SourceEnv = "env"
	// SourceDockerConfig is Credential.Source for an auths entry of the
	// Docker config file.
	SourceDockerConfig = "docker config"
	// SourceHelperPrefix starts Credential.Source for a credential from a
	// helper: "credential helper docker-credential-NAME".
	SourceHelperPrefix = "credential helper docker-credential-"

	// DockerHubServerURL is the key the Docker CLI stores Docker Hub logins under.
	DockerHubServerURL = "https://index.docker.io/v1/"

	// HelperTimeout bounds one run of a credential helper by ExecHelper.
	HelperTimeout = 10 * time.Second

	helperProgramPrefix = "docker-credential-"
	redacted            = "[redacted]"
	maxDockerConfigSize = 8 << 20
	maxHelperOutput     = 1 << 20
	maxHelperStderr     = 4096
	maxHelperWords      = 300
)

// Credential is a user name and secret (password or access token) for
// signing in to Docker Hub, and where they were found. Printing a Credential
// with any fmt verb, logging it with log/slog or encoding it as JSON never
// shows the Secret.
//
// Printing a struct that holds a Credential in an unexported field bypasses
// these methods (fmt cannot call methods there), so keep credentials in
// exported fields or pass them on directly.
type Credential struct {
	Username string
	Secret   string
	// Source says where the credential came from: "env", "docker config"
	// or "credential helper docker-credential-NAME".
	Source string
}

func (c Credential) redactedSecret() string {
	if c.Secret == "" {
		return ""
	}
	return redacted
}

// String returns the user name and source, with the secret redacted.
func (c Credential) String() string {
	return "{" + c.Username + " " + c.redactedSecret() + " " + c.Source + "}"
}

// GoString is like String in Go syntax, with the secret redacted.
func (c Credential) GoString() string {
	return fmt.Sprintf("config.Credential{Username:%q, Secret:%q, Source:%q}", c.Username, c.redactedSecret(), c.Source)
}

// Format prints the credential for every verb without its secret: %v and %s
// as String, %+v with field names, %#v as GoString, %q quoted.
func (c Credential) Format(f fmt.State, verb rune) {
	var s string
	switch {
	case verb == 'v' && f.Flag('#'):
		s = c.GoString()
	case verb == 'v' && f.Flag('+'):
		s = "{Username:" + c.Username + " Secret:" + c.redactedSecret() + " Source:" + c.Source + "}"
	case verb == 'q':
		s = strconv.Quote(c.String())
	default:
		s = c.String()
	}
	_, _ = io.WriteString(f, s)
}

// LogValue redacts the secret in log/slog output.
func (c Credential) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("username", c.Username),
		slog.String("secret", c.redactedSecret()),
		slog.String("source", c.Source),
	)
}

// MarshalJSON redacts the secret; a credential never leaves the process
// through JSON encoding.
func (c Credential) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Username string `json:"username"`
		Secret   string `json:"secret"`
		Source   string `json:"source"`
	}{c.Username, c.redactedSecret(), c.Source})
}

// FromEnv returns the credential in HUBTUI_USERNAME and HUBTUI_TOKEN, read
// with getenv (os.Getenv when nil). ok is false unless both are set.
func FromEnv(getenv func(string) string) (cred Credential, ok bool) {
	if getenv == nil {
		getenv = os.Getenv
	}
	user, token := strings.TrimSpace(getenv(EnvUsername)), strings.TrimSpace(getenv(EnvToken))
	if user == "" || token == "" {
		return Credential{}, false
	}
	return Credential{Username: user, Secret: token, Source: SourceEnv}, true
}

// HelperRunner runs the Docker credential helper docker-credential-HELPER
// with args, writing stdin to it, and returns what it printed on stdout.
// ExecHelper is the real one; tests pass a fake.
type HelperRunner func(ctx context.Context, helper string, args []string, stdin []byte) ([]byte, error)

// helperError is a credential helper that failed. It never holds the
// helper's stdout, which can hold the secret: only its stderr, cleaned.
type helperError struct {
	program string
	verb    string
	stderr  string
	err     error
}

func (e *helperError) Error() string {
	msg := fmt.Sprintf("%s %s failed: %v", e.program, e.verb, e.err)
	if e.stderr != "" {
		msg += ": " + e.stderr
	}
	return msg
}

func (e *helperError) Unwrap() error { return e.err }

// ExecHelper runs docker-credential-HELPER from PATH with args and stdin,
// stopping it after HelperTimeout. When the helper fails it returns what
// the helper printed on stdout (for callers that look for "credentials not
// found") and an error that names the helper and quotes only its stderr,
// cleaned of control characters and trimmed: stdout can hold the secret.
func ExecHelper(ctx context.Context, helper string, args []string, stdin []byte) ([]byte, error) {
	if err := checkHelperName(helper); err != nil {
		return nil, err
	}
	program := helperProgramPrefix + helper
	verb := strings.Join(args, " ")
	ctx, cancel := context.WithTimeout(ctx, HelperTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, program, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr limitedBuffer
	stdout.max, stderr.max = maxHelperOutput, maxHelperStderr
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	if err == nil {
		return stdout.Bytes(), nil
	}
	switch {
	case errors.Is(err, exec.ErrNotFound):
		return nil, fmt.Errorf("credential helper %s is not installed (not found in PATH): %w", program, err)
	case ctx.Err() != nil:
		return nil, &helperError{program: program, verb: verb, err: fmt.Errorf("gave no answer in time (limit %s): %w", HelperTimeout, ctx.Err())}
	}
	return stdout.Bytes(), &helperError{program: program, verb: verb, stderr: helperWords(stderr.String()), err: err}
}

// limitedBuffer keeps the first max bytes written to it and drops the rest.
type limitedBuffer struct {
	bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room > 0 {
		if len(p) > room {
			b.Buffer.Write(p[:room])
		} else {
			b.Buffer.Write(p)
		}
	}
	return len(p), nil
}

// helperWords makes a helper's stderr fit for one line of an error message:
// sanitised (no escape sequences, control or bidi characters), runs of
// white space (line breaks too) made one space, trimmed and cut to
// maxHelperWords runes.
func helperWords(s string) string {
	s = strings.Join(strings.Fields(sanitize.String(s)), " ")
	if utf8.RuneCountInString(s) > maxHelperWords {
		s = string([]rune(s)[:maxHelperWords]) + "…"
	}
	return s
}

// helperNotFound reports whether a helper's answer means "no credential
// stored", which is not an error.
func helperNotFound(out []byte, err error) bool {
	const msg = "credentials not found"
	if bytes.Contains(bytes.ToLower(out), []byte(msg)) {
		return true
	}
	return err != nil && strings.Contains(strings.ToLower(err.Error()), msg)
}

// helperGet asks docker-credential-HELPER for the credential of serverURL.
// ok is false, with no error, when the helper has none.
func helperGet(ctx context.Context, run HelperRunner, helper, serverURL string) (Credential, bool, error) {
	if err := checkHelperName(helper); err != nil {
		return Credential{}, false, err
	}
	if run == nil {
		run = ExecHelper
	}
	out, err := run(ctx, helper, []string{"get"}, []byte(serverURL))
	if err != nil {
		if helperNotFound(out, err) {
			return Credential{}, false, nil
		}
		var he *helperError
		if errors.As(err, &he) { // it names the helper itself
			return Credential{}, false, fmt.Errorf("look up the login for %s: %w", serverURL, err)
		}
		return Credential{}, false, fmt.Errorf("ask %s%s for %s: %w", helperProgramPrefix, helper, serverURL, err)
	}
	var resp struct {
		ServerURL string
		Username  string
		Secret    string
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		if helperNotFound(out, nil) {
			return Credential{}, false, nil
		}
		// The output may hold the secret: never quote it.
		return Credential{}, false, fmt.Errorf("ask %s%s for %s: the answer is not the expected JSON", helperProgramPrefix, helper, serverURL)
	}
	if resp.Username == "" || resp.Secret == "" || resp.Username == "<token>" {
		// "<token>" marks an identity token, which cannot sign in to the Hub API.
		return Credential{}, false, nil
	}
	return Credential{Username: resp.Username, Secret: resp.Secret, Source: SourceHelperPrefix + helper}, true, nil
}

// Store saves a credential with docker-credential-HELPER's store verb, for
// users who opt in to keeping their sign-in. run may be nil for ExecHelper.
func Store(helper string, run HelperRunner, serverURL, user, secret string) error {
	return storeCtx(context.Background(), helper, run, serverURL, user, secret)
}

func storeCtx(ctx context.Context, helper string, run HelperRunner, serverURL, user, secret string) error {
	if err := checkHelperName(helper); err != nil {
		return fmt.Errorf("store credential: %w", err)
	}
	if serverURL == "" || user == "" || secret == "" {
		return errors.New("store credential: server URL, user name and secret are all required")
	}
	if run == nil {
		run = ExecHelper
	}
	payload, err := json.Marshal(struct {
		ServerURL string
		Username  string
		Secret    string
	}{serverURL, user, secret})
	if err != nil {
		return fmt.Errorf("store credential: %w", err)
	}
	if _, err := run(ctx, helper, []string{"store"}, payload); err != nil {
		var he *helperError
		if errors.As(err, &he) { // it names the helper itself
			return fmt.Errorf("store credential for %s: %w", serverURL, err)
		}
		return fmt.Errorf("store credential for %s in %s%s: %w", serverURL, helperProgramPrefix, helper, err)
	}
	return nil
}

// DockerConfigPath returns the Docker CLI's config file:
// $DOCKER_CONFIG/config.json when DOCKER_CONFIG is set, else
// ~/.docker/config.json. getenv may be nil for os.Getenv.
func DockerConfigPath(getenv func(string) string) (string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if dir := getenv("DOCKER_CONFIG"); dir != "" {
		return filepath.Join(dir, "config.json"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find docker config: %w", err)
	}
	return filepath.Join(home, ".docker", "config.json"), nil
}

// dockerConfigFile is the part of ~/.docker/config.json that holds logins.
type dockerConfigFile struct {
	Auths       map[string]dockerAuth `json:"auths"`
	CredsStore  string                `json:"credsStore"`
	CredHelpers map[string]string     `json:"credHelpers"`
}

type dockerAuth struct {
	Auth     string `json:"auth"`
	Username string `json:"username"`
	Password string `json:"password"`
}

// hubRegistryKeys are the names the Docker CLI may file a Docker Hub login
// under, most canonical first.
func hubRegistryKeys() []string {
	return []string{DockerHubServerURL, "index.docker.io", "hub.docker.com", "registry-1.docker.io", "docker.io"}
}

// registryKeys returns the config keys to look up for hubURL and the server
// URL to ask a helper about. Docker Hub's login is used only for Docker Hub:
// another hub_url (the simulator, say) matches only entries for its own host.
func registryKeys(hubURL string) (keys []string, serverURL string) {
	if hubURL == "" {
		hubURL = DefaultHubURL
	}
	u, err := url.Parse(hubURL)
	if err != nil || u.Host == "" {
		return nil, ""
	}
	switch strings.ToLower(u.Hostname()) {
	case "hub.docker.com", "docker.io", "index.docker.io", "registry-1.docker.io":
		return hubRegistryKeys(), DockerHubServerURL
	}
	trimmed := strings.TrimRight(hubURL, "/")
	return []string{trimmed, trimmed + "/", u.Host}, trimmed
}

// FromDocker finds the Docker CLI's login for hubURL in the config file at
// dockerConfigPath ("" for DockerConfigPath(os.Getenv)). It tries, in order,
// a credHelpers entry for the Hub's registry names, the credsStore helper,
// and an auths entry's base64 "user:password". run may be nil for
// ExecHelper. A missing file, or helpers that report "credentials not
// found", give ok false and no error.
func FromDocker(dockerConfigPath string, hubURL string, run HelperRunner) (cred Credential, ok bool, err error) {
	return fromDocker(context.Background(), dockerConfigPath, hubURL, run)
}

func fromDocker(ctx context.Context, path, hubURL string, run HelperRunner) (Credential, bool, error) {
	if path == "" {
		p, err := DockerConfigPath(nil)
		if err != nil {
			return Credential{}, false, err
		}
		path = p
	}
	keys, serverURL := registryKeys(hubURL)
	if len(keys) == 0 {
		return Credential{}, false, nil
	}
	cf, err := readDockerConfig(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Credential{}, false, nil
	}
	if err != nil {
		return Credential{}, false, err
	}

	for _, k := range keys {
		if helper := cf.CredHelpers[k]; helper != "" {
			if err := checkHelperName(helper); err != nil {
				return Credential{}, false, fmt.Errorf("read docker config %s: credHelpers entry %q: %w", path, k, err)
			}
			cred, ok, err := helperGet(ctx, run, helper, serverURL)
			if err != nil || ok {
				return cred, ok, err
			}
			break
		}
	}
	if cf.CredsStore != "" {
		if err := checkHelperName(cf.CredsStore); err != nil {
			return Credential{}, false, fmt.Errorf("read docker config %s: credsStore: %w", path, err)
		}
		cred, ok, err := helperGet(ctx, run, cf.CredsStore, serverURL)
		if err != nil || ok {
			return cred, ok, err
		}
	}
	for _, k := range keys {
		a, found := cf.Auths[k]
		if !found {
			continue
		}
		user, pass, err := a.decode()
		if err != nil {
			return Credential{}, false, fmt.Errorf("read docker config %s: auths entry %q: %w", path, k, err)
		}
		if user != "" && pass != "" {
			return Credential{Username: user, Secret: pass, Source: SourceDockerConfig}, true, nil
		}
	}
	return Credential{}, false, nil
}

func readDockerConfig(path string) (*dockerConfigFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read docker config %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxDockerConfigSize+1))
	if err != nil {
		return nil, fmt.Errorf("read docker config %s: %w", path, err)
	}
	if len(data) > maxDockerConfigSize {
		return nil, fmt.Errorf("read docker config %s: larger than %d bytes", path, maxDockerConfigSize)
	}
	var cf dockerConfigFile
	if len(bytes.TrimSpace(data)) == 0 {
		return &cf, nil
	}
	if err := json.Unmarshal(data, &cf); err != nil {
		// json errors quote at most a type name or offset, never the content.
		return nil, fmt.Errorf("read docker config %s: %w", path, err)
	}
	return &cf, nil
}

// decode returns the user name and password of an auths entry.
func (a dockerAuth) decode() (user, pass string, err error) {
	if a.Auth == "" {
		return a.Username, a.Password, nil
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(a.Auth))
	if err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(strings.TrimSpace(a.Auth), "="))
		if err != nil {
			return "", "", errors.New(`"auth" is not valid base64`)
		}
	}
	user, pass, found := strings.Cut(string(raw), ":")
	if !found {
		return "", "", errors.New(`"auth" does not hold "user:password"`)
	}
	return user, strings.TrimRight(pass, "\x00"), nil
}

// ResolveOptions says where Resolve looks. The zero value looks in the
// process environment and the Docker CLI login for Docker Hub.
type ResolveOptions struct {
	// HubURL is the Hub the credential is for: the context's hub_url, or
	// the one given at launch; "" means DefaultHubURL.
	HubURL string
	// EnvHubURL is the Hub URL given at launch (--hub-url or
	// HUBTUI_HUB_URL), "" when none was. HUBTUI_USERNAME/HUBTUI_TOKEN go
	// only to Docker Hub (https://hub.docker.com) and to this Hub, unless
	// UseEnvCredentials is set: any other hub_url, such as a loopback port
	// another user of the machine may have bound, gets none.
	EnvHubURL string
	// UseEnvCredentials sends HUBTUI_USERNAME/HUBTUI_TOKEN to HubURL
	// whatever it is (the context's use_env_credentials).
	UseEnvCredentials bool
	// Username is the context's username. It fills in a missing
	// HUBTUI_USERNAME when HUBTUI_TOKEN is set, and a Docker login for a
	// different user is passed over.
	Username string
	// Secret is the context's secret setting (see ParseSecret); "" is auto.
	Secret string
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
	// DockerConfig is the Docker config file; "" means DockerConfigPath(Getenv).
	DockerConfig string
	// Run runs credential helpers; nil means ExecHelper.
	Run HelperRunner
}

// ResolveOptions returns the options that resolve this context's
// credential. The caller sets EnvHubURL to the Hub URL given at launch.
func (c Context) ResolveOptions() ResolveOptions {
	return ResolveOptions{HubURL: c.HubURL, Username: c.Username, Secret: c.Secret, UseEnvCredentials: c.UseEnvCredentials}
}

// EnvNotForHubError says that HUBTUI_USERNAME/HUBTUI_TOKEN were set but not
// sent, because HubURL is neither Docker Hub nor the Hub URL given at
// launch and the context does not ask for them.
type EnvNotForHubError struct {
	HubURL string
}

// Error explains the rule and how to send the credentials anyway.
func (e *EnvNotForHubError) Error() string {
	return fmt.Sprintf("%s and %s are sent only to Docker Hub or to the --hub-url (HUBTUI_HUB_URL) given at launch, not to %s; "+
		"add use_env_credentials: true to the context to send them there", EnvUsername, EnvToken, e.HubURL)
}

// envCredentialsAllowed reports whether HUBTUI_USERNAME/HUBTUI_TOKEN may be
// sent to hubURL.
func envCredentialsAllowed(opts ResolveOptions, hubURL string) bool {
	return opts.UseEnvCredentials || isDockerHub(hubURL) || opts.EnvHubURL != "" && sameHub(opts.EnvHubURL, hubURL)
}

// isDockerHub reports whether hubURL is Docker Hub's own API,
// https://hub.docker.com (any case, default port, any path).
func isDockerHub(hubURL string) bool {
	u, err := url.Parse(hubURL)
	if err != nil || !strings.EqualFold(u.Scheme, "https") || u.User != nil {
		return false
	}
	return strings.EqualFold(u.Hostname(), "hub.docker.com") && (u.Port() == "" || u.Port() == "443")
}

// sameHub reports whether a and b name the same Hub: the same scheme, host
// and port (a missing port being the scheme's default) and the same path
// but for a trailing slash. Host names are compared as written:
// localhost and 127.0.0.1 are different Hubs.
func sameHub(a, b string) bool {
	ua, err := url.Parse(a)
	if err != nil {
		return false
	}
	ub, err := url.Parse(b)
	if err != nil {
		return false
	}
	port := func(u *url.URL) string {
		if p := u.Port(); p != "" {
			return p
		}
		switch strings.ToLower(u.Scheme) {
		case "http":
			return "80"
		case "https":
			return "443"
		}
		return ""
	}
	return ua.Host != "" && strings.EqualFold(ua.Scheme, ub.Scheme) && strings.EqualFold(ua.Hostname(), ub.Hostname()) &&
		port(ua) == port(ub) && strings.TrimRight(ua.Path, "/") == strings.TrimRight(ub.Path, "/")
}

// Resolve finds the credential to sign in with, following the context's
// secret setting. For auto it tries the environment (FromEnv), then the
// Docker CLI login (FromDocker); env, docker and keyring-helper NAME try only
// that source; prompt tries none. The environment is tried only for Docker
// Hub, the Hub URL given at launch, or a context that asks for it (see
// ResolveOptions.EnvHubURL); when it is set but passed over and nothing
// else is found, the error is an *EnvNotForHubError. ok false with a nil
// error means nothing was found and the UI should ask. A non-nil error
// means a source is configured but broken (a helper that fails, an
// unreadable Docker config) or passed over; the caller may report it and
// still ask.
func Resolve(ctx context.Context, opts ResolveOptions) (cred Credential, ok bool, err error) {
	spec, err := ParseSecret(opts.Secret)
	if err != nil {
		return Credential{}, false, fmt.Errorf("resolve credential: %w", err)
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	hubURL := opts.HubURL
	if hubURL == "" {
		hubURL = DefaultHubURL
	}
	tryEnv := spec.Kind == SecretAuto || spec.Kind == SecretEnv
	tryDocker := spec.Kind == SecretAuto || spec.Kind == SecretDocker

	var passedOver error
	if tryEnv && !envCredentialsAllowed(opts, hubURL) {
		tryEnv = false
		if strings.TrimSpace(getenv(EnvToken)) != "" {
			passedOver = &EnvNotForHubError{HubURL: hubURL}
		}
		if spec.Kind == SecretEnv {
			return Credential{}, false, passedOver
		}
	}
	if tryEnv {
		if cred, ok := FromEnv(getenv); ok {
			return cred, true, nil
		}
		if token := strings.TrimSpace(getenv(EnvToken)); token != "" && opts.Username != "" && strings.TrimSpace(getenv(EnvUsername)) == "" {
			return Credential{Username: opts.Username, Secret: token, Source: SourceEnv}, true, nil
		}
	}
	if err := ctx.Err(); err != nil {
		return Credential{}, false, err
	}

	var found bool
	switch {
	case tryDocker:
		path := opts.DockerConfig
		if path == "" {
			if path, err = DockerConfigPath(getenv); err != nil {
				return Credential{}, false, err
			}
		}
		cred, found, err = fromDocker(ctx, path, hubURL, opts.Run)
		if err != nil {
			return Credential{}, false, fmt.Errorf("docker login: %w", err)
		}
	case spec.Kind == SecretKeyringHelper:
		_, serverURL := registryKeys(hubURL)
		if serverURL == "" {
			return Credential{}, false, nil
		}
		cred, found, err = helperGet(ctx, opts.Run, spec.Helper, serverURL)
		if err != nil {
			return Credential{}, false, err
		}
	}
	if !found {
		return Credential{}, false, passedOver
	}
	if opts.Username != "" && !strings.EqualFold(cred.Username, opts.Username) {
		// Another account's login: signing in as it would surprise.
		return Credential{}, false, passedOver
	}
	return cred, true, nil
}

// SaveTarget names the credential helper a sign-in for hubURL can be saved
// to — the Docker config's credHelpers entry for the Hub, else its
// credsStore — and the server URL to file it under. helper is "" when the
// Docker config names none; secrets are never written to a plain file.
func SaveTarget(dockerConfigPath, hubURL string) (helper, serverURL string, err error) {
	if dockerConfigPath == "" {
		if dockerConfigPath, err = DockerConfigPath(nil); err != nil {
			return "", "", err
		}
	}
	keys, serverURL := registryKeys(hubURL)
	if len(keys) == 0 {
		return "", "", nil
	}
	cf, err := readDockerConfig(dockerConfigPath)
	if errors.Is(err, fs.ErrNotExist) {
		return "", "", nil
	}
	if err != nil {
		return "", "", err
	}
	for _, k := range keys {
		if h := cf.CredHelpers[k]; h != "" {
			return h, serverURL, checkHelperName(h)
		}
	}
	if cf.CredsStore != "" {
		return cf.CredsStore, serverURL, checkHelperName(cf.CredsStore)
	}
	return "", serverURL, nil
}
