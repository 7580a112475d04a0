package invites_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/panes/invites"
)

// open signs in as user and shows the Invites tab.
func open(t *testing.T, user string, readOnly bool) (*uitest.Driver, *hubsim.Server, *hubclient.Client) {
	t.Helper()
	sim, url := uitest.StartSim(t, hubsim.Options{})
	sess := uitest.Session(t, url, user, user)
	sess.ReadOnly = readOnly
	d := uitest.New(t, ui.Options{Session: sess}, 120, 40)
	d.Until("repositories", func() bool { return strings.Contains(d.Screen(), " repositories · loaded") })
	d.Key(":")
	d.Type("invites")
	d.Key("enter")
	return d, sim, sess.Client
}

func pending(t *testing.T, c *hubclient.Client) []hubclient.Invite {
	t.Helper()
	invs, _, err := c.Invites.List(context.Background(), hubsim.DemoOrg)
	if err != nil {
		t.Fatal(err)
	}
	return invs
}

func TestResendAndCancelMarked(t *testing.T) {
	d, sim, c := open(t, hubsim.DemoUser, false)
	d.Until("invites", func() bool { return strings.Contains(d.Screen(), "6 pending invites") })
	before := pending(t, c)
	d.Key("R")
	d.Until("the question", func() bool { return strings.Contains(d.Screen(), "Resend the invite of") })
	d.Key("y")
	d.Until("resent", func() bool { return strings.Contains(d.Screen(), "resent 1 invites") })
	if a := sim.OrgAuditTail(hubsim.DemoOrg, 1); len(a) != 1 || a[0].Action != "org.invite.resend" {
		t.Fatalf("audit %+v", a)
	}
	d.Key("enter") // close the progress box
	d.Key("space", "space")
	d.Key("D")
	d.Until("the question", func() bool { return strings.Contains(d.Screen(), "Cancel 2 invites?") })
	d.Key("y")
	d.Until("cancelled", func() bool { return strings.Contains(d.Screen(), "cancelled 2 invites") })
	d.Key("enter")
	d.Until("the list", func() bool { return strings.Contains(d.Screen(), "4 pending invites") })
	if after := pending(t, c); len(after) != len(before)-2 {
		t.Fatalf("%d invites left, want %d", len(after), len(before)-2)
	}
}

func TestBulkInviteCheckDryRunSendAndKeep(t *testing.T) {
	d, sim, c := open(t, hubsim.DemoUser, false)
	d.Until("invites", func() bool { return strings.Contains(d.Screen(), "6 pending invites") })
	inv := pending(t, c)[0].Invitee
	d.Key("n")
	d.Until("the text area", func() bool { return strings.Contains(d.Screen(), "Invite people to acme") })
	d.Send(tea.PasteMsg{Content: "email,role,team\nnew.one@example.com\nNew.One@example.com\nnot an address\n" +
		hubsim.MemberUser + "\n" + inv + "\nfresh2,editor\nx3,owner,nosuchteam\n"})
	d.Key("ctrl+s")
	d.Until("the check", func() bool { return strings.Contains(d.Screen(), "lines cannot be sent") })
	s := d.Screen()
	for _, want := range []string{"line 4: not an address", "line 8: x3,owner,nosuchteam", `no team "nosuchteam"`, "line 3: New.One@example.com repeats line 2; merged"} {
		if !strings.Contains(s, want) {
			t.Fatalf("no %q:\n%s", want, s)
		}
	}
	d.Key("enter") // refused: problems remain
	if !strings.Contains(d.Screen(), ": check") {
		t.Fatalf("enter went on with problems:\n%s", d.Screen())
	}
	d.Key("s")
	d.Until("skip", func() bool { return strings.Contains(d.Screen(), "bad lines are skipped") })
	d.Key("enter")
	d.Until("the dry run", func() bool { return strings.Contains(d.Screen(), "the Hub's dry run") })
	s = d.Screen()
	for _, want := range []string{"new.one@example.com — will be invited", hubsim.MemberUser + " — already a member", "already has a pending invite", "fresh2 (editor) — will be invited"} {
		if !strings.Contains(s, want) {
			t.Fatalf("no %q:\n%s", want, s)
		}
	}
	if n := len(pending(t, c)); n != 6 {
		t.Fatalf("the dry run sent invites: %d pending", n)
	}
	d.Key("enter")
	d.Until("the results", func() bool { return strings.Contains(d.Screen(), "Invited 2 of 4") })
	if n := len(pending(t, c)); n != 8 {
		t.Fatalf("%d pending after the send, want 8", n)
	}
	draft := uitest.Pane[*invites.Pane](d, state.Invites).Draft()
	for _, want := range []string{"not an address", "x3,owner,nosuchteam", hubsim.MemberUser, inv} {
		if !strings.Contains(draft, want) {
			t.Fatalf("the kept list lost %q: %q", want, draft)
		}
	}
	if strings.Contains(draft, "new.one") || strings.Contains(draft, "fresh2") {
		t.Fatalf("the kept list holds what was sent: %q", draft)
	}
	d.Key("enter")
	d.Until("the list", func() bool { return strings.Contains(d.Screen(), "8 pending invites") })
	_ = sim
}

func TestBulkInviteSeatLimitFromFile(t *testing.T) {
	d, sim, c := open(t, hubsim.DemoUser, false)
	d.Until("invites", func() bool { return strings.Contains(d.Screen(), "6 pending invites") })
	if err := sim.SetSeats(hubsim.DemoOrg, 1); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "people.csv")
	if err := os.WriteFile(path, []byte("a1@example.com\na2@example.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	d.Key("L")
	d.Type(path)
	d.Key("enter")
	d.Until("the check", func() bool { return strings.Contains(d.Screen(), "2 to invite") })
	d.Key("enter")
	d.Until("the refusal", func() bool { return strings.Contains(d.Screen(), "Not enough seats in acme") })
	if !strings.Contains(d.Screen(), "takes one of the organization's seats") {
		t.Fatalf("the seat limit is not explained:\n%s", d.Screen())
	}
	d.Key("esc")
	if n := len(pending(t, c)); n != 6 {
		t.Fatalf("%d pending", n)
	}
	if got := uitest.Pane[*invites.Pane](d, state.Invites).Draft(); !strings.Contains(got, "a2@example.com") {
		t.Fatalf("the list was lost: %q", got)
	}
}

func TestReadOnlyHidesAndNonOwnerIsToldWhy(t *testing.T) {
	d, _, _ := open(t, hubsim.DemoUser, true)
	d.Until("invites", func() bool { return strings.Contains(d.Screen(), "6 pending invites") })
	d.Key("?")
	if s := d.Screen(); strings.Contains(s, "cancel invite") || strings.Contains(s, "resend invite") {
		t.Fatalf("read-only mode shows changes:\n%s", s)
	}
	d2, _, _ := open(t, hubsim.EditorUser, false)
	d2.Until("the reason", func() bool {
		return strings.Contains(d2.Screen(), "Only owners of acme can see and send invites; you are an editor")
	})
	d2.Key("n")
	d2.Until("disabled", func() bool { return strings.Contains(d2.Screen(), "only owners of acme can") })
}
