package repos_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
)

func TestTeamAccessAddChangeRemove(t *testing.T) {
	d, c := withEditor(t, "")
	openDetail(t, d, "billing")
	d.Key("a")
	d.Until("the access page", func() bool { return strings.Contains(d.Screen(), "team(s) with access to acme/billing") })
	d.Key("n")
	d.Until("the team picker", func() bool { return strings.Contains(d.Screen(), "Give a team access to acme/billing") })
	teams, _, err := c.Teams.List(context.Background(), "acme", nil)
	if err != nil || len(teams) == 0 {
		t.Fatalf("teams: %v %d", err, len(teams))
	}
	team := teams[0].Name
	d.Type(team)
	d.Key("enter")
	if !strings.Contains(d.Screen(), "Access of "+team+" to acme/billing") {
		t.Fatalf("no permission form:\n%s", d.Screen())
	}
	d.Key("right") // write
	d.Key("enter")
	d.Until("the grant", func() bool { return strings.Contains(d.Screen(), team+" has write access to acme/billing") })
	perm := func() string {
		gs, _, err := c.Repos.ListGroups(context.Background(), "acme", "billing", nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range gs {
			if g.GroupName == team {
				return g.Permission
			}
		}
		return ""
	}
	if p := perm(); p != hubclient.RepoPermissionWrite {
		t.Fatalf("hubsim says %q", p)
	}
	if !strings.Contains(d.Screen(), "write") {
		t.Fatalf("the page does not list it:\n%s", d.Screen())
	}
	d.Key("e", "right", "enter") // admin
	d.Until("the change", func() bool { return strings.Contains(d.Screen(), team+" has admin access") })
	if p := perm(); p != hubclient.RepoPermissionAdmin {
		t.Fatalf("after the change hubsim says %q", p)
	}
	d.Key("D")
	if !strings.Contains(d.Screen(), "access to acme/billing away?") {
		t.Fatalf("remove did not ask:\n%s", d.Screen())
	}
	d.Key("y")
	d.Until("the removal", func() bool { return strings.Contains(d.Screen(), "removed "+team+"'s access") })
	if p := perm(); p != "" {
		t.Fatalf("after the removal hubsim says %q", p)
	}
	// The detail page below shows the same.
	d.Key("esc")
	if !strings.Contains(d.Screen(), "Teams           none") {
		t.Fatalf("the detail page did not follow:\n%s", d.Screen())
	}
}

func TestImmutableTagsVerifyThenSave(t *testing.T) {
	d, c := withEditor(t, "")
	openDetail(t, d, "web")
	d.Key("m")
	if !strings.Contains(d.Screen(), "Immutable tags of acme/web") {
		t.Fatalf("no form:\n%s", d.Screen())
	}
	if !strings.Contains(d.Screen(), "v.*") {
		t.Fatalf("the form does not start from the rule held:\n%s", d.Screen())
	}
	d.Key("tab", "ctrl+u")
	d.Type("^v[0-9")
	if !strings.Contains(d.Screen(), "not a regular expression") {
		t.Fatalf("a broken rule is not refused as typed:\n%s", d.Screen())
	}
	d.Type("]+\\.")
	d.Key("enter") // next field
	d.Key("ctrl+s")
	d.Until("the verify", func() bool { return strings.Contains(d.Screen(), "Save the immutable tags of acme/web?") })
	s := d.Screen()
	if !strings.Contains(s, "matches") || !strings.Contains(s, "Immutable tags: on") {
		t.Fatalf("the verify answer is not shown:\n%s", s)
	}
	d.Key("y")
	d.Until("the save", func() bool { return strings.Contains(d.Screen(), "saved the immutable tags of acme/web") })
	info, _, err := c.Repos.Get(context.Background(), "acme", "web")
	if err != nil {
		t.Fatal(err)
	}
	if !info.ImmutableTagsSettings.Enabled || len(info.ImmutableTagsSettings.Rules) != 1 || info.ImmutableTagsSettings.Rules[0] != `^v[0-9]+\.` {
		t.Fatalf("hubsim holds %+v", info.ImmutableTagsSettings)
	}
	if !strings.Contains(d.Screen(), `on: ^v[0-9]+\.`) {
		t.Fatalf("the detail does not show the rule:\n%s", d.Screen())
	}
}
