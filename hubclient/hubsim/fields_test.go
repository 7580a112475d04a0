package hubsim

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
)

// fieldsMembers lists the demo org's members (not invitees) by username,
// as GET /v2/orgs/acme/members answers them to a sign-in with seed.
func fieldsMembers(t *testing.T, seed uint64) map[string]map[string]any {
	t.Helper()
	s, url := coreStart(t, Options{Dataset: "demo", Seed: seed, RateLimit: -1, Clock: NewFakeClock(coreT0())})
	e := &lgEnv{t: t, s: s, url: url}
	tok := e.token(DemoOrg, DemoOAT) // an OAT sign-in changes no one's last login
	out := map[string]map[string]any{}
	for page := 1; ; page++ {
		body := e.want(200, "GET", fmt.Sprintf("/v2/orgs/acme/members?page_size=100&page=%d", page), tok, "")
		for _, r := range body["results"].([]any) {
			row := r.(map[string]any)
			out[row["username"].(string)] = row
		}
		if body["next"] == nil {
			return out
		}
	}
}

func TestMemberInsightFields(t *testing.T) {
	rows := fieldsMembers(t, 7)
	version := regexp.MustCompile(`^4\.\d+\.\d+$`)
	withDesktop := 0
	for name, row := range rows {
		last, ok := row["last_logged_in_at"].(string)
		if !ok {
			t.Errorf("%s: no last_logged_in_at: %v", name, row)
			continue
		}
		at, err := time.Parse(time.RFC3339Nano, last)
		joined, err2 := time.Parse(time.RFC3339Nano, row["date_joined"].(string))
		if err != nil || err2 != nil || at.Before(joined) || at.After(coreT0()) {
			t.Errorf("%s: last_logged_in_at %q (joined %v): %v %v", name, last, row["date_joined"], err, err2)
		}
		if seen, ok := row["last_seen_at"].(string); ok && seen < last {
			t.Errorf("%s: last seen %s before the last sign-in %s", name, seen, last)
		}
		if v, ok := row["last_desktop_version"]; ok {
			if s, _ := v.(string); !version.MatchString(s) {
				t.Errorf("%s: last_desktop_version %v", name, v)
			}
			withDesktop++
		}
	}
	// Most people use Docker Desktop; some do not.
	if withDesktop < len(rows)/2 || withDesktop == len(rows) {
		t.Errorf("%d of %d members have a Docker Desktop version", withDesktop, len(rows))
	}
	// Deterministic from the seed, and not the same for every seed.
	if again := fieldsMembers(t, 7); !reflect.DeepEqual(again, rows) {
		t.Error("the same seed gave other member rows")
	}
	if other := fieldsMembers(t, 8); reflect.DeepEqual(other[DemoUser]["last_logged_in_at"], rows[DemoUser]["last_logged_in_at"]) &&
		reflect.DeepEqual(other[EditorUser]["last_logged_in_at"], rows[EditorUser]["last_logged_in_at"]) {
		t.Error("another seed gave the same last sign-ins")
	}
}

func TestPersonalAccessTokenExpiresAt(t *testing.T) {
	e := newLGEnv(t)
	tok := e.token(DemoUser, DemoPassword)
	list := e.want(200, "GET", "/v2/access-tokens?page_size=100", tok, "")
	nulls, dates := 0, 0
	for _, r := range list["results"].([]any) {
		row := r.(map[string]any)
		v, ok := row["expires_at"]
		switch {
		case !ok:
			t.Errorf("token %v has no expires_at", row["token_label"])
		case v == nil:
			nulls++
		default:
			if _, err := time.Parse(time.RFC3339Nano, v.(string)); err != nil {
				t.Errorf("token %v: expires_at %v", row["token_label"], v)
			}
			dates++
		}
	}
	if nulls == 0 || dates == 0 {
		t.Errorf("demo tokens: %d never expire, %d expire; want some of each", nulls, dates)
	}
	created := e.want(201, "POST", "/v2/access-tokens", tok, `{"token_label": "forever", "scopes": ["repo:read"]}`)
	if v, ok := created["expires_at"]; !ok || v != nil {
		t.Errorf("a token without expiry answers expires_at %v (present %v), want null", v, ok)
	}
	got := e.want(200, "GET", "/v2/access-tokens/"+created["uuid"].(string), tok, "")
	if v, ok := got["expires_at"]; !ok || v != nil {
		t.Errorf("GET answers expires_at %v (present %v), want null", v, ok)
	}
}

