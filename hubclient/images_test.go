package hubclient_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
)

// acme/web has 12 tags, each on its own manifest, and a seeded history of 7
// former manifests: 2 earlier latest, 1 stable, 3 edge, 1 never tagged.
const (
	rpWebImages   = 19
	rpWebUntagged = 7
)

func rpImages(t *testing.T, c *hubclient.Client, repo string, opt hubclient.ImageListOptions) []hubclient.RepositoryImage {
	t.Helper()
	all, err := hubclient.ListAll(context.Background(), c, func(ctx context.Context, lo hubclient.ListOptions) ([]hubclient.RepositoryImage, *hubclient.Response, error) {
		o := opt
		o.ListOptions = lo
		o.PageSize = 7
		return c.Images.List(ctx, hubsim.DemoOrg, repo, &o)
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return all
}

func rpLastActivity(im hubclient.RepositoryImage) time.Time {
	if im.LastPulled.After(im.LastPushed) {
		return im.LastPulled
	}
	return im.LastPushed
}

func TestImageList(t *testing.T) {
	e := newRPEnv(t)
	ctx := context.Background()
	c := e.owner()
	imgs, resp, err := c.Images.List(ctx, hubsim.DemoOrg, "web", nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Count != rpWebImages || len(imgs) != rpWebImages || resp.Next != "" {
		t.Fatalf("count %d rows %d next %q", resp.Count, len(imgs), resp.Next)
	}
	digests := map[string]bool{}
	current := 0
	for _, im := range imgs {
		digests[im.Digest] = true
		if im.Namespace != hubsim.DemoOrg || im.Repository != "web" || !strings.HasPrefix(im.Digest, "sha256:") || im.LastPushed.IsZero() ||
			(im.Status != hubclient.ImageStatusActive && im.Status != hubclient.ImageStatusInactive) || im.Tags == nil {
			t.Errorf("image %+v", im)
		}
		if n := len(im.CurrentTags()); n > 0 {
			current++
			if n != 1 {
				t.Errorf("%s has current tags %v", im.Digest, im.CurrentTags())
			}
		}
	}
	if len(digests) != rpWebImages || current != rpWebImages-rpWebUntagged {
		t.Errorf("%d distinct digests, %d tagged", len(digests), current)
	}
	if !slices.IsSortedFunc(imgs, func(a, b hubclient.RepositoryImage) int { return rpLastActivity(b).Compare(rpLastActivity(a)) }) {
		t.Errorf("default order is not most recent activity first")
	}

	// Paging, orderings, filters.
	byDigest := rpImages(t, c, "web", hubclient.ImageListOptions{Ordering: hubclient.ImageOrderDigest})
	if len(byDigest) != rpWebImages || !slices.IsSortedFunc(byDigest, func(a, b hubclient.RepositoryImage) int { return strings.Compare(a.Digest, b.Digest) }) {
		t.Errorf("digest order: %d rows", len(byDigest))
	}
	oldest := rpImages(t, c, "web", hubclient.ImageListOptions{Ordering: hubclient.ImageOrderLastActivity})
	if !slices.IsSortedFunc(oldest, func(a, b hubclient.RepositoryImage) int { return rpLastActivity(a).Compare(rpLastActivity(b)) }) {
		t.Errorf("last_activity order is not oldest first")
	}
	untagged := rpImages(t, c, "web", hubclient.ImageListOptions{CurrentlyTagged: new(false)})
	if len(untagged) != rpWebUntagged {
		t.Errorf("untagged: %d", len(untagged))
	}
	for _, im := range untagged {
		if len(im.CurrentTags()) != 0 {
			t.Errorf("untagged filter let through %+v", im)
		}
	}
	if tagged := rpImages(t, c, "web", hubclient.ImageListOptions{CurrentlyTagged: new(true)}); len(tagged) != rpWebImages-rpWebUntagged {
		t.Errorf("tagged: %d", len(tagged))
	}
	active := rpImages(t, c, "web", hubclient.ImageListOptions{Status: hubclient.ImageStatusActive})
	inactive := rpImages(t, c, "web", hubclient.ImageListOptions{Status: hubclient.ImageStatusInactive})
	if len(active)+len(inactive) != rpWebImages || len(inactive) == 0 {
		t.Errorf("active %d + inactive %d", len(active), len(inactive))
	}
	for _, im := range inactive {
		if im.Status != hubclient.ImageStatusInactive {
			t.Errorf("status filter let through %+v", im)
		}
	}
	longAgo := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if none := rpImages(t, c, "web", hubclient.ImageListOptions{Status: hubclient.ImageStatusInactive, ActiveFrom: longAgo}); len(none) != 0 {
		t.Errorf("inactive since 2000: %d", len(none))
	}

	// Who may: members read; anonymous callers must sign in.
	if m, _, err := e.member().Images.List(ctx, hubsim.DemoOrg, "web", nil); err != nil || len(m) != rpWebImages {
		t.Errorf("member: %d %v", len(m), err)
	}
	_, _, err = e.client("", "").Images.List(ctx, hubsim.DemoOrg, "web", nil)
	wantStatus(t, "anonymous", err, http.StatusUnauthorized)
	if errors.Is(err, hubclient.ErrNotOffered) {
		t.Errorf("401 taken for not offered: %v", err)
	}

	e.nothingSent("bad status", func() error {
		_, _, err := c.Images.List(ctx, hubsim.DemoOrg, "web", &hubclient.ImageListOptions{Status: "gone"})
		return err
	}, isValidation("status"))
	e.nothingSent("bad ordering", func() error {
		_, _, err := c.Images.List(ctx, hubsim.DemoOrg, "web", &hubclient.ImageListOptions{Ordering: "-size"})
		return err
	}, isValidation("ordering"))
	e.nothingSent("page_size 101", func() error {
		_, _, err := c.Images.List(ctx, hubsim.DemoOrg, "web", &hubclient.ImageListOptions{ListOptions: hubclient.ListOptions{PageSize: 101}})
		return err
	}, isValidation("page_size"))
	for _, q := range []string{"status=gone", "currently_tagged=maybe", "ordering=size", "active_from=yesterday"} {
		if st, _ := e.rawChecked(c, "GET", "/v2/namespaces/acme/repositories/web/images?"+q, "", ""); st != 400 {
			t.Errorf("sim %s: %d", q, st)
		}
	}
}

func TestImageTags(t *testing.T) {
	e := newRPEnv(t)
	ctx := context.Background()
	c := e.owner()
	latest, _, err := c.Tags.Get(ctx, hubsim.DemoOrg, "web", "latest")
	if err != nil {
		t.Fatal(err)
	}
	tags, resp, err := c.Images.Tags(ctx, hubsim.DemoOrg, "web", latest.Digest, nil)
	if err != nil || resp.Count != 1 || !slices.Equal(tags, []hubclient.ImageTag{{Tag: "latest", IsCurrent: true}}) {
		t.Fatalf("tags of latest: %+v %v", tags, err)
	}
	former := 0
	for _, im := range rpImages(t, c, "web", hubclient.ImageListOptions{CurrentlyTagged: new(false)}) {
		tags, _, err := c.Images.Tags(ctx, hubsim.DemoOrg, "web", im.Digest, nil)
		if err != nil || !slices.Equal(tags, im.Tags) {
			t.Errorf("%s: %+v %v, list says %+v", im.Digest, tags, err, im.Tags)
		}
		if slices.Contains(tags, hubclient.ImageTag{Tag: "latest"}) {
			former++
		}
	}
	if former != 2 {
		t.Errorf("%d former latest images, want 2", former)
	}
	_, _, err = c.Images.Tags(ctx, hubsim.DemoOrg, "web", "sha256:"+strings.Repeat("0", 64), nil)
	if !hubclient.IsStatus(err, http.StatusNotFound) || !errors.Is(err, hubclient.ErrNotOffered) {
		t.Errorf("unknown digest: %v", err)
	}
	e.nothingSent("not a digest", func() error { _, _, err := c.Images.Tags(ctx, hubsim.DemoOrg, "web", "latest", nil); return err }, isValidation("digest"))
	e.nothingSent("page_size 101", func() error {
		_, _, err := c.Images.Tags(ctx, hubsim.DemoOrg, "web", latest.Digest, &hubclient.ListOptions{PageSize: 101})
		return err
	}, isValidation("page_size"))
}

func TestImageSummary(t *testing.T) {
	e := newRPEnv(t)
	ctx := context.Background()
	c := e.owner()
	sum, _, err := c.Images.Summary(ctx, hubsim.DemoOrg, "web", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	st := sum.Statistics
	monthAgo := time.Now().AddDate(0, -1, 0)
	if st.Total != rpWebImages || st.Active+st.Inactive != st.Total || sum.ActiveFrom.Sub(monthAgo).Abs() > time.Hour {
		t.Errorf("summary %+v", sum)
	}
	active := rpImages(t, c, "web", hubclient.ImageListOptions{Status: hubclient.ImageStatusActive})
	if len(active) != st.Active {
		t.Errorf("summary says %d active, list %d", st.Active, len(active))
	}
	since := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	sum, _, err = c.Images.Summary(ctx, hubsim.DemoOrg, "web", since)
	if err != nil || sum.Statistics.Active != rpWebImages || !sum.ActiveFrom.Equal(since) {
		t.Errorf("since 2000: %+v %v", sum, err)
	}
	_, _, err = c.Images.Summary(ctx, hubsim.DemoOrg, "nope", time.Time{})
	if !errors.Is(err, hubclient.ErrNotOffered) || !hubclient.IsStatus(err, 404) {
		t.Errorf("missing repository: %v", err)
	}
	e.nothingSent("no repository", func() error { _, _, err := c.Images.Summary(ctx, hubsim.DemoOrg, "", time.Time{}); return err }, isValidation("repository"))
}

func TestImageDelete(t *testing.T) {
	e := newRPEnv(t)
	ctx := context.Background()
	c := e.owner()
	old := rpImages(t, c, "web", hubclient.ImageListOptions{CurrentlyTagged: new(false), Status: hubclient.ImageStatusInactive})
	if len(old) == 0 {
		t.Fatal("no inactive untagged image in acme/web")
	}
	target := hubclient.ImageRef{Repository: "web", Digest: old[0].Digest}

	// A dry run reports and changes nothing.
	before := len(e.sim.OrgAuditTail(hubsim.DemoOrg, 1<<30))
	res, _, err := c.Images.Delete(ctx, hubsim.DemoOrg, &hubclient.DeleteImagesRequest{DryRun: true, Manifests: []hubclient.ImageRef{target}})
	if err != nil || !res.DryRun || res.Metrics != (hubclient.DeleteImagesMetrics{ManifestDeletes: 1}) {
		t.Fatalf("dry run: %+v %v", res, err)
	}
	if n := len(rpImages(t, c, "web", hubclient.ImageListOptions{})); n != rpWebImages {
		t.Errorf("dry run deleted: %d images left", n)
	}
	if after := len(e.sim.OrgAuditTail(hubsim.DemoOrg, 1<<30)); after != before {
		t.Errorf("dry run audited %d events", after-before)
	}
	res, resp, err := c.Images.Delete(ctx, hubsim.DemoOrg, &hubclient.DeleteImagesRequest{Manifests: []hubclient.ImageRef{target}})
	if err != nil || res.DryRun || res.Metrics.ManifestDeletes != 1 || resp.StatusCode != http.StatusOK {
		t.Fatalf("delete: %+v %v", res, err)
	}
	if ev := e.wantAudit("repo.image.delete", "acme/web", hubsim.DemoUser); ev.Data["digest"] != target.Digest {
		t.Errorf("audit data %v", ev.Data)
	}
	if n := len(rpImages(t, c, "web", hubclient.ImageListOptions{})); n != rpWebImages-1 {
		t.Errorf("%d images left, want %d", n, rpWebImages-1)
	}

	// A tagged image is refused with a warning until the warning is ignored.
	latest, _, err := c.Tags.Get(ctx, hubsim.DemoOrg, "web", "latest")
	if err != nil {
		t.Fatal(err)
	}
	req := &hubclient.DeleteImagesRequest{Manifests: []hubclient.ImageRef{{Repository: "web", Digest: latest.Digest}}}
	var warnings []hubclient.ImageDeleteWarning
	for _, dry := range []bool{true, false} {
		req.DryRun = dry
		_, _, err = c.Images.Delete(ctx, hubsim.DemoOrg, req)
		var ref *hubclient.DeleteImagesRefusal
		if !errors.As(err, &ref) || len(ref.Errors) != 0 || len(ref.Warnings) == 0 || !hubclient.IsStatus(err, http.StatusBadRequest) {
			t.Fatalf("tagged image (dry run %v): %v", dry, err)
		}
		w := ref.Warnings[0]
		if w.Warning != hubclient.ImageWarningCurrentTag || w.Digest != latest.Digest || !slices.Equal(w.Tags, []string{"latest"}) {
			t.Errorf("warning %+v", w)
		}
		warnings = ref.Warnings
	}
	req.IgnoreWarnings = warnings
	res, _, err = c.Images.Delete(ctx, hubsim.DemoOrg, req)
	if err != nil || res.Metrics != (hubclient.DeleteImagesMetrics{ManifestDeletes: 1, TagDeletes: 1}) {
		t.Fatalf("delete with warnings ignored: %+v %v", res, err)
	}
	if ok, _, err := c.Tags.Exists(ctx, hubsim.DemoOrg, "web", "latest"); ok || err != nil {
		t.Errorf("latest still there: %v %v", ok, err)
	}
	evs := e.sim.OrgAuditTail(hubsim.DemoOrg, 2)
	if evs[0].Action != "repo.tag.delete" || evs[0].Data["tag"] != "latest" || evs[1].Action != "repo.image.delete" {
		t.Errorf("audit %+v", evs)
	}

	// Errors: unknown manifests, protected tags.
	if _, _, err := c.Repos.UpdateImmutableTags(ctx, hubsim.DemoOrg, "web", hubclient.ImmutableTagsRequest{Enabled: true, Rules: []string{"v.*"}}); err != nil {
		t.Fatal(err)
	}
	v1, _, err := c.Tags.Get(ctx, hubsim.DemoOrg, "web", tags0(t, c, "v1"))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = c.Images.Delete(ctx, hubsim.DemoOrg, &hubclient.DeleteImagesRequest{DryRun: true, Manifests: []hubclient.ImageRef{
		{Repository: "web", Digest: v1.Digest}, {Repository: "web", Digest: "sha256:" + strings.Repeat("0", 64)}, {Repository: "nope", Digest: "sha256:1"}}})
	var ref *hubclient.DeleteImagesRefusal
	if !errors.As(err, &ref) || len(ref.Errors) != 3 || ref.Errors[0].Error != "immutable_tag" || ref.Errors[1].Error != "not_found" || ref.Errors[2].Error != "not_found" {
		t.Fatalf("refusal: %v", err)
	}
	// A refusal longer than the 4 KiB an APIError keeps is read in full.
	many := make([]hubclient.ImageRef, 2000) // well over the 64 KiB an error answer is otherwise cut at
	for i := range many {
		many[i] = hubclient.ImageRef{Repository: "web", Digest: fmt.Sprintf("sha256:%064x", i)}
	}
	_, _, err = c.Images.Delete(ctx, hubsim.DemoOrg, &hubclient.DeleteImagesRequest{Manifests: many})
	if !errors.As(err, &ref) || len(ref.Errors) != len(many) || len(ref.APIError.Body) != 4096 {
		t.Errorf("long refusal: %v", err)
	}

	// Who may: repository admins.
	_, _, err = e.member().Images.Delete(ctx, hubsim.DemoOrg, &hubclient.DeleteImagesRequest{Manifests: []hubclient.ImageRef{target}})
	wantStatus(t, "member", err, http.StatusForbidden)
	_, _, err = e.pat("repo:write").Images.Delete(ctx, hubsim.DemoOrg, &hubclient.DeleteImagesRequest{DryRun: true, Manifests: []hubclient.ImageRef{target}})
	wantStatus(t, "repo:write PAT", err, http.StatusForbidden)

	e.nothingSent("no manifests", func() error {
		_, _, err := c.Images.Delete(ctx, hubsim.DemoOrg, &hubclient.DeleteImagesRequest{})
		return err
	}, isValidation("manifests"))
	e.nothingSent("bad digest", func() error {
		_, _, err := c.Images.Delete(ctx, hubsim.DemoOrg, &hubclient.DeleteImagesRequest{Manifests: []hubclient.ImageRef{{Repository: "web", Digest: "latest"}}})
		return err
	}, isValidation("manifests"))
	e.nothingSent("read-only", func() error {
		_, _, err := e.client(hubsim.DemoUser, hubsim.DemoPassword, hubclient.WithReadOnly()).Images.Delete(ctx, hubsim.DemoOrg, &hubclient.DeleteImagesRequest{DryRun: true, Manifests: []hubclient.ImageRef{target}})
		return err
	}, isReadOnly)
	if st, body := e.rawChecked(c, "POST", "/v2/namespaces/acme/delete-images", "application/json", `{"dry_run":true,"manifests":[]}`); st != 400 || !strings.Contains(body, "manifests") {
		t.Errorf("sim empty manifests: %d %s", st, body)
	}
}

// A Hub that does not offer image management answers 404 or 410; every
// image operation then wraps ErrNotOffered (and still the APIError).
func TestImagesNotOffered(t *testing.T) {
	for _, status := range []int{http.StatusGone, http.StatusNotFound} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"detail":"%s"}`, http.StatusText(status))
		}))
		c, err := hubclient.New(hubclient.WithBaseURL(srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		calls := map[string]func() error{
			"List": func() error { _, _, err := c.Images.List(ctx, "acme", "web", nil); return err },
			"Tags": func() error { _, _, err := c.Images.Tags(ctx, "acme", "web", "sha256:abc", nil); return err },
			"Summary": func() error {
				_, _, err := c.Images.Summary(ctx, "acme", "web", time.Time{})
				return err
			},
			"Delete": func() error {
				_, _, err := c.Images.Delete(ctx, "acme", &hubclient.DeleteImagesRequest{DryRun: true, Manifests: []hubclient.ImageRef{{Repository: "web", Digest: "sha256:abc"}}})
				return err
			},
		}
		for name, call := range calls {
			err := call()
			if !errors.Is(err, hubclient.ErrNotOffered) || !hubclient.IsStatus(err, status) {
				t.Errorf("%d %s: %v", status, name, err)
			}
		}
		srv.Close()
	}
}
