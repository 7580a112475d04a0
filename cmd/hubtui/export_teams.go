package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/safeout"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// teamRecord is one row of `export teams`: a team and one of its members,
// or a team without members (member fields empty).
type teamRecord struct {
	Team        string `json:"team"`
	Description string `json:"description"`
	Username    string `json:"username"`
	FullName    string `json:"full_name"`
	Email       string `json:"email"`
}

// teamsExporter is `hubtui export teams --org ORG`: one row per team and member.
func teamsExporter() exporter {
	return exporter{usage: "teams --org ORG", run: exportTeams}
}

// exportTeams writes one row per team and member of the org.
func exportTeams(ctx context.Context, x *exportRun) error {
	if x.org == "" {
		return usageError{"--org is required"}
	}
	c, org := x.c, x.org
	var rows atomic.Int64
	fetchTeams := func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.Team, *hubclient.Response, error) {
		return c.Teams.List(ctx, org, &hubclient.TeamListOptions{ListOptions: o})
	}
	teams, err := hubclient.ListAll(ctx, c, fetchTeams, nil)
	if err != nil {
		x.step("")
		return fmt.Errorf("export teams of %s: %w", org, err)
	}
	var recs []teamRecord
	for _, t := range teams {
		fetch := func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.TeamMember, *hubclient.Response, error) {
			return c.Teams.ListMembers(ctx, org, t.Name, &hubclient.TeamMemberListOptions{ListOptions: o})
		}
		ms, err := hubclient.ListAll(ctx, c, fetch, func(_ int, items []hubclient.TeamMember) {
			x.step("export: %d members of %d teams of %s…", rows.Add(int64(len(items))), len(teams), sanitize.String(org))
		})
		if err != nil {
			x.step("")
			return fmt.Errorf("export teams of %s: %w", org, err)
		}
		if len(ms) == 0 {
			recs = append(recs, teamRecord{Team: t.Name, Description: t.Description})
		}
		for _, m := range ms {
			recs = append(recs, teamRecord{Team: t.Name, Description: t.Description, Username: m.Username, FullName: m.FullName, Email: m.Email})
		}
	}
	x.step("")
	if err := writeTeams(x.stdout, x.format, recs); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	x.done("export: %d rows of %d teams of %s", len(recs), len(teams), sanitize.String(org))
	return nil
}

func writeTeams(w io.Writer, format string, recs []teamRecord) error {
	switch format {
	case "json":
		if recs == nil {
			recs = []teamRecord{}
		}
		return safeout.JSON(w, recs, "  ")
	case "jsonl":
		for _, r := range recs {
			if err := safeout.JSON(w, r, ""); err != nil {
				return err
			}
		}
		return nil
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"team", "description", "username", "full_name", "email"})
	for _, r := range recs {
		_ = cw.Write([]string{safeout.CSV(r.Team), safeout.CSV(r.Description), safeout.CSV(r.Username), safeout.CSV(r.FullName), safeout.CSV(r.Email)})
	}
	cw.Flush()
	return cw.Error()
}
