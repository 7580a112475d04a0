package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/adrg/xdg"
)

const goodConfig = `current_context: work
contexts:
  - name: work
    hub_url: https://hub.docker.com/
    username: alice
    org: acme
    readonly: false
    secret: env
  - name: sim
    hub_url: http://127.0.0.1:8080
    readonly: true
    secret: keyring-helper pass
  - name: six
    hub_url: http://[::1]:9000/api/
    org: 2024
    secret: prompt
theme: dark
page_size: 50
audit_poll_interval: 1m30s
keys:
  quit: [q, ctrl+c]
  help: ["?"]
  sort: []
`

func TestParseGood(t *testing.T) {
	cfg, err := Parse("good.yaml", []byte(goodConfig))
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		File:           "good.yaml",
		CurrentContext: "work",
		Contexts: []Context{
			{Name: "work", HubURL: "https://hub.docker.com", Username: "alice", Org: "acme", Secret: "env"},
			{Name: "sim", HubURL: "http://127.0.0.1:8080", ReadOnly: true, Secret: "keyring-helper pass"},
			{Name: "six", HubURL: "http://[::1]:9000/api", Org: "2024", Secret: "prompt"},
		},
		Theme:             "dark",
		PageSize:          50,
		AuditPollInterval: 90 * time.Second,
		Audit:             DefaultAudit(),
		Keys:              map[string][]string{"quit": {"q", "ctrl+c"}, "help": {"?"}, "sort": {}},
		KeyLines:          map[string]int{"quit": 21, "help": 22, "sort": 23},
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("Parse:\n got %#v\nwant %#v", cfg, want)
	}
}

func TestParseDefaults(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"empty", ""},
		{"comments only", "# nothing here\n"},
		{"empty document", "---\n"},
		{"empty values", "current_context:\ncontexts:\ntheme:\npage_size:\naudit_poll_interval:\nkeys:\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("c.yaml", []byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			want := Default()
			want.File = "c.yaml"
			if !reflect.DeepEqual(cfg, want) {
				t.Errorf("got %#v, want %#v", cfg, want)
			}
		})
	}
}

func TestParseContextDefaults(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte("contexts:\n  - name: a\n  - name: b\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.CurrentContext != "a" {
		t.Errorf("CurrentContext = %q, want the first context", cfg.CurrentContext)
	}
	want := Context{Name: "b", HubURL: DefaultHubURL, Secret: SecretAuto}
	if got := cfg.Contexts[1]; got != want {
		t.Errorf("context b = %#v, want %#v", got, want)
	}
}

