package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxFunctionKey is the highest function key Bubble Tea names (f63).
const maxFunctionKey = 63

// keyModifiers are the modifier prefixes accepted, in Bubble Tea's order.
func keyModifiers() []string { return []string{"ctrl+", "alt+", "shift+"} }

// baseKeyNames returns the named keys other than the function keys. Each is
// a name Bubble Tea gives a key (ultraviolet's keyTypeString table), so a
// binding to it can fire.
func baseKeyNames() []string {
	return []string{
		"enter", "esc", "tab", "space", "backspace", "delete", "insert",
		"up", "down", "left", "right", "home", "end", "pgup", "pgdown",
		"begin", "find", "select",
	}
}

// namedKeys returns every key name accepted besides single characters.
func namedKeys() []string {
	names := baseKeyNames()
	for i := 1; i <= maxFunctionKey; i++ {
		names = append(names, "f"+strconv.Itoa(i))
	}
	return names
}

// keyAliases maps names other programs use to the name Bubble Tea uses.
func keyAliases() map[string]string {
	return map[string]string{
		"escape": "esc", "return": "enter", "ret": "enter", "del": "delete", "ins": "insert",
		"pagedown": "pgdown", "pgdn": "pgdown", "page_down": "pgdown", "pageup": "pgup", "page_up": "pgup",
		"bs": "backspace", "spacebar": "space", "arrowup": "up", "arrowdown": "down",
		"arrowleft": "left", "arrowright": "right",
	}
}

// isNamedKey reports whether name is one of namedKeys.
func isNamedKey(name string) bool {
	if n, ok := strings.CutPrefix(name, "f"); ok && n != "" && n[0] >= '1' && n[0] <= '9' {
		if i, err := strconv.Atoi(n); err == nil {
			return i <= maxFunctionKey
		}
	}
	return slices.Contains(baseKeyNames(), name)
}

// CheckKey reports whether key is a key name hubtui can receive from the
// terminal, and says what is wrong (with a suggestion) when it is not.
//
// Key names are written as Bubble Tea v2 names key presses
// (tea.KeyPressMsg.String()), because that is what the key map compares
// them with: a name the terminal library never produces would leave its
// action unreachable.
//
//   - A printable character stands for itself: q, G, ?, é. Upper case is
//     how shift+letter arrives, so shift+a is written A.
//   - A named key: enter, esc, tab, space, backspace, delete, insert, up,
//     down, left, right, home, end, pgup, pgdown, begin, find, select and
//     f1 to f63.
//   - Either may follow the modifiers ctrl+, alt+ and shift+, each at most
//     once and in that order, as Bubble Tea writes them: ctrl+a, alt+x,
//     ctrl+alt+x, shift+tab. With a modifier a letter is lower case
//     (ctrl+shift+a, not ctrl+A).
func CheckKey(key string) error {
	rest := key
	var mods []string // as written, in order
	for {
		m, ok := leadingModifier(rest)
		if !ok {
			break
		}
		if m != strings.ToLower(m) {
			return fmt.Errorf("%q: modifiers are written in lower case, as in %q", key, strings.ToLower(key))
		}
		switch m {
		case "meta+", "super+", "hyper+", "cmd+", "win+", "option+", "opt+":
			return fmt.Errorf("%q: only ctrl+, alt+ and shift+ are supported as modifiers", key)
		}
		if slices.Contains(mods, m) {
			return fmt.Errorf("%q repeats %s", key, m)
		}
		mods = append(mods, m)
		rest = rest[len(m):]
	}
	if canon := canonicalModifiers(mods); strings.Join(mods, "") != strings.Join(canon, "") {
		return fmt.Errorf("%q: write the modifiers in the order ctrl+, alt+, shift+ (%q)", key, strings.Join(canon, "")+rest)
	}
	prefix := strings.Join(mods, "")
	if rest == "" {
		return fmt.Errorf("%q names no key after %s", key, mods[len(mods)-1])
	}
	if isNamedKey(rest) {
		return nil
	}
	if r, size := utf8.DecodeRuneInString(rest); size == len(rest) && r != utf8.RuneError {
		return checkCharKey(key, mods, r)
	}
	hint := ""
	if alias, ok := keyAliases()[strings.ToLower(rest)]; ok {
		hint = fmt.Sprintf("; did you mean %q?", prefix+alias)
	} else if isNamedKey(strings.ToLower(rest)) {
		hint = fmt.Sprintf("; did you mean %q?", prefix+strings.ToLower(rest))
	} else if s := closestKeyName(rest); s != "" {
		hint = fmt.Sprintf("; did you mean %q?", prefix+s)
	}
	if hint == "" {
		hint = "; write one character (such as a or ?) or a key name: enter, esc, tab, space, backspace, " +
			"delete, insert, up, down, left, right, home, end, pgup, pgdown or f1 to f63, " +
			"after optional ctrl+, alt+ and shift+"
	}
	return fmt.Errorf("%q is not a key%s", key, hint)
}

// leadingModifier returns the modifier prefix ("ctrl+", in any case) that
// starts s when a key follows it.
func leadingModifier(s string) (string, bool) {
	i := strings.IndexByte(s, '+')
	if i <= 0 {
		return "", false
	}
	word := strings.ToLower(s[:i])
	switch word {
	case "ctrl", "alt", "shift", "meta", "super", "hyper", "cmd", "win", "option", "opt":
		return s[:i+1], true
	}
	return "", false
}

// canonicalModifiers returns mods in Bubble Tea's order.
func canonicalModifiers(mods []string) []string {
	var out []string
	for _, m := range keyModifiers() {
		for _, x := range mods {
			if x == m {
				out = append(out, m)
			}
		}
	}
	return out
}

// checkCharKey checks a key that is one character r after the modifiers
// mods (in canonical order).
func checkCharKey(key string, mods []string, r rune) error {
	prefix := strings.Join(mods, "")
	if r == ' ' {
		return fmt.Errorf("%q: write the space bar as %q", key, prefix+"space")
	}
	if !unicode.IsPrint(r) {
		return fmt.Errorf("%q: %U is not a printable character; name the key instead, such as tab or enter", key, r)
	}
	switch {
	case prefix == "":
		return nil
	case prefix == "shift+":
		// A shifted character arrives as the character it types.
		if unicode.IsLower(r) {
			return fmt.Errorf("%q: shift and a letter arrive as the capital letter; write %q", key, string(unicode.ToUpper(r)))
		}
		return fmt.Errorf("%q: shift and a character arrive as the character it types; write the character it types instead (such as ! for shift+1)", key)
	case unicode.IsUpper(r):
		// With ctrl or alt the terminal reports the key, not the text.
		if !slices.Contains(mods, "shift+") {
			mods = append(slices.Clone(mods), "shift+")
		}
		return fmt.Errorf("%q: with a modifier, a capital letter is written as shift and the small letter; write %q", key,
			strings.Join(canonicalModifiers(mods), "")+string(unicode.ToLower(r)))
	}
	return nil
}

// closestKeyName returns the named key nearest to s, or "".
func closestKeyName(s string) string {
	best, bestDist := "", 3
	if len(s) < 3 {
		bestDist = 2
	}
	for _, k := range namedKeys() {
		if d := editDistance(strings.ToLower(s), k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}
