package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"

	"github.com/hubtui/hubtui/state/access"
	"github.com/hubtui/hubtui/ui/safeout"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// accessExporter is `hubtui export access --org ORG [--member U] [--repo
// NS/REPO]`: who can do what, one row per member, repository and team, for
// a quarterly review. Repositories the Hub did not describe are named on
// stderr and make the exit status 1 after everything else is written.
func accessExporter() exporter {
	var member, repo string
	return exporter{
		usage: "access --org ORG [--member USER] [--repo NS/REPO]",
		flags: func(fs *flag.FlagSet) func() error {
			fs.StringVar(&member, "member", "", "only this member's access")
			fs.StringVar(&repo, "repo", "", "only access to this repository (owners included)")
			return nil
		},
		run: func(ctx context.Context, x *exportRun) error {
			if x.org == "" {
				return usageError{"--org is required"}
			}
			rep, err := access.Load(ctx, x.c, x.org, func(done, total int) {
				x.step("export: access of %s, %d of %d repositories…", sanitize.String(x.org), done, total)
			})
			x.step("")
			if err != nil {
				return err
			}
			gs := access.Filter(rep.Grants, member, repo)
			if err := writeAccess(x.stdout, x.format, gs); err != nil {
				return fmt.Errorf("write: %w", err)
			}
			x.done("export: %d grants over %d members and %d repositories of %s", len(gs), rep.Members, rep.Repos, sanitize.String(x.org))
			if len(rep.Unanswered) > 0 {
				for _, u := range rep.Unanswered {
					fmt.Fprintln(x.stderr, "not answered: "+sanitize.String(u))
				}
				return fmt.Errorf("the Hub did not answer for %d repositories", len(rep.Unanswered))
			}
			return nil
		},
	}
}

func writeAccess(w io.Writer, format string, gs []access.Grant) error {
	type row struct {
		Member     string `json:"member"`
		Role       string `json:"role"`
		Team       string `json:"team"`
		Repository string `json:"repository"`
		Permission string `json:"permission"`
	}
	rows := make([]row, len(gs))
	for i, g := range gs {
		rows[i] = row(g)
	}
	switch format {
	case "json":
		return safeout.JSON(w, rows, "  ")
	case "jsonl":
		for _, r := range rows {
			if err := safeout.JSON(w, r, ""); err != nil {
				return err
			}
		}
		return nil
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"member", "role", "team", "repository", "permission"})
	for _, r := range rows {
		_ = cw.Write([]string{safeout.CSV(r.Member), safeout.CSV(r.Role), safeout.CSV(r.Team), safeout.CSV(r.Repository), safeout.CSV(r.Permission)})
	}
	cw.Flush()
	return cw.Error()
}
