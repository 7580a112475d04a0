package markdown

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestRenderWrapsAndKeepsText(t *testing.T) {
	src := "# Web\n\nA **fast** service with a [manual](https://example.com/manual).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n" + strings.Repeat("word ", 60)
	for _, st := range []Style{Dark, Light, Plain} {
		lines, err := Render(src, 40, st)
		if err != nil {
			t.Fatal(err)
		}
		plain := ansi.Strip(strings.Join(lines, "\n"))
		for _, want := range []string{"Web", "fast", "manual", "https://example.com/manual"} {
			if !strings.Contains(plain, want) {
				t.Errorf("%s: %q missing from\n%s", st, want, plain)
			}
		}
		for _, l := range lines {
			if w := ansi.StringWidth(l); w > 40 {
				t.Errorf("%s: line %d cells wide: %q", st, w, ansi.Strip(l))
			}
		}
		if st == Plain && strings.Contains(strings.Join(lines, ""), "\x1b[38") {
			t.Errorf("the plain style has colours")
		}
	}
}

func TestRenderDropsHostileSequences(t *testing.T) {
	src := "hi \x1b]52;c;ZXZpbA==\x07 \x1b[2J there \x9b31m [x](https://e.com/\x1b]8;;evil\x07)\n\n[link](javascript:alert(1))\n\x1b]0;title\x1b\\"
	lines, err := Render(src, 60, Dark)
	if err != nil {
		t.Fatal(err)
	}
	out := strings.Join(lines, "\n")
	for i := 0; i < len(out); i++ {
		if out[i] == 0x1b && (i+1 >= len(out) || out[i+1] != '[') {
			t.Fatalf("non-CSI escape at %d in %q", i, out)
		}
	}
	if strings.Contains(out, "]8;") || strings.Contains(out, "]52;") || strings.Contains(out, "[2J") || strings.Contains(out, "\x07") {
		t.Fatalf("a hostile sequence survived: %q", out)
	}
	if !strings.Contains(ansi.Strip(out), "there") {
		t.Fatalf("text lost: %q", out)
	}
}

func TestRenderCapsHugeInput(t *testing.T) {
	var b strings.Builder
	b.WriteString("| " + strings.Repeat("c | ", 30) + "\n|" + strings.Repeat("---|", 30) + "\n")
	for b.Len() < MaxSource*2 {
		b.WriteString("| " + strings.Repeat("x | ", 30) + "\n")
	}
	lines, err := Render(b.String(), 80, Dark)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(lines[len(lines)-1], "cut at") {
		t.Fatalf("no cut note at the end: %q", lines[len(lines)-1])
	}
}

func TestOnlySGR(t *testing.T) {
	cases := map[string]string{
		"a\x1b[1;31mb\x1b[0m":          "a\x1b[1;31mb\x1b[0m",
		"a\x1b]8;id=1;http://x\x1b\\b": "ab",
		"a\x1b]8;;http://x\x07b":       "ab",
		"a\x1b[?25lb\x1b[Hc":           "abc",
		"a\x1b[38:5:1mb":               "a\x1b[38:5:1mb",
		"tab\there\r\n":                "tabhere\n",
		"cut\x1b]0;never ends":         "cut",
		"esc at end\x1b":               "esc at end",
	}
	for in, want := range cases {
		if got := OnlySGR(in); got != want {
			t.Errorf("OnlySGR(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzOnlySGR(f *testing.F) {
	f.Add("a\x1b[1mb\x1b]8;;x\x07c")
	f.Add("\x1bP1$r\x1b\\")
	f.Fuzz(func(t *testing.T, s string) {
		out := OnlySGR(s)
		for i := 0; i < len(out); i++ {
			c := out[i]
			if c == 0x1b {
				if i+1 >= len(out) || out[i+1] != '[' {
					t.Fatalf("bare escape in %q", out)
				}
				j := i + 2
				for j < len(out) && (out[j] < 0x40 || out[j] > 0x7e) {
					j++
				}
				if j >= len(out) || out[j] != 'm' {
					t.Fatalf("non-SGR CSI in %q", out)
				}
			}
			if c < 0x20 && c != '\n' && c != 0x1b {
				t.Fatalf("control %#x in %q", c, out)
			}
		}
	})
}
