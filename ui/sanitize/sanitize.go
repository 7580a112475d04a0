// Package sanitize makes server-provided strings safe to draw in a terminal.
//
// Every string that came from the Docker Hub API (repository names and
// descriptions, audit log details, error messages, ...) passes through
// String or Text before it reaches the screen. The functions remove
// everything a terminal could interpret as a command or that could make the
// displayed text differ from the logical text:
//
//   - ESC and whole escape sequences: CSI, OSC (BEL or ST terminated), DCS,
//     SOS, PM, APC and the short nF/Fp/Fe/Fs forms such as ESC c;
//   - C0 controls (except the newline kept by Text), DEL and C1 controls
//     (U+0080–U+009F); the C1 introducers CSI, OSC, DCS, SOS, PM and APC
//     also swallow the sequence that follows them;
//   - bidirectional overrides, embeddings, isolates and marks
//     (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C);
//   - zero-width and invisible characters used for spoofing
//     (U+200B–U+200D, U+2060–U+2064, U+206A–U+206F, U+FEFF, U+180E,
//     U+FFF9–U+FFFB and the tag characters U+E0000–U+E007F).
//
// Invalid UTF-8 bytes become U+FFFD, tabs become four spaces and the line
// and paragraph separators U+2028/U+2029 are treated as newlines.
// Sanitising is idempotent: String(String(s)) == String(s).
package sanitize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	esc = 0x1b
	bel = 0x07
	can = 0x18
	sub = 0x1a
	del = 0x7f

	// tab is what a horizontal tab becomes.
	tab = "    "
	// replacement is written for every byte of invalid UTF-8.
	replacement = "\uFFFD"
)

// String sanitises s for display on a single line: newlines (and CR LF,
// U+2028, U+2029) become spaces and everything described in the package
// documentation is removed. When s is already clean, s itself is returned
// without allocating.
func String(s string) string {
	return clean(s, false)
}

// Text sanitises s for multi-line display: it keeps '\n' (U+2028 and U+2029
// become '\n' as well) and removes everything else described in the package
// documentation, including carriage returns. When s is already clean, s
// itself is returned without allocating.
func Text(s string) string {
	return clean(s, true)
}

// clean implements String (multi == false) and Text (multi == true).
func clean(s string, multi bool) string {
	i := firstDirty(s, multi)
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(tab))
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		if c >= 0x20 && c < del {
			// Copy a run of printable ASCII in one go.
			j := i + 1
			for j < len(s) && s[j] >= 0x20 && s[j] < del {
				j++
			}
			b.WriteString(s[i:j])
			i = j
			continue
		}
		if c < utf8.RuneSelf {
			switch c {
			case '\n':
				b.WriteByte(newline(multi))
			case '\t':
				b.WriteString(tab)
			case esc:
				i = skipEscape(s, i)
				continue
			}
			// Every other C0 control and DEL is dropped.
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(replacement)
		case r >= 0x80 && r <= 0x9f:
			i = skipC1(s, i, r, size)
			continue
		case r == '\u2028' || r == '\u2029':
			b.WriteByte(newline(multi))
		case invisible(r):
			// dropped
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// newline is what '\n' becomes in the given mode.
func newline(multi bool) byte {
	if multi {
		return '\n'
	}
	return ' '
}

// firstDirty returns the byte offset of the first byte of s that clean would
// change, or len(s) when s is already clean.
func firstDirty(s string, multi bool) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < del || c == '\n' && multi {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			return i
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r <= 0x9f || r == '\u2028' || r == '\u2029' || invisible(r) {
			return i
		}
		i += size
	}
	return len(s)
}

