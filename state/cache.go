package state

// Sized is what the cache holds: anything that can say how many rows it
// keeps (every *Collection[T]).
type Sized interface {
	Len() int
}

// Cache keeps collections between visits, by key, so a list left part way
// through a load, or loaded a while ago, comes back with what it held
// instead of being listed again. It is bounded by the rows it holds in all:
// past the bound the least recently used collections leave, never the one
// asked for last. It belongs to one session (a context or org switch makes a
// new one) and is used from Update only.
type Cache struct {
	limit   int
	entries map[Key]*cached
	tick    uint64
}

type cached struct {
	v    Sized
	used uint64
}

// DefaultCacheRows bounds a session's cache: a few hundred thousand rows
// of tags and repositories stay in memory, then the oldest lists leave.
const DefaultCacheRows = 400_000

// NewCache is an empty cache holding at most limit rows (<= 0: DefaultCacheRows).
func NewCache(limit int) *Cache {
	if limit <= 0 {
		limit = DefaultCacheRows
	}
	return &Cache{limit: limit, entries: map[Key]*cached{}}
}

// Get returns the collection kept under k and marks it used.
func (c *Cache) Get(k Key) (Sized, bool) {
	e, ok := c.entries[k]
	if !ok {
		return nil, false
	}
	c.tick++
	e.used = c.tick
	return e.v, true
}

// Put keeps v under k, then evicts the least recently used other
// collections while the cache holds more rows than its bound.
func (c *Cache) Put(k Key, v Sized) {
	c.tick++
	c.entries[k] = &cached{v: v, used: c.tick}
	c.Trim(k)
}

// Trim evicts least recently used collections other than keep until the
// rows held fit the bound; call it after a collection grew.
func (c *Cache) Trim(keep Key) {
	for c.Rows() > c.limit {
		var oldest Key
		var at uint64
		found := false
		for k, e := range c.entries {
			if k == keep {
				continue
			}
			if !found || e.used < at {
				oldest, at, found = k, e.used, true
			}
		}
		if !found {
			return
		}
		delete(c.entries, oldest)
	}
}

// Rows is how many rows the cache holds in all.
func (c *Cache) Rows() int {
	n := 0
	for _, e := range c.entries {
		n += e.v.Len()
	}
	return n
}

// Len is how many collections the cache holds.
func (c *Cache) Len() int { return len(c.entries) }
