package table

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// plainStyles draw nothing but text, so View output can be compared as is.
func plainStyles() Styles {
	return Styles{
		Header:   lipgloss.NewStyle(),
		Cell:     lipgloss.NewStyle(),
		Selected: lipgloss.NewStyle(),
		Marked:   lipgloss.NewStyle(),
		Match:    lipgloss.NewStyle(),
	}
}

// numbered returns a table of n rows "row-<i>" in one flexible column.
func numbered(n, w, h int) *Table {
	t := New([]Column{{Title: "NAME", Min: 4, Flex: 1}})
	t.SetStyles(plainStyles())
	t.SetSize(w, h)
	t.SetSource(n, func(row, _ int) string { return fmt.Sprintf("row-%d", row) })
	return t
}

// lines returns View split into lines with styling removed.
func lines(t *Table) []string {
	return strings.Split(ansi.Strip(t.View()), "\n")
}

func checkPos(t *testing.T, tb *Table, step string, cursor, offset int) {
	t.Helper()
	if tb.Cursor() != cursor || tb.Offset() != offset {
		t.Fatalf("after %s: cursor %d offset %d, want cursor %d offset %d",
			step, tb.Cursor(), tb.Offset(), cursor, offset)
	}
}

func TestCursorAndViewport(t *testing.T) {
	tb := numbered(100, 40, 11) // 10 rows on screen
	checkPos(t, tb, "start", 0, 0)
	tb.MoveDown(5)
	checkPos(t, tb, "MoveDown(5)", 5, 0)
	tb.MoveDown(10)
	checkPos(t, tb, "MoveDown(10)", 15, 6)
	tb.MoveUp(3)
	checkPos(t, tb, "MoveUp(3)", 12, 6)
	tb.MoveUp(10)
	checkPos(t, tb, "MoveUp(10)", 2, 2)
	tb.PageDown()
	checkPos(t, tb, "PageDown", 12, 12)
	tb.HalfPageDown()
	checkPos(t, tb, "HalfPageDown", 17, 17)
	tb.HalfPageUp()
	checkPos(t, tb, "HalfPageUp", 12, 12)
	tb.PageUp()
	checkPos(t, tb, "PageUp", 2, 2)
	tb.PageUp()
	checkPos(t, tb, "PageUp at top", 0, 0)
	tb.Bottom()
	checkPos(t, tb, "Bottom", 99, 90)
	tb.PageDown()
	checkPos(t, tb, "PageDown at bottom", 99, 90)
	tb.MoveUp(4)
	tb.PageDown()
	checkPos(t, tb, "PageDown near bottom", 99, 90)
	tb.Top()
	checkPos(t, tb, "Top", 0, 0)
	tb.MoveUp(1000)
	checkPos(t, tb, "MoveUp past top", 0, 0)
	tb.MoveDown(1000)
	checkPos(t, tb, "MoveDown past bottom", 99, 90)
	tb.SetCursor(50)
	checkPos(t, tb, "SetCursor(50) from below", 50, 50)
	tb.SetCursor(-7)
	checkPos(t, tb, "SetCursor(-7)", 0, 0)

	got := lines(tb)
	if !strings.HasPrefix(got[1], ">  row-0") || !strings.HasPrefix(got[2], "   row-1") {
		t.Errorf("rows drawn as %q", got[:3])
	}
}

func TestClamping(t *testing.T) {
	tb := numbered(100, 40, 11)
	tb.SetCursor(95)
	checkPos(t, tb, "SetCursor(95)", 95, 86)
	tb.SetSource(30, tb.cell)
	checkPos(t, tb, "shrink to 30", 29, 20)
	tb.SetSource(5, tb.cell)
	checkPos(t, tb, "shrink to 5", 4, 0)
	tb.SetSource(0, tb.cell)
	checkPos(t, tb, "shrink to 0", 0, 0)
	tb.MoveDown(3)
	tb.PageDown()
	tb.Bottom()
	checkPos(t, tb, "moves on empty", 0, 0)
	tb.SetSource(100, tb.cell)
	tb.SetCursor(60)
	tb.SetSize(40, 4) // 3 rows on screen: the cursor stays visible
	checkPos(t, tb, "smaller window", 60, 58)
	tb.SetSize(40, 51) // 50 rows: the screen fills
	checkPos(t, tb, "bigger window", 60, 50)
	tb.SetSize(40, 1) // header only
	tb.MoveDown(1)
	checkPos(t, tb, "header-only window", 61, 61)
}

