package capture

import (
	"encoding/binary"
	"time"

	"github.com/syscam/syscam/event"
)

// ringLoop is the reader goroutine: it drains the ring buffer into batches of decoded
// events, checks the kernel's loss counters after each drain, and turns every loss
// into a drop event in the stream.
type ringLoop struct {
	r    *Recorder
	free *batchPool
	full chan *batch
	cur  *batch
	// done holds the batches filled during this drain, handed to the writer together
	// (at its end, or maxHeld at a time): a send to a writer asleep on the channel
	// wakes it with a futex call, and waking it for every 256 events cost more CPU
	// than the events' decoding.
	done []*batch

	drops     []syscamDropcnt // kernel counters, per CPU, as last read
	queueLost []uint64        // per CPU, not yet announced
	queueAt   []int64         // time of the last record lost there
	readLost  []uint64
	readAt    []int64
	stalled   bool   // the last wait for a free batch timed out
	seen      uint64 // records read since the last update of the live counters

	// Per-record state is the reader's own, not the Recorder's: the decoder's blob
	// scratch and the seen counters are written for every record, and on a line the
	// writer's goroutine also touches (Stats.Written next to Stats.Seen, the table
	// pointer next to the decoder) every write moved the line between cores.
	dec     decoder
	seenCPU []uint64    // per CPU, since the last drain; added to Stats at its end
	ev      event.Event // an exec record is decoded into it for the hasher
}

const (
	maxHeld = 8 // full batches held back before they are handed over
	// pollMillis is how often the reader drains the ring: every 4 ms. Each drain
	// is a sleep and a wake-up of both goroutines; at 1 ms they cost ~5 points of a
	// core at 1.3 M events/s (steady CPU 35.6 vs 29.9 %, medians of 4 alternated runs).
	// At that rate 4 ms of records take 250 KiB of the ring (16 MiB by default), and
	// the kernel wakes the reader early past a quarter of it.
	pollMillis  = 4
	queueWait   = 250 * time.Millisecond
	dropcntSize = 24 // struct dropcnt
)

func (l *ringLoop) run() {
	defer close(l.full)
	n := l.r.ncpu
	l.drops = make([]syscamDropcnt, n)
	l.queueLost, l.queueAt = make([]uint64, n), make([]int64, n)
	l.readLost, l.readAt = make([]uint64, n), make([]int64, n)
	l.dec, l.seenCPU = l.r.dec, make([]uint64, n)
	draining := false
	for {
		mark := l.r.Now()
		l.r.rd.drain(l.handle)
		l.endOfDrain(mark)
		if draining {
			return
		}
		if l.r.stop.Load() {
			// The programs are detached: one more pass empties the ring.
			draining = true
			continue
		}
		if err := l.r.rd.wait(pollMillis); err != nil {
			l.lostRead(0, l.r.Now())
		}
	}
}

// endOfDrain announces losses and hands the current batch to the writer.
func (l *ringLoop) endOfDrain(mark int64) {
	// Live counters are shared with the writer's goroutine: updated once per drain,
	// not per record, so that their cache line does not move between cores.
	l.r.live.Seen.Add(l.seen)
	l.r.stats.Seen += l.seen
	l.seen = 0
	for cpu, n := range l.seenCPU {
		l.r.stats.CPUs[cpu].Seen += n
		l.seenCPU[cpu] = 0
	}
	l.stalled = false
	l.checkKernelDrops()
	l.announce()
	if l.cur == nil {
		if l.cur = l.free.get(); l.cur == nil {
			l.handOver()
			return // the writer is behind: the next batch carries a later mark
		}
		l.cur.reset()
	}
	l.cur.mark = mark
	l.done = append(l.done, l.cur)
	l.cur = nil
	l.handOver()
}

// handOver sends the held batches to the writer, in order.
func (l *ringLoop) handOver() {
	for i, b := range l.done {
		l.full <- b
		l.done[i] = nil
	}
	l.done = l.done[:0]
}

// room makes sure the current batch fits a record of n bytes (or a notice), and
// reports false when the writer is behind and no batch is free. A full batch is held
// back for the writer (see done).
func (l *ringLoop) room(n int, note bool) bool {
	if l.cur != nil && !l.cur.fits(n, note) {
		l.cur.mark = 0
		if l.done = append(l.done, l.cur); len(l.done) >= maxHeld {
			l.handOver()
		}
		l.cur = nil
	}
	if l.cur == nil {
		if l.cur = l.free.get(); l.cur == nil {
			l.handOver() // the writer may be waiting for them to free any
			if l.cur = l.waitFree(); l.cur == nil {
				return false
			}
		}
		l.cur.reset()
	}
	return true
}

