// Package config reads hubtui's configuration file and finds the credential
// to sign in with.
//
// The file is YAML and lives at $XDG_CONFIG_HOME/hubtui/config.yaml. It names
// one or more contexts (a Docker Hub account and organization), the colour
// theme, the API page size, the audit-log poll interval, the audit tail's
// buffer, rate share and watch rules, and key binding overrides. Decoding is strict: an unknown key, a value of the wrong type or
// a value out of range is reported as an *Error naming the file and line.
//
// Secrets are never stored in the file. Each context says where its secret
// comes from, and Resolve follows that chain: HUBTUI_USERNAME/HUBTUI_TOKEN,
// then the Docker CLI's login (config.json, credsStore, credHelpers), then
// nothing, which the UI answers with a sign-in screen.
package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/adrg/xdg"
)

// Defaults and limits of the configuration values.
const (
	// DefaultHubURL is the Docker Hub API address used when a context sets no hub_url.
	DefaultHubURL = "https://hub.docker.com"
	// DefaultPageSize is the page_size used when the file sets none.
	DefaultPageSize = 100
	// MaxPageSize is the largest page size Docker Hub accepts.
	MaxPageSize = 100
	// DefaultAuditPollInterval is the audit_poll_interval used when the file sets none.
	DefaultAuditPollInterval = 5 * time.Second
	// MinAuditPollInterval is the shortest audit_poll_interval accepted.
	MinAuditPollInterval = time.Second
	// DefaultContextName names the context used when the file defines none.
	DefaultContextName = "default"
	// RelPath is the config file's path below the XDG config directories.
	RelPath = "hubtui/config.yaml"
	// MaxFileSize is the largest config file Load reads.
	MaxFileSize = 1 << 20
)

// Theme names accepted by the theme key.
const (
	ThemeAuto  = "auto"
	ThemeDark  = "dark"
	ThemeLight = "light"
	ThemeMono  = "mono"
)

// Config is the decoded configuration file.
type Config struct {
	// File is the path the configuration was read from; "" when it holds
	// only defaults because no file exists.
	File string
	// CurrentContext names the context opened at start-up. After Load it
	// always names one of Contexts, or is "" when Contexts is empty.
	CurrentContext string
	// Contexts lists the configured contexts in file order.
	Contexts []Context
	// Theme is one of ThemeAuto, ThemeDark, ThemeLight or ThemeMono.
	Theme string
	// PageSize is the number of rows asked for per API request, 1..MaxPageSize.
	PageSize int
	// AuditPollInterval is how often the audit tail polls; at least MinAuditPollInterval.
	AuditPollInterval time.Duration
	// Audit is the audit: section: the tail's buffer and rate share, and
	// the watch rules.
	Audit Audit
	// Keys maps an action name to the keys that trigger it, replacing the
	// action's default keys. An empty list unbinds the action. Action names
	// are not checked here; the key map that owns them checks them.
	Keys map[string][]string
	// KeyLines is the line of each action under keys:, so a key map that
	// rejects an action can point at it.
	KeyLines map[string]int
	// Warnings are problems with the file that do not stop hubtui but that
	// the user should hear of, such as a file other users can change. Load
	// fills them in; the caller shows them.
	Warnings []string
}

// Context is one Docker Hub account and organization to work with.
type Context struct {
	// Name identifies the context (`:ctx NAME`); unique within the file.
	Name string
	// HubURL is the API base URL without a trailing slash: https, or http
	// to a loopback host.
	HubURL string
	// Username is the Docker ID (or organization name for an organization
	// access token); "" to take it from the credential found.
	Username string
	// Org is the organization opened at start-up; "" to choose in the UI.
	Org string
	// ReadOnly removes every mutating action.
	ReadOnly bool
	// Secret says where the secret comes from: "auto", "env", "docker",
	// "keyring-helper NAME" or "prompt". See ParseSecret.
	Secret string
	// UseEnvCredentials sends HUBTUI_USERNAME/HUBTUI_TOKEN to this
	// context's HubURL even when it is neither Docker Hub nor the Hub URL
	// given at launch (see ResolveOptions.EnvHubURL).
	UseEnvCredentials bool
}

