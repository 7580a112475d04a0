package invites

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/text"
	"github.com/hubtui/hubtui/ui/theme"
)

// tone is how a line of a sheet is drawn.
type tone int

const (
	toneNormal tone = iota
	toneDim
	toneError
	toneWarn
	toneOK
)

// line is one line of a sheet: text (sanitised when drawn) and its tone.
type line struct {
	text string
	tone tone
}

// sheet is a box of the bulk invite flow: a title, a few lines above a
// body that scrolls, and keys that each answer it. It is the one dialog
// shape the flow's steps (review, dry run, results, refusals) share.
type sheet struct {
	title string
	head  []line // wrapped to the box
	body  []line // one line each, scrolled with ↑/↓
	top   int
	hint  string
	// keys answer the sheet: the function's Cmd runs and, when done, the
	// sheet leaves the stack. esc closes it unless keys has "esc".
	keys map[string]func() (tea.Cmd, bool)
	// height is the body's room at the last View, for paging.
	height int
}

// Update answers a key, or scrolls the body.
func (s *sheet) Update(msg tea.Msg) (tea.Cmd, bool) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, false
	}
	key := k.String()
	if fn, ok := s.keys[key]; ok {
		return fn()
	}
	page := max(1, s.height-1)
	switch key {
	case "esc":
		return nil, true
	case "down", "j":
		s.top++
	case "up", "k":
		s.top--
	case "pgdown", "ctrl+d", " ", "space":
		s.top += page
	case "pgup", "ctrl+u":
		s.top -= page
	case "g", "home":
		s.top = 0
	case "G", "end":
		s.top = len(s.body)
	}
	s.top = max(0, min(s.top, len(s.body)-max(1, s.height)))
	return nil, false
}

// Hint is the footer line.
func (s *sheet) Hint() string { return s.hint }

// View draws the box, at most w cells wide and h lines tall: the head
// wrapped, as much of the body as fits, the hint at the foot.
func (s *sheet) View(t *theme.Theme, w, h int) string {
	tw := max(10, min(96, w-8))
	style := func(l line) string {
		switch l.tone {
		case toneDim:
			return t.Dim.Render(l.text)
		case toneError:
			return t.Error.Render(l.text)
		case toneWarn:
			return t.Warn.Render(l.text)
		case toneOK:
			return t.OK.Render(l.text)
		}
		return l.text
	}
	out := []string{t.Title.Render(sanitize.String(s.title)), ""}
	for _, l := range s.head {
		for _, wl := range strings.Split(text.Wrap(sanitize.Text(l.text), tw, ""), "\n") {
			out = append(out, style(line{wl, l.tone}))
		}
	}
	foot := []string{"", t.Dim.Render(sanitize.String(s.hint))}
	room := h - t.Box.GetVerticalFrameSize() - len(out) - len(foot)
	if len(s.body) > 0 {
		out = append(out, "")
		room--
	}
	s.height = max(1, room)
	s.top = max(0, min(s.top, len(s.body)-s.height))
	end := min(len(s.body), s.top+s.height)
	shown := s.body[s.top:end]
	more := len(s.body) > s.height
	if more && len(shown) > 1 {
		shown = shown[:len(shown)-1]
	}
	for _, l := range shown {
		out = append(out, style(line{ansi.Truncate(sanitize.String(l.text), tw, "…"), l.tone}))
	}
	if more {
		out = append(out, t.Dim.Render(scrollNote(s.top, len(shown), len(s.body))))
	}
	out = append(out, foot...)
	for i, l := range out {
		if ansi.StringWidth(l) > tw {
			out[i] = ansi.Truncate(l, tw, "…")
		}
	}
	return t.Box.Render(strings.Join(out, "\n"))
}

// scrollNote says which lines of n are shown.
func scrollNote(top, shown, n int) string {
	return fmt.Sprintf("lines %d–%d of %d · ↑/↓ pgup/pgdn scroll", top+1, top+shown, n)
}
