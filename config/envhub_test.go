package config

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestEnvCredentialsGoOnlyToTheirHub: HUBTUI_USERNAME/HUBTUI_TOKEN go to
// Docker Hub, to the Hub URL given at launch, or to a context that asks for
// them; never to whatever hub_url a context names.
func TestEnvCredentialsGoOnlyToTheirHub(t *testing.T) {
	env := envMap(map[string]string{EnvUsername: "alice", EnvToken: testSecret})
	tokenOnly := envMap(map[string]string{EnvToken: testSecret})
	none := filepath.Join(t.TempDir(), "none.json")
	simLogin := writeDockerConfig(t, map[string]any{"auths": map[string]any{"127.0.0.1:8080": map[string]string{"auth": b64("sim:simpass")}}})
	fromEnv := Credential{"alice", testSecret, SourceEnv}
	for _, tc := range []struct {
		name     string
		opts     ResolveOptions
		want     Credential
		ok       bool
		passedBy bool // an *EnvNotForHubError
	}{
		{"Docker Hub", ResolveOptions{HubURL: "https://hub.docker.com"}, fromEnv, true, false},
		{"Docker Hub, default", ResolveOptions{}, fromEnv, true, false},
		{"Docker Hub, other spelling", ResolveOptions{HubURL: "https://HUB.docker.com:443/"}, fromEnv, true, false},
		{"loopback port of a context", ResolveOptions{HubURL: "http://127.0.0.1:8080"}, Credential{}, false, true},
		{"loopback port, secret env", ResolveOptions{HubURL: "http://127.0.0.1:8080", Secret: SecretEnv}, Credential{}, false, true},
		{"another https Hub", ResolveOptions{HubURL: "https://hub.example.com"}, Credential{}, false, true},
		{"a look-alike host", ResolveOptions{HubURL: "https://hub.docker.com.example.com"}, Credential{}, false, true},
		{"plain http to Docker Hub's name", ResolveOptions{HubURL: "http://hub.docker.com"}, Credential{}, false, true},
		{"the launch Hub", ResolveOptions{HubURL: "http://127.0.0.1:8080", EnvHubURL: "http://127.0.0.1:8080/"}, fromEnv, true, false},
		{"another port than the launch Hub", ResolveOptions{HubURL: "http://127.0.0.1:8081", EnvHubURL: "http://127.0.0.1:8080"}, Credential{}, false, true},
		{"another host than the launch Hub", ResolveOptions{HubURL: "http://localhost:8080", EnvHubURL: "http://127.0.0.1:8080"}, Credential{}, false, true},
		{"another path than the launch Hub", ResolveOptions{HubURL: "https://hub.example.com/a", EnvHubURL: "https://hub.example.com/b"}, Credential{}, false, true},
		{"the context asks for them", ResolveOptions{HubURL: "http://127.0.0.1:8080", UseEnvCredentials: true}, fromEnv, true, false},
		{"token with the context's user, foreign Hub", ResolveOptions{HubURL: "http://127.0.0.1:8080", Username: "alice"}, Credential{}, false, true},
		{"the Hub's own Docker login still counts", ResolveOptions{HubURL: "http://127.0.0.1:8080", DockerConfig: simLogin}, Credential{"sim", "simpass", SourceDockerConfig}, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			if opts.Getenv == nil {
				opts.Getenv = env
				if strings.Contains(tc.name, "token with") {
					opts.Getenv = tokenOnly
				}
			}
			if opts.DockerConfig == "" {
				opts.DockerConfig = none
			}
			got, ok, err := Resolve(context.Background(), opts)
			var nf *EnvNotForHubError
			if errors.As(err, &nf) != tc.passedBy {
				t.Fatalf("error = %v; want an EnvNotForHubError: %v", err, tc.passedBy)
			}
			if !tc.passedBy && err != nil {
				t.Fatal(err)
			}
			if ok != tc.ok || got != tc.want {
				t.Errorf("Resolve = %#v, %v; want %#v, %v", got, ok, tc.want, tc.ok)
			}
			if err != nil && (strings.Contains(err.Error(), testSecret) || !strings.Contains(err.Error(), "use_env_credentials: true")) {
				t.Errorf("error %q shows the secret or no way out", err)
			}
		})
	}
	// Nothing in the environment: nothing passed over, nothing to say.
	if _, ok, err := Resolve(context.Background(), ResolveOptions{HubURL: "http://127.0.0.1:8080", Getenv: envMap(nil), DockerConfig: none}); ok || err != nil {
		t.Errorf("empty environment: %v %v", ok, err)
	}
}

func TestParseUseEnvCredentials(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte("contexts:\n  - name: sim\n    hub_url: http://127.0.0.1:8080\n    use_env_credentials: true\n  - name: hub\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Contexts[0].UseEnvCredentials || cfg.Contexts[1].UseEnvCredentials {
		t.Errorf("contexts = %+v", cfg.Contexts)
	}
	if o := cfg.Contexts[0].ResolveOptions(); !o.UseEnvCredentials || o.HubURL != "http://127.0.0.1:8080" {
		t.Errorf("ResolveOptions = %+v", o)
	}
	if _, err := Parse("c.yaml", []byte("contexts:\n  - name: sim\n    use_env_credentials: yes\n")); err == nil || !strings.Contains(err.Error(), "c.yaml:3: use_env_credentials must be true or false") {
		t.Errorf("use_env_credentials: yes = %v", err)
	}
}