// Error is a problem with a configuration file, located by file and line.
// Line is 1-based; 0 when the problem has no single line (an empty or
// unreadable document).
type Error struct {
	File string
	Line int
	Msg  string
}

// Error formats the problem as "file:line: msg".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		if e.File != "" {
			b.WriteByte(':')
		} else {
			b.WriteString("line ")
		}
		b.WriteString(strconv.Itoa(e.Line))
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Default returns the configuration used when no file exists: no contexts,
// theme auto, page size 100, a 5 s audit poll interval, 50,000 audit
// events in memory, a quarter of the rate budget for the tail and the
// default watch rules.
func Default() *Config {
	return &Config{
		Theme:             ThemeAuto,
		PageSize:          DefaultPageSize,
		AuditPollInterval: DefaultAuditPollInterval,
		Audit:             DefaultAudit(),
	}
}

// DefaultContext returns the context used when the file defines none: Docker
// Hub, no fixed user or organization, secret found automatically.
func DefaultContext() Context {
	return Context{Name: DefaultContextName, HubURL: DefaultHubURL, Secret: SecretAuto}
}

// Load reads and validates the configuration file at path. Problems with
// the file's content are returned as *Error; a missing or unreadable file
// as a wrapped error that matches fs.ErrNotExist or fs.ErrPermission.
//
// Anything but a regular file (a named pipe, a directory, a device) is
// refused with an *Error. A file or directory that other users can change,
// or that belongs to another user, is read but noted in Config.Warnings.
func Load(path string) (*Config, error) {
	f, st, err := openConfig(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, readError(path, err)
	}
	if len(data) > MaxFileSize {
		return nil, &Error{File: path, Msg: fmt.Sprintf("the file is larger than %d bytes; is it the right file?", MaxFileSize)}
	}
	cfg, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	cfg.Warnings = fileWarnings(path, st)
	return cfg, nil
}

// Parse decodes and validates configuration data; name is used as the file
// name in errors. Every error it returns is an *Error.
func Parse(name string, data []byte) (*Config, error) {
	d := &decoder{file: name}
	cfg, err := d.decode(data)
	if err != nil {
		return nil, err
	}
	cfg.File = name
	return cfg, nil
}

// DefaultPath returns the path `hubtui config init` writes to,
// $XDG_CONFIG_HOME/hubtui/config.yaml, creating its parent directory.
func DefaultPath() (string, error) {
	p, err := xdg.ConfigFile(RelPath)
	if err != nil {
		return "", fmt.Errorf("find config path: %w", err)
	}
	return p, nil
}

// LoadDefault loads hubtui/config.yaml from the first XDG config directory
// that has one ($XDG_CONFIG_HOME, then $XDG_CONFIG_DIRS). When no file
// exists it returns Default() and no error. It creates no directories.
func LoadDefault() (*Config, error) {
	path, err := xdg.SearchConfigFile(RelPath)
	if err != nil {
		// SearchConfigFile fails only when no candidate file exists.
		return Default(), nil
	}
	cfg, err := Load(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Default(), nil
	}
	return cfg, err
}

// Context returns the context called name, or the current context when name
// is "" (the first context when none is current). When there are no
// contexts, Context("") returns DefaultContext().
func (c *Config) Context(name string) (Context, error) {
	if c == nil {
		c = Default()
	}
	if name == "" {
		name = c.CurrentContext
	}
	if name == "" {
		if len(c.Contexts) == 0 {
			return DefaultContext(), nil
		}
		return c.Contexts[0], nil
	}
	names := make([]string, 0, len(c.Contexts))
	for _, x := range c.Contexts {
		if x.Name == name {
			return x, nil
		}
		names = append(names, x.Name)
	}
	if len(names) == 0 {
		return Context{}, fmt.Errorf("no context named %q: the configuration defines no contexts", name)
	}
	return Context{}, fmt.Errorf("no context named %q; known contexts: %s", name, strings.Join(names, ", "))
}
