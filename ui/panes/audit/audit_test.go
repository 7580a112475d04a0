package audit_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	saudit "github.com/hubtui/hubtui/state/audit"
	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/panes/audit"
)

// TestFollowShowsANewEventOnce: the pane opens on the newest events; f
// follows; a change made meanwhile arrives once, marked new; space pauses
// the display while collection goes on.
func TestFollowShowsANewEventOnce(t *testing.T) {
	// The tail works on the wall clock: the simulator does too here.
	sess := wallClockSession(t)
	watch := saudit.NewWatch([]saudit.Rule{{Name: "descriptions", Actions: []*regexp.Regexp{regexp.MustCompile(`^repo\.update_description$`)},
		Object: regexp.MustCompile(`^acme/web$`), Highlight: true, Count: true}})
	d := openAuditTab(t, sess, audit.Settings{Watch: watch}, 140, 40)
	p := uitest.Pane[*audit.Pane](d, state.Audit)
	if !strings.Contains(d.Screen(), "TIME") || !strings.Contains(d.Screen(), "ACTION") {
		t.Fatalf("no table:\n%s", d.Screen())
	}
	before := watch.Hits(0)
	d.Key("f")
	d.Until("following", func() bool { return strings.Contains(d.Screen(), "following every") })
	desc := "made while the audit pane follows"
	if _, _, err := sess.Client.Repos.Update(context.Background(), "acme", "web", &hubclient.RepositoryUpdateRequest{Description: &desc}); err != nil {
		t.Fatal(err)
	}
	d.UntilWithin(30*time.Second, "the event", func() bool {
		for _, l := range strings.Split(d.Screen(), "\n") {
			if len(l) > 1 && l[1] == '+' && strings.Contains(l, "acme/web") && strings.Contains(l, "Description Updated") {
				return true
			}
		}
		return false
	})
	count := 0
	for _, l := range strings.Split(d.Screen(), "\n") {
		if len(l) > 1 && l[1] == '+' && strings.Contains(l, "Description Updated") && strings.Contains(l, "acme/web") {
			count++
		}
	}
	if count != 1 {
		t.Fatalf("the change shows %d times as new:\n%s", count, d.Screen())
	}
	if got := watch.Hits(0); got != before+1 {
		t.Fatalf("the watch rule counted %d, want %d", got, before+1)
	}
	if !strings.Contains(d.Screen(), " watched (:rules)") {
		t.Fatalf("no watched count in the status:\n%s", d.Screen())
	}
	d.Key("space")
	if !strings.Contains(d.Screen(), "paused, 0 new") {
		t.Fatalf("space did not pause:\n%s", d.Screen())
	}
	_ = p
	d.Key("f")
	if strings.Contains(d.Screen(), "following every") {
		t.Fatalf("f did not stop:\n%s", d.Screen())
	}
}
