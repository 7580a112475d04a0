package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/safeout"
)

// TestCSVExportDefusesEveryServerColumn: names and namespaces come from
// the server as much as descriptions do.
func TestCSVExportDefusesEveryServerColumn(t *testing.T) {
	hostile := []string{"=HYPERLINK(\"http://x\")", " +1", "\t-1", "\r@x", "\u202e=x"}
	var repos []hubclient.Repository
	for _, h := range hostile {
		repos = append(repos, hubclient.Repository{Namespace: h, Name: h, Description: h})
	}
	var out bytes.Buffer
	if err := writeRepos(&out, "csv", repos); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := rows[0]
	for _, row := range rows[1:] {
		for i, cell := range row {
			if safeout.FormulaLike(cell) {
				t.Errorf("column %s holds %q, which a spreadsheet may run", header[i], cell)
			}
			switch header[i] {
			case "namespace", "name", "description":
				if !strings.HasPrefix(cell, "'") {
					t.Errorf("column %s holds %q, not defused", header[i], cell)
				}
			}
		}
	}
}

// TestJSONExportEscapesInvisibleCharacters: Go's encoder leaves C1 and
// format characters raw; the export writes them as \u escapes.
func TestJSONExportEscapesInvisibleCharacters(t *testing.T) {
	desc := "a\u0085b\u009bc\u202ed\u2066e\u200ff\u061cg\u200bh\ufeffi\U000E0041j\u2028k"
	repos := []hubclient.Repository{{Namespace: "acme", Name: "web\u202e", Description: desc}}
	for _, format := range []string{"json", "jsonl"} {
		var out bytes.Buffer
		if err := writeRepos(&out, format, repos); err != nil {
			t.Fatal(err)
		}
		got := out.String()
		for _, r := range got {
			if safeout.MustEscape(r) {
				t.Errorf("%s: raw %U in the output", format, r)
			}
		}
		for _, esc := range []string{`\u0085`, `\u009b`, `\u202e`, `\u2066`, `\u200f`, `\u061c`, `\u200b`, `\ufeff`, `\udb40\udc41`, `\u2028`} {
			if !strings.Contains(got, esc) {
				t.Errorf("%s: %s missing from %s", format, esc, got)
			}
		}
		var back hubclient.Repository
		line := strings.TrimSpace(got)
		if format == "json" {
			var list []hubclient.Repository
			if err := json.Unmarshal(out.Bytes(), &list); err != nil || len(list) != 1 {
				t.Fatalf("json: %v", err)
			}
			back = list[0]
		} else if err := json.Unmarshal([]byte(line), &back); err != nil {
			t.Fatalf("jsonl: %v", err)
		}
		if back.Description != desc || back.Name != "web\u202e" {
			t.Errorf("%s: decoded %q %q", format, back.Name, back.Description)
		}
	}
}
