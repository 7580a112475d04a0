package tags_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
)

// TestNameSearchInAHugeRepositoryAsksTheHub: acme/big has 100,000 tags, far
// more than one rate-limit window (180 requests a minute) can list, so a
// name typed while it loads is asked of the Hub and answers at once.
func TestNameSearchInAHugeRepositoryAsksTheHub(t *testing.T) {
	if testing.Short() {
		t.Skip("the large dataset takes seconds to build")
	}
	_, url := uitest.StartSim(t, hubsim.Options{Dataset: "large", RateLimit: 180})
	sess := uitest.Session(t, url, "demo", "demo")
	d := uitest.New(t, ui.Options{Session: sess}, 120, 40)
	d.UntilWithin(time.Minute, "repositories", func() bool { return strings.Contains(d.Screen(), " repositories") })
	d.Key(":")
	d.Type("tags acme/big")
	d.Key("enter")
	d.UntilWithin(30*time.Second, "the load to start", func() bool {
		return strings.Contains(d.Screen(), "loading tags") && strings.Contains(d.Screen(), "/100000")
	})
	d.Key("/")
	d.Type("'nightly-0999")
	d.Key("enter")
	_, resp, err := sess.Client.Tags.List(context.Background(), "acme", "big", &hubclient.TagListOptions{Name: "nightly-0999"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Count == 0 || resp.Count > 1000 {
		t.Fatalf("the Hub finds %d tags: the test needs a few", resp.Count)
	}
	d.UntilWithin(30*time.Second, "the Hub's answer", func() bool {
		return strings.Contains(d.Screen(), `asked the Hub for names containing "nightly-0999"`) &&
			strings.Contains(d.Screen(), fmt.Sprintf("%d tags · loaded", resp.Count))
	})
	if s := d.Screen(); !strings.Contains(s, "nightly-0999") {
		t.Fatalf("no matching tag on screen:\n%s", s)
	}
	// esc clears it: back to the whole list, whose load goes on.
	d.Key("esc")
	d.UntilWithin(30*time.Second, "the whole list", func() bool {
		s := d.Screen()
		return !strings.Contains(s, "asked the Hub") && strings.Contains(s, "/100000")
	})
}
