package safeout

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"unicode/utf8"
)

func TestCSVSafeDefusesFormulas(t *testing.T) {
	for in, want := range map[string]string{
		"=cmd()":         "'=cmd()",
		"+1":             "'+1",
		"-2":             "'-2",
		"@SUM(A1)":       "'@SUM(A1)",
		"  =cmd()":       "'  =cmd()",
		"\t=cmd()":       "'    =cmd()",
		"\tplain":        "'    plain",
		"\rplain":        "'plain",
		"\r\n=x":         "' =x",
		"\n=x":           "' =x",
		"\u200b=x":       "'=x",
		"\u202e=x":       "'=x",
		"\x1b[31m=x":     "'=x",
		"plain":          "plain",
		"a=b":            "a=b",
		" plain":         " plain",
		"":               "",
		"\x1b]0;t\x07ok": "ok",
	} {
		if got := CSV(in); got != want {
			t.Errorf("CSV(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEscapeJSONLeavesCleanOutputAlone(t *testing.T) {
	in := []byte(`{"a":"héllo wörld ✓ 日本"}`)
	if got := escapeJSON(in); &got[0] != &in[0] {
		t.Error("clean input was copied")
	}
}

func FuzzEscapeJSON(f *testing.F) {
	for _, s := range []string{"", "plain", "\u0085", "\u202e\u2066", "a\U000E0041b", "\xff\xfe", "\u2028\u2029", "\"\\\u009f", "\u00a0é\u00ad"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := map[string]any{"s": s, s: []string{s, "x" + s}}
		plain, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Skip()
		}
		got := escapeJSON(plain)
		if !json.Valid(got) {
			t.Fatalf("escapeJSON(%q) = %q is not valid JSON", plain, got)
		}
		var want, back any
		if err := json.Unmarshal(plain, &want); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(want, back) {
			t.Fatalf("decodes to %q, want %q", back, want)
		}
		if !utf8.Valid(got) {
			t.Fatalf("invalid UTF-8 in %q", got)
		}
		for _, r := range string(got) {
			if MustEscape(r) {
				t.Fatalf("raw %U left in %q", r, got)
			}
		}
	})
}

func TestSaveAsksBeforeReplacing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "out.csv")
	ran := 0
	body := func() ([]byte, error) { ran++; return []byte("new"), nil }
	if r := Save(path, false, body); r.Err != nil || r.Exists || r.Path != path {
		t.Fatalf("first save: %+v", r)
	}
	if r := Save(path, false, body); !r.Exists || r.Err != nil || ran != 1 {
		t.Fatalf("a second save did not stop at the file (ran %d): %+v", ran, r)
	}
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := Save(path, true, body); r.Err != nil {
		t.Fatal(r.Err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Fatalf("overwrite left %q", b)
	}
	if r := Save(path+"2", false, func() ([]byte, error) { return nil, errors.New("boom") }); r.Err == nil {
		t.Fatal("a failing body saved")
	} else if _, err := os.Stat(path + "2"); err == nil {
		t.Fatal("a failing body left a file")
	}
}
