package dialog_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/ui/dialog"
)

var fruit = []dialog.Item{
	{ID: "1", Label: "banana", Detail: "yellow"},
	{ID: "2", Label: "apple pie"},
	{ID: "3", Label: "cherry"},
	{ID: "4", Label: "apple", Detail: "red"},
	{ID: "5", Label: "grape\x1b[2J"},
}

// pickerOf is a picker over fruit; picked ids land in *got.
func pickerOf(multi bool, chosen []string, got *[][]string) *dialog.Picker {
	return dialog.NewPicker("Fruit", fruit, chosen, multi, func(ids []string) tea.Cmd {
		*got = append(*got, ids)
		return answerCmd(strings.Join(ids, ","))
	})
}

// rowsOf is the labels of the rows drawn, in order.
func rowsOf(v string) []string {
	var rows []string
	for _, l := range strings.Split(v, "\n") {
		l = strings.Trim(l, "│ ")
		l = strings.TrimPrefix(l, "› ")
		l = strings.TrimPrefix(strings.TrimPrefix(l, "[x] "), "[ ] ")
		for _, it := range fruit {
			name := strings.SplitN(it.Label, "\x1b", 2)[0]
			if l == name || strings.HasPrefix(l, name+"  ") {
				rows = append(rows, name)
			}
		}
	}
	return rows
}

func TestPickerFilter(t *testing.T) {
	var got [][]string
	p := pickerOf(false, nil, &got)
	if !p.TakesText() || p.Open(80) == nil {
		t.Fatal("picker must take text and blink")
	}
	v := view(t, p, 80, 24)
	if r := rowsOf(v); !slices.Equal(r, []string{"banana", "apple pie", "cherry", "apple", "grape"}) {
		t.Errorf("unfiltered rows %v", r)
	}
	if !strings.Contains(v, "5 shown of 5") || strings.Contains(v, "chosen") {
		t.Errorf("status line:\n%s", v)
	}
	if raw := p.View(th, 80, 24); strings.Contains(raw, "\x1b[2J") {
		t.Error("an item's label was drawn unsanitised")
	}
	typeText(t, p, "apple")
	v = view(t, p, 80, 24)
	// "apple" matches itself better than "apple pie"; nothing else matches.
	if r := rowsOf(v); !slices.Equal(r, []string{"apple", "apple pie"}) {
		t.Errorf("rows for apple: %v\n%s", r, v)
	}
	if !strings.Contains(v, "2 shown of 5") {
		t.Errorf("status line:\n%s", v)
	}
	cmd, done := press(t, p, "enter")
	if !done || len(got) != 1 || !slices.Equal(got[0], []string{"4"}) || msgOf(cmd) != answer("4") {
		t.Fatalf("enter picked %v (done=%v), want the best match 4", got, done)
	}
	// Nothing shown: enter does nothing.
	p = pickerOf(false, nil, &got)
	typeText(t, p, "zzz")
	if v := view(t, p, 80, 24); !strings.Contains(v, "no match") || !strings.Contains(v, "0 shown of 5") {
		t.Errorf("empty filter view:\n%s", v)
	}
	if _, done := press(t, p, "enter"); done {
		t.Error("enter with no rows closed the picker")
	}
	if _, done := press(t, p, "esc"); !done || len(got) != 1 {
		t.Error("esc did not cancel")
	}
}

func TestPickerSingleMoves(t *testing.T) {
	var got [][]string
	p := pickerOf(false, []string{"3"}, &got) // the cursor starts on cherry
	press(t, p, "down")
	press(t, p, "ctrl+n")
	press(t, p, "ctrl+p")
	press(t, p, "down")
	press(t, p, "down") // stays on the last row
	press(t, p, "up")
	press(t, p, "enter")
	if len(got) != 1 || !slices.Equal(got[0], []string{"4"}) {
		t.Errorf("picked %v, want 4", got)
	}
	// In single mode space and ctrl+a are the filter's.
	p = pickerOf(false, nil, &got)
	press(t, p, "space")
	if v := view(t, p, 80, 24); !strings.Contains(v, "1 shown of 5") || strings.Contains(v, "chosen") {
		t.Errorf("space did not filter:\n%s", v)
	}
	press(t, p, "ctrl+a")
	typeText(t, p, "e")
	// The filter reads "e " (the space is a term separator, so the rows do
	// not tell); with the cursor left at the end it would read " e".
	if v := view(t, p, 80, 24); !strings.Contains(v, "> e ") || strings.Contains(v, ">  e") {
		t.Errorf("ctrl+a did not move to the start of the filter:\n%s", v)
	}
}

