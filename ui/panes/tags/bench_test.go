package tags_test

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/panes/tags"
)

// BenchmarkOpenBigRepository opens acme/big of the large dataset (100,000
// tags) over loopback with no rate limit: time to the first rows, time to
// all loaded, and the heap the loaded list holds (after a GC, less the
// heap before the App was made: hubsim's own data is not counted). Then a
// name search in it.
func BenchmarkOpenBigRepository(b *testing.B) {
	sim, url := uitest.StartSim(b, hubsim.Options{Dataset: "large"})
	_ = sim
	for b.Loop() {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		d := uitest.New(b, ui.Options{Session: uitest.Session(b, url, "demo", "demo")}, 120, 40)
		d.Until("repositories", func() bool { return strings.Contains(d.Screen(), " repositories") })
		t0 := time.Now()
		d.Key(":")
		d.Type("tags acme/big")
		d.Key("enter")
		d.Until("first rows", func() bool {
			return strings.Contains(d.Screen(), "PUSHED BY") && strings.Contains(d.Screen(), "sha256:")
		})
		first := time.Since(t0)
		p := uitest.Pane[*tags.Pane](d, "tags")
		d.UntilWithin(5*time.Minute, "all loaded", func() bool { return strings.Contains(d.Screen(), "100000 tags · loaded") })
		all := time.Since(t0)
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		held := float64(after.HeapInuse) - float64(before.HeapInuse)
		t1 := time.Now()
		d.Key("/")
		d.Type("'nightly-0999")
		d.Key("enter")
		d.UntilWithin(time.Minute, "the search", func() bool {
			return strings.Contains(d.Screen(), `filter "'nightly-0999":`) && !strings.Contains(d.Screen(), "filtering")
		})
		search := time.Since(t1)
		b.ReportMetric(float64(first.Milliseconds()), "first-rows-ms")
		b.ReportMetric(float64(all.Milliseconds()), "all-loaded-ms")
		b.ReportMetric(held/1e6, "heap-MB")
		b.ReportMetric(held/float64(p.L.Coll().Len()), "heap-B/tag")
		b.ReportMetric(float64(search.Milliseconds()), "search-ms")
		runtime.KeepAlive(d)
	}
}
