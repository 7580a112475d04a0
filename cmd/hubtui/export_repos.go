package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"sync/atomic"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/safeout"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// reposExporter is `hubtui export repos --org ORG`.
func reposExporter() exporter {
	return exporter{usage: "repos --org ORG", run: exportRepos}
}

func exportRepos(ctx context.Context, x *exportRun) error {
	if x.org == "" {
		return usageError{"--org is required"}
	}
	var pages, rows atomic.Int64
	fetch := func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.Repository, *hubclient.Response, error) {
		return x.c.Repos.List(ctx, x.org, &hubclient.RepoListOptions{ListOptions: o})
	}
	repos, err := hubclient.ListAll(ctx, x.c, fetch, func(_ int, items []hubclient.Repository) {
		pages.Add(1)
		x.step("export: %d repositories, %d pages…", rows.Add(int64(len(items))), pages.Load())
	})
	x.step("")
	if err != nil {
		return fmt.Errorf("export repositories of %s: %w", x.org, err)
	}
	if err := writeRepos(x.stdout, x.format, repos); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	x.done("export: %d repositories of %s", len(repos), sanitize.String(x.org))
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
		return safeout.JSON(w, repos, "  ")
	case "jsonl":
		for _, r := range repos {
			if err := safeout.JSON(w, r, ""); err != nil {
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
		_ = cw.Write([]string{safeout.CSV(r.Namespace), safeout.CSV(r.Name), vis, strconv.FormatInt(r.PullCount, 10), strconv.FormatInt(r.StarCount, 10),
			csvTime(r.LastUpdated), csvTime(r.DateRegistered), safeout.CSV(r.Description)})
	}
	cw.Flush()
	return cw.Error()
}
