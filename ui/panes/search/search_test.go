package search_test

import (
	"strings"
	"testing"

	"github.com/hubtui/hubtui/ui/internal/uitest"
)

func TestSearchFromThePalette(t *testing.T) {
	d := uitest.Demo(t)
	d.Key(":")
	d.Type("search web")
	d.Key("enter")
	d.Until("the results", func() bool {
		return strings.Contains(d.Screen(), `search "web" ·`) && strings.Contains(d.Screen(), "loaded")
	})
	s := d.Screen()
	for _, want := range []string{"NAME", "STARS", "PULLS", "acme/web", "Search"} {
		if !strings.Contains(s, want) {
			t.Fatalf("results lack %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "acme/webhooks") {
		t.Fatalf("a private repository was found:\n%s", s)
	}
	// The tab line has no number for it: the eight tabs keep theirs.
	if strings.Contains(s, "9 Search") {
		t.Fatalf("search took a tab number:\n%s", s)
	}
	d.Key("/")
	d.Type("^acme/web$")
	d.Key("enter")
	d.Until("the filter", func() bool { return strings.Contains(d.Screen(), `filter "^acme/web$": 1`) })
	d.Key("enter")
	d.Until("the tags", func() bool {
		return strings.Contains(d.Screen(), "Latest tags") && !strings.Contains(d.Screen(), "loading")
	})
	if !strings.Contains(d.Screen(), "latest") {
		t.Fatalf("no tags listed:\n%s", d.Screen())
	}
	// No change can be made from here: D is nobody's key.
	d.Key("D")
	if d.App.Dialog() != nil {
		t.Fatal("D opened a dialog on a search result")
	}
	d.Key("t")
	d.Until("the tags pane", func() bool { return strings.Contains(d.Screen(), "acme/web · 12 tags") })
	// tab from a hidden pane goes on to the shown ones.
	d.Key(":")
	d.Type("search")
	d.Key("enter")
	if !strings.Contains(d.Screen(), "search for what?") && !strings.Contains(d.Screen(), "Search") {
		t.Fatalf(":search without a term:\n%s", d.Screen())
	}
}
