package scap

import "slices"

// scanResult is what a first, cheap pass over a capture (event headers only) learns
// so that the mapping pass can deliver events in timestamp order:
//
//   - orphans: the enter events (by their 1-based number among known scap events)
//     whose exit never comes; the mapping pass emits them where they stand, at their
//     own time, instead of when their absence becomes certain (another enter on the
//     thread, its procexit, or the end of the capture);
//   - lateness: the largest amount by which an emitted event's time falls behind an
//     earlier one's (scap merges per-CPU buffers, so files are only mostly ordered);
//     the ordered iterator holds events back by this much time.
type scanResult struct {
	orphans  []uint64 // sorted
	lateness int64
	err      error
}

type scanPending struct {
	seq   uint64
	typ   uint16
	ts    int64
	maxTS int64 // the running maximum when the enter was read
	live  bool
}

// scan reads the capture once, decoding event headers and pairing enters with exits
// as the mapper does, without mapping parameters. Its result is computed once per
// Reader.
func (r *Reader) scan() *scanResult {
	r.scanOnce.Do(func() { r.scanned = r.runScan() })
	return r.scanned
}

func (r *Reader) runScan() *scanResult {
	res := &scanResult{}
	br, err := r.stream()
	if err == nil {
		_, err = openStream(br)
	}
	if err != nil {
		res.err = err
		return res
	}
	s := scanState{res: res, pending: make(map[int64]*scanPending)}
	var ev rawEvent
	for {
		typ, body, ok, err := br.next()
		if err != nil || !ok {
			break // the mapping pass reports the error at the same place
		}
		if !isEventBlock(typ) {
			if typ == blkSHB {
				_, _ = readSection(br, body)
			}
			continue
		}
		// Only the header: an event whose parameters are corrupt still counts here,
		// and the mapping pass stops with an error at it.
		if decodeHeader(body, typ, &ev) {
			s.event(&ev)
		}
	}
	for _, p := range s.pending {
		if p.live {
			s.orphan(p)
		}
	}
	slices.Sort(res.orphans)
	return res
}

type scanState struct {
	res     *scanResult
	pending map[int64]*scanPending
	seq     uint64
	maxTS   int64
	lastTID int64
	last    *scanPending
}

// slot returns tid's pending-enter record, creating it.
func (s *scanState) slot(tid int64) *scanPending {
	if s.last != nil && tid == s.lastTID {
		return s.last
	}
	sp := s.pending[tid]
	if sp == nil {
		sp = &scanPending{}
		s.pending[tid] = sp
	}
	s.lastTID, s.last = tid, sp
	return sp
}

func (s *scanState) event(ev *rawEvent) {
	s.seq++
	ts := int64(ev.ts)
	p := &plans[ev.typ]
	if p.kind == pkNone {
		return
	}
	sp := s.slot(ev.tid)
	if isEnter(ev.typ) && !enterOnly(ev.typ) {
		if sp.live {
			s.orphan(sp)
		}
		*sp = scanPending{seq: s.seq, typ: ev.typ, ts: ts, maxTS: s.maxTS, live: true}
		s.output(ts) // conservative: counts the enter as if it were emitted here
		return
	}
	if sp.live {
		if p.kind == pkProcExit {
			s.orphan(sp)
		} else if sp.typ == ev.typ-1 {
			sp.live = false
		}
	}
	s.output(ts)
}

func (s *scanState) orphan(sp *scanPending) {
	sp.live = false
	s.res.orphans = append(s.res.orphans, sp.seq)
	s.res.lateness = max(s.res.lateness, sp.maxTS-sp.ts)
}

// output accounts for an event emitted at time ts. Time 0 marks metadata without a
// time (container events written by the dumper); the mapper stamps those with the
// running maximum, so they are never late.
func (s *scanState) output(ts int64) {
	if ts == 0 {
		return
	}
	s.res.lateness = max(s.res.lateness, s.maxTS-ts)
	s.maxTS = max(s.maxTS, ts)
}