func TestParseAliases(t *testing.T) {
	in := `base: &k [q, ctrl+c]
`
	if _, err := Parse("c.yaml", []byte(in)); err == nil || !strings.Contains(err.Error(), `unknown key "base"`) {
		t.Fatalf("want unknown key error, got %v", err)
	}
	in = `keys:
  quit: &k [q, ctrl+c]
  exit: *k
`
	cfg, err := Parse("c.yaml", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Keys["exit"]; !reflect.DeepEqual(got, []string{"q", "ctrl+c"}) {
		t.Errorf("keys.exit = %q", got)
	}
}

// TestParseErrors checks the exact file:line and the words of each kind of
// mistake.
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		line int
		msg  string // substring of Error.Msg
	}{
		// Unknown keys.
		{"unknown top-level key", "theme: dark\nthem: light\n", 2, `unknown key "them" in the top level; did you mean "theme"?`},
		{"unknown key lists known", "theme: dark\nfavourite_colour: red\n", 2, "known keys are current_context, contexts, theme, page_size, audit_poll_interval, audit, keys"},
		{"unknown context key", "contexts:\n  - name: work\n    organisation: acme\n", 3, `unknown key "organisation" in context "work"`},
		{"unknown key in unnamed context", "contexts:\n  - hub: x\n", 2, `unknown key "hub" in context 1`},
		{"duplicate key", "theme: dark\npage_size: 5\ntheme: light\n", 3, `key "theme" appears twice in the top level (first on line 1)`},
		{"merge key", "contexts:\n  - name: a\n    <<: {org: b}\n", 3, "merge keys (<<) are not supported"},
		{"list as key", "[a]: b\n", 1, "keys must be plain names"},

		// Wrong types.
		{"top level is a list", "- theme: dark\n", 1, "the top level must be a mapping of key: value lines, not a list"},
		{"top level is text", "hello\n", 1, `the top level must be a mapping of key: value lines, not "hello"`},
		{"contexts is a mapping", "contexts:\n  name: a\n", 2, "contexts must be a list of contexts"},
		{"context is text", "contexts:\n  - work\n", 2, `context 1 must be a mapping with name`},
		{"page_size quoted", "page_size: \"100\"\n", 1, `page_size must be a whole number from 1 to 100, not "100"`},
		{"page_size float", "page_size: 1.5\n", 1, "not the number 1.5"},
		{"page_size list", "\npage_size: [1]\n", 2, "not a list"},
		{"readonly yes", "contexts:\n  - name: a\n    readonly: yes\n", 3, `readonly must be true or false, not "yes"`},
		{"readonly number", "contexts:\n  - name: a\n    readonly: 1\n", 3, "readonly must be true or false, not the number 1"},
		{"username bool", "contexts:\n  - name: a\n    username: true\n", 3, `username must be text, not "true"`},
		{"org mapping", "contexts:\n  - name: a\n    org:\n      x: y\n", 4, "org must be text, not a mapping"},
		{"theme list", "theme: [dark]\n", 1, "theme must be text, not a list"},
		{"keys list", "keys: [q]\n", 1, "keys must be a mapping of key: value lines, not a list"},
		{"keys action text", "keys:\n  quit: q\n", 2, `keys.quit must be a list of keys, such as [q, ctrl+c], not "q"`},
		{"keys action empty", "keys:\n  quit:\n", 2, "keys.quit needs a list of keys"},
		{"keys nested list", "keys:\n  quit: [q, [x]]\n", 2, "keys.quit holds a list"},
		{"poll interval number", "audit_poll_interval: 5\n", 1, "audit_poll_interval must be a duration with a unit, such as 5s or 1m, not the number 5"},

		// Bad values.
		{"page_size zero", "page_size: 0\n", 1, "page_size must be a whole number from 1 to 100, not the number 0"},
		{"page_size too big", "page_size: 101\n", 1, "not the number 101"},
		{"page_size huge", "page_size: 99999999999999999999999\n", 1, "not the number 99999999999999999999999"},
		{"poll interval garbage", "audit_poll_interval: soon\n", 1, `such as 5s or 1m, not "soon"`},
		{"poll interval short", "audit_poll_interval: 500ms\n", 1, "audit_poll_interval must be at least 1s, not 500ms"},
		{"poll interval negative", "audit_poll_interval: -5s\n", 1, "at least 1s, not -5s"},
		{"theme unknown", "theme: blue\n", 1, `theme must be auto, dark, light or mono, not "blue"`},
		{"http to remote host", "contexts:\n  - name: a\n    hub_url: http://hub.docker.com\n", 3, "hub_url must start with https://; plain http:// is allowed only for 127.0.0.1, localhost and ::1"},
		{"http to 10.0.0.1", "contexts:\n  - name: a\n    hub_url: http://10.0.0.1:8080\n", 3, "plain http:// is allowed only"},
		{"ftp", "contexts:\n  - name: a\n    hub_url: ftp://hub.docker.com\n", 3, "hub_url must start with https://, not ftp://"},
		{"no scheme", "contexts:\n  - name: a\n    hub_url: hub.docker.com\n", 3, "hub_url must be a full URL starting with https://"},
		{"no host", "contexts:\n  - name: a\n    hub_url: https:///v2\n", 3, "hub_url has no host name"},
		{"user in URL", "contexts:\n  - name: a\n    hub_url: https://bob:hunter2@hub.docker.com\n", 3, "hub_url must not hold a user name or password"},
		{"query in URL", "contexts:\n  - name: a\n    hub_url: https://hub.docker.com/?x=1\n", 3, "must not have a query"},
		{"bad URL", "contexts:\n  - name: a\n    hub_url: \"https://hub docker.com:x\"\n", 3, "hub_url is not a valid URL"},
		{"secret unknown", "contexts:\n  - name: a\n    secret: vault\n", 3, `secret must be auto, env, docker, keyring-helper NAME or prompt, not "vault"`},
		{"keyring-helper no name", "contexts:\n  - name: a\n    secret: keyring-helper\n", 3, "secret keyring-helper needs one helper name"},
		{"keyring-helper bad name", "contexts:\n  - name: a\n    secret: keyring-helper bin/sh\n", 3, "may hold only letters, digits"},
		{"context without name", "contexts:\n  - name: a\n  - org: acme\n", 3, "context 2 has no name"},
		{"context with empty name", "contexts:\n  - name: \"\"\n", 2, "context 1 has no name"},
		{"context name with space", "contexts:\n  - name: my work\n", 2, `context "my work" name "my work" must not contain spaces`},
		{"duplicate context", "contexts:\n  - name: work\n  - name: home\n  - name: work\n", 4, `context name "work" is used twice (first on line 2)`},
		{"current context missing", "current_context: wrok\ncontexts:\n  - name: work\n  - name: home\n", 1, `current_context "wrok" is not one of the contexts defined (work, home)`},
		{"current context without contexts", "\ncurrent_context: work\n", 2, `current_context is "work" but no contexts are defined`},
		{"empty action name", "keys:\n  \"\": [q]\n", 2, "keys has an empty action name"},
		{"empty key name", "keys:\n  quit: [q, \" \"]\n", 2, "keys.quit has an empty key name"},
		{"null key name", "keys:\n  quit:\n    - q\n    - ~\n", 4, "keys.quit holds an empty value"},

		// YAML syntax.
		{"tab indent", "theme: dark\n\tpage_size: 5\n", 2, "found a tab character that violates indentation; indent with spaces, not tabs"},
		{"bad indent", "contexts:\n  - name: a\n    org: b\n   readonly: true\n", 4, "did not find expected '-' indicator"},
		{"bad indent mapping", "a:\n  - b\n c: d\n", 3, "did not find expected key"},
		{"unclosed flow list", "theme: dark\nkeys:\n  help: [?]\n", 3, "did not find expected ',' or ']'"},
		{"unclosed quote", "theme: dark\norg: \"acme\n", 2, "found unexpected end of stream"},
		{"control character", "theme: dark\npage_size: 5\x01\n", 2, "control characters are not allowed"},
		{"bad UTF-8", "theme: dark\r\npage_size: 5\r\ntheme: \xff\n", 3, "invalid leading UTF-8 octet"},
		{"unknown anchor", "theme: dark\nkeys:\n  quit: *nope\n", 3, "unknown anchor 'nope' referenced"},
		{"self-referencing alias", "keys:\n  quit: &a [q, *a]\n", 2, "keys.quit holds a list"},
		{"two documents", "theme: dark\n---\ntheme: light\n", 2, "a second YAML document starts here"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("conf.yaml", []byte(tc.in))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("want *Error, got %T %v", err, err)
			}
			if e.File != "conf.yaml" || e.Line != tc.line {
				t.Errorf("at %s:%d, want conf.yaml:%d (%v)", e.File, e.Line, tc.line, err)
			}
			if !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("message %q lacks %q", e.Msg, tc.msg)
			}
			if want := "conf.yaml:" + strconv.Itoa(tc.line) + ": " + e.Msg; err.Error() != want {
				t.Errorf("Error() = %q, want %q", err.Error(), want)
			}
		})
	}
}

