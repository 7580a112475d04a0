package hubclient_test

import (
	"context"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
)

func TestRegistryAccessRoundTrip(t *testing.T) {
	e := newOMEnv(t)
	ctx := context.Background()
	c := e.owner()
	got, _, err := c.Orgs.GetRegistryAccess(ctx, hubsim.DemoOrg)
	if err != nil {
		t.Fatal(err)
	}
	if got.Enabled || len(got.StandardRegistries) != 1 || got.StandardRegistries[0] != (hubclient.StandardRegistry{ID: "DockerHub", Allowed: true}) {
		t.Fatalf("demo registry access %+v", got)
	}
	want := hubclient.RegistryAccess{Enabled: true, StandardRegistries: []hubclient.StandardRegistry{{ID: "DockerHub", Allowed: false}},
		CustomRegistries: []hubclient.CustomRegistry{{Address: "registry.acme.example", FriendlyName: "ours", Allowed: true}}}
	got, _, err = c.Orgs.UpdateRegistryAccess(ctx, hubsim.DemoOrg, want)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Enabled || got.StandardRegistries[0].Allowed || len(got.CustomRegistries) != 1 || got.CustomRegistries[0] != want.CustomRegistries[0] {
		t.Fatalf("updated %+v", got)
	}
	_, _, err = c.Orgs.UpdateRegistryAccess(ctx, hubsim.DemoOrg, hubclient.RegistryAccess{Enabled: true,
		CustomRegistries: []hubclient.CustomRegistry{{Address: "https://x.example"}}})
	wantStatus(t, "scheme in address", err, 400)
}
