package ui_test

import (
	"strings"
	"testing"

	"github.com/hubtui/hubtui/assets"
	"github.com/hubtui/hubtui/config"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/pane"
)

func TestConfigTemplateListsEveryAction(t *testing.T) {
	tmpl := string(assets.ConfigTemplate())
	for _, b := range ui.DefaultKeymap().Bindings() {
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
	if _, err := ui.DefaultKeymap().WithOverrides(cfg.Keys); err != nil {
		t.Fatal(err)
	}
}

func TestKeymapOverrides(t *testing.T) {
	k, err := ui.DefaultKeymap().WithOverrides(map[string][]string{"quit": {"Z"}, "copy": {}})
	if err != nil {
		t.Fatal(err)
	}
	if b, ok := k.FindFrame(8, "Z"); !ok || b.Action != pane.ActQuit {
		t.Fatalf("Z → %v %v", b.Action, ok)
	}
	if _, ok := k.FindFrame(8, "q"); ok {
		t.Fatal("q still bound after quit was remapped")
	}
	if _, ok := k.FindFrame(8, "y"); ok {
		t.Fatal("copy not unbound")
	}
	// In the App: help shows neither, and x quits.
	_, url := uitest.StartSim(t, hubsim.Options{})
	d := uitest.New(t, ui.Options{Session: uitest.Session(t, url, "demo", "demo"), Keymap: k}, 120, 40)
	d.Until("repositories", reposLoaded(d))
	d.Key("?")
	if s := d.Screen(); strings.Contains(s, "copy docker pull") || strings.Contains(s, "q/ctrl+c") || !strings.Contains(s, "Z/ctrl+c") && !strings.Contains(s, "Z ") {
		t.Fatalf("help after the overrides:\n%s", s)
	}
	d.Key("?", "Z")
	if !d.App.Quitting() {
		t.Fatal("Z did not quit")
	}
	if _, err := ui.DefaultKeymap().WithOverrides(map[string][]string{"fly": {"f"}}); err == nil || !strings.Contains(err.Error(), `unknown action "fly"`) {
		t.Fatalf("unknown action: %v", err)
	}
	if _, err := ui.DefaultKeymap().WithOverrides(map[string][]string{"quit": {"j"}}); err == nil || !strings.Contains(err.Error(), `"j" is bound to both`) {
		t.Fatalf("double binding: %v", err)
	}
}
