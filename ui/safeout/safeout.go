// Package safeout writes what came from the server to files and streams
// safely: CSV cells sanitised and defused for spreadsheets, JSON with
// invisible characters escaped, and audit events in either form.
package safeout

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/hubtui/hubtui/ui/sanitize"
)

// CSV makes a string that came from the server safe for a CSV cell,
// for every export: sanitised (no escape sequences, control or bidi
// characters, so a terminal showing the file is safe too), and defused
// for spreadsheets. A cell that a spreadsheet could read as a formula —
// one that starts with a tab or a carriage return, or whose first
// character after any leading white space is =, +, - or @ — gets a
// leading apostrophe, which spreadsheets take as "this is text".
func CSV(s string) string {
	clean := sanitize.String(s)
	if FormulaLike(s) || FormulaLike(clean) {
		return "'" + clean
	}
	return clean
}

// FormulaLike reports whether a spreadsheet could take s as a formula.
func FormulaLike(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '\t' || s[0] == '\r' {
		return true
	}
	t := strings.TrimLeftFunc(s, unicode.IsSpace)
	return t != "" && strings.IndexByte("=+-@", t[0]) >= 0
}

// JSON writes v as one JSON value and a newline, indented by indent
// ("" for one line), with the characters Go's encoder leaves raw escaped:
// see escapeJSON.
func JSON(w io.Writer, v any, indent string) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(escapeJSON(buf.Bytes()))
	return err
}

// escapeJSON rewrites the output of encoding/json so that C1 controls
// (U+0080–U+009F) and format characters (Unicode category Cf: the bidi
// overrides, embeddings, isolates and marks U+202A–U+202E, U+2066–U+2069,
// U+200E, U+200F, U+061C, zero-width characters, U+FEFF, tag characters …)
// appear as \uXXXX escapes instead of raw: a terminal or editor showing the
// file would otherwise act on them. Outside strings JSON holds only ASCII,
// so every such character is inside a string, where the escape means the
// same character: the decoded value is unchanged. Input without them is
// returned as is.
func escapeJSON(b []byte) []byte {
	i := bytes.IndexFunc(b, MustEscape)
	if i < 0 {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	out = append(out, b[:i]...)
	for i < len(b) {
		r, size := utf8.DecodeRune(b[i:])
		if !MustEscape(r) || r == utf8.RuneError && size == 1 {
			out = append(out, b[i:i+size]...)
			i += size
			continue
		}
		if r > 0xFFFF {
			hi, lo := utf16.EncodeRune(r)
			out = appendUnicodeEscape(appendUnicodeEscape(out, hi), lo)
		} else {
			out = appendUnicodeEscape(out, r)
		}
		i += size
	}
	return out
}

// MustEscape reports whether r is written as \uXXXX by escapeJSON.
func MustEscape(r rune) bool {
	return r >= 0x80 && r <= 0x9f || r == '\u2028' || r == '\u2029' || r >= 0x80 && unicode.Is(unicode.Cf, r)
}

// appendUnicodeEscape appends \uXXXX for the UTF-16 code unit r.
func appendUnicodeEscape(out []byte, r rune) []byte {
	const hex = "0123456789abcdef"
	return append(out, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
}
