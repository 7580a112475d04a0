package dialog_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/ui/dialog"
)

func TestSearchHandsOnEachValue(t *testing.T) {
	var got []string
	s := dialog.NewSearch("Search", "the list follows", "al", func(v string, final bool) tea.Cmd {
		got = append(got, fmt.Sprintf("%s/%v", v, final))
		return nil
	})
	typeText(t, s, "ic")
	press(t, s, "left") // moves, changes nothing: nothing handed on
	if want := []string{"ali/false", "alic/false"}; !slices.Equal(got, want) {
		t.Fatalf("handed on %v, want %v", got, want)
	}
	if _, done := press(t, s, "enter"); !done {
		t.Fatal("enter did not close the box")
	}
	if got[len(got)-1] != "alic/true" {
		t.Fatalf("enter handed on %v", got)
	}

	got = nil
	s = dialog.NewSearch("Search", "", "al", func(v string, final bool) tea.Cmd {
		got = append(got, fmt.Sprintf("%s/%v", v, final))
		return nil
	})
	typeText(t, s, "x")
	if _, done := press(t, s, "esc"); !done {
		t.Fatal("esc did not close the box")
	}
	if want := []string{"alx/false", "al/true"}; !slices.Equal(got, want) {
		t.Fatalf("esc: handed on %v, want %v (the first value put back)", got, want)
	}
}

func TestSearchViewFitsAndIsSanitised(t *testing.T) {
	s := dialog.NewSearch("Search \x1b[31mred", "body", "q\x07", nil)
	for _, size := range [][2]int{{80, 24}, {40, 12}, {20, 8}} {
		v := view(t, s, size[0], size[1])
		if strings.Contains(v, "\x1b[31m") || strings.Contains(v, "\x07") {
			t.Fatalf("%v: raw control characters drawn: %q", size, v)
		}
	}
	if _, done := press(t, s, "enter"); !done {
		t.Fatal("enter with no callback did not close the box")
	}
}
