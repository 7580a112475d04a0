package safeout

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"time"

	"github.com/hubtui/hubtui/hubclient"
)

// AuditWriter writes audit events as JSONL or CSV (json writes JSONL too: a
// stream has no end to close an array at).
type AuditWriter struct {
	w      io.Writer
	csv    *csv.Writer
	header bool
}

// NewAuditWriter writes to w in format: "csv", else JSONL.
func NewAuditWriter(w io.Writer, format string) *AuditWriter {
	a := &AuditWriter{w: w}
	if format == "csv" {
		a.csv = csv.NewWriter(w)
	}
	return a
}

// Write writes one event (after the CSV header, first).
func (a *AuditWriter) Write(e hubclient.AuditLog) error {
	if a.csv == nil {
		return JSON(a.w, e, "")
	}
	if !a.header {
		a.header = true
		_ = a.csv.Write([]string{"timestamp", "action", "actor", "name", "description", "data"})
	}
	data, _ := json.Marshal(e.Data)
	return a.csv.Write([]string{e.Timestamp.UTC().Format(time.RFC3339), CSV(e.Action), CSV(e.Actor), CSV(e.Name),
		CSV(e.ActionDescription), CSV(string(data))})
}

// Flush writes out what is buffered.
func (a *AuditWriter) Flush() error {
	if a.csv != nil {
		a.csv.Flush()
		return a.csv.Error()
	}
	return nil
}
