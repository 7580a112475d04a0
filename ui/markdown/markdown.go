// Package markdown renders a repository's README (its full description) for
// the terminal. The source is sanitised before glamour sees it, capped at
// the Hub's own limit, wrapped to a width, and of what glamour writes only
// text and colour (SGR) reach the screen: hyperlinks and every other escape
// sequence are dropped, so a line can be cut anywhere.
//
// Rendering takes milliseconds to seconds for a big document: callers run
// it inside a tea.Cmd and keep the result per width.
package markdown

import (
	"fmt"
	"strings"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/styles"

	"github.com/hubtui/hubtui/ui/sanitize"
)

// MaxSource is how much of a README is rendered, in bytes: the Hub accepts
// full descriptions of up to 25,000 characters.
const MaxSource = 100_000

// Style is a glamour style.
type Style string

// The styles: for dark and light backgrounds, and without colour (the mono
// theme; NO_COLOR also drops colour at the terminal).
const (
	Dark  Style = Style(styles.DarkStyle)
	Light Style = Style(styles.LightStyle)
	Plain Style = Style(styles.NoTTYStyle)
)

// StyleFor is the style matching a theme.
func StyleFor(theme string, dark bool) Style {
	switch {
	case theme == "mono":
		return Plain
	case theme == "light", theme != "dark" && !dark:
		return Light
	}
	return Dark
}

// Render renders src as lines at most width cells wide.
func Render(src string, width int, style Style) ([]string, error) {
	width = max(20, width)
	cut := false
	if len(src) > MaxSource {
		src, cut = src[:MaxSource], true
	}
	src = sanitize.Text(src)
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle(string(style)), glamour.WithWordWrap(width))
	if err != nil {
		return nil, fmt.Errorf("markdown renderer: %w", err)
	}
	out, err := r.Render(src)
	if err != nil {
		return nil, fmt.Errorf("render markdown: %w", err)
	}
	out = strings.Trim(OnlySGR(out), "\n")
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	if cut {
		lines = append(lines, "", fmt.Sprintf("  (cut at %d bytes)", MaxSource))
	}
	return lines, nil
}

// OnlySGR removes from s every escape sequence but SGR (CSI … m) and every
// C0 control but newline: hyperlinks (OSC 8), cursor movement, titles and
// the rest never reach the terminal.
func OnlySGR(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b && i+1 < len(s) && s[i+1] == '[':
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			if j < len(s) && s[j] == 'm' && sgrParams(s[i+2:j]) {
				b.WriteString(s[i : j+1])
			}
			i = j + 1
		case c == 0x1b && i+1 < len(s) && (s[i+1] == ']' || s[i+1] == 'P' || s[i+1] == '_' || s[i+1] == '^' || s[i+1] == 'X'):
			// A control string runs to BEL or ST (ESC \).
			j := i + 2
			for j < len(s) && s[j] != 0x07 && !(s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\') {
				j++
			}
			switch {
			case j >= len(s):
				i = j
			case s[j] == 0x07:
				i = j + 1
			default:
				i = j + 2
			}
		case c == 0x1b:
			i += 2 // ESC and the byte it introduces
		case c < 0x20 && c != '\n', c == 0x7f:
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// sgrParams reports whether p holds only SGR parameters (digits, ; and :).
func sgrParams(p string) bool {
	for i := 0; i < len(p); i++ {
		if c := p[i]; (c < '0' || c > '9') && c != ';' && c != ':' {
			return false
		}
	}
	return true
}