// note returns a notice to fill in the current batch, or nil when the writer is behind.
func (l *ringLoop) note() *event.Event {
	if !l.room(0, true) {
		return nil
	}
	return l.cur.addNote()
}

// waitFree waits a while for the writer to free a batch: meanwhile the kernel's ring,
// much larger than the queue, absorbs the burst. Past queueWait the writer is stalled
// (a slow disk) and the reader drops records, counted as queue losses, so that the
// ring keeps draining and the losses are placed where they happen.
func (l *ringLoop) waitFree() *batch {
	if l.stalled {
		return nil // already dropping: do not wait again for every record
	}
	b := l.free.wait(queueWait)
	l.stalled = b == nil
	return b
}

func (l *ringLoop) handle(raw []byte) {
	cpu, t := l.peek(raw)
	l.seenCPU[cpu]++
	l.seen++
	if !l.room(len(raw), false) {
		l.r.stats.CPUs[cpu].LostQueue++
		l.queueLost[cpu]++
		l.queueAt[cpu] = t
		l.r.live.Lost.Add(1)
		return
	}
	// Checked here, decoded by the writer when the reorder window releases it.
	if err := l.dec.check(raw); err != nil {
		l.lostRead(cpu, t)
		return
	}
	if l.dec.table.plans[binary.LittleEndian.Uint16(raw[24:])].hashed {
		// Open the new executable now, while its process most likely still runs.
		e := &l.ev
		if l.dec.decode(raw, e) == nil && e.Ret == 0 && e.Flags&event.FlagEnter == 0 {
			l.r.hasher.prefetch(e)
		}
	}
	l.cur.addRecord(raw, t)
}

// peek reads the CPU and wall-clock time of a raw record without decoding it.
func (l *ringLoop) peek(raw []byte) (int, int64) {
	if len(raw) < recHdrSize {
		return 0, l.r.Now()
	}
	cpu := int(binary.LittleEndian.Uint16(raw[26:]))
	if cpu >= l.r.ncpu {
		cpu = 0
	}
	return cpu, int64(binary.LittleEndian.Uint64(raw)) + l.r.dec.bootOffset
}

func (l *ringLoop) lostRead(cpu int, t int64) {
	l.r.stats.CPUs[cpu].LostRead++
	l.readLost[cpu]++
	l.readAt[cpu] = t
	l.r.live.Lost.Add(1)
}

// checkKernelDrops reads the per-CPU loss counters of the BPF side (struct dropcnt
// per CPU in the memory-mapped drops map).
func (l *ringLoop) checkKernelDrops() {
	var buf [dropcntSize]byte
	le := binary.LittleEndian
	for cpu := range l.drops {
		if _, err := l.r.probe.drops.ReadAt(buf[:], int64(dropcntSize*cpu)); err != nil {
			return
		}
		now := syscamDropcnt{Lost: le.Uint64(buf[:]), LastTs: le.Uint64(buf[8:]), Compat: le.Uint64(buf[16:])}
		l.r.stats.CPUs[cpu].Compat = now.Compat
		was := l.drops[cpu]
		if now.Lost == was.Lost {
			continue
		}
		delta := now.Lost - was.Lost
		e := l.note()
		if e == nil {
			return // announced at the next drain: the counters are kept as they were
		}
		l.drops[cpu] = now
		l.r.stats.CPUs[cpu].LostRing = now.Lost
		l.r.live.Lost.Add(delta)
		dropEvent(e, cpu, 0, delta, now.Lost, int64(now.LastTs)+l.r.dec.bootOffset)
	}
}

// announce writes drop events for the queue and read losses not yet announced.
func (l *ringLoop) announce() {
	for cpu := range l.queueLost {
		if l.queueLost[cpu] > 0 {
			e := l.note()
			if e == nil {
				return
			}
			dropEvent(e, cpu, 1, l.queueLost[cpu], l.r.stats.CPUs[cpu].LostQueue, l.queueAt[cpu])
			l.queueLost[cpu] = 0
		}
		if l.readLost[cpu] > 0 {
			e := l.note()
			if e == nil {
				return
			}
			dropEvent(e, cpu, 2, l.readLost[cpu], l.r.stats.CPUs[cpu].LostRead, l.readAt[cpu])
			l.readLost[cpu] = 0
		}
	}
}

// dropEvent fills e as a drop notice: lost records of one source on one CPU since the
// last notice, and the total so far.
func dropEvent(e *event.Event, cpu int, source, lost, total uint64, t int64) {
	e.Reset()
	e.Type = event.TypeDrop
	e.Time = t
	e.CPU = uint16(cpu)
	e.SetInt(0, source)
	e.SetInt(1, lost)
	e.SetInt(2, total)
}
