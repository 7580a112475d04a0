// Package table is hubtui's windowed table: it draws a header and only the
// rows that fit on screen, reading cells through a callback, so a list of
// 100,000 rows costs no more to draw than a list of 40.
//
// A Table does no I/O and returns no tea.Cmd; a pane owns one, feeds it rows
// with SetSource, moves it from its key bindings and calls View. Cell text is
// passed through sanitize.String before it is drawn. A Table is not safe for
// concurrent use: call it from Update and View only.
package table

import (
	"slices"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hubtui/hubtui/ui/sanitize"
)

const (
	// gutterWidth is the width of the marker gutter left of column 0: the
	// cursor marker, the mark marker and a space.
	gutterWidth = 3
	// cursorMarker flags the selected row, readable without colour.
	cursorMarker = '>'
	// markMarker flags a marked row.
	markMarker = '*'
	// columnGap is the number of spaces between two columns.
	columnGap = 1
	// ellipsis ends a truncated cell.
	ellipsis = "…"
	// sortAsc and sortDesc follow the title of the sort column.
	sortAsc  = " ▲"
	sortDesc = " ▼"
	// defaultEmpty is shown when the table has no rows and SetEmpty was
	// not called.
	defaultEmpty = "Nothing to show."
)

// Column describes one column of a Table. Widths are in terminal cells.
type Column struct {
	// Title is the header text.
	Title string
	// Min is the width the column needs to be shown at all; a column whose
	// Min does not fit is dropped together with every column right of it.
	// Min <= 0 means the width of Title (at least 1).
	Min int
	// Max caps the width a flexible column can grow to; <= 0 means no cap.
	Max int
	// Flex is the column's share of the width left over after every shown
	// column got its Min; 0 keeps the column at Min.
	Flex int
	// Align places text inside the cell: lipgloss.Left, Center or Right.
	Align lipgloss.Position
}

// Styles are the lipgloss styles a Table draws with. Whatever they look
// like, the selected row also carries a '>' and marked rows a '*', so the
// table stays readable with NO_COLOR.
type Styles struct {
	// Header styles the header line.
	Header lipgloss.Style
	// Cell styles ordinary rows.
	Cell lipgloss.Style
	// Selected styles the row under the cursor.
	Selected lipgloss.Style
	// Marked styles marked rows; on the selected row it fills in what
	// Selected leaves unset.
	Marked lipgloss.Style
	// Match styles highlighted (fuzzy-matched) runes; the row's own style
	// fills in what Match leaves unset.
	Match lipgloss.Style
}

// DefaultStyles returns styles that work in 16 colours: a bold header, a
// reversed selected row, yellow marked rows and bold, underlined matches.
func DefaultStyles() Styles {
	return Styles{
		Header:   lipgloss.NewStyle().Bold(true),
		Cell:     lipgloss.NewStyle(),
		Selected: lipgloss.NewStyle().Reverse(true),
		Marked:   lipgloss.NewStyle().Foreground(lipgloss.Yellow),
		Match:    lipgloss.NewStyle().Bold(true).Underline(true),
	}
}

// rowKind indexes the per-row style variants.
type rowKind int

const (
	rowPlain rowKind = iota
	rowMarked
	rowSelected
	rowSelectedMarked
	rowKinds
)

// Table is a windowed, cursor-driven table. The zero value is not usable;
// create one with New.
type Table struct {
	cols   []Column
	styles Styles
	// base and match are the resolved styles per rowKind.
	base, match [rowKinds]lipgloss.Style

	n         int
	cell      func(row, col int) string
	highlight func(row, col int) []int
	id        func(row int) string
	marks     map[string]struct{}

	width, height  int
	cursor, offset int
	sortCol        int
	sortDesc       bool
	empty          string

	// widths is the layout for the current width: the width of each
	// shown column; columns past len(widths) are dropped.
	widths []int
	// pending collects unstyled text of the line being drawn.
	pending []byte
}