func TestErrorNeverEchoesURLPassword(t *testing.T) {
	_, err := Parse("c.yaml", []byte("contexts:\n  - name: a\n    hub_url: https://bob:hunter2@hub.docker.com\n"))
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("error %v must exist and not show the password", err)
	}
}

func TestErrorFormat(t *testing.T) {
	for _, tc := range []struct {
		e    Error
		want string
	}{
		{Error{File: "a.yaml", Line: 3, Msg: "bad"}, "a.yaml:3: bad"},
		{Error{File: "a.yaml", Msg: "bad"}, "a.yaml: bad"},
		{Error{Line: 3, Msg: "bad"}, "line 3: bad"},
		{Error{Msg: "bad"}, "bad"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("%#v.Error() = %q, want %q", tc.e, got, tc.want)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(goodConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.File != path || cfg.CurrentContext != "work" {
		t.Errorf("Load = %+v", cfg)
	}

	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("theme: dark\npage_size: 0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Load(bad)
	if want := bad + ":2: page_size must be a whole number from 1 to 100, not the number 0"; err == nil || err.Error() != want {
		t.Errorf("Load(bad) = %v, want %s", err, want)
	}

	_, err = Load(filepath.Join(dir, "missing.yaml"))
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "read config ") {
		t.Errorf("Load(missing) = %v, want a wrapped not-exist error", err)
	}

	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte(strings.Repeat("#", MaxFileSize+1)), 0o600); err != nil {
		t.Fatal(err)
	}
	var e *Error
	if _, err := Load(big); !errors.As(err, &e) {
		t.Errorf("Load(big) = %v, want *Error", err)
	}
}

// setXDG points the XDG config directories at fresh temporary ones.
func setXDG(t *testing.T) (home, dirs string) {
	t.Cleanup(xdg.Reload) // runs after t.Setenv restores the variables
	home, dirs = t.TempDir(), t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", home)
	t.Setenv("XDG_CONFIG_DIRS", dirs)
	xdg.Reload()
	return home, dirs
}

func TestDefaultPathAndLoadDefault(t *testing.T) {
	home, dirs := setXDG(t)

	cfg, err := LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg, Default()) {
		t.Errorf("LoadDefault without a file = %#v, want Default()", cfg)
	}
	if _, err := os.Stat(filepath.Join(home, "hubtui")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadDefault created the config directory (stat: %v)", err)
	}

	// A system-wide file is found when the user has none.
	sys := filepath.Join(dirs, "hubtui", "config.yaml")
	if err := os.MkdirAll(filepath.Dir(sys), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sys, []byte("theme: mono\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if cfg, err := LoadDefault(); err != nil || cfg.Theme != ThemeMono || cfg.File != sys {
		t.Errorf("LoadDefault with a system file = %+v, %v", cfg, err)
	}

	path, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(home, "hubtui", "config.yaml"); path != want {
		t.Errorf("DefaultPath = %q, want %q", path, want)
	}
	if err := os.WriteFile(path, []byte("theme: light\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if cfg, err := LoadDefault(); err != nil || cfg.Theme != ThemeLight || cfg.File != path {
		t.Errorf("LoadDefault with a user file = %+v, %v", cfg, err)
	}

	if err := os.WriteFile(path, []byte("theme: purple\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadDefault(); err == nil || !strings.HasPrefix(err.Error(), path+":1: ") {
		t.Errorf("LoadDefault with a bad file = %v", err)
	}
}

func TestConfigContext(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte(goodConfig))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, want, err string
	}{
		{"", "work", ""},
		{"sim", "sim", ""},
		{"nope", "", `no context named "nope"; known contexts: work, sim, six`},
	} {
		c, err := cfg.Context(tc.name)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("Context(%q) error = %v, want %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil || c.Name != tc.want {
			t.Errorf("Context(%q) = %q, %v; want %q", tc.name, c.Name, err, tc.want)
		}
	}

	empty := Default()
	if c, err := empty.Context(""); err != nil || c != DefaultContext() {
		t.Errorf("Default().Context(\"\") = %+v, %v; want DefaultContext()", c, err)
	}
	if _, err := empty.Context("work"); err == nil {
		t.Error("Default().Context(\"work\") succeeded")
	}
	noCurrent := &Config{Contexts: []Context{{Name: "a"}, {Name: "b"}}}
	if c, _ := noCurrent.Context(""); c.Name != "a" {
		t.Errorf("Context(\"\") without a current context = %q, want the first", c.Name)
	}
}

func TestParseSecret(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want SecretSpec
		err  bool
	}{
		{"", SecretSpec{Kind: SecretAuto}, false},
		{"auto", SecretSpec{Kind: SecretAuto}, false},
		{"env", SecretSpec{Kind: SecretEnv}, false},
		{"docker", SecretSpec{Kind: SecretDocker}, false},
		{"prompt", SecretSpec{Kind: SecretPrompt}, false},
		{"keyring-helper pass", SecretSpec{Kind: SecretKeyringHelper, Helper: "pass"}, false},
		{"keyring-helper  secret-service_1.0", SecretSpec{Kind: SecretKeyringHelper, Helper: "secret-service_1.0"}, false},
		{"keyring-helper", SecretSpec{}, true},
		{"keyring-helper a b", SecretSpec{}, true},
		{"keyring-helper -x", SecretSpec{}, true},
		{"keyring-helper a/b", SecretSpec{}, true},
		{"Env", SecretSpec{}, true},
		{"env docker", SecretSpec{}, true},
	} {
		got, err := ParseSecret(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParseSecret(%q) = %+v, %v", tc.in, got, err)
		}
		if err == nil {
			if again, _ := ParseSecret(got.String()); again != got {
				t.Errorf("ParseSecret(%q).String() = %q does not round-trip", tc.in, got.String())
			}
		}
	}
}

func TestSyntaxErrorLineInLongFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("theme: dark\ncontexts:\n")
	for i := range 300 {
		b.WriteString("  - name: c" + strconv.Itoa(i) + "\n    org: acme\n")
	}
	b.WriteString("   readonly: true\n") // line 603: one space short
	b.WriteString("page_size: 10\n")
	_, err := Parse("long.yaml", []byte(b.String()))
	var e *Error
	if !errors.As(err, &e) || e.Line != 603 {
		t.Fatalf("got %v, want an error on line 603", err)
	}
}
