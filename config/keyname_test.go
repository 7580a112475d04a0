package config

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

func TestCheckKeyAccepts(t *testing.T) {
	for _, k := range []string{
		"q", "G", "?", ":", "/", "1", "é", "+", "-",
		"enter", "esc", "tab", "space", "backspace", "delete", "insert",
		"up", "down", "left", "right", "home", "end", "pgup", "pgdown", "f1", "f12", "f20", "f63",
		"ctrl+a", "ctrl+c", "alt+x", "ctrl+alt+x", "ctrl+shift+a", "alt+shift+a", "ctrl+alt+shift+a",
		"shift+tab", "shift+up", "ctrl+space", "shift+space", "ctrl+enter", "alt+f4", "ctrl++", "alt+?",
	} {
		if err := CheckKey(k); err != nil {
			t.Errorf("CheckKey(%q) = %v, want nil", k, err)
		}
	}
}

func TestCheckKeyRejects(t *testing.T) {
	for _, tc := range []struct{ key, msg string }{
		{"ctrl+zz", `"ctrl+zz" is not a key`},
		{"zz", `"zz" is not a key`},
		{"ctrl+", `"ctrl+" names no key after ctrl+`},
		{"escape", `did you mean "esc"?`},
		{"return", `did you mean "enter"?`},
		{"pgdn", `did you mean "pgdown"?`},
		{"Enter", `did you mean "enter"?`},
		{"f0", `"f0" is not a key`},
		{"f64", `"f64" is not a key`},
		{"ctrl+ctrl+a", "repeats ctrl+"},
		{"alt+ctrl+a", `write the modifiers in the order ctrl+, alt+, shift+ ("ctrl+alt+a")`},
		{"shift+ctrl+tab", `("ctrl+shift+tab")`},
		{"Ctrl+a", "modifiers are written in lower case"},
		{"CTRL+A", "modifiers are written in lower case"},
		{"meta+a", "only ctrl+, alt+ and shift+"},
		{"super+x", "only ctrl+, alt+ and shift+"},
		{"shift+a", `write "A"`},
		{"shift+1", "write the character it types"},
		{"ctrl+A", `write "ctrl+shift+a"`},
		{"\x01", "not a printable character"},
		{"\u202e", "not a printable character"},
		{"a\tb", `is not a key`},
	} {
		err := CheckKey(tc.key)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("CheckKey(%q) = %v, want an error containing %q", tc.key, err, tc.msg)
		}
	}
}

// TestNamedKeysAreWhatBubbleTeaSends keeps the key names in step with
// Bubble Tea: every name CheckKey accepts is what tea.KeyPressMsg.String()
// gives for some key, alone and with modifiers.
func TestNamedKeysAreWhatBubbleTeaSends(t *testing.T) {
	produced := map[string]rune{}
	for code := tea.KeyExtended + 1; code < tea.KeyExtended+1000; code++ {
		produced[tea.KeyPressMsg{Code: code}.String()] = code
	}
	produced[tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}.String()] = tea.KeySpace
	produced[tea.KeyPressMsg{Code: tea.KeyTab}.String()] = tea.KeyTab
	produced[tea.KeyPressMsg{Code: tea.KeyEnter}.String()] = tea.KeyEnter
	produced[tea.KeyPressMsg{Code: tea.KeyEscape}.String()] = tea.KeyEscape
	produced[tea.KeyPressMsg{Code: tea.KeyBackspace}.String()] = tea.KeyBackspace
	for _, name := range namedKeys() {
		code, ok := produced[name]
		if !ok {
			t.Errorf("CheckKey accepts %q, but Bubble Tea sends no key by that name", name)
			continue
		}
		for _, m := range []struct {
			mod    tea.KeyMod
			prefix string
		}{{tea.ModCtrl, "ctrl+"}, {tea.ModAlt, "alt+"}, {tea.ModShift, "shift+"}, {tea.ModCtrl | tea.ModAlt | tea.ModShift, "ctrl+alt+shift+"}} {
			got := tea.KeyPressMsg{Code: code, Mod: m.mod}.String()
			if got != m.prefix+name {
				t.Errorf("Bubble Tea names %s%s %q", m.prefix, name, got)
			}
			if err := CheckKey(got); err != nil {
				t.Errorf("CheckKey(%q) = %v", got, err)
			}
		}
	}
	for _, want := range []string{"enter", "esc", "tab", "space", "backspace", "delete", "insert", "up", "down", "left", "right", "home", "end", "pgup", "pgdown", "f1", "f20"} {
		if err := CheckKey(want); err != nil {
			t.Errorf("CheckKey(%q) = %v", want, err)
		}
	}

	// Printable keys as the decoder reports them.
	for _, tc := range []struct {
		msg  tea.KeyPressMsg
		want string
		ok   bool
	}{
		{tea.KeyPressMsg{Code: 'a', Text: "a"}, "a", true},
		{tea.KeyPressMsg{Code: 'a', ShiftedCode: 'A', Text: "A", Mod: tea.ModShift}, "A", true},
		{tea.KeyPressMsg{Code: 'a', Mod: tea.ModCtrl}, "ctrl+a", true},
		{tea.KeyPressMsg{Code: 'x', Mod: tea.ModAlt}, "alt+x", true},
		{tea.KeyPressMsg{Code: 'a', ShiftedCode: 'A', Mod: tea.ModShift | tea.ModAlt}, "alt+shift+a", true},
		{tea.KeyPressMsg{Code: 'a', ShiftedCode: 'A', Mod: tea.ModShift | tea.ModCtrl}, "ctrl+shift+a", true},
		{tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}, "shift+tab", true},
		{tea.KeyPressMsg{Code: tea.KeySpace, Mod: tea.ModCtrl}, "ctrl+space", true},
	} {
		got := tea.KeyPressMsg(tc.msg).String()
		if got != tc.want {
			t.Errorf("Bubble Tea names %+v %q, want %q", tc.msg, got, tc.want)
		}
		if err := CheckKey(got); (err == nil) != tc.ok {
			t.Errorf("CheckKey(%q) = %v", got, err)
		}
	}
}

func TestParseRejectsUnknownKeyName(t *testing.T) {
	_, err := Parse("c.yaml", []byte("theme: dark\nkeys:\n  quit: [q, ctrl+c]\n  mark_all:\n    - ctrl+a\n    - ctrl+zz\n"))
	want := `c.yaml:6: keys.mark_all: "ctrl+zz" is not a key`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("Parse = %v, want %s…", err, want)
	}
}
