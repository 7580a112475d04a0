package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/config"
	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui"
)

func noEnv(string) string { return "" }

func runArgs(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb, noEnv)
	return code, out.String(), errb.String()
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("theme: dark\npage_sise: 10\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	badKeys := filepath.Join(dir, "keys.yaml")
	if err := os.WriteFile(badKeys, []byte("keys:\n  fly: [f]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	badKeyName := filepath.Join(dir, "keyname.yaml")
	if err := os.WriteFile(badKeyName, []byte("theme: dark\nkeys:\n  quit: [q, ctrl+zz]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--version"}, 0, "hubtui " + hubclient.Version},
		{[]string{"export", "audit", "--help"}, 0, "usage: hubtui export audit --org ORG"},
		{[]string{"--no-such-flag"}, 2, "flag provided but not defined: -no-such-flag"},
		{[]string{"extra"}, 2, `unexpected argument "extra"`},
		{[]string{"--config", bad}, 2, bad + ":2:"},
		{[]string{"--config", badKeys}, 2, badKeys + `:2: keys.fly: unknown action "fly"`},
		{[]string{"--config", filepath.Join(dir, "missing.yaml")}, 2, "read config " + filepath.Join(dir, "missing.yaml") + ": no such file or directory"},
		{[]string{"--config", dir}, 2, dir + ": this is a directory"},
		{[]string{"--demo", "--context", "nope"}, 2, "--context cannot be used with --demo"},
		{[]string{"--demo", "--hub-url", "http://127.0.0.1:1"}, 2, "--hub-url cannot be used with --demo"},
		{[]string{"export", "repos", "--demo", "--context", "nope"}, 2, "--context cannot be used with --demo"},
		{[]string{"export", "repos", "--config", filepath.Join(dir, "missing.yaml")}, 2, "read config " + filepath.Join(dir, "missing.yaml")},
		{[]string{"--config", badKeyName}, 2, badKeyName + `:3: keys.quit: "ctrl+zz" is not a key`},
		{[]string{"--hub-url", "http://hub.example.com"}, 2, "--hub-url"},
		{[]string{"export"}, 2, "hubtui export repos --org ORG"},
		{[]string{"export", "repos", "--demo", "--format", "xml"}, 2, `--format "xml"`},
		{[]string{"config"}, 2, "usage: hubtui config init"},
		{[]string{"--demo-activity", "5"}, 2, "--demo-activity needs --demo"},
		{[]string{"--demo", "--demo-activity", "-1"}, 2, "--demo-activity -1: between 0 and"},
		{[]string{"export", "audit", "--demo", "--demo-activity", "1e6"}, 2, "between 0 and 2000"},
	}
	for _, c := range cases {
		code, out, errs := runArgs(t, c.args...)
		if code != c.code || !strings.Contains(out+errs, c.want) {
			t.Errorf("hubtui %v: exit %d, output %q%q; want exit %d containing %q", c.args, code, out, errs, c.code, c.want)
		}
	}
}

func TestConfigInitWritesPrivateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hubtui", "config.yaml")
	if code, _, errs := runArgs(t, "config", "init", "--config", path); code != 0 {
		t.Fatalf("config init: %d %s", code, errs)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("stat %v mode %v", err, st.Mode())
	}
	code, _, errs := runArgs(t, "config", "init", "--config", path)
	if code != 2 || !strings.Contains(errs, path+" already exists") || !strings.Contains(errs, "--force") {
		t.Fatalf("a second config init: exit %d, stderr %q; want exit 2 naming the file and --force", code, errs)
	}
	if code, _, errs := runArgs(t, "config", "init", "--force", "--config", path); code != 0 {
		t.Fatalf("config init --force: exit %d, %s", code, errs)
	}
}

func TestExportReposFormats(t *testing.T) {
	code, out, errs := runArgs(t, "export", "repos", "--demo")
	if code != 0 {
		t.Fatalf("export csv: %d %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 61 || rows[0][1] != "name" {
		t.Fatalf("csv has %d rows, header %v", len(rows), rows[0])
	}
	if errs != "" {
		t.Fatalf("progress written to a non-terminal stderr: %q", errs)
	}
	code, out, _ = runArgs(t, "export", "repos", "--demo", "--format", "json")
	var repos []hubclient.Repository
	if code != 0 || json.Unmarshal([]byte(out), &repos) != nil || len(repos) != 60 {
		t.Fatalf("json: exit %d, %d repos", code, len(repos))
	}
	code, out, _ = runArgs(t, "export", "repos", "--demo", "--format", "jsonl")
	if lines := strings.Count(out, "\n"); code != 0 || lines != 60 {
		t.Fatalf("jsonl: exit %d, %d lines", code, lines)
	}
	code, _, errs = runArgs(t, "export", "repos", "--demo", "--org", "nosuchorg")
	if code != 1 || !strings.Contains(errs, "nosuchorg") {
		t.Fatalf("export of a missing org: exit %d, %q", code, errs)
	}
}

func TestFlagErrorsAreSaidOnce(t *testing.T) {
	code, _, errs := runArgs(t, "export", "repos", "--demo", "--format")
	if code != 2 || strings.Count(errs, "flag needs an argument") != 1 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}

// TestDefaultKeysPassTheConfigCheck keeps the config file's key-name check
// and the built-in key map in step: a default key written in the file must
// be accepted.
func TestDefaultKeysPassTheConfigCheck(t *testing.T) {
	for _, b := range ui.DefaultKeymap().Bindings() {
		for _, k := range b.Keys {
			if err := config.CheckKey(k); err != nil {
				t.Errorf("default key of %s: %v", b.Action, err)
			}
		}
	}
}

// envOf returns a getenv that knows only m, with DOCKER_CONFIG pointing at
// an empty directory so no real Docker login is found.
func envOf(t *testing.T, m map[string]string) func(string) string {
	t.Helper()
	dockerDir := t.TempDir()
	return func(k string) string {
		if k == "DOCKER_CONFIG" {
			if v, ok := m[k]; ok {
				return v
			}
			return dockerDir
		}
		return m[k]
	}
}

func runEnv(t *testing.T, getenv func(string) string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb, getenv)
	return code, out.String(), errb.String()
}

func TestConfigFileOthersCanChangeIsWarnedAbout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("theme: dark\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o666); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runEnv(t, envOf(t, nil), "export", "repos", "--org", "acme", "--config", path)
	want := "hubtui: warning: " + path + " can be changed by other users (mode 0666)"
	if code != 2 || !strings.Contains(errs, want) {
		t.Fatalf("exit %d, stderr %q; want exit 2 (no credentials) and %q", code, errs, want)
	}
}
