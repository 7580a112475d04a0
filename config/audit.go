package config

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Limits and defaults of the audit: section.
const (
	// DefaultAuditBuffer is how many audit events are kept in memory.
	DefaultAuditBuffer = 50_000
	// MinAuditBuffer and MaxAuditBuffer bound audit.buffer.
	MinAuditBuffer = 1_000
	MaxAuditBuffer = 1_000_000
	// DefaultAuditShare is the share of the rate budget the audit tail may spend.
	DefaultAuditShare = 0.25
)

// Audit is the audit: section: the live tail's memory and rate share, and
// the watch rules.
type Audit struct {
	// Buffer is how many events are kept in memory, MinAuditBuffer..MaxAuditBuffer.
	Buffer int
	// Share is the part of the rate budget the tail may spend, 0 < Share <= 1.
	Share float64
	// DefaultRules keeps hubtui's own watch rules alongside Rules.
	DefaultRules bool
	// Rules are the watch rules of the file, in file order.
	Rules []Rule
}

// What a rule may do (its do: list).
const (
	DoHighlight = "highlight"
	DoBell      = "bell"
	DoCount     = "count"
)

// Rule is a watch rule as the file defines it, its patterns compiled.
type Rule struct {
	// Name identifies the rule (`hubtui export audit --match NAME`); unique
	// among the file's rules. A rule named like a default replaces it.
	Name string
	// Actions match the event's action; any one will do. Empty: any action.
	Actions []Pattern
	// Actor and Object (match.name) match the event's actor and object
	// name; nil matches anything.
	Actor, Object *Pattern
	// Data match the event's data fields; every one must match.
	Data map[string]Pattern
	// What the rule does when it matches.
	Highlight, Bell, Count bool
	// File and Line are where the rule starts.
	File string
	Line int
}

// Pattern is one pattern of a rule: the text as written and its regexp.
type Pattern struct {
	// Text is the pattern as written ("repo", "ci-*", "re:^v[0-9]").
	Text string
	// Re is what Text means as a regular expression: a glob anchored at
	// both ends, re: as written.
	Re *regexp.Regexp
}

// Source is "file:line", where the rule is defined.
func (r *Rule) Source() string {
	if r.File == "" {
		return "line " + strconv.Itoa(r.Line)
	}
	return r.File + ":" + strconv.Itoa(r.Line)
}

// Summary says what the rule matches in the words of the file:
// "action repo.* or org.member, actor ci-*, data tag=re:^v".
func (r *Rule) Summary() string {
	var parts []string
	if len(r.Actions) > 0 {
		as := make([]string, len(r.Actions))
		for i, a := range r.Actions {
			as[i] = a.Text
		}
		parts = append(parts, "action "+strings.Join(as, " or "))
	}
	if r.Actor != nil {
		parts = append(parts, "actor "+r.Actor.Text)
	}
	if r.Object != nil {
		parts = append(parts, "name "+r.Object.Text)
	}
	keys := make([]string, 0, len(r.Data))
	for k := range r.Data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, "data "+k+"="+r.Data[k].Text)
	}
	return strings.Join(parts, ", ")
}

// YAML keys of the audit: section.
const (
	keyAudit        = "audit"
	keyBuffer       = "buffer"
	keyShare        = "share"
	keyDefaultRules = "default_rules"
	keyRules        = "rules"

	keyMatch  = "match"
	keyDo     = "do"
	keyAction = "action"
	keyActor  = "actor"
	keyData   = "data"
)

func auditKeys() []string { return []string{keyBuffer, keyShare, keyDefaultRules, keyRules} }
func ruleKeys() []string  { return []string{keyName, keyMatch, keyDo} }
func matchKeys() []string { return []string{keyAction, keyActor, keyName, keyData} }
func doWords() []string   { return []string{DoHighlight, DoBell, DoCount} }

// DefaultAudit is the audit: section of a file that has none.
func DefaultAudit() Audit {
	return Audit{Buffer: DefaultAuditBuffer, Share: DefaultAuditShare, DefaultRules: true}
}

func (d *decoder) audit(v *yaml.Node, a *Audit) error {
	return d.mapping(v, "audit", auditKeys(), func(key string, k, v *yaml.Node) error {
		switch key {
		case keyBuffer:
			return d.auditBuffer(v, a)
		case keyShare:
			return d.auditShare(v, a)
		case keyDefaultRules:
			if isNull(resolve(v)) {
				return nil
			}
			b, err := d.boolean(v, "audit.default_rules")
			a.DefaultRules = b
			return err
		case keyRules:
			rules, err := d.rules(v)
			a.Rules = rules
			return err
		}
		return nil
	})
}

