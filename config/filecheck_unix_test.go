//go:build unix

package config

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLoadRefusesAFIFO: a named pipe at the config path used to block
// start-up until something wrote to it.
func TestLoadRefusesAFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := Load(path); done <- err }()
	select {
	case err := <-done:
		want := path + ": this is a named pipe (FIFO); the configuration must be a regular file"
		if err == nil || err.Error() != want {
			t.Fatalf("Load(fifo) = %v, want %s", err, want)
		}
		if _, ok := err.(*Error); !ok {
			t.Errorf("Load(fifo) returned %T, want *Error", err)
		}
	case <-time.After(5 * time.Second):
		// Unblock the reader so the test binary can finish.
		if w, err := os.OpenFile(path, os.O_WRONLY, 0); err == nil {
			w.Close()
		}
		t.Fatal("Load(fifo) blocked")
	}
}

func TestLoadRefusesADirectory(t *testing.T) {
	dir := t.TempDir()
	_, err := Load(dir)
	if _, ok := err.(*Error); !ok || !strings.Contains(err.Error(), dir+": this is a directory") {
		t.Fatalf("Load(dir) = %T %v", err, err)
	}
}

func TestLoadWarnsAboutFilesOthersCanChange(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "hubtui")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte("theme: dark\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path)
	if err != nil || len(cfg.Warnings) != 0 {
		t.Fatalf("a private file: %v, warnings %q", err, cfg.Warnings)
	}

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Chmod(path, 0o666))
	cfg, err = Load(path)
	if err != nil || len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], path+" can be changed by other users (mode 0666); run: chmod go-w "+path) {
		t.Fatalf("a world-writable file: %v, warnings %q", err, cfg.Warnings)
	}
	must(os.Chmod(path, 0o620))
	if cfg, _ = Load(path); len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], "mode 0620") {
		t.Errorf("a group-writable file: warnings %q", cfg.Warnings)
	}

	must(os.Chmod(path, 0o600))
	must(os.Chmod(dir, 0o777))
	if cfg, _ = Load(path); len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], "the directory "+dir+", which holds the config file, can be changed by other users (mode 0777)") {
		t.Errorf("a world-writable directory: warnings %q", cfg.Warnings)
	}
	must(os.Chmod(dir, 0o777|os.ModeSticky))
	if cfg, _ = Load(path); len(cfg.Warnings) != 0 {
		t.Errorf("a sticky directory: warnings %q", cfg.Warnings)
	}
	must(os.Chmod(dir, 0o700))

	// A link keeps the directory of the file it points to in view.
	linkDir := t.TempDir()
	link := filepath.Join(linkDir, "config.yaml")
	must(os.Symlink(path, link))
	must(os.Chmod(dir, 0o770))
	if cfg, _ = Load(link); len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], "the directory "+dir+",") {
		t.Errorf("a link into a group-writable directory: warnings %q", cfg.Warnings)
	}
	must(os.Chmod(dir, 0o700))

	if os.Getuid() != 0 {
		t.Log("not root: the test of a file owned by someone else is skipped")
		return
	}
	const nobody = 65534
	must(os.Chown(path, nobody, nobody))
	if cfg, _ = Load(path); len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], path+" belongs to another user (uid 65534)") {
		t.Errorf("a file of another user: warnings %q", cfg.Warnings)
	}
	must(os.Chown(path, 0, 0))
	must(os.Chown(dir, nobody, nobody))
	if cfg, _ = Load(path); len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], "the directory "+dir+", which holds the config file, belongs to another user (uid 65534)") {
		t.Errorf("a directory of another user: warnings %q", cfg.Warnings)
	}
	must(os.Chown(dir, 0, 0))
}
