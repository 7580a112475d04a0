package audit

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
)

// TestSaveDefusesCSVFormulas: cells a spreadsheet could run are written
// as text, and the rows are the events held, oldest first.
func TestSaveDefusesCSVFormulas(t *testing.T) {
	p := NewWith(Settings{Buffer: 3})
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	for i, actor := range []string{"gone", "=HYPERLINK(\"http://x\")", "+1", "@SUM(A1)"} {
		p.push(hubclient.AuditLog{Action: "repo.tag.push", Actor: actor, Name: "-acme/web", ActionDescription: "=2+2",
			Timestamp: t0.Add(time.Duration(i) * time.Minute), Data: map[string]string{"tag": "latest"}})
	}
	path := filepath.Join(t.TempDir(), "a.csv")
	m, ok := p.save("acme", path, p.held(), false)().(savedMsg)
	if !ok || m.r.Err != nil || m.r.Exists {
		t.Fatalf("save: %+v", m.r)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"'=HYPERLINK(\"http://x\")", "'+1", "'@SUM(A1)"} // the oldest left the ring
	if len(recs) != 1+len(want) {
		t.Fatalf("%d records:\n%s", len(recs), b)
	}
	for i, w := range want {
		r := recs[i+1]
		if r[2] != w || r[3] != "'-acme/web" || r[4] != "'=2+2" || r[0] != t0.Add(time.Duration(i+1)*time.Minute).Format(time.RFC3339) {
			t.Errorf("row %d is %q, want actor %q with its cells defused", i+1, r, w)
		}
	}
}
