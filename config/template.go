package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/hubtui/hubtui/assets"
)

// WriteTemplate writes the commented default configuration (see
// assets.ConfigTemplate) to path with mode 0600, creating missing parent
// directories with mode 0700. An existing file is kept and an error matching
// fs.ErrExist is returned unless force is true; with force the file is
// replaced atomically.
func WriteTemplate(path string, force bool) error {
	if path == "" {
		return errors.New("write config template: no path given")
	}
	data := assets.ConfigTemplate()
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create config directory %s: %w", dir, err)
	}
	if !force {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("config file %s already exists; not overwriting it: %w", path, fs.ErrExist)
		}
		if err != nil {
			return fmt.Errorf("write config template %s: %w", path, err)
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			return fmt.Errorf("write config template %s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("write config template %s: %w", path, err)
		}
		return nil
	}

	tmp, err := os.CreateTemp(dir, ".config-*.yaml.tmp")
	if err != nil {
		return fmt.Errorf("write config template %s: %w", path, err)
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // no-op once renamed
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("write config template %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write config template %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write config template %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write config template %s: %w", path, err)
	}
	if err := os.Rename(tmpName, path); err != nil {
		return fmt.Errorf("write config template %s: %w", path, err)
	}
	return nil
}