func (d *decoder) auditBuffer(v *yaml.Node, a *Audit) error {
	v = resolve(v)
	if isNull(v) {
		return nil
	}
	bad := func() error {
		return d.errAt(v, "audit.buffer must be a whole number of events from %d to %d, not %s", MinAuditBuffer, MaxAuditBuffer, describe(v))
	}
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" {
		return bad()
	}
	var n int64
	if err := v.Decode(&n); err != nil || n < MinAuditBuffer || n > MaxAuditBuffer {
		return bad()
	}
	a.Buffer = int(n)
	return nil
}

func (d *decoder) auditShare(v *yaml.Node, a *Audit) error {
	v = resolve(v)
	if isNull(v) {
		return nil
	}
	bad := func() error {
		return d.errAt(v, "audit.share must be a number above 0 and at most 1 (the part of the rate budget the tail may spend, such as 0.25), not %s", describe(v))
	}
	if v.Kind != yaml.ScalarNode || (v.ShortTag() != "!!float" && v.ShortTag() != "!!int") {
		return bad()
	}
	var f float64
	if err := v.Decode(&f); err != nil || !(f > 0 && f <= 1) {
		return bad()
	}
	a.Share = f
	return nil
}

func (d *decoder) rules(v *yaml.Node) ([]Rule, error) {
	v = resolve(v)
	if isNull(v) {
		return nil, nil
	}
	if v.Kind != yaml.SequenceNode {
		return nil, d.errAt(v, "audit.rules must be a list of rules, each starting with \"- name:\", not %s", describe(v))
	}
	out := make([]Rule, 0, len(v.Content))
	firstLine := make(map[string]int, len(v.Content))
	for i, item := range v.Content {
		r, nameNode, err := d.rule(item, i)
		if err != nil {
			return nil, err
		}
		if first, dup := firstLine[r.Name]; dup {
			return nil, d.errAt(nameNode, "rule name %q is used twice (first on line %d); names must be unique", r.Name, first)
		}
		firstLine[r.Name] = nameNode.Line
		out = append(out, r)
	}
	return out, nil
}

// rule decodes entry i of audit.rules, returning the node of its name.
func (d *decoder) rule(item *yaml.Node, i int) (Rule, *yaml.Node, error) {
	item = resolve(item)
	where := fmt.Sprintf("rule %d", i+1)
	if item.Kind != yaml.MappingNode {
		return Rule{}, nil, d.errAt(item, "%s must be a mapping with name, match and do, not %s", where, describe(item))
	}
	var nameNode *yaml.Node
	for j := 0; j+1 < len(item.Content); j += 2 {
		if k := resolve(item.Content[j]); k.Kind == yaml.ScalarNode && k.Value == keyName {
			nameNode = resolve(item.Content[j+1])
			if nameNode.Kind == yaml.ScalarNode && nameNode.Value != "" {
				where = fmt.Sprintf("rule %q", nameNode.Value)
			}
			break
		}
	}
	r := Rule{Highlight: true, Count: true, File: d.file, Line: item.Line}
	var matchNode *yaml.Node
	err := d.mapping(item, where, ruleKeys(), func(key string, k, v *yaml.Node) error {
		var err error
		switch key {
		case keyName:
			r.Name, err = d.name(v, where+" name")
		case keyMatch:
			matchNode = k
			err = d.match(v, where, &r)
		case keyDo:
			err = d.do(v, where, &r)
		}
		return err
	})
	if err != nil {
		return Rule{}, nil, err
	}
	if r.Name == "" {
		at := item
		if nameNode != nil {
			at = nameNode
		}
		return Rule{}, nil, d.errAt(at, "%s has no name; add \"name: SOMETHING\"", where)
	}
	if len(r.Actions) == 0 && r.Actor == nil && r.Object == nil && len(r.Data) == 0 {
		at := item
		if matchNode != nil {
			at = matchNode
		}
		return Rule{}, nil, d.errAt(at, "%s matches nothing in particular; give match: an action, actor, name or data (action: \"*\" watches every event)", where)
	}
	return r, nameNode, nil
}

