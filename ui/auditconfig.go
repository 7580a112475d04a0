package ui

import (
	"regexp"

	"github.com/hubtui/hubtui/config"
	saudit "github.com/hubtui/hubtui/state/audit"
	"github.com/hubtui/hubtui/ui/panes/audit"
)

// AuditSettings are the Audit pane's settings from cfg (config.Default()
// when nil): the buffer, the rate share, the poll interval
// (audit_poll_interval) and one Watch of the default rules (unless
// default_rules is false) and the file's rules. A file rule named like a
// default takes the default's place; the others follow the defaults in
// file order.
func AuditSettings(cfg *config.Config) audit.Settings {
	if cfg == nil {
		cfg = config.Default()
	}
	return audit.Settings{
		Buffer:   cfg.Audit.Buffer,
		Interval: cfg.AuditPollInterval,
		Share:    cfg.Audit.Share,
		Watch:    saudit.NewWatch(AuditRules(cfg)),
	}
}

// AuditRules are the watch rules cfg asks for (see AuditSettings).
func AuditRules(cfg *config.Config) []saudit.Rule {
	if cfg == nil {
		cfg = config.Default()
	}
	var rules []saudit.Rule
	if cfg.Audit.DefaultRules {
		rules = saudit.DefaultRules()
	}
	at := make(map[string]int, len(rules))
	for i, r := range rules {
		at[r.Name] = i
	}
	for _, cr := range cfg.Audit.Rules {
		r := watchRule(cr)
		if i, ok := at[r.Name]; ok {
			rules[i] = r
			continue
		}
		rules = append(rules, r)
	}
	return rules
}

// watchRule is a config rule as state/audit watches for it.
func watchRule(cr config.Rule) saudit.Rule {
	r := saudit.Rule{Name: cr.Name, Highlight: cr.Highlight, Bell: cr.Bell, Count: cr.Count,
		Source: cr.Source(), Summary: cr.Summary()}
	for _, a := range cr.Actions {
		r.Actions = append(r.Actions, a.Re)
	}
	if cr.Actor != nil {
		r.Actor = cr.Actor.Re
	}
	if cr.Object != nil {
		r.Object = cr.Object.Re
	}
	if len(cr.Data) > 0 {
		r.Data = make(map[string]*regexp.Regexp, len(cr.Data))
		for k, p := range cr.Data {
			r.Data[k] = p.Re
		}
	}
	return r
}
