package ui_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/panes/repos"
)

// benchApp is an App whose Repos pane holds n repositories, loaded without
// a network so that only Update and View are measured.
func benchApp(n int) *ui.App {
	a := ui.New(ui.Options{Session: ui.Session{Client: &hubclient.Client{}, Org: "acme", User: "demo"}, Now: uitest.FixedNow})
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	rp := a.Pane(state.Repos).(*repos.Pane)
	env := a.TopEnv()
	rp.L.Reset(env, "acme")
	coll := rp.L.Coll()
	gen := coll.Begin(0)
	items := make([]hubclient.Repository, n)
	for i := range items {
		items[i] = hubclient.Repository{Namespace: "acme", Name: fmt.Sprintf("service-%06d-api", i), PullCount: int64(i * 7 % 1000),
			Description: "Production image for a service", LastUpdated: uitest.FixedNow().Add(-time.Duration(i) * time.Minute)}
	}
	coll.AddPage(gen, 1, items, n)
	coll.Finish(gen, nil, uitest.FixedNow())
	rp.L.ItemsChanged()
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
	rp := a.Pane(state.Repos).(*repos.Pane)
	items := rp.L.Coll().Snapshot()
	spec := state.Spec{Query: "svc12", SortCol: -1}
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			if cmd := rp.L.SetQuery("svc12"); cmd != nil {
				_ = cmd() // the quick partial pass, off the Update path
			}
			rp.L.SetQuery("")
		}
	})
	b.Run("full", func(b *testing.B) {
		for b.Loop() {
			state.Derive(items, spec, repos.Spec().Schema)
		}
	})
	b.Run("typing", func(b *testing.B) {
		// A key typed into the filter: Update returns at once with a Cmd.
		a.SetMode(ui.ModeFilter)
		for b.Loop() {
			a.Update(tea.KeyPressMsg{Code: 'x', Text: "x"})
			a.Update(tea.KeyPressMsg{Code: tea.KeyBackspace})
		}
	})
}
