package list

import (
	"context"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
)

// clientEnv is a testEnv with a client; nothing here runs its Cmds, so it
// never reaches the network.
type clientEnv struct {
	testEnv
	c *hubclient.Client
}

func (e *clientEnv) Client() *hubclient.Client { return e.c }

func names(l *List[item]) []string {
	var out []string
	for i := range l.Visible() {
		v, _ := l.Row(i)
		out = append(out, v.name)
	}
	return out
}

// TestReloadSwapsWholeWithTheCursorKept: a reload of a loaded list goes
// on aside; the rows on screen stay whole while its pages arrive, then
// change at once with the cursor on the item it was on; a reload asked
// for meanwhile follows it.
func TestReloadSwapsWholeWithTheCursorKept(t *testing.T) {
	c, err := hubclient.New(hubclient.WithBaseURL("http://127.0.0.1:1"))
	if err != nil {
		t.Fatal(err)
	}
	env := &clientEnv{testEnv: testEnv{cache: state.NewCache(0)}, c: c}
	spec := testSpec()
	spec.Fetch = func(*hubclient.Client, string) hubclient.PageFunc[item] {
		return func(context.Context, hubclient.ListOptions) ([]item, *hubclient.Response, error) {
			return nil, nil, nil
		}
	}
	l := New(spec)
	l.Open(env, "acme")
	gen := l.coll.Begin(env.NextGen())
	l.Update(env, pageMsg[item]{key: l.coll.Key, gen: gen, page: 1, items: []item{{"a"}, {"b"}, {"c"}, {"d"}}, total: 4})
	l.Update(env, doneMsg{key: l.coll.Key, gen: gen})
	l.tbl.SetCursor(2) // on c

	if cmd := l.Reload(env); cmd == nil || l.aside == nil || !l.Busy() {
		t.Fatal("the reload did not start aside")
	}
	aside := l.aside.Gen
	if cmd := l.Reload(env); cmd != nil || !l.again {
		t.Fatal("a second reload did not wait for the first")
	}
	l.Update(env, pageMsg[item]{key: l.coll.Key, gen: aside, page: 1, items: []item{{"new"}, {"a"}}, total: 5})
	if got := names(l); len(got) != 4 || l.coll.Status != state.Loaded {
		t.Fatalf("a page of the reload showed before the end: %v", got)
	}
	l.Update(env, pageMsg[item]{key: l.coll.Key, gen: aside, page: 2, items: []item{{"b"}, {"c"}, {"d"}}, total: 5})
	cmd, _ := l.Update(env, doneMsg{key: l.coll.Key, gen: aside})
	if got := names(l); len(got) != 5 || got[0] != "new" {
		t.Fatalf("after the reload: %v", got)
	}
	if v, _ := l.Selected(); v.name != "c" {
		t.Fatalf("the cursor is on %s, want c", v.name)
	}
	if cmd == nil || l.aside == nil || l.aside.Gen == aside {
		t.Fatal("the reload asked for meanwhile did not follow")
	}
	// A late page of the first reload changes nothing.
	l.Update(env, pageMsg[item]{key: l.coll.Key, gen: aside, page: 1, items: []item{{"ghost"}}, total: 1})
	l.Leave()
	if got := names(l); len(got) != 5 || l.Busy() {
		t.Fatalf("after leaving: %v, busy %v", got, l.Busy())
	}
}
