package members_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
)

// BenchmarkMembersView draws the Members pane with the demo's 40 members
// and the large dataset's 5,000, moving the cursor each time: the cost is
// the rows on screen, not the rows loaded, so the two should be close.
func BenchmarkMembersView(b *testing.B) {
	for _, ds := range []struct {
		name string
		n    int
	}{{"demo", 40}, {"large", 5000}} {
		b.Run(ds.name, func(b *testing.B) {
			_, url := uitest.StartSim(b, hubsim.Options{Dataset: ds.name})
			d := uitest.New(b, ui.Options{Session: uitest.Session(b, url, "demo", "demo")}, 120, 40)
			d.Key("4") // leaving Repos stops its load
			loaded := fmt.Sprintf("%d members · loaded", ds.n)
			for i := 0; !strings.Contains(d.Screen(), loaded); i++ {
				if i == 120 {
					b.Fatalf("the members did not load in two minutes:\n%s", d.Screen())
				}
				d.Settle(time.Second)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				d.Key("j")
				_ = d.App.View()
			}
		})
	}
}
