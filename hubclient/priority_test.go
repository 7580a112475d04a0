package hubclient_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
)

func TestBackgroundRequestsWaitForChanges(t *testing.T) {
	e := newEnv(t, hubsim.Options{})
	c := e.owner()
	ctx := context.Background()
	if _, _, err := c.Repos.List(ctx, "acme", nil); err != nil { // signs in
		t.Fatal(err)
	}
	done := c.Foreground()
	if !c.Yielding() {
		t.Fatal("Yielding is false while a change runs")
	}
	// A foreground request goes at once.
	if _, _, err := c.Repos.Get(ctx, "acme", "billing"); err != nil {
		t.Fatalf("a change's own request waited or failed: %v", err)
	}
	got := make(chan error, 1)
	go func() {
		_, _, err := c.Repos.List(hubclient.Background(ctx), "acme", nil)
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("a background request went while a change ran (err %v)", err)
	case <-time.After(100 * time.Millisecond):
	}
	done()
	done() // a second call does nothing
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the background request never went on")
	}
	if c.Yielding() {
		t.Fatal("Yielding after the change is done")
	}

	// A waiting background request stops with its context.
	done = c.Foreground()
	defer done()
	cctx, cancel := context.WithCancel(hubclient.Background(ctx))
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	if _, _, err := c.Repos.List(cctx, "acme", nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
