package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hubtui/hubtui/config"
	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
)

// TestExportAuditFollowResumesFromItsCheckpoint: a follower is stopped,
// events go on arriving, and a second run from the checkpoint delivers the
// rest: together they hold hubsim's own record of the window exactly once.
func TestExportAuditFollowResumesFromItsCheckpoint(t *testing.T) {
	if testing.Short() {
		t.Skip("follows for seconds")
	}
	sim, c := auditSim(t, hubsim.Options{Dataset: "demo", RateLimit: 6000, Activity: 100})
	start := time.Now().UTC().Truncate(time.Second)
	cp := filepath.Join(t.TempDir(), "audit.checkpoint")
	var said bytes.Buffer
	run := func(ctx context.Context, follow bool) []byte {
		var out bytes.Buffer
		said.Reset()
		x := &exportRun{c: c, org: hubsim.DemoOrg, format: "jsonl", stdout: &out, stderr: &said, start: time.Now()}
		f := auditFlags{from: start.Format(time.RFC3339), follow: follow, checkpoint: cp, pollFloor: 200 * time.Millisecond}
		if err := exportAudit(ctx, x, f); err != nil {
			t.Fatal(err)
		}
		return out.Bytes()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	first := run(ctx, true) // interrupted: as SIGINT would
	cancel()
	if !strings.Contains(said.String(), "export: interrupted after ") || !strings.Contains(said.String(), "--checkpoint "+cp) {
		t.Errorf("the interrupted export does not say how far it got: %q", said.String())
	}
	time.Sleep(time.Second) // events arrive while nobody follows
	sim.Close()             // the activity stops
	time.Sleep(200 * time.Millisecond)
	second := run(context.Background(), false)

	got := map[string]int{}
	n := 0
	for _, part := range [][]byte{first, second} {
		sc := bufio.NewScanner(bytes.NewReader(part))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var e hubclient.AuditLog
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				t.Fatalf("line %q: %v", sc.Text(), err)
			}
			if e.Data == nil {
				e.Data = map[string]string{}
			}
			got[e.Key()]++
			n++
		}
	}
	want := map[string]int{}
	m := 0
	for _, r := range sim.OrgAuditTail(hubsim.DemoOrg, 1<<30) {
		if r.Timestamp.Before(start) {
			continue
		}
		e := hubclient.AuditLog{Account: hubsim.DemoOrg, Action: r.Action, Name: r.Name, Actor: r.Actor, Data: r.Data,
			Timestamp: r.Timestamp.UTC().Truncate(time.Second), ActionDescription: r.Description}
		if e.Data == nil {
			e.Data = map[string]string{}
		}
		want[e.Key()]++
		m++
	}
	lost, dup := 0, 0
	for k, w := range want {
		if g := got[k]; g < w {
			lost += w - g
		} else if g > w {
			dup += g - w
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			dup += g
		}
	}
	if m < 100 || lost != 0 || dup != 0 || len(first) == 0 || len(second) == 0 {
		t.Fatalf("hubsim recorded %d, exported %d (%d + %d bytes): %d lost, %d repeated", m, n, len(first), len(second), lost, dup)
	}
	t.Logf("hubsim recorded %d events; the two runs exported %d: 0 lost, 0 repeated", m, n)
}

