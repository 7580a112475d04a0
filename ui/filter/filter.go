// Package filter implements the fuzzy "/" filter of hubtui's lists.
//
// Match is a pure function over an immutable slice of names. Cmd runs it in a
// tea.Cmd goroutine so that a filter over 100,000 rows never blocks Update;
// the result comes back as a Msg tagged with the generation the caller gave,
// so a result for an older query can be recognised and dropped.
package filter

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/sahilm/fuzzy"
)

// Result is the outcome of matching a query against a list of names.
type Result struct {
	// Query is the query as given to Match.
	Query string
	// Indices are indices into the matched names slice, best match first.
	// For an empty query they are all indices in their original order.
	Indices []int
	// Highlights maps an index into names to the RUNE indices of the
	// characters that matched, in increasing order. It has entries only
	// for matched names and is nil for an empty query.
	Highlights map[int][]int
}

// Msg carries a Result back to Update. Gen is the generation passed to Cmd;
// the receiver drops a Msg whose Gen is older than its current one.
type Msg struct {
	// Gen is the caller's generation number for the query.
	Gen uint64
	// Result is the filter result for that generation.
	Result Result
}

// Match fuzzy-matches query against names (case-insensitively, in the style
// of sahilm/fuzzy) and returns the matching indices best first with their
// highlight positions. Leading and trailing white space in query is ignored;
// a query that is empty after trimming matches every name, in order.
// Match does not modify names and keeps no reference to it.
func Match(query string, names []string) Result {
	res := Result{Query: query}
	q := strings.TrimSpace(query)
	if q == "" {
		res.Indices = make([]int, len(names))
		for i := range res.Indices {
			res.Indices[i] = i
		}
		return res
	}
	// FindNoSort plus one sort of small keys is several times faster than
	// fuzzy.Find's sort.Stable over whole Match values when most names
	// match (a one-letter query), and gives the same order.
	matches := fuzzy.FindNoSort(q, names)
	ranked := make([]rankedMatch, len(matches))
	res.Highlights = make(map[int][]int, len(matches))
	for k := range matches {
		m := &matches[k]
		ranked[k] = rankedMatch{score: m.Score, index: m.Index}
		// fuzzy reports byte offsets; convert them to rune indices in
		// place (a rune index is never larger than its byte offset).
		toRuneIndices(m.Str, m.MatchedIndexes)
		res.Highlights[m.Index] = m.MatchedIndexes
	}
	slices.SortFunc(ranked, func(a, b rankedMatch) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score) // best first
		}
		return cmp.Compare(a.index, b.index) // ties keep the input order
	})
	res.Indices = make([]int, len(ranked))
	for k, r := range ranked {
		res.Indices[k] = r.index
	}
	return res
}

// rankedMatch is the sort key of one match.
type rankedMatch struct {
	score, index int
}

// Cmd returns a tea.Cmd that runs Match in the command's goroutine and
// reports the result as a Msg carrying gen. names must not be modified
// afterwards: pass a snapshot, not a slice that Update keeps writing to.
func Cmd(gen uint64, query string, names []string) tea.Cmd {
	return func() tea.Msg {
		return Msg{Gen: gen, Result: Match(query, names)}
	}
}

// toRuneIndices rewrites idx, increasing byte offsets of rune starts in s,
// as the rune indices of those runes.
func toRuneIndices(s string, idx []int) {
	bi, ri := 0, 0
	for k, target := range idx {
		for bi < target && bi < len(s) {
			if s[bi] < utf8.RuneSelf {
				bi++
			} else {
				_, size := utf8.DecodeRuneInString(s[bi:])
				bi += size
			}
			ri++
		}
		idx[k] = ri
	}
}
