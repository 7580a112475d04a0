package state

import (
	"cmp"
	"slices"

	"github.com/sahilm/fuzzy"
)

// Spec is what the user asked to see: a fuzzy query and a sort.
type Spec struct {
	Query   string
	SortCol int // -1 keeps server order
	Desc    bool
}

// Rows is the derived, visible order of a collection: indices into its
// items, plus the matched rune positions of the filter in each row's name.
type Rows struct {
	Gen        uint64 // the derivation's generation (spec changes bump it)
	Spec       Spec
	Indices    []int
	Highlights map[int][]int // item index → rune indices matched in its name
	Of         int           // how many items the derivation saw
	Err        error         // the query could not be read (a bad regular expression); no rows
}

// Schema tells Derive how to read rows of T: the name the filter matches,
// and how to compare two rows by a column.
type Schema[T any] struct {
	Name    func(T) string
	Compare func(a, b T, col int) int
}

// Derive filters items by spec.Query (fuzzy, best match first unless a sort
// is set) and sorts them by spec.SortCol. It is pure and may run in a
// goroutine over a snapshot.
func Derive[T any](items []T, spec Spec, sch Schema[T]) Rows {
	r := Rows{Spec: spec, Of: len(items)}
	if spec.Query == "" {
		r.Indices = make([]int, len(items))
		for i := range items {
			r.Indices[i] = i
		}
	} else if q, err := ParseQuery(spec.Query); err != nil {
		r.Err = err
		return r
	} else if len(q.terms) != 1 || q.terms[0].kind != termFuzzy {
		r.Indices, r.Highlights = deriveExtended(items, q, sch.Name)
	} else {
		// One fuzzy term, the common case.
		// FindFromNoSort plus one sort of small keys is several times faster
		// than fuzzy's stable sort of whole matches when most rows match
		// (a one-letter query), and gives the same order.
		matches := fuzzy.FindFromNoSort(q.terms[0].text, source[T]{items, sch.Name})
		slices.SortFunc(matches, func(a, b fuzzy.Match) int {
			if a.Score != b.Score {
				return cmp.Compare(b.Score, a.Score) // best first
			}
			return cmp.Compare(a.Index, b.Index) // ties keep the server order
		})
		r.Indices = make([]int, len(matches))
		r.Highlights = make(map[int][]int, len(matches))
		for i, m := range matches {
			r.Indices[i] = m.Index
			r.Highlights[m.Index] = runeIndices(m.Str, m.MatchedIndexes)
		}
	}
	if spec.SortCol >= 0 && sch.Compare != nil {
		slices.SortStableFunc(r.Indices, func(a, b int) int {
			c := sch.Compare(items[a], items[b], spec.SortCol)
			if spec.Desc {
				c = -c
			}
			if c == 0 {
				return cmp.Compare(a, b)
			}
			return c
		})
	}
	return r
}

// deriveExtended filters items by a query of several terms or a regular
// expression: every exact term must hold, then every fuzzy one; rows are
// best first when a term is fuzzy, else in server order.
func deriveExtended[T any](items []T, q Query, name func(T) string) ([]int, map[int][]int) {
	cand := make([]int, 0, len(items))
	hl := map[int][]int{}
	for i, v := range items {
		ok, h := q.matchExact(name(v), nil)
		if !ok {
			continue
		}
		cand = append(cand, i)
		if h != nil {
			hl[i] = h
		}
	}
	fz := q.fuzzyTerms()
	score := map[int]int{}
	for _, f := range fz {
		matches := fuzzy.FindFromNoSort(f, subset[T]{items, cand, name})
		next := make([]int, 0, len(matches))
		for _, m := range matches {
			i := cand[m.Index]
			next = append(next, i)
			score[i] += m.Score
			hl[i] = append(hl[i], runeIndices(m.Str, m.MatchedIndexes)...)
		}
		slices.Sort(next)
		cand = next
	}
	if len(fz) > 0 {
		slices.SortStableFunc(cand, func(a, b int) int { return cmp.Compare(score[b], score[a]) })
	}
	for i := range hl {
		slices.Sort(hl[i])
		hl[i] = slices.Compact(hl[i])
	}
	return cand, hl
}

// subset adapts some of items to fuzzy.Source.
type subset[T any] struct {
	items []T
	idx   []int
	name  func(T) string
}

// String is the name of the subset's i-th item (fuzzy.Source).
func (s subset[T]) String(i int) string { return s.name(s.items[s.idx[i]]) }

// Len is the size of the subset (fuzzy.Source).
func (s subset[T]) Len() int { return len(s.idx) }

// source adapts items to fuzzy.Source.
type source[T any] struct {
	items []T
	name  func(T) string
}

// String is item i's name (fuzzy.Source).
func (s source[T]) String(i int) string { return s.name(s.items[i]) }

// Len is the number of items (fuzzy.Source).
func (s source[T]) Len() int { return len(s.items) }

// runeIndices converts fuzzy's byte offsets into rune indices.
func runeIndices(s string, bytes []int) []int {
	if len(bytes) == 0 {
		return nil
	}
	out := make([]int, 0, len(bytes))
	ri, bi := 0, 0
	for off := range s {
		if bi < len(bytes) && bytes[bi] == off {
			out = append(out, ri)
			bi++
		}
		ri++
	}
	return out
}
