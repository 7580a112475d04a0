package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
)

// TestEndToEndListsStayLiveInTmux follows the audit log from the Audit
// tab, goes to Repos, and sees a repository another client creates appear
// there without r; it deletes it there (its name typed to confirm), and
// back in Audit both events have arrived.
func TestEndToEndListsStayLiveInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	bin := buildBinary(t)
	// Background activity keeps the tail polling at its quickest.
	url := startHubsim(t, "--dataset", "demo", "--activity", "1", "--rate-limit", "-1")
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, "hubtui"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, "hubtui", "config.yaml"), []byte("audit_poll_interval: 1s\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tm := newTmux(t, 140, 40, fmt.Sprintf("XDG_CONFIG_HOME=%s HUBTUI_USERNAME=%s HUBTUI_TOKEN=%s %s --hub-url %s --org acme; sleep 30",
		home, hubsim.DemoUser, hubsim.DemoPAT, bin, url))
	followThenFindRepo(tm, "e2e-live", 0)

	c, err := hubclient.New(hubclient.WithBaseURL(url), hubclient.WithCredentials(hubsim.DemoUser, hubclient.Secret(hubsim.DemoPAT)))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Repos.Create(context.Background(), "acme", &hubclient.RepositoryCreateRequest{Name: "e2e-live", Description: "made behind the console"}); err != nil {
		t.Fatal(err)
	}
	tm.waitForWithin(40*time.Second, "the new repository without r", contains(`filter "^e2e-live$": 1`, "made behind the console"))

	tm.send("D")
	tm.waitFor("the typed delete", contains("Type acme/e2e-live to confirm"))
	tm.send("-l", "acme/e2e-live")
	tm.send("Enter")
	tm.waitFor("the delete", contains("deleted acme/e2e-live", `filter "^e2e-live$": 0`))
	tm.send("7")
	s := tm.waitForWithin(40*time.Second, "both events", contains("Repository Created", "Repository Deleted", "acme/e2e-live"))
	if strings.Count(s, "acme/e2e-live") < 2 {
		t.Fatalf("want the create and the delete of acme/e2e-live:\n%s", s)
	}
}
