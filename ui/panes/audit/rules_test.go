package audit_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	saudit "github.com/hubtui/hubtui/state/audit"
	"github.com/hubtui/hubtui/ui/panes/audit"
)

// rulesHits is the HITS cell of rule's row on the :rules page (-1: no row).
func rulesHits(screen, rule string) int {
	for _, l := range strings.Split(screen, "\n") {
		f := strings.Fields(l)
		for i := 0; i+1 < len(f); i++ {
			if f[i] == rule {
				if n, err := strconv.Atoi(f[i+1]); err == nil {
					return n
				}
			}
		}
	}
	return -1
}

// TestRulesPageCountsHits: :rules lists the default rules; a member added
// to the owners team while the Audit pane follows counts a hit for
// added-to-owners, on the page as it is drawn; enter shows the rule's
// patterns.
func TestRulesPageCountsHits(t *testing.T) {
	ctx := context.Background()
	sess := wallClockSession(t)
	watch := saudit.NewWatch(saudit.DefaultRules())
	d := openAuditTab(t, sess, audit.Settings{Watch: watch}, 160, 40)
	d.Key("f")
	d.Until("following", func() bool { return strings.Contains(d.Screen(), "following every") })

	ms, _, err := sess.Client.Members.List(ctx, hubsim.DemoOrg, &hubclient.MemberListOptions{ListOptions: hubclient.ListOptions{Page: 1, PageSize: 100}})
	if err != nil {
		t.Fatal(err)
	}
	var added []string
	addOwner := func() {
		t.Helper()
		for _, m := range ms {
			if m.Username == "" || m.Username == "demo" || m.IsInvitee() || strings.Contains(strings.Join(added, " "), m.Username) {
				continue
			}
			if _, err := sess.Client.Teams.AddMember(ctx, hubsim.DemoOrg, "owners", m.Username); err == nil {
				added = append(added, m.Username)
				return
			}
		}
		t.Fatal("nobody could be added to the owners team")
	}
	idx := watch.Index(saudit.RuleOwnersTeam)
	before := watch.Hits(idx)
	addOwner()
	d.UntilWithin(30*time.Second, "the owners event", func() bool { return watch.Hits(idx) == before+1 })

	d.Palette("rules")
	d.Contains(" rules · ")
	for _, r := range saudit.DefaultRules() {
		if rulesHits(d.Screen(), r.Name) < 0 {
			t.Fatalf("no row with hits for %s:\n%s", r.Name, d.Screen())
		}
	}
	if got := rulesHits(d.Screen(), saudit.RuleOwnersTeam); got != before+1 {
		t.Fatalf("%s shows %d hits, want %d:\n%s", saudit.RuleOwnersTeam, got, before+1, d.Screen())
	}

	// Back in the Audit pane the follow goes on; another one counts.
	d.Key("7")
	d.Until("following", func() bool { return strings.Contains(d.Screen(), "following every") })
	addOwner()
	d.UntilWithin(30*time.Second, "the second owners event", func() bool { return watch.Hits(idx) == before+2 })
	d.Palette("rules")
	d.Until("the count on the page", func() bool { return rulesHits(d.Screen(), saudit.RuleOwnersTeam) == before+2 })

	// enter: the rule in full, with its patterns.
	d.Key("g")
	for range idx {
		d.Key("j")
	}
	d.Key("enter")
	d.Contains("Patterns (Go regular expressions)", `^org\.team\.member\.add$`, "data.team", "^owners$", "highlight, bell, count")
	if !strings.Contains(d.Screen(), strconv.Itoa(before+2)+" hits") {
		t.Fatalf("the rule's page does not count %d hits:\n%s", before+2, d.Screen())
	}
}
