package audit

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/hubtui/hubtui/state"
	saudit "github.com/hubtui/hubtui/state/audit"
	"github.com/hubtui/hubtui/ui/list"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/table"
	"github.com/hubtui/hubtui/ui/text"
)

// RulesKind is the kind of the :rules page.
const RulesKind state.Kind = "rules"

// RulesEntry is the registry line of :rules: no tab, the watch rules of s
// with the hit counts the Audit pane, sharing s.Watch, has observed.
func RulesEntry(s Settings) pane.Entry {
	return pane.Entry{Kind: RulesKind, Title: "Rules", Command: "rules", Usage: "rules",
		Help: "the audit log's watch rules and their hits", Hidden: true,
		New: func() pane.Pane { return NewRules(s.Watch) }}
}

const (
	ruleColName = iota
	ruleColHits
	ruleColDoes
	ruleColSource
	ruleColMatch
)

// Rules lists the watch rules: name, hits, what each does, where it is
// defined and what it matches. enter shows one in full.
type Rules struct {
	w   *saudit.Watch
	tbl *table.Table
}

// NewRules is the list of w's rules (nil: none).
func NewRules(w *saudit.Watch) *Rules {
	r := &Rules{w: w, tbl: table.New([]table.Column{
		{Title: "RULE", Min: 12, Max: 32, Flex: 1},
		{Title: "HITS", Min: 6, Max: 8, Align: lipgloss.Right},
		{Title: "DOES", Min: 10, Max: 22, Flex: 1},
		{Title: "DEFINED", Min: 8, Max: 40, Flex: 1},
		{Title: "MATCHES", Min: 10, Flex: 3},
	})}
	r.tbl.SetSource(len(w.Rules()), r.cell)
	r.tbl.SetEmpty("No watch rules: the config file turns the default rules off (audit.default_rules: false) and defines none under audit.rules.")
	return r
}

func (r *Rules) cell(row, col int) string {
	rule := &r.w.Rules()[row]
	switch col {
	case ruleColName:
		return rule.Name
	case ruleColHits:
		return strconv.Itoa(r.w.Hits(row))
	case ruleColDoes:
		return rule.Does()
	case ruleColSource:
		return rule.Source
	case ruleColMatch:
		return rule.Describe()
	}
	return ""
}

// Kind is RulesKind.
func (r *Rules) Kind() state.Kind { return RulesKind }

// Title names the page.
func (r *Rules) Title() string { return "Rules" }

// Enter does nothing: the rules are held.
func (r *Rules) Enter(pane.Env) tea.Cmd { return nil }

// Leave does nothing.
func (r *Rules) Leave(pane.Env) {}

// Update takes nothing: the counts are read as the page is drawn.
func (r *Rules) Update(pane.Env, tea.Msg) tea.Cmd { return nil }

// Move moves the cursor.
func (r *Rules) Move(_ pane.Env, act string) { list.MoveTable(r.tbl, act) }

// Selected is the name of the rule under the cursor (y copies it, for
// `hubtui export audit --match NAME`).
func (r *Rules) Selected() (string, bool) {
	i := r.tbl.Cursor()
	rules := r.w.Rules()
	if i < 0 || i >= len(rules) {
		return "", false
	}
	return rules[i].Name, true
}

// Bindings: enter shows the rule in full.
func (r *Rules) Bindings(env pane.Env) []pane.Binding {
	i := r.tbl.Cursor()
	_, ok := r.Selected()
	return []pane.Binding{{Action: pane.ActOpen, Keys: []string{"enter"}, Help: "the rule in full, with its patterns", Short: "open",
		Group: pane.GroupPanes, Disabled: pane.Gate(env, pane.RoleUnknown, ok),
		Run: func() tea.Cmd { env.Push(&RuleDetail{w: r.w, i: i}); return nil }}}
}

// Status counts the rules and their hits.
func (r *Rules) Status(pane.Env) string {
	n := len(r.w.Rules())
	if n == 0 {
		return "no watch rules"
	}
	return fmt.Sprintf("%d %s · %d of %d events seen matched a counting rule", n, plural(n, "rule", "rules"), r.w.Counted(), r.w.Observed())
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// View draws the rules on screen only.
func (r *Rules) View(env pane.Env, w, h int) string {
	th := env.Theme()
	head := th.Dim.Render(text.Truncate("  Hits count the events the Audit pane has taken in this session (f follows the log).", w))
	r.tbl.SetSource(len(r.w.Rules()), r.cell)
	r.tbl.SetStyles(th.Table)
	r.tbl.SetSize(w, max(1, h-1))
	return head + "\n" + r.tbl.View()
}

// RuleDetail is one rule in full: where it is defined, each pattern as a
// regular expression, what it does and its hits.
type RuleDetail struct {
	w   *saudit.Watch
	i   int
	top int
}

// Kind is RulesKind.
func (d *RuleDetail) Kind() state.Kind { return RulesKind }

// Title is the rule's name.
func (d *RuleDetail) Title() string { return d.w.Rules()[d.i].Name }

// Enter does nothing.
func (d *RuleDetail) Enter(pane.Env) tea.Cmd { return nil }

// Leave does nothing.
func (d *RuleDetail) Leave(pane.Env) {}

// Update takes nothing.
func (d *RuleDetail) Update(pane.Env, tea.Msg) tea.Cmd { return nil }

// Bindings: none of its own; esc goes back.
func (d *RuleDetail) Bindings(pane.Env) []pane.Binding { return nil }

// Move scrolls.
func (d *RuleDetail) Move(env pane.Env, act string) {
	_, h := env.Size()
	d.top = pane.Scroll(d.top, h, act)
}

// Status is the hit count.
func (d *RuleDetail) Status(pane.Env) string {
	n := d.w.Hits(d.i)
	return fmt.Sprintf("%d %s", n, plural(n, "hit", "hits"))
}

// View draws the rule.
func (d *RuleDetail) View(env pane.Env, w, h int) string {
	th := env.Theme()
	r := &d.w.Rules()[d.i]
	field := func(l, v string) string {
		return th.Label.Render(fmt.Sprintf("  %-13s", l)) + text.Truncate(v, max(10, w-17))
	}
	anyValue := th.Dim.Render("any")
	out := []string{"", "  " + th.Title.Render(text.Truncate(r.Name, w-4)), "",
		field("Defined", r.Source), field("Matches", r.Describe()), field("Does", r.Does()),
		field("Hits", strconv.Itoa(d.w.Hits(d.i))), "", "  " + th.Title.Render("Patterns (Go regular expressions)")}
	switch len(r.Actions) {
	case 0:
		out = append(out, field("Action", anyValue))
	default:
		for j, a := range r.Actions {
			l := "Action"
			if j > 0 {
				l = "  or"
			}
			out = append(out, field(l, a.String()))
		}
	}
	pat := func(l string, re interface{ String() string }, isNil bool) {
		if isNil {
			out = append(out, field(l, anyValue))
			return
		}
		out = append(out, field(l, re.String()))
	}
	pat("Actor", r.Actor, r.Actor == nil)
	pat("Name", r.Object, r.Object == nil)
	keys := make([]string, 0, len(r.Data))
	for k := range r.Data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, field("data."+k, r.Data[k].String()))
	}
	if len(keys) == 0 {
		out = append(out, field("Data", anyValue))
	}
	d.top = max(0, min(d.top, len(out)-h))
	out = out[d.top:]
	if len(out) > h {
		out = out[:h]
	}
	return strings.Join(out, "\n")
}
