// Package dialog holds the boxes the App stacks over a pane: confirm (y/n),
// typed confirmation, prompt, form, picker, progress and a secret shown once.
// A dialog only renders and answers keys; what it does on an answer is a
// callback its caller gave it, returning a tea.Cmd.
package dialog

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hubtui/hubtui/ui/theme"
)

// Dialog is one box on the App's stack; the top one gets every key.
type Dialog interface {
	// Update takes a key, pasted text or another message; done reports that
	// the dialog is answered or cancelled and leaves the stack.
	Update(msg tea.Msg) (cmd tea.Cmd, done bool)
	// View draws the box itself (the App draws it over the pane), at most
	// w cells wide and h lines tall.
	View(t *theme.Theme, w, h int) string
	// Hint is the footer line while the dialog is on top.
	Hint() string
}

// Opener is a dialog that wants to know the screen width when it is pushed
// (to size its inputs) and may start a Cmd (a cursor blink).
type Opener interface {
	Open(w int) tea.Cmd
}

// Closer is a dialog that must forget something when it leaves the stack
// (the secret dialog wipes its secret).
type Closer interface {
	Close()
}

// Texter is a dialog with a text input focused: alt+b, alt+f and the like
// move by words in it rather than being read as esc and a key.
type Texter interface {
	TakesText() bool
}

// Overlay draws box in the middle of body, a block of h lines w cells wide;
// the pane stays visible around it.
func Overlay(body, box string, w, h int) string {
	lines := strings.Split(body, "\n")
	for len(lines) < h {
		lines = append(lines, "")
	}
	lines = lines[:h]
	boxLines := strings.Split(box, "\n")
	bw := 0
	for _, l := range boxLines {
		bw = max(bw, ansi.StringWidth(l))
	}
	bw = min(bw, w)
	top := max(0, (h-len(boxLines))/2)
	left := max(0, (w-bw)/2)
	for i, bl := range boxLines {
		row := top + i
		if row >= h {
			break
		}
		base := lines[row]
		// A wide character cut by either edge of the box becomes spaces,
		// so the line keeps its width.
		head := ansi.Truncate(base, left, "")
		if gap := left - ansi.StringWidth(head); gap > 0 {
			head += strings.Repeat(" ", gap)
		}
		bl = ansi.Truncate(bl, bw, "")
		if gap := bw - ansi.StringWidth(bl); gap > 0 {
			bl += strings.Repeat(" ", gap)
		}
		want := max(0, ansi.StringWidth(base)-left-bw)
		tail := ansi.TruncateLeft(base, left+bw, "")
		for cut := left + bw + 1; ansi.StringWidth(tail) > want; cut++ {
			tail = ansi.TruncateLeft(base, cut, "")
		}
		if gap := want - ansi.StringWidth(tail); gap > 0 {
			tail = strings.Repeat(" ", gap) + tail
		}
		lines[row] = head + "\x1b[m" + bl + "\x1b[m" + tail
	}
	return strings.Join(lines, "\n")
}
