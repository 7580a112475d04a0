package dialog_test

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/ui/dialog"
)

// Compile-time checks of which optional interfaces each dialog has.
var (
	_ dialog.Opener = (*dialog.Confirm)(nil)
	_ dialog.Texter = (*dialog.Confirm)(nil)
	_ dialog.Opener = (*dialog.Form)(nil)
	_ dialog.Texter = (*dialog.Form)(nil)
	_ dialog.Opener = (*dialog.Picker)(nil)
	_ dialog.Texter = (*dialog.Picker)(nil)
	_ dialog.Dialog = (*dialog.Progress)(nil)
	_ dialog.Closer = (*dialog.Secret)(nil)
)

func TestConfirmAnswers(t *testing.T) {
	for _, tc := range []struct {
		key       string
		yes, done bool
	}{
		{"y", true, true}, {"Y", true, true}, {"enter", true, true},
		{"n", false, true}, {"N", false, true}, {"esc", false, true},
		{"x", false, false}, {"space", false, false},
	} {
		yes := false
		c := dialog.NewConfirm("Delete?", "It goes.", func() tea.Cmd { yes = true; return answerCmd("yes") })
		cmd, done := press(t, c, tc.key)
		if yes != tc.yes || done != tc.done {
			t.Errorf("%s: yes=%v done=%v, want yes=%v done=%v", tc.key, yes, done, tc.yes, tc.done)
		}
		if tc.yes && msgOf(cmd) != answer("yes") {
			t.Errorf("%s: cmd gave %v, want onYes's", tc.key, msgOf(cmd))
		}
	}
}

func TestConfirmOnNo(t *testing.T) {
	var got []string
	mk := func() *dialog.Confirm {
		c := dialog.NewConfirm("Create", "Private or public?", func() tea.Cmd { got = append(got, "yes"); return nil })
		c.OnNo = func() tea.Cmd { got = append(got, "no"); return answerCmd("no") }
		c.Keys = "y private · n public · esc cancel"
		return c
	}
	c := mk()
	if v := view(t, c, 80, 24); !strings.Contains(v, "y private · n public · esc cancel") {
		t.Errorf("Keys not drawn:\n%s", v)
	}
	if c.Hint() != c.Keys {
		t.Errorf("Hint = %q, want Keys", c.Hint())
	}
	cmd, done := press(t, c, "n")
	if !done || msgOf(cmd) != answer("no") {
		t.Errorf("n: done=%v cmd=%v", done, msgOf(cmd))
	}
	_, done = press(t, mk(), "esc")
	if !done || strings.Join(got, ",") != "no" {
		t.Errorf("esc: done=%v answers %v, want only the n answer", done, got)
	}
	if c.TakesText() {
		t.Error("a y/n question takes text")
	}
	if c.Open(80) != nil {
		t.Error("a y/n question started a Cmd on open")
	}
}

func TestTypedConfirm(t *testing.T) {
	yes := 0
	c := dialog.NewTyped("Delete repository acme/web", "Every tag goes.", "acme/web", func() tea.Cmd { yes++; return nil })
	if !c.Danger || !c.TakesText() {
		t.Errorf("Danger=%v TakesText=%v, want both", c.Danger, c.TakesText())
	}
	if c.Open(80) == nil {
		t.Error("Open gave no blink")
	}
	if v := view(t, c, 80, 24); !strings.Contains(v, "Type acme/web to confirm:") || !strings.Contains(v, "enter confirm · esc cancel") {
		t.Errorf("view:\n%s", v)
	}
	if _, done := press(t, c, "enter"); done || yes != 0 {
		t.Fatalf("enter on an empty input: done=%v yes=%d", done, yes)
	}
	if v := view(t, c, 80, 24); !strings.Contains(v, "Type the name exactly, or press esc to cancel.") {
		t.Errorf("no complaint after a wrong enter:\n%s", v)
	}
	typeText(t, c, "acme/w")
	if v := view(t, c, 80, 24); !strings.Contains(v, "the name does not match yet") {
		t.Errorf("partial name not flagged:\n%s", v)
	}
	if _, done := press(t, c, "enter"); done || yes != 0 {
		t.Fatalf("enter on a partial name: done=%v yes=%d", done, yes)
	}
	typeText(t, c, "eb")
	if _, done := press(t, c, "enter"); !done || yes != 1 {
		t.Fatalf("enter on the name: done=%v yes=%d", done, yes)
	}
	// y and n are text here, not answers.
	c = dialog.NewTyped("t", "b", "yn", func() tea.Cmd { yes++; return nil })
	typeText(t, c, "yn")
	if yes != 1 {
		t.Error("typing y answered the typed confirmation")
	}
}

