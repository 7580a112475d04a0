package dialog

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/text"
	"github.com/hubtui/hubtui/ui/theme"
)

// Field is one value a Form asks for.
type Field struct {
	// Key names the value in the map the form's onSubmit gets, and the
	// field in SetError.
	Key string
	// Label is drawn above the field (Key when empty); Help under it while
	// it has the focus and no error.
	Label, Help string
	// Initial is the value the field starts with; for a selector, the
	// choice it starts on (the first one when Initial is not a choice).
	Initial string
	// Limit is the most characters the field takes; 0 is no limit.
	Limit int
	// Check, when set, says what is wrong with a value; it runs as the
	// value is typed and again on submit.
	Check func(string) error
	// Choices makes the field a selector of one of them: left/right or
	// space cycles through them.
	Choices []string
	// Secret hides what is typed (a password or token).
	Secret bool
	// Counter shows the characters typed against Limit beside the label.
	Counter bool
}

// Form asks for several values at once: one input (or selector) per field,
// each checked as it is typed, submitted together once every one passes.
// The values stay while the form is open, and after it closes: a caller
// may show a server's complaint with SetError and ask with the same form
// again, with what was typed still in it.
type Form struct {
	title, body string
	fields      []Field
	inputs      []textinput.Model
	choice      []int    // the chosen index of each selector
	errs        []string // what Check says about each field
	server      []string // what SetError said about each field, until it changes
	general     string   // what SetError said about no field in particular
	summary     string   // how many fields need fixing, after a failed submit
	focus       int
	onSubmit    func(values map[string]string) tea.Cmd
}

// NewForm asks for fields; onSubmit gets their values by Key once every
// field passes its Check.
func NewForm(title, body string, fields []Field, onSubmit func(values map[string]string) tea.Cmd) *Form {
	f := &Form{
		title: title, body: body, fields: fields, onSubmit: onSubmit,
		inputs: make([]textinput.Model, len(fields)),
		choice: make([]int, len(fields)),
		errs:   make([]string, len(fields)),
		server: make([]string, len(fields)),
	}
	for i, fd := range fields {
		in := textinput.New()
		in.Prompt = "> "
		in.CharLimit = fd.Limit
		if fd.Secret {
			in.EchoMode = textinput.EchoPassword
		}
		if len(fd.Choices) > 0 {
			for j, c := range fd.Choices {
				if c == fd.Initial {
					f.choice[i] = j
					break
				}
			}
		} else {
			in.SetValue(sanitize.String(fd.Initial))
			in.CursorEnd()
		}
		f.inputs[i] = in
	}
	f.setFocus(0)
	return f
}

// selector reports whether field i picks one of its choices.
func (f *Form) selector(i int) bool { return len(f.fields[i].Choices) > 0 }

// value is field i's current value.
func (f *Form) value(i int) string {
	if f.selector(i) {
		return f.fields[i].Choices[f.choice[i]]
	}
	return f.inputs[i].Value()
}

// OnSubmit sets what gets the values (a form asked again after a refusal
// may go on differently).
func (f *Form) OnSubmit(fn func(values map[string]string) tea.Cmd) { f.onSubmit = fn }

// Values is every field's current value, by Key.
func (f *Form) Values() map[string]string {
	out := make(map[string]string, len(f.fields))
	for i, fd := range f.fields {
		out[fd.Key] = f.value(i)
	}
	return out
}

// SetError shows msg beside the field named key (as a server's answer to
// the last submit) until its value changes, and moves the focus to the
// first field with an error; a key that names no field shows msg above
// the key hint. An empty msg takes the error away.
func (f *Form) SetError(key, msg string) {
	for i, fd := range f.fields {
		if fd.Key == key {
			f.server[i] = msg
			if first := f.firstFailing(); first >= 0 {
				f.setFocus(first)
			}
			return
		}
	}
	f.general = msg
}

// failing reports whether field i has an error shown.
func (f *Form) failing(i int) bool { return f.errs[i] != "" || f.server[i] != "" }

// firstFailing is the first field with an error, or -1.
func (f *Form) firstFailing() int {
	for i := range f.fields {
		if f.failing(i) {
			return i
		}
	}
	return -1
}

// check runs field i's Check on its value.
func (f *Form) check(i int) {
	f.errs[i] = ""
	if c := f.fields[i].Check; c != nil {
		if err := c(f.value(i)); err != nil {
			f.errs[i] = err.Error()
		}
	}
}

// changed notes that field i's value changed: it is checked again, a
// server's error about the old value goes, and the count of fields to fix
// is brought up to date.
func (f *Form) changed(i int) {
	f.server[i] = ""
	f.check(i)
	if f.summary != "" {
		f.summary = f.needFixing()
	}
}

// needFixing is the line that says how many fields have errors, or "".
func (f *Form) needFixing() string {
	n := 0
	for i := range f.fields {
		if f.failing(i) {
			n++
		}
	}
	switch n {
	case 0:
		return ""
	case 1:
		return "1 field needs fixing"
	}
	return fmt.Sprintf("%d fields need fixing", n)
}

// setFocus moves the focus to field i.
func (f *Form) setFocus(i int) {
	if len(f.fields) == 0 {
		return
	}
	f.inputs[f.focus].Blur()
	f.focus = i
	if !f.selector(i) {
		f.inputs[i].Focus()
	}
}

