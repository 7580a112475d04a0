package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/hubtui/hubtui/config"
	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// An exporter is one `hubtui export KIND` subcommand: its usage line, the
// flags of its own, and what it writes. Each lives in export_KIND.go and is
// listed in exporters.
type exporter struct {
	usage string // after "hubtui export ", e.g. "tags --repo NS/REPO"
	// flags adds the exporter's own flags to fs and returns a check run
	// after parsing (nil: nothing to check).
	flags func(fs *flag.FlagSet) func() error
	run   func(ctx context.Context, x *exportRun) error
}

// exportRun is what an exporter works with.
type exportRun struct {
	c        *hubclient.Client
	org      string
	format   string // csv, json or jsonl
	stdout   io.Writer
	stderr   io.Writer
	progress bool // stderr is a terminal
	start    time.Time
	// cfg is the config file read; nil with --demo (the defaults).
	cfg *config.Config
}

// step reports progress on stderr, when it is a terminal.
func (x *exportRun) step(format string, args ...any) {
	if x.progress {
		fmt.Fprintf(x.stderr, "\r\033[K"+format, args...)
	}
}

// done ends the progress line with a summary.
func (x *exportRun) done(format string, args ...any) {
	if x.progress {
		fmt.Fprintf(x.stderr, "\r\033[K"+format+" in %s\n", append(args, time.Since(x.start).Round(time.Millisecond))...)
	}
}

// exporters are the export subcommands by kind.
func exporters() map[string]exporter {
	return map[string]exporter{
		"repos":   reposExporter(),
		"tags":    tagsExporter(),
		"access":  accessExporter(),
		"audit":   auditExporter(),
		"tokens":  tokensExporter(),
		"members": membersExporter(),
		"teams":   teamsExporter(),
		"invites": invitesExporter(),
	}
}

// exportUsage lists every export subcommand.
func exportUsage() string {
	ex := exporters()
	kinds := make([]string, 0, len(ex))
	for k := range ex {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var b strings.Builder
	for i, k := range kinds {
		if i == 0 {
			b.WriteString("usage: ")
		} else {
			b.WriteString("       ")
		}
		fmt.Fprintf(&b, "hubtui export %s [--format csv|json|jsonl]\n", ex[k].usage)
	}
	return strings.TrimRight(b.String(), "\n")
}

// runExport handles `hubtui export KIND [flags]`.
func runExport(args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		return usageError{exportUsage()}
	}
	ex, ok := exporters()[args[0]]
	if !ok {
		return usageError{fmt.Sprintf("export %q: there is no such export\n%s", sanitize.String(args[0]), exportUsage())}
	}
	var f flags
	fs := newFlagSet("export "+args[0], &f, stderr)
	format := fs.String("format", "csv", "csv, json or jsonl")
	var check func() error
	if ex.flags != nil {
		check = ex.flags(fs)
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: hubtui export %s [--format csv|json|jsonl]\n\nflags:\n", ex.usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{} // the flag package has said what is wrong
	}
	if f.help {
		fs.Usage()
		return nil
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("export %s: unexpected %q\nusage: hubtui export %s", args[0], sanitize.String(fs.Arg(0)), ex.usage)}
	}
	if err := checkDemoFlags(fs, f); err != nil {
		return err
	}
	switch *format {
	case "csv", "json", "jsonl":
	default:
		return usageError{fmt.Sprintf("--format %q: want csv, json or jsonl", *format)}
	}
	if check != nil {
		if err := check(); err != nil {
			return usageError{err.Error()}
		}
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	var c *hubclient.Client
	var cfg *config.Config
	org := f.org
	if f.demo {
		activity := 0.0 // a demo export is of the dataset, unless asked to move
		fs.Visit(func(fl *flag.Flag) {
			if fl.Name == "demo-activity" {
				activity = f.activity
			}
		})
		sess, stop, err := startDemo(activity)
		if err != nil {
			return err
		}
		defer stop()
		c = sess.Client
		if org == "" {
			org = sess.Org
		}
	} else {
		var err error
		cfg, err = loadConfig(f.config, stderr)
		if err != nil {
			return err
		}
		t, err := resolveTarget(cfg, f, getenv)
		if err != nil {
			return err
		}
		sess, err := connect(ctx, t, getenv, func(msg string) { warn(stderr, msg) })
		var notForHub *config.EnvNotForHubError
		switch {
		case errors.As(err, &notForHub):
			return usageError{err.Error()}
		case err != nil:
			return fmt.Errorf("credentials: %w", err)
		case sess.Client == nil:
			return usageError{"no credentials: set HUBTUI_USERNAME and HUBTUI_TOKEN, or docker login"}
		}
		c = sess.Client
		if org == "" {
			org = t.org
		}
	}
	x := &exportRun{c: c, org: org, format: *format, stdout: stdout, stderr: stderr, progress: isTerminal(stderr), start: time.Now(), cfg: cfg}
	return ex.run(ctx, x)
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
