package tags_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/panes/repos"
	"github.com/hubtui/hubtui/ui/panes/tags"
)

func repoPane(d *uitest.Driver) *repos.Pane { return uitest.Pane[*repos.Pane](d, state.Repos) }
func tagPane(d *uitest.Driver) *tags.Pane   { return uitest.Pane[*tags.Pane](d, state.Tags) }

// paletteTags runs `:tags ref` through the palette and waits for the tags.
func paletteTags(d *uitest.Driver, ref string) *tags.Pane {
	d.T.Helper()
	d.Palette("tags " + ref)
	tp := tagPane(d)
	d.Until("the tags of "+ref, func() bool { return tp.L.Scope() == ref && tp.L.Coll().Status == state.Loaded })
	return tp
}

func TestBulkTagDeleteReportsImmutableTags(t *testing.T) {
	d := uitest.Demo(t)
	// Find a repository with immutable tags (the demo has some: rule v.*).
	var ref string
	for _, r := range repoPane(d).L.Coll().Items {
		c := d.App.Session().Client
		info, _, err := c.Repos.Get(context.Background(), r.Namespace, r.Name)
		if err == nil && info.ImmutableTagsSettings.Enabled {
			ref = r.Namespace + "/" + r.Name
			break
		}
	}
	if ref == "" {
		t.Skip("no repository with immutable tags in the demo data")
	}
	tp := paletteTags(d, ref)
	before := len(tp.L.Coll().Items)
	d.Key("ctrl+a", "D")
	d.Until("the question", func() bool { return d.App.Dialog() != nil })
	if strings.Contains(d.Screen(), "instead?") { // whole images hold these tags: take the tags one at a time
		d.Key("n")
	}
	if !strings.Contains(d.Screen(), fmt.Sprintf("Delete %d tags of %s?", before, ref)) {
		t.Fatalf("bulk confirmation:\n%s", d.Screen())
	}
	d.Key("y")
	d.Until("the result", func() bool { return d.App.Error() != "" || strings.HasPrefix(d.App.Status(), "deleted") })
	if !strings.Contains(d.App.Error(), "not done") || !strings.Contains(d.App.Error(), "immutable") {
		t.Fatalf("immutable tags were not reported: err %q status %q", d.App.Error(), d.App.Status())
	}
	left := len(tp.L.Coll().Items)
	if left == 0 || left == before {
		t.Fatalf("%d of %d tags left; want only the immutable ones", left, before)
	}
	for _, tg := range tp.L.Coll().Items {
		if !strings.HasPrefix(tg.Name, "v") {
			t.Fatalf("tag %s should have been deleted", tg.Name)
		}
	}
}

func TestManyTagsAskForTheCountTyped(t *testing.T) {
	d, sim := uitest.DemoWith(t, hubsim.Options{})
	many := make([]string, tags.BulkTypedConfirm+5-12) // the demo's 12 and these: 25
	for i := range many {
		many[i] = fmt.Sprintf("pr-%02d", i)
	}
	if err := sim.PushTags("acme", "web", many...); err != nil {
		t.Fatal(err)
	}
	tp := paletteTags(d, "acme/web")
	if n := len(tp.L.Coll().Items); n != tags.BulkTypedConfirm+5 {
		t.Fatalf("acme/web has %d tags, want %d", n, tags.BulkTypedConfirm+5)
	}
	d.Key("ctrl+a", "D")
	d.Until("the question", func() bool { return d.App.Dialog() != nil })
	if strings.Contains(d.Screen(), "instead?") { // whole images hold these tags: take the tags one at a time
		d.Key("n")
	}
	if d.App.Dialog() == nil || !strings.Contains(d.Screen(), fmt.Sprintf("Type delete %d tags", tags.BulkTypedConfirm+5)) {
		t.Fatalf("25 tags did not ask for the count typed:\n%s", d.Screen())
	}
	d.Key("y")
	if d.App.Dialog() == nil {
		t.Fatal("y alone deleted 25 tags")
	}
	d.Key("backspace") // the y went into the answer
	d.Type(fmt.Sprintf("delete %d tags", tags.BulkTypedConfirm+5))
	d.Key("enter")
	d.Until("the delete", func() bool {
		return d.App.Running() == 0 && tp.L.Coll().Find(func(r tags.Row) bool { return strings.HasPrefix(r.Name, "pr-") }) < 0
	})
}
