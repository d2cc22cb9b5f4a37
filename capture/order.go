package capture

// window puts the records of every CPU, and the loop's few notices, in timestamp order
// within a bounded time window.
//
// Each CPU's ring is in time order: its programs never run at once, and each takes
// the time as it starts. Across CPUs a record can be committed late (the task, or on a
// virtual machine the vCPU, was descheduled in the middle of a program), so the window
// keeps every ring's records in a FIFO of its own and releases the oldest of the FIFOs'
// heads, a k-way merge, once it is older than the newest record by more than the
// window. Example, window 5, two CPUs:
//
//	push cpu0 t=10, cpu0 t=12, cpu1 t=11  → held [10 12] [11]
//	push cpu1 t=18                        → releases 10, 11, 12 (≤ 18-5); holds [] [18]
//
// A record older than one already released (a wait longer than the window) is
// released at once with its time raised to the last released time, and counted in late.
type window struct {
	span   int64
	fifos  []fifo
	notes  []pendingNote // sorted by time
	newest int64         // time of the newest record pushed
	last   int64         // time of the last released entry
	late   uint64
}

// held is a record in the window: its time and its position in its ring.
type held struct {
	t   int64
	pos uint64
}

// pendingNote is a notice in the window: its time and its index in noteStore.
type pendingNote struct {
	t   int64
	idx uint32
}

// fifo is one ring's records in the window, in ring (and time) order.
type fifo struct {
	q          []held // len a power of two
	head, tail uint64 // [tail, head) are held
}

func newWindow(span int64, rings, perRing int) window {
	w := window{span: span, fifos: make([]fifo, rings)}
	for i := range w.fifos {
		w.fifos[i].q = make([]held, perRing)
	}
	return w
}

func (f *fifo) len() int   { return int(f.head - f.tail) }
func (f *fifo) full() bool { return f.len() == len(f.q) }

// front returns the oldest record of f, which is not empty.
func (f *fifo) front() *held { return &f.q[f.tail&uint64(len(f.q)-1)] }

// len returns the entries held, notices included.
func (w *window) len() int {
	n := len(w.notes)
	for i := range w.fifos {
		n += w.fifos[i].len()
	}
	return n
}

// push adds the record at pos of ring i, of time t; the ring's FIFO is not full.
func (w *window) push(i int, t int64, pos uint64) {
	f := &w.fifos[i]
	f.q[f.head&uint64(len(f.q)-1)] = held{t: t, pos: pos}
	f.head++
	w.newest = max(w.newest, t)
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

// oldest returns the ring whose head is the oldest entry held (-1: a notice) and its
// time; ok is false when the window is empty. Equal times favour the notice, then the
// lower ring.
func (w *window) oldest() (ring int, t int64, ok bool) {
	ring = -2
	if len(w.notes) > 0 {
		ring, t = -1, w.notes[0].t
	}
	for i := range w.fifos {
		if f := &w.fifos[i]; f.head != f.tail {
			if ft := f.front().t; ring == -2 || ft < t {
				ring, t = i, ft
			}
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
		f := &w.fifos[ring]
		x = f.front().pos
		f.tail++
	}
	if t < w.last {
		t = w.last
		w.late++
	} else {
		w.last = t
	}
	return t, ring, x, true
}

// front returns the position of the oldest record held of ring i; ok is false when
// none is.
func (w *window) front(i int) (pos uint64, ok bool) {
	f := &w.fifos[i]
	if f.head == f.tail {
		return 0, false
	}
	return f.front().pos, true
}
