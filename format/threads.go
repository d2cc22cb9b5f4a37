package format

// blockThreads is a block's thread table and, while its events are decoded in order,
// the thread of each CPU's last event. Both block encodings refer to threads this
// way: a thread column value k > 0 is entry k−1 of the table, 0 the thread of the
// previous event on the same CPU (most events, as a CPU runs one thread for a while).
type blockThreads struct {
	table []int32  // tid, pid pairs
	last  []uint32 // per CPU: 1 + the table index of its last event's thread; 0: none yet
}

// parse reads the thread table from a block's header (zigzag tid − previous tid,
// zigzag pid − tid, per entry) and forgets the CPUs' last threads.
func (t *blockThreads) parse(h *column) error {
	clear(t.last)
	t.table = t.table[:0]
	nt := h.uvarint()
	if *h.bad || nt > uint64(len(h.b)-h.pos)/2 {
		return corruptf("block header: bad thread count %d", nt)
	}
	var prev int64
	for range nt {
		tid := prev + h.varint()
		pid := tid + h.varint()
		t.table = append(t.table, int32(tid), int32(pid))
		prev = int64(int32(tid))
	}
	if *h.bad {
		return corruptf("block header: thread table cut short")
	}
	return nil
}

// size returns the number of threads in the table.
func (t *blockThreads) size() int { return len(t.table) / 2 }

// resolve returns the tid and pid of event i, on cpu, whose thread column value is
// th, and makes that thread the CPU's last.
func (t *blockThreads) resolve(i int, cpu uint16, th uint64) (tid, pid int32, err error) {
	for int(cpu) >= len(t.last) {
		t.last = append(t.last, 0)
	}
	if th == 0 {
		th = uint64(t.last[cpu])
		if th == 0 {
			return 0, 0, corruptf("event %d refers to the previous thread of CPU %d, which has none", i, cpu)
		}
	} else if th > uint64(t.size()) {
		return 0, 0, corruptf("event %d refers to thread %d of %d", i, th, t.size())
	}
	t.last[cpu] = uint32(th)
	return t.table[2*th-2], t.table[2*th-1], nil
}
