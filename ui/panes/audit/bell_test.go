package audit_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	saudit "github.com/hubtui/hubtui/state/audit"
	"github.com/hubtui/hubtui/ui/panes/audit"
)

// TestBellRingsOncePerPoll: three events a bell rule matches, taken in by
// one poll, ring the bell once; another one in a later poll rings it again.
// The events of the first page are history: no bell.
func TestBellRingsOncePerPoll(t *testing.T) {
	sess := wallClockSession(t)
	watch := saudit.NewWatch([]saudit.Rule{{Name: "web-descriptions", Actions: []*regexp.Regexp{regexp.MustCompile(`^repo\.update_description$`)},
		Object: regexp.MustCompile(`^acme/web$`), Bell: true}})
	update := func(i int) {
		t.Helper()
		desc := fmt.Sprintf("bell %d", i)
		if _, _, err := sess.Client.Repos.Update(context.Background(), "acme", "web", &hubclient.RepositoryUpdateRequest{Description: &desc}); err != nil {
			t.Fatal(err)
		}
	}
	update(0) // on the first page: history
	d := openAuditTab(t, sess, audit.Settings{Watch: watch}, 140, 40)
	if watch.Hits(0) != 1 || d.Bells() != 0 {
		t.Fatalf("the first page: %d hits, %d bells; want 1 hit, no bell", watch.Hits(0), d.Bells())
	}
	for i := 1; i <= 3; i++ { // all before the first poll
		update(i)
	}
	d.Key("f")
	d.UntilWithin(30*time.Second, "the three events", func() bool { return watch.Hits(0) == 4 })
	d.Settle(200 * time.Millisecond)
	if n := d.Bells(); n != 1 {
		t.Fatalf("three events in one poll rang %d bells, want 1", n)
	}
	update(4)
	d.UntilWithin(30*time.Second, "the fourth event", func() bool { return watch.Hits(0) == 5 })
	d.Settle(200 * time.Millisecond)
	if n := d.Bells(); n != 2 {
		t.Fatalf("a later poll's event left %d bells, want 2", n)
	}
}