func TestViewLineCountAndWidth(t *testing.T) {
	for _, n := range []int{0, 1, 3, 1000} {
		for _, size := range [][2]int{{80, 24}, {120, 40}, {20, 5}, {3, 3}, {1, 2}, {50, 1}} {
			w, h := size[0], size[1]
			tb := New([]Column{
				{Title: "NAME", Min: 10, Flex: 2},
				{Title: "TAGS", Min: 5, Align: lipgloss.Right},
				{Title: "DESCRIPTION", Min: 12, Flex: 1, Max: 40},
			})
			tb.SetSize(w, h)
			tb.SetSort(1, true)
			tb.SetSource(n, func(row, col int) string {
				return [...]string{"acme/日本語-web", "1234", "A long description of the repository"}[col]
			})
			tb.SetHighlight(func(row, col int) []int { return []int{0, 5, 6, 30} })
			tb.MarkAll([]int{0, 2})
			tb.MoveDown(1)
			ls := strings.Split(tb.View(), "\n")
			if len(ls) != h {
				t.Errorf("n=%d %dx%d: %d lines, want %d", n, w, h, len(ls), h)
			}
			for i, l := range ls {
				if got := lipgloss.Width(l); got != w {
					t.Errorf("n=%d %dx%d: line %d %q is %d wide", n, w, h, i, ansi.Strip(l), got)
				}
			}
		}
	}
	if v := numbered(10, 0, 10).View(); v != "" {
		t.Errorf("zero width view = %q", v)
	}
}

func TestTruncationWideRunes(t *testing.T) {
	tests := []struct {
		w    int
		in   string
		want string
	}{
		{7, "日本語テキスト", "日本語…"},     // 6 + 1
		{6, "日本語テキスト", "日本… "},     // a wide rune does not fit in the last 1 cell
		{14, "日本語テキスト", "日本語テキスト"}, // exactly fits
		{5, "abcdefgh", "abcd…"},
		{5, "abcde", "abcde"},
		{5, "ab", "ab   "},
		{1, "abc", "…"},
		{4, "a😀bc", "a😀…"},
	}
	for _, tt := range tests {
		tb := New([]Column{{Title: "N", Min: tt.w}})
		tb.SetStyles(plainStyles())
		tb.SetSize(gutterWidth+tt.w, 2)
		tb.SetSource(1, func(int, int) string { return tt.in })
		got := lines(tb)[1][gutterWidth:]
		if got != tt.want {
			t.Errorf("width %d %q: got %q, want %q", tt.w, tt.in, got, tt.want)
		}
		if lipgloss.Width(got) != tt.w {
			t.Errorf("width %d %q: drawn %d wide", tt.w, tt.in, lipgloss.Width(got))
		}
	}
}

func TestAlignment(t *testing.T) {
	tb := New([]Column{
		{Title: "L", Min: 6},
		{Title: "C", Min: 6, Align: lipgloss.Center},
		{Title: "R", Min: 6, Align: lipgloss.Right},
	})
	tb.SetStyles(plainStyles())
	tb.SetSize(gutterWidth+20, 2)
	tb.SetSource(1, func(int, int) string { return "ab" })
	got := lines(tb)
	if want := "   L        C         R"; got[0] != want {
		t.Errorf("header %q, want %q", got[0], want)
	}
	if want := ">  ab       ab       ab"; got[1] != want {
		t.Errorf("row %q, want %q", got[1], want)
	}
}

func TestColumnWidthsAndDropping(t *testing.T) {
	cols := []Column{
		{Title: "NAME", Min: 10, Flex: 1},
		{Title: "TAGS", Min: 6},
		{Title: "DESCRIPTION", Min: 12, Flex: 2, Max: 30},
		{Title: "UPDATED", Min: 8},
	}
	tests := []struct {
		width int
		want  []int
	}{
		{gutterWidth + 10 + 1 + 6 + 1 + 12 + 1 + 8, []int{10, 6, 12, 8}}, // exactly the minimums
		{gutterWidth + 10 + 1 + 6 + 1 + 12 + 1 + 8 + 30, []int{22, 6, 30, 8}},
		{gutterWidth + 10 + 1 + 6 + 1 + 12 + 1 + 8 + 100, []int{100 - 18 + 10, 6, 30, 8}}, // DESCRIPTION capped
		{gutterWidth + 10 + 1 + 6 + 1 + 12 + 1 + 7, []int{10 + 3, 6, 12 + 5}},             // UPDATED dropped
		{gutterWidth + 10 + 1 + 6 + 1 + 11, []int{10 + 12, 6}},                            // DESCRIPTION too
		{gutterWidth + 10, []int{10}},
		{gutterWidth + 4, []int{4}}, // first column shrunk rather than dropped
		{gutterWidth, nil},
	}
	for _, tt := range tests {
		tb := New(cols)
		tb.SetSize(tt.width, 3)
		if !slices.Equal(tb.widths, tt.want) {
			t.Errorf("width %d: columns %v, want %v", tt.width, tb.widths, tt.want)
		}
		header := lines(tb)[0]
		for i, c := range cols {
			shown := strings.Contains(header, c.Title)
			if i >= len(tt.want) && shown {
				t.Errorf("width %d: dropped column %q in header %q", tt.width, c.Title, header)
			}
		}
	}
	// At 80 columns everything fits; at 30 only NAME and TAGS are shown.
	tb := New(cols)
	tb.SetSize(30, 3)
	tb.SetSource(1, func(_, col int) string { return cols[col].Title + "-cell" })
	v := ansi.Strip(tb.View())
	if strings.Contains(v, "DESCRIPTION") || strings.Contains(v, "UPDATED") || !strings.Contains(v, "TAGS") {
		t.Errorf("30 wide view:\n%s", v)
	}
}

