package audit

import (
	"context"
	"fmt"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/pane"
)

// catalogue is an org's action catalogue (GET …/actions), read once per
// org: the labels the ACTION column shows and the action filter offers.
type catalogue struct {
	acts   hubclient.AuditActions
	labels map[string]string // full action name (repo.tag.push) → label
}

func newCatalogue(acts hubclient.AuditActions) *catalogue {
	c := &catalogue{acts: acts, labels: map[string]string{}}
	for g, grp := range acts {
		for _, a := range grp.Actions {
			if a.Label != "" {
				c.labels[g+"."+a.Name] = a.Label
			}
		}
	}
	return c
}

// catMsg answers the catalogue's load.
type catMsg struct {
	org  string
	acts hubclient.AuditActions
	err  error
}

// loadCatalogue reads the org's catalogue unless it is held or on its way.
func (p *Pane) loadCatalogue(env pane.Env) tea.Cmd {
	c := env.Client()
	if c == nil || p.org == "" || p.cats[p.org] != nil || p.catLoading == p.org {
		return nil
	}
	p.catLoading, p.catErr = p.org, nil
	org := p.org
	return func() tea.Msg {
		acts, _, err := c.Audit.Actions(context.Background(), org)
		return catMsg{org: org, acts: acts, err: err}
	}
}

// gotCatalogue keeps an answer; a catalogue is the org's whenever it
// comes. The local filter matches labels too: it runs again.
func (p *Pane) gotCatalogue(env pane.Env, m catMsg) tea.Cmd {
	if p.catLoading == m.org {
		p.catLoading = ""
	}
	if m.err != nil {
		if m.org == p.org {
			p.catErr = fmt.Errorf("audit actions of %s: %w", m.org, m.err)
		}
		return nil
	}
	p.cats[m.org] = newCatalogue(m.acts)
	if m.org == p.org && p.query != "" {
		return p.runQuery(env)
	}
	return nil
}

// label is the catalogue's label of action, or action itself.
func (p *Pane) label(action string) string { return p.cats[p.org].label(action) }

// label is c's label of action, or action itself (also when c is nil).
// A catalogue is never changed once made, so Cmds may read it.
func (c *catalogue) label(action string) string {
	if c != nil {
		if l, ok := c.labels[action]; ok {
			return l
		}
	}
	return action
}

// actionItems are the picker's rows: "any action" first, then each group
// of the catalogue (by its name) with its actions in the catalogue's order,
// each labelled "Group › Label · group.name".
func actionItems(c *catalogue) []dialog.Item {
	items := []dialog.Item{{ID: "", Label: "any action", Detail: "no action filter"}}
	groups := make([]string, 0, len(c.acts))
	for g := range c.acts {
		groups = append(groups, g)
	}
	slices.Sort(groups)
	for _, g := range groups {
		grp := c.acts[g]
		gl := grp.Label
		if gl == "" {
			gl = g
		}
		for _, a := range grp.Actions {
			l := a.Label
			if l == "" {
				l = a.Name
			}
			full := g + "." + a.Name // in the label too, so typing it finds it
			items = append(items, dialog.Item{ID: full, Label: gl + " › " + l + " · " + full})
		}
	}
	return items
}