func (d *decoder) match(v *yaml.Node, where string, r *Rule) error {
	return d.mapping(v, where+" match", matchKeys(), func(key string, k, v *yaml.Node) error {
		switch key {
		case keyAction:
			v = resolve(v)
			items := []*yaml.Node{v}
			if v.Kind == yaml.SequenceNode {
				items = v.Content
				if len(items) == 0 {
					return d.errAt(v, "%s match.action is an empty list; name an action, or leave action out to match any", where)
				}
			}
			for _, it := range items {
				p, err := d.pattern(it, where+" match.action", true)
				if err != nil {
					return err
				}
				r.Actions = append(r.Actions, p)
			}
		case keyActor, keyName:
			field := "actor"
			if key == keyName {
				field = "name"
			}
			p, err := d.pattern(v, where+" match."+field, false)
			if err != nil {
				return err
			}
			if key == keyActor {
				r.Actor = &p
			} else {
				r.Object = &p
			}
		case keyData:
			r.Data = map[string]Pattern{}
			return d.mapping(v, where+" match.data", nil, func(field string, k, v *yaml.Node) error {
				if strings.TrimSpace(field) == "" {
					return d.errAt(k, "%s match.data has an empty field name", where)
				}
				p, err := d.pattern(v, where+" match.data."+field, false)
				if err != nil {
					return err
				}
				r.Data[field] = p
				return nil
			})
		}
		return nil
	})
}

// pattern reads one pattern: re:REGEXP as written, else a glob (* any run
// of characters, ? one) anchored at both ends. An action written without
// * or ? also matches every action below it: repo is repo and repo.*.
func (d *decoder) pattern(v *yaml.Node, field string, action bool) (Pattern, error) {
	v = resolve(v)
	if isNull(v) || v.Kind != yaml.ScalarNode {
		return Pattern{}, d.errAt(v, "%s must be a pattern (a name, a glob with * and ?, or re:REGEXP), not %s", field, describe(v))
	}
	s, err := d.text(v, field)
	if err != nil {
		return Pattern{}, err
	}
	if s == "" {
		return Pattern{}, d.errAt(v, "%s is empty; write a name, a glob such as \"repo.*\", or re:REGEXP", field)
	}
	re, err := CompilePattern(s, action)
	if err != nil {
		return Pattern{}, d.errAt(v, "%s: %v", field, err)
	}
	return Pattern{Text: s, Re: re}, nil
}

// CompilePattern turns a rule's pattern into a regular expression:
// "re:EXPR" is EXPR as written (unanchored, as Go's regexp package reads
// it); anything else is a glob where * is any run of characters and ? is
// one, anchored at both ends. With action set, a glob without * or ? also
// matches every action below it, so "repo" and "org.member" name groups.
func CompilePattern(s string, action bool) (*regexp.Regexp, error) {
	if expr, ok := strings.CutPrefix(s, "re:"); ok {
		if expr == "" {
			return nil, fmt.Errorf("re: is followed by no regular expression")
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, fmt.Errorf("the regular expression %q does not compile: %v", expr, regexpReason(err))
		}
		return re, nil
	}
	var b strings.Builder
	b.WriteByte('^')
	wild := false
	for _, r := range s {
		switch r {
		case '*':
			b.WriteString(".*")
			wild = true
		case '?':
			b.WriteByte('.')
			wild = true
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	if action && !wild {
		b.WriteString(`(\..*)?`)
	}
	b.WriteByte('$')
	return regexp.Compile(b.String())
}

// regexpReason is a regexp error without the "error parsing regexp: " prefix.
func regexpReason(err error) string {
	return strings.TrimPrefix(err.Error(), "error parsing regexp: ")
}

func (d *decoder) do(v *yaml.Node, where string, r *Rule) error {
	v = resolve(v)
	if isNull(v) {
		return d.errAt(v, "%s do: needs a list of highlight, bell and count, such as [highlight, bell]; use [] to only count hits in :rules", where)
	}
	items := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		items = v.Content
	}
	r.Highlight, r.Bell, r.Count = false, false, false
	for _, it := range items {
		it = resolve(it)
		if it.Kind != yaml.ScalarNode || isNull(it) {
			return d.errAt(it, "%s do: holds %s; each must be highlight, bell or count", where, describe(it))
		}
		switch w := it.Value; w {
		case DoHighlight:
			r.Highlight = true
		case DoBell:
			r.Bell = true
		case DoCount:
			r.Count = true
		default:
			hint := suggest(w, doWords())
			if !strings.Contains(hint, "did you mean") {
				hint = "; each must be highlight, bell or count"
			}
			return d.errAt(it, "%s do: %q is not something a rule can do%s", where, w, hint)
		}
	}
	return nil
}
