// Package text holds the small layout and formatting helpers the frame,
// panes and dialogs share: wrapping, cutting to a width, padding a block,
// and the human forms of counts, sizes and times.
package text

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Wrap breaks s into lines of at most w cells, indenting continuation
// lines; the line breaks s already has are kept.
func Wrap(s string, w int, indent string) string {
	if w < 10 {
		return s
	}
	paras := strings.Split(s, "\n")
	for i, para := range paras {
		var out, line []rune
		for _, word := range strings.Fields(para) {
			if len(line) > 0 && len(line)+1+len([]rune(word)) > w {
				out = append(append(out, line...), []rune("\n"+indent)...)
				line = nil
			}
			if len(line) > 0 {
				line = append(line, ' ')
			}
			line = append(line, []rune(word)...)
		}
		paras[i] = string(append(out, line...))
	}
	return strings.Join(paras, "\n"+indent)
}

// Truncate cuts s to w cells, ending in "…" when it cut; bytes that are
// not UTF-8 become U+FFFD.
// It reads s once (grapheme clusters, wide characters and escape sequences
// counted as the terminal shows them), so a long line costs its length.
func Truncate(s string, w int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if lipgloss.Width(s) <= w {
		return s
	}
	if w <= 1 {
		return "…"
	}
	return ansi.Truncate(s, w, "…")
}

// FitBlock pads or cuts s to exactly h lines.
func FitBlock(s string, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// Since is "12s ago" style.
func Since(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < 5*time.Second:
		return "just now"
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	}
	return fmt.Sprintf("%dd ago", int(d.Hours()/24))
}

// OrDash is s, or "—" when s is blank.
func OrDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// HumanCount is 1.2k / 3.4M style.
func HumanCount[N int | int64](n N) string {
	f := float64(n)
	switch {
	case f >= 1e9:
		return fmt.Sprintf("%.1fB", f/1e9)
	case f >= 1e6:
		return fmt.Sprintf("%.1fM", f/1e6)
	case f >= 1e4:
		return fmt.Sprintf("%.0fk", f/1e3)
	case f >= 1e3:
		return fmt.Sprintf("%.1fk", f/1e3)
	}
	return fmt.Sprintf("%d", n)
}

// Commas is 2,710,159 style.
func Commas(n int64) string {
	s := fmt.Sprintf("%d", n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Bytes is 12.3 MB style.
func Bytes(n int64) string {
	f := float64(n)
	for _, u := range []string{"B", "kB", "MB", "GB", "TB"} {
		if f < 1000 || u == "TB" {
			if u == "B" {
				return fmt.Sprintf("%d B", n)
			}
			return fmt.Sprintf("%.1f %s", f, u)
		}
		f /= 1000
	}
	return ""
}

// ShortTime is "2024-05-01 10:00" (UTC) or "—".
func ShortTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

// LongTime is "2024-05-01 10:00:00 UTC" or "—".
func LongTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// CompareBool orders false before true.
func CompareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// CompareInt orders numbers ascending.
func CompareInt[N int | int64](a, b N) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ShortDigest is a digest cut to "sha256:0123456789ab".
func ShortDigest(d string) string {
	if len(d) > 19 {
		return d[:19]
	}
	return d
}