// New returns an empty table with the given columns and DefaultStyles.
func New(cols []Column) *Table {
	t := &Table{
		cols:    slices.Clone(cols),
		marks:   make(map[string]struct{}),
		sortCol: -1,
		empty:   defaultEmpty,
	}
	t.SetStyles(DefaultStyles())
	return t
}

// SetColumns replaces the columns, keeping rows, cursor and marks.
func (t *Table) SetColumns(cols []Column) {
	t.cols = slices.Clone(cols)
	if t.sortCol >= len(t.cols) {
		t.sortCol = -1
	}
	t.layout()
}

// SetStyles replaces the styles.
func (t *Table) SetStyles(s Styles) {
	t.styles = s
	t.base[rowPlain] = s.Cell
	t.base[rowMarked] = s.Marked.Inherit(s.Cell)
	t.base[rowSelected] = s.Selected
	t.base[rowSelectedMarked] = s.Selected.Inherit(s.Marked)
	for k := range t.base {
		t.match[k] = s.Match.Inherit(t.base[k])
	}
}

// SetSource sets the number of rows and the function that returns the text
// of a cell. cell is called only for visible cells, with 0 <= row < n and col
// an index into the columns. The cursor and viewport are clamped to the new
// row count; marks are kept.
func (t *Table) SetSource(n int, cell func(row, col int) string) {
	t.n = max(n, 0)
	t.cell = cell
	t.SetCursor(t.cursor)
}

// SetHighlight sets the function returning the rune indices (in increasing
// order) of a cell's text to draw with the Match style, typically the fuzzy
// matches in the name column; it returns nil for cells without highlights.
// nil removes highlighting.
func (t *Table) SetHighlight(f func(row, col int) []int) {
	t.highlight = f
}

// SetID sets the function returning a stable identity for a row. Marks are
// keyed by it, so they survive re-sorting and filtering. Without it a row
// is identified by its index.
func (t *Table) SetID(f func(row int) string) {
	t.id = f
}

// SetEmpty sets the text shown when the table has no rows.
func (t *Table) SetEmpty(msg string) {
	t.empty = msg
}

// SetSort shows ▲ (ascending) or ▼ (desc) after the title of column col;
// col < 0 removes the indicator. The table does not sort: the source does.
func (t *Table) SetSort(col int, desc bool) {
	if col >= len(t.cols) {
		col = -1
	}
	t.sortCol, t.sortDesc = col, desc
}

// SetSize sets the size View draws, in cells: one header line and h-1 rows.
func (t *Table) SetSize(w, h int) {
	t.width, t.height = max(w, 0), max(h, 0)
	t.layout()
	t.SetCursor(t.cursor)
}

// Len returns the number of rows.
func (t *Table) Len() int { return t.n }

// Cursor returns the index of the selected row (0 when there are no rows).
func (t *Table) Cursor() int { return t.cursor }

// Offset returns the index of the first row on screen.
func (t *Table) Offset() int { return t.offset }

// SetCursor selects row i, clamped to the rows, and scrolls it into view.
func (t *Table) SetCursor(i int) {
	t.cursor = clamp(i, 0, t.n-1)
	t.follow()
}

// MoveUp moves the cursor up by n rows.
func (t *Table) MoveUp(n int) { t.SetCursor(t.cursor - n) }

// MoveDown moves the cursor down by n rows.
func (t *Table) MoveDown(n int) { t.SetCursor(t.cursor + n) }

// PageUp scrolls the view and the cursor up by one screen.
func (t *Table) PageUp() { t.scroll(-t.pageSize()) }

// PageDown scrolls the view and the cursor down by one screen.
func (t *Table) PageDown() { t.scroll(t.pageSize()) }

// HalfPageUp scrolls the view and the cursor up by half a screen.
func (t *Table) HalfPageUp() { t.scroll(-max(t.pageSize()/2, 1)) }

