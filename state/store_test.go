package state

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestCollectionOrdersPagesAndDropsStale(t *testing.T) {
	c := NewCollection[int](Key{Repos, "acme"})
	g1 := c.Begin(0)
	if !c.AddPage(g1, 1, []int{1, 2}, 6) {
		t.Fatal("page 1 refused")
	}
	c.AddPage(g1, 3, []int{5, 6}, 6)
	if got := fmt.Sprint(c.Items); got != "[1 2]" {
		t.Fatalf("page 3 must wait for page 2, items = %s", got)
	}
	c.AddPage(g1, 2, []int{3, 4}, 6)
	if got := fmt.Sprint(c.Items); got != "[1 2 3 4 5 6]" {
		t.Fatalf("items = %s", got)
	}
	g2 := c.Begin(0)
	if c.AddPage(g1, 1, []int{9}, 1) {
		t.Fatal("stale page accepted")
	}
	if c.Finish(g1, nil, time.Now()) {
		t.Fatal("stale finish accepted")
	}
	if got := fmt.Sprint(c.Items); got != "[1 2 3 4 5 6]" {
		t.Fatalf("old rows must stay visible until the new load's first page, got %s", got)
	}
	c.AddPage(g2, 1, []int{7}, 1)
	if !c.Finish(g2, nil, time.Now()) || c.Status != Loaded || fmt.Sprint(c.Items) != "[7]" {
		t.Fatalf("status %v items %v", c.Status, c.Items)
	}
}

func TestCollectionFailureKeepsRows(t *testing.T) {
	c := NewCollection[string](Key{Members, "acme"})
	g := c.Begin(0)
	c.AddPage(g, 1, []string{"a"}, 0)
	c.Finish(g, nil, time.Now())
	g = c.Begin(0)
	boom := errors.New("boom")
	c.Finish(g, boom, time.Now())
	if c.Status != Failed || !errors.Is(c.Err, boom) || len(c.Items) != 1 {
		t.Fatalf("status %v err %v items %v", c.Status, c.Err, c.Items)
	}
}

func TestCollectionCancelDropsLaterResults(t *testing.T) {
	c := NewCollection[int](Key{Tags, "acme/web"})
	g := c.Begin(0)
	c.Cancel()
	if c.AddPage(g, 1, []int{1}, 1) {
		t.Fatal("page of a cancelled load accepted")
	}
}

type item struct {
	name  string
	pulls int
}

// testSchema reads items by name and pulls.
func testSchema() Schema[item] {
	return Schema[item]{
		Name: func(i item) string { return i.name },
		Compare: func(a, b item, col int) int {
			if col == 1 {
				return a.pulls - b.pulls
			}
			switch {
			case a.name < b.name:
				return -1
			case a.name > b.name:
				return 1
			}
			return 0
		},
	}
}

func TestDeriveFilterSort(t *testing.T) {
	items := []item{{"web", 3}, {"api", 9}, {"worker", 1}, {"café-web", 5}}
	r := Derive(items, Spec{Query: "", SortCol: -1}, testSchema())
	if fmt.Sprint(r.Indices) != "[0 1 2 3]" {
		t.Fatalf("server order: %v", r.Indices)
	}
	r = Derive(items, Spec{Query: "web", SortCol: -1}, testSchema())
	if len(r.Indices) != 2 || r.Indices[0] != 0 {
		t.Fatalf("filter: %v", r.Indices)
	}
	if got := fmt.Sprint(r.Highlights[3]); got != "[5 6 7]" {
		t.Fatalf("rune highlights of café-web = %s", got)
	}
	r = Derive(items, Spec{SortCol: 1, Desc: true}, testSchema())
	if fmt.Sprint(r.Indices) != "[1 3 0 2]" {
		t.Fatalf("sort by pulls desc: %v", r.Indices)
	}
}

func BenchmarkDeriveFilter100k(b *testing.B) {
	items := make([]item, 100_000)
	for i := range items {
		items[i] = item{fmt.Sprintf("acme/service-%05d-api", i), i}
	}
	for _, q := range []string{"a", "svc", "service-99"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				Derive(items, Spec{Query: q, SortCol: -1}, testSchema())
			}
		})
	}
	b.Run("sort", func(b *testing.B) {
		for b.Loop() {
			Derive(items, Spec{SortCol: 1, Desc: true}, testSchema())
		}
	})
}

func TestReplaceAndRemoveLeaveSnapshotsAlone(t *testing.T) {
	c := NewCollection[int](Key{Repos, "acme"})
	g := c.Begin(0)
	c.AddPage(g, 1, []int{1, 2, 3}, 3)
	c.Finish(g, nil, time.Now())
	snap := c.Snapshot()
	c.Replace(c.Find(func(v int) bool { return v == 2 }), 20)
	c.Remove(0)
	if fmt.Sprint(snap) != "[1 2 3]" || fmt.Sprint(c.Items) != "[20 3]" || c.Total != 2 {
		t.Fatalf("snapshot %v items %v total %d", snap, c.Items, c.Total)
	}
	if c.Find(func(v int) bool { return v == 99 }) != -1 {
		t.Fatal("Find found a missing item")
	}
}

func TestRemoveWhere(t *testing.T) {
	c := NewCollection[int](Key{Tags, "acme/web"})
	g := c.Begin(0)
	c.AddPage(g, 1, []int{1, 2, 3, 4, 5}, 5)
	snap := c.Snapshot()
	c.RemoveWhere(func(v int) bool { return v%2 == 0 })
	if fmt.Sprint(c.Items) != "[1 3 5]" || c.Total != 3 || fmt.Sprint(snap) != "[1 2 3 4 5]" {
		t.Fatalf("items %v total %d snapshot %v", c.Items, c.Total, snap)
	}
}

func TestInsert(t *testing.T) {
	c := NewCollection[int](Key{Repos, "acme"})
	g := c.Begin(0)
	c.AddPage(g, 1, []int{1, 3}, 2)
	snap := c.Snapshot()
	c.Insert(1, 2)
	c.Insert(99, 4)
	if fmt.Sprint(c.Items) != "[1 2 3 4]" || c.Total != 4 || fmt.Sprint(snap) != "[1 3]" {
		t.Fatalf("items %v total %d snapshot %v", c.Items, c.Total, snap)
	}
}
