package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// openConfig opens the configuration file at path for reading. Anything
// but a regular file (a named pipe, a device, a directory) is refused as an
// *Error before it is read: reading a FIFO would block start-up until
// something writes to it. The file is opened without blocking and checked
// again once open, so a file swapped in after the first check is refused
// too.
func openConfig(path string) (*os.File, fs.FileInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, readError(path, err)
	}
	if !st.Mode().IsRegular() {
		return nil, nil, notRegular(path, st.Mode())
	}
	f, err := os.OpenFile(path, openFlags, 0)
	if err != nil {
		return nil, nil, readError(path, err)
	}
	st, err = f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, readError(path, err)
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, notRegular(path, st.Mode())
	}
	return f, st, nil
}

// readError wraps a failure to open or read the file, keeping the cause
// (fs.ErrNotExist, fs.ErrPermission) for errors.Is without repeating the
// path the *fs.PathError would add.
func readError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("read config %s: %w", path, err)
}

// notRegular is the error for a config path that is not a regular file.
func notRegular(path string, mode fs.FileMode) *Error {
	what := "not a regular file"
	switch {
	case mode&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case mode.IsDir():
		what = "a directory"
	case mode&fs.ModeSocket != 0:
		what = "a socket"
	case mode&fs.ModeDevice != 0:
		what = "a device"
	}
	return &Error{File: path, Msg: fmt.Sprintf("this is %s; the configuration must be a regular file", what)}
}

// fileWarnings returns what is unsafe about the config file at path (whose
// opened file is described by st) and the directories holding it: other
// users who can change it, or an owner who is someone else.
func fileWarnings(path string, st fs.FileInfo) []string {
	var out []string
	if w := looseFile(path, st); w != "" {
		out = append(out, w)
	}
	dirs := []string{filepath.Dir(path)}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		if d := filepath.Dir(real); d != dirs[0] {
			dirs = append(dirs, d)
		}
	}
	for _, dir := range dirs {
		dst, err := os.Stat(dir)
		if err != nil {
			continue
		}
		if w := looseDir(dir, dst); w != "" {
			out = append(out, w)
		}
	}
	return out
}
