// Package state is hubtui's domain store: one collection per key with its
// own load status and generation, and the derivation of visible rows
// (filter, sort). It renders nothing and performs no I/O.
package state

import (
	"time"
)

// Kind names a kind of collection, one per pane; a pane package declares
// its own ("teams"), so adding a pane edits nothing here.
type Kind string

// The kinds of collection the first panes hold.
const (
	Repos    Kind = "repos"
	Tags     Kind = "tags"
	Teams    Kind = "teams"
	Members  Kind = "members"
	Invites  Kind = "invites"
	Tokens   Kind = "tokens"
	Audit    Kind = "audit"
	Settings Kind = "settings"
)

// String is the kind's name as the command palette spells it.
func (k Kind) String() string { return string(k) }

// Key names one collection: {Tags, "acme/web"}.
type Key struct {
	Kind  Kind
	Scope string
}

// String is "tags acme/web".
func (k Key) String() string { return k.Kind.String() + " " + k.Scope }

// Status is a collection's load status.
type Status int

// Load statuses.
const (
	Idle Status = iota
	Loading
	Loaded
	Failed
)

// Collection holds the rows of one key in server order while they stream in.
// Every load has a generation; pages and results of an older generation are
// dropped. Items is only ever appended to, so a slice of it taken earlier
// stays valid for readers in other goroutines.
type Collection[T any] struct {
	Key      Key
	Gen      uint64
	Status   Status
	Err      error
	Items    []T
	Total    int // the count the server reported; 0 when unknown
	LoadedAt time.Time

	next    int         // the next page to append
	pending map[int][]T // pages that arrived ahead of next
	pageLen int         // how many items page 1 held (every page but the last is as long)
}

// Held reports how many whole pages from page 1 on a load that stopped
// part way (Cancel) keeps, and their length, so the next visit can go on
// from there instead of starting over; 0 when there is nothing to go on from.
func (c *Collection[T]) Held() (pages, pageLen int) {
	if c.Status != Idle || c.next <= 1 || c.pageLen == 0 || c.Total <= len(c.Items) {
		return 0, 0
	}
	return c.next - 1, c.pageLen
}

// NewCollection is an idle collection for key.
func NewCollection[T any](key Key) *Collection[T] {
	return &Collection[T]{Key: key}
}

// Begin starts a new load: moves the generation past both its own and
// after (a caller's global counter, so generations never repeat across
// sessions), keeps the old rows visible until the first page of the new load
// arrives, and returns the generation the load's results must carry.
func (c *Collection[T]) Begin(after uint64) uint64 {
	c.Gen = max(c.Gen, after) + 1
	c.Status = Loading
	c.Err = nil
	c.next = 1
	c.pending = nil
	return c.Gen
}

// AddPage records page (1-based) of load gen, appending it and any pages
// that were waiting for it. It reports false for a stale generation.
func (c *Collection[T]) AddPage(gen uint64, page int, items []T, total int) bool {
	if gen != c.Gen || c.Status != Loading {
		return false
	}
	if page == 1 {
		c.Items = nil
		c.pageLen = len(items)
	}
	if total > 0 {
		c.Total = total
	}
	if page != c.next {
		if c.pending == nil {
			c.pending = map[int][]T{}
		}
		c.pending[page] = items
		return true
	}
	c.Items = append(c.Items, items...)
	c.next++
	for {
		more, ok := c.pending[c.next]
		if !ok {
			break
		}
		delete(c.pending, c.next)
		c.Items = append(c.Items, more...)
		c.next++
	}
	return true
}

// Finish ends load gen with err (nil on success). It reports false for a
// stale generation. A failed load keeps the rows it had.
func (c *Collection[T]) Finish(gen uint64, err error, now time.Time) bool {
	if gen != c.Gen || c.Status != Loading {
		return false
	}
	c.Err = err
	if err != nil {
		c.Status = Failed
		return true
	}
	for len(c.pending) > 0 { // pages that never got their predecessor
		more, ok := c.pending[c.next]
		delete(c.pending, c.next)
		if ok {
			c.Items = append(c.Items, more...)
		}
		c.next++
	}
	c.Status = Loaded
	c.LoadedAt = now
	if c.Total < len(c.Items) {
		c.Total = len(c.Items)
	}
	return true
}

// Adopt takes the rows of o, a load of the same key made aside and
// finished, in place of the rows held: a list loaded again in the
// background changes at once, never showing part of itself. Its
// generation moves past both.
func (c *Collection[T]) Adopt(o *Collection[T]) {
	c.Gen = max(c.Gen, o.Gen) + 1
	c.Status, c.Err = Loaded, nil
	c.Items, c.Total, c.LoadedAt = o.Items, o.Total, o.LoadedAt
	c.next, c.pending, c.pageLen = o.next, nil, o.pageLen
}

// Cancel abandons the current load: later results of it are dropped, and
// the collection goes back to Idle (keeping the rows it had) so the next
// visit loads it again in full.
func (c *Collection[T]) Cancel() {
	if c.Status == Loading {
		c.Gen++
		c.Status = Idle
	}
}

// Len is how many rows the collection holds.
func (c *Collection[T]) Len() int { return len(c.Items) }

// Snapshot is the loaded rows as a slice safe to hand to another goroutine.
func (c *Collection[T]) Snapshot() []T { return c.Items[:len(c.Items):len(c.Items)] }

// Progress is "1,200/10,000" style loading progress.
func (c *Collection[T]) Progress() (loaded, total int) { return len(c.Items), c.Total }

// Find returns the index of the first item for which match is true, or -1.
func (c *Collection[T]) Find(match func(T) bool) int {
	for i, v := range c.Items {
		if match(v) {
			return i
		}
	}
	return -1
}

// Replace sets item i to v. The items are copied first, so snapshots handed
// to other goroutines never see the change.
func (c *Collection[T]) Replace(i int, v T) {
	if i < 0 || i >= len(c.Items) {
		return
	}
	items := make([]T, len(c.Items))
	copy(items, c.Items)
	items[i] = v
	c.Items = items
}

// RemoveWhere deletes every item drop reports, copying once like Replace.
func (c *Collection[T]) RemoveWhere(drop func(T) bool) {
	items := make([]T, 0, len(c.Items))
	for _, v := range c.Items {
		if !drop(v) {
			items = append(items, v)
		}
	}
	if removed := len(c.Items) - len(items); removed > 0 && c.Total > 0 {
		c.Total = max(0, c.Total-removed)
	}
	c.Items = items
}

// Insert puts v at index i (clamped to the ends), copying like Replace.
func (c *Collection[T]) Insert(i int, v T) {
	i = max(0, min(i, len(c.Items)))
	items := make([]T, 0, len(c.Items)+1)
	items = append(items, c.Items[:i]...)
	items = append(items, v)
	c.Items = append(items, c.Items[i:]...)
	if c.Total > 0 {
		c.Total++
	}
}

// Remove deletes item i, copying like Replace.
func (c *Collection[T]) Remove(i int) {
	if i < 0 || i >= len(c.Items) {
		return
	}
	items := make([]T, 0, len(c.Items)-1)
	items = append(items, c.Items[:i]...)
	c.Items = append(items, c.Items[i+1:]...)
	if c.Total > 0 {
		c.Total--
	}
}
