package invites

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/text"
	"github.com/hubtui/hubtui/ui/theme"
)

// maxPasteLines is the most lines the text area holds (the text area's own
// limit); longer lists are loaded from a file.
const maxPasteLines = 10000

// paste is the text area a list of invitees is pasted or typed into:
// ctrl+s checks it, esc closes it and keeps what was typed for next time.
type paste struct {
	title, body string
	area        textarea.Model
	onCheck     func(text string) tea.Cmd
	onKeep      func(text string)
}

// newPaste opens a text area on initial.
func newPaste(title, body, initial string, onCheck func(string) tea.Cmd, onKeep func(string)) *paste {
	a := textarea.New()
	a.ShowLineNumbers = true
	a.Prompt = "│ "
	a.CharLimit = 0
	a.MaxHeight = 0
	a.MaxContentHeight = maxPasteLines
	a.MaxWidth = 0
	a.SetValue(sanitize.Text(initial))
	a.Focus()
	return &paste{title: title, body: body, area: a, onCheck: onCheck, onKeep: onKeep}
}

// Open sizes the area on a w-wide screen.
func (d *paste) Open(w int) tea.Cmd {
	d.area.SetWidth(max(20, min(96, w-8)-2))
	d.area.SetHeight(10)
	return nil
}

// TakesText reports that every key goes to the text.
func (d *paste) TakesText() bool { return true }

// Update checks, closes or edits.
func (d *paste) Update(msg tea.Msg) (tea.Cmd, bool) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "esc":
			d.onKeep(d.area.Value())
			return nil, true
		case "ctrl+s":
			return d.onCheck(d.area.Value()), true
		}
	}
	var cmd tea.Cmd
	d.area, cmd = d.area.Update(msg)
	return cmd, false
}

// Hint is the footer line.
func (d *paste) Hint() string { return "ctrl+s check the list · esc close (what is typed is kept)" }

// View draws the box.
func (d *paste) View(t *theme.Theme, w, h int) string {
	tw := max(20, min(96, w-8))
	out := []string{t.Title.Render(sanitize.String(d.title)), ""}
	out = append(out, strings.Split(text.Wrap(sanitize.Text(d.body), tw, ""), "\n")...)
	out = append(out, "")
	d.area.SetHeight(max(3, min(12, h-len(out)-6)))
	out = append(out, d.area.View())
	n := d.area.LineCount()
	out = append(out, "", t.Dim.Render(fmt.Sprintf("%d lines (at most %d; a longer list loads from a file)", n, maxPasteLines)), t.Dim.Render(d.Hint()))
	return t.Box.Render(strings.Join(out, "\n"))
}
