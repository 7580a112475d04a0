package config

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/hubtui/hubtui/assets"
	"gopkg.in/yaml.v3"
)

func TestTemplateLoads(t *testing.T) {
	cfg, err := Parse("config.example.yaml", assets.ConfigTemplate())
	if err != nil {
		t.Fatalf("the template does not load: %v", err)
	}
	want := Default()
	if cfg.Theme != want.Theme || cfg.PageSize != want.PageSize || cfg.AuditPollInterval != want.AuditPollInterval {
		t.Errorf("template values %+v differ from Default() %+v", cfg, want)
	}
	if a := cfg.Audit; a.Buffer != want.Audit.Buffer || a.Share != want.Audit.Share || a.DefaultRules != want.Audit.DefaultRules || len(a.Rules) != 0 {
		t.Errorf("template audit %+v differs from the default %+v", a, want.Audit)
	}
	c, err := cfg.Context("")
	if err != nil {
		t.Fatal(err)
	}
	if c.HubURL != DefaultHubURL || c.Secret != SecretAuto || c.ReadOnly {
		t.Errorf("template context = %+v, want the defaults", c)
	}
}

// TestTemplateShowsEveryKey keeps the template in step with the decoder.
func TestTemplateShowsEveryKey(t *testing.T) {
	var doc struct {
		Top      map[string]any   `yaml:",inline"`
		Contexts []map[string]any `yaml:"contexts"`
	}
	if err := yaml.Unmarshal(assets.ConfigTemplate(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range topLevelKeys() {
		if _, ok := doc.Top[k]; !ok && k != keyContexts {
			t.Errorf("the template does not show %q", k)
		}
	}
	if len(doc.Contexts) == 0 {
		t.Fatal("the template shows no context")
	}
	for _, k := range contextKeys() {
		if _, ok := doc.Contexts[0][k]; !ok {
			t.Errorf("the template's context does not show %q", k)
		}
	}
}

func TestWriteTemplate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "hubtui")
	path := filepath.Join(dir, "config.yaml")

	if err := WriteTemplate(path, false); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, assets.ConfigTemplate()) {
		t.Error("the written file differs from the template")
	}
	if _, err := Load(path); err != nil {
		t.Errorf("the written file does not load: %v", err)
	}
	if runtime.GOOS != "windows" {
		checkMode(t, path, 0o600)
		checkMode(t, dir, 0o700)
	}

	// No overwrite without force.
	if err := os.WriteFile(path, []byte("theme: mono\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err = WriteTemplate(path, false)
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("WriteTemplate over a file = %v, want fs.ErrExist", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "theme: mono\n" {
		t.Errorf("the existing file was changed to %q", got)
	}

	// Force replaces it, with mode 0600 again.
	if err := WriteTemplate(path, true); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, assets.ConfigTemplate()) {
		t.Error("force did not replace the file")
	}
	if runtime.GOOS != "windows" {
		checkMode(t, path, 0o600)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}

	if err := WriteTemplate("", false); err == nil {
		t.Error("WriteTemplate(\"\") succeeded")
	}
}

func checkMode(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s has mode %#o, want %#o", path, got, want)
	}
}