func TestTagDetailLayers(t *testing.T) {
	e := newLGEnv(t)
	tok := e.token(DemoUser, DemoPassword)
	name := e.repoWhere(func(r *repo) bool { return len(r.Tags) > 0 })
	detail := func(e *lgEnv, path string) []any {
		return e.want(200, "GET", path, tok, "")["images"].([]any)
	}
	for _, path := range []string{"/v2/namespaces/acme/repositories/" + name + "/tags/latest", "/v2/repositories/acme/" + name + "/tags/latest/"} {
		images := detail(e, path)
		if len(images) == 0 {
			t.Fatalf("%s: no images", path)
		}
		for _, im := range images {
			im := im.(map[string]any)
			layers, ok := im["layers"].([]any)
			if !ok || len(layers) < 2 {
				t.Errorf("%s: image %v has layers %v", path, im["digest"], im["layers"])
				continue
			}
			var sum float64
			for _, l := range layers {
				l := l.(map[string]any)
				size, _ := l["size"].(float64)
				instr, _ := l["instruction"].(string)
				if instr == "" || size < 0 {
					t.Errorf("%s: layer %v", path, l)
				}
				switch d := l["digest"].(type) {
				case nil:
					if size != 0 {
						t.Errorf("%s: a layer without a digest has size %v", path, size)
					}
				case string:
					if !regexp.MustCompile(`^sha256:[0-9a-f]{64}$`).MatchString(d) {
						t.Errorf("%s: layer digest %q", path, d)
					}
				default:
					t.Errorf("%s: layer digest %v", path, d)
				}
				sum += size
			}
			if sum != im["size"].(float64) {
				t.Errorf("%s: layers sum to %v, the image is %v", path, sum, im["size"])
			}
		}
	}
	// The same seed gives the same layers (layers do not depend on the clock).
	other := newLGEnv(t)
	tok2 := other.token(DemoUser, DemoPassword)
	layers := func(images []any) []any {
		var out []any
		for _, im := range images {
			out = append(out, im.(map[string]any)["layers"]) // the times follow the wall clock; the layers must not
		}
		return out
	}
	a := layers(detail(e, "/v2/namespaces/acme/repositories/"+name+"/tags/latest"))
	b := layers(other.want(200, "GET", "/v2/namespaces/acme/repositories/"+name+"/tags/latest", tok2, "")["images"].([]any))
	if len(a) == 0 || !reflect.DeepEqual(a, b) {
		t.Error("the same seed gave other layers")
	}
}

func TestSCIMSchemaSubAttributes(t *testing.T) {
	e := newLGEnv(t)
	tok := e.token(DemoOrg, DemoOAT)
	one := e.want(200, "GET", "/v2/scim/2.0/Schemas/"+scimUserSchema, tok, "")
	list := e.want(200, "GET", "/v2/scim/2.0/Schemas/", tok, "")
	if res := list["resources"].([]any); len(res) != 1 || !reflect.DeepEqual(res[0], any(one)) {
		t.Errorf("the schema list does not hold the User schema as GET answers it")
	}
	want := map[string][]string{"name": {"givenName", "familyName"}, "emails": {"value", "display", "primary"}, "groups": {"value", "display"}}
	for _, a := range one["attributes"].([]any) {
		a := a.(map[string]any)
		name := a["name"].(string)
		subs, has := a["subAttributes"].([]any)
		if a["type"] != "complex" {
			if has {
				t.Errorf("simple attribute %s has subAttributes", name)
			}
			continue
		}
		var got []string
		for _, sub := range subs {
			sub := sub.(map[string]any)
			got = append(got, sub["name"].(string))
			if _, nested := sub["subAttributes"]; nested {
				t.Errorf("%s.%s has subAttributes of its own", name, sub["name"])
			}
		}
		if !slices.Equal(got, want[name]) {
			t.Errorf("subAttributes of %s = %v, want %v", name, got, want[name])
		}
		delete(want, name)
	}
	if len(want) > 0 {
		t.Errorf("complex attributes missing: %v", want)
	}
}

func TestOrgAccessTokenDescription(t *testing.T) {
	e := newLGEnv(t)
	tok := e.token(DemoUser, DemoPassword)
	list := e.want(200, "GET", "/v2/orgs/acme/access-tokens?page_size=100", tok, "")
	for _, r := range list["results"].([]any) {
		row := r.(map[string]any)
		if d, ok := row["description"].(string); !ok || d == "" {
			t.Errorf("seeded token %v: description %v", row["label"], row["description"])
		}
	}
	body, _ := json.Marshal(map[string]any{"label": "described", "description": "pushes release images",
		"resources": []map[string]any{{"type": "TYPE_REPO", "path": "acme/*", "scopes": []string{"repo-pull"}}}})
	created := e.want(201, "POST", "/v2/orgs/acme/access-tokens", tok, string(body))
	if created["description"] != "pushes release images" {
		t.Errorf("create answers description %v", created["description"])
	}
	path := "/v2/orgs/acme/access-tokens/" + created["id"].(string)
	if got := e.want(200, "GET", path, tok, ""); got["description"] != "pushes release images" {
		t.Errorf("GET answers description %v", got["description"])
	}
	if got := e.want(200, "PATCH", path, tok, `{"description": "pulls only"}`); got["description"] != "pulls only" {
		t.Errorf("PATCH answers description %v", got["description"])
	}
	// hubclient reads it.
	c, err := hubclient.New(hubclient.WithBaseURL(e.url), hubclient.WithCredentials(DemoUser, hubclient.Secret(DemoPassword)))
	if err != nil {
		t.Fatal(err)
	}
	read, _, err := c.OrgTokens.Get(context.Background(), DemoOrg, created["id"].(string))
	if err != nil || read.Description != "pulls only" {
		t.Errorf("hubclient reads description %q, %v", read.Description, err)
	}
	created = e.want(201, "POST", "/v2/orgs/acme/access-tokens", tok,
		`{"label": "plain", "resources": [{"type": "TYPE_REPO", "path": "acme/*", "scopes": ["repo-pull"]}]}`)
	if d, ok := created["description"]; !ok || d != "" {
		t.Errorf("a token without description answers %v (present %v), want \"\"", d, ok)
	}
}
