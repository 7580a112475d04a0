package dialog

import (
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/text"
	"github.com/hubtui/hubtui/ui/theme"
)

// Search is a text box whose value is handed on as it is typed (a search
// sent to the server while the list behind the box changes): onChange gets
// every new value, enter keeps the last one and esc puts back the value it
// started from.
type Search struct {
	title, body string
	initial     string
	input       textinput.Model
	onChange    func(v string, final bool) tea.Cmd
}

// NewSearch asks for a search starting from initial. onChange gets every
// new value as it is typed (final false: a caller may wait for typing to
// pause), then the value the box closes with (final true: use it now) —
// what is typed on enter, initial on esc.
func NewSearch(title, body, initial string, onChange func(v string, final bool) tea.Cmd) *Search {
	in := newInput()
	in.SetValue(sanitize.String(initial))
	in.CursorEnd()
	return &Search{title: title, body: body, initial: in.Value(), input: in, onChange: onChange}
}

// Open sizes the input to the box on a w-wide screen.
func (s *Search) Open(w int) tea.Cmd {
	s.input.SetWidth(inputWidth(&s.input, w))
	s.input.CursorEnd()
	return textinput.Blink
}

// TakesText reports that the box takes text.
func (s *Search) TakesText() bool { return true }

// Value is what is typed now.
func (s *Search) Value() string { return s.input.Value() }

// Update edits the value, handing each new one on; enter closes keeping
// it, esc closes putting back the first one.
func (s *Search) Update(msg tea.Msg) (tea.Cmd, bool) {
	switch keyOf(msg) {
	case "enter":
		return s.change(s.input.Value(), true), true
	case "esc":
		return s.change(s.initial, true), true
	}
	before := s.input.Value()
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	if v := s.input.Value(); v != before {
		return tea.Batch(cmd, s.change(v, false)), false
	}
	return cmd, false
}

// change hands v on; final marks the value the box closes with.
func (s *Search) change(v string, final bool) tea.Cmd {
	if s.onChange == nil {
		return nil
	}
	return s.onChange(v, final)
}

// Hint is the footer line: the keys the box takes.
func (s *Search) Hint() string { return "type to search · enter keep · esc put back" }

// View draws the box, at most w cells wide and h lines tall.
func (s *Search) View(t *theme.Theme, w, h int) string {
	tw := textWidth(w)
	s.input.SetWidth(inputWidth(&s.input, w))
	head := []string{t.Title.Render(sanitize.String(s.title)), ""}
	body := lines(text.Wrap(sanitize.Text(s.body), tw, ""))
	foot := []string{"", s.input.View(), "", t.Dim.Render(s.Hint())}
	return render(t, w, h, head, body, foot)
}
