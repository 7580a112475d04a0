package ui

import (
	"strings"
	"testing"

	"github.com/hubtui/hubtui/assets"
	"github.com/hubtui/hubtui/config"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/text"
)

func TestConfigTemplateListsEveryAction(t *testing.T) {
	tmpl := string(assets.ConfigTemplate())
	for _, b := range DefaultKeymap().Bindings() {
		if !strings.Contains(tmpl, "# "+string(b.Action)+":") {
			t.Errorf("the config template does not document the action %q", b.Action)
		}
	}
	// Uncommented, every line of the keys section must load and apply.
	var lines []string
	in := false
	for _, l := range strings.Split(tmpl, "\n") {
		if l == "keys:" {
			in = true
			lines = append(lines, l)
			continue
		}
		if in {
			lines = append(lines, strings.Replace(l, "  # ", "  ", 1))
		}
	}
	cfg, err := config.Parse("template-keys", []byte(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DefaultKeymap().WithOverrides(cfg.Keys); err != nil {
		t.Fatal(err)
	}
}

func TestKeymapOverrides(t *testing.T) {
	k, err := DefaultKeymap().WithOverrides(map[string][]string{"quit": {"Z"}, "copy": {}})
	if err != nil {
		t.Fatal(err)
	}
	frame := frameCatalogue(8)
	if b, ok := k.find(frame, "Z"); !ok || b.Action != pane.ActQuit {
		t.Fatalf("Z → %v %v", b.Action, ok)
	}
	if _, ok := k.find(frame, "q"); ok {
		t.Fatal("q still bound after quit was remapped")
	}
	if _, ok := k.find(frame, "y"); ok {
		t.Fatal("copy not unbound")
	}
	// In the App: help shows neither, and x quits.
	_, url := startSim(t, hubsim.Options{})
	d := newDriver(t, Options{Session: demoSession(t, url, "demo", "demo"), Keymap: k}, 120, 40)
	d.until("repositories", d.reposLoaded)
	d.key("?")
	if s := d.screen(); strings.Contains(s, "copy docker pull") || strings.Contains(s, "q/ctrl+c") || !strings.Contains(s, "Z/ctrl+c") && !strings.Contains(s, "Z ") {
		t.Fatalf("help after the overrides:\n%s", s)
	}
	d.key("?", "Z")
	if !d.app.quitting {
		t.Fatal("Z did not quit")
	}
	if _, err := DefaultKeymap().WithOverrides(map[string][]string{"fly": {"f"}}); err == nil || !strings.Contains(err.Error(), `unknown action "fly"`) {
		t.Fatalf("unknown action: %v", err)
	}
	if _, err := DefaultKeymap().WithOverrides(map[string][]string{"quit": {"j"}}); err == nil || !strings.Contains(err.Error(), `"j" is bound to both`) {
		t.Fatalf("double binding: %v", err)
	}
}

func TestOSC52(t *testing.T) {
	if got := osc52("acme/web", false); got != "\x1b]52;c;YWNtZS93ZWI=\x07" {
		t.Fatalf("plain: %q", got)
	}
	if got := osc52("acme/web", true); got != "\x1b]52;c;YWNtZS93ZWI=\x07\x1bPtmux;\x1b\x1b]52;c;YWNtZS93ZWI=\x07\x1b\\" {
		t.Fatalf("tmux: %q", got)
	}
}

func TestHumanNumbers(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 2710159: "2,710,159", -1234: "-1,234"} {
		if got := text.Commas(n); got != want {
			t.Errorf("commas(%d) = %q", n, got)
		}
	}
	for n, want := range map[int64]string{999: "999", 1500: "1.5k", 854000: "854k", 3_000_000: "3.0M"} {
		if got := text.HumanCount(n); got != want {
			t.Errorf("humanCount(%d) = %q", n, got)
		}
	}
	if got := text.Bytes(5_600_000_000); got != "5.6 GB" {
		t.Errorf("humanBytes = %q", got)
	}
}

func TestWrapKeepsLineBreaks(t *testing.T) {
	got := text.Wrap("edge, v1.5.5\n\nPulls of these tags will fail.", 20, "  ")
	if got != "edge, v1.5.5\n  \n  Pulls of these tags\n  will fail." {
		t.Fatalf("wrap = %q", got)
	}
}
