package repos_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
)

func TestImageCleanupDryRunThenDelete(t *testing.T) {
	d, c := withEditor(t, "")
	ctx := context.Background()
	count := func(opt *hubclient.ImageListOptions) int {
		ims, err := hubclient.ListAll(ctx, c, func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.RepositoryImage, *hubclient.Response, error) {
			op := *opt
			op.ListOptions = o
			return c.Images.List(ctx, "acme", "web", &op)
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return len(ims)
	}
	all := count(&hubclient.ImageListOptions{})
	inactive := count(&hubclient.ImageListOptions{Status: hubclient.ImageStatusInactive})
	if inactive == 0 || inactive == all {
		t.Fatalf("acme/web has %d of %d images inactive: the test needs some of each", inactive, all)
	}
	openDetail(t, d, "web")
	d.Key("i")
	d.Until("the images", func() bool {
		return strings.Contains(d.Screen(), " images · loaded") && strings.Contains(d.Screen(), "active,")
	})
	if !strings.Contains(d.Screen(), fmt.Sprintf("%d images:", all)) {
		t.Fatalf("no summary of %d images:\n%s", all, d.Screen())
	}
	d.Key("f") // inactive
	d.Until("the inactive ones", func() bool {
		return strings.Contains(d.Screen(), fmt.Sprintf("inactive · %d images · loaded", inactive))
	})
	// acme/web keeps its v* tags immutable: the Hub refuses those images,
	// and only the others go.
	refused := 0
	for _, im := range imagesOf(t, c, hubclient.ImageStatusInactive) {
		for _, tg := range im.CurrentTags() {
			if strings.HasPrefix(tg, "v") {
				refused++
				break
			}
		}
	}
	if refused == 0 {
		t.Fatal("no inactive image with an immutable tag: the test needs one")
	}
	inactive -= refused
	d.Key("ctrl+a")
	d.Key("D")
	d.Until("the dry run", func() bool {
		return strings.Contains(d.Screen(), fmt.Sprintf("Delete %d image(s) of acme/web?", inactive))
	})
	if !strings.Contains(d.Screen(), "an immutable tag points at it") {
		t.Fatalf("the refused images are not explained:\n%s", d.Screen())
	}
	s := d.Screen()
	if !strings.Contains(s, "dry run") && !strings.Contains(s, "warns") {
		t.Fatalf("the dry run's answer is not shown:\n%s", s)
	}
	if count(&hubclient.ImageListOptions{}) != all {
		t.Fatal("the dry run deleted something")
	}
	if strings.Contains(s, "Type") || strings.Contains(s, "type") {
		d.Type(fmt.Sprintf("delete %d images", inactive))
	}
	d.Key("enter")
	d.Until("the deletion", func() bool { return strings.Contains(d.Screen(), fmt.Sprintf("deleted %d image(s)", inactive)) })
	if got := count(&hubclient.ImageListOptions{}); got != all-inactive {
		t.Fatalf("hubsim holds %d images, want %d", got, all-inactive)
	}
	d.Until("the reload", func() bool {
		return strings.Contains(d.Screen(), fmt.Sprintf("inactive · %d images · loaded", refused))
	})
}

func imagesOf(t *testing.T, c *hubclient.Client, status string) []hubclient.RepositoryImage {
	t.Helper()
	ims, err := hubclient.ListAll(context.Background(), c, func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.RepositoryImage, *hubclient.Response, error) {
		return c.Images.List(ctx, "acme", "web", &hubclient.ImageListOptions{ListOptions: o, Status: status})
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ims
}
