package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/panes/tokens"
	"github.com/hubtui/hubtui/ui/safeout"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// tokensExporter is `hubtui export tokens [--org ORG]`, for access reviews:
// the signed-in user's personal access tokens, or with --org the
// organization's access tokens with their resources. Never a secret: the
// Hub sends none in lists, and the record has no field for one.
func tokensExporter() exporter {
	explicitOrg := false // --org given: the context's org alone does not switch to OATs
	return exporter{
		usage: "tokens [--org ORG]",
		flags: func(fs *flag.FlagSet) func() error {
			return func() error {
				fs.Visit(func(f *flag.Flag) { explicitOrg = explicitOrg || f.Name == "org" })
				return nil
			}
		},
		run: func(ctx context.Context, x *exportRun) error {
			if explicitOrg {
				return exportOATs(ctx, x)
			}
			return exportPATs(ctx, x)
		},
	}
}

// tokenRecord is one row of `export tokens`.
type tokenRecord struct {
	Kind        string                             `json:"kind"` // personal or organization
	Org         string                             `json:"org,omitempty"`
	ID          string                             `json:"id"`
	Label       string                             `json:"label"`
	Description string                             `json:"description,omitempty"`
	CreatedBy   string                             `json:"created_by,omitempty"`
	CreatorIP   string                             `json:"creator_ip,omitempty"`
	CreatorUA   string                             `json:"creator_user_agent,omitempty"`
	Scopes      []string                           `json:"scopes,omitempty"`
	Resources   []hubclient.OrgAccessTokenResource `json:"resources,omitempty"`
	Active      bool                               `json:"active"`
	CreatedAt   time.Time                          `json:"created_at"`
	LastUsed    *time.Time                         `json:"last_used"`
	ExpiresAt   *time.Time                         `json:"expires_at"`
	Attention   []string                           `json:"attention"`
}

func patRecord(t hubclient.AccessToken, now time.Time) tokenRecord {
	return tokenRecord{Kind: "personal", ID: t.UUID, Label: t.TokenLabel, CreatorIP: t.CreatorIP, CreatorUA: t.CreatorUA,
		Scopes: t.Scopes, Active: t.IsActive, CreatedAt: t.CreatedAt, LastUsed: t.LastUsed, ExpiresAt: t.ExpiresAt,
		Attention: nonNil(tokens.PATFlags(t, now).Words())}
}

func oatRecord(org string, t hubclient.OrgAccessToken, now time.Time) tokenRecord {
	return tokenRecord{Kind: "organization", Org: org, ID: t.ID, Label: t.Label, Description: t.Description, CreatedBy: t.CreatedBy,
		Resources: t.Resources, Active: t.IsActive, CreatedAt: t.CreatedAt, LastUsed: t.LastUsedAt, ExpiresAt: t.ExpiresAt,
		Attention: nonNil(tokens.OATFlags(t, now).Words())}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func exportPATs(ctx context.Context, x *exportRun) error {
	var rows atomic.Int64
	fetch := func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.AccessToken, *hubclient.Response, error) {
		return x.c.Tokens.List(ctx, &hubclient.TokenListOptions{ListOptions: o})
	}
	list, err := hubclient.ListAll(ctx, x.c, fetch, func(_ int, items []hubclient.AccessToken) {
		x.step("export: %d personal access tokens…", rows.Add(int64(len(items))))
	})
	x.step("")
	if err != nil {
		return fmt.Errorf("export personal access tokens (only a password sign-in may list them): %w", err)
	}
	now := time.Now()
	recs := make([]tokenRecord, len(list))
	for i, t := range list {
		recs[i] = patRecord(t, now)
	}
	if err := writeTokens(x.stdout, x.format, recs); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	x.done("export: %d personal access tokens", len(recs))
	return nil
}

func exportOATs(ctx context.Context, x *exportRun) error {
	if x.org == "" {
		return usageError{"--org ORG: give the organization"}
	}
	fetch := func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.OrgAccessToken, *hubclient.Response, error) {
		return x.c.OrgTokens.List(ctx, x.org, &hubclient.OrgTokenListOptions{ListOptions: o})
	}
	list, err := hubclient.ListAll(ctx, x.c, fetch, nil)
	if err != nil {
		return fmt.Errorf("export access tokens of %s: %w", x.org, err)
	}
	now := time.Now()
	recs := make([]tokenRecord, len(list))
	for i, t := range list {
		// The list leaves the resources out: one read per token.
		x.step("export: resources of %d of %d access tokens of %s…", i+1, len(list), sanitize.String(x.org))
		full, _, err := x.c.OrgTokens.Get(ctx, x.org, t.ID)
		if err != nil {
			return fmt.Errorf("export access tokens of %s: %w", x.org, err)
		}
		t.Resources = full.Resources
		recs[i] = oatRecord(x.org, t, now)
	}
	x.step("")
	if err := writeTokens(x.stdout, x.format, recs); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	x.done("export: %d access tokens of %s", len(recs), sanitize.String(x.org))
	return nil
}

// writeTokens writes the records in format; every server string is made
// safe (csvSafe, writeJSON).
func writeTokens(w io.Writer, format string, recs []tokenRecord) error {
	switch format {
	case "json":
		if recs == nil {
			recs = []tokenRecord{}
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
	_ = cw.Write([]string{"kind", "org", "id", "label", "description", "created_by", "creator_ip", "creator_user_agent",
		"scopes", "resources", "active", "created_at", "last_used", "expires_at", "attention"})
	for _, r := range recs {
		res := make([]string, len(r.Resources))
		for i, x := range r.Resources {
			res[i] = x.Type + " " + x.Path + " " + strings.Join(x.Scopes, ",")
		}
		active := "false"
		if r.Active {
			active = "true"
		}
		_ = cw.Write([]string{r.Kind, safeout.CSV(r.Org), safeout.CSV(r.ID), safeout.CSV(r.Label), safeout.CSV(r.Description), safeout.CSV(r.CreatedBy),
			safeout.CSV(r.CreatorIP), safeout.CSV(r.CreatorUA), safeout.CSV(strings.Join(r.Scopes, " ")), safeout.CSV(strings.Join(res, "; ")), active,
			csvTime(r.CreatedAt), csvTimePtr(r.LastUsed), csvTimePtr(r.ExpiresAt), strings.Join(r.Attention, "; ")})
	}
	cw.Flush()
	return cw.Error()
}

func csvTimePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return csvTime(*t)
}
