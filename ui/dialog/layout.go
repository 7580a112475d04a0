package dialog

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hubtui/hubtui/ui/theme"
)

// textWidth is how many cells of text a box holds on a w-wide screen: at
// most 60, leaving room for the box's border, padding and a margin.
func textWidth(w int) int { return max(1, min(60, w-8)) }

// inputWidth is the width to give in inside a box on a w-wide screen: the
// input draws its prompt and a cursor cell beside that width.
func inputWidth(in *textinput.Model, w int) int {
	return max(8, min(60, w-8)-lipgloss.Width(in.Prompt)-1)
}

// newInput is a focused text input with the dialogs' prompt.
func newInput() textinput.Model {
	in := textinput.New()
	in.Prompt = "> "
	in.Focus()
	return in
}

// keyOf is the key msg names ("enter", "y", "ctrl+a"), or "" when msg is
// not a key press.
func keyOf(msg tea.Msg) string {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		return k.String()
	}
	return ""
}

// lines splits s into its lines; "" has none.
func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// render puts head, body and foot in t's box, at most w cells wide and h
// lines tall: every line is cut to the box's text width, and when the
// three do not fit in h the body loses lines from its end (the last one
// kept says "…") so the head and the key hint at the foot stay visible.
func render(t *theme.Theme, w, h int, head, body, foot []string) string {
	tw := max(1, min(textWidth(w), w-t.Box.GetHorizontalFrameSize()))
	room := h - t.Box.GetVerticalFrameSize() - len(head) - len(foot)
	if len(body) > room {
		if room <= 0 {
			body = nil
		} else {
			body = append(body[:room-1:room-1], "…")
		}
	}
	all := make([]string, 0, len(head)+len(body)+len(foot))
	all = append(all, head...)
	all = append(all, body...)
	all = append(all, foot...)
	for i, l := range all {
		if ansi.StringWidth(l) > tw {
			all[i] = ansi.Truncate(l, tw, "…")
		}
	}
	return t.Box.Render(strings.Join(all, "\n"))
}