// move moves the focus by d fields, wrapping around.
func (f *Form) move(d int) {
	if n := len(f.fields); n > 0 {
		f.setFocus(((f.focus+d)%n + n) % n)
	}
}

// submit checks every field and hands the values on when all pass;
// otherwise the focus goes to the first failing field.
func (f *Form) submit() (tea.Cmd, bool) {
	for i := range f.fields {
		f.check(i)
	}
	if first := f.firstFailing(); first >= 0 {
		f.summary = f.needFixing()
		f.setFocus(first)
		return nil, false
	}
	f.summary, f.general = "", ""
	if f.onSubmit == nil {
		return nil, true
	}
	return f.onSubmit(f.Values()), true
}

// Open sizes the inputs to the box on a w-wide screen and starts the
// cursor blinking.
func (f *Form) Open(w int) tea.Cmd {
	blink := false
	for i := range f.inputs {
		f.inputs[i].SetWidth(inputWidth(&f.inputs[i], w))
		f.inputs[i].CursorEnd()
		blink = blink || !f.selector(i)
	}
	f.setFocus(f.focus)
	if blink {
		return textinput.Blink
	}
	return nil
}

// TakesText reports whether the focused field is a text input.
func (f *Form) TakesText() bool { return len(f.fields) > 0 && !f.selector(f.focus) }

// Update moves between the fields, edits the focused one, submits or
// cancels.
func (f *Form) Update(msg tea.Msg) (tea.Cmd, bool) {
	k := keyOf(msg)
	switch k {
	case "esc":
		return nil, true
	case "ctrl+s":
		return f.submit()
	case "enter":
		if f.focus >= len(f.fields)-1 {
			return f.submit()
		}
		f.move(1)
		return nil, false
	case "tab", "down":
		f.move(1)
		return nil, false
	case "shift+tab", "up":
		f.move(-1)
		return nil, false
	}
	if len(f.fields) == 0 {
		return nil, false
	}
	i := f.focus
	if f.selector(i) {
		n := len(f.fields[i].Choices)
		switch k {
		case "left":
			f.choice[i] = (f.choice[i] + n - 1) % n
			f.changed(i)
		case "right", "space":
			f.choice[i] = (f.choice[i] + 1) % n
			f.changed(i)
		}
		return nil, false
	}
	before := f.inputs[i].Value()
	var cmd tea.Cmd
	f.inputs[i], cmd = f.inputs[i].Update(msg)
	if f.inputs[i].Value() != before {
		f.changed(i)
	}
	return cmd, false
}

// Hint is the footer line: the keys the form takes on the focused field.
func (f *Form) Hint() string {
	var parts []string
	if len(f.fields) > 0 && f.selector(f.focus) {
		parts = append(parts, "←/→ change")
	}
	if f.focus >= len(f.fields)-1 {
		parts = append(parts, "enter submit")
	} else {
		parts = append(parts, "enter next")
	}
	if len(f.fields) > 1 {
		parts = append(parts, "tab next · shift+tab back")
	}
	parts = append(parts, "ctrl+s submit", "esc cancel")
	return strings.Join(parts, " · ")
}

// View draws the form's box, at most w cells wide and h lines tall.
func (f *Form) View(t *theme.Theme, w, h int) string {
	tw := textWidth(w)
	head := []string{t.Title.Render(sanitize.String(f.title)), ""}
	body := lines(text.Wrap(sanitize.Text(f.body), tw, ""))
	var foot []string
	if len(body) > 0 {
		foot = append(foot, "")
	}
	for i, fd := range f.fields {
		if i > 0 {
			foot = append(foot, "")
		}
		label := fd.Label
		if label == "" {
			label = fd.Key
		}
		label = sanitize.String(label)
		if fd.Counter && fd.Limit > 0 && !f.selector(i) {
			label += fmt.Sprintf("  %d/%d", utf8.RuneCountInString(f.inputs[i].Value()), fd.Limit)
		}
		focused := i == f.focus
		if focused {
			foot = append(foot, t.Key.Render("› "+label))
		} else {
			foot = append(foot, t.Label.Render("  "+label))
		}
		if f.selector(i) {
			v := "‹ " + sanitize.String(f.value(i)) + " ›"
			if focused {
				v = t.Key.Render(v)
			}
			foot = append(foot, "  "+v)
		} else {
			f.inputs[i].SetWidth(inputWidth(&f.inputs[i], w))
			foot = append(foot, f.inputs[i].View())
		}
		switch {
		case f.errs[i] != "":
			foot = append(foot, lines(t.Error.Render(indent(sanitize.String(f.errs[i]), tw)))...)
		case f.server[i] != "":
			foot = append(foot, lines(t.Error.Render(indent(sanitize.String(f.server[i]), tw)))...)
		case focused && fd.Help != "":
			foot = append(foot, lines(t.Dim.Render(indent(sanitize.String(fd.Help), tw)))...)
		}
	}
	foot = append(foot, "")
	if f.summary != "" {
		foot = append(foot, t.Warn.Render(f.summary))
	}
	if f.general != "" {
		foot = append(foot, lines(t.Error.Render(text.Wrap(sanitize.Text(f.general), tw, "")))...)
	}
	foot = append(foot, t.Dim.Render(f.Hint()))
	return render(t, w, h, head, body, foot)
}

// indent wraps s to tw cells, two cells in from the box's edge.
func indent(s string, tw int) string { return "  " + text.Wrap(s, tw-2, "  ") }