func TestPrompt(t *testing.T) {
	checks := 0
	check := func(s string) error {
		checks++
		if strings.ContainsAny(s, "!") {
			return errors.New("no exclamation marks")
		}
		return nil
	}
	var got []string
	c := dialog.NewPrompt("Description", "A line about it.", "old", 10, check,
		func(v string) tea.Cmd { got = append(got, v); return answerCmd(v) })
	if !c.TakesText() || c.Open(80) == nil {
		t.Fatal("a prompt must take text and blink")
	}
	if v := view(t, c, 80, 24); !strings.Contains(v, "> old") || strings.Contains(v, "exclamation") {
		t.Errorf("view:\n%s", v)
	}
	typeText(t, c, "!")
	if checks == 0 {
		t.Error("check did not run as the value was typed")
	}
	if v := view(t, c, 80, 24); !strings.Contains(v, "no exclamation marks") {
		t.Errorf("check's error not shown while typing:\n%s", v)
	}
	if _, done := press(t, c, "enter"); done || len(got) != 0 {
		t.Fatalf("enter with a failing check: done=%v got=%v", done, got)
	}
	if v := view(t, c, 80, 24); !strings.Contains(v, "no exclamation marks") {
		t.Errorf("check's error gone after enter:\n%s", v)
	}
	press(t, c, "backspace")
	if v := view(t, c, 80, 24); strings.Contains(v, "exclamation") {
		t.Errorf("error still shown once the value passes:\n%s", v)
	}
	typeText(t, c, " and much more")
	cmd, done := press(t, c, "enter")
	if !done || len(got) != 1 || got[0] != "old and mu" || msgOf(cmd) != answer("old and mu") {
		t.Errorf("enter: done=%v got=%q (limit 10)", done, got)
	}
	if _, done := press(t, dialog.NewPrompt("t", "b", "", 0, nil, func(string) tea.Cmd { return nil }), "esc"); !done {
		t.Error("esc did not cancel a prompt")
	}
}

func TestConfirmViewFitsAndIsSanitised(t *testing.T) {
	title := "Delete evil\x1b]0;owned\x07\u202e name"
	body := strings.Repeat("word ", 200) + "\x1b[2Jcleared"
	c := dialog.NewConfirm(title, body, nil)
	raw := c.View(th, 50, 12)
	for _, bad := range []string{"\x1b]0;", "\x1b[2J", "\u202e", "\a"} {
		if strings.Contains(raw, bad) {
			t.Errorf("view contains %q", bad)
		}
	}
	v := view(t, c, 50, 12)
	if !strings.Contains(v, "Delete evil") || !strings.Contains(v, "y/enter yes · n/esc no") {
		t.Errorf("title or hint missing from a cut view:\n%s", v)
	}
	for _, l := range strings.Split(v, "\n") {
		if w := len([]rune(l)); w > min(60, 50-8)+4 {
			t.Errorf("box line %q is %d wide", l, w)
		}
	}
	// A long prompt value stays inside the box.
	p := dialog.NewPrompt("t", "b", strings.Repeat("x", 200), 0, nil, func(string) tea.Cmd { return nil })
	p.Open(40)
	view(t, p, 40, 20)
}
