package main

import (
	"encoding/csv"
	"strings"
	"testing"
)

func TestExportAccess(t *testing.T) {
	code, out, errs := runArgs(t, "export", "access", "--demo")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 3 || strings.Join(rows[0], ",") != "member,role,team,repository,permission" {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}
	owners, viaTeams := 0, 0
	for _, r := range rows[1:] {
		switch {
		case r[3] == "*" && r[4] == "admin":
			owners++
		case r[2] != "" && strings.HasPrefix(r[3], "acme/"):
			viaTeams++
		default:
			t.Fatalf("row %v", r)
		}
	}
	if owners == 0 || viaTeams == 0 {
		t.Fatalf("%d owner rows, %d through teams", owners, viaTeams)
	}
	code, out, _ = runArgs(t, "export", "access", "--demo", "--member", "demo", "--format", "jsonl")
	if code != 0 || strings.Count(out, "\n") == 0 || strings.Contains(out, `"member":"ops"`) {
		t.Fatalf("--member demo: exit %d\n%s", code, out)
	}
}
