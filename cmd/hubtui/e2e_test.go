package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tmux drives a real terminal: the built binary runs in a detached tmux
// session on its own socket, keys go in with send-keys and the screen comes
// back with capture-pane.
type tmux struct {
	t      *testing.T
	socket string
	target string
}

func newTmux(t *testing.T, w, h int, command string) *tmux {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: skipping the end-to-end test (.ci/run installs it)")
	}
	tm := &tmux{t: t, socket: fmt.Sprintf("hubtui-e2e-%d", os.Getpid()), target: "e2e"}
	tm.run("new-session", "-d", "-s", tm.target, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), "env", "TERM=xterm-256color", "sh", "-c", command)
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", tm.socket, "kill-server").Run() })
	return tm
}

func (tm *tmux) run(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", tm.socket}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (tm *tmux) send(keys ...string) {
	tm.run(append([]string{"send-keys", "-t", tm.target}, keys...)...)
}

func (tm *tmux) screen() string {
	out, err := exec.Command("tmux", "-L", tm.socket, "capture-pane", "-p", "-t", tm.target).CombinedOutput()
	if err != nil {
		return ""
	}
	return string(out)
}

// waitFor polls the screen until ok holds, failing with the last screen.
func (tm *tmux) waitFor(what string, ok func(string) bool) string {
	tm.t.Helper()
	return tm.waitForWithin(15*time.Second, what, ok)
}

// waitForWithin is waitFor with its own limit (an event the tail polls for).
func (tm *tmux) waitForWithin(limit time.Duration, what string, ok func(string) bool) string {
	tm.t.Helper()
	deadline := time.Now().Add(limit)
	var s string
	for time.Now().Before(deadline) {
		s = tm.screen()
		if ok(s) {
			return s
		}
		time.Sleep(100 * time.Millisecond)
	}
	tm.t.Fatalf("timed out waiting for %s; screen:\n%s", what, s)
	return s
}

func contains(subs ...string) func(string) bool {
	return func(s string) bool {
		for _, sub := range subs {
			if !strings.Contains(s, sub) {
				return false
			}
		}
		return true
	}
}

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hubtui")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func TestEndToEndDemoInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	bin := buildBinary(t)
	exitFile := filepath.Join(t.TempDir(), "exit")
	cfg := filepath.Join(t.TempDir(), "none.yaml")
	tm := newTmux(t, 120, 40, fmt.Sprintf("XDG_CONFIG_HOME=%s %s --demo; echo $? > %s; sleep 30", filepath.Dir(cfg), bin, exitFile))

	s := tm.waitFor("the repositories of acme", contains("org: acme", "admin-console", " repositories"))
	if !strings.Contains(s, "1 Repos") || !strings.Contains(s, "8 Settings") {
		t.Fatalf("tabs missing:\n%s", s)
	}

	// A repository is created through the form, listed, and deleted with
	// its name typed.
	tm.send("n")
	tm.waitFor("the create form", contains("New repository", "Namespace"))
	tm.send("Tab")
	tm.send("-l", "e2e-made")
	tm.send("Tab")
	tm.send("-l", "made in the tmux walk")
	tm.send("Enter", "Enter", "Enter") // visibility, README: none, submit
	tm.waitFor("the create", contains("created acme/e2e-made"))
	tm.send("/")
	tm.send("-l", "^e2e-made$")
	tm.send("Enter")
	tm.waitFor("the new repository listed", contains(`filter "^e2e-made$": 1`, "made in the tmux walk"))
	tm.send("D")
	tm.waitFor("the typed delete", contains("Type acme/e2e-made to confirm"))
	tm.send("-l", "acme/e2e-made")
	tm.send("Enter")
	tm.waitFor("the delete", contains("deleted acme/e2e-made", `filter "^e2e-made$": 0`))
	tm.send("Escape")
	tm.waitFor("the filter to clear", func(s string) bool { return !strings.Contains(s, `filter "^e2e-made$"`) })

	// The filter narrows the list.
	tm.send("/")
	tm.send("-l", "payments")
	tm.send("Enter")
	s = tm.waitFor("the filter to narrow", contains(`filter "payments"`, "payments-api"))
	if strings.Contains(s, "notifications") {
		t.Fatalf("filter did not narrow the list:\n%s", s)
	}
	tm.send("Escape")
	tm.waitFor("the filter to clear", func(s string) bool { return !strings.Contains(s, `filter "payments"`) })

	// The palette jumps to a repository's tags.
	tm.send(":")
	tm.send("-l", "tags acme/web")
	tm.send("Enter")
	tm.waitFor("the tags of acme/web", contains("acme/web", "TAG", "latest", "linux/amd64"))

	// Help opens and closes.
	tm.send("?")
	tm.waitFor("help", contains("filter (", "command palette", ":tags NS/REPO", "delete tag"))
	tm.send("Escape")
	tm.waitFor("help to close", func(s string) bool { return !strings.Contains(s, "command palette") || strings.Contains(s, "TAG") })

	// q quits with status 0.
	tm.send("q")
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(exitFile); err == nil && len(b) > 0 {
			if got := strings.TrimSpace(string(b)); got != "0" {
				t.Fatalf("exit status %s, want 0", got)
			}
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("hubtui did not exit after q; screen:\n%s", tm.screen())
}

