package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/safeout"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// invitesExporter is `hubtui export invites`: the org's pending invites
// (owners only, as the Hub has it), newest first as the Hub lists them.
func invitesExporter() exporter {
	return exporter{
		usage: "invites --org ORG",
		run:   exportInvites,
	}
}

func exportInvites(ctx context.Context, x *exportRun) error {
	x.step("export: pending invites of %s…", sanitize.String(x.org))
	invs, _, err := x.c.Invites.List(ctx, x.org)
	x.step("")
	if err != nil {
		return fmt.Errorf("export invites: %w", err)
	}
	if err := writeInvites(x.stdout, x.format, invs); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	x.done("export: %d pending invites of %s", len(invs), sanitize.String(x.org))
	return nil
}

// writeInvites writes invs in format; every server string is made safe.
func writeInvites(w io.Writer, format string, invs []hubclient.Invite) error {
	switch format {
	case "json":
		if invs == nil {
			invs = []hubclient.Invite{}
		}
		return safeout.JSON(w, invs, "  ")
	case "jsonl":
		for _, v := range invs {
			if err := safeout.JSON(w, v, ""); err != nil {
				return err
			}
		}
		return nil
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"org", "invitee", "role", "team", "inviter", "created", "id"})
	for _, v := range invs {
		_ = cw.Write([]string{safeout.CSV(v.Org), safeout.CSV(v.Invitee), safeout.CSV(v.Role), safeout.CSV(v.Team), safeout.CSV(v.InviterUsername), csvTime(v.CreatedAt), safeout.CSV(v.ID)})
	}
	cw.Flush()
	return cw.Error()
}
