package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildHubsim compiles this command into a temporary directory.
func buildHubsim(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH")
	}
	bin := filepath.Join(t.TempDir(), "hubsim")
	cmd := exec.Command(goBin, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func TestBinaryServesAndStops(t *testing.T) {
	bin := buildHubsim(t)
	line := regexp.MustCompile(`^hubsim listening on (http://127\.0\.0\.1:\d+)$`)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cmd := exec.Command(bin, "--dataset", "demo", "--seed", "3")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		kill := func() { _ = cmd.Process.Kill(); <-done }

		first := make(chan string, 1)
		go func() {
			sc := bufio.NewScanner(stdout)
			if sc.Scan() {
				first <- sc.Text()
			}
			close(first)
			for sc.Scan() {
			}
		}()
		var got string
		select {
		case got = <-first:
		case <-time.After(20 * time.Second):
			kill()
			t.Fatalf("no first line; stderr: %s", stderr.String())
		}
		m := line.FindStringSubmatch(got)
		if m == nil {
			kill()
			t.Fatalf("first line %q does not match %s", got, line)
		}
		base := m[1]

		resp, err := http.Post(base+"/v2/auth/token", "application/json", strings.NewReader(`{"identifier":"demo","secret":"demo"}`))
		if err != nil {
			kill()
			t.Fatal(err)
		}
		var body struct {
			AccessToken string `json:"access_token"`
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 || strings.Count(body.AccessToken, ".") != 2 {
			kill()
			t.Fatalf("sign-in: %d %+v %v", resp.StatusCode, body, err)
		}
		if resp.Header.Get("X-RateLimit-Limit") != "180" {
			t.Errorf("X-RateLimit-Limit = %q, want the default 180", resp.Header.Get("X-RateLimit-Limit"))
		}

		if err := cmd.Process.Signal(sig); err != nil {
			kill()
			t.Fatal(err)
		}
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%v: exit %v, want 0; stderr: %s", sig, err, stderr.String())
			}
		case <-time.After(10 * time.Second):
			kill()
			t.Fatalf("%v: still running", sig)
		}
		if _, err := http.Post(base+"/v2/auth/token", "application/json", strings.NewReader(`{}`)); err == nil {
			t.Errorf("%v: still answering after exit", sig)
		}
	}
}

func TestBinaryBadFlagExitsTwo(t *testing.T) {
	bin := buildHubsim(t)
	for _, args := range [][]string{{"--no-such-flag"}, {"--faults", "500=7"}, {"--dataset", "nope"}} {
		cmd := exec.Command(bin, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 {
			t.Errorf("%v: %v, want exit status 2", args, err)
		}
		if stderr.Len() == 0 {
			t.Errorf("%v: nothing on stderr", args)
		}
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want int
		msg  string
	}{
		{[]string{"--nope"}, 2, "flag provided but not defined"},
		{[]string{"--rate-limit", "lots"}, 2, "rate-limit"},
		{[]string{"--token-ttl", "soon"}, 2, "token-ttl"},
		{[]string{"--latency", "x"}, 2, "latency"},
		{[]string{"--faults", "500=2"}, 2, "--faults"},
		{[]string{"--faults", "nonsense"}, 2, "--faults"},
		{[]string{"--dataset", "nope"}, 2, "hubsim:"},
		{[]string{"--dataset", "empty", "--addr", "256.1.1.1:0"}, 1, "listen"},
		{[]string{"--addr", "127.0.0.1:-1"}, 1, "listen"},
		{[]string{"-h"}, 2, "Usage"},
	} {
		var stdout, stderr bytes.Buffer
		code := make(chan int, 1)
		go func() { code <- run(tc.args, &stdout, &stderr) }() // a run that starts serving would block on signals
		select {
		case got := <-code:
			if got != tc.want {
				t.Errorf("run(%q) = %d, want %d; stderr %s", tc.args, got, tc.want, stderr.String())
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("run(%q) did not return", tc.args)
		}
		if !strings.Contains(stderr.String(), tc.msg) {
			t.Errorf("run(%q): stderr %q lacks %q", tc.args, stderr.String(), tc.msg)
		}
		if stdout.Len() != 0 {
			t.Errorf("run(%q) wrote %q to stdout", tc.args, stdout.String())
		}
	}
}
