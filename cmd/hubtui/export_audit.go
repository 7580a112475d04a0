package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state/audit"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/safeout"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// auditFlags are the flags of `hubtui export audit`.
type auditFlags struct {
	since, from, to     string
	action, actor, name string
	match               []string // watch rules an event must match (any of them)
	follow              bool
	checkpoint          string
	pollFloor           time.Duration // tests: the fastest poll
}

// auditExporter is `hubtui export audit --org ORG [--since 24h | --from T
// --to T] [--action A] [--actor U] [--name N] [--match RULE]... [--follow]
// [--checkpoint F]`: events oldest to newest, each exactly once
// (state/audit), only those one of the named watch rules matches when
// --match is given (rules from the config file and the defaults). With --follow
// it streams new events until SIGINT or SIGTERM, then exits 0; with
// --checkpoint it records after each write what it has delivered, so a
// restarted export goes on from there with nothing lost or repeated.
func auditExporter() exporter {
	var f auditFlags
	return exporter{
		usage: "audit --org ORG [--since 24h|--from T --to T] [--action A] [--actor U] [--name N] [--match RULE] [--follow] [--checkpoint FILE]",
		flags: func(fs *flag.FlagSet) func() error {
			fs.StringVar(&f.since, "since", "", "how far back to start: 24h, 7d, monday, yesterday, 2026-12-01 (default 24h)")
			fs.StringVar(&f.from, "from", "", "start at this time (2026-12-01, 2026-12-01 10:00, RFC 3339)")
			fs.StringVar(&f.to, "to", "", "end at this time (2026-12-02, 2026-12-02 10:00, RFC 3339)")
			fs.StringVar(&f.action, "action", "", "only this action (repo.tag.push)")
			fs.StringVar(&f.actor, "actor", "", "only events by this user")
			fs.StringVar(&f.name, "name", "", "only events about this object")
			fs.Func("match", "only events this watch rule matches (repeatable: any of them); see :rules", func(v string) error {
				if v = strings.TrimSpace(v); v == "" {
					return errors.New("a rule name is missing")
				}
				f.match = append(f.match, v)
				return nil
			})
			fs.BoolVar(&f.follow, "follow", false, "keep streaming new events until interrupted")
			fs.StringVar(&f.checkpoint, "checkpoint", "", "file recording what was delivered; a restart goes on from it")
			fs.DurationVar(&f.pollFloor, "poll-min", 0, "fastest poll while events arrive (default 1s)")
			return func() error {
				if f.since != "" && f.from != "" {
					return errors.New("--since and --from cannot both be given")
				}
				if f.to != "" && f.follow {
					return errors.New("--to and --follow cannot both be given: a follow has no end")
				}
				return nil
			}
		},
		run: func(ctx context.Context, x *exportRun) error { return exportAudit(ctx, x, f) },
	}
}

