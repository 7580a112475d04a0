package audit

import (
	"regexp"

	"github.com/hubtui/hubtui/hubclient"
)

// Rule is a watch rule: events it matches are highlighted, ring the
// terminal's bell or are counted in the header. A nil pattern matches
// anything; Actions match the full action name (repo.tag.push) and any one
// of them will do; every Data field named must match.
type Rule struct {
	Name    string
	Actions []*regexp.Regexp
	Actor   *regexp.Regexp
	Object  *regexp.Regexp
	Data    map[string]*regexp.Regexp
	// What the rule does when it matches.
	Highlight, Bell, Count bool
	// Source is where the rule was defined ("config.yaml:12", "default").
	Source string
}

// Matches reports whether e is an event the rule watches for.
func (r *Rule) Matches(e hubclient.AuditLog) bool {
	if len(r.Actions) > 0 {
		ok := false
		for _, a := range r.Actions {
			if a.MatchString(e.Action) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if r.Actor != nil && !r.Actor.MatchString(e.Actor) {
		return false
	}
	if r.Object != nil && !r.Object.MatchString(e.Name) {
		return false
	}
	for k, re := range r.Data {
		v, ok := e.Data[k]
		if !ok || !re.MatchString(v) {
			return false
		}
	}
	return true
}

// Hit is what the rules a event matched ask for.
type Hit struct {
	Rules     []int // indexes into Watch.Rules
	Highlight bool
	Bell      bool
	Count     bool
}

// Watch is a set of rules and how often each has matched.
type Watch struct {
	rules []Rule
	hits  []int
}

// NewWatch watches for rules.
func NewWatch(rules []Rule) *Watch {
	return &Watch{rules: rules, hits: make([]int, len(rules))}
}

// Rules are the rules watched for, in order.
func (w *Watch) Rules() []Rule {
	if w == nil {
		return nil
	}
	return w.rules
}

// Hits is how many events rule i has matched.
func (w *Watch) Hits(i int) int { return w.hits[i] }

// Match is what the rules make of e, without counting it.
func (w *Watch) Match(e hubclient.AuditLog) Hit {
	var h Hit
	if w == nil {
		return h
	}
	for i := range w.rules {
		r := &w.rules[i]
		if !r.Matches(e) {
			continue
		}
		h.Rules = append(h.Rules, i)
		h.Highlight = h.Highlight || r.Highlight
		h.Bell = h.Bell || r.Bell
		h.Count = h.Count || r.Count
	}
	return h
}

// Observe matches e and counts it against each rule it matched.
func (w *Watch) Observe(e hubclient.AuditLog) Hit {
	h := w.Match(e)
	for _, i := range h.Rules {
		w.hits[i]++
	}
	return h
}
