package capture

import "github.com/syscam/syscam/event"

// batch is a block of decoded events passed from the ring reader to the writer. Its
// events stay in place until written: pending counts those not yet released by the
// reorder buffer, and the batch goes back to the free pool at 0.
type batch struct {
	evs     []event.Event
	n       int
	pending int
	// mark, when not 0, is a time by which the reader had found the ring empty: every
	// record committed before it is in this batch or an earlier one.
	mark int64
	// The reader bumps n of its batch per record while the writer counts pending of
	// another down per event: padded to 128 bytes so that two batches allocated next
	// to each other never share a cache line.
	_ [80]byte
}

type pendingRef struct {
	t int64
	e *event.Event
	b *batch
}

// reorder puts events from all CPUs in timestamp order within a bounded window.
//
// The kernel takes an event's time before it reserves ring space, so two CPUs can
// commit records in the opposite order of their times; the gap is the duration of one
// BPF program run, microseconds, unless the task is preempted in between. Records
// arrive almost sorted, so reorder keeps them in a slice sorted by time, inserting from
// the back (O(1) for in-order records), and releases the oldest once they are older
// than the newest by more than the window. Example, window 5:
//
//	push t=10, t=12, t=11  → held [10 11 12]
//	push t=18              → releases 10, 11, 12 (≤ 18-5); holds [18]
//
// A record older than one already released (a wait longer than the window) is
// released at once with its time raised to the last released time, and counted in late.
type reorder struct {
	window int64
	q      []pendingRef // sorted by t; q[head:] is live
	head   int
	last   int64 // time of the last released event
	late   uint64
}

func (r *reorder) len() int { return len(r.q) - r.head }

// push adds e, from batch b.
func (r *reorder) push(e *event.Event, b *batch) {
	if r.head > 0 && r.head == len(r.q) {
		r.q, r.head = r.q[:0], 0
	}
	ref := pendingRef{t: e.Time, e: e, b: b}
	i := len(r.q)
	r.q = append(r.q, ref)
	for i > r.head && r.q[i-1].t > ref.t {
		r.q[i] = r.q[i-1]
		i--
	}
	r.q[i] = ref
}

// pop releases the oldest event if it is older than horizon, or unconditionally when
// force is set. It returns nil when nothing is ready.
func (r *reorder) pop(horizon int64, force bool) (*event.Event, *batch) {
	if r.head == len(r.q) {
		return nil, nil
	}
	ref := r.q[r.head]
	if !force && ref.t > horizon {
		return nil, nil
	}
	r.q[r.head] = pendingRef{}
	r.head++
	if r.head > 4096 && r.head*2 > len(r.q) {
		n := copy(r.q, r.q[r.head:])
		r.q, r.head = r.q[:n], 0
	}
	if ref.t < r.last {
		ref.e.Time = r.last
		r.late++
	} else {
		r.last = ref.t
	}
	return ref.e, ref.b
}

// newest is the time of the newest held event, or 0.
func (r *reorder) newest() int64 {
	if r.head == len(r.q) {
		return 0
	}
	return r.q[len(r.q)-1].t
}