func exportAudit(ctx context.Context, x *exportRun, f auditFlags) error {
	if x.org == "" {
		return usageError{"--org is required"}
	}
	now := time.Now()
	cfg := audit.Config{Org: x.org, Filter: audit.Filter{Action: f.action, Actor: f.actor, Name: f.name}, MinInterval: f.pollFloor}
	switch {
	case f.from != "":
		t, _, err := audit.ParseRange(f.from, now, time.Local)
		if err != nil {
			return usageError{fmt.Sprintf("--from %q: %v", sanitize.String(f.from), err)}
		}
		cfg.From = t
	default:
		since := "24h"
		if f.since != "" {
			since = f.since
		}
		from, to, err := audit.ParseRange(since, now, time.Local)
		if err != nil {
			return usageError{fmt.Sprintf("--since %q: %v", sanitize.String(since), err)}
		}
		if !to.IsZero() && f.follow {
			return usageError{fmt.Sprintf("--since %q ends before now, and a follow has no end", sanitize.String(since))}
		}
		cfg.From, cfg.To = from, to
	}
	if f.to != "" {
		if _, _, err := audit.ParseRange(f.to, now, time.Local); err != nil {
			return usageError{fmt.Sprintf("--to %q: %v", sanitize.String(f.to), err)}
		}
		// As the end of a range: a day runs to its end, as in the pane.
		_, to, err := audit.ParseRange(f.to+".."+f.to, now, time.Local)
		if err != nil {
			return usageError{fmt.Sprintf("--to %q: %v", sanitize.String(f.to), err)}
		}
		cfg.To = to
	}
	if !cfg.To.IsZero() && cfg.To.Before(cfg.From) {
		return usageError{"the end (--to) comes before the start"}
	}
	var match *audit.Watch
	if len(f.match) > 0 {
		var err error
		if match, err = ui.AuditSettings(x.cfg).Watch.Only(f.match); err != nil {
			return usageError{"--match: " + err.Error()}
		}
	}
	tail := audit.New(cfg, now)
	if f.checkpoint != "" {
		b, err := os.ReadFile(f.checkpoint)
		switch {
		case err == nil:
			var cp audit.Checkpoint
			if err := json.Unmarshal(b, &cp); err != nil {
				return fmt.Errorf("checkpoint %s: %w", f.checkpoint, err)
			}
			if tail, err = audit.Resume(cfg, cp, now); err != nil {
				return fmt.Errorf("checkpoint %s: %w", f.checkpoint, err)
			}
		case !errors.Is(err, os.ErrNotExist):
			return fmt.Errorf("checkpoint: %w", err)
		}
	}
	w := safeout.NewAuditWriter(x.stdout, x.format)
	written := 0
	for {
		if !f.follow && (tail.Finished() || (cfg.To.IsZero() && tail.CaughtUp())) {
			break
		}
		q, at := tail.Next(time.Now())
		if wait := time.Until(at); wait > 0 {
			select {
			case <-ctx.Done():
				return stopped(x, w, tail, written, f.checkpoint) // interrupted: what was delivered is written and recorded
			case <-time.After(wait):
			}
		}
		logs, resp, err := x.c.Audit.List(ctx, x.org, q.Options())
		if ctx.Err() != nil {
			return stopped(x, w, tail, written, f.checkpoint)
		}
		if resp != nil {
			tail.ObserveRate(resp.Rate)
		}
		var ae *hubclient.APIError
		if errors.As(err, &ae) && (ae.StatusCode == 401 || ae.StatusCode == 403 || ae.StatusCode == 404) {
			return fmt.Errorf("audit log of %s: %w", x.org, err)
		}
		events := tail.Done(q, logs, err, time.Now())
		for _, e := range events {
			if match != nil && len(match.Observe(e).Rules) == 0 {
				continue // delivered (the checkpoint moves past it), not wanted
			}
			if err := w.Write(e); err != nil {
				return fmt.Errorf("write: %w", err)
			}
			written++
		}
		if len(events) > 0 {
			if err := w.Flush(); err != nil {
				return fmt.Errorf("write: %w", err)
			}
			if f.checkpoint != "" {
				if err := saveCheckpoint(f.checkpoint, tail.Checkpoint()); err != nil {
					return err
				}
			}
		}
		st := tail.Status()
		x.step("export: %d events of %s, watermark %s, %d requests", written, sanitize.String(x.org), st.Watermark.Format(time.RFC3339), st.Requests)
	}
	x.step("")
	x.done("export: %d events of %s", written, sanitize.String(x.org))
	return w.Flush()
}

// stopped ends an interrupted export: what was delivered is flushed, and
// stderr says how far it got (events newer than that were not read yet).
func stopped(x *exportRun, w *safeout.AuditWriter, tail *audit.Tail, written int, checkpoint string) error {
	x.step("")
	at := tail.Status().Watermark
	how := "a new run with --since or --from goes on from there"
	if checkpoint != "" {
		how = "a new run with --checkpoint " + checkpoint + " goes on from there, with nothing lost or repeated"
	}
	fmt.Fprintf(x.stderr, "export: interrupted after %d events of %s; every event before %s is written; %s\n",
		written, sanitize.String(x.org), at.UTC().Format(time.RFC3339), sanitize.String(how))
	return w.Flush()
}

// saveCheckpoint writes cp to path through a temporary file and a rename,
// so a crash leaves the old checkpoint or the new one, never half of one.
func saveCheckpoint(path string, cp audit.Checkpoint) error {
	b, err := json.Marshal(cp)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".hubtui-checkpoint-*")
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("checkpoint: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("checkpoint: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}
