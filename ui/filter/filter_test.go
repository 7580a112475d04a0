package filter

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
)

func TestMatchEmptyQueryKeepsOrder(t *testing.T) {
	names := []string{"b", "a", "c"}
	for _, q := range []string{"", "   "} {
		res := Match(q, names)
		if !reflect.DeepEqual(res.Indices, []int{0, 1, 2}) {
			t.Errorf("Match(%q).Indices = %v", q, res.Indices)
		}
		if res.Highlights != nil {
			t.Errorf("Match(%q).Highlights = %v, want nil", q, res.Highlights)
		}
		if res.Query != q {
			t.Errorf("Query = %q, want %q", res.Query, q)
		}
	}
	if res := Match("", nil); len(res.Indices) != 0 {
		t.Errorf("Match on no names = %v", res.Indices)
	}
}

func TestMatchBestFirst(t *testing.T) {
	names := []string{"acme/web-frontend", "acme/payments-api", "acme/pay", "other/api"}
	res := Match("pay", names)
	if len(res.Indices) != 2 {
		t.Fatalf("Indices = %v, want two matches", res.Indices)
	}
	if got := names[res.Indices[0]]; got != "acme/pay" {
		t.Errorf("best match = %q, want acme/pay", got)
	}
	for _, i := range res.Indices {
		if len(res.Highlights[i]) != 3 {
			t.Errorf("Highlights[%d] = %v, want 3 positions", i, res.Highlights[i])
		}
	}
	if want := []int{5, 6, 7}; !reflect.DeepEqual(res.Highlights[2], want) {
		t.Errorf("Highlights[2] = %v, want %v", res.Highlights[2], want)
	}
	if _, ok := res.Highlights[0]; ok {
		t.Error("Highlights has an entry for a name that did not match")
	}
}

func TestMatchCaseInsensitive(t *testing.T) {
	res := Match("WEB", []string{"acme/web"})
	if len(res.Indices) != 1 {
		t.Fatalf("Indices = %v", res.Indices)
	}
}

func TestMatchRuneIndices(t *testing.T) {
	tests := []struct {
		name, query string
		want        []int
	}{
		{"café.go", "fg", []int{2, 5}},
		{"日本/ウェブ-api", "ウa", []int{3, 7}},
		{"ünïcödé/repo", "üre", []int{0, 8, 9}},
		{"😀-emoji/x", "ex", []int{2, 8}},
		{"bad\xffutf8/z", "uz", []int{4, 9}},
	}
	for _, tt := range tests {
		res := Match(tt.query, []string{"no match here", tt.name})
		if len(res.Indices) != 1 || res.Indices[0] != 1 {
			t.Errorf("Match(%q, %q).Indices = %v", tt.query, tt.name, res.Indices)
			continue
		}
		got := res.Highlights[1]
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Match(%q, %q) highlights = %v, want %v", tt.query, tt.name, got, tt.want)
		}
		// Every highlighted rune must be the query's rune (case-folded).
		runes := []rune(tt.name)
		for _, ri := range got {
			if ri >= len(runes) {
				t.Errorf("rune index %d out of range for %q", ri, tt.name)
			}
		}
	}
}

func TestMatchDoesNotModifyNames(t *testing.T) {
	names := []string{"z", "a", "za"}
	snapshot := slices.Clone(names)
	Match("a", names)
	if !slices.Equal(names, snapshot) {
		t.Errorf("names changed to %v", names)
	}
}

func TestCmd(t *testing.T) {
	names := []string{"acme/web", "acme/api"}
	cmd := Cmd(7, "api", names)
	msg, ok := cmd().(Msg)
	if !ok {
		t.Fatalf("Cmd returned %T", cmd())
	}
	if msg.Gen != 7 || msg.Result.Query != "api" || !reflect.DeepEqual(msg.Result.Indices, []int{1}) {
		t.Errorf("msg = %+v", msg)
	}
}

// repoNames returns n deterministic, realistic repository names such as
// "acme/payments-api-17".
func repoNames(n int) []string {
	orgs := []string{"acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell"}
	words := []string{
		"payments", "web", "frontend", "backend", "auth", "billing", "search", "gateway",
		"worker", "scheduler", "metrics", "logs", "cache", "proxy", "notifier", "ledger",
		"inventory", "catalog", "checkout", "users", "admin", "reports", "ingest", "stream",
	}
	kinds := []string{"api", "svc", "ui", "db", "job", "cli", "sdk", "base"}
	x := uint32(2463534242)
	next := func() int { // xorshift32: fixed sequence, no global state
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		return int(x >> 1)
	}
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("%s/%s-%s-%d",
			orgs[next()%len(orgs)], words[next()%len(words)], kinds[next()%len(kinds)], next()%100)
	}
	return names
}

func BenchmarkMatch100k(b *testing.B) {
	names := repoNames(100_000)
	for _, q := range []string{"a", "pay", "payapi17"} {
		b.Run(fmt.Sprintf("len%d", len(q)), func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for b.Loop() {
				n = len(Match(q, names).Indices)
			}
			b.ReportMetric(float64(n), "matches")
		})
	}
}
