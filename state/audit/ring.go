package audit

import "github.com/hubtui/hubtui/hubclient"

// Ring keeps the newest events up to a capacity; older ones leave memory
// and are counted. Memory grows with the events held until the capacity is
// reached, then stays flat. New events come in at the newest end (Push);
// older pages of the log, read while scrolling back, come in at the oldest
// end (PushOld) as long as there is room.
type Ring struct {
	buf     []hubclient.AuditLog // circular; len(buf) grows up to cap
	cap     int
	head    int // index in buf of the oldest event
	n       int // events held
	evicted int
}

// NewRing makes a ring of capacity events (DefaultBuffer when < 1).
func NewRing(capacity int) *Ring {
	if capacity < 1 {
		capacity = DefaultBuffer
	}
	return &Ring{cap: capacity}
}

// grow makes room for one more event while the ring is below capacity.
func (r *Ring) grow() {
	if r.n < len(r.buf) {
		return
	}
	size := min(r.cap, max(64, 2*len(r.buf)))
	buf := make([]hubclient.AuditLog, size)
	for i := range r.n {
		buf[i] = r.buf[(r.head+i)%len(r.buf)]
	}
	r.buf, r.head = buf, 0
}

// Push adds events, oldest first (as Tail.Done returns them). Once the
// ring is full each one evicts the oldest held.
func (r *Ring) Push(evs ...hubclient.AuditLog) {
	for _, e := range evs {
		if r.n < r.cap {
			r.grow()
			r.buf[(r.head+r.n)%len(r.buf)] = e
			r.n++
			continue
		}
		r.buf[r.head] = e
		r.head = (r.head + 1) % len(r.buf)
		r.evicted++
	}
}

// PushOld adds events older than every one held, newest first (as a page
// of the log comes), at the oldest end. It never evicts newer events to
// make room: it stops when the ring is full and returns how many it took.
func (r *Ring) PushOld(evs ...hubclient.AuditLog) int {
	took := 0
	for _, e := range evs {
		if r.n >= r.cap {
			break
		}
		r.grow()
		r.head = (r.head - 1 + len(r.buf)) % len(r.buf)
		r.buf[r.head] = e
		r.n++
		took++
	}
	return took
}

// Len is how many events the ring holds.
func (r *Ring) Len() int { return r.n }

// Cap is the ring's capacity.
func (r *Ring) Cap() int { return r.cap }

// Full reports whether the ring holds as many events as it can.
func (r *Ring) Full() bool { return r.n >= r.cap }

// Evicted counts the events that left memory to make room.
func (r *Ring) Evicted() int { return r.evicted }

// Newest returns the i-th newest event (0 is the newest).
func (r *Ring) Newest(i int) hubclient.AuditLog {
	return r.buf[(r.head+r.n-1-i)%len(r.buf)]
}

// Oldest returns the i-th oldest event (0 is the oldest).
func (r *Ring) Oldest(i int) hubclient.AuditLog {
	return r.buf[(r.head+i)%len(r.buf)]
}

// Reset empties the ring (a filter changed).
func (r *Ring) Reset() {
	clear(r.buf) // let the events go
	r.head, r.n, r.evicted = 0, 0, 0
}
