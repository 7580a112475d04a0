package text_test

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"

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

func TestTruncate(t *testing.T) {
	for _, tc := range []struct {
		s    string
		w    int
		want string
	}{
		{"acme/web", 10, "acme/web"},
		{"acme/web", 8, "acme/web"},
		{"acme/web", 7, "acme/w…"},
		{"acme/web", 1, "…"},
		{"acme/web", 0, "…"},
		{"", 0, ""},
		{"日本語のタグ", 7, "日本語…"},                                  // wide: two cells each
		{"e\u0301e\u0301e\u0301e\u0301", 3, "e\u0301e\u0301…"}, // a cluster is never split
		{"👩‍💻👩‍💻👩‍💻", 5, "👩‍💻👩‍💻…"},
	} {
		got := text.Truncate(tc.s, tc.w)
		if got != tc.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tc.s, tc.w, got, tc.want)
		}
	}
}

// FuzzTruncate: what Truncate gives fits the width, is s itself when s
// fits, and is otherwise a prefix of s and "…".
func FuzzTruncate(f *testing.F) {
	f.Add("pushed the tag v1.2.3 with the digest sha256:abc to acme/web", 20)
	f.Add("日本語のタグ", 5)
	f.Add("e\u0301\u200d👩‍💻", 2)
	f.Fuzz(func(t *testing.T, s string, w int) {
		w = w%200 + 1
		if w < 1 {
			w += 200
		}
		if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || (r >= 0x7f && r < 0xa0) }) {
			t.Skip("control characters: callers pass sanitised text (ui/sanitize)")
		}
		got := text.Truncate(s, w)
		s = strings.ToValidUTF8(s, "\uFFFD")
		if lipgloss.Width(s) <= w {
			if got != s {
				t.Fatalf("%q fits %d cells but became %q", s, w, got)
			}
			return
		}
		if lipgloss.Width(got) > w {
			t.Fatalf("Truncate(%q, %d) = %q is %d cells", s, w, got, lipgloss.Width(got))
		}
		if head, ok := strings.CutSuffix(got, "…"); !ok || !strings.HasPrefix(s, head) {
			t.Fatalf("Truncate(%q, %d) = %q is not a prefix and …", s, w, got)
		}
	})
}

func BenchmarkTruncateRow(b *testing.B) {
	row := ">+ 2026-12-03 18:48:30  acme - access token  Tag Pushed                   acme/ingest                    pushed the tag sha-b92238c with the digest sha256:0123456789abcdef0123456789abcdef to the repository acme/ingest"
	for b.Loop() {
		_ = text.Truncate(row, 150)
	}
}