func TestMarksSurviveReordering(t *testing.T) {
	data := []string{"acme/api", "acme/db", "acme/web", "acme/worker"}
	tb := New([]Column{{Title: "NAME", Min: 12}})
	tb.SetStyles(plainStyles())
	tb.SetSize(30, 6)
	setData := func(d []string) {
		tb.SetSource(len(d), func(row, _ int) string { return d[row] })
		tb.SetID(func(row int) string { return d[row] })
	}
	setData(data)
	tb.ToggleMark(1) // acme/db
	tb.MarkAll([]int{3, 99, -1})
	if tb.MarkedCount() != 2 || !tb.Marked(1) || !tb.Marked(3) || tb.Marked(0) {
		t.Fatalf("marks after marking: count %d", tb.MarkedCount())
	}

	reversed := slices.Clone(data)
	slices.Reverse(reversed) // worker, web, db, api
	setData(reversed)
	if !tb.Marked(0) || !tb.Marked(2) || tb.Marked(1) || tb.Marked(3) {
		t.Errorf("marks did not follow the rows after re-sorting")
	}
	got := lines(tb)
	if got[1] != ">* acme/worker"+strings.Repeat(" ", 30-14) || !strings.HasPrefix(got[3], " * acme/db") {
		t.Errorf("marked rows drawn as %q", got)
	}

	filtered := []string{"acme/web"} // marked rows filtered out stay marked
	setData(filtered)
	if tb.Marked(0) || tb.MarkedCount() != 2 {
		t.Errorf("filtered: Marked(0)=%v count=%d", tb.Marked(0), tb.MarkedCount())
	}
	if ids := tb.MarkedIDs(); !slices.Equal(ids, []string{"acme/db", "acme/worker"}) {
		t.Errorf("MarkedIDs = %v", ids)
	}
	tb.ToggleMark(0)
	tb.ToggleMark(0)
	if tb.MarkedCount() != 2 {
		t.Errorf("toggle twice changed the count to %d", tb.MarkedCount())
	}
	tb.ClearMarks()
	setData(data)
	if tb.MarkedCount() != 0 || tb.Marked(1) {
		t.Errorf("ClearMarks left %d marks", tb.MarkedCount())
	}
}

func TestSortIndicator(t *testing.T) {
	tb := New([]Column{{Title: "NAME", Min: 10}, {Title: "PULLS", Min: 8, Align: lipgloss.Right}, {Title: "X", Min: 1}})
	tb.SetStyles(plainStyles())
	tb.SetSize(40, 2)
	tb.SetSort(0, false)
	if h := lines(tb)[0]; !strings.Contains(h, "NAME ▲") {
		t.Errorf("header %q", h)
	}
	tb.SetSort(1, true)
	if h := lines(tb)[0]; !strings.Contains(h, " PULLS ▼") || strings.Contains(h, "▲") {
		t.Errorf("header %q", h)
	}
	tb.SetSort(2, true)
	if h := lines(tb)[0]; !strings.Contains(h, " ▼") || strings.Contains(h, "X") {
		t.Errorf("narrow sorted column header %q", h)
	}
	tb.SetSort(-1, false)
	if h := lines(tb)[0]; strings.ContainsAny(h, "▲▼") {
		t.Errorf("header %q", h)
	}
}

func TestEmptyState(t *testing.T) {
	tb := numbered(0, 30, 4)
	tb.SetEmpty("No repositories in \x1b[31macme\x1b[0m")
	got := lines(tb)
	if len(got) != 4 || got[1] != "   No repositories in acme    " {
		t.Errorf("empty view %q", got)
	}
	tb.SetEmpty("a message that is far too long for this narrow table")
	if got := lines(tb)[1]; lipgloss.Width(got) != 30 || !strings.HasSuffix(got, "…") {
		t.Errorf("long empty message %q", got)
	}
}

