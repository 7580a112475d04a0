package list

import (
	"context"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
)

// pageMsg is one page of a list load.
type pageMsg[T any] struct {
	key   state.Key
	gen   uint64
	page  int
	items []T
	total int
}

// doneMsg ends a list load.
type doneMsg struct {
	key state.Key
	gen uint64
	err error
}

// StreamMsg carries one message of a stream and the Cmd that waits for the
// next, so a load's pages arrive one by one while the rest stream in.
type StreamMsg struct {
	Msg  tea.Msg
	Next tea.Cmd
}

// stream is a Cmd that lists every page of fetch through ListAll
// (concurrently, in the client's budget) and delivers each page as it lands,
// then a doneMsg. Cancelling ctx stops it; its later messages never arrive.
func stream[T any](ctx context.Context, c *hubclient.Client, key state.Key, gen uint64, fetch hubclient.PageFunc[T]) tea.Cmd {
	return func() tea.Msg {
		ch := make(chan tea.Msg, 8)
		go func() {
			defer close(ch)
			var total atomic.Int64
			counted := func(ctx context.Context, o hubclient.ListOptions) ([]T, *hubclient.Response, error) {
				items, resp, err := fetch(ctx, o)
				if resp != nil && resp.Count > 0 {
					total.Store(int64(resp.Count))
				}
				return items, resp, err
			}
			send := func(m tea.Msg) {
				select {
				case ch <- m:
				case <-ctx.Done():
				}
			}
			// A load yields to the changes the user asked for (hubclient.Foreground).
			_, err := hubclient.ListAll(hubclient.Background(ctx), c, counted, func(page int, items []T) {
				send(pageMsg[T]{key: key, gen: gen, page: page, items: items, total: int(total.Load())})
			})
			send(doneMsg{key: key, gen: gen, err: err})
		}()
		return recv(ch)()
	}
}

// recv waits for the next message of a stream.
func recv(ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		m, ok := <-ch
		if !ok {
			return nil
		}
		return StreamMsg{Msg: m, Next: recv(ch)}
	}
}

// Result is the answer of a single call (a detail fetch).
type Result[T any] struct {
	Key state.Key
	Gen uint64
	Val T
	Err error
}

// Call is a Cmd running one client call; its answer is a Result[T].
func Call[T any](ctx context.Context, key state.Key, gen uint64, fn func(ctx context.Context) (T, error)) tea.Cmd {
	return func() tea.Msg {
		v, err := fn(ctx)
		return Result[T]{Key: key, Gen: gen, Val: v, Err: err}
	}
}

// derivedMsg is a filter/sort derivation computed off the Update path. Its
// rows index items, the snapshot it was computed from, which stays on
// screen with them even when the collection has changed since.
type derivedMsg[T any] struct {
	coll  *state.Collection[T] // the collection it was asked for
	gen   uint64
	rows  state.Rows
	items []T
	next  tea.Cmd // the full derivation after a quick partial one
}

// partialLimit is how many rows a quick first filter pass looks at, so the
// first matches of a filter over a very long list show at once.
const partialLimit = 16384

// derive is a Cmd filtering and sorting a snapshot of items. Over long lists
// it first answers for the first partialLimit rows, then for all of them.
func derive[T any](coll *state.Collection[T], gen uint64, items []T, spec state.Spec, sch state.Schema[T]) tea.Cmd {
	full := func() tea.Msg {
		r := state.Derive(items, spec, sch)
		r.Gen = gen
		return derivedMsg[T]{coll: coll, gen: gen, rows: r, items: items}
	}
	if spec.Query == "" || len(items) <= partialLimit {
		return full
	}
	return func() tea.Msg {
		r := state.Derive(items[:partialLimit], spec, sch)
		r.Gen = gen
		return derivedMsg[T]{coll: coll, gen: gen, rows: r, items: items, next: full}
	}
}
