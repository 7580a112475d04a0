package state

import "testing"

func TestCacheEvictsLeastRecentlyUsedPastItsBound(t *testing.T) {
	c := NewCache(10)
	mk := func(scope string, n int) Key {
		k := Key{Kind: Tags, Scope: scope}
		col := NewCollection[int](k)
		col.Items = make([]int, n)
		c.Put(k, col)
		return k
	}
	a := mk("acme/a", 4)
	b := mk("acme/b", 4)
	if _, ok := c.Get(a); !ok { // a is now more recent than b
		t.Fatal("a missing")
	}
	d := mk("acme/d", 4) // 12 rows > 10: b, the least recently used, leaves
	if _, ok := c.Get(b); ok {
		t.Fatal("b kept past the bound")
	}
	for _, k := range []Key{a, d} {
		if _, ok := c.Get(k); !ok {
			t.Fatalf("%v evicted", k)
		}
	}
	big := mk("acme/big", 50) // bigger than the bound alone: it stays, the rest leave
	if _, ok := c.Get(big); !ok || c.Len() != 1 {
		t.Fatalf("after a huge list: %d entries", c.Len())
	}
}