// HalfPageDown scrolls the view and the cursor down by half a screen.
func (t *Table) HalfPageDown() { t.scroll(max(t.pageSize()/2, 1)) }

// Top selects the first row.
func (t *Table) Top() { t.SetCursor(0) }

// Bottom selects the last row.
func (t *Table) Bottom() { t.SetCursor(t.n - 1) }

// ToggleMark marks row i, or unmarks it if it was marked. Rows out of range
// are ignored.
func (t *Table) ToggleMark(i int) {
	if i < 0 || i >= t.n {
		return
	}
	k := t.key(i)
	if _, ok := t.marks[k]; ok {
		delete(t.marks, k)
		return
	}
	t.marks[k] = struct{}{}
}

// MarkAll marks every row in indices; rows out of range are ignored.
func (t *Table) MarkAll(indices []int) {
	for _, i := range indices {
		if i >= 0 && i < t.n {
			t.marks[t.key(i)] = struct{}{}
		}
	}
}

// ClearMarks unmarks everything.
func (t *Table) ClearMarks() {
	clear(t.marks)
}

// Marked reports whether row i is marked.
func (t *Table) Marked(i int) bool {
	if i < 0 || i >= t.n || len(t.marks) == 0 {
		return false
	}
	_, ok := t.marks[t.key(i)]
	return ok
}

// MarkedCount returns how many rows are marked, including marked rows that
// the current source filters out.
func (t *Table) MarkedCount() int { return len(t.marks) }

// MarkedIDs returns the identities (see SetID) of the marked rows, sorted.
func (t *Table) MarkedIDs() []string {
	ids := make([]string, 0, len(t.marks))
	for k := range t.marks {
		ids = append(ids, k)
	}
	slices.Sort(ids)
	return ids
}

// key returns the identity of row i.
func (t *Table) key(i int) string {
	if t.id != nil {
		return t.id(i)
	}
	return strconv.Itoa(i)
}

// pageSize is the number of rows on screen, at least 1.
func (t *Table) pageSize() int {
	return max(t.height-1, 1)
}

// follow moves the viewport so that the cursor is visible and the screen is
// as full as the row count allows.
func (t *Table) follow() {
	vis := t.pageSize()
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+vis {
		t.offset = t.cursor - vis + 1
	}
	t.offset = clamp(t.offset, 0, t.n-vis)
}

// scroll moves the viewport and the cursor by d rows.
func (t *Table) scroll(d int) {
	t.offset = clamp(t.offset+d, 0, t.n-t.pageSize())
	t.SetCursor(t.cursor + d)
}

// clamp limits v to [lo, hi]; when hi < lo it returns lo.
func clamp(v, lo, hi int) int {
	return max(min(v, hi), lo)
}

// layout computes the widths of the shown columns for the current width.
func (t *Table) layout() {
	t.widths = t.widths[:0]
	avail := t.width - gutterWidth
	if avail <= 0 || len(t.cols) == 0 {
		return
	}
	used := 0
	for i, c := range t.cols {
		need := minWidth(c)
		if i > 0 {
			need += columnGap
		}
		if used+need > avail {
			break
		}
		used += need
		t.widths = append(t.widths, minWidth(c))
	}
	if len(t.widths) == 0 {
		// Not even the first column fits: give it what there is.
		t.widths = append(t.widths, avail)
		return
	}
	extra := avail - used
	for extra > 0 {
		totalFlex := 0
		for i, w := range t.widths {
			if c := t.cols[i]; c.Flex > 0 && !capped(c, w) {
				totalFlex += c.Flex
			}
		}
		if totalFlex == 0 {
			break
		}
		given := 0
		for i, w := range t.widths {
			c := t.cols[i]
			if c.Flex <= 0 || capped(c, w) {
				continue
			}
			share := extra * c.Flex / totalFlex
			if c.Max > 0 {
				share = min(share, c.Max-w)
			}
			t.widths[i] += share
			given += share
		}
		if given == 0 {
			// Shares rounded down to nothing: hand out single cells.
			for i, w := range t.widths {
				if c := t.cols[i]; c.Flex > 0 && !capped(c, w) && given < extra {
					t.widths[i]++
					given++
				}
			}
		}
		extra -= given
	}
}

