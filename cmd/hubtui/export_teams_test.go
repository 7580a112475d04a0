package main

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

func TestExportTeamsHasARowPerTeamAndMember(t *testing.T) {
	code, out, errs := runArgs(t, "export", "teams", "--demo")
	if code != 0 {
		t.Fatalf("export teams: %d %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "team,description,username,full_name,email" {
		t.Fatalf("header %v", rows[0])
	}
	perTeam := map[string][]string{}
	for _, r := range rows[1:] {
		perTeam[r[0]] = append(perTeam[r[0]], r[2])
	}
	owners := strings.Join(perTeam["owners"], ",")
	if owners != "demo,ops" && owners != "ops,demo" {
		t.Fatalf("owners team rows: %q", owners)
	}
	if len(perTeam) < 5 {
		t.Fatalf("only %d teams: %v", len(perTeam), perTeam)
	}
	for team, ms := range perTeam {
		seen := map[string]bool{}
		for _, m := range ms {
			if seen[m] {
				t.Fatalf("team %s lists %s twice", team, m)
			}
			seen[m] = true
		}
	}
	code, out, _ = runArgs(t, "export", "teams", "--demo", "--format", "json")
	var recs []teamRecord
	if code != 0 || json.Unmarshal([]byte(out), &recs) != nil || len(recs) != len(rows)-1 {
		t.Fatalf("json: exit %d, %d records, want %d", code, len(recs), len(rows)-1)
	}
	code, out, _ = runArgs(t, "export", "teams", "--demo", "--format", "jsonl")
	if n := strings.Count(out, "\n"); code != 0 || n != len(rows)-1 {
		t.Fatalf("jsonl: exit %d, %d lines", code, n)
	}
	if code, _, errs := runArgs(t, "export", "pets", "--demo"); code != 2 || !strings.Contains(errs, "no such export") && strings.Contains(errs, "hubtui export teams") {
		t.Fatalf("an unknown export: exit %d, %q", code, errs)
	}
}
