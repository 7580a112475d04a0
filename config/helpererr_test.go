package config

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// leakyHelperScript prints a login on stdout and then fails, with words
// and terminal escapes on stderr.
const leakyHelperScript = `#!/bin/sh
cat >/dev/null
printf '{"ServerURL":"https://index.docker.io/v1/","Username":"alice","Secret":"` + testSecret + `"}\n'
printf 'keychain \033[31mis locked\033[0m\n\n  ask your admin\033]0;pwned\007\n' >&2
exit 1
`

// TestFailingHelperErrorShowsOnlyItsStderr: a failing helper's stdout can
// hold the secret, so the error names the helper and quotes only its
// stderr, cleaned of control characters and trimmed.
func TestFailingHelperErrorShowsOnlyItsStderr(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake helper is a shell script")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "docker-credential-leaky"), []byte(leakyHelperScript), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))

	check := func(what string, err error) {
		t.Helper()
		if err == nil {
			t.Fatalf("%s: no error from a failing helper", what)
		}
		msg := err.Error()
		if strings.Contains(msg, testSecret) || strings.Contains(msg, "SUPERSECRET") || strings.Contains(msg, "ServerURL") {
			t.Errorf("%s: the error quotes the helper's stdout: %q", what, msg)
		}
		if !strings.Contains(msg, "docker-credential-leaky") {
			t.Errorf("%s: the error does not name the helper: %q", what, msg)
		}
		if !strings.Contains(msg, "keychain is locked ask your admin") {
			t.Errorf("%s: the error lacks the helper's stderr: %q", what, msg)
		}
		if strings.ContainsAny(msg, "\x1b\x07\n\r") || strings.Contains(msg, "pwned") {
			t.Errorf("%s: the error holds control characters or an escape sequence: %q", what, msg)
		}
	}

	_, err := ExecHelper(context.Background(), "leaky", []string{"get"}, []byte(DockerHubServerURL))
	check("ExecHelper", err)
	var he *helperError
	if !errors.As(err, &he) {
		t.Errorf("ExecHelper error is %T", err)
	}
	_, _, err = Resolve(context.Background(), ResolveOptions{Secret: "keyring-helper leaky", Getenv: envMap(nil)})
	check("Resolve", err)
	cfg := writeDockerConfig(t, map[string]any{"credsStore": "leaky"})
	_, _, err = FromDocker(cfg, "", nil)
	check("FromDocker", err)
	check("Store", Store("leaky", nil, DockerHubServerURL, "alice", "other-secret"))
}

func TestHelperWords(t *testing.T) {
	for in, want := range map[string]string{
		"":                                     "",
		"  locked \n":                          "locked",
		"a\r\nb\tc":                            "a b c",
		"\x1b[1mbold\x1b[0m":                   "bold",
		"x\u202eevil":                          "xevil",
		strings.Repeat("é", 400):               strings.Repeat("é", maxHelperWords) + "…",
		"\x1b]8;;http://x\x07link\x1b]8;;\x07": "link",
	} {
		if got := helperWords(in); got != want {
			t.Errorf("helperWords(%q) = %q, want %q", in, got, want)
		}
	}
}
