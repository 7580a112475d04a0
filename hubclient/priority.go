package hubclient

import "context"

// Loads and changes share one rate budget (180 requests a minute on Docker
// Hub). A change the user asked for goes first: while one runs
// (Foreground), requests made with a Background context wait before they
// are sent, and go on when the last change is done.

type backgroundKey struct{}

// Background marks ctx as background work, such as loading a long list,
// which yields to changes in flight.
func Background(ctx context.Context) context.Context {
	return context.WithValue(ctx, backgroundKey{}, true)
}

// IsBackground reports whether ctx was marked by Background.
func IsBackground(ctx context.Context) bool {
	v, _ := ctx.Value(backgroundKey{}).(bool)
	return v
}

// Foreground says that a change the user asked for runs until the returned
// func is called (once; later calls do nothing). Background requests wait
// meanwhile.
func (c *Client) Foreground() (done func()) {
	c.mu.Lock()
	if c.fg == 0 {
		c.fgDone = make(chan struct{})
	}
	c.fg++
	c.mu.Unlock()
	called := false
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if called {
			return
		}
		called = true
		if c.fg--; c.fg == 0 {
			close(c.fgDone)
		}
	}
}

// Yielding reports whether background requests are waiting for a change.
func (c *Client) Yielding() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fg > 0
}

// yield holds a background request while changes run.
func (c *Client) yield(ctx context.Context) error {
	if !IsBackground(ctx) {
		return nil
	}
	for {
		c.mu.Lock()
		if c.fg == 0 {
			c.mu.Unlock()
			return nil
		}
		ch := c.fgDone
		c.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
