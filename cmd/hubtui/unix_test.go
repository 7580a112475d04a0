//go:build unix

package main

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestConfigFIFOIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	type result struct {
		code int
		errs string
	}
	done := make(chan result, 1)
	go func() {
		code, _, errs := runArgs(t, "--config", path)
		done <- result{code, errs}
	}()
	select {
	case r := <-done:
		if want := path + ": this is a named pipe (FIFO)"; r.code != 2 || !strings.Contains(r.errs, want) {
			t.Fatalf("exit %d, stderr %q; want exit 2 and %q", r.code, r.errs, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("hubtui --config FIFO blocked")
	}
}