// minWidth is the width column c needs.
func minWidth(c Column) int {
	if c.Min > 0 {
		return c.Min
	}
	return max(ansi.StringWidth(c.Title), 1)
}

// capped reports whether column c at width w may not grow.
func capped(c Column, w int) bool {
	return c.Max > 0 && w >= c.Max
}

// View draws the header and the visible rows: exactly height lines, each
// exactly width cells wide. Its cost depends on the size of the screen, not
// on the number of rows.
func (t *Table) View() string {
	if t.width <= 0 || t.height <= 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(t.height * (t.width + 32))
	t.writeHeader(&b)
	for i := range t.height - 1 {
		b.WriteByte('\n')
		row := t.offset + i
		switch {
		case row < t.n:
			t.writeRow(&b, row)
		case t.n == 0 && i == 0:
			t.writeEmpty(&b)
		default:
			writeSpaces(&b, t.width)
		}
	}
	return b.String()
}

// writeHeader draws the header line.
func (t *Table) writeHeader(b *strings.Builder) {
	t.pending = t.pending[:0]
	t.pendingSpaces(min(gutterWidth, t.width))
	for i, w := range t.widths {
		if i > 0 {
			t.pendingSpaces(columnGap)
		}
		c := t.cols[i]
		title := sanitize.String(c.Title)
		arrow := ""
		if i == t.sortCol {
			arrow = sortAsc
			if t.sortDesc {
				arrow = sortDesc
			}
			if w < 3 {
				// No room for a title character and " ▲": arrow only.
				arrow = strings.TrimPrefix(arrow, " ")
			}
		}
		aw := ansi.StringWidth(arrow)
		text, tw, cut := fit(title, w-aw)
		if cut {
			tw++
		}
		left, right := pads(w-tw-aw, c.Align)
		t.pendingSpaces(left)
		t.pending = append(t.pending, text...)
		if cut {
			t.pending = append(t.pending, ellipsis...)
		}
		t.pending = append(t.pending, arrow...)
		t.pendingSpaces(right)
	}
	t.padLine()
	b.WriteString(t.styles.Header.Render(string(t.pending)))
}

// writeRow draws row.
func (t *Table) writeRow(b *strings.Builder, row int) {
	selected := row == t.cursor
	marked := t.Marked(row)
	kind := rowPlain
	switch {
	case selected && marked:
		kind = rowSelectedMarked
	case selected:
		kind = rowSelected
	case marked:
		kind = rowMarked
	}
	base, match := t.base[kind], t.match[kind]

	t.pending = t.pending[:0]
	gutter := [gutterWidth]byte{' ', ' ', ' '}
	if selected {
		gutter[0] = cursorMarker
	}
	if marked {
		gutter[1] = markMarker
	}
	t.pending = append(t.pending, gutter[:min(gutterWidth, t.width)]...)
	for col, w := range t.widths {
		if col > 0 {
			t.pendingSpaces(columnGap)
		}
		raw := ""
		if t.cell != nil {
			raw = t.cell(row, col)
		}
		s := sanitize.String(raw)
		var hl []int
		if t.highlight != nil && s == raw {
			// Indices refer to the raw text; if sanitising changed it
			// they may point at the wrong runes, so drop them.
			hl = t.highlight(row, col)
		}
		text, tw, cut := fit(s, w)
		if cut {
			tw++
		}
		left, right := pads(w-tw, t.cols[col].Align)
		t.pendingSpaces(left)
		if len(hl) == 0 {
			t.pending = append(t.pending, text...)
		} else {
			t.writeHighlighted(b, text, hl, base, match)
		}
		if cut {
			t.pending = append(t.pending, ellipsis...)
		}
		t.pendingSpaces(right)
	}
	t.padLine()
	t.flush(b, base)
}

