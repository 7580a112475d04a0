package hubclient_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
)

// The demo org has 40 members; SCIM sees each as a user.
const ptDemoMembers = 40

func ptSCIMType(t *testing.T, what string, err error, status int, scimType string) {
	t.Helper()
	var ae *hubclient.APIError
	if !errors.As(err, &ae) || ae.StatusCode != status || ae.SCIMType != scimType || ae.Detail == "" {
		t.Errorf("%s: got %v (scimType %q), want %d %q", what, err, func() string {
			if ae != nil {
				return ae.SCIMType
			}
			return ""
		}(), status, scimType)
	}
}

func TestSCIMDiscovery(t *testing.T) {
	e := newEnv(t, hubsim.Options{})
	ctx := context.Background()
	c := e.owner()
	cfg, resp, err := c.SCIM.ServiceProviderConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != hubclient.SCIMMediaType {
		t.Errorf("content type %q", ct)
	}
	if cfg.Patch.Supported || !cfg.Filter.Supported || cfg.Filter.MaxResults == 0 || !cfg.Sort.Supported || cfg.AuthenticationSchemes.Type != "oauthbearertoken" {
		t.Errorf("config %+v", cfg)
	}
	types, resp, err := c.SCIM.ResourceTypes(ctx)
	if err != nil || len(types) != 1 || resp.Count != 1 || types[0].Endpoint != "/Users" || types[0].Schema != hubclient.SCIMSchemaUser {
		t.Errorf("resource types %v %+v", err, types)
	}
	rt, _, err := c.SCIM.ResourceType(ctx, "User")
	if err != nil || rt.ID != "User" {
		t.Errorf("resource type User: %v %+v", err, rt)
	}
	_, _, err = c.SCIM.ResourceType(ctx, "Group")
	ptSCIMType(t, "resource type Group", err, http.StatusNotFound, "")
	schemas, _, err := c.SCIM.Schemas(ctx)
	if err != nil || len(schemas) != 1 || schemas[0].ID != hubclient.SCIMSchemaUser {
		t.Fatalf("schemas %v %+v", err, schemas)
	}
	sc, _, err := c.SCIM.Schema(ctx, hubclient.SCIMSchemaUser)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(sc.Attributes, func(a hubclient.SCIMSchemaAttribute) bool { return a.Name == "name" })
	if i < 0 || sc.Attributes[i].Type != "complex" || len(sc.Attributes[i].SubAttributes) != 2 ||
		!slices.ContainsFunc(sc.Attributes, func(a hubclient.SCIMSchemaAttribute) bool { return a.Name == "userName" && a.Required }) {
		t.Errorf("user schema %+v", sc)
	}
	_, _, err = c.SCIM.Schema(ctx, "urn:ietf:params:scim:schemas:core:2.0:Group")
	ptSCIMType(t, "group schema", err, http.StatusNotFound, "")
	e.nothingSent("empty schema id", func() error { _, _, err := c.SCIM.Schema(ctx, ""); return err }, isValidation("id"))
	e.nothingSent("empty resource type", func() error { _, _, err := c.SCIM.ResourceType(ctx, ""); return err }, isValidation("name"))

	// Authentication and authorization errors in the SCIM shape.
	noauth, err := hubclient.New(hubclient.WithBaseURL(e.url))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = noauth.SCIM.ServiceProviderConfig(ctx)
	ptSCIMType(t, "no token", err, http.StatusUnauthorized, "")
	for _, who := range [][2]string{{hubsim.EditorUser, hubsim.EditorUser}, {hubsim.OutsiderUser, hubsim.OutsiderUser}} {
		_, _, err := e.client(who[0], who[1]).SCIM.ListUsers(ctx, nil)
		ptSCIMType(t, who[0]+" lists users", err, http.StatusForbidden, "")
	}
}

