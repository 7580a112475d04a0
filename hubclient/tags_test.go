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

const rpWebTags = 12 // tags of acme/web in the demo dataset

func TestTagList(t *testing.T) {
	e := newRPEnv(t)
	ctx := context.Background()
	c := e.owner()
	tags, resp, err := c.Tags.List(ctx, hubsim.DemoOrg, "web", &hubclient.TagListOptions{ListOptions: hubclient.ListOptions{PageSize: 5}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Count != rpWebTags || len(tags) != 5 || !strings.HasPrefix(resp.Next, e.url+"/v2/namespaces/acme/repositories/web/tags?") {
		t.Fatalf("count %d rows %d next %q", resp.Count, len(tags), resp.Next)
	}
	for _, tg := range tags {
		var sum int64
		for _, im := range tg.Images {
			sum += im.Size
			if im.Digest == "" || im.OS != "linux" || im.Architecture == "" || im.LastPushed.IsZero() || !strings.HasPrefix(im.Platform(), "linux/") {
				t.Errorf("%s image %+v", tg.Name, im)
			}
		}
		if tg.Name == "" || tg.ID == 0 || len(tg.Images) < 2 || tg.FullSize != sum || !tg.V2 || tg.LastUpdated.IsZero() ||
			tg.TagLastPushed.IsZero() || tg.LastUpdaterUsername == "" || tg.Creator == 0 || tg.Repository == 0 ||
			(tg.Status != "active" && tg.Status != "inactive") || tg.TagStatus != tg.Status || !strings.HasPrefix(tg.Digest, "sha256:") || tg.MediaType == "" {
			t.Errorf("tag %+v", tg)
		}
	}

	all, err := hubclient.ListAll(ctx, c, func(ctx context.Context, lo hubclient.ListOptions) ([]hubclient.Tag, *hubclient.Response, error) {
		lo.PageSize = 5
		return c.Tags.List(ctx, hubsim.DemoOrg, "web", &hubclient.TagListOptions{ListOptions: lo})
	}, nil)
	if err != nil || len(all) != rpWebTags {
		t.Fatalf("ListAll: %d, %v", len(all), err)
	}
	if !slices.IsSortedFunc(all, func(a, b hubclient.Tag) int { return b.LastUpdated.Compare(a.LastUpdated) }) {
		t.Errorf("tags are not newest first")
	}
	names := make([]string, len(all))
	for i, tg := range all {
		names[i] = tg.Name
	}
	for _, want := range []string{"latest", "stable", "edge"} {
		if !slices.Contains(names, want) {
			t.Errorf("no %s tag in %v", want, names)
		}
	}
	v1, resp, err := c.Tags.List(ctx, hubsim.DemoOrg, "web", &hubclient.TagListOptions{Name: "v1."})
	if err != nil || len(v1) == 0 || resp.Count != len(v1) {
		t.Fatalf("name filter: %d %v", len(v1), err)
	}
	for _, tg := range v1 {
		if !strings.Contains(tg.Name, "v1.") {
			t.Errorf("name filter let through %s", tg.Name)
		}
	}
	if has, _, err := c.Tags.HasTags(ctx, hubsim.DemoOrg, "web"); !has || err != nil {
		t.Errorf("HasTags web: %v %v", has, err)
	}

	// A new repository has no tags.
	if _, _, err := c.Repos.Create(ctx, hubsim.DemoOrg, &hubclient.RepositoryCreateRequest{Name: "empty-one", IsPrivate: true}); err != nil {
		t.Fatal(err)
	}
	if has, _, err := c.Tags.HasTags(ctx, hubsim.DemoOrg, "empty-one"); has || err != nil {
		t.Errorf("HasTags empty: %v %v", has, err)
	}
	if tags, resp, err := c.Tags.List(ctx, hubsim.DemoOrg, "empty-one", nil); err != nil || len(tags) != 0 || resp.Count != 0 || resp.Next != "" {
		t.Errorf("empty list: %v %+v %v", tags, resp, err)
	}

	// Visibility: a private repository's tags are hidden from outsiders,
	// a public one's are open to anyone.
	anon := e.client("", "")
	_, _, err = anon.Tags.List(ctx, hubsim.DemoOrg, "empty-one", nil)
	wantStatus(t, "anonymous, private", err, http.StatusNotFound)
	if _, _, err := c.Repos.Update(ctx, hubsim.DemoOrg, "web", &hubclient.RepositoryUpdateRequest{IsPrivate: new(false)}); err != nil {
		t.Fatal(err)
	}
	if tags, _, err := anon.Tags.List(ctx, hubsim.DemoOrg, "web", nil); err != nil || len(tags) != rpWebTags {
		t.Errorf("anonymous, public: %d %v", len(tags), err)
	}
	if _, _, err := e.member().Tags.List(ctx, hubsim.DemoOrg, "empty-one", nil); err != nil {
		t.Errorf("member, private: %v", err)
	}
	_, _, err = c.Tags.List(ctx, hubsim.DemoOrg, "nope", nil)
	wantStatus(t, "missing repository", err, http.StatusNotFound)
	if err == nil || !strings.Contains(err.Error(), "list tags acme/nope") {
		t.Errorf("error lacks context: %v", err)
	}
	_, _, err = c.Tags.List(ctx, hubsim.DemoOrg, "web", &hubclient.TagListOptions{ListOptions: hubclient.ListOptions{Page: 9}})
	wantStatus(t, "past the last page", err, http.StatusNotFound)

	e.nothingSent("page_size 101", func() error {
		_, _, err := c.Tags.List(ctx, hubsim.DemoOrg, "web", &hubclient.TagListOptions{ListOptions: hubclient.ListOptions{PageSize: 101}})
		return err
	}, isValidation("page_size"))
	e.nothingSent("no repository", func() error { _, _, err := c.Tags.List(ctx, hubsim.DemoOrg, "", nil); return err }, isValidation("repository"))
	e.nothingSent("HasTags no namespace", func() error { _, _, err := c.Tags.HasTags(ctx, "", "web"); return err }, isValidation("namespace"))
}

func TestTagGetExists(t *testing.T) {
	e := newRPEnv(t)
	ctx := context.Background()
	c := e.owner()
	tg, _, err := c.Tags.Get(ctx, hubsim.DemoOrg, "web", "latest")
	if err != nil {
		t.Fatal(err)
	}
	if tg.Name != "latest" || len(tg.Images) < 2 || tg.FullSize == 0 || tg.Digest == "" {
		t.Errorf("tag %+v", tg)
	}
	page, _, err := c.Tags.List(ctx, hubsim.DemoOrg, "web", &hubclient.TagListOptions{Name: "latest"})
	if err != nil || len(page) != 1 || page[0].Digest != tg.Digest || page[0].FullSize != tg.FullSize {
		t.Errorf("list and get disagree: %+v %v", page, err)
	}
	if ok, _, err := c.Tags.Exists(ctx, hubsim.DemoOrg, "web", "latest"); !ok || err != nil {
		t.Errorf("Exists latest: %v %v", ok, err)
	}
	if ok, _, err := c.Tags.Exists(ctx, hubsim.DemoOrg, "web", "nope"); ok || err != nil {
		t.Errorf("Exists nope: %v %v", ok, err)
	}
	_, _, err = c.Tags.Get(ctx, hubsim.DemoOrg, "web", "nope")
	wantStatus(t, "get missing", err, http.StatusNotFound)
	_, _, err = c.Tags.Get(ctx, hubsim.DemoOrg, "nope", "latest")
	wantStatus(t, "get in missing repository", err, http.StatusNotFound)
	e.nothingSent("no tag", func() error { _, _, err := c.Tags.Get(ctx, hubsim.DemoOrg, "web", ""); return err }, isValidation("tag"))
	e.nothingSent("Exists no tag", func() error { _, _, err := c.Tags.Exists(ctx, hubsim.DemoOrg, "web", ""); return err }, isValidation("tag"))
}

func TestTagDelete(t *testing.T) {
	e := newRPEnv(t)
	ctx := context.Background()
	c := e.owner()
	if _, _, err := c.Repos.UpdateImmutableTags(ctx, hubsim.DemoOrg, "api", hubclient.ImmutableTagsRequest{}); err != nil {
		t.Fatal(err)
	}
	edge, _, err := c.Tags.Get(ctx, hubsim.DemoOrg, "api", "edge")
	if err != nil {
		t.Fatal(err)
	}

	// Who may: repository admins (editors, owners) with repo:admin.
	_, err = e.member().Tags.Delete(ctx, hubsim.DemoOrg, "api", "edge")
	wantStatus(t, "member", err, http.StatusForbidden)
	_, err = e.pat("repo:write").Tags.Delete(ctx, hubsim.DemoOrg, "api", "edge")
	wantStatus(t, "repo:write PAT", err, http.StatusForbidden)
	if errors.Is(err, hubclient.ErrImmutableTag) {
		t.Errorf("a 403 is not an immutable tag: %v", err)
	}

	resp, err := c.Tags.Delete(ctx, hubsim.DemoOrg, "api", "edge")
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %v", err)
	}
	ev := e.wantAudit("repo.tag.delete", "acme/api", hubsim.DemoUser)
	if ev.Data["tag"] != "edge" {
		t.Errorf("audit data %v", ev.Data)
	}
	if ok, _, err := c.Tags.Exists(ctx, hubsim.DemoOrg, "api", "edge"); ok || err != nil {
		t.Errorf("still there: %v %v", ok, err)
	}
	all, resp, err := c.Tags.List(ctx, hubsim.DemoOrg, "api", nil)
	if err != nil || resp.Count != rpWebTags-1 || len(all) != rpWebTags-1 {
		t.Errorf("after delete: %d tags, %v", len(all), err)
	}
	// Its manifest stays, untagged, for image management.
	tags, _, err := c.Images.Tags(ctx, hubsim.DemoOrg, "api", edge.Digest, nil)
	if err != nil || !slices.Contains(tags, hubclient.ImageTag{Tag: "edge", IsCurrent: false}) {
		t.Errorf("image of the deleted tag: %+v %v", tags, err)
	}

	_, err = c.Tags.Delete(ctx, hubsim.DemoOrg, "api", "edge")
	wantStatus(t, "delete twice", err, http.StatusNotFound)
	if _, err := e.editor().Tags.Delete(ctx, hubsim.DemoOrg, "api", "stable"); err != nil {
		t.Errorf("editor: %v", err)
	}
	if _, err := e.client(hubsim.DemoOrg, hubsim.DemoOAT).Tags.Delete(ctx, hubsim.DemoOrg, "api", "latest"); err != nil {
		t.Errorf("OAT with repo-edit: %v", err)
	}
	e.nothingSent("read-only", func() error {
		_, err := e.client(hubsim.DemoUser, hubsim.DemoPassword, hubclient.WithReadOnly()).Tags.Delete(ctx, hubsim.DemoOrg, "api", "latest")
		return err
	}, isReadOnly)
	e.nothingSent("no tag", func() error { _, err := c.Tags.Delete(ctx, hubsim.DemoOrg, "api", ""); return err }, isValidation("tag"))
}