func TestCellsAreSanitised(t *testing.T) {
	tb := New([]Column{{Title: "NAME", Min: 20, Flex: 1}})
	tb.SetStyles(plainStyles())
	tb.SetSize(40, 3)
	tb.SetSource(2, func(row, _ int) string {
		return []string{"\x1b]52;c;ZXZpbA==\x07acme/web", "evil\u202e\x1b[2Jtxt.exe"}[row]
	})
	v := tb.View()
	if strings.ContainsAny(v, "\x1b\a\u202e") {
		t.Errorf("escape or bidi reached the view: %q", v)
	}
	if !strings.Contains(v, "acme/web") || !strings.Contains(v, "eviltxt.exe") {
		t.Errorf("view %q", v)
	}
}

func TestHighlight(t *testing.T) {
	st := plainStyles()
	st.Match = lipgloss.NewStyle().Bold(true)
	tb := New([]Column{{Title: "NAME", Min: 8}, {Title: "TAGS", Min: 4}})
	tb.SetStyles(st)
	tb.SetSize(20, 3)
	tb.SetSource(2, func(row, col int) string {
		return [][]string{{"café-api-long", "12"}, {"web", "3"}}[row][col]
	})
	tb.SetHighlight(func(row, col int) []int {
		if col != 0 {
			return nil
		}
		return []int{2, 3, 5, 12} // f, é, a; 12 is past the truncation
	})
	v := tb.View()
	if got := lines(tb); got[1] != ">  café-ap… 12      " {
		t.Errorf("row text %q", got[1])
	}
	if strings.Count(v, "\x1b[1m") != 3 { // "fé", "a" on row 0; "b" on row 1 (rune 2)
		t.Errorf("want 3 bold runs, got view %q", v)
	}
	if !strings.Contains(v, "\x1b[1mfé\x1b[m") && !strings.Contains(v, "\x1b[1mfé\x1b[0m") {
		t.Errorf("matched runes not styled together: %q", v)
	}
}

func TestSelectedRowStyled(t *testing.T) {
	tb := numbered(3, 20, 4)
	tb.SetStyles(DefaultStyles())
	tb.MoveDown(1)
	ls := strings.Split(tb.View(), "\n")
	if !strings.Contains(ls[2], "\x1b[7m") || strings.Contains(ls[1], "\x1b[7m") {
		t.Errorf("selected row not reversed: %q", ls)
	}
	if !strings.HasPrefix(ansi.Strip(ls[2]), ">") {
		t.Errorf("selected row has no marker: %q", ansi.Strip(ls[2]))
	}
}

// benchTable returns a 120x40 table of n realistic rows with the cursor at
// the bottom edge of the screen, so that every MoveDown scrolls.
func benchTable(n int) *Table {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("acme/payments-api-%d", i)
	}
	tb := New([]Column{
		{Title: "NAME", Min: 20, Flex: 2, Max: 48},
		{Title: "TAGS", Min: 5, Align: lipgloss.Right},
		{Title: "PULLS", Min: 8, Align: lipgloss.Right},
		{Title: "UPDATED", Min: 10},
		{Title: "DESCRIPTION", Min: 12, Flex: 3},
	})
	tb.SetSize(120, 40)
	tb.SetSort(2, true)
	tb.SetSource(n, func(row, col int) string {
		switch col {
		case 0:
			return names[row]
		case 1:
			return "42"
		case 2:
			return "1.2M"
		case 3:
			return "2 days ago"
		}
		return "Payment service API; handles card and bank transfers for the checkout flow"
	})
	tb.SetID(func(row int) string { return names[row] })
	tb.SetHighlight(func(row, col int) []int {
		if col == 0 {
			return []int{5, 6, 7}
		}
		return nil
	})
	tb.MarkAll([]int{n / 2, n/2 + 3, n/2 + 30})
	tb.SetCursor(n / 2)
	return tb
}

func benchViewMoveDown(b *testing.B, n int) {
	tb := benchTable(n)
	b.ReportAllocs()
	for b.Loop() {
		if tb.Cursor() == n-1 {
			tb.SetCursor(n / 2)
		}
		tb.MoveDown(1)
		_ = tb.View()
	}
}

func BenchmarkViewMoveDown100k(b *testing.B) { benchViewMoveDown(b, 100_000) }

func BenchmarkViewMoveDown1k(b *testing.B) { benchViewMoveDown(b, 1_000) }
