package audit_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/panes/audit"
	"github.com/hubtui/hubtui/ui/panes/members"
	"github.com/hubtui/hubtui/ui/panes/tags"
)

func TestActorUser(t *testing.T) {
	for in, want := range map[string]string{
		"erin":                          "erin",
		`ci-bot - access token "CI"`:    "ci-bot",
		`ci-bot - access token "a - b"`: "ci-bot",
		" demo ":                        "demo",
		"":                              "",
	} {
		if got := audit.ActorUser(in); got != want {
			t.Errorf("ActorUser(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDetailOpensTheObjectAndTheActor: from an event's page, enter opens
// a team-member event's member in Members and a repository event's
// repository in Tags; a opens the actor in Members.
func TestDetailOpensTheObjectAndTheActor(t *testing.T) {
	ctx := context.Background()
	_, url := uitest.StartSim(t, hubsim.Options{})
	sess := uitest.Session(t, url, "demo", "demo")
	c := sess.Client
	org := hubsim.DemoOrg
	ms, _, err := c.Members.List(ctx, org, &hubclient.MemberListOptions{ListOptions: hubclient.ListOptions{Page: 1, PageSize: 100}})
	if err != nil {
		t.Fatal(err)
	}
	teams, _, err := c.Teams.List(ctx, org, nil)
	if err != nil || len(teams) == 0 {
		t.Fatalf("teams: %v", err)
	}
	who := ""
	for _, m := range ms {
		if m.Username == "" || m.Username == "demo" || m.IsInvitee() {
			continue
		}
		for _, tm := range teams {
			if tm.Name == "owners" {
				continue
			}
			if _, err := c.Teams.AddMember(ctx, org, tm.Name, m.Username); err == nil {
				who = m.Username
				break
			}
		}
		if who != "" {
			break
		}
	}
	if who == "" {
		t.Fatal("no member could be added to a team")
	}

	d := uitest.New(t, ui.Options{Session: sess}, 140, 40)
	d.Until("repositories", func() bool { return strings.Contains(d.Screen(), " repositories · loaded") })
	d.Key("7")
	d.Until("the log", func() bool { return strings.Contains(d.Screen(), " events held") })
	d.Key("enter")
	d.Contains("org.team.member.add", "Actor")
	d.Key("enter")
	mp := uitest.Pane[*members.Pane](d, state.Members)
	d.Until("the member in Members", func() bool {
		s, _, _ := mp.Filters()
		return s == who && strings.Contains(d.Screen(), who) && strings.Contains(d.Screen(), " members")
	})

	// The actor, from the same page.
	d.Key("7")
	d.Contains("org.team.member.add")
	d.Key("a")
	d.Until("the actor in Members", func() bool { s, _, _ := mp.Filters(); return s == "demo" })

	// A repository event opens the repository's tags.
	desc := "opened from its audit event"
	if _, _, err := c.Repos.Update(ctx, org, "web", &hubclient.RepositoryUpdateRequest{Description: &desc}); err != nil {
		t.Fatal(err)
	}
	d.Key("7", "esc", "r")
	d.Until("the reload", func() bool {
		return strings.Contains(d.Screen(), " events held") && strings.Contains(d.Screen(), "Description Updated")
	})
	d.Key("enter")
	d.Contains("repo.update_description", org+"/web")
	d.Key("o")
	d.Until("the Tags pane on acme/web", func() bool {
		tp := uitest.Pane[*tags.Pane](d, state.Tags)
		cr := tp.Crumbs()
		return len(cr) == 3 && cr[1] == org+"/web" && strings.Contains(d.Screen(), "Tags")
	})
}
