package hubclient_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
)

func TestSearchPublicRepositories(t *testing.T) {
	e := newEnv(t, hubsim.Options{})
	c := e.owner()
	ctx := context.Background()
	got, err := hubclient.ListAll(ctx, c, func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.SearchResult, *hubclient.Response, error) {
		o.PageSize = 5 // several pages, through absolute next links
		return c.Search.Repositories(ctx, "acme", &o)
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 {
		t.Fatal("no public acme repositories found")
	}
	seen := map[string]bool{}
	for _, r := range got {
		if seen[r.Name] {
			t.Fatalf("%s listed twice", r.Name)
		}
		seen[r.Name] = true
		if !strings.HasPrefix(r.Name, "acme/") {
			t.Fatalf("result %q", r.Name)
		}
		info, _, err := c.Repos.Get(ctx, "acme", strings.TrimPrefix(r.Name, "acme/"))
		if err != nil || info.IsPrivate {
			t.Fatalf("%s: private or missing (%v)", r.Name, err)
		}
	}
	for i := 1; i < len(got); i++ {
		if got[i].StarCount > got[i-1].StarCount {
			t.Fatalf("not best first: %v before %v", got[i-1], got[i])
		}
	}
	// Signed out works too; an empty term is refused before sending.
	anon := e.client("", "")
	if _, _, err := anon.Search.Repositories(ctx, "web", nil); err != nil {
		t.Fatalf("anonymous search: %v", err)
	}
	var ve *hubclient.ValidationError
	if _, _, err := c.Search.Repositories(ctx, "  ", nil); !errors.As(err, &ve) {
		t.Fatalf("empty term: %v", err)
	}
	if r := (hubclient.SearchResult{Name: "nginx"}); r.Ref() != "library/nginx" {
		t.Fatalf("Ref = %q", r.Ref())
	}
}
