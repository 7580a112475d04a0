package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/assets"
)

func FuzzLoad(f *testing.F) {
	f.Add(assets.ConfigTemplate())
	f.Add([]byte(goodConfig))
	f.Add([]byte(rulesConfig))
	for _, s := range []string{
		"",
		"theme: dark\n\tpage_size: 5\n",
		"contexts:\n  - name: a\n    org: b\n   readonly: true\n",
		"keys:\n  quit: &k [q]\n  exit: *k\n",
		"a: &a [*a]\n",
		"theme: dark\n---\ntheme: light\n",
		"contexts:\n  - name: a\n    hub_url: http://[::1]:80\n",
		"page_size: 0x10\naudit_poll_interval: 2s\n",
		"x: 1\r\ny: 2\rz\xff: 3",
		"<<: {theme: dark}\n",
		"contexts: &c [*c]\n",
		"keys: &m {quit: *m}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("fuzz.yaml", data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not an *Error", err, err)
			}
			if e.Line < 0 || e.Line > len(lineEnds(data))+1 {
				t.Fatalf("error line %d out of range: %v", e.Line, err)
			}
			if e.File != "fuzz.yaml" || !strings.HasPrefix(err.Error(), "fuzz.yaml") || e.Msg == "" {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if cfg.PageSize < 1 || cfg.PageSize > MaxPageSize || cfg.AuditPollInterval < MinAuditPollInterval {
			t.Fatalf("accepted out-of-range values: %+v", cfg)
		}
		switch cfg.Theme {
		case ThemeAuto, ThemeDark, ThemeLight, ThemeMono:
		default:
			t.Fatalf("accepted theme %q", cfg.Theme)
		}
		if _, err := cfg.Context(""); err != nil {
			t.Fatalf("current context of an accepted config: %v", err)
		}
		seen := map[string]bool{}
		for _, c := range cfg.Contexts {
			if c.Name == "" || seen[c.Name] {
				t.Fatalf("accepted context name %q twice or empty", c.Name)
			}
			seen[c.Name] = true
			if _, err := ParseSecret(c.Secret); err != nil {
				t.Fatalf("accepted secret %q: %v", c.Secret, err)
			}
			if _, msg := checkHubURL(c.HubURL); msg != "" {
				t.Fatalf("accepted hub_url %q: %s", c.HubURL, msg)
			}
		}
	})
}
