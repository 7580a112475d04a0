package audit

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/safeout"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// ActSave saves the events on view to a file.
const ActSave = "save_events"

// savedMsg is the end of a save.
type savedMsg struct {
	r   safeout.Saved
	evs []hubclient.AuditLog // what was saved, kept to save again over the file
	org string
}

// saveBinding is e: save what is on view to a file the user names, as
// JSON Lines or CSV by the file's ending.
func (p *Pane) saveBinding(env pane.Env) pane.Binding {
	why := ""
	if p.shown() == 0 {
		why = "no events on view"
	}
	return pane.Binding{Action: ActSave, Keys: []string{"e"}, Help: "save the events on view (filters applied) to a file (.jsonl or .csv)", Short: "save",
		Group: pane.GroupGeneral, Disabled: why, Run: func() tea.Cmd {
			org := env.Org()
			n := p.shown()
			what := fmt.Sprintf("Save the %d audit events of %s", n, org)
			if p.matched != "" || p.filter.active() {
				what = fmt.Sprintf("Save the %d audit events of %s that the filters keep", n, org)
			}
			env.Ask(dialog.NewPrompt(what,
				"Oldest first, as JSON Lines (a name ending in .jsonl) or CSV (.csv). A leading ~/ is your home directory.",
				safeout.DefaultPath(org, "audit", "jsonl", env.Now()), 0, checkSavePath,
				func(path string) tea.Cmd { return p.save(org, path, p.held(), false) }))
			return nil
		}}
}

// checkSavePath wants a file name ending in .jsonl, .json or .csv.
func checkSavePath(v string) error {
	if err := safeout.CheckPath(v); err != nil {
		return err
	}
	if saveFormat(v) == "" {
		return errors.New("end the name in .jsonl or .csv")
	}
	return nil
}

// saveFormat is the writer's format for path: "csv", "jsonl" or "" (neither).
func saveFormat(path string) string {
	switch strings.ToLower(filepath.Ext(strings.TrimSpace(path))) {
	case ".csv":
		return "csv"
	case ".jsonl", ".json":
		return "jsonl"
	}
	return ""
}

// held is what a save writes: the events on view (the local filter's
// matches when it is set; while paused, those shown), oldest first, taken
// in Update so the Cmd works on its own copy.
func (p *Pane) held() []hubclient.AuditLog {
	n := p.shown()
	out := make([]hubclient.AuditLog, n)
	for i := range n {
		out[i], _ = p.event(n - 1 - i)
	}
	return out
}

// save writes evs to path in a Cmd; an existing file is only replaced when
// overwrite is set (after asking).
func (p *Pane) save(org, path string, evs []hubclient.AuditLog, overwrite bool) tea.Cmd {
	format := saveFormat(path)
	return func() tea.Msg {
		r := safeout.Save(path, overwrite, func() ([]byte, error) {
			var buf bytes.Buffer
			w := safeout.NewAuditWriter(&buf, format)
			for _, e := range evs {
				if err := w.Write(e); err != nil {
					return nil, fmt.Errorf("encode the audit events of %s: %w", org, err)
				}
			}
			if err := w.Flush(); err != nil {
				return nil, fmt.Errorf("encode the audit events of %s: %w", org, err)
			}
			return buf.Bytes(), nil
		})
		return savedMsg{r: r, evs: evs, org: org}
	}
}

// saved reports the end of a save, asking before replacing a file.
func (p *Pane) saved(env pane.Env, m savedMsg) tea.Cmd {
	switch {
	case m.r.Exists:
		env.Ask(dialog.NewReplace(m.r.Path, func() tea.Cmd { return p.save(m.org, m.r.Path, m.evs, true) }))
	case m.r.Err != nil:
		env.Fail("", fmt.Errorf("save the audit events of %s: %w", m.org, m.r.Err))
	default:
		env.Say(fmt.Sprintf("saved %d events to %s", len(m.evs), sanitize.String(m.r.Path)))
	}
	return nil
}
