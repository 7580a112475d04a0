package audit

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

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
	// Summary is what the rule matches in the words it was written in
	// ("action org.member.role.change, data role=owner"), for display;
	// "" lets Describe spell out the patterns.
	Summary string
}

// Matches reports whether e is an event the rule watches for.
func (r *Rule) Matches(e hubclient.AuditLog) bool {
	return r.matchesAction(e.Action) && r.matchesRest(e)
}

// matchesAction reports whether one of the action patterns (or none) accepts action.
func (r *Rule) matchesAction(action string) bool {
	if len(r.Actions) == 0 {
		return true
	}
	for _, a := range r.Actions {
		if a.MatchString(action) {
			return true
		}
	}
	return false
}

// matchesRest checks the actor, object and data patterns.
func (r *Rule) matchesRest(e hubclient.AuditLog) bool {
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

// Describe says what the rule matches: its Summary, else its patterns.
func (r *Rule) Describe() string {
	if r.Summary != "" {
		return r.Summary
	}
	var parts []string
	if len(r.Actions) > 0 {
		as := make([]string, len(r.Actions))
		for i, a := range r.Actions {
			as[i] = "re:" + a.String()
		}
		parts = append(parts, "action "+strings.Join(as, " or "))
	}
	if r.Actor != nil {
		parts = append(parts, "actor re:"+r.Actor.String())
	}
	if r.Object != nil {
		parts = append(parts, "name re:"+r.Object.String())
	}
	keys := make([]string, 0, len(r.Data))
	for k := range r.Data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, "data "+k+"=re:"+r.Data[k].String())
	}
	if len(parts) == 0 {
		return "every event"
	}
	return strings.Join(parts, ", ")
}

// Does says what the rule does when it matches: "highlight, bell, count",
// or "nothing (hits counted in :rules only)".
func (r *Rule) Does() string {
	var do []string
	if r.Highlight {
		do = append(do, "highlight")
	}
	if r.Bell {
		do = append(do, "bell")
	}
	if r.Count {
		do = append(do, "count")
	}
	if len(do) == 0 {
		return "nothing (hits counted in :rules only)"
	}
	return strings.Join(do, ", ")
}

// Hit is what the rules an event matched ask for.
type Hit struct {
	Rules     []int // indexes into Watch.Rules
	Highlight bool
	Bell      bool
	Count     bool
}

// Watch is a set of rules and how often each has matched. It is not safe
// for concurrent use: call it from Update and View (or one goroutine).
type Watch struct {
	rules []Rule
	hits  []int
	// byAction remembers, per action name, which rules' action patterns
	// accept it: the catalogue has a few dozen actions, so most events are
	// decided without running a regexp.
	byAction map[string][]bool
	counted  int // events that matched a rule with Count
	seen     int // events observed
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

// Counted is how many events observed matched a rule that counts (the
// header's number); an event matched by several counting rules is one.
func (w *Watch) Counted() int {
	if w == nil {
		return 0
	}
	return w.counted
}

// Observed is how many events Observe has been given since the last Reset.
func (w *Watch) Observed() int {
	if w == nil {
		return 0
	}
	return w.seen
}

// Reset zeroes the counts (another organization, a reload); the rules stay.
func (w *Watch) Reset() {
	if w == nil {
		return
	}
	clear(w.hits)
	w.counted, w.seen = 0, 0
}

// Index is the position of the rule called name, or -1.
func (w *Watch) Index(name string) int {
	for i, r := range w.Rules() {
		if r.Name == name {
			return i
		}
	}
	return -1
}

// Names are the rules' names, in order.
func (w *Watch) Names() []string {
	out := make([]string, 0, len(w.Rules()))
	for _, r := range w.Rules() {
		out = append(out, r.Name)
	}
	return out
}

// Only is a Watch of the rules called names, in the order given, with
// counts of their own. An unknown name is an error naming the known ones.
func (w *Watch) Only(names []string) (*Watch, error) {
	rules := make([]Rule, 0, len(names))
	for _, n := range names {
		i := w.Index(n)
		if i < 0 {
			if len(w.Rules()) == 0 {
				return nil, fmt.Errorf("no watch rule named %q: there are no rules", n)
			}
			return nil, fmt.Errorf("no watch rule named %q; the rules are %s", n, strings.Join(w.Names(), ", "))
		}
		rules = append(rules, w.rules[i])
	}
	return NewWatch(rules), nil
}

// Match is what the rules make of e, without counting it.
func (w *Watch) Match(e hubclient.AuditLog) Hit {
	var h Hit
	if w == nil {
		return h
	}
	accepts := w.actionFilter(e.Action)
	for i := range w.rules {
		r := &w.rules[i]
		if !accepts[i] || !r.matchesRest(e) {
			continue
		}
		h.Rules = append(h.Rules, i)
		h.Highlight = h.Highlight || r.Highlight
		h.Bell = h.Bell || r.Bell
		h.Count = h.Count || r.Count
	}
	return h
}

// maxActions bounds the per-action memo; past it, actions are matched
// afresh (a server sending ever new action names costs time, not memory).
const maxActions = 1024

// actionFilter is which rules accept action, remembered.
func (w *Watch) actionFilter(action string) []bool {
	if f, ok := w.byAction[action]; ok {
		return f
	}
	f := make([]bool, len(w.rules))
	for i := range w.rules {
		f[i] = w.rules[i].matchesAction(action)
	}
	if w.byAction == nil {
		w.byAction = make(map[string][]bool)
	}
	if len(w.byAction) < maxActions {
		w.byAction[action] = f
	}
	return f
}

// Observe matches e and counts it against each rule it matched. A nil
// Watch observes nothing.
func (w *Watch) Observe(e hubclient.AuditLog) Hit {
	if w == nil {
		return Hit{}
	}
	h := w.Match(e)
	for _, i := range h.Rules {
		w.hits[i]++
	}
	w.seen++
	if h.Count {
		w.counted++
	}
	return h
}
