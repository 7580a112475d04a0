package ui_test

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/pane"
)

// gadgets is a pane that exists only in this test: registering it must be
// all it takes for its keys to reach dispatch, help and the footer.
type gadgets struct{ polished, frobbed int }

const kindGadgets state.Kind = "gadgets"

func (g *gadgets) Kind() state.Kind                 { return kindGadgets }
func (g *gadgets) Title() string                    { return "Gadgets" }
func (g *gadgets) Enter(pane.Env) tea.Cmd           { return nil }
func (g *gadgets) Leave(pane.Env)                   {}
func (g *gadgets) Update(pane.Env, tea.Msg) tea.Cmd { return nil }
func (g *gadgets) Status(pane.Env) string           { return "gadgets status" }
func (g *gadgets) View(pane.Env, int, int) string   { return "the gadget shelf" }
func (g *gadgets) Bindings(env pane.Env) []pane.Binding {
	return []pane.Binding{
		{Action: "polish", Keys: []string{"P"}, Help: "polish the gadget", Short: "polish",
			Run: func() tea.Cmd { g.polished++; return nil }},
		{Action: "frobnicate", Keys: []string{"F"}, Help: "frobnicate the gadget", Short: "frob", Mutates: true,
			Run: func() tea.Cmd { g.frobbed++; return nil }},
	}
}

func gadgetEntry(g *gadgets) pane.Entry {
	return pane.Entry{Kind: kindGadgets, Title: "Gadgets", Command: "gadgets", Usage: "gadgets", Help: "the test pane",
		New: func() pane.Pane { return g }}
}

func gadgetApp(t *testing.T, readOnly bool) (*uitest.Driver, *gadgets) {
	t.Helper()
	_, url := uitest.StartSim(t, hubsim.Options{})
	g := &gadgets{}
	reg := append(ui.Registry(), gadgetEntry(g))
	sess := uitest.Session(t, url, "demo", "demo")
	sess.ReadOnly = readOnly
	d := uitest.New(t, ui.Options{Session: sess, Panes: reg}, 160, 40)
	d.Until("repositories", func() bool { return strings.Contains(d.Screen(), " repositories · loaded") })
	return d, g
}

func footer(screen string) string {
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestRegisteredPaneBringsItsOwnKeys(t *testing.T) {
	d, g := gadgetApp(t, false)
	if !strings.Contains(d.Screen(), "9 Gadgets") && !strings.Contains(d.Screen(), "Gadgets") {
		t.Fatalf("the ninth tab is not drawn:\n%s", d.Screen())
	}
	// Keys of the test pane do nothing elsewhere and are not in its help.
	d.Key("P", "F")
	if g.polished != 0 || g.frobbed != 0 {
		t.Fatalf("the gadget keys ran on the Repos pane: %+v", g)
	}
	d.Key("?")
	if s := d.Screen(); strings.Contains(s, "polish the gadget") || strings.Contains(s, "frobnicate") {
		t.Fatalf("Repos help shows the gadget pane's keys:\n%s", s)
	}
	d.Key("q") // closes help
	for _, k := range []string{"2", "3", "4", "5", "6", "7", "8"} {
		d.Key(k)
		d.Key("?")
		if s := d.Screen(); strings.Contains(s, "polish the gadget") {
			t.Fatalf("tab %s help shows the gadget pane's keys:\n%s", k, s)
		}
		d.Key("?")
	}

	d.Key("9")
	if s := d.Screen(); !strings.Contains(s, "the gadget shelf") || !strings.Contains(s, "gadgets status") {
		t.Fatalf("tab 9 is not the gadget pane:\n%s", s)
	}
	if f := footer(d.Screen()); !strings.Contains(f, "P polish") || !strings.Contains(f, "F frob") || !strings.Contains(f, "? help") {
		t.Fatalf("footer lacks the pane's keys: %q", f)
	}
	d.Key("P", "F")
	if g.polished != 1 || g.frobbed != 1 {
		t.Fatalf("keys did not reach the pane: %+v", g)
	}
	d.Key("?")
	s := d.Screen()
	for _, want := range []string{"polish the gadget", "frobnicate the gadget", "help"} {
		if !strings.Contains(s, want) {
			t.Fatalf("gadget help lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "delete repository") {
		t.Fatalf("gadget help shows the Repos pane's keys:\n%s", s)
	}

	// The palette knows it from the registry line alone.
	d.Key("?", "1", ":")
	d.Type("gadgets")
	d.Key("enter")
	if !strings.Contains(d.Screen(), "the gadget shelf") {
		t.Fatalf(":gadgets did not open the pane:\n%s", d.Screen())
	}
}

func TestReadOnlyHidesEveryMutatingBinding(t *testing.T) {
	d, g := gadgetApp(t, true)
	// Every mutating binding any registered pane declares is absent from that
	// pane's help and footer, and its key does nothing but say why.
	var mutating []pane.Binding
	for _, b := range ui.NewKeymap(append(ui.Registry(), gadgetEntry(&gadgets{}))).Bindings() {
		if b.Mutates {
			mutating = append(mutating, b)
		}
	}
	if len(mutating) < 4 {
		t.Fatalf("only %d mutating bindings known: the catalogue misses panes", len(mutating))
	}
	for i := 1; i <= 9; i++ {
		d.Key(string(rune('0' + i)))
		f := footer(d.Screen())
		d.Key("?")
		s := d.Screen()
		d.Key("?")
		for _, b := range mutating {
			if strings.Contains(s, b.Help) {
				t.Errorf("tab %d read-only help shows %q:\n%s", i, b.Help, s)
			}
			if b.Short != "" && strings.Contains(f, " "+b.Short) && b.Short != "back" {
				t.Errorf("tab %d read-only footer shows %q: %q", i, b.Short, f)
			}
		}
	}
	d.Key("F")
	if g.frobbed != 0 {
		t.Fatal("a mutating key ran in read-only mode")
	}
	if !strings.Contains(d.Screen(), "read-only") {
		t.Fatalf("the key did not say why it did nothing:\n%s", d.Screen())
	}
	// The same key works when not read-only: the test above can fail.
	d2, g2 := gadgetApp(t, false)
	d2.Key("9", "F")
	if g2.frobbed != 1 {
		t.Fatal("F did not frobnicate outside read-only mode")
	}
}