// writeHighlighted appends text to the line, drawing the runes whose index
// is in hl (increasing) with match and the others with base.
func (t *Table) writeHighlighted(b *strings.Builder, text string, hl []int, base, match lipgloss.Style) {
	k, ri, start := 0, 0, 0
	inMatch := false
	for bi := range text { // bi: byte offset of rune number ri
		for k < len(hl) && hl[k] < ri {
			k++
		}
		isMatch := k < len(hl) && hl[k] == ri
		if isMatch != inMatch {
			t.emit(b, text[start:bi], inMatch, base, match)
			start, inMatch = bi, isMatch
		}
		ri++
	}
	t.emit(b, text[start:], inMatch, base, match)
}

// emit appends s to the line: unstyled text is collected, matched text is
// drawn at once after flushing what was collected.
func (t *Table) emit(b *strings.Builder, s string, matched bool, base, match lipgloss.Style) {
	if !matched {
		t.pending = append(t.pending, s...)
		return
	}
	if s == "" {
		return
	}
	t.flush(b, base)
	b.WriteString(match.Render(s))
}

// flush draws the collected text with style and empties the collection.
func (t *Table) flush(b *strings.Builder, style lipgloss.Style) {
	if len(t.pending) > 0 {
		b.WriteString(style.Render(string(t.pending)))
	}
	t.pending = t.pending[:0]
}

// writeEmpty draws the empty-state line.
func (t *Table) writeEmpty(b *strings.Builder) {
	t.pending = t.pending[:0]
	g := min(gutterWidth, t.width)
	t.pendingSpaces(g)
	text, tw, cut := fit(sanitize.String(t.empty), t.width-g)
	t.pending = append(t.pending, text...)
	if cut {
		t.pending = append(t.pending, ellipsis...)
		tw++
	}
	t.pendingSpaces(t.width - g - tw)
	t.flush(b, t.styles.Cell)
}

// padLine pads a header or row line, whose columns are exactly as wide as
// the layout says, with spaces to the table width.
func (t *Table) padLine() {
	used := min(gutterWidth, t.width)
	for i, w := range t.widths {
		if i > 0 {
			used += columnGap
		}
		used += w
	}
	t.pendingSpaces(t.width - used)
}

// pendingSpaces appends n spaces to the line being built.
func (t *Table) pendingSpaces(n int) {
	for range n {
		t.pending = append(t.pending, ' ')
	}
}

// writeSpaces writes n spaces to b.
func writeSpaces(b *strings.Builder, n int) {
	for range n {
		b.WriteByte(' ')
	}
}

// pads splits gap cells of padding into left and right according to align.
func pads(gap int, align lipgloss.Position) (left, right int) {
	if gap <= 0 {
		return 0, 0
	}
	a := min(max(float64(align), 0), 1)
	left = int(float64(gap)*a + 0.5)
	if a == float64(lipgloss.Center) {
		left = gap / 2
	}
	return left, gap - left
}

// fit truncates s to at most w cells. When it has to cut, it returns the
// prefix that leaves one cell for the ellipsis (which the caller appends),
// the prefix's width and cut == true; otherwise s, its width and false.
func fit(s string, w int) (text string, width int, cut bool) {
	if w <= 0 {
		return "", 0, false
	}
	if isASCII(s) {
		if len(s) <= w {
			return s, len(s), false
		}
		return s[:w-1], w - 1, true
	}
	sw := ansi.StringWidth(s)
	if sw <= w {
		return s, sw, false
	}
	p := ansi.Truncate(s, w-1, "")
	return p, ansi.StringWidth(p), true
}

// isASCII reports whether s is all ASCII (after sanitising: printable, one
// cell per byte).
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
