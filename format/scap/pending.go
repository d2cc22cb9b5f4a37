package scap

import "slices"

// pendingEnter is a stored enter event waiting for its exit; it owns a copy of its
// parameters. Each thread keeps one for the whole capture (live says whether it holds
// an event), so pairing costs one map lookup and no allocation.
type pendingEnter struct {
	ev    rawEvent
	buf   []byte
	live  bool
	spare bool // a copy made for an orphan, returned to the spare list after use
}

// slot returns tid's pending-enter slot, creating it.
func (m *mapper) slot(tid int64) *pendingEnter {
	if tid == m.lastTID {
		return m.lastSlot
	}
	p := m.pending[tid]
	if p == nil {
		p = &pendingEnter{}
		m.pending[tid] = p
	}
	m.lastTID, m.lastSlot = tid, p
	return p
}

// store keeps ev as tid's pending enter event and returns the one it replaces, whose
// exit never came.
func (m *mapper) store(ev *rawEvent) *pendingEnter {
	p := m.slot(ev.tid)
	var orphan *pendingEnter
	if p.live {
		orphan = m.spareCopy(p)
	}
	p.copyFrom(ev)
	p.live = true
	return orphan
}

// copyFrom copies ev, whose values are contiguous, with one copy.
func (p *pendingEnter) copyFrom(ev *rawEvent) {
	// Field by field: copying the whole rawEvent would move all 32 slice headers.
	p.ev.ts, p.ev.tid, p.ev.typ, p.ev.cpu, p.ev.dflags, p.ev.n = ev.ts, ev.tid, ev.typ, ev.cpu, ev.dflags, ev.n
	p.buf = append(p.buf[:0], ev.vals...)
	p.ev.vals = p.buf
	off := 0
	for i := 0; i < ev.n; i++ {
		n := len(ev.p[i])
		p.ev.p[i] = p.buf[off : off+n : off+n]
		off += n
	}
}

// spareCopy moves the event of slot p into a spare pendingEnter.
func (m *mapper) spareCopy(p *pendingEnter) *pendingEnter {
	var c *pendingEnter
	if n := len(m.spare); n > 0 {
		c, m.spare = m.spare[n-1], m.spare[:n-1]
	} else {
		c = &pendingEnter{spare: true}
	}
	c.copyFrom(&p.ev)
	p.live = false
	return c
}

// take returns tid's pending enter if it is the enter half of exit id x.
func (m *mapper) take(tid int64, x uint16) *pendingEnter {
	p := m.slot(tid)
	if !p.live || p.ev.typ != x-1 {
		return nil
	}
	p.live = false
	return p
}

// takeAny returns tid's pending enter whatever its type.
func (m *mapper) takeAny(tid int64) *pendingEnter {
	p := m.slot(tid)
	if !p.live {
		return nil
	}
	p.live = false
	return p
}

func (m *mapper) release(p *pendingEnter) {
	if p != nil && p.spare {
		m.spare = append(m.spare, p)
	}
}

// drain removes and returns every pending enter, oldest first.
func (m *mapper) drain() []*pendingEnter {
	var out []*pendingEnter
	for _, p := range m.pending {
		if p.live {
			p.live = false
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *pendingEnter) int {
		if a.ev.ts != b.ev.ts {
			return cmpU64(a.ev.ts, b.ev.ts)
		}
		return int(a.ev.tid - b.ev.tid)
	})
	return out
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
