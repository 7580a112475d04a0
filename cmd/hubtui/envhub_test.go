package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hubtui/hubtui/hubclient/hubsim"
)

const envToken = "dckr_pat_ENVSECRET0000000000000000"

// recordingHub is a server on a loopback port that keeps every request it
// gets, as a listener another user bound to a context's port would.
func recordingHub(t *testing.T) (url string, seen func() string) {
	t.Helper()
	var mu sync.Mutex
	var got strings.Builder
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got.WriteString(r.Method + " " + r.URL.Path + " " + r.Header.Get("Authorization") + " " + string(body) + "\n")
		mu.Unlock()
		http.Error(w, `{"detail":"no"}`, http.StatusUnauthorized)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, func() string { mu.Lock(); defer mu.Unlock(); return got.String() }
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestEnvCredentialsAreNotSentToAContextsHub: a context's hub_url on a
// loopback port gets no HUBTUI_USERNAME/HUBTUI_TOKEN.
func TestEnvCredentialsAreNotSentToAContextsHub(t *testing.T) {
	url, seen := recordingHub(t)
	cfg := writeConfig(t, "contexts:\n  - name: sim\n    hub_url: "+url+"\n    org: acme\n")
	env := envOf(t, map[string]string{"HUBTUI_USERNAME": "alice", "HUBTUI_TOKEN": envToken})
	code, _, errs := runEnv(t, env, "export", "repos", "--config", cfg)
	if strings.Contains(seen(), envToken) {
		t.Fatalf("the context's Hub got the token from the environment:\n%s", seen())
	}
	if code != 2 || !strings.Contains(errs, "use_env_credentials: true") {
		t.Errorf("exit %d, stderr %q; want exit 2 saying how to send them", code, errs)
	}
}

// TestEnvCredentialsGoWhereTheContextAsks: use_env_credentials: true sends
// them, with a warning that they travel over plain http.
func TestEnvCredentialsGoWhereTheContextAsks(t *testing.T) {
	url, seen := recordingHub(t)
	cfg := writeConfig(t, "contexts:\n  - name: sim\n    hub_url: "+url+"\n    org: acme\n    use_env_credentials: true\n")
	env := envOf(t, map[string]string{"HUBTUI_USERNAME": "alice", "HUBTUI_TOKEN": envToken})
	_, _, errs := runEnv(t, env, "export", "repos", "--config", cfg)
	if !strings.Contains(seen(), envToken) {
		t.Fatalf("the context asked for the environment's credentials but its Hub got none:\n%s", seen())
	}
	if !strings.Contains(errs, "hubtui: warning: the credential from HUBTUI_USERNAME/HUBTUI_TOKEN goes to "+url+" over plain http") {
		t.Errorf("no plain-http warning: %q", errs)
	}
}

// TestEnvCredentialsGoToTheLaunchHub: --hub-url and HUBTUI_HUB_URL say
// where they are for; plain http to it is warned about first.
func TestEnvCredentialsGoToTheLaunchHub(t *testing.T) {
	sim, err := hubsim.New(hubsim.Options{Dataset: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	creds := map[string]string{"HUBTUI_USERNAME": hubsim.DemoUser, "HUBTUI_TOKEN": hubsim.DemoPAT}
	for _, how := range []string{"flag", "env"} {
		m := map[string]string{}
		for k, v := range creds {
			m[k] = v
		}
		args := []string{"export", "repos", "--org", "acme", "--config", writeConfig(t, "theme: dark\n")}
		if how == "flag" {
			args = append(args, "--hub-url", url)
		} else {
			m["HUBTUI_HUB_URL"] = url
		}
		code, out, errs := runEnv(t, envOf(t, m), args...)
		if code != 0 || strings.Count(out, "\n") != 61 {
			t.Fatalf("%s: exit %d, %d lines, stderr %q", how, code, strings.Count(out, "\n"), errs)
		}
		if !strings.HasPrefix(errs, "hubtui: warning: the credential from HUBTUI_USERNAME/HUBTUI_TOKEN goes to "+url+" over plain http") {
			t.Errorf("%s: stderr %q lacks the plain-http warning", how, errs)
		}
	}
}

// TestContextSwitchKeepsEnvCredentialsForTheLaunchHub: `:ctx NAME` to a
// context on another port sends none of HUBTUI_USERNAME/HUBTUI_TOKEN; to
// the launch Hub it does, and the plain-http warning waits for the console
// to end.
func TestContextSwitchKeepsEnvCredentialsForTheLaunchHub(t *testing.T) {
	sim, err := hubsim.New(hubsim.Options{Dataset: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	simURL, stop, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	other, seen := recordingHub(t)
	cfg := writeConfig(t, "contexts:\n  - name: home\n    hub_url: "+simURL+"\n  - name: other\n    hub_url: "+other+"\n")
	env := envOf(t, map[string]string{"HUBTUI_USERNAME": hubsim.DemoUser, "HUBTUI_TOKEN": hubsim.DemoPAT})
	var stderr strings.Builder
	var later warnings
	opts, stopOpts, err := tuiOptions(flags{config: cfg, hubURL: simURL}, &stderr, env, &later)
	if err != nil {
		t.Fatal(err)
	}
	defer stopOpts()
	if opts.Session.Client == nil || !strings.Contains(stderr.String(), "goes to "+simURL+" over plain http") {
		t.Fatalf("start-up: client %v, stderr %q", opts.Session.Client, stderr.String())
	}

	sess, err := opts.Switch(t.Context(), "other")
	if err != nil || sess.Client != nil {
		t.Fatalf(":ctx other = client %v, %v; want the sign-in screen", sess.Client, err)
	}
	if strings.Contains(seen(), hubsim.DemoPAT) {
		t.Fatalf(":ctx other sent the environment's token:\n%s", seen())
	}

	stderr.Reset()
	sess, err = opts.Switch(t.Context(), "home")
	if err != nil || sess.Client == nil {
		t.Fatalf(":ctx home = client %v, %v; want signed in", sess.Client, err)
	}
	if stderr.Len() != 0 {
		t.Errorf("a warning was written while the console runs: %q", stderr.String())
	}
	if w := later.take(); len(w) != 1 || !strings.Contains(w[0], "goes to "+simURL+" over plain http") {
		t.Errorf("warnings kept for the end: %q", w)
	}
}
