package access_test

import (
	"context"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/state/access"
)

func TestWhoCanPushToARepository(t *testing.T) {
	now := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	sim, err := hubsim.New(hubsim.Options{Dataset: "demo", Clock: hubsim.NewFakeClock(now), RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	c, err := hubclient.New(hubclient.WithBaseURL(url), hubclient.WithCredentials("demo", "demo"), hubclient.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	teams, _, err := c.Teams.List(ctx, "acme", nil)
	if err != nil || len(teams) == 0 {
		t.Fatalf("teams: %v", err)
	}
	var team hubclient.Team
	for _, tm := range teams {
		if tm.Name != "owners" && tm.MemberCount > 0 {
			team = tm
			break
		}
	}
	if team.Name == "" {
		t.Fatal("no team with members besides owners")
	}
	if _, _, err := c.Repos.CreateGroup(ctx, "acme", "web", team.ID, hubclient.RepoPermissionWrite); err != nil {
		t.Fatal(err)
	}
	calls := 0
	rep, err := access.Load(ctx, c, "acme", func(done, total int) { calls++ })
	if err != nil {
		t.Fatal(err)
	}
	if calls != rep.Repos || rep.Repos == 0 || rep.Members == 0 || len(rep.Unanswered) != 0 {
		t.Fatalf("progress %d of %d repos, %d members, unanswered %v", calls, rep.Repos, rep.Members, rep.Unanswered)
	}
	push := access.AtLeast(access.Filter(rep.Grants, "", "acme/web"), hubclient.RepoPermissionWrite)
	viaTeam, owners := 0, 0
	for _, g := range push {
		switch {
		case g.Team == team.Name && g.Repository == "acme/web" && g.Permission == "write":
			viaTeam++
		case g.Repository == access.AllRepositories && g.Role == hubclient.MemberRoleOwner:
			owners++
		default:
			if g.Repository != "acme/web" {
				t.Fatalf("a grant of another repository: %+v", g)
			}
		}
	}
	if viaTeam != team.MemberCount || owners == 0 {
		t.Fatalf("%d through %s (it has %d members), %d owners", viaTeam, team.Name, team.MemberCount, owners)
	}
	if got := access.AtLeast(push, hubclient.RepoPermissionAdmin); len(got) != owners {
		t.Fatalf("admins of acme/web: %d, want the %d owners", len(got), owners)
	}
}
