package dialog

import (
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/text"
	"github.com/hubtui/hubtui/ui/theme"
)

// Confirm asks before a change. It comes in three kinds: a y/n question
// (NewConfirm), a destructive change that wants a name typed (NewTyped),
// and a prompt for one value (NewPrompt).
type Confirm struct {
	// OnNo, when set, makes n an answer of its own (its Cmd runs) rather
	// than a cancel; esc still cancels.
	OnNo func() tea.Cmd
	// Keys replaces the key hint of a y/n question, when the default one
	// would mislead ("y private · n public · esc cancel").
	Keys string
	// Danger draws the title as an error: the change cannot be undone.
	Danger bool

	title, body string
	typed       string // the name to type; "" unless made by NewTyped
	hasInput    bool
	input       textinput.Model
	onYes       func() tea.Cmd
	onValue     func(string) tea.Cmd // set by NewPrompt
	check       func(string) error
	problem     string
}

// NewConfirm is a y/n question: y, Y or enter runs onYes; n, N or esc
// cancels.
func NewConfirm(title, body string, onYes func() tea.Cmd) *Confirm {
	return &Confirm{title: title, body: body, onYes: onYes}
}

// NewTyped asks for name to be typed exactly, then enter, before onYes
// runs; it is drawn as a dangerous change.
func NewTyped(title, body, name string, onYes func() tea.Cmd) *Confirm {
	return &Confirm{title: title, body: body, typed: name, hasInput: true, input: newInput(),
		onYes: onYes, Danger: true}
}

// NewPrompt asks for a value, starting from initial and at most limit
// characters long (0: no limit). check (which may be nil) runs as the value
// is typed and again on enter; its error is shown under the input, and
// enter does nothing else until the value passes. Then onValue gets it.
func NewPrompt(title, body, initial string, limit int, check func(string) error, onValue func(string) tea.Cmd) *Confirm {
	in := newInput()
	in.CharLimit = limit
	in.SetValue(sanitize.String(initial))
	in.CursorEnd()
	return &Confirm{title: title, body: body, hasInput: true, input: in, onValue: onValue, check: check}
}

// Open sizes the input to the box on a w-wide screen and moves to the end
// of its value, so a long value scrolls inside the box instead of running
// past it; it starts the cursor blinking when there is an input.
func (c *Confirm) Open(w int) tea.Cmd {
	if !c.hasInput {
		return nil
	}
	c.input.SetWidth(inputWidth(&c.input, w))
	c.input.CursorEnd()
	return textinput.Blink
}

// TakesText reports whether the dialog has a text input.
func (c *Confirm) TakesText() bool { return c.hasInput }

// Update answers a key, or passes it (and pasted text, cursor blinks) to
// the input.
func (c *Confirm) Update(msg tea.Msg) (tea.Cmd, bool) {
	k := keyOf(msg)
	if k == "esc" {
		return nil, true
	}
	switch {
	case c.onValue != nil:
		if k == "enter" {
			v := c.input.Value()
			if c.check != nil {
				if err := c.check(v); err != nil {
					c.problem = err.Error()
					return nil, false
				}
			}
			c.problem = ""
			return c.onValue(v), true
		}
		before := c.input.Value()
		var cmd tea.Cmd
		c.input, cmd = c.input.Update(msg)
		if v := c.input.Value(); v != before {
			c.problem = ""
			if c.check != nil {
				if err := c.check(v); err != nil {
					c.problem = err.Error()
				}
			}
		}
		return cmd, false
	case c.typed != "":
		if k == "enter" {
			if c.input.Value() == c.typed {
				return call(c.onYes), true
			}
			c.problem = "Type the name exactly, or press esc to cancel."
			return nil, false
		}
		var cmd tea.Cmd
		c.input, cmd = c.input.Update(msg)
		if _, paste := msg.(tea.PasteMsg); k != "" || paste {
			c.problem = ""
		}
		return cmd, false
	}
	switch k {
	case "y", "Y", "enter":
		return call(c.onYes), true
	case "n", "N":
		return call(c.OnNo), true
	}
	return nil, false
}

// call runs f when it is set.
func call(f func() tea.Cmd) tea.Cmd {
	if f == nil {
		return nil
	}
	return f()
}

// Hint is the footer line: the keys the question takes.
func (c *Confirm) Hint() string {
	switch {
	case c.onValue != nil:
		return "enter save · esc cancel"
	case c.typed != "":
		return "enter confirm · esc cancel"
	case c.Keys != "":
		return c.Keys
	case c.OnNo != nil:
		return "y/enter yes · n no · esc cancel"
	}
	return "y/enter yes · n/esc no"
}

// View draws the question's box, at most w cells wide and h lines tall.
func (c *Confirm) View(t *theme.Theme, w, h int) string {
	tw := textWidth(w)
	title := t.Title.Render(sanitize.String(c.title))
	if c.Danger {
		title = t.Error.Render(sanitize.String(c.title))
	}
	head := []string{title, ""}
	body := lines(text.Wrap(sanitize.Text(c.body), tw, ""))
	foot := []string{""}
	if c.hasInput {
		c.input.SetWidth(inputWidth(&c.input, w))
	}
	switch {
	case c.onValue != nil:
		foot = append(foot, c.input.View(), "")
		if c.problem != "" {
			foot = append(foot, lines(t.Error.Render(text.Wrap(sanitize.Text(c.problem), tw, "")))...)
		}
		foot = append(foot, t.Dim.Render(c.Hint()))
	case c.typed != "":
		foot = append(foot, lines(text.Wrap("Type "+sanitize.String(c.typed)+" to confirm:", tw, ""))...)
		foot = append(foot, c.input.View(), "")
		hint := c.Hint()
		if v := c.input.Value(); v != "" && v != c.typed {
			hint = "the name does not match yet · esc cancel"
		}
		if c.problem != "" {
			hint = c.problem
		}
		foot = append(foot, t.Dim.Render(hint))
	default:
		foot = append(foot, t.Dim.Render(sanitize.String(c.Hint())))
	}
	return render(t, w, h, head, body, foot)
}

// NewReplace asks before a save replaces the file at path.
func NewReplace(path string, onYes func() tea.Cmd) *Confirm {
	return NewConfirm("Replace "+sanitize.String(path)+"?", "A file of that name is there already; saving replaces it.", onYes)
}
