package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/hubtui/hubtui/config"
	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// runExport handles `hubtui export repos --org ORG [--format csv|json|jsonl]`.
func runExport(args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 || args[0] != "repos" {
		return usageError{"usage: hubtui export repos --org ORG [--format csv|json|jsonl] (more exports come with their panes)"}
	}
	var f flags
	fs := newFlagSet("export repos", &f, stderr)
	format := fs.String("format", "csv", "csv, json or jsonl")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{} // the flag package has said what is wrong
	}
	if err := checkDemoFlags(fs, f); err != nil {
		return err
	}
	switch *format {
	case "csv", "json", "jsonl":
	default:
		return usageError{fmt.Sprintf("--format %q: want csv, json or jsonl", *format)}
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	var c *hubclient.Client
	org := f.org
	if f.demo {
		sess, stop, err := startDemo(0)
		if err != nil {
			return err
		}
		defer stop()
		c = sess.Client
		if org == "" {
			org = sess.Org
		}
	} else {
		cfg, err := loadConfig(f.config, stderr)
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
	if org == "" {
		return usageError{"--org is required"}
	}
	var pages, rows atomic.Int64
	progress := isTerminal(stderr)
	start := time.Now()
	fetch := func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.Repository, *hubclient.Response, error) {
		return c.Repos.List(ctx, org, &hubclient.RepoListOptions{ListOptions: o})
	}
	repos, err := hubclient.ListAll(ctx, c, fetch, func(_ int, items []hubclient.Repository) {
		pages.Add(1)
		n := rows.Add(int64(len(items)))
		if progress {
			fmt.Fprintf(stderr, "\rexport: %d repositories, %d pages…", n, pages.Load())
		}
	})
	if progress {
		fmt.Fprintf(stderr, "\r\033[K")
	}
	if err != nil {
		return fmt.Errorf("export repositories of %s: %w", org, err)
	}
	if err := writeRepos(stdout, *format, repos); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	if progress {
		fmt.Fprintf(stderr, "export: %d repositories of %s in %s\n", len(repos), sanitize.String(org), time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// writeRepos writes repos in format. Every string from the server is made
// safe: csvSafe for CSV cells, escapeJSON (through writeJSON) for JSON.
func writeRepos(w io.Writer, format string, repos []hubclient.Repository) error {
	switch format {
	case "json":
		if repos == nil {
			repos = []hubclient.Repository{}
		}
		return writeJSON(w, repos, "  ")
	case "jsonl":
		for _, r := range repos {
			if err := writeJSON(w, r, ""); err != nil {
				return err
			}
		}
		return nil
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"namespace", "name", "visibility", "pulls", "stars", "last_updated", "date_registered", "description"})
	for _, r := range repos {
		vis := "public"
		if r.IsPrivate {
			vis = "private"
		}
		_ = cw.Write([]string{csvSafe(r.Namespace), csvSafe(r.Name), vis, strconv.FormatInt(r.PullCount, 10), strconv.FormatInt(r.StarCount, 10),
			csvTime(r.LastUpdated), csvTime(r.DateRegistered), csvSafe(r.Description)})
	}
	cw.Flush()
	return cw.Error()
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
