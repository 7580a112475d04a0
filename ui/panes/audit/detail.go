package audit

import (
	"fmt"
	"sort"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/text"
)

// Detail is one event with every field and its data.
type Detail struct {
	e     hubclient.AuditLog
	utc   bool
	label string // the catalogue's label of the action, or ""
}

// Kind is state.Audit.
func (d *Detail) Kind() state.Kind { return state.Audit }

// Title is the action.
func (d *Detail) Title() string { return d.e.Action }

// Enter does nothing: the event is held.
func (d *Detail) Enter(pane.Env) tea.Cmd { return nil }

// Leave does nothing.
func (d *Detail) Leave(pane.Env) {}

// Update takes nothing.
func (d *Detail) Update(pane.Env, tea.Msg) tea.Cmd { return nil }

// Bindings: open the object in its pane.
func (d *Detail) Bindings(env pane.Env) []pane.Binding {
	name := d.e.Name
	isRepo := strings.Contains(name, "/")
	why := ""
	if !isRepo {
		why = "the object is not a repository"
	}
	return []pane.Binding{{Action: "open_object", Keys: []string{"o"}, Help: "the repository in the Tags pane", Short: "open object", Group: pane.GroupPanes,
		Disabled: why, Run: func() tea.Cmd { env.Open(state.Tags, name); return nil }}}
}

// Status is the time.
func (d *Detail) Status(pane.Env) string { return d.e.Timestamp.UTC().Format(time.RFC3339) }

// View draws every field.
func (d *Detail) View(env pane.Env, w, h int) string {
	th := env.Theme()
	field := func(l, v string) string {
		return th.Label.Render(fmt.Sprintf("  %-13s", l)) + text.Truncate(sanitize.String(v), max(10, w-17))
	}
	at := d.e.Timestamp.Local().Format("2006-01-02 15:04:05 MST")
	if d.utc {
		at = d.e.Timestamp.UTC().Format(time.RFC3339)
	}
	out := []string{"", "  " + th.Title.Render(sanitize.String(d.e.Action)), "",
		field("Action", d.e.Action+labelled(d.label, d.e.Action)), field("Time", at), field("Actor", d.e.Actor), field("Object", d.e.Name), field("Account", d.e.Account),
		field("Description", d.e.ActionDescription), "", "  " + th.Title.Render("Data")}
	keys := make([]string, 0, len(d.e.Data))
	for k := range d.e.Data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, field(k, d.e.Data[k]))
	}
	if len(keys) == 0 {
		out = append(out, "  "+th.Dim.Render("none"))
	}
	if len(out) > h {
		out = out[:h]
	}
	return strings.Join(out, "\n")
}

// labelled is " (label)" when the catalogue gave action a label of its own.
func labelled(label, action string) string {
	if label == "" || label == action {
		return ""
	}
	return " (" + label + ")"
}
