package dialog_test

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/ui/dialog"
)

// TestTextAreaKeepsLongText: a README of hundreds of lines is edited whole.
func TestTextAreaKeepsLongText(t *testing.T) {
	long := strings.Repeat("a line of the README\n", 400) + "the end"
	var got string
	d := dialog.NewTextArea("README", "", long, 25000, func(s string) tea.Cmd { got = s; return nil })
	d.Open(80)
	typeText(t, d, "!")
	press(t, d, "ctrl+s")
	if strings.Count(got, "\n") != 400 || !strings.Contains(got, "the end") {
		t.Fatalf("the text area kept %d lines", strings.Count(got, "\n")+1)
	}
}