// TestExportAuditMatchKeepsTheRulesEvents: --match keeps the events a
// config rule matches, every one of them, and an unknown rule is a usage
// error naming the known ones.
func TestExportAuditMatchKeepsTheRulesEvents(t *testing.T) {
	sim, c := auditSim(t, hubsim.Options{Dataset: "demo", RateLimit: 6000})
	cfg, err := config.Parse("config.yaml", []byte("audit:\n  rules:\n    - name: pushes\n      match:\n        action: repo.tag.push\n"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	x := &exportRun{c: c, org: hubsim.DemoOrg, format: "jsonl", stdout: &out, stderr: io.Discard, start: time.Now(), cfg: cfg}
	if err := exportAudit(context.Background(), x, auditFlags{since: "90d", match: []string{"pushes"}}); err != nil {
		t.Fatal(err)
	}
	want, others := 0, 0
	for _, r := range sim.OrgAuditTail(hubsim.DemoOrg, 1<<30) {
		switch {
		case time.Since(r.Timestamp) >= 90*24*time.Hour:
		case r.Action == "repo.tag.push":
			want++
		default:
			others++
		}
	}
	got := 0
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var e hubclient.AuditLog
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		if e.Action != "repo.tag.push" {
			t.Fatalf("exported %s, which the rule does not match", e.Action)
		}
		got++
	}
	if want == 0 || others == 0 || got != want {
		t.Fatalf("exported %d pushes, hubsim recorded %d (and %d other events)", got, want, others)
	}
	t.Logf("exported the %d pushes of %d events", got, want+others)
	err = exportAudit(context.Background(), x, auditFlags{since: "90d", match: []string{"nope"}})
	var ue usageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "pushes") || !strings.Contains(err.Error(), "token-created") {
		t.Fatalf("an unknown rule: %v", err)
	}
}

// TestExportAuditTimeFlags: the ranges are read as the Audit pane reads
// them, and what cannot be read is a usage error in plain words, before
// any request.
func TestExportAuditTimeFlags(t *testing.T) {
	x := &exportRun{org: "acme", format: "jsonl", stdout: io.Discard, stderr: io.Discard} // no client: nothing may be sent
	for _, tc := range []struct {
		f    auditFlags
		want string
	}{
		{auditFlags{since: "a while"}, "is not a time"},
		{auditFlags{since: "yesterday", follow: true}, "a follow has no end"},
		{auditFlags{from: "2026-12-02", to: "2026-12-01"}, "comes before the start"},
		{auditFlags{from: "2026-12-02 10:00", to: "2026-12-02 09:00"}, "comes before the start"},
		{auditFlags{from: "soon"}, "--from"},
		{auditFlags{since: "7d", to: "later"}, "--to"},
		{auditFlags{since: "7d", match: []string{"nope"}}, "no watch rule named"},
	} {
		err := exportAudit(context.Background(), x, tc.f)
		var ue usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want a usage error saying %q", tc.f, err, tc.want)
		}
	}
}

// auditSim serves hubsim with opts on loopback for the test and signs a
// client in as the demo user.
func auditSim(t *testing.T, opts hubsim.Options) (*hubsim.Server, *hubclient.Client) {
	t.Helper()
	sim, err := hubsim.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	base, stop, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	c, err := hubclient.New(hubclient.WithBaseURL(base), hubclient.WithCredentials(hubsim.DemoUser, hubclient.Secret(hubsim.DemoPassword)))
	if err != nil {
		t.Fatal(err)
	}
	return sim, c
}

// TestExportAuditToADayRunsToItsEnd: --to with a day ends at that day's
// last instant, as a range in the Audit pane does.
func TestExportAuditToADayRunsToItsEnd(t *testing.T) {
	now := time.Date(2026, 11, 2, 10, 0, 0, 0, time.Local)
	sim, c := auditSim(t, hubsim.Options{Dataset: "demo", RateLimit: 6000, Clock: hubsim.NewFakeClock(now)})
	var out bytes.Buffer
	x := &exportRun{c: c, org: hubsim.DemoOrg, format: "jsonl", stdout: &out, stderr: io.Discard, start: time.Now()}
	if err := exportAudit(context.Background(), x, auditFlags{from: "2026-11-01", to: "2026-11-01"}); err != nil {
		t.Fatal(err)
	}
	day, next := time.Date(2026, 11, 1, 0, 0, 0, 0, time.Local), time.Date(2026, 11, 2, 0, 0, 0, 0, time.Local)
	want, late := 0, 0
	for _, r := range sim.OrgAuditTail(hubsim.DemoOrg, 1<<30) {
		if !r.Timestamp.Before(day) && r.Timestamp.Before(next) {
			want++
			if r.Timestamp.After(day.Add(12 * time.Hour)) {
				late++
			}
		}
	}
	got := bytes.Count(out.Bytes(), []byte("\n"))
	if want == 0 || late == 0 || got != want {
		t.Fatalf("exported %d events of 2026-11-01, hubsim recorded %d (%d in its afternoon)", got, want, late)
	}
}
