package audit

import (
	"fmt"
	"sort"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

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

// Actions of the event's page.
const (
	ActOpenObject = "open_object"
	ActOpenActor  = "open_actor"
)

// Pages is an event's page, for the keymap.
func (p *Pane) Pages() []pane.Pane { return []pane.Pane{&Detail{}} }

// Bindings: open the object in its pane (a repository in Tags, a member in
// Members), and the actor in Members.
func (d *Detail) Bindings(env pane.Env) []pane.Binding {
	kind, scope, why := objectLink(d.e)
	help := "the object in its pane"
	switch kind {
	case state.Tags:
		help = "the repository " + sanitize.String(scope) + " in the Tags pane"
	case state.Members:
		help = "the member " + sanitize.String(scope) + " in the Members pane"
	}
	actor := ActorUser(d.e.Actor)
	actorWhy := ""
	if actor == "" {
		actorWhy = "the event names no actor"
	}
	return []pane.Binding{
		{Action: ActOpenObject, Keys: []string{"enter", "o"}, Help: help, Short: "open object", Group: pane.GroupPanes,
			Disabled: why, Run: func() tea.Cmd { env.Open(kind, scope); return nil }},
		{Action: ActOpenActor, Keys: []string{"a"}, Help: "the actor in the Members pane", Short: "open actor", Group: pane.GroupPanes,
			Disabled: actorWhy, Run: func() tea.Cmd { env.Open(state.Members, actor); return nil }},
	}
}

// objectLink is where the object of e opens: a repository ("ns/name") in
// Tags; the member of a team-member event (its name) or of a member event
// (data "member" or "username", else its name when that is not the
// organization) in Members. why says why it opens nowhere.
func objectLink(e hubclient.AuditLog) (kind state.Kind, scope, why string) {
	name := strings.TrimSpace(e.Name)
	switch {
	case strings.HasPrefix(e.Action, "org.team.member."):
		if name != "" {
			return state.Members, name, ""
		}
	case strings.HasPrefix(e.Action, "org.member."):
		for _, k := range []string{"member", "username"} {
			if u := strings.TrimSpace(e.Data[k]); u != "" {
				return state.Members, u, ""
			}
		}
		if name != "" && name != e.Account && !strings.Contains(name, "/") {
			return state.Members, name, ""
		}
		return "", "", "the event does not name the member"
	case strings.Contains(name, "/"):
		return state.Tags, name, ""
	}
	return "", "", "the object is not a repository or a member"
}

// ActorUser is the username of an event's actor: the actor itself, or the
// user before ` - access token "LABEL"` when a token made the change.
func ActorUser(actor string) string {
	u, _, _ := strings.Cut(actor, " - access token ")
	return strings.TrimSpace(u)
}

// Status is the time.
func (d *Detail) Status(pane.Env) string { return d.e.Timestamp.UTC().Format(time.RFC3339) }

// View draws every field.
func (d *Detail) View(env pane.Env, w, h int) string {
	th := env.Theme()
	width := max(10, w-17)
	field := func(l, v string) string {
		return th.Label.Render(fmt.Sprintf("  %-13s", l)) + text.Truncate(sanitize.String(v), width)
	}
	// wrapped is a field whose value runs on over lines of its own (a
	// description, a digest) rather than being cut.
	wrapped := func(l, v string) []string {
		var lines []string
		for _, line := range strings.Split(text.Wrap(sanitize.String(v), width, ""), "\n") {
			for ansi.StringWidth(line) > width { // a word longer than the line: cut it over lines
				head := ansi.Truncate(line, width, "")
				lines, line = append(lines, head), line[len(head):]
			}
			lines = append(lines, line)
		}
		out := make([]string, len(lines))
		for i, line := range lines {
			out[i] = strings.Repeat(" ", 15) + line
		}
		out[0] = th.Label.Render(fmt.Sprintf("  %-13s", l)) + lines[0]
		return out
	}
	at := d.e.Timestamp.Local().Format("2006-01-02 15:04:05 MST")
	if d.utc {
		at = d.e.Timestamp.UTC().Format(time.RFC3339)
	}
	out := []string{"", "  " + th.Title.Render(sanitize.String(d.e.Action)), "",
		field("Action", d.e.Action+labelled(d.label, d.e.Action)), field("Time", at), field("Actor", d.e.Actor), field("Object", d.e.Name), field("Account", d.e.Account)}
	out = append(out, wrapped("Description", d.e.ActionDescription)...)
	out = append(out, "", "  "+th.Title.Render("Data"))
	keys := make([]string, 0, len(d.e.Data))
	for k := range d.e.Data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, wrapped(text.Truncate(sanitize.String(k), 13), d.e.Data[k])...)
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
