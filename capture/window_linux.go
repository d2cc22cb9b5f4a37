package capture

// window puts the records of every CPU, and the loop's few notices, in timestamp order.
//
// Each CPU's ring is in time order: its programs never run at once, and each takes
// the time as it starts. So the window keeps each ring's records where they are, from
// its front (the oldest not yet released) to the ring's read position, and releases
// the oldest of the fronts, a k-way merge, up to a horizon the reader gives: what no
// record still to be read can precede (see ringLoop.read). Example, two CPUs:
//
//	read cpu0 t=10, cpu0 t=12, cpu1 t=11  → held [10 12] [11]; horizon 11 releases 10, 11
//	read cpu1 t=18, cpu0 t=19             → horizon 18 releases 12, 18; holds [19] []
//
// The span (Options.ReorderWindow) is how long a CPU that wrote nothing new may still
// be in the middle of writing an older record. A record older than one already
// released (a wait longer than that) is released at once with its time raised to the
// last released time, and counted in late; a notice (a drop) is raised, not counted.
type window struct {
	span       int64
	rings      []ringMap
	fronts     []front
	notes      []pendingNote // sorted by time
	bootOffset int64         // added to a record's time, as the reader does
	read       []int64       // per ring: time of the last record read
	last       int64         // time of the last released entry
	late       uint64
}

// front is the oldest record a ring holds in the window: its position and time. The
// ring holds none when pos is its read position.
type front struct {
	pos uint64
	t   int64
}

// pendingNote is a notice in the window: its time and its index in noteStore.
type pendingNote struct {
	t   int64
	idx uint32
}

func newWindow(span int64, rings []ringMap, bootOffset int64) window {
	w := window{span: span, rings: rings, fronts: make([]front, len(rings)), read: make([]int64, len(rings)), bootOffset: bootOffset}
	for i := range rings {
		w.fronts[i].pos = rings[i].next
	}
	return w
}

// held reports whether ring i holds records in the window.
func (w *window) held(i int) bool { return w.fronts[i].pos != w.rings[i].next }

// len returns the entries held, notices included, and 1 for each ring holding records.
func (w *window) len() int {
	n := len(w.notes)
	for i := range w.fronts {
		if w.held(i) {
			n++
		}
	}
	return n
}

// push takes the record at pos of ring i, of time t, which the ring has just read,
// into the window.
func (w *window) push(i int, pos uint64, t int64) {
	if f := &w.fronts[i]; f.pos == pos {
		f.t = t
	}
	w.read[i] = t
}

// pushNote adds notice idx of time t.
func (w *window) pushNote(t int64, idx uint32) {
	j := len(w.notes)
	w.notes = append(w.notes, pendingNote{t: t, idx: idx})
	for j > 0 && w.notes[j-1].t > t {
		w.notes[j] = w.notes[j-1]
		j--
	}
	w.notes[j] = pendingNote{t: t, idx: idx}
}

// oldest returns the ring whose front is the oldest entry held (-1: a notice) and its
// time; ok is false when the window is empty. Equal times favour the notice, then the
// lower ring.
func (w *window) oldest() (ring int, t int64, ok bool) {
	ring = -2
	if len(w.notes) > 0 {
		ring, t = -1, w.notes[0].t
	}
	for i := range w.fronts {
		if f := &w.fronts[i]; f.pos != w.rings[i].next && (ring == -2 || f.t < t) {
			ring, t = i, f.t
		}
	}
	return ring, t, ring != -2
}

// pop releases the oldest entry if it is older than horizon, or unconditionally when
// force is set, with its time (raised when late). ring is -1 for a notice, whose index
// is in x; for a record x is its position in the ring. ok is false when nothing is ready.
func (w *window) pop(horizon int64, force bool) (t int64, ring int, x uint64, ok bool) {
	ring, t, ok = w.oldest()
	if !ok || (!force && t > horizon) {
		return 0, 0, 0, false
	}
	if ring < 0 {
		x = uint64(w.notes[0].idx)
		w.notes = append(w.notes[:0], w.notes[1:]...)
	} else {
		x = w.advance(ring)
	}
	if t < w.last {
		t = w.last
		if ring >= 0 {
			w.late++
		}
	} else {
		w.last = t
	}
	return t, ring, x, true
}

// advance moves ring i's front past its record, returns the record's position and
// reads the next front's time from the ring.
func (w *window) advance(i int) uint64 {
	f, rg := &w.fronts[i], &w.rings[i]
	pos := f.pos
	f.pos = after(pos, rg.record(pos))
	if f.pos != rg.next {
		if rec := rg.record(f.pos); len(rec) >= 8 {
			f.t = recTime(rec, w.bootOffset)
		} else {
			f.t = w.last // malformed: let it go at once
		}
	}
	return pos
}
