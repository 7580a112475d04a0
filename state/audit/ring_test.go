package audit

import (
	"fmt"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
)

func names(r *Ring) string {
	s := ""
	for i := range r.Len() {
		s += r.Newest(i).Name
	}
	return s
}

func TestRingPushOld(t *testing.T) {
	r := NewRing(5)
	r.Push(hubclient.AuditLog{Name: "c"}, hubclient.AuditLog{Name: "d"}) // oldest first
	// An older page, newest first.
	if n := r.PushOld(hubclient.AuditLog{Name: "b"}, hubclient.AuditLog{Name: "a"}); n != 2 {
		t.Fatalf("took %d, want 2", n)
	}
	if got := names(r); got != "dcba" {
		t.Fatalf("newest first %q, want dcba", got)
	}
	if r.Oldest(0).Name != "a" || r.Oldest(3).Name != "d" {
		t.Fatalf("oldest %s, newest-by-oldest %s", r.Oldest(0).Name, r.Oldest(3).Name)
	}
	// Only one more fits: the newer events stay.
	if n := r.PushOld(hubclient.AuditLog{Name: "z"}, hubclient.AuditLog{Name: "y"}); n != 1 {
		t.Fatalf("took %d at capacity, want 1", n)
	}
	if got := names(r); got != "dcbaz" || !r.Full() || r.Evicted() != 0 {
		t.Fatalf("at capacity %q full %v evicted %d", got, r.Full(), r.Evicted())
	}
	if n := r.PushOld(hubclient.AuditLog{Name: "x"}); n != 0 {
		t.Fatalf("a full ring took %d older events", n)
	}
	// A new event still evicts the oldest.
	r.Push(hubclient.AuditLog{Name: "e"})
	if got := names(r); got != "edcba" || r.Evicted() != 1 {
		t.Fatalf("after a push %q evicted %d", got, r.Evicted())
	}
}

// TestRingGrows mixes both ends across the buffer's growth steps and checks
// the order against a plain slice.
func TestRingGrows(t *testing.T) {
	r := NewRing(1000)
	var want []string // newest first
	for i := range 300 {
		newer := hubclient.AuditLog{Name: fmt.Sprintf("n%d,", i)}
		older := hubclient.AuditLog{Name: fmt.Sprintf("o%d,", i)}
		r.Push(newer)
		r.PushOld(older)
		want = append([]string{newer.Name}, want...)
		want = append(want, older.Name)
	}
	if r.Len() != len(want) {
		t.Fatalf("len %d, want %d", r.Len(), len(want))
	}
	for i, w := range want {
		if got := r.Newest(i).Name; got != w {
			t.Fatalf("Newest(%d) = %s, want %s", i, got, w)
		}
	}
	r.Reset()
	if r.Len() != 0 || r.PushOld(hubclient.AuditLog{Name: "a"}) != 1 || r.Newest(0).Name != "a" {
		t.Fatal("after reset")
	}
}
