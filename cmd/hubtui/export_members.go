package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/safeout"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// memberRecord is one row of `export members`: a member or a pending invitee.
type memberRecord struct {
	Username     string     `json:"username"`
	FullName     string     `json:"full_name"`
	Email        string     `json:"email"`
	Role         string     `json:"role"` // owner, editor, member; the invited role is not listed, so "" for invitees
	Type         string     `json:"type"` // member, guest or invitee
	Teams        []string   `json:"teams"`
	DateJoined   *time.Time `json:"date_joined"`
	LastLoggedIn *time.Time `json:"last_logged_in"`
}

func memberRecordOf(m hubclient.Member) memberRecord {
	r := memberRecord{Username: m.Username, FullName: m.FullName, Email: m.Email, Role: m.OrgRole(), Type: "member",
		Teams: m.Groups, LastLoggedIn: m.LastLoggedInAt}
	switch {
	case m.IsInvitee():
		r.Type = "invitee"
	case m.IsGuest:
		r.Type = "guest"
	}
	if r.Teams == nil {
		r.Teams = []string{}
	}
	if !m.DateJoined.IsZero() {
		t := m.DateJoined
		r.DateJoined = &t
	}
	return r
}

// membersExporter is `hubtui export members --org ORG`: the members and
// the pending invitees.
func membersExporter() exporter {
	return exporter{usage: "members --org ORG", run: exportMembers}
}

// exportMembers writes the members of the org and its pending invitees.
func exportMembers(ctx context.Context, x *exportRun) error {
	if x.org == "" {
		return usageError{"--org is required"}
	}
	var rows atomic.Int64
	fetch := func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.Member, *hubclient.Response, error) {
		return x.c.Members.List(ctx, x.org, &hubclient.MemberListOptions{ListOptions: o, Type: hubclient.MemberTypeAll})
	}
	ms, err := hubclient.ListAll(ctx, x.c, fetch, func(_ int, items []hubclient.Member) {
		x.step("export: %d members of %s…", rows.Add(int64(len(items))), sanitize.String(x.org))
	})
	x.step("")
	if err != nil {
		return fmt.Errorf("export members of %s: %w", x.org, err)
	}
	recs := make([]memberRecord, len(ms))
	for i, m := range ms {
		recs[i] = memberRecordOf(m)
	}
	if err := writeMembers(x.stdout, x.format, recs); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	x.done("export: %d members and invitees of %s", len(recs), sanitize.String(x.org))
	return nil
}

// writeMembers writes recs in format; server strings are made safe as in writeRepos.
func writeMembers(w io.Writer, format string, recs []memberRecord) error {
	switch format {
	case "json":
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
	_ = cw.Write([]string{"username", "full_name", "email", "role", "type", "teams", "date_joined", "last_logged_in"})
	for _, r := range recs {
		teams := make([]string, len(r.Teams))
		for i, t := range r.Teams {
			teams[i] = sanitize.String(t)
		}
		_ = cw.Write([]string{safeout.CSV(r.Username), safeout.CSV(r.FullName), safeout.CSV(r.Email), r.Role, r.Type,
			safeout.CSV(strings.Join(teams, ", ")), csvTimePtr(r.DateJoined), csvTimePtr(r.LastLoggedIn)})
	}
	cw.Flush()
	return cw.Error()
}
