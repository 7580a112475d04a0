package tags_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/panes/tags"
)

func openTags(t *testing.T, ref string) *uitest.Driver {
	t.Helper()
	d := uitest.Demo(t)
	d.Key(":")
	d.Type("tags " + ref)
	d.Key("enter")
	d.Until("the tags", func() bool { return strings.Contains(d.Screen(), " tags · loaded") })
	return d
}

func TestTagDetailShowsPlatformsAndLayers(t *testing.T) {
	d := openTags(t, "acme/web")
	s := d.Screen()
	for _, col := range []string{"TAG", "DIGEST", "PLATFORMS", "SIZE", "LAST PUSHED", "LAST PULLED", "STATUS", "PUSHED BY"} {
		if !strings.Contains(s, col) {
			t.Fatalf("column %s missing:\n%s", col, s)
		}
	}
	row, ok := uitest.Pane[*tags.Pane](d, "tags").L.Selected()
	if !ok {
		t.Fatal("no tag under the cursor")
	}
	d.Key("enter")
	d.Until("the tag's images", func() bool { return strings.Contains(d.Screen(), "Images (") })
	s = d.Screen()
	for _, want := range []string{"acme/web:" + row.Name, "Layers", "linux/amd64", "Digest", "Last pulled"} {
		if !strings.Contains(s, want) {
			t.Fatalf("tag detail lacks %q:\n%s", want, s)
		}
	}
	// The breadcrumbs name the tag, esc goes back to the list.
	if !strings.Contains(s, "Tags › "+row.Name) {
		t.Fatalf("breadcrumbs do not name the tag:\n%s", s)
	}
	d.Key("G")
	d.Key("esc")
	if !strings.Contains(d.Screen(), "PUSHED BY") {
		t.Fatalf("esc did not go back to the list:\n%s", d.Screen())
	}
}

func TestTagCopyByNameAndDigest(t *testing.T) {
	d := openTags(t, "acme/web")
	row, _ := uitest.Pane[*tags.Pane](d, "tags").L.Selected()
	d.Key("y")
	if want := "copied docker pull acme/web:" + row.Name; !strings.Contains(d.Screen(), want) {
		t.Fatalf("y: want %q on screen:\n%s", want, d.Screen())
	}
	d.Key("Y")
	if want := "copied docker pull acme/web@sha256:"; !strings.Contains(d.Screen(), want) {
		t.Fatalf("Y: want %q on screen:\n%s", want, d.Screen())
	}
}

func TestMarkStaleTagsAndPreview(t *testing.T) {
	d := openTags(t, "acme/web")
	p := uitest.Pane[*tags.Pane](d, "tags")
	cut := uitest.FixedNow().AddDate(0, 0, -30)
	want := 0
	for _, tg := range p.L.Coll().Snapshot() {
		if tags.Stale(tg, cut) {
			want++
		}
	}
	if want == 0 || want == p.L.Coll().Len() {
		t.Fatalf("the demo's acme/web has %d of %d tags idle 30 days: the test needs some of each", want, p.L.Coll().Len())
	}
	d.Key("I")
	d.Key("backspace", "backspace")
	d.Type("30")
	d.Key("enter")
	if got := len(p.L.Marked()); got != want {
		t.Fatalf("marked %d, want %d", got, want)
	}
	d.Key("D")
	s := d.Screen()
	for _, w := range []string{"Chosen by: neither pushed nor pulled", "than 30 days", "in all", "Only the tags listed here are deleted"} {
		if !strings.Contains(s, w) {
			t.Fatalf("the preview lacks %q:\n%s", w, s)
		}
	}
	d.Key("esc")
	// A bad number is refused beside the field; nothing is marked.
	p.L.ClearMarks()
	d.Key("I", "backspace", "backspace")
	d.Type("-3")
	d.Key("enter")
	if !strings.Contains(d.Screen(), "a whole number of days") || len(p.L.Marked()) != 0 {
		t.Fatalf("-3 days was accepted:\n%s", d.Screen())
	}
}

func TestStale(t *testing.T) {
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	cut := now.AddDate(0, 0, -10)
	old, recent := now.AddDate(0, 0, -20), now.AddDate(0, 0, -1)
	cases := []struct {
		t    tags.Row
		want bool
	}{
		{tags.Row{Pushed: old.Unix(), Pulled: old.Unix()}, true},
		{tags.Row{Pushed: old.Unix(), Pulled: recent.Unix()}, false},
		{tags.Row{Pushed: recent.Unix()}, false},
		{tags.Row{Pushed: old.Unix()}, true},
		{tags.Row{Updated: recent.Unix()}, false},
		{tags.Row{}, true},
	}
	for i, c := range cases {
		if got := tags.Stale(c.t, cut); got != c.want {
			t.Errorf("case %d: Stale = %v, want %v", i, got, c.want)
		}
	}
}
