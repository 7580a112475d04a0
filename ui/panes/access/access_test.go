package access_test

import (
	"strings"
	"testing"

	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/panes/access"
)

func TestAccessReview(t *testing.T) {
	d := uitest.Demo(t)
	d.Key(":")
	d.Type("access")
	d.Key("enter")
	d.Until("the review", func() bool { return strings.Contains(d.Screen(), " grants · loaded") })
	s := d.Screen()
	for _, want := range []string{"MEMBER", "PERMISSION", "THROUGH", "every repository", "owner of the org", "team "} {
		if !strings.Contains(s, want) {
			t.Fatalf("review lacks %q:\n%s", want, s)
		}
	}
	p := uitest.Pane[*access.Pane](d, access.Kind)
	all := p.L.Coll().Len()
	// Who can push to one repository: owners, and teams with write or admin.
	d.Key(":")
	d.Type("access acme/web")
	d.Key("enter")
	d.Until("one repository", func() bool {
		return strings.Contains(d.Screen(), " grants · loaded") && p.L.Scope() == "acme|acme/web"
	})
	for _, g := range p.L.Coll().Snapshot() {
		if g.Repository != "acme/web" && g.Repository != "*" {
			t.Fatalf("a grant of another repository: %+v", g)
		}
	}
	if n := p.L.Coll().Len(); n == 0 || n >= all {
		t.Fatalf("acme/web: %d of %d grants", n, all)
	}
	d.Key("w")
	d.Until("the write filter", func() bool { return !p.L.Filtering() })
	for i := range p.L.Visible() {
		g, _ := p.L.Row(i)
		if g.Permission == "read" {
			t.Fatalf("w left a read grant: %+v", g)
		}
	}
	// One member.
	d.Key(":")
	d.Type("access demo")
	d.Key("enter")
	d.Until("one member", func() bool { return strings.Contains(d.Screen(), " grants · loaded") && p.L.Scope() == "acme|demo" })
	for _, g := range p.L.Coll().Snapshot() {
		if g.Member != "demo" {
			t.Fatalf("a grant of another member: %+v", g)
		}
	}
}
