package dialog_test

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/theme"
)

// th is the theme the tests draw with.
var th = func() *theme.Theme { t := theme.New("dark", true); return &t }()

// key is the key press named s: "enter", "esc", "tab", "shift+tab", "up",
// "down", "left", "right", "space", "backspace", "ctrl+X", or one character.
func key(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "space":
		return tea.KeyPressMsg{Code: ' ', Text: " "}
	}
	if c, ok := strings.CutPrefix(s, "ctrl+"); ok {
		return tea.KeyPressMsg{Code: []rune(c)[0], Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	if r >= 'A' && r <= 'Z' {
		return tea.KeyPressMsg{Code: r + 'a' - 'A', Text: s, Mod: tea.ModShift}
	}
	return tea.KeyPressMsg{Code: r, Text: s}
}

// press sends the named key to d and checks the key reads as that name.
func press(t *testing.T, d dialog.Dialog, name string) (tea.Cmd, bool) {
	t.Helper()
	k := key(name)
	if k.String() != name {
		t.Fatalf("key %q reads as %q", name, k.String())
	}
	return d.Update(k)
}

// typeText sends s to d one character at a time; none may close it.
func typeText(t *testing.T, d dialog.Dialog, s string) {
	t.Helper()
	for _, r := range s {
		if _, done := d.Update(tea.KeyPressMsg{Code: r, Text: string(r)}); done {
			t.Fatalf("typing %q closed the dialog", string(r))
		}
	}
}

// view is d drawn w×h with the styling stripped; it checks the box fits.
func view(t *testing.T, d dialog.Dialog, w, h int) string {
	t.Helper()
	v := d.View(th, w, h)
	ls := strings.Split(v, "\n")
	if len(ls) > h {
		t.Errorf("view is %d lines, more than %d:\n%s", len(ls), h, ansi.Strip(v))
	}
	for _, l := range ls {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("line %q is %d cells, wider than %d", ansi.Strip(l), lw, w)
		}
	}
	return ansi.Strip(v)
}

// msgOf runs cmd, or is nil when there is none.
func msgOf(cmd tea.Cmd) tea.Msg {
	if cmd == nil {
		return nil
	}
	return cmd()
}

// answer is a message a test callback's Cmd returns.
type answer string

// answerCmd is a Cmd answering s.
func answerCmd(s string) tea.Cmd { return func() tea.Msg { return answer(s) } }
