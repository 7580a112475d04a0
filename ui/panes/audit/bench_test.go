package audit_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/panes/audit"
)

// many is n events a second apart, oldest first, with varied actors,
// actions and objects.
func many(n int) []hubclient.AuditLog {
	actions := []string{"repo.tag.push", "repo.tag.delete", "org.member.add", "repo.create", "org.settings.update"}
	t0 := uitest.FixedNow().Add(-time.Duration(n) * time.Second)
	out := make([]hubclient.AuditLog, n)
	for i := range out {
		repo := fmt.Sprintf("acme/repo-%d", i%997)
		out[i] = hubclient.AuditLog{Account: "acme", Action: actions[i%len(actions)], Name: repo, Actor: fmt.Sprintf("user%d", i%53),
			Timestamp: t0.Add(time.Duration(i) * time.Second), Data: map[string]string{"tag": fmt.Sprint("v", i%31)},
			ActionDescription: fmt.Sprintf("pushed the tag v%d to the repository %s", i%31, repo)}
	}
	return out
}

// audit100k is the App on the Audit pane holding 100,000 events.
func audit100k(b *testing.B) (*uitest.Driver, *audit.Pane) {
	_, url := uitest.StartSim(b, hubsim.Options{})
	d := uitest.New(b, ui.Options{Session: uitest.Session(b, url, "demo", "demo"), Panes: ui.RegistryWith(audit.Settings{Buffer: 100_000})}, 160, 40)
	d.Until("repositories", func() bool { return strings.Contains(d.Screen(), " repositories · loaded") })
	d.Key("7")
	d.Until("the log", func() bool { return strings.Contains(d.Screen(), " events held") })
	d.Until("the labels", func() bool { return strings.Contains(d.Screen(), "Tag Pushed") })
	p := uitest.Pane[*audit.Pane](d, state.Audit)
	p.Hold(many(100_000))
	if n := len(p.Held()); n != 100_000 {
		b.Fatalf("%d events held", n)
	}
	return d, p
}

// BenchmarkViewAudit100k draws the whole frame on the Audit pane with
// 100,000 events held, moving the cursor each time, unfiltered and under a
// local filter: the cost is the rows on screen, not the events held.
func BenchmarkViewAudit100k(b *testing.B) {
	for _, q := range []string{"", "user7 push"} {
		name := "all"
		if q != "" {
			name = "filtered"
		}
		b.Run(name, func(b *testing.B) {
			d, p := audit100k(b)
			if q != "" {
				d.Key("/")
				d.Type(q)
				d.Key("enter")
				d.Until("the filter", func() bool { return strings.Contains(d.Screen(), "events held match") })
				if len(p.Shown()) == 0 {
					b.Fatal("the filter keeps nothing")
				}
			}
			d.Key("j", "j")
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				d.Key("j")
				_ = d.App.View()
			}
		})
	}
}

// BenchmarkAuditQuery100k is the cost of a new local filter over 100,000
// events held (run once per query change, never per frame).
func BenchmarkAuditQuery100k(b *testing.B) {
	for _, q := range []string{"user7 push", "'repo-12", "u"} {
		b.Run(q, func(b *testing.B) {
			_, p := audit100k(b)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if p.Refilter(q) == 0 {
					b.Fatal("nothing matches")
				}
			}
		})
	}
}
