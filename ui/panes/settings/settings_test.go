package settings_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
)

func open(t *testing.T, user string, readOnly bool, cmd string) (*uitest.Driver, *hubsim.Server, *hubclient.Client) {
	t.Helper()
	sim, url := uitest.StartSim(t, hubsim.Options{})
	sess := uitest.Session(t, url, user, user)
	sess.ReadOnly = readOnly
	d := uitest.New(t, ui.Options{Session: sess}, 120, 40)
	d.Until("repositories", func() bool { return strings.Contains(d.Screen(), " repositories · loaded") })
	d.Key(":")
	d.Type(cmd)
	d.Key("enter")
	return d, sim, sess.Client
}

func TestSettingsDiffAndPut(t *testing.T) {
	d, sim, c := open(t, hubsim.DemoUser, false, "settings")
	d.Until("the switches", func() bool { return strings.Contains(d.Screen(), "Restrict the images members may pull") })
	d.Key("space") // restriction on
	d.Key("j", "j", "space")
	if !strings.Contains(d.Screen(), "(was off, not saved)") || !strings.Contains(d.Screen(), "(was on, not saved)") {
		t.Fatalf("the edits are not shown against the Hub's values:\n%s", d.Screen())
	}
	d.Key("enter")
	d.Until("the diff", func() bool { return strings.Contains(d.Screen(), "Save the settings of acme?") })
	s := d.Screen()
	if !strings.Contains(s, "(enabled): off → on") || !strings.Contains(s, "(allow_verified_publishers): on → off") || strings.Contains(s, "allow_official_images)") {
		t.Fatalf("diff:\n%s", s)
	}
	d.Key("y")
	d.Until("saved", func() bool { return strings.Contains(d.Screen(), "saved the settings of acme") })
	st, _, err := c.Orgs.GetSettings(context.Background(), hubsim.DemoOrg)
	if err != nil {
		t.Fatal(err)
	}
	if want := (hubclient.RestrictedImages{Enabled: true, AllowOfficialImages: true}); st.RestrictedImages != want {
		t.Fatalf("hubsim has %+v, want %+v", st.RestrictedImages, want)
	}
	if a := sim.OrgAuditTail(hubsim.DemoOrg, 1); len(a) != 1 || a[0].Action != "org.settings.update" {
		t.Fatalf("audit %+v", a)
	}
	if strings.Contains(d.Screen(), "not saved") {
		t.Fatalf("still shown as unsaved:\n%s", d.Screen())
	}
}

func TestSettingsReadOnlyAndNonOwner(t *testing.T) {
	d, _, _ := open(t, hubsim.DemoUser, true, "settings")
	d.Until("the switches", func() bool { return strings.Contains(d.Screen(), "Restrict the images members may pull") })
	d.Key("?")
	if s := d.Screen(); strings.Contains(s, "save the changed settings") || strings.Contains(s, "switch the setting") {
		t.Fatalf("read-only mode shows changes:\n%s", s)
	}
	d2, _, _ := open(t, hubsim.EditorUser, false, "settings")
	d2.Until("the switches", func() bool { return strings.Contains(d2.Screen(), "Restrict the images members may pull") })
	d2.Key("space")
	d2.Until("the reason", func() bool { return strings.Contains(d2.Screen(), "only owners of acme can; you are an editor") })
}

func TestSCIMDeactivate(t *testing.T) {
	d, _, c := open(t, hubsim.DemoUser, false, "settings scim")
	d.Until("the users", func() bool { return strings.Contains(d.Screen(), "Provisioned users (") })
	s := d.Screen()
	if !strings.Contains(s, "resource types: User") || !strings.Contains(s, "schemas: User") {
		t.Fatalf("summary:\n%s", s)
	}
	d.Key("j")
	users, _, err := c.SCIM.ListUsers(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	target := users[1]
	d.Key("D")
	d.Until("the question", func() bool { return strings.Contains(d.Screen(), "Deactivate "+target.UserName) })
	d.Key("y")
	d.Until("done", func() bool { return strings.Contains(d.Screen(), "deactivated "+target.UserName) })
	u, _, err := c.SCIM.GetUser(context.Background(), target.ID)
	if err != nil {
		t.Fatal(err)
	}
	if u.Active {
		t.Fatalf("%s is still active in hubsim", u.UserName)
	}
	if !strings.Contains(d.Screen(), "active false") {
		t.Fatalf("the detail does not show it:\n%s", d.Screen())
	}
}

func TestSCIMNotAvailableSaysWhy(t *testing.T) {
	d, _, _ := open(t, hubsim.EditorUser, false, "settings")
	d.Until("the switches", func() bool { return strings.Contains(d.Screen(), "Restrict the images") })
	d.Key("S")
	d.Until("the reason", func() bool { return strings.Contains(d.Screen(), "SCIM is not available.") })
	s := d.Screen()
	if strings.Count(s, "The SCIM endpoints do not answer for acme") != 1 || !strings.Contains(s, "The Hub says: not allowed: SCIM provisioning needs an") {
		t.Fatalf("not said once with the Hub's words:\n%s", s)
	}
}

func TestRegistryAccessSwitch(t *testing.T) {
	d, sim, c := open(t, hubsim.DemoUser, false, "settings")
	d.Until("the switches", func() bool { return strings.Contains(d.Screen(), "Allow Docker Hub") })
	d.Key("G", "space") // Docker Hub not allowed
	d.Key("k", "space") // restriction on
	d.Key("enter")
	d.Until("the diff", func() bool { return strings.Contains(d.Screen(), "(registry_access.DockerHub): on → off") })
	d.Key("y")
	d.Until("saved", func() bool { return strings.Contains(d.Screen(), "saved the settings of acme") })
	ra, _, err := c.Orgs.GetRegistryAccess(context.Background(), hubsim.DemoOrg)
	if err != nil {
		t.Fatal(err)
	}
	if !ra.Enabled || ra.StandardRegistries[0].Allowed {
		t.Fatalf("hubsim has %+v", ra)
	}
	if a := sim.OrgAuditTail(hubsim.DemoOrg, 2); len(a) != 2 || a[0].Action != "org.registry_access.enabled" {
		t.Fatalf("audit %+v", a)
	}
}

func TestSCIMNotEnabledForTheOrg(t *testing.T) {
	sim, url := uitest.StartSim(t, hubsim.Options{})
	if err := sim.SetSCIM(hubsim.DemoOrg, false); err != nil {
		t.Fatal(err)
	}
	d := uitest.New(t, ui.Options{Session: uitest.Session(t, url, hubsim.DemoUser, hubsim.DemoPassword)}, 120, 40)
	d.Until("repositories", func() bool { return strings.Contains(d.Screen(), " repositories · loaded") })
	d.Key(":")
	d.Type("settings scim")
	d.Key("enter")
	d.Until("the reason", func() bool { return strings.Contains(d.Screen(), "SCIM is not available.") })
	s := strings.Join(strings.Fields(d.Screen()), " ") // the words, whatever the wrapping
	if strings.Count(s, "SCIM is not enabled for acme") != 1 || !strings.Contains(s, "in the organization's SSO connection") {
		t.Fatalf("not said with the Hub's words:\n%s", s)
	}
	if strings.Contains(s, "deactivate") {
		t.Fatalf("offers to deactivate without SCIM:\n%s", s)
	}
}
