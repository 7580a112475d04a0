package dialog

import (
	"fmt"
	"unicode/utf8"

	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/text"
	"github.com/hubtui/hubtui/ui/theme"
)

// TextArea asks for several lines of text (a README where no editor is
// set): ctrl+s saves, esc cancels. A counter shows the characters against
// the limit; saving over it is refused, and nothing typed is lost.
type TextArea struct {
	title, body string
	area        textarea.Model
	limit       int
	problem     string
	onSave      func(string) tea.Cmd
}

// NewTextArea asks for text starting from initial; onSave gets it.
func NewTextArea(title, body, initial string, limit int, onSave func(string) tea.Cmd) *TextArea {
	a := textarea.New()
	a.ShowLineNumbers = false
	a.Prompt = "│ "
	a.SetValue(sanitize.Text(initial))
	a.Focus()
	return &TextArea{title: title, body: body, area: a, limit: limit, onSave: onSave}
}

// Open sizes the area to the box on a w-wide screen.
func (d *TextArea) Open(w int) tea.Cmd {
	d.area.SetWidth(textWidth(w) - 2)
	d.area.SetHeight(10)
	return nil
}

// TakesText reports that every key goes to the text.
func (d *TextArea) TakesText() bool { return true }

// Value is the text as it stands.
func (d *TextArea) Value() string { return d.area.Value() }

// Update saves, cancels or edits.
func (d *TextArea) Update(msg tea.Msg) (tea.Cmd, bool) {
	switch keyOf(msg) {
	case "esc":
		return nil, true
	case "ctrl+s":
		v := d.area.Value()
		if n := utf8.RuneCountInString(v); d.limit > 0 && n > d.limit {
			d.problem = fmt.Sprintf("%d characters; the Hub takes at most %d", n, d.limit)
			return nil, false
		}
		if d.onSave == nil {
			return nil, true
		}
		return d.onSave(v), true
	}
	var cmd tea.Cmd
	d.area, cmd = d.area.Update(msg)
	d.problem = ""
	return cmd, false
}

// Hint is the footer line.
func (d *TextArea) Hint() string { return "ctrl+s save · esc cancel" }

// View draws the box.
func (d *TextArea) View(t *theme.Theme, w, h int) string {
	tw := textWidth(w)
	head := []string{t.Title.Render(sanitize.String(d.title)), ""}
	body := lines(text.Wrap(sanitize.Text(d.body), tw, ""))
	if len(body) > 0 {
		body = append(body, "")
	}
	d.area.SetHeight(max(3, min(10, h-len(head)-len(body)-6)))
	body = append(body, lines(d.area.View())...)
	count := fmt.Sprintf("%d characters", utf8.RuneCountInString(d.area.Value()))
	if d.limit > 0 {
		count = fmt.Sprintf("%d/%d characters", utf8.RuneCountInString(d.area.Value()), d.limit)
	}
	foot := []string{"", t.Dim.Render(count)}
	if d.problem != "" {
		foot = append(foot, t.Error.Render(d.problem))
	}
	foot = append(foot, t.Dim.Render(d.Hint()))
	return render(t, w, h, head, body, foot)
}
