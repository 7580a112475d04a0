package dialog_test

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/ui/dialog"
)

// lower fails on anything but lowercase letters, digits and dashes, and
// on an empty value.
func lower(s string) error {
	if s == "" {
		return errors.New("name is required")
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return fmt.Errorf("%q is not allowed in a name", r)
		}
	}
	return nil
}

// newTestForm is a form for a repository: name, visibility, description
// and a token; submitted values land in *got.
func newTestForm(got *[]map[string]string) *dialog.Form {
	return dialog.NewForm("New repository", "In acme.", []dialog.Field{
		{Key: "name", Label: "Name", Help: "lowercase letters, digits and dashes", Check: lower},
		{Key: "visibility", Label: "Visibility", Choices: []string{"private", "public"}, Initial: "public"},
		{Key: "description", Label: "Description", Initial: "a repo", Limit: 20},
		{Key: "token", Label: "Token", Secret: true},
	}, func(v map[string]string) tea.Cmd {
		*got = append(*got, v)
		return answerCmd("submitted")
	})
}

func TestFormSubmit(t *testing.T) {
	var got []map[string]string
	f := newTestForm(&got)
	if f.Open(80) == nil || !f.TakesText() {
		t.Fatal("a form with text fields must blink and take text")
	}
	typeText(t, f, "web")
	press(t, f, "tab")
	if f.TakesText() {
		t.Error("a selector takes text")
	}
	if v := view(t, f, 80, 40); !strings.Contains(v, "‹ public ›") {
		t.Errorf("selector not drawn with its initial choice:\n%s", v)
	}
	press(t, f, "space")
	if v := view(t, f, 80, 40); !strings.Contains(v, "‹ private ›") {
		t.Errorf("space did not cycle the selector:\n%s", v)
	}
	press(t, f, "right")
	press(t, f, "left")
	press(t, f, "down")
	typeText(t, f, "!")
	press(t, f, "tab")
	typeText(t, f, "hunter2")
	if v := view(t, f, 80, 40); strings.Contains(v, "hunter2") {
		t.Errorf("secret field shows what was typed:\n%s", v)
	}
	cmd, done := press(t, f, "enter")
	want := map[string]string{"name": "web", "visibility": "private", "description": "a repo!", "token": "hunter2"}
	if !done || len(got) != 1 || !maps.Equal(got[0], want) || msgOf(cmd) != answer("submitted") {
		t.Fatalf("enter on the last field: done=%v got=%v, want %v", done, got, want)
	}
	if !maps.Equal(f.Values(), want) {
		t.Errorf("Values after submit = %v", f.Values())
	}
}

func TestFormChecks(t *testing.T) {
	var got []map[string]string
	f := newTestForm(&got)
	f.Open(80)
	typeText(t, f, "Web")
	if v := view(t, f, 80, 40); !strings.Contains(v, `'W' is not allowed in a name`) {
		t.Errorf("check's error not shown as typed:\n%s", v)
	}
	// Move away and submit with ctrl+s: refused, focus back on the name.
	press(t, f, "tab")
	press(t, f, "tab")
	if _, done := press(t, f, "ctrl+s"); done || len(got) != 0 {
		t.Fatalf("ctrl+s with a failing field: done=%v got=%v", done, got)
	}
	if v := view(t, f, 80, 40); !strings.Contains(v, "1 field needs fixing") {
		t.Errorf("no count of fields to fix:\n%s", v)
	}
	typeText(t, f, "x")
	if f.Values()["name"] != "Webx" {
		t.Errorf("after a refused submit, typing went to %v, not the failing name", f.Values())
	}
	for range 4 {
		press(t, f, "backspace")
	}
	if v := view(t, f, 80, 40); !strings.Contains(v, "name is required") {
		t.Errorf("empty name not flagged:\n%s", v)
	}
	typeText(t, f, "web")
	if v := view(t, f, 80, 40); strings.Contains(v, "needs fixing") || strings.Contains(v, "not allowed") {
		t.Errorf("fixed form still complains:\n%s", v)
	}
	// enter on a field that is not the last moves on rather than submitting.
	if _, done := press(t, f, "enter"); done || len(got) != 0 {
		t.Fatalf("enter on the first field submitted")
	}
	if _, done := press(t, f, "ctrl+s"); !done || len(got) != 1 {
		t.Fatalf("ctrl+s on a passing form: done=%v got=%v", done, got)
	}
}

func TestFormNavigation(t *testing.T) {
	var got []map[string]string
	f := newTestForm(&got)
	press(t, f, "shift+tab") // wraps to the token
	typeText(t, f, "t")
	press(t, f, "up") // description
	typeText(t, f, "d")
	press(t, f, "up")
	press(t, f, "up") // name
	typeText(t, f, "n")
	v := f.Values()
	if v["token"] != "t" || v["description"] != "a repod" || v["name"] != "n" {
		t.Errorf("values after moving about: %v", v)
	}
	if _, done := press(t, f, "esc"); !done || len(got) != 0 {
		t.Errorf("esc: done=%v got=%v", done, got)
	}
}

func TestFormSetError(t *testing.T) {
	var got []map[string]string
	f := newTestForm(&got)
	typeText(t, f, "taken")
	if _, done := press(t, f, "ctrl+s"); !done {
		t.Fatal("a passing form did not submit")
	}
	// The server says no; the caller reopens the same form.
	f.SetError("name", "a repository named taken already exists")
	f.SetError("", "the Hub is read-only today")
	f.Open(80)
	v := view(t, f, 80, 40)
	if !strings.Contains(v, "a repository named taken already exists") || !strings.Contains(v, "the Hub is read-only today") {
		t.Errorf("server errors not shown:\n%s", v)
	}
	if f.Values()["name"] != "taken" || f.Values()["description"] != "a repo" {
		t.Errorf("values lost on reopening: %v", f.Values())
	}
	if _, done := press(t, f, "ctrl+s"); done || len(got) != 1 {
		t.Errorf("submitted again with the server's error unanswered")
	}
	typeText(t, f, "2")
	if v := view(t, f, 80, 40); strings.Contains(v, "already exists") {
		t.Errorf("server error kept after the field changed:\n%s", v)
	}
	if _, done := press(t, f, "ctrl+s"); !done || len(got) != 2 || got[1]["name"] != "taken2" {
		t.Errorf("second submit: done=%v got=%v", done, got)
	}
}

func TestFormSetErrorMovesFocus(t *testing.T) {
	var got []map[string]string
	f := newTestForm(&got)
	f.SetError("description", "too dull")
	typeText(t, f, "!")
	if f.Values()["description"] != "a repo!" {
		t.Errorf("focus not on the field SetError named: %v", f.Values())
	}
}
