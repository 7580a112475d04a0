package repos_test

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
)

// detailOf opens the detail page of acme/NAME after setting its README.
func detailOf(t *testing.T, name, readme string, w, h int) *uitest.Driver {
	t.Helper()
	_, url := uitest.StartSim(t, hubsim.Options{})
	sess := uitest.Session(t, url, "demo", "demo")
	if _, _, err := sess.Client.Repos.Update(context.Background(), "acme", name, &hubclient.RepositoryUpdateRequest{FullDescription: &readme}); err != nil {
		t.Fatal(err)
	}
	d := uitest.New(t, ui.Options{Session: sess}, w, h)
	d.Until("repositories", func() bool { return strings.Contains(d.Screen(), " repositories · loaded") })
	d.Key("/")
	d.Type("'" + name)
	d.Key("enter")
	d.Until("the filter", func() bool { return strings.Contains(d.Screen(), `filter "'`+name+`": 1`) })
	d.Key("enter")
	d.Until("the README", func() bool {
		s := d.Screen()
		return strings.Contains(s, "README") && !strings.Contains(s, "rendering the README") && !strings.Contains(s, "loading")
	})
	return d
}

func TestDetailRendersTheREADME(t *testing.T) {
	md := "# Payments\n\nHandles **card** payments.\n\n## Run\n\n    docker run acme/billing\n\n| port | use |\n|---|---|\n| 8080 | http |\n"
	d := detailOf(t, "billing", md, 100, 50)
	s := d.Screen()
	for _, want := range []string{"Handles card payments.", "8080", "http", "docker run acme/billing", "Hub address", "https://hub.docker.com/r/acme/billing", "Teams"} {
		if !strings.Contains(s, want) {
			t.Fatalf("detail lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "**card**") || strings.Contains(s, "|---|") {
		t.Fatalf("the README is shown as source, not rendered:\n%s", s)
	}
	// Narrower: rendered again for the new width, no line wider than it.
	d.Send(tea.WindowSizeMsg{Width: 60, Height: 50})
	d.Until("the narrow rendering", func() bool { return !strings.Contains(d.Screen(), "rendering the README") })
	for _, l := range strings.Split(d.Screen(), "\n") {
		if len([]rune(l)) > 60 {
			t.Fatalf("a line is wider than 60 after the resize: %q", l)
		}
	}
}

func TestDetailREADMEHostileMarkdown(t *testing.T) {
	md := "# Evil\x1b]0;owned\x07\n\n[click](https://evil.example/\x1b]52;c;cGF5bG9hZA==\x07)\n\n\x1b[2Jcleared?\n\n" +
		"| " + strings.Repeat("col | ", 40) + "\n|" + strings.Repeat("---|", 40) + "\n" + strings.Repeat("| "+strings.Repeat("v | ", 40)+"\n", 120)
	d := detailOf(t, "billing", md, 100, 40)
	raw := d.App.View().Content
	for _, bad := range []string{"\x1b]", "\x1b[2J", "\x07", "]52;", "owned\x07"} {
		if strings.Contains(raw, bad) {
			t.Fatalf("hostile sequence %q reached the screen", bad)
		}
	}
	if !strings.Contains(d.Screen(), "Evil") {
		t.Fatalf("the heading is lost:\n%s", d.Screen())
	}
	// The page scrolls through the huge table to its end.
	d.Key("G")
	if s := d.Screen(); !strings.Contains(s, "copy pull") {
		t.Fatalf("G did not reach the end of the page:\n%s", s)
	}
}

func TestDetailCopiesPullCommandAndShowsAddress(t *testing.T) {
	d := detailOf(t, "billing", "short", 100, 40)
	d.Key("y")
	d.Settle(50 * 1e6)
	if !strings.Contains(d.Screen(), "copied docker pull acme/billing") {
		t.Fatalf("y did not copy the pull command:\n%s", d.Screen())
	}
	if len(d.Raw) == 0 || !strings.Contains(strings.Join(d.Raw, ""), "\x1b]52;c;") {
		t.Fatalf("no OSC 52 written: %q", d.Raw)
	}
	d.Key("o")
	if !strings.Contains(d.Screen(), "https://hub.docker.com/r/acme/billing") {
		t.Fatalf("o did not show the address:\n%s", d.Screen())
	}
}
