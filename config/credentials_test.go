package config

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

const testSecret = "dckr_pat_SUPERSECRET123"

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestFromEnv(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want Credential
		ok   bool
	}{
		{"both set", map[string]string{EnvUsername: "alice", EnvToken: testSecret}, Credential{"alice", testSecret, "env"}, true},
		{"trimmed", map[string]string{EnvUsername: " alice\n", EnvToken: testSecret + "\n"}, Credential{"alice", testSecret, "env"}, true},
		{"no token", map[string]string{EnvUsername: "alice"}, Credential{}, false},
		{"no user", map[string]string{EnvToken: testSecret}, Credential{}, false},
		{"nothing", nil, Credential{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := FromEnv(envMap(tc.env))
			if ok != tc.ok || got != tc.want {
				t.Errorf("FromEnv = %#v, %v; want %#v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

// call records one run of a credential helper.
type call struct {
	Helper string
	Args   []string
	Stdin  string
}

// fakeHelpers answers like credential helpers: answers[helper] maps a server
// URL to a credential; a helper missing from answers fails.
type fakeHelpers struct {
	answers map[string]map[string]Credential
	calls   []call
}

func (f *fakeHelpers) run(_ context.Context, helper string, args []string, stdin []byte) ([]byte, error) {
	f.calls = append(f.calls, call{helper, args, string(stdin)})
	known, ok := f.answers[helper]
	if !ok {
		return []byte("helper exploded\n"), errors.New("exit status 2")
	}
	if len(args) != 1 || args[0] != "get" {
		return nil, fmt.Errorf("unexpected args %q", args)
	}
	c, ok := known[string(stdin)]
	if !ok {
		return []byte("credentials not found in native keychain\n"), errors.New("exit status 1")
	}
	return json.Marshal(map[string]string{"ServerURL": string(stdin), "Username": c.Username, "Secret": c.Secret})
}

func writeDockerConfig(t *testing.T, v any) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.json")
	var data []byte
	if s, ok := v.(string); ok {
		data = []byte(s)
	} else {
		var err error
		if data, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestFromDocker(t *testing.T) {
	hubCred := map[string]Credential{DockerHubServerURL: {Username: "alice", Secret: testSecret}}
	for _, tc := range []struct {
		name      string
		config    any // JSON document or a string written as is; nil for no file
		hubURL    string
		answers   map[string]map[string]Credential
		want      Credential
		ok        bool
		errSubstr string
		calls     []call
	}{
		{
			name:   "auths base64",
			config: map[string]any{"auths": map[string]any{DockerHubServerURL: map[string]string{"auth": b64("alice:" + testSecret)}}},
			want:   Credential{"alice", testSecret, "docker config"},
			ok:     true,
		},
		{
			name:   "auths under docker.io, password with colon",
			config: map[string]any{"auths": map[string]any{"docker.io": map[string]string{"auth": b64("alice:a:b")}}},
			want:   Credential{"alice", "a:b", "docker config"},
			ok:     true,
		},
		{
			name:   "auths username and password fields",
			config: map[string]any{"auths": map[string]any{"index.docker.io": map[string]string{"username": "alice", "password": testSecret}}},
			want:   Credential{"alice", testSecret, "docker config"},
			ok:     true,
		},
		{
			name:    "credsStore",
			config:  map[string]any{"credsStore": "desktop", "auths": map[string]any{DockerHubServerURL: map[string]string{}}},
			answers: map[string]map[string]Credential{"desktop": hubCred},
			want:    Credential{"alice", testSecret, "credential helper docker-credential-desktop"},
			ok:      true,
			calls:   []call{{"desktop", []string{"get"}, DockerHubServerURL}},
		},
		{
			name: "credHelpers before credsStore",
			config: map[string]any{
				"credsStore":  "desktop",
				"credHelpers": map[string]string{"gcr.io": "gcloud", "index.docker.io": "pass"},
			},
			answers: map[string]map[string]Credential{"pass": hubCred, "desktop": {DockerHubServerURL: {Username: "bob", Secret: "other"}}},
			want:    Credential{"alice", testSecret, "credential helper docker-credential-pass"},
			ok:      true,
			calls:   []call{{"pass", []string{"get"}, DockerHubServerURL}},
		},
		{
			name: "helpers find nothing, auths has it",
			config: map[string]any{
				"credsStore":  "desktop",
				"credHelpers": map[string]string{"hub.docker.com": "pass"},
				"auths":       map[string]any{"registry-1.docker.io": map[string]string{"auth": b64("carol:" + testSecret)}},
			},
			answers: map[string]map[string]Credential{"pass": {}, "desktop": {}},
			want:    Credential{"carol", testSecret, "docker config"},
			ok:      true,
			calls:   []call{{"pass", []string{"get"}, DockerHubServerURL}, {"desktop", []string{"get"}, DockerHubServerURL}},
		},
		{
			name:    "not found anywhere",
			config:  map[string]any{"credsStore": "desktop", "auths": map[string]any{"ghcr.io": map[string]string{"auth": b64("x:y")}}},
			answers: map[string]map[string]Credential{"desktop": {}},
		},
		{
			name:    "identity token is passed over",
			config:  map[string]any{"credsStore": "desktop"},
			answers: map[string]map[string]Credential{"desktop": {DockerHubServerURL: {Username: "<token>", Secret: testSecret}}},
		},
		{
			name:      "helper fails",
			config:    map[string]any{"credsStore": "broken"},
			errSubstr: "ask docker-credential-broken for https://index.docker.io/v1/: exit status 2",
		},
		{
			name:      "helper name unsafe",
			config:    map[string]any{"credsStore": "ev/il"},
			errSubstr: `credsStore: the credential helper name "ev/il" may hold only letters`,
		},
		{
			name:   "other hub URL ignores Docker Hub logins",
			config: map[string]any{"auths": map[string]any{DockerHubServerURL: map[string]string{"auth": b64("alice:" + testSecret)}}},
			hubURL: "http://127.0.0.1:5555",
		},
		{
			name: "other hub URL uses its own entry",
			config: map[string]any{
				"credHelpers": map[string]string{"127.0.0.1:5555": "sim"},
				"auths":       map[string]any{DockerHubServerURL: map[string]string{"auth": b64("alice:" + testSecret)}},
			},
			hubURL:  "http://127.0.0.1:5555/",
			answers: map[string]map[string]Credential{"sim": {"http://127.0.0.1:5555": {Username: "simuser", Secret: "simpass"}}},
			want:    Credential{"simuser", "simpass", "credential helper docker-credential-sim"},
			ok:      true,
			calls:   []call{{"sim", []string{"get"}, "http://127.0.0.1:5555"}},
		},
		{name: "no file"},
		{name: "empty file", config: ""},
		{name: "bad JSON", config: "{\"auths\": ", errSubstr: "read docker config"},
		{
			name:      "bad base64",
			config:    map[string]any{"auths": map[string]any{DockerHubServerURL: map[string]string{"auth": "!!!" + testSecret}}},
			errSubstr: `auths entry "https://index.docker.io/v1/": "auth" is not valid base64`,
		},
		{
			name:      "base64 without colon",
			config:    map[string]any{"auths": map[string]any{DockerHubServerURL: map[string]string{"auth": b64(testSecret)}}},
			errSubstr: `"auth" does not hold "user:password"`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "absent.json")
			if tc.config != nil {
				path = writeDockerConfig(t, tc.config)
			}
			fake := &fakeHelpers{answers: tc.answers}
			got, ok, err := FromDocker(path, tc.hubURL, fake.run)
			if tc.errSubstr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errSubstr) {
					t.Fatalf("error = %v, want it to contain %q", err, tc.errSubstr)
				}
				if strings.Contains(err.Error(), testSecret) {
					t.Fatalf("error shows the secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ok != tc.ok || got != tc.want {
				t.Errorf("FromDocker = %#v, %v; want %#v, %v", got, ok, tc.want, tc.ok)
			}
			if tc.calls != nil && !reflect.DeepEqual(fake.calls, tc.calls) {
				t.Errorf("helper calls = %+v, want %+v", fake.calls, tc.calls)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	docker := writeDockerConfig(t, map[string]any{"auths": map[string]any{DockerHubServerURL: map[string]string{"auth": b64("alice:docker-secret")}}})
	fake := &fakeHelpers{answers: map[string]map[string]Credential{
		"pass": {DockerHubServerURL: {Username: "alice", Secret: "pass-secret"}},
	}}
	fullEnv := map[string]string{EnvUsername: "envuser", EnvToken: "env-secret"}
	tokenOnly := map[string]string{EnvToken: "env-secret"}
	for _, tc := range []struct {
		name string
		opts ResolveOptions
		want Credential
		ok   bool
		err  bool
	}{
		{"env first", ResolveOptions{Getenv: envMap(fullEnv), DockerConfig: docker}, Credential{"envuser", "env-secret", "env"}, true, false},
		{"docker next", ResolveOptions{Getenv: envMap(nil), DockerConfig: docker}, Credential{"alice", "docker-secret", "docker config"}, true, false},
		{"token with context user", ResolveOptions{Getenv: envMap(tokenOnly), Username: "ctxuser", DockerConfig: docker}, Credential{"ctxuser", "env-secret", "env"}, true, false},
		{"token without any user falls through", ResolveOptions{Getenv: envMap(tokenOnly), DockerConfig: docker}, Credential{"alice", "docker-secret", "docker config"}, true, false},
		{"docker login of another user", ResolveOptions{Getenv: envMap(nil), Username: "bob", DockerConfig: docker}, Credential{}, false, false},
		{"docker login of same user, other case", ResolveOptions{Getenv: envMap(nil), Username: "Alice", DockerConfig: docker}, Credential{"alice", "docker-secret", "docker config"}, true, false},
		{"nothing anywhere", ResolveOptions{Getenv: envMap(nil), DockerConfig: filepath.Join(t.TempDir(), "none.json")}, Credential{}, false, false},
		{"env only", ResolveOptions{Secret: "env", Getenv: envMap(nil), DockerConfig: docker}, Credential{}, false, false},
		{"docker only", ResolveOptions{Secret: "docker", Getenv: envMap(fullEnv), DockerConfig: docker}, Credential{"alice", "docker-secret", "docker config"}, true, false},
		{"prompt", ResolveOptions{Secret: "prompt", Getenv: envMap(fullEnv), DockerConfig: docker}, Credential{}, false, false},
		{"keyring helper", ResolveOptions{Secret: "keyring-helper pass", Getenv: envMap(fullEnv), DockerConfig: docker, Run: fake.run}, Credential{"alice", "pass-secret", "credential helper docker-credential-pass"}, true, false},
		{"keyring helper fails", ResolveOptions{Secret: "keyring-helper gone", Getenv: envMap(nil), Run: fake.run}, Credential{}, false, true},
		{"bad secret setting", ResolveOptions{Secret: "vault"}, Credential{}, false, true},
		{"DOCKER_CONFIG", ResolveOptions{Getenv: envMap(map[string]string{"DOCKER_CONFIG": filepath.Dir(docker)})}, Credential{"alice", "docker-secret", "docker config"}, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok, err := Resolve(context.Background(), tc.opts)
			if (err != nil) != tc.err {
				t.Fatalf("error = %v, want error %v", err, tc.err)
			}
			if ok != tc.ok || got != tc.want {
				t.Errorf("Resolve = %#v, %v; want %#v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestContextResolveOptions(t *testing.T) {
	c := Context{Name: "w", HubURL: "https://hub.docker.com", Username: "alice", Org: "acme", Secret: "env"}
	want := ResolveOptions{HubURL: c.HubURL, Username: "alice", Secret: "env"}
	if got := c.ResolveOptions(); !reflect.DeepEqual(got, want) {
		t.Errorf("ResolveOptions = %+v, want %+v", got, want)
	}
}

func TestStore(t *testing.T) {
	var got call
	run := func(_ context.Context, helper string, args []string, stdin []byte) ([]byte, error) {
		got = call{helper, args, string(stdin)}
		return nil, nil
	}
	if err := Store("pass", run, DockerHubServerURL, "alice", testSecret); err != nil {
		t.Fatal(err)
	}
	var payload map[string]string
	if err := json.Unmarshal([]byte(got.Stdin), &payload); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"ServerURL": DockerHubServerURL, "Username": "alice", "Secret": testSecret}
	if got.Helper != "pass" || !reflect.DeepEqual(got.Args, []string{"store"}) || !reflect.DeepEqual(payload, want) {
		t.Errorf("ran %+v with %v", got, payload)
	}

	failing := func(context.Context, string, []string, []byte) ([]byte, error) {
		return nil, errors.New("exit status 1: keychain locked")
	}
	err := Store("pass", failing, DockerHubServerURL, "alice", testSecret)
	if err == nil || !strings.Contains(err.Error(), "keychain locked") || strings.Contains(err.Error(), testSecret) {
		t.Errorf("Store with a failing helper = %v", err)
	}
	if err := Store("a/b", run, DockerHubServerURL, "alice", testSecret); err == nil {
		t.Error("Store accepted an unsafe helper name")
	}
	if err := Store("pass", run, DockerHubServerURL, "alice", ""); err == nil {
		t.Error("Store accepted an empty secret")
	}
}

// fakeHelperScript is a credential helper speaking the real protocol. It
// knows one login, for Docker Hub, and records what it is asked to store.
const fakeHelperScript = `#!/bin/sh
dir=$(dirname "$0")
case "$1" in
get)
	url=$(cat)
	if [ "$url" = "https://index.docker.io/v1/" ]; then
		printf '{"ServerURL":"%s","Username":"alice","Secret":"` + testSecret + `"}\n' "$url"
		exit 0
	fi
	if [ "$url" = "http://127.0.0.1:1" ]; then
		echo "keychain is locked" >&2
		exit 3
	fi
	echo "credentials not found in native keychain"
	exit 1
	;;
store)
	cat > "$dir/stored.json"
	;;
slow)
	exec sleep 30
	;;
*)
	echo "unknown verb $1" >&2
	exit 2
	;;
esac
`

func TestExecHelper(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake helper is a shell script")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "docker-credential-fake"), []byte(fakeHelperScript), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	ctx := context.Background()

	cfg := writeDockerConfig(t, map[string]any{"credsStore": "fake"})
	cred, ok, err := FromDocker(cfg, "", ExecHelper)
	if err != nil || !ok {
		t.Fatalf("FromDocker = %v, %v", ok, err)
	}
	if want := (Credential{"alice", testSecret, "credential helper docker-credential-fake"}); cred != want {
		t.Errorf("FromDocker = %#v, want %#v", cred, want)
	}

	// "credentials not found" is no error.
	cred, ok, err = helperGet(ctx, ExecHelper, "fake", "https://ghcr.io")
	if err != nil || ok {
		t.Errorf("get for an unknown server = %v, %v, %v; want not found", cred, ok, err)
	}

	// A failure carries the helper's words.
	_, _, err = helperGet(ctx, ExecHelper, "fake", "http://127.0.0.1:1")
	if err == nil || !strings.Contains(err.Error(), "keychain is locked") {
		t.Errorf("get from a failing helper = %v", err)
	}

	// Store writes the protocol's JSON to the helper.
	if err := Store("fake", nil, DockerHubServerURL, "alice", testSecret); err != nil {
		t.Fatal(err)
	}
	stored, err := os.ReadFile(filepath.Join(dir, "stored.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(stored, []byte(`"Secret":"`+testSecret+`"`)) || !bytes.Contains(stored, []byte(`"ServerURL":"https://index.docker.io/v1/"`)) {
		t.Errorf("stored %s", stored)
	}

	// A helper that is not installed.
	_, err = ExecHelper(ctx, "missing-helper-xyz", []string{"get"}, nil)
	if err == nil || !strings.Contains(err.Error(), "docker-credential-missing-helper-xyz is not installed") {
		t.Errorf("missing helper = %v", err)
	}
	// A helper that never answers is stopped.
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = ExecHelper(short, "fake", []string{"slow"}, nil)
	if err == nil || !strings.Contains(err.Error(), "gave no answer in time") || time.Since(start) > 5*time.Second {
		t.Errorf("slow helper = %v after %s", err, time.Since(start))
	}

	if _, err := ExecHelper(ctx, "../fake", []string{"get"}, nil); err == nil {
		t.Error("ExecHelper ran a helper name with a path")
	}
}

type holder struct {
	Cred  Credential
	Ptr   *Credential
	Creds []Credential
}

func TestCredentialNeverPrintsSecret(t *testing.T) {
	cred := Credential{Username: "alice", Secret: testSecret, Source: "env"}
	outputs := []string{
		fmt.Sprintf("%v %+v %#v %s", cred, cred, cred, cred),
		fmt.Sprintf("%v %+v %#v %s", &cred, &cred, &cred, &cred),
		fmt.Sprintf("%q %x %X %d %10.3v %T", cred, cred, cred, cred, cred, cred),
		fmt.Sprint(cred, &cred),
		fmt.Sprintln(cred),
		fmt.Sprintf("%v %+v %#v", holder{cred, &cred, []Credential{cred}}, holder{cred, &cred, []Credential{cred}}, holder{cred, &cred, []Credential{cred}}),
		fmt.Sprintf("%v", map[string]Credential{"a": cred}),
		fmt.Errorf("wrapped: %v", cred).Error(),
		cred.String(),
		cred.GoString(),
	}
	js, err := json.Marshal(holder{Cred: cred, Ptr: &cred})
	if err != nil {
		t.Fatal(err)
	}
	outputs = append(outputs, string(js))
	var logBuf bytes.Buffer
	slog.New(slog.NewJSONHandler(&logBuf, nil)).Info("signed in", "cred", cred)
	slog.New(slog.NewTextHandler(&logBuf, nil)).Info("signed in", "cred", &cred)
	outputs = append(outputs, logBuf.String())

	for _, out := range outputs {
		if strings.Contains(out, testSecret) || strings.Contains(out, "SUPERSECRET") {
			t.Errorf("secret printed: %s", out)
		}
		if !strings.Contains(out, "alice") && !strings.Contains(out, "config.Credential") {
			t.Errorf("user name missing: %s", out)
		}
	}

	for verb, want := range map[string]string{
		"%v":  "{alice [redacted] env}",
		"%s":  "{alice [redacted] env}",
		"%+v": "{Username:alice Secret:[redacted] Source:env}",
		"%#v": `config.Credential{Username:"alice", Secret:"[redacted]", Source:"env"}`,
	} {
		if got := fmt.Sprintf(verb, cred); got != want {
			t.Errorf("%s = %q, want %q", verb, got, want)
		}
	}
	if got := fmt.Sprintf("%v", Credential{Username: "bob", Source: "env"}); got != "{bob  env}" {
		t.Errorf("empty secret prints as %q", got)
	}
}

func TestSaveTarget(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.json")
	if h, _, err := SaveTarget(path, ""); h != "" || err != nil {
		t.Fatalf("missing file: %q %v", h, err)
	}
	write := func(body string) {
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(`{"credsStore":"desktop"}`)
	if h, url, err := SaveTarget(path, ""); h != "desktop" || url != DockerHubServerURL || err != nil {
		t.Fatalf("credsStore: %q %q %v", h, url, err)
	}
	write(`{"credsStore":"desktop","credHelpers":{"index.docker.io":"pass"}}`)
	if h, _, err := SaveTarget(path, ""); h != "pass" || err != nil {
		t.Fatalf("credHelpers: %q %v", h, err)
	}
	write(`{"credsStore":"../evil"}`)
	if _, _, err := SaveTarget(path, ""); err == nil {
		t.Fatal("a helper name with a path was accepted")
	}
	write(`{"auths":{"https://index.docker.io/v1/":{"auth":"eDp5"}}}`)
	if h, _, err := SaveTarget(path, ""); h != "" || err != nil {
		t.Fatalf("auths only: %q %v", h, err)
	}
}
