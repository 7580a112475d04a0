package main

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient/hubsim"
)

// noSecret fails when out holds a token value or a redaction of one.
func noSecret(t *testing.T, what, out string) {
	t.Helper()
	for _, s := range []string{"dckr_pat_", "dckr_oat_", "[redacted]", `"token"`} {
		if strings.Contains(out, s) {
			t.Fatalf("%s holds %q:\n%s", what, s, out)
		}
	}
}

func TestExportTokens(t *testing.T) {
	// Personal access tokens: the demo user's four.
	code, out, errs := runArgs(t, "export", "tokens", "--demo")
	if code != 0 {
		t.Fatalf("export tokens: exit %d, %s", code, errs)
	}
	noSecret(t, "csv", out)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[0][0] != "kind" || rows[0][8] != "scopes" || rows[1][0] != "personal" {
		t.Fatalf("csv: %d rows, %v / %v", len(rows), rows[0], rows[1])
	}
	var admin []string
	for _, r := range rows[1:] {
		if r[3] == "hubtui demo" {
			admin = r
		}
	}
	if admin == nil || admin[8] != "repo:admin" || admin[14] != "broad scopes" || admin[6] != "203.0.113.7" {
		t.Fatalf("hubtui demo row: %v", admin)
	}

	// With --org, the organization's tokens with their resources.
	code, out, errs = runArgs(t, "export", "tokens", "--demo", "--org", hubsim.DemoOrg, "--format", "json")
	if code != 0 {
		t.Fatalf("export tokens --org: exit %d, %s", code, errs)
	}
	noSecret(t, "json", out)
	var recs []tokenRecord
	if err := json.Unmarshal([]byte(out), &recs); err != nil || len(recs) != 3 {
		t.Fatalf("json: %d records, %v\n%s", len(recs), err, out)
	}
	for _, r := range recs {
		if r.Kind != "organization" || r.Org != hubsim.DemoOrg || len(r.Resources) == 0 || r.CreatedBy != hubsim.DemoUser {
			t.Fatalf("record %+v", r)
		}
	}

	code, out, _ = runArgs(t, "export", "tokens", "--demo", "--org", hubsim.DemoOrg, "--format", "jsonl")
	if n := strings.Count(out, "\n"); code != 0 || n != 3 {
		t.Fatalf("jsonl: exit %d, %d lines", code, n)
	}
	noSecret(t, "jsonl", out)
}

// TestExportTokensWithAPATSession: the Hub refuses a PAT session the
// personal tokens, and the error says so; the org's tokens it may list.
func TestExportTokensWithAPATSession(t *testing.T) {
	sim, err := hubsim.New(hubsim.Options{Dataset: "demo", RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	env := envOf(t, map[string]string{"HUBTUI_USERNAME": hubsim.DemoUser, "HUBTUI_TOKEN": hubsim.DemoPAT, "HUBTUI_HUB_URL": url,
		"XDG_CONFIG_HOME": t.TempDir()})
	cfg := writeConfig(t, "theme: dark\n")
	code, out, errs := runEnv(t, env, "export", "tokens", "--config", cfg, "--hub-url", url)
	if code != 1 || !strings.Contains(errs, "only a password sign-in may list them") || !strings.Contains(errs, "cannot manage tokens with a token") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	noSecret(t, "stderr", errs)
	code, out, errs = runEnv(t, env, "export", "tokens", "--config", cfg, "--hub-url", url, "--org", hubsim.DemoOrg)
	if code != 0 || strings.Count(out, "\n") != 4 {
		t.Fatalf("--org with a PAT: exit %d, stderr %q\n%s", code, errs, out)
	}
	noSecret(t, "csv", out)
}
