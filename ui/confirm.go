package ui

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/hubtui/hubtui/ui/sanitize"
)

// confirm asks before a mutation. A plain confirmation takes y or enter; a
// destructive one on an important object takes the object's name, typed.
type confirm struct {
	title  string
	body   string
	typed  string // the name to type; "" for a y/n question
	input  textinput.Model
	onYes  func() tea.Cmd
	onNo   func() tea.Cmd // when set, n is an answer of its own rather than "cancel"
	keys   string         // the key hint, when the default one would mislead
	danger bool
	// A prompt asks for a value instead: onValue gets it once check passes.
	onValue func(string) tea.Cmd
	check   func(string) error
	problem string
}

// newConfirm is a y/n question.
func newConfirm(title, body string, onYes func() tea.Cmd) *confirm {
	return &confirm{title: title, body: body, onYes: onYes}
}

// newTypedConfirm asks for name to be typed before onYes runs.
func newTypedConfirm(title, body, name string, onYes func() tea.Cmd) *confirm {
	in := textinput.New()
	in.Prompt = "> "
	in.Focus()
	return &confirm{title: title, body: body, typed: name, input: in, onYes: onYes, danger: true}
}

// inputWidth is the input's width in a box on a w-wide screen: the box is
// at most 60 text cells plus its border and padding, and the input draws
// its prompt and a cursor cell beside the width.
func (c *confirm) inputWidth(w int) int { return max(8, min(60, w-8)-lipgloss.Width(c.input.Prompt)-1) }

// newPrompt asks for a value, starting from initial; check runs on enter
// and its error is shown in plain words until the value passes.
func newPrompt(title, body, initial string, limit int, check func(string) error, onValue func(string) tea.Cmd) *confirm {
	in := textinput.New()
	in.Prompt = "> "
	in.CharLimit = limit
	in.SetValue(initial)
	in.CursorEnd()
	in.Focus()
	return &confirm{title: title, body: body, input: in, onValue: onValue, check: check}
}

// ask shows c over the current pane.
func (a *App) ask(c *confirm) tea.Cmd {
	a.confirm = c
	a.mode = modeConfirm
	// Size the input now, then move to its end, so a long value already in
	// it scrolls inside the box instead of running past it.
	c.input.SetWidth(c.inputWidth(a.w))
	c.input.CursorEnd()
	if c.typed != "" || c.onValue != nil {
		return textinput.Blink
	}
	return nil
}

// update handles a key or text on the question; done reports it closed.
func (c *confirm) update(msg tea.Msg) (cmd tea.Cmd, done bool) {
	k, isKey := msg.(tea.KeyPressMsg)
	if isKey && k.String() == "esc" {
		return nil, true
	}
	if c.onValue != nil {
		if isKey && k.String() == "enter" {
			v := c.input.Value()
			if c.check != nil {
				if err := c.check(v); err != nil {
					c.problem = err.Error()
					return nil, false
				}
			}
			return c.onValue(v), true
		}
		c.problem = ""
		c.input, cmd = c.input.Update(msg)
		return cmd, false
	}
	if c.typed == "" {
		if isKey {
			switch k.String() {
			case "y", "Y", "enter":
				return c.onYes(), true
			case "n", "N":
				if c.onNo != nil {
					return c.onNo(), true
				}
				return nil, true
			}
		}
		return nil, false
	}
	if isKey && k.String() == "enter" {
		if c.input.Value() == c.typed {
			return c.onYes(), true
		}
		c.problem = "Type the name exactly, or press esc to cancel."
		return nil, false
	}
	c.problem = ""
	c.input, cmd = c.input.Update(msg)
	return cmd, false
}

// view draws the question in a box in the middle of w×h.
func (c *confirm) view(a *App, w, h int) string {
	t := a.theme
	var b strings.Builder
	title := t.Title.Render(sanitize.String(c.title))
	if c.danger {
		title = t.Error.Render(sanitize.String(c.title))
	}
	b.WriteString(title + "\n\n")
	b.WriteString(wrap(sanitize.Text(c.body), min(60, w-8), "") + "\n\n")
	if c.onValue != nil {
		c.input.SetWidth(c.inputWidth(w))
		b.WriteString(c.input.View() + "\n\n")
		if c.problem != "" {
			b.WriteString(t.Error.Render(wrap(c.problem, min(60, w-8), "")) + "\n")
		}
		b.WriteString(t.Dim.Render("enter save · esc cancel"))
	} else if c.typed != "" {
		b.WriteString(wrap("Type "+sanitize.String(c.typed)+" to confirm:", min(60, w-8), "") + "\n")
		c.input.SetWidth(c.inputWidth(w))
		b.WriteString(c.input.View() + "\n\n")
		hint := "enter confirm · esc cancel"
		if v := c.input.Value(); v != "" && v != c.typed {
			hint = "the name does not match yet · esc cancel"
		}
		if c.problem != "" {
			hint = c.problem
		}
		b.WriteString(t.Dim.Render(hint))
	} else if c.keys != "" {
		b.WriteString(t.Dim.Render(c.keys))
	} else if c.onNo != nil {
		b.WriteString(t.Dim.Render("y/enter yes · n no · esc cancel"))
	} else {
		b.WriteString(t.Dim.Render("y/enter yes · n/esc no"))
	}
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, t.Box.Render(b.String()))
}
