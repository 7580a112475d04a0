package state

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// termKind is how one term of a query matches a name.
type termKind int

const (
	termFuzzy  termKind = iota // the letters in order (the default)
	termExact                  // 'x: contains x
	termPrefix                 // ^x: starts with x
	termSuffix                 // x$: ends with x
	termEqual                  // ^x$: is x
)

// term is one space-separated part of a query.
type term struct {
	kind termKind
	text string
	neg  bool // !x: must not match (an inverse term is never fuzzy)
}

// Query is a parsed filter in fzf's extended search syntax: space-separated
// terms that must all match, each fuzzy by default, 'exact (substring),
// ^prefix, suffix$, ^whole$, and !negation of any of those; or, written
// "re:PATTERN", one regular expression. Lower-case terms match either case;
// a term with an upper-case letter matches case exactly (smart case).
type Query struct {
	raw   string
	terms []term
	re    *regexp.Regexp
}

// ParseQuery reads q; only a bad regular expression is an error.
func ParseQuery(q string) (Query, error) {
	out := Query{raw: q}
	if pat, ok := strings.CutPrefix(strings.TrimSpace(q), "re:"); ok {
		re, err := regexp.Compile(pat)
		if err != nil {
			return out, fmt.Errorf("not a regular expression: %w", err)
		}
		out.re = re
		return out, nil
	}
	for _, f := range strings.Fields(q) {
		t := term{kind: termFuzzy}
		if rest, ok := strings.CutPrefix(f, "!"); ok {
			t.neg, f = true, rest
			t.kind = termExact
		}
		switch {
		case strings.HasPrefix(f, "'"):
			t.kind, f = termExact, f[1:]
		case strings.HasPrefix(f, "^") && strings.HasSuffix(f, "$") && len(f) > 1:
			t.kind, f = termEqual, f[1:len(f)-1]
		case strings.HasPrefix(f, "^"):
			t.kind, f = termPrefix, f[1:]
		case strings.HasSuffix(f, "$"):
			t.kind, f = termSuffix, f[:len(f)-1]
		}
		if f == "" {
			continue
		}
		t.text = f
		out.terms = append(out.terms, t)
	}
	return out, nil
}

// Empty reports whether the query matches everything.
func (q Query) Empty() bool { return q.re == nil && len(q.terms) == 0 }

// Fuzzy reports whether some term matches fuzzily, so that rows it picks
// may not be the ones the user meant (a bulk action should ask).
func (q Query) Fuzzy() bool {
	for _, t := range q.terms {
		if t.kind == termFuzzy {
			return true
		}
	}
	return false
}

// Rule says in words which names the query chooses.
func (q Query) Rule() string {
	if q.re != nil {
		return "name matches the regular expression " + q.re.String()
	}
	parts := make([]string, 0, len(q.terms))
	for _, t := range q.terms {
		var s string
		switch t.kind {
		case termFuzzy:
			s = fmt.Sprintf("has the letters %q in order (fuzzy)", t.text)
		case termExact:
			s = fmt.Sprintf("contains %q", t.text)
		case termPrefix:
			s = fmt.Sprintf("starts with %q", t.text)
		case termSuffix:
			s = fmt.Sprintf("ends with %q", t.text)
		case termEqual:
			s = fmt.Sprintf("is %q", t.text)
		}
		if t.neg {
			s = "not " + s
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return "every name"
	}
	return "name " + strings.Join(parts, " and ")
}

// matchExact applies the non-fuzzy terms and the regular expression to
// name; hl collects the rune indices they matched.
func (q Query) matchExact(name string, hl []int) (bool, []int) {
	if q.re != nil {
		loc := q.re.FindStringIndex(name)
		if loc == nil {
			return false, hl
		}
		return true, append(hl, runeRange(name, loc[0], loc[1])...)
	}
	for _, t := range q.terms {
		if t.kind == termFuzzy {
			continue
		}
		hay, needle := name, t.text
		if !hasUpper(needle) {
			hay = strings.ToLower(hay)
		}
		at := -1
		switch t.kind {
		case termExact:
			at = strings.Index(hay, needle)
		case termPrefix:
			if strings.HasPrefix(hay, needle) {
				at = 0
			}
		case termSuffix:
			if strings.HasSuffix(hay, needle) {
				at = len(hay) - len(needle)
			}
		case termEqual:
			if hay == needle {
				at = 0
			}
		}
		if (at >= 0) == t.neg {
			return false, hl
		}
		if at >= 0 && len(hay) == len(name) {
			hl = append(hl, runeRange(name, at, at+len(needle))...)
		}
	}
	return true, hl
}

// fuzzyTerms are the terms matched by sahilm/fuzzy.
func (q Query) fuzzyTerms() []string {
	var out []string
	for _, t := range q.terms {
		if t.kind == termFuzzy {
			out = append(out, t.text)
		}
	}
	return out
}

func hasUpper(s string) bool {
	for _, r := range s {
		if unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// runeRange lists the rune indices of s's bytes [from, to).
func runeRange(s string, from, to int) []int {
	var out []int
	ri := 0
	for off := range s {
		if off >= from && off < to {
			out = append(out, ri)
		}
		ri++
	}
	return out
}
