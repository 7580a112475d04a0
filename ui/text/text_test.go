package text_test

import (
	"testing"

	"github.com/hubtui/hubtui/ui/text"
)

func TestHumanNumbers(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 2710159: "2,710,159", -1234: "-1,234"} {
		if got := text.Commas(n); got != want {
			t.Errorf("commas(%d) = %q", n, got)
		}
	}
	for n, want := range map[int64]string{999: "999", 1500: "1.5k", 854000: "854k", 3_000_000: "3.0M"} {
		if got := text.HumanCount(n); got != want {
			t.Errorf("humanCount(%d) = %q", n, got)
		}
	}
	if got := text.Bytes(5_600_000_000); got != "5.6 GB" {
		t.Errorf("humanBytes = %q", got)
	}
}

func TestWrapKeepsLineBreaks(t *testing.T) {
	got := text.Wrap("edge, v1.5.5\n\nPulls of these tags will fail.", 20, "  ")
	if got != "edge, v1.5.5\n  \n  Pulls of these tags\n  will fail." {
		t.Fatalf("wrap = %q", got)
	}
}