// invisible reports whether r is a bidi control or an invisible character
// that is removed: every format character (Unicode category Cf: bidi
// marks, zero-width characters, soft hyphen, tags…) and the fillers that
// draw nothing while not being Cf.
func invisible(r rune) bool {
	switch {
	case r < 0xad:
		return false
	case r == 0xad, // SOFT HYPHEN
		r == 0x034f,              // COMBINING GRAPHEME JOINER
		r == 0x115f, r == 0x1160, // HANGUL CHOSEONG/JUNGSEONG FILLER
		r == 0x17b4, r == 0x17b5, // KHMER VOWEL INHERENT AQ/AA
		r == 0x3164, r == 0xffa0, // HANGUL (HALFWIDTH) FILLER
		r >= 0x1d173 && r <= 0x1d17a, // MUSICAL SYMBOL BEGIN/END controls
		r == 0x061c,                  // ARABIC LETTER MARK
		r == 0x180e,                  // MONGOLIAN VOWEL SEPARATOR
		r >= 0x200b && r <= 0x200f,   // ZWSP, ZWNJ, ZWJ, LRM, RLM
		r >= 0x202a && r <= 0x202e,   // LRE, RLE, PDF, LRO, RLO
		r >= 0x2060 && r <= 0x2064,   // WORD JOINER, invisible operators
		r >= 0x2066 && r <= 0x206f,   // LRI, RLI, FSI, PDI, deprecated format controls
		r == 0xfeff,                  // ZERO WIDTH NO-BREAK SPACE (BOM)
		r >= 0xfff9 && r <= 0xfffb,   // interlinear annotation controls
		r >= 0xe0000 && r <= 0xe007f: // tag characters
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// skipEscape returns the offset just past the escape sequence that starts
// with the ESC at s[i]. A lone ESC (at the end, or followed by a byte that
// cannot continue a sequence) is skipped on its own so that the next byte is
// processed normally.
func skipEscape(s string, i int) int {
	j := i + 1
	if j >= len(s) {
		return j
	}
	c := s[j]
	switch {
	case c == '[':
		return skipCSI(s, j+1)
	case c == ']', c == 'P', c == 'X', c == '^', c == '_':
		// OSC, DCS, SOS, PM, APC: a control string up to its terminator.
		return skipControlString(s, j+1)
	case c >= 0x20 && c <= 0x2f:
		// nF: intermediates followed by one final byte (ESC ( B, ESC # 8).
		for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
			j++
		}
		if j < len(s) && s[j] >= 0x30 && s[j] <= 0x7e {
			j++
		}
		return j
	case c >= 0x30 && c <= 0x7e:
		// Fp, Fe, Fs: two-byte sequences (ESC 7, ESC c, ESC D, ...).
		return j + 1
	}
	return j
}

// skipC1 returns the offset past the C1 control r (size bytes at s[i]) and,
// for the C1 forms of CSI, OSC, DCS, SOS, PM and APC, past the sequence it
// introduces.
func skipC1(s string, i int, r rune, size int) int {
	j := i + size
	switch r {
	case 0x9b: // CSI
		return skipCSI(s, j)
	case 0x9d, 0x90, 0x98, 0x9e, 0x9f: // OSC, DCS, SOS, PM, APC
		return skipControlString(s, j)
	}
	return j
}

// skipCSI skips the parameter, intermediate and final bytes of a control
// sequence whose introducer ends just before s[j]. A byte that cannot be part
// of a control sequence ends it without being consumed.
func skipCSI(s string, j int) int {
	for j < len(s) {
		c := s[j]
		switch {
		case c >= 0x40 && c <= 0x7e:
			return j + 1
		case c >= 0x20 && c <= 0x3f:
			j++
		default:
			return j
		}
	}
	return j
}

// skipControlString skips the body of an OSC, DCS, SOS, PM or APC string
// starting at s[j], up to and including its terminator: BEL, ST (ESC \ or
// U+009C), or CAN/SUB, which cancel it. Another ESC ends the string and is
// left to start a new sequence. An unterminated string runs to the end of s.
func skipControlString(s string, j int) int {
	for j < len(s) {
		switch s[j] {
		case bel, can, sub:
			return j + 1
		case esc:
			if j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
			return j
		case 0xc2:
			if j+1 < len(s) && s[j+1] == 0x9c {
				return j + 2
			}
		}
		j++
	}
	return j
}