// startHubsim builds and runs cmd/hubsim with args and returns its URL.
func startHubsim(t *testing.T, args ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hubsim")
	if out, err := exec.Command("go", "build", "-o", bin, "../hubsim").CombinedOutput(); err != nil {
		t.Fatalf("go build hubsim: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line := make([]byte, 0, 64)
	buf := make([]byte, 1)
	for len(line) < 200 {
		if _, err := stdout.Read(buf); err != nil {
			t.Fatalf("hubsim: %v", err)
		}
		if buf[0] == '\n' {
			break
		}
		line = append(line, buf[0])
	}
	url, ok := strings.CutPrefix(string(line), "hubsim listening on ")
	if !ok {
		t.Fatalf("hubsim said %q", line)
	}
	return url
}

// TestEndToEndAgainstAFaultyHub runs the binary against a hubsim that drops
// connections, answers 5xx and is slow: reads are retried, a failed load
// says so and r retries it, and the console never hangs or crashes.
func TestEndToEndAgainstAFaultyHub(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	bin := buildBinary(t)
	url := startHubsim(t, "--dataset", "demo", "--latency", "20ms", "--jitter", "30ms", "--faults", "500=0.15,503=0.1,reset=0.05")
	exitFile := filepath.Join(t.TempDir(), "exit")
	tm := newTmux(t, 100, 30, fmt.Sprintf("XDG_CONFIG_HOME=%s HUBTUI_USERNAME=demo HUBTUI_TOKEN=%s %s --hub-url %s --org acme; echo $? > %s; sleep 30",
		t.TempDir(), "dckr_pat_demo0000000000000000000000", bin, url, exitFile))
	deadline := time.Now().Add(40 * time.Second)
	for {
		s := tm.screen()
		if strings.Contains(s, "60 repositories") {
			break
		}
		if strings.Contains(s, "Press r to retry") {
			tm.send("r") // a sign-in POST met a fault: it is never retried on its own
		}
		if time.Now().After(deadline) {
			t.Fatalf("no repositories through the faults; screen:\n%s", s)
		}
		time.Sleep(200 * time.Millisecond)
	}
	tm.send("t")
	tm.waitFor("tags through the faults", func(s string) bool {
		if strings.Contains(s, "Press r to retry") {
			tm.send("r")
		}
		return strings.Contains(s, "TAG") && strings.Contains(s, "latest")
	})
	tm.send("q")
	deadline = time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(exitFile); err == nil && len(b) > 0 {
			if got := strings.TrimSpace(string(b)); got != "0" {
				t.Fatalf("exit status %s, want 0", got)
			}
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("hubtui did not exit after q; screen:\n%s", tm.screen())
}

// TestEndToEndBulkInviteInTmux invites two people in bulk in the demo
// (check, the Hub's dry run, send), sees them pending, and cancels one.
func TestEndToEndBulkInviteInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	bin := buildBinary(t)
	cfg := filepath.Join(t.TempDir(), "none.yaml")
	tm := newTmux(t, 120, 40, fmt.Sprintf("XDG_CONFIG_HOME=%s %s --demo; sleep 30", filepath.Dir(cfg), bin))
	tm.waitFor("the repositories", contains("org: acme", " repositories"))
	tm.send("5")
	tm.waitFor("the invites", contains("pending invites · loaded"))
	tm.send("n")
	tm.waitFor("the paste area", contains("ctrl+s check the list"))
	tm.send("-l", "walk-one@acme.example")
	tm.send("Enter")
	tm.send("-l", "walk-two@acme.example")
	tm.send("C-s")
	tm.waitFor("the check", contains("2 to invite", "line 2: walk-two@acme.example"))
	tm.send("Enter")
	tm.waitFor("the dry run", contains("Nothing has been sent yet", "walk-one@acme.example — will be invited"))
	tm.send("Enter")
	tm.waitFor("the results", contains("Invited 2 of 2", "sent 2 invites to acme"))
	tm.send("Escape")
	tm.send("/")
	tm.send("-l", "'walk-")
	tm.send("Enter")
	tm.waitFor("both pending", contains(`filter "'walk-": 2`, "walk-one@acme.example", "walk-two@acme.example"))
	tm.send("/")
	tm.send("-l", "one")
	tm.send("Enter")
	tm.waitFor("one of them", contains(`filter "'walk-one": 1`))
	tm.send("D")
	tm.waitFor("the question", contains("Cancel the invite of walk-one@acme.example?"))
	tm.send("y")
	tm.waitFor("the cancel", contains("cancelled 1 invites of acme", `filter "'walk-one": 0`))
	tm.send("Escape") // the results
	tm.waitFor("the results to close", func(s string) bool { return !strings.Contains(s, "enter/esc/q close") })
	tm.send("Escape") // the filter
	tm.waitFor("the filter to clear", func(s string) bool { return !strings.Contains(s, `filter "'walk-one"`) })
	tm.send("/")
	tm.send("-l", "'walk-")
	tm.send("Enter")
	tm.waitFor("one left", contains(`filter "'walk-": 1`, "walk-two@acme.example"))
}

// TestEndToEndAuditFollowInTmux opens Audit in the demo, follows, makes a
// change in the Repos pane and sees its event arrive.
func TestEndToEndAuditFollowInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	bin := buildBinary(t)
	cfg := filepath.Join(t.TempDir(), "none.yaml")
	tm := newTmux(t, 140, 40, fmt.Sprintf("XDG_CONFIG_HOME=%s %s --demo; sleep 30", filepath.Dir(cfg), bin))
	followThenFindRepo(tm, "billing", 1)
	tm.send("e")
	tm.waitFor("the description prompt", contains("Description of acme/billing"))
	tm.send("C-u")
	tm.send("-l", "changed in the tmux walk")
	tm.send("Enter")
	tm.waitFor("the change", contains("saved the description of acme/billing"))
	tm.send("7")
	tm.waitFor("its event", contains("Description Updated", "acme/billing", "updated the description"))
}

// followThenFindRepo waits for the repositories, follows the audit log
// from its tab, comes back to Repos and filters it to the repository name,
// which matches n of them.
func followThenFindRepo(tm *tmux, name string, n int) {
	tm.t.Helper()
	tm.waitFor("the repositories", contains("org: acme", " repositories · loaded"))
	tm.send("7")
	tm.waitFor("the log", contains(" events held", "ACTION"))
	tm.send("f")
	tm.waitFor("following", contains("following every"))
	tm.send("1")
	tm.send("/")
	tm.send("-l", "^"+name+"$")
	tm.send("Enter")
	tm.waitFor(name, contains(fmt.Sprintf("filter \"^%s$\": %d", name, n)))
}
