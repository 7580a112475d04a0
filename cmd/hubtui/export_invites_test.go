package main

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
)

func TestExportInvites(t *testing.T) {
	code, out, errs := runArgs(t, "export", "invites", "--demo")
	if code != 0 {
		t.Fatalf("export invites: exit %d, %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7 || rows[0][1] != "invitee" || rows[1][0] != "acme" || rows[1][1] == "" || rows[1][4] != "demo" {
		t.Fatalf("csv: %d rows, %v %v", len(rows), rows[0], rows[1])
	}
	code, out, _ = runArgs(t, "export", "invites", "--demo", "--format", "json")
	var invs []hubclient.Invite
	if code != 0 || json.Unmarshal([]byte(out), &invs) != nil || len(invs) != 6 || invs[0].ID == "" {
		t.Fatalf("json: exit %d, %d invites", code, len(invs))
	}
	code, out, _ = runArgs(t, "export", "invites", "--demo", "--format", "jsonl")
	if n := strings.Count(out, "\n"); code != 0 || n != 6 {
		t.Fatalf("jsonl: exit %d, %d lines", code, n)
	}
}
