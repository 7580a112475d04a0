package dialog

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/sahilm/fuzzy"

	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/theme"
)

// Item is one row a Picker offers.
type Item struct {
	// ID is what the picker's onPick gets for the row.
	ID string
	// Label is the row's text, which typing filters on; Detail is drawn
	// dim after it.
	Label, Detail string
}

// labels is the fuzzy source of a picker: its items' labels as drawn.
type labels []string

func (l labels) String(i int) string { return l[i] }
func (l labels) Len() int            { return len(l) }

// Picker picks one item, or several, from a list filtered by typing.
type Picker struct {
	title   string
	items   []Item
	labels  labels // the items' labels, sanitised once
	chosen  []bool // by index into items
	nChosen int
	multi   bool
	onPick  func(ids []string) tea.Cmd
	input   textinput.Model
	query   string // what shown was filtered by
	shown   []int  // items matching query, best first; nil when query is ""
	cursor  int    // index into the rows shown
	top     int    // the first row drawn
	page    int    // rows drawn last time, for pgup/pgdown
}

// NewPicker offers items to pick from. In multi mode several may be
// chosen, starting with the ones whose IDs are in chosen; in single mode
// the cursor starts on the first of them. onPick gets the IDs picked.
func NewPicker(title string, items []Item, chosen []string, multi bool, onPick func(ids []string) tea.Cmd) *Picker {
	p := &Picker{title: title, items: items, multi: multi, onPick: onPick, input: newInput(), page: 10,
		labels: make(labels, len(items)), chosen: make([]bool, len(items))}
	p.input.Placeholder = "type to filter"
	want := make(map[string]bool, len(chosen))
	for _, id := range chosen {
		want[id] = true
	}
	first := -1
	for i, it := range items {
		p.labels[i] = sanitize.String(it.Label)
		if want[it.ID] {
			if first < 0 {
				first = i
			}
			if multi {
				p.chosen[i] = true
				p.nChosen++
			}
		}
	}
	if !multi && first >= 0 {
		p.cursor = first
	}
	return p
}

// count is how many rows the filter shows.
func (p *Picker) count() int {
	if p.shown == nil {
		return len(p.items)
	}
	return len(p.shown)
}

// at is the index into items of row r.
func (p *Picker) at(r int) int {
	if p.shown == nil {
		return r
	}
	return p.shown[r]
}

// filter shows the items matching the input's value, best first.
func (p *Picker) filter() {
	q := p.input.Value()
	if q == p.query {
		return
	}
	p.query = q
	p.cursor, p.top = 0, 0
	if q == "" {
		p.shown = nil
		return
	}
	matches := fuzzy.FindFrom(q, p.labels)
	p.shown = make([]int, len(matches))
	for i, m := range matches {
		p.shown[i] = m.Index
	}
}

// choose sets whether item i is chosen.
func (p *Picker) choose(i int, on bool) {
	if p.chosen[i] != on {
		p.chosen[i] = on
		if on {
			p.nChosen++
		} else {
			p.nChosen--
		}
	}
}

// moveTo puts the cursor on row r, kept within the rows shown.
func (p *Picker) moveTo(r int) { p.cursor = max(0, min(r, p.count()-1)) }

// pick is what enter answers: in multi mode the chosen IDs in the items'
// order, or the cursor's row when none is chosen; in single mode the
// cursor's row. ok is false when there is nothing to pick.
func (p *Picker) pick() (ids []string, ok bool) {
	if p.multi && p.nChosen > 0 {
		for i, it := range p.items {
			if p.chosen[i] {
				ids = append(ids, it.ID)
			}
		}
		return ids, true
	}
	if p.count() == 0 {
		return nil, false
	}
	return []string{p.items[p.at(p.cursor)].ID}, true
}