func TestSCIMListUsers(t *testing.T) {
	e := newEnv(t, hubsim.Options{})
	ctx := context.Background()
	c := e.client(hubsim.DemoOrg, hubsim.DemoOAT)
	users, resp, err := c.SCIM.ListUsers(ctx, &hubclient.SCIMUserListOptions{ListOptions: hubclient.ListOptions{PageSize: 10}})
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 10 || resp.Count != ptDemoMembers || resp.Next == "" || resp.Previous != "" {
		t.Fatalf("page 1: %d users, count %d, next %q", len(users), resp.Count, resp.Next)
	}
	for _, u := range users {
		if u.ID == "" || !strings.Contains(u.UserName, "@") || u.DisplayName == "" || !u.Active || len(u.Emails) != 1 ||
			u.Meta.ResourceType != "User" || !strings.HasPrefix(u.Meta.Location, e.url+"/v2/scim/2.0/Users/") || u.Meta.Created.IsZero() {
			t.Errorf("user %+v", u)
		}
	}
	if !slices.IsSortedFunc(users, func(a, b hubclient.SCIMUser) int { return strings.Compare(a.DisplayName, b.DisplayName) }) {
		t.Errorf("not sorted by displayName")
	}
	all, err := hubclient.ListAll(ctx, c, func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.SCIMUser, *hubclient.Response, error) {
		o.PageSize = 7 // several pages
		return c.SCIM.ListUsers(ctx, &hubclient.SCIMUserListOptions{ListOptions: o})
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, u := range all {
		ids[u.ID] = true
	}
	if len(all) != ptDemoMembers || len(ids) != ptDemoMembers {
		t.Errorf("list all: %d users, %d distinct", len(all), len(ids))
	}

	one, resp, err := c.SCIM.ListUsers(ctx, &hubclient.SCIMUserListOptions{Filter: `userName eq "DEMO@acme.example"`})
	if err != nil || len(one) != 1 || resp.Count != 1 || one[0].DisplayName != hubsim.DemoUser {
		t.Errorf("filter eq: %v %+v", err, one)
	}
	some, _, err := c.SCIM.ListUsers(ctx, &hubclient.SCIMUserListOptions{Filter: `(displayName sw "a" or displayName sw "b") and not (displayName eq "alice") and active eq true`})
	if err != nil || len(some) == 0 {
		t.Fatalf("compound filter: %v", err)
	}
	for _, u := range some {
		if u.DisplayName == "alice" || (u.DisplayName[0] != 'a' && u.DisplayName[0] != 'b') {
			t.Errorf("compound filter let through %s", u.DisplayName)
		}
	}
	desc, _, err := c.SCIM.ListUsers(ctx, &hubclient.SCIMUserListOptions{SortBy: "userName", SortOrder: "descending", ListOptions: hubclient.ListOptions{PageSize: 5}})
	if err != nil || !slices.IsSortedFunc(desc, func(a, b hubclient.SCIMUser) int { return strings.Compare(b.UserName, a.UserName) }) {
		t.Errorf("sorted descending: %v", err)
	}
	slim, _, err := c.SCIM.ListUsers(ctx, &hubclient.SCIMUserListOptions{Attributes: []string{"userName"}, ListOptions: hubclient.ListOptions{PageSize: 3}})
	if err != nil || len(slim) != 3 || slim[0].UserName == "" || slim[0].ID == "" || slim[0].DisplayName != "" || slim[0].Emails != nil {
		t.Errorf("attributes: %v %+v", err, slim)
	}

	_, _, err = c.SCIM.ListUsers(ctx, &hubclient.SCIMUserListOptions{Filter: `userName eq`})
	ptSCIMType(t, "bad filter", err, http.StatusBadRequest, "invalidFilter")
	_, _, err = c.SCIM.ListUsers(ctx, &hubclient.SCIMUserListOptions{Filter: `shoeSize gt "9"`})
	ptSCIMType(t, "unknown attribute", err, http.StatusBadRequest, "invalidFilter")
	e.nothingSent("bad sort order", func() error {
		_, _, err := c.SCIM.ListUsers(ctx, &hubclient.SCIMUserListOptions{SortOrder: "sideways"})
		return err
	}, isValidation("sortOrder"))
	e.nothingSent("page size", func() error {
		_, _, err := c.SCIM.ListUsers(ctx, &hubclient.SCIMUserListOptions{ListOptions: hubclient.ListOptions{PageSize: 1000}})
		return err
	}, isValidation("page_size"))
}

func TestSCIMProvisioning(t *testing.T) {
	e := newEnv(t, hubsim.Options{})
	ctx := context.Background()
	c := e.client(hubsim.DemoOrg, hubsim.DemoOAT)

	jon, resp, err := c.SCIM.CreateUser(ctx, hubclient.SCIMCreateUserRequest{UserName: "jon.snow@docker.example",
		Name: &hubclient.SCIMName{GivenName: "Jon", FamilyName: "Snow"}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusCreated || jon.UserName != "jon.snow@docker.example" || jon.DisplayName != "jonsnow" || !jon.Active ||
		jon.Name == nil || jon.Name.GivenName != "Jon" || jon.Name.FamilyName != "Snow" || resp.Header.Get("Location") != jon.Meta.Location {
		t.Fatalf("created %+v", jon)
	}
	if ev := e.newestAudit(); ev.Action != "org.member.add" || ev.Data["member"] != "jonsnow" || ev.Data["access_token_type"] != "organization" {
		t.Errorf("create audited as %+v", ev)
	}
	got, _, err := c.SCIM.GetUser(ctx, jon.ID)
	if err != nil || got.ID != jon.ID || got.DisplayName != "jonsnow" {
		t.Errorf("get %v %+v", err, got)
	}
	_, _, err = c.SCIM.CreateUser(ctx, hubclient.SCIMCreateUserRequest{UserName: "jon.snow@docker.example"})
	ptSCIMType(t, "create twice", err, http.StatusConflict, "uniqueness")

	// An existing Docker account joins the organization.
	olga, _, err := c.SCIM.CreateUser(ctx, hubclient.SCIMCreateUserRequest{UserName: "olga@acme.example"})
	if err != nil || olga.DisplayName != hubsim.OutsiderUser || !olga.Active {
		t.Fatalf("existing account: %v %+v", err, olga)
	}
	_, resp, _ = c.SCIM.ListUsers(ctx, nil)
	if resp.Count != ptDemoMembers+2 {
		t.Errorf("%d users after two joins", resp.Count)
	}

	// Deactivate, rename, reactivate.
	off, _, err := c.SCIM.UpdateUser(ctx, jon.ID, hubclient.SCIMUpdateUserRequest{Name: &hubclient.SCIMName{FamilyName: "Targaryen"}})
	if err != nil || off.Active || off.Name.GivenName != "Jon" || off.Name.FamilyName != "Targaryen" {
		t.Fatalf("deactivate: %v %+v", err, off)
	}
	if ev := e.newestAudit(); ev.Action != "org.member.remove" || ev.Data["member"] != "jonsnow" {
		t.Errorf("deactivation audited as %+v", ev)
	}
	inactive, _, err := c.SCIM.ListUsers(ctx, &hubclient.SCIMUserListOptions{Filter: "active eq false"})
	if err != nil || len(inactive) != 1 || inactive[0].ID != jon.ID {
		t.Errorf("inactive users: %v %+v", err, inactive)
	}
	on, _, err := c.SCIM.UpdateUser(ctx, jon.ID, hubclient.SCIMUpdateUserRequest{Enabled: true})
	if err != nil || !on.Active || on.Name.FamilyName != "Targaryen" {
		t.Errorf("reactivate: %v %+v", err, on)
	}
	_, _, err = c.SCIM.GetUser(ctx, "00000000-0000-0000-0000-000000000000")
	ptSCIMType(t, "unknown user", err, http.StatusNotFound, "")
	_, _, err = c.SCIM.UpdateUser(ctx, "00000000-0000-0000-0000-000000000000", hubclient.SCIMUpdateUserRequest{Enabled: true})
	ptSCIMType(t, "update unknown user", err, http.StatusNotFound, "")

	// The last owner cannot be deactivated.
	owners, _, err := c.SCIM.ListUsers(ctx, &hubclient.SCIMUserListOptions{Filter: `displayName eq "ops" or displayName eq "demo"`})
	if err != nil || len(owners) != 2 {
		t.Fatalf("owners: %v %+v", err, owners)
	}
	if _, _, err := c.SCIM.UpdateUser(ctx, owners[1].ID, hubclient.SCIMUpdateUserRequest{}); err != nil {
		t.Fatalf("deactivate %s: %v", owners[1].DisplayName, err)
	}
	_, _, err = c.SCIM.UpdateUser(ctx, owners[0].ID, hubclient.SCIMUpdateUserRequest{})
	ptSCIMType(t, "deactivate the last owner", err, http.StatusConflict, "mutability")

	// The owner's own session works too (one owned org); a read-only PAT may only read.
	if _, _, err := e.owner().SCIM.GetUser(ctx, jon.ID); err != nil {
		t.Errorf("owner session: %v", err)
	}
	readPAT, _, err := e.owner().Tokens.Create(ctx, hubclient.CreateAccessTokenRequest{TokenLabel: "scim look", Scopes: []string{"repo:read"}})
	if err != nil {
		t.Fatal(err)
	}
	rc := e.client(hubsim.DemoUser, readPAT.Token.Reveal())
	if _, _, err := rc.SCIM.GetUser(ctx, jon.ID); err != nil {
		t.Errorf("read PAT reads: %v", err)
	}
	_, _, err = rc.SCIM.UpdateUser(ctx, jon.ID, hubclient.SCIMUpdateUserRequest{Enabled: true})
	ptSCIMType(t, "read PAT writes", err, http.StatusForbidden, "")

	// Client-side refusals and server-side syntax errors.
	e.nothingSent("bad userName", func() error {
		_, _, err := c.SCIM.CreateUser(ctx, hubclient.SCIMCreateUserRequest{UserName: "jonsnow"})
		return err
	}, isValidation("userName"))
	e.nothingSent("empty id", func() error { _, _, err := c.SCIM.GetUser(ctx, ""); return err }, isValidation("id"))
	e.nothingSent("empty update id", func() error {
		_, _, err := c.SCIM.UpdateUser(ctx, "", hubclient.SCIMUpdateUserRequest{Enabled: true})
		return err
	}, isValidation("id"))
	ro := e.client(hubsim.DemoOrg, hubsim.DemoOAT, hubclient.WithReadOnly())
	e.nothingSent("read-only create", func() error {
		_, _, err := ro.SCIM.CreateUser(ctx, hubclient.SCIMCreateUserRequest{UserName: "a@b.example"})
		return err
	}, isReadOnly)
	e.nothingSent("read-only update", func() error {
		_, _, err := ro.SCIM.UpdateUser(ctx, jon.ID, hubclient.SCIMUpdateUserRequest{Enabled: true})
		return err
	}, isReadOnly)
	status, body := e.raw(c, http.MethodPost, "/v2/scim/2.0/Users", hubclient.SCIMMediaType, `{"schemas":["urn:x"],"userName":"a@b.example"}`)
	if status != http.StatusBadRequest || !strings.Contains(body, `"invalidSyntax"`) || !strings.Contains(body, `"status":"400"`) {
		t.Errorf("wrong schema: %d %s", status, body)
	}
	status, body = e.raw(c, http.MethodPut, "/v2/scim/2.0/Users/"+jon.ID, hubclient.SCIMMediaType, `{"schemas":`)
	if status != http.StatusBadRequest || !strings.Contains(body, hubclient.SCIMSchemaError) {
		t.Errorf("broken JSON: %d %s", status, body)
	}
}
