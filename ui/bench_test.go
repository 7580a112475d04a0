package ui

import (
	"fmt"
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
)

// benchApp is an App whose Repos pane holds n repositories, loaded without
// a network so that only Update and View are measured.
func benchApp(n int) *App {
	a := New(Options{Session: Session{Client: &hubclient.Client{}, Org: "acme", User: "demo"}, Now: fixedNow})
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	rp := a.panes[0].(*reposPane)
	rp.l.reset("acme")
	gen := rp.l.coll.Begin(0)
	items := make([]hubclient.Repository, n)
	for i := range items {
		items[i] = hubclient.Repository{Namespace: "acme", Name: fmt.Sprintf("service-%06d-api", i), PullCount: int64(i * 7 % 1000),
			Description: "Production image for a service", LastUpdated: fixedNow().Add(-time.Duration(i) * time.Minute)}
	}
	rp.l.coll.AddPage(gen, 1, items, n)
	rp.l.coll.Finish(gen, nil, fixedNow())
	rp.l.bind()
	return a
}

// BenchmarkKeystroke measures one key press (Update + View) on tables of
// different sizes; the cost must not grow with the row count.
func BenchmarkKeystroke(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			a := benchApp(n)
			down := tea.KeyPressMsg{Code: 'j', Text: "j"}
			durs := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			for b.Loop() {
				t0 := time.Now()
				a.Update(down)
				_ = a.View()
				durs = append(durs, time.Since(t0))
			}
			slices.Sort(durs)
			b.ReportMetric(float64(durs[len(durs)*99/100].Microseconds()), "p99-µs")
		})
	}
}

// BenchmarkFilterFirstResults measures how long the first matches of a
// fuzzy filter over 100,000 names take (the quick partial pass), and the
// full pass that follows it off the Update path.
func BenchmarkFilterFirstResults(b *testing.B) {
	a := benchApp(100_000)
	rp := a.panes[0].(*reposPane)
	items := rp.l.coll.Snapshot()
	spec := state.Spec{Query: "svc12", SortCol: -1}
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			m := derive(rp.l.coll, 1, items, spec, rp.l.spec.schema)().(derivedMsg[hubclient.Repository])
			if m.next == nil {
				b.Fatal("no partial pass")
			}
		}
	})
	b.Run("full", func(b *testing.B) {
		for b.Loop() {
			state.Derive(items, spec, rp.l.spec.schema)
		}
	})
	b.Run("typing", func(b *testing.B) {
		// A key typed into the filter: Update returns at once with a Cmd.
		a.mode = modeFilter
		for b.Loop() {
			a.Update(tea.KeyPressMsg{Code: 'x', Text: "x"})
			a.Update(tea.KeyPressMsg{Code: tea.KeyBackspace})
		}
	})
}
