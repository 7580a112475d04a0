package safeout

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/adrg/xdg"
)

// DefaultPath is where an export is offered to be saved: the XDG data
// directory, named after the org, what it holds and the time, never after
// anything the server said.
func DefaultPath(org, what, ext string, now time.Time) string {
	return filepath.Join(xdg.DataHome, "hubtui", "exports", SafeFileName(org)+"-"+what+"-"+now.UTC().Format("20060102-150405")+"."+ext)
}

// SafeFileName keeps letters, digits, '.', '_' and '-' of s (others become
// '_'), never starting with a dot, so it names a file in the directory it
// is put in and nothing else; "" becomes "export".
func SafeFileName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			b[i] = '_'
		}
	}
	out := strings.TrimLeft(string(b), ".")
	if len(out) > 100 {
		out = out[:100]
	}
	if out == "" {
		return "export"
	}
	return out
}

// CheckPath is what a prompt for a file name checks as it is typed.
func CheckPath(v string) error {
	switch {
	case strings.TrimSpace(v) == "":
		return errors.New("name a file to save to")
	case strings.HasSuffix(v, "/") || strings.HasSuffix(v, string(filepath.Separator)):
		return errors.New("that names a directory: add a file name")
	}
	return nil
}

// Expand makes path absolute, reading a leading ~/ as the home directory.
func Expand(path string) (string, error) {
	path = strings.TrimSpace(path)
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the home directory: %w", err)
		}
		path = filepath.Join(home, rest)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", path, err)
	}
	return abs, nil
}

// WriteFile writes body to path through a temporary file in the same
// directory, so a half-written export never takes the name; an existing
// file is only replaced when overwrite is set, else the error wraps
// fs.ErrExist.
func WriteFile(path string, body []byte, overwrite bool) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".hubtui-export-*")
	if err != nil {
		return fmt.Errorf("write in %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name()) // after the rename, nothing is left to remove
	if _, err := tmp.Write(body); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if !overwrite {
		// Taken since it was checked: say so rather than replace it.
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("save %s: %w", path, fs.ErrExist)
		}
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	return nil
}

// Saved is how a Save ended.
type Saved struct {
	Path string // the file, made absolute
	// Exists reports a file of that name that was left alone: ask, then
	// Save again with overwrite.
	Exists bool
	Err    error
}

// Save writes what body makes to path (a leading ~/ is the home
// directory) through WriteFile. Unless overwrite is set, an existing file
// stops it before body runs, with Exists set. It does I/O: run it in a
// tea.Cmd.
func Save(path string, overwrite bool, body func() ([]byte, error)) Saved {
	full, err := Expand(path)
	if err != nil {
		return Saved{Path: path, Err: err}
	}
	if !overwrite {
		if _, err := os.Lstat(full); err == nil {
			return Saved{Path: full, Exists: true}
		}
	}
	b, err := body()
	if err != nil {
		return Saved{Path: full, Err: err}
	}
	if err := WriteFile(full, b, overwrite); err != nil {
		return Saved{Path: full, Exists: errors.Is(err, fs.ErrExist), Err: err}
	}
	return Saved{Path: full}
}
