package audit_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/adrg/xdg"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/safeout"
)

// openAudit is the App on a demo hubsim with the Audit pane loaded.
func openAudit(t *testing.T) (*uitest.Driver, ui.Session) {
	t.Helper()
	_, url := uitest.StartSim(t, hubsim.Options{})
	sess := uitest.Session(t, url, "demo", "demo")
	d := uitest.New(t, ui.Options{Session: sess}, 140, 40)
	d.Until("repositories", func() bool { return strings.Contains(d.Screen(), " repositories · loaded") })
	d.Key("7")
	d.Until("the log", func() bool { return strings.Contains(d.Screen(), " events held") })
	return d, sess
}

// TestSaveWritesTheHeldEvents: e offers a path in the data directory;
// the file holds the events on view, oldest first, as JSON Lines; saving
// to the same name asks first; a .csv name writes CSV.
func TestSaveWritesTheHeldEvents(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_DATA_HOME", dir)
	xdg.Reload()
	t.Cleanup(xdg.Reload)
	d, sess := openAudit(t)
	logs, _, err := sess.Client.Audit.List(context.Background(), hubsim.DemoOrg,
		&hubclient.AuditListOptions{ListOptions: hubclient.ListOptions{Page: 1, PageSize: 100}})
	if err != nil || len(logs) == 0 {
		t.Fatalf("the log: %d events, %v", len(logs), err)
	}
	d.Key("e")
	want := safeout.DefaultPath(hubsim.DemoOrg, "audit", "jsonl", uitest.FixedNow())
	d.Contains("Save the ", " audit events of acme")
	if !strings.HasPrefix(want, dir) {
		t.Fatalf("default path %s is not in the data dir %s", want, dir)
	}
	d.Key("enter")
	d.Contains("saved ", " events to ")
	b, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	var got []hubclient.AuditLog
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e hubclient.AuditLog
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("line %d: %v: %s", len(got)+1, err, sc.Bytes())
		}
		got = append(got, e)
	}
	if len(got) != len(logs) {
		t.Fatalf("%d events saved, the Hub has %d", len(got), len(logs))
	}
	for i := range got {
		w := logs[len(logs)-1-i] // the Hub answers newest first; the file is oldest first
		if !got[i].Timestamp.Equal(w.Timestamp) || got[i].Action != w.Action || got[i].Actor != w.Actor ||
			got[i].Name != w.Name || got[i].ActionDescription != w.ActionDescription || !reflect.DeepEqual(got[i].Data, w.Data) {
			t.Fatalf("event %d is %+v, want %+v", i, got[i], w)
		}
	}

	// The same name again: asked first, replaced on yes.
	if err := os.WriteFile(want, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	d.Key("e", "enter")
	d.Contains("Replace ")
	if b, _ := os.ReadFile(want); string(b) != "old" {
		t.Fatal("the file was replaced before the answer")
	}
	d.Key("y")
	d.Until("replaced", func() bool {
		b, _ := os.ReadFile(want)
		return bytes.HasPrefix(b, []byte("{"))
	})

	// A name ending in .csv writes CSV; another ending is refused.
	path := filepath.Join(dir, "out", "audit.csv")
	d.Key("e", "ctrl+u")
	d.Type(filepath.Join(dir, "audit.txt"))
	d.Key("enter")
	d.Contains("end the name in .jsonl or .csv")
	d.Key("ctrl+u")
	d.Type(path)
	d.Key("enter")
	d.Until("the CSV", func() bool { _, err := os.Stat(path); return err == nil })
	b, _ = os.ReadFile(path)
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(recs) != len(logs)+1 || strings.Join(recs[0], ",") != "timestamp,action,actor,name,description,data" {
		t.Fatalf("the CSV (%v, %d records):\n%.300s", err, len(recs), b)
	}
	if last := recs[len(recs)-1]; last[1] != logs[0].Action || last[3] != logs[0].Name {
		t.Fatalf("the last row is %q, want the newest event %+v", last, logs[0])
	}
}
