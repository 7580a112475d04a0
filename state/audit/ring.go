package audit

import "github.com/hubtui/hubtui/hubclient"

// Ring keeps the newest events up to a capacity; older ones leave memory
// and are counted. Memory grows with the events held until the capacity is
// reached, then stays flat.
type Ring struct {
	buf     []hubclient.AuditLog
	cap     int
	head    int // index of the oldest event once the ring is full
	evicted int
}

// NewRing makes a ring of capacity events (DefaultBuffer when < 1).
func NewRing(capacity int) *Ring {
	if capacity < 1 {
		capacity = DefaultBuffer
	}
	return &Ring{cap: capacity}
}

// Push adds events, oldest first (as Tail.Done returns them).
func (r *Ring) Push(evs ...hubclient.AuditLog) {
	for _, e := range evs {
		if len(r.buf) < r.cap {
			r.buf = append(r.buf, e)
			continue
		}
		r.buf[r.head] = e
		r.head = (r.head + 1) % r.cap
		r.evicted++
	}
}

// Len is how many events the ring holds.
func (r *Ring) Len() int { return len(r.buf) }

// Cap is the ring's capacity.
func (r *Ring) Cap() int { return r.cap }

// Evicted counts the events that left memory to make room.
func (r *Ring) Evicted() int { return r.evicted }

// Newest returns the i-th newest event (0 is the newest).
func (r *Ring) Newest(i int) hubclient.AuditLog {
	n := len(r.buf)
	return r.buf[(r.head+n-1-i)%n]
}

// Reset empties the ring (a filter changed).
func (r *Ring) Reset() { r.buf, r.head, r.evicted = r.buf[:0], 0, 0 }
