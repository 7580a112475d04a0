package hubclient_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
)

// newOMEnv is a demo simulator for the organization areas (settings,
// members, invites, teams, users).
func newOMEnv(t *testing.T) *simEnv { return newEnv(t, hubsim.Options{}) }

func TestOrgSettingsRoundTrip(t *testing.T) {
	e := newOMEnv(t)
	ctx := context.Background()
	c := e.owner()
	got, resp, err := c.Orgs.GetSettings(ctx, hubsim.DemoOrg)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Errorf("status %d", resp.StatusCode)
	}
	want := hubclient.RestrictedImages{Enabled: false, AllowOfficialImages: true, AllowVerifiedPublishers: true}
	if got.RestrictedImages != want {
		t.Errorf("settings = %+v, want %+v", got.RestrictedImages, want)
	}
	upd := hubclient.OrgSettings{RestrictedImages: hubclient.RestrictedImages{Enabled: true, AllowOfficialImages: false, AllowVerifiedPublishers: true}}
	got, _, err = c.Orgs.UpdateSettings(ctx, hubsim.DemoOrg, upd)
	if err != nil {
		t.Fatal(err)
	}
	if got.RestrictedImages != upd.RestrictedImages {
		t.Errorf("update answered %+v, want %+v", got.RestrictedImages, upd.RestrictedImages)
	}
	ev := e.lastAudit()
	if ev.Action != "org.settings.update" || ev.Name != hubsim.DemoOrg || ev.Actor != hubsim.DemoUser || ev.Data["restricted_images"] != "true" {
		t.Errorf("audit = %+v", ev)
	}
	// Everyone allowed to read sees the change; editors and OATs may read.
	for name, rc := range map[string]*hubclient.Client{"editor": e.editor(), "oat": e.oat(), "pat": e.demoPAT()} {
		got, _, err := rc.Orgs.GetSettings(ctx, hubsim.DemoOrg)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got.RestrictedImages != upd.RestrictedImages {
			t.Errorf("%s sees %+v", name, got.RestrictedImages)
		}
	}
	// All-false must be sent as explicit falses (the document requires every field).
	off := hubclient.OrgSettings{}
	if got, _, err = c.Orgs.UpdateSettings(ctx, hubsim.DemoOrg, off); err != nil || got.RestrictedImages != off.RestrictedImages {
		t.Errorf("all false: %+v, %v", got, err)
	}
	// The OAT holds settings-edit.
	if _, _, err := e.oat().Orgs.UpdateSettings(ctx, hubsim.DemoOrg, upd); err != nil {
		t.Errorf("oat update: %v", err)
	}
	if ev := e.lastAudit(); !strings.Contains(ev.Actor, "access token") || ev.Data["access_token_type"] != "organization" {
		t.Errorf("oat audit actor = %q data %v", ev.Actor, ev.Data)
	}
}

func TestOrgSettingsErrors(t *testing.T) {
	e := newOMEnv(t)
	ctx := context.Background()
	upd := hubclient.OrgSettings{RestrictedImages: hubclient.RestrictedImages{Enabled: true}}
	before := e.auditCount()

	_, _, err := e.member().Orgs.GetSettings(ctx, hubsim.DemoOrg)
	wantStatus(t, "member get", err, 403)
	_, _, err = e.editor().Orgs.UpdateSettings(ctx, hubsim.DemoOrg, upd)
	wantStatus(t, "editor put", err, 403)
	var ae *hubclient.APIError
	if !errors.As(err, &ae) || !strings.Contains(ae.Detail, "owner") {
		t.Errorf("editor put: want the server's words about the owner role, got %v", err)
	}
	_, _, err = e.client(hubsim.OutsiderUser, hubsim.OutsiderUser).Orgs.GetSettings(ctx, hubsim.DemoOrg)
	wantStatus(t, "outsider get", err, 403)
	_, _, err = e.owner().Orgs.GetSettings(ctx, "no-such-org")
	wantStatus(t, "unknown org", err, 404)
	if !strings.Contains(err.Error(), "get settings of no-such-org") {
		t.Errorf("error lacks context: %v", err)
	}
	if e.auditCount() != before {
		t.Errorf("refused updates were audited")
	}

	// A PAT without repo:admin may read but not change.
	if _, _, err := e.demoPAT().Orgs.UpdateSettings(ctx, hubsim.DemoOrg, upd); err != nil {
		t.Errorf("repo:admin PAT update: %v", err)
	}

	// A body without every required field is refused with field errors.
	status, body := e.raw(e.owner(), http.MethodPut, "/v2/orgs/acme/settings", "application/json", `{"restricted_images":{"enabled":true}}`)
	if status != 400 || !strings.Contains(body, "allow_official_images") {
		t.Errorf("partial body: %d %s, want 400 naming the missing fields", status, body)
	}

	e.nothingSent("blank org", func() error { _, _, err := e.owner().Orgs.GetSettings(ctx, " "); return err }, isValidation("org"))
	ro := e.client(hubsim.DemoUser, hubsim.DemoPassword, hubclient.WithReadOnly())
	e.nothingSent("read-only put", func() error { _, _, err := ro.Orgs.UpdateSettings(ctx, hubsim.DemoOrg, upd); return err }, isReadOnly)
	if _, _, err := ro.Orgs.GetSettings(ctx, hubsim.DemoOrg); err != nil {
		t.Errorf("read-only get: %v", err)
	}
}
