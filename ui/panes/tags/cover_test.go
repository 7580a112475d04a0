package tags_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/panes/tags"
)

// TestBulkDeleteOffersWholeImages: when every current tag of some images is
// marked, deleting those images takes the tags in one request; images an
// immutable rule protects are refused and their tags stay.
func TestBulkDeleteOffersWholeImages(t *testing.T) {
	_, url := uitest.StartSim(t, hubsim.Options{})
	sess := uitest.Session(t, url, "demo", "demo")
	d := uitest.New(t, ui.Options{Session: sess}, 120, 40)
	d.Until("repositories", func() bool { return strings.Contains(d.Screen(), " repositories · loaded") })
	d.Key(":")
	d.Type("tags acme/web")
	d.Key("enter")
	d.Until("the tags", func() bool { return strings.Contains(d.Screen(), " tags · loaded") })
	p := uitest.Pane[*tags.Pane](d, "tags")
	before := p.L.Coll().Len()
	d.Key("ctrl+a", "D")
	d.Until("the offer", func() bool { return strings.Contains(d.Screen(), "instead?") })
	m := regexp.MustCompile(`Delete (\d+) image\(s\) of acme/web instead\?`).FindStringSubmatch(d.Screen())
	if m == nil {
		t.Fatalf("no offer:\n%s", d.Screen())
	}
	d.Key("y")
	if !strings.Contains(d.Screen(), "Type delete "+m[1]+" images") {
		t.Fatalf("the image delete did not ask for the count typed:\n%s", d.Screen())
	}
	d.Type("delete " + m[1] + " images")
	d.Key("enter")
	d.Until("the image delete", func() bool {
		return strings.Contains(d.Screen(), "deleted "+m[1]+" image(s) and their tags of acme/web")
	})
	// acme/web's v* tags are immutable: their images were refused, and
	// their tags are offered for one-at-a-time deletion (which the Hub
	// refuses too). Say no: they stay.
	if d.App.Dialog() != nil {
		d.Key("esc")
	}
	left := p.L.Coll().Snapshot()
	if len(left) == 0 || len(left) == before {
		t.Fatalf("%d of %d tags left", len(left), before)
	}
	for _, r := range left {
		if !strings.HasPrefix(r.Name, "v") {
			t.Fatalf("tag %s should have gone with its image", r.Name)
		}
	}
	onHub, _, err := sess.Client.Tags.List(context.Background(), "acme", "web", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(onHub) != len(left) {
		t.Fatalf("the Hub holds %d tags, the list %d", len(onHub), len(left))
	}
	for _, tg := range onHub {
		if !strings.HasPrefix(tg.Name, "v") {
			t.Fatalf("the Hub still holds %s", tg.Name)
		}
	}
}