func TestPickerMulti(t *testing.T) {
	var got [][]string
	p := pickerOf(true, []string{"5"}, &got)
	if v := view(t, p, 80, 24); !strings.Contains(v, "1 chosen · 5 shown of 5") {
		t.Errorf("status:\n%s", v)
	}
	press(t, p, "down")
	press(t, p, "down")
	press(t, p, "space") // cherry
	press(t, p, "up")
	press(t, p, "up")
	press(t, p, "space") // banana
	press(t, p, "space") // banana off
	press(t, p, "space") // banana on
	cmd, done := press(t, p, "enter")
	if !done || !slices.Equal(got[0], []string{"1", "3", "5"}) || msgOf(cmd) != answer("1,3,5") {
		t.Fatalf("picked %v, want the chosen ids in the items' order", got)
	}

	// Nothing chosen: the cursor's row.
	p = pickerOf(true, nil, &got)
	press(t, p, "down")
	press(t, p, "enter")
	if !slices.Equal(got[1], []string{"2"}) {
		t.Errorf("none chosen: picked %v, want the cursor row", got[1])
	}

	// ctrl+a toggles the rows shown, and only those.
	p = pickerOf(true, []string{"1"}, &got)
	typeText(t, p, "apple")
	press(t, p, "ctrl+a")
	if v := view(t, p, 80, 24); !strings.Contains(v, "3 chosen · 2 shown of 5") {
		t.Errorf("after ctrl+a:\n%s", v)
	}
	press(t, p, "ctrl+a")
	if v := view(t, p, 80, 24); !strings.Contains(v, "1 chosen · 2 shown of 5") {
		t.Errorf("after a second ctrl+a:\n%s", v)
	}
	press(t, p, "ctrl+a")
	for range 5 {
		press(t, p, "backspace")
	}
	press(t, p, "enter")
	if !slices.Equal(got[2], []string{"1", "2", "4"}) {
		t.Errorf("picked %v", got[2])
	}
}

// bigPicker is a picker over n numbered items.
func bigPicker(n int) *dialog.Picker {
	items := make([]dialog.Item, n)
	for i := range items {
		items[i] = dialog.Item{ID: fmt.Sprint(i), Label: fmt.Sprintf("item %06d", i), Detail: "detail"}
	}
	return dialog.NewPicker("Many", items, nil, true, func([]string) tea.Cmd { return nil })
}

func TestPickerWindow(t *testing.T) {
	p := bigPicker(1000)
	const h = 16
	for range 500 {
		press(t, p, "down")
	}
	v := view(t, p, 80, h)
	n := strings.Count(v, "item 0")
	if n == 0 || n > h-6 {
		t.Errorf("%d rows drawn in %d lines, want 1..%d", n, h, h-6)
	}
	if !strings.Contains(v, "› [ ] item 000500") {
		t.Errorf("cursor row not drawn:\n%s", v)
	}
	press(t, p, "space")
	if v := view(t, p, 80, h); !strings.Contains(v, "› [x] item 000500") || !strings.Contains(v, "1 chosen · 1000 shown of 1000") {
		t.Errorf("after space:\n%s", v)
	}
}

func TestPickerViewCostDoesNotGrowWithItems(t *testing.T) {
	allocs := func(n int) float64 {
		p := bigPicker(n)
		typeText(t, p, "item")
		for range 3 {
			press(t, p, "down")
		}
		return testing.AllocsPerRun(20, func() { p.View(th, 80, 20) })
	}
	small, big := allocs(50), allocs(50000)
	if big > small+5 {
		t.Errorf("View allocates %v times over 50000 items, %v over 50", big, small)
	}
}

func BenchmarkPickerView(b *testing.B) {
	p := bigPicker(100000)
	for b.Loop() {
		p.View(th, 100, 40)
	}
}