// Open sizes the filter input to the box on a w-wide screen and starts
// its cursor blinking.
func (p *Picker) Open(w int) tea.Cmd {
	p.input.SetWidth(inputWidth(&p.input, w))
	p.input.CursorEnd()
	return textinput.Blink
}

// TakesText reports that the picker's filter takes text.
func (p *Picker) TakesText() bool { return true }

// Update moves the cursor, chooses rows, picks or cancels; other keys and
// pasted text edit the filter.
func (p *Picker) Update(msg tea.Msg) (tea.Cmd, bool) {
	switch k := keyOf(msg); k {
	case "esc":
		return nil, true
	case "enter":
		ids, ok := p.pick()
		if !ok {
			return nil, false
		}
		if p.onPick == nil {
			return nil, true
		}
		return p.onPick(ids), true
	case "up", "ctrl+p":
		p.moveTo(p.cursor - 1)
		return nil, false
	case "down", "ctrl+n":
		p.moveTo(p.cursor + 1)
		return nil, false
	case "pgup":
		p.moveTo(p.cursor - p.page)
		return nil, false
	case "pgdown":
		p.moveTo(p.cursor + p.page)
		return nil, false
	case "space", "ctrl+a":
		if !p.multi {
			break
		}
		if k == "space" {
			if p.count() > 0 {
				i := p.at(p.cursor)
				p.choose(i, !p.chosen[i])
			}
			return nil, false
		}
		all := true
		for r := range p.count() {
			if !p.chosen[p.at(r)] {
				all = false
				break
			}
		}
		for r := range p.count() {
			p.choose(p.at(r), !all)
		}
		return nil, false
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	p.filter()
	return cmd, false
}

// Hint is the footer line: the keys the picker takes.
func (p *Picker) Hint() string {
	if p.multi {
		return "type to filter · ↑/↓ move · space choose · ctrl+a choose all shown · enter pick · esc cancel"
	}
	return "type to filter · ↑/↓ move · enter pick · esc cancel"
}

// View draws the picker's box, at most w cells wide and h lines tall. It
// draws only the rows that fit, around the cursor.
func (p *Picker) View(t *theme.Theme, w, h int) string {
	tw := textWidth(w)
	p.input.SetWidth(inputWidth(&p.input, w))
	head := []string{t.Title.Render(sanitize.String(p.title)), p.input.View()}
	rows := max(1, h-t.Box.GetVerticalFrameSize()-4)
	p.page = rows
	n := p.count()
	p.moveTo(p.cursor)
	if p.cursor < p.top {
		p.top = p.cursor
	}
	if p.cursor >= p.top+rows {
		p.top = p.cursor - rows + 1
	}
	p.top = max(0, min(p.top, n-rows))
	var body []string
	if n == 0 {
		body = append(body, t.Dim.Render(pad("no match", tw)))
	}
	for r := p.top; r < min(n, p.top+rows); r++ {
		body = append(body, p.row(t, r, tw))
	}
	status := fmt.Sprintf("%d shown of %d", n, len(p.items))
	if p.multi {
		status = fmt.Sprintf("%d chosen · %s", p.nChosen, status)
	}
	foot := []string{t.Dim.Render(status), t.Dim.Render(p.Hint())}
	return render(t, w, h, head, body, foot)
}

// row draws row r, tw cells wide.
func (p *Picker) row(t *theme.Theme, r, tw int) string {
	i := p.at(r)
	mark := "  "
	if r == p.cursor {
		mark = "› "
	}
	if p.multi {
		if p.chosen[i] {
			mark += "[x] "
		} else {
			mark += "[ ] "
		}
	}
	label := p.labels[i]
	if r == p.cursor {
		label = t.Key.Render(label)
	}
	line := mark + label
	if d := p.items[i].Detail; d != "" {
		line += "  " + t.Dim.Render(sanitize.String(d))
	}
	return pad(line, tw)
}

// pad cuts or pads s to exactly w cells.
func pad(s string, w int) string {
	if ansi.StringWidth(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s)))
}
