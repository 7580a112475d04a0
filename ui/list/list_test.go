package list

import (
	"testing"
	"time"

	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/table"
)

// testEnv is the little of an Env a list needs without a network.
type testEnv struct {
	pane.Env // unset: a call the list should not make panics
	cache    *state.Cache
	gen      uint64
}

func (e *testEnv) Cache() *state.Cache { return e.cache }
func (e *testEnv) NextGen() uint64     { e.gen++; return e.gen }
func (e *testEnv) Now() time.Time      { return time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC) }
func (e *testEnv) Clear(string)        {}
func (e *testEnv) Fail(string, error)  {}

type item struct{ name string }

func testSpec() Spec[item] {
	return Spec[item]{Kind: "items", Noun: "items", Columns: []table.Column{{Title: "NAME", Min: 4}},
		Cell:   func(v item, _ int) string { return v.name },
		Schema: state.Schema[item]{Name: func(v item) string { return v.name }},
		ID:     func(v item) string { return v.name }}
}

// TestStalePagesAreDropped: a page or end of a load older than the one
// running, or for another list, changes nothing.
func TestStalePagesAreDropped(t *testing.T) {
	env := &testEnv{cache: state.NewCache(0)}
	l := New(testSpec())
	l.Open(env, "acme")
	old := l.coll.Begin(env.NextGen())
	cur := l.coll.Begin(env.NextGen())
	if _, ok := l.Update(env, pageMsg[item]{key: l.coll.Key, gen: old, page: 1, items: []item{{"ghost"}}, total: 1}); !ok {
		t.Fatal("a page of this list was not claimed")
	}
	if len(l.coll.Items) != 0 {
		t.Fatal("a page of an older load was applied")
	}
	other := state.Key{Kind: "items", Scope: "other"}
	if _, ok := l.Update(env, pageMsg[item]{key: other, gen: cur, page: 1, items: []item{{"ghost"}}, total: 1}); ok || len(l.coll.Items) != 0 {
		t.Fatal("a page of another list was applied")
	}
	l.Update(env, doneMsg{key: l.coll.Key, gen: old})
	if l.coll.Status != state.Loading {
		t.Fatalf("the end of an older load ended this one: %v", l.coll.Status)
	}
	l.Update(env, pageMsg[item]{key: l.coll.Key, gen: cur, page: 1, items: []item{{"real"}}, total: 1})
	l.Update(env, doneMsg{key: l.coll.Key, gen: cur})
	if len(l.coll.Items) != 1 || l.coll.Items[0].name != "real" || l.coll.Status != state.Loaded {
		t.Fatalf("the current load: %+v %v", l.coll.Items, l.coll.Status)
	}
}

func TestChosenIsTheMarksElseTheCursor(t *testing.T) {
	env := &testEnv{cache: state.NewCache(0)}
	l := New(testSpec())
	l.Open(env, "acme")
	if got := l.Chosen(); got != nil {
		t.Fatalf("empty list: %v", got)
	}
	gen := l.coll.Begin(env.NextGen())
	l.Update(env, pageMsg[item]{key: l.coll.Key, gen: gen, page: 1, items: []item{{"a"}, {"b"}, {"c"}}, total: 3})
	l.Update(env, doneMsg{key: l.coll.Key, gen: gen})
	l.tbl.SetCursor(1)
	if got := l.Chosen(); len(got) != 1 || got[0] != "b" {
		t.Fatalf("no marks: %v, want the cursor's b", got)
	}
	l.tbl.ToggleMark(0)
	l.tbl.ToggleMark(2)
	if got := l.Chosen(); len(got) != 2 || got[0] == "b" || got[1] == "b" {
		t.Fatalf("marks a and c: %v", got)
	}
}
