package capture

import "github.com/syscam/syscam/event"

// batch is a block of records the ring reader fills and the writer empties: the raw
// records as the kernel wrote them, copied back to back, plus the few notices (drop
// events) the reader made. The writer decodes a record only when the reorder buffer
// releases it, into one event it reuses: the reorder window holds ~13,000 records at
// 1.3 M/s, and held as decoded events (840 bytes each, 11 MiB) every one had left the
// caches by its release; held raw (about 50 bytes each) they stay in them.
// pending counts the entries not yet released, and the batch goes back to the free
// pool at 0.
type batch struct {
	ents    []entry
	raw     []byte        // cap rawBytes: the records of ents
	notes   []event.Event // the notices of ents
	n       int           // entries in use
	nnotes  int           // notes in use
	pending int
}

// entry is one record of a batch, raw[off:off+n], with its event time; or, when note
// is set, the notice notes[off].
type entry struct {
	t      int64
	off, n uint32
	note   bool
}

const (
	batchNotes = 16
	// rawBytes holds any record: the kernel's scratch record is 64 KiB at most.
	rawBytes = 128 << 10
)

func newBatch(entries int) *batch {
	return &batch{ents: make([]entry, entries), raw: make([]byte, 0, rawBytes), notes: make([]event.Event, batchNotes)}
}

// reset empties b for reuse.
func (b *batch) reset() {
	b.n, b.nnotes, b.pending = 0, 0, 0
	b.raw = b.raw[:0]
}

// fits reports whether b has room for a record of n bytes, or a notice.
func (b *batch) fits(n int, note bool) bool {
	if b.n == len(b.ents) {
		return false
	}
	if note {
		return b.nnotes < len(b.notes)
	}
	return len(b.raw)+n <= cap(b.raw)
}

// addRecord copies rec, of time t, into b, which fits it.
func (b *batch) addRecord(rec []byte, t int64) {
	b.ents[b.n] = entry{t: t, off: uint32(len(b.raw)), n: uint32(len(rec))}
	b.raw = append(b.raw, rec...)
	b.n++
}

// addNote returns the next notice of b, which fits one, for the caller to fill.
func (b *batch) addNote() *event.Event {
	b.ents[b.n] = entry{off: uint32(b.nnotes), note: true}
	b.n++
	b.nnotes++
	return &b.notes[b.nnotes-1]
}

// time returns the event time of entry i.
func (b *batch) time(i int) int64 {
	if e := b.ents[i]; e.note {
		return b.notes[e.off].Time
	}
	return b.ents[i].t
}

type pendingRef struct {
	t int64
	b *batch
	i int
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

// push adds entry i of batch b, of time t.
func (r *reorder) push(t int64, b *batch, i int) {
	if r.head > 0 && r.head == len(r.q) {
		r.q, r.head = r.q[:0], 0
	}
	ref := pendingRef{t: t, b: b, i: i}
	j := len(r.q)
	r.q = append(r.q, ref)
	for j > r.head && r.q[j-1].t > ref.t {
		r.q[j] = r.q[j-1]
		j--
	}
	r.q[j] = ref
}

// pop releases the oldest entry if it is older than horizon, or unconditionally when
// force is set, with its time (raised when late). It returns a nil batch when nothing
// is ready.
func (r *reorder) pop(horizon int64, force bool) (int64, *batch, int) {
	if r.head == len(r.q) {
		return 0, nil, 0
	}
	ref := r.q[r.head]
	if !force && ref.t > horizon {
		return 0, nil, 0
	}
	r.q[r.head] = pendingRef{}
	r.head++
	if r.head > 4096 && r.head*2 > len(r.q) {
		n := copy(r.q, r.q[r.head:])
		r.q, r.head = r.q[:n], 0
	}
	if ref.t < r.last {
		ref.t = r.last
		r.late++
	} else {
		r.last = ref.t
	}
	return ref.t, ref.b, ref.i
}

// newest is the time of the newest held event, or 0.
func (r *reorder) newest() int64 {
	if r.head == len(r.q) {
		return 0
	}
	return r.q[len(r.q)-1].t
}
