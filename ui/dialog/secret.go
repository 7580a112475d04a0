package dialog

import (
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/text"
	"github.com/hubtui/hubtui/ui/theme"
)

// Secret shows a secret the Hub hands out once (a new access token), with
// a way to copy it. Closing it without copying takes a second enter or esc.
type Secret struct {
	title, note string
	secret      string
	copy        func(string) tea.Cmd
	copied      bool
	warned      bool // enter or esc was pressed once without a copy
	closed      bool
}

// NewSecret shows secret under title and note; y hands it to copy, whose
// Cmd puts it on the clipboard.
func NewSecret(title, note, secret string, copy func(string) tea.Cmd) *Secret {
	return &Secret{title: title, note: note, secret: secret, copy: copy}
}

// Close forgets the secret: nothing in the dialog keeps it once the
// dialog has left the stack. (A Go string cannot be overwritten in place;
// the dialog drops its only reference.)
func (s *Secret) Close() {
	s.secret = ""
	s.closed = true
}

// Update takes the keys: y copies the secret; enter or esc closes, but
// asks again first when the secret was never copied.
func (s *Secret) Update(msg tea.Msg) (tea.Cmd, bool) {
	switch keyOf(msg) {
	case "y", "Y":
		if s.closed || s.copy == nil {
			return nil, false
		}
		s.copied, s.warned = true, false
		return s.copy(s.secret), false
	case "enter", "esc":
		if !s.copied && !s.warned && !s.closed {
			s.warned = true
			return nil, false
		}
		s.Close()
		return nil, true
	}
	return nil, false
}

// Hint is the footer line: the keys the dialog takes.
func (s *Secret) Hint() string {
	if s.warned {
		return "enter/esc close without copying · y copy"
	}
	return "y copy · enter/esc close"
}

// View draws the secret's box, at most w cells wide and h lines tall.
func (s *Secret) View(t *theme.Theme, w, h int) string {
	tw := textWidth(w)
	head := []string{t.Title.Render(sanitize.String(s.title)), ""}
	body := lines(text.Wrap(sanitize.Text(s.note), tw, ""))
	foot := []string{""}
	if s.closed {
		foot = append(foot, t.Dim.Render("(the secret is gone)"))
	} else {
		// Broken at the box's width rather than cut, so all of it shows.
		foot = append(foot, lines(t.Key.Render(ansi.Hardwrap(sanitize.String(s.secret), tw, true)))...)
	}
	foot = append(foot, "", t.Warn.Render("It will not be shown again."))
	switch {
	case s.warned:
		foot = append(foot, lines(t.Warn.Render(text.Wrap("not copied: press enter again to close, y to copy", tw, "")))...)
	case s.copied:
		foot = append(foot, t.OK.Render("copied"))
	}
	foot = append(foot, "", t.Dim.Render(s.Hint()))
	return render(t, w, h, head, body, foot)
}
