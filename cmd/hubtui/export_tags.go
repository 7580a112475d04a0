package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/safeout"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// tagsExporter is `hubtui export tags --repo NS/REPO`: every page, fetched
// concurrently once the first tells the count (within the rate budget).
func tagsExporter() exporter {
	var repo string
	return exporter{
		usage: "tags --repo NS/REPO",
		flags: func(fs *flag.FlagSet) func() error {
			fs.StringVar(&repo, "repo", "", "repository, namespace/name (a bare name is one of --org's)")
			return func() error {
				if repo == "" {
					return errors.New("--repo NS/REPO is required")
				}
				return nil
			}
		},
		run: func(ctx context.Context, x *exportRun) error { return exportTags(ctx, x, repo) },
	}
}

func exportTags(ctx context.Context, x *exportRun, repo string) error {
	ns, name, ok := strings.Cut(repo, "/")
	if !ok {
		ns, name = x.org, repo
	}
	if ns == "" || name == "" || strings.Contains(name, "/") {
		return usageError{fmt.Sprintf("--repo %q: write it as namespace/name, like acme/web", sanitize.String(repo))}
	}
	ref := ns + "/" + name
	var rows atomic.Int64
	fetch := func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.Tag, *hubclient.Response, error) {
		return x.c.Tags.List(ctx, ns, name, &hubclient.TagListOptions{ListOptions: o})
	}
	tags, err := hubclient.ListAll(ctx, x.c, fetch, func(_ int, items []hubclient.Tag) {
		x.step("export: %d tags of %s…", rows.Add(int64(len(items))), sanitize.String(ref))
	})
	x.step("")
	if err != nil {
		return fmt.Errorf("export tags of %s: %w", ref, err)
	}
	if err := writeTags(x.stdout, x.format, ref, tags); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	x.done("export: %d tags of %s", len(tags), sanitize.String(ref))
	return nil
}

// writeTags writes tags in format, most recently pushed first as the Hub
// lists them. Every server string is made safe (csvSafe, writeJSON).
func writeTags(w io.Writer, format, ref string, tags []hubclient.Tag) error {
	switch format {
	case "json":
		if tags == nil {
			tags = []hubclient.Tag{}
		}
		return safeout.JSON(w, tags, "  ")
	case "jsonl":
		for _, t := range tags {
			if err := safeout.JSON(w, t, ""); err != nil {
				return err
			}
		}
		return nil
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"repository", "tag", "digest", "size", "platforms", "status", "last_pushed", "last_pulled", "last_updated", "pushed_by"})
	for _, t := range tags {
		plats := make([]string, 0, len(t.Images))
		for _, im := range t.Images {
			plats = append(plats, im.Platform())
		}
		_ = cw.Write([]string{safeout.CSV(ref), safeout.CSV(t.Name), safeout.CSV(t.Digest), strconv.FormatInt(t.FullSize, 10), safeout.CSV(strings.Join(plats, " ")),
			safeout.CSV(t.Status), csvTime(t.TagLastPushed), csvTime(t.TagLastPulled), csvTime(t.LastUpdated), safeout.CSV(t.LastUpdaterUsername)})
	}
	cw.Flush()
	return cw.Error()
}
