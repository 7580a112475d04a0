package hubclient_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
)

func TestUserMe(t *testing.T) {
	e := newOMEnv(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		c    *hubclient.Client
		want string
	}{
		{"password", e.owner(), hubsim.DemoUser},
		{"pat", e.demoPAT(), hubsim.DemoUser},
		{"editor", e.editor(), hubsim.EditorUser},
		{"outsider", e.client(hubsim.OutsiderUser, hubsim.OutsiderUser), hubsim.OutsiderUser},
	} {
		u, resp, err := tc.c.Users.Me(ctx)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if resp.StatusCode != 200 || u.Username != tc.want || u.Type != hubclient.AccountTypeUser || u.ID == "" || u.FullName == "" {
			t.Errorf("%s: got %+v (status %d)", tc.name, u, resp.StatusCode)
		}
		if u.DateJoined.IsZero() || u.DateJoined.After(time.Now()) {
			t.Errorf("%s: date_joined %v", tc.name, u.DateJoined)
		}
	}
	u, _, err := e.owner().Users.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if u.Company != "Acme Corp" || u.Location == "" {
		t.Errorf("profile fields missing: %+v", u)
	}
}

func TestUserMeRefusesOAT(t *testing.T) {
	e := newOMEnv(t)
	ctx := context.Background()
	_, _, err := e.oat().Users.Me(ctx)
	wantStatus(t, "oat me", err, 403)
	if err != nil && !strings.Contains(err.Error(), "get signed-in user") {
		t.Errorf("no context: %v", err)
	}
	_, _, err = e.oat().Users.ListOrgs(ctx, nil)
	wantStatus(t, "oat orgs", err, 403)

	// Without credentials the Hub answers 401.
	anon, err := hubclient.New(hubclient.WithBaseURL(e.url))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = anon.Users.Me(ctx)
	wantStatus(t, "anonymous", err, 401)
}

func TestUserListOrgs(t *testing.T) {
	e := newOMEnv(t)
	ctx := context.Background()
	orgs, resp, err := e.member().Users.ListOrgs(ctx, &hubclient.UserOrgListOptions{ListOptions: hubclient.ListOptions{PageSize: 10}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Count != 1 || len(orgs) != 1 || resp.Next != "" {
		t.Fatalf("orgs = %+v, count %d, next %q", orgs, resp.Count, resp.Next)
	}
	o := orgs[0]
	if o.OrgName != hubsim.DemoOrg || o.Type != hubclient.AccountTypeOrganization || o.ID == "" || o.FullName != "Acme Corp" || o.DateJoined.IsZero() {
		t.Errorf("org = %+v", o)
	}
	// Through ListAll as the UI uses it.
	all, err := hubclient.ListAll(ctx, e.owner(), func(ctx context.Context, lo hubclient.ListOptions) ([]hubclient.Organization, *hubclient.Response, error) {
		return e.owner().Users.ListOrgs(ctx, &hubclient.UserOrgListOptions{ListOptions: lo})
	}, nil)
	if err != nil || len(all) != 1 {
		t.Errorf("ListAll = %v, %v", all, err)
	}
	// Someone in no organization has none.
	orgs, resp, err = e.client(hubsim.OutsiderUser, hubsim.OutsiderUser).Users.ListOrgs(ctx, nil)
	if err != nil || len(orgs) != 0 || resp.Count != 0 {
		t.Errorf("outsider: %v, %d, %v", orgs, resp.Count, err)
	}
	// Past the last page the Hub answers 404.
	_, _, err = e.member().Users.ListOrgs(ctx, &hubclient.UserOrgListOptions{ListOptions: hubclient.ListOptions{Page: 2, PageSize: 10}})
	wantStatus(t, "page 2", err, 404)
	e.nothingSent("page size 101", func() error {
		_, _, err := e.member().Users.ListOrgs(ctx, &hubclient.UserOrgListOptions{ListOptions: hubclient.ListOptions{PageSize: 101}})
		return err
	}, isValidation("page_size"))
}
