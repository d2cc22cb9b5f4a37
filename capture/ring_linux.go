package capture

import (
	"context"
	"encoding/binary"

	"github.com/syscam/syscam/event"
)

// ringLoop drains the ring buffer into batches of checked raw records and hands each
// batch to the writeLoop in the same goroutine: no record, batch or counter moves
// between cores, and no goroutine wakes another. It checks the kernel's loss counters
// after each drain and turns every loss into a drop event in the stream.
type ringLoop struct {
	r   *Recorder
	w   *writeLoop
	cur *batch

	drops    []syscamDropcnt // kernel counters, per CPU, as last read
	readLost []uint64        // per CPU, not yet announced
	readAt   []int64
	seen     uint64 // records read since the last update of the live counters

	dec     decoder
	seenCPU []uint64    // per CPU, since the last drain; added to Stats at its end
	ev      event.Event // an exec record is decoded into it for the hasher
}

const (
	// pollMillis is how often the loop drains the ring: every 4 ms. Each drain is a
	// sleep and a wake-up; at 1 ms they cost ~5 points of a core at 1.3 M events/s
	// (steady CPU 35.6 vs 29.9 %, medians of 4 alternated runs). At that rate 4 ms of
	// records take 250 KiB of the ring (16 MiB by default), and the kernel wakes the
	// loop early past a quarter of it.
	pollMillis  = 4
	dropcntSize = 24 // struct dropcnt
)

func newRingLoop(r *Recorder, w *writeLoop) *ringLoop {
	n := r.ncpu
	return &ringLoop{r: r, w: w, drops: make([]syscamDropcnt, n), readLost: make([]uint64, n),
		readAt: make([]int64, n), dec: r.dec, seenCPU: make([]uint64, n)}
}

// run drains the ring and writes its events until the capture stops (ctx ends, Stop,
// Abort or a sink error), then drains what remains and ends the stream.
func (l *ringLoop) run(ctx context.Context) {
	draining := false
	for {
		mark := l.r.Now()
		l.r.rd.drain(l.handle)
		l.endOfDrain(mark)
		if draining {
			l.w.finish()
			return
		}
		if ctx.Err() != nil {
			l.r.halt()
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

// endOfDrain announces losses, hands the current batch to the writer and lets it
// release what the drain's mark allows.
func (l *ringLoop) endOfDrain(mark int64) {
	l.r.live.Seen.Add(l.seen)
	l.r.stats.Seen += l.seen
	l.seen = 0
	for cpu, n := range l.seenCPU {
		l.r.stats.CPUs[cpu].Seen += n
		l.seenCPU[cpu] = 0
	}
	l.checkKernelDrops()
	l.announce()
	l.handOver()
	// Every record committed before mark has been taken: none older can come but
	// for the delay the window covers.
	l.w.drained(mark)
}

// handOver gives the current batch, when it holds anything, to the writer.
func (l *ringLoop) handOver() {
	if l.cur != nil && l.cur.n > 0 {
		l.w.take(l.cur)
		l.cur = nil
	}
}

// room makes sure the current batch fits a record of n bytes (or a notice). A full
// batch goes to the writer, which keeps batches free by releasing early.
func (l *ringLoop) room(n int, note bool) {
	if l.cur != nil && !l.cur.fits(n, note) {
		l.handOver()
	}
	if l.cur == nil {
		l.cur = l.w.freeBatch()
	}
}

// note returns a notice to fill in the current batch.
func (l *ringLoop) note() *event.Event {
	l.room(0, true)
	return l.cur.addNote()
}

func (l *ringLoop) handle(raw []byte) {
	cpu, t := l.peek(raw)
	l.seenCPU[cpu]++
	l.seen++
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
	l.room(len(raw), false)
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
		l.drops[cpu] = now
		l.r.stats.CPUs[cpu].LostRing = now.Lost
		l.r.live.Lost.Add(delta)
		dropEvent(e, cpu, 0, delta, now.Lost, int64(now.LastTs)+l.r.dec.bootOffset)
	}
}

// announce writes drop events for the read losses not yet announced.
func (l *ringLoop) announce() {
	for cpu, n := range l.readLost {
		if n > 0 {
			dropEvent(l.note(), cpu, 2, n, l.r.stats.CPUs[cpu].LostRead, l.readAt[cpu])
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
