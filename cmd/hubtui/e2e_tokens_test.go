package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEndToEndTokenInTmux creates a personal access token in the demo,
// sees its secret once, copies it, and deletes the token.
func TestEndToEndTokenInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	bin := buildBinary(t)
	cfg := filepath.Join(t.TempDir(), "none.yaml")
	tm := newTmux(t, 120, 40, fmt.Sprintf("XDG_CONFIG_HOME=%s %s --demo; sleep 30", filepath.Dir(cfg), bin))
	tm.waitFor("the repositories of acme", contains("org: acme", " repositories"))

	tm.send("6")
	tm.waitFor("the personal access tokens", contains("4 personal tokens", "hubtui demo", "LAST USED"))
	tm.send("n")
	tm.waitFor("the new-token form", contains("New personal access token"))
	tm.send("-l", "e2e walk")
	tm.send("Enter", "Enter", "Enter")
	tm.waitFor("the scopes", contains("Scopes of e2e walk", "repo:public_read"))
	tm.send("Enter")
	s := tm.waitFor("the secret", contains("It will not be shown again."))
	secret := regexp.MustCompile(`dckr_pat_[A-Za-z0-9_-]{27}`).FindString(s)
	if secret == "" {
		t.Fatalf("no secret shown:\n%s", s)
	}
	tm.send("y")
	tm.waitFor("the copy", contains("copied"))
	tm.send("Enter")
	s = tm.waitFor("the new row", func(s string) bool {
		return !strings.Contains(s, "It will not be shown again.") && strings.Contains(s, "e2e walk")
	})
	if strings.Contains(s, secret) {
		t.Fatalf("the secret is still on screen:\n%s", s)
	}

	tm.send("D") // the new token is under the cursor
	tm.waitFor("the question", contains("Delete the personal access token e2e walk?"))
	tm.send("y")
	tm.waitFor("the deletion", contains("deleted 1 personal access token(s)"))
	tm.send("Escape")
	tm.waitFor("the row to go", func(s string) bool { return !strings.Contains(s, "e2e walk") && strings.Contains(s, "hubtui demo") })
	tm.send("q")
}
