package capture

// ref names what an entry of the reorder window holds: a record, by its ring (bits 48
// to 62) and its arrival number there (see arrivals), or, with noteRef set, a notice
// by its index in noteStore.
type ref uint64

const (
	noteRef   ref = 1 << 63
	ringShift     = 48
	seqMask       = 1<<ringShift - 1
)

// recordRef names arrival n of ring i.
func recordRef(i int, n uint64) ref { return ref(i)<<ringShift | ref(n&seqMask) }

// ring returns the ring of a record's reference.
func (x ref) ring() int { return int(x >> ringShift & 0x7fff) }

// seq returns the arrival number of a record's reference, modulo 2^48.
func (x ref) seq() uint64 { return uint64(x & seqMask) }

type pending struct {
	t   int64
	ref ref
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
	q      []pending // sorted by t; q[head:] is live
	head   int
	last   int64 // time of the last released event
	late   uint64
}

func (r *reorder) len() int { return len(r.q) - r.head }

// push adds the entry x of time t.
func (r *reorder) push(t int64, x ref) {
	if r.head > 0 && r.head == len(r.q) {
		r.q, r.head = r.q[:0], 0
	}
	p := pending{t: t, ref: x}
	j := len(r.q)
	r.q = append(r.q, p)
	for j > r.head && r.q[j-1].t > t {
		r.q[j] = r.q[j-1]
		j--
	}
	r.q[j] = p
}

// pop releases the oldest entry if it is older than horizon, or unconditionally when
// force is set, with its time (raised when late). ok is false when nothing is ready.
func (r *reorder) pop(horizon int64, force bool) (t int64, x ref, ok bool) {
	if r.head == len(r.q) {
		return 0, 0, false
	}
	p := r.q[r.head]
	if !force && p.t > horizon {
		return 0, 0, false
	}
	r.head++
	if r.head > 4096 && r.head*2 > len(r.q) {
		n := copy(r.q, r.q[r.head:])
		r.q, r.head = r.q[:n], 0
	}
	if p.t < r.last {
		p.t = r.last
		r.late++
	} else {
		r.last = p.t
	}
	return p.t, p.ref, true
}

// newest is the time of the newest held event, or 0.
func (r *reorder) newest() int64 {
	if r.head == len(r.q) {
		return 0
	}
	return r.q[len(r.q)-1].t
}

// arrivals keeps the ring positions of the records in the reorder window in the order
// they were read, which is the ring's order. The records stay in the ring until they
// are written: the window holds positions, not copies. Records leave the window in
// time order, which is not quite ring order, so the ring may only be freed up to the
// oldest record still held: the tail, once every record before it is released.
type arrivals struct {
	pos        []uint64 // by arrival number & (len-1); released has doneBit set
	head, tail uint64   // arrival numbers: [tail, head) are held or not yet freed
}

const doneBit = 1 << 63

func newArrivals(n int) arrivals { return arrivals{pos: make([]uint64, n)} }

func (a *arrivals) len() int   { return int(a.head - a.tail) }
func (a *arrivals) full() bool { return a.len() == len(a.pos) }

// add holds the record at ring position p, when not full, and returns its arrival
// number.
func (a *arrivals) add(p uint64) uint64 {
	n := a.head
	a.pos[n&uint64(len(a.pos)-1)] = p
	a.head++
	return n
}

// at returns the ring position of arrival n (or n modulo a larger power of two).
func (a *arrivals) at(n uint64) uint64 { return a.pos[n&uint64(len(a.pos)-1)] &^ doneBit }

// done marks arrival n released.
func (a *arrivals) done(n uint64) {
	m := uint64(len(a.pos) - 1)
	a.pos[n&m] |= doneBit
	for a.tail < a.head && a.pos[a.tail&m]&doneBit != 0 {
		a.tail++
	}
}

// oldest returns the ring position of the oldest record still held; ok is false when
// none is.
func (a *arrivals) oldest() (p uint64, ok bool) {
	if a.tail == a.head {
		return 0, false
	}
	return a.pos[a.tail&uint64(len(a.pos)-1)], true
}
