package state

import (
	"slices"
	"testing"
)

func names(items []item, r Rows) []string {
	out := make([]string, len(r.Indices))
	for i, ix := range r.Indices {
		out[i] = items[ix].name
	}
	return out
}

// TestExtendedQueryIsExactWhereAsked: the case that deleted a tag nobody
// meant: fuzzy "nightly-0999" picks nightly-004999 too, 'nightly-0999 does not.
func TestExtendedQueryIsExactWhereAsked(t *testing.T) {
	items := []item{{name: "nightly-0999"}, {name: "nightly-004999"}, {name: "nightly-0999-rc"}, {name: "stable"}, {name: "v1.0-nightly"}}
	sch := testSchema()
	cases := []struct {
		q    string
		want []string
	}{
		{"'nightly-0999", []string{"nightly-0999", "nightly-0999-rc"}},
		{"^nightly-0999$", []string{"nightly-0999"}},
		{"^nightly", []string{"nightly-0999", "nightly-004999", "nightly-0999-rc"}},
		{"nightly$", []string{"v1.0-nightly"}},
		{"^nightly !rc$", []string{"nightly-0999", "nightly-004999"}},
		{"!nightly", []string{"stable"}},
		{`re:^nightly-\d{4}$`, []string{"nightly-0999"}},
		{"'NIGHTLY", nil}, // an upper-case term matches case exactly
	}
	for _, c := range cases {
		r := Derive(items, Spec{Query: c.q, SortCol: -1}, sch)
		if r.Err != nil {
			t.Fatalf("%q: %v", c.q, r.Err)
		}
		if got := names(items, r); !slices.Equal(got, c.want) {
			t.Errorf("%q chose %q, want %q", c.q, got, c.want)
		}
	}
	fz := Derive(items, Spec{Query: "nightly-0999", SortCol: -1}, sch)
	if got := names(items, fz); !slices.Contains(got, "nightly-004999") {
		t.Fatalf("fuzzy stays the default: %q", got)
	}
	if r := Derive(items, Spec{Query: "re:([", SortCol: -1}, sch); r.Err == nil || len(r.Indices) != 0 {
		t.Fatalf("a bad expression: err %v rows %d", r.Err, len(r.Indices))
	}
}

func TestQueryRuleAndFuzzy(t *testing.T) {
	q, _ := ParseQuery("'nightly ^v1 !rc$")
	if q.Fuzzy() {
		t.Fatal("an all-exact query reported fuzzy")
	}
	if got := q.Rule(); got != `name contains "nightly" and starts with "v1" and not ends with "rc"` {
		t.Fatalf("rule %q", got)
	}
	q, _ = ParseQuery("web")
	if !q.Fuzzy() || q.Rule() != `name has the letters "web" in order (fuzzy)` {
		t.Fatalf("fuzzy %v rule %q", q.Fuzzy(), q.Rule())
	}
}
