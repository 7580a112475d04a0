package main

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

func TestExportMembersFormats(t *testing.T) {
	code, out, errs := runArgs(t, "export", "members", "--demo")
	if code != 0 {
		t.Fatalf("export members: %d %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "username,full_name,email,role,type,teams,date_joined,last_logged_in" {
		t.Fatalf("header %v", rows[0])
	}
	var members, invitees int
	byName := map[string][]string{}
	for _, r := range rows[1:] {
		switch r[4] {
		case "invitee":
			invitees++
		default:
			members++
			byName[r[0]] = r
		}
	}
	if members != 40 || invitees == 0 {
		t.Fatalf("%d members and %d invitees; want the demo's 40 and its invitees", members, invitees)
	}
	if d := byName["demo"]; d == nil || d[3] != "owner" || !strings.Contains(d[5], "owners") || d[6] == "" {
		t.Fatalf("row of demo: %v", d)
	}
	if e := byName["erin"]; e == nil || e[3] != "editor" {
		t.Fatalf("row of erin: %v", e)
	}

	code, out, _ = runArgs(t, "export", "members", "--demo", "--format", "json")
	var recs []memberRecord
	if code != 0 || json.Unmarshal([]byte(out), &recs) != nil || len(recs) != len(rows)-1 {
		t.Fatalf("json: exit %d, %d records, want %d", code, len(recs), len(rows)-1)
	}
	code, out, _ = runArgs(t, "export", "members", "--demo", "--format", "jsonl")
	if n := strings.Count(out, "\n"); code != 0 || n != len(rows)-1 {
		t.Fatalf("jsonl: exit %d, %d lines", code, n)
	}
	var first memberRecord
	if err := json.Unmarshal([]byte(out[:strings.IndexByte(out, '\n')]), &first); err != nil || first.Username == "" && first.Email == "" {
		t.Fatalf("jsonl line: %v %+v", err, first)
	}
	code, _, errs = runArgs(t, "export", "members", "--demo", "--org", "nosuchorg")
	if code != 1 || !strings.Contains(errs, "nosuchorg") {
		t.Fatalf("members of a missing org: exit %d, %q", code, errs)
	}
}
