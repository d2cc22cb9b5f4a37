package capture

import (
	"context"
	"encoding/binary"
	"math"
	"time"

	"github.com/syscam/syscam/event"
)

// ringLoop reads the CPUs' rings and hands each record, in place, to the writeLoop's
// window, in one goroutine: no record or counter moves between cores, and no
// goroutine wakes another. It checks the kernel's loss counters after each drain and
// turns every loss into a drop event in the stream.
type ringLoop struct {
	r *Recorder
	w *writeLoop

	drops   []syscamDropcnt // kernel counters, per CPU, as last read
	seen    uint64          // records read since the last update of the live counters
	seenCPU []uint64        // per CPU, since the last drain; added to Stats at its end
	dec     decoder         // decodes exec records for the hasher
	ev      event.Event
	handle  []func(pos uint64, rec []byte) // per ring: hold its record
}

const (
	// pollMillis is how often the loop drains the rings: every 8 ms. Each drain is a
	// sleep and a wake-up of the goroutine; at a paced 1.3 M events/s, 1 ms cost ~5
	// points of a core more than 4 ms (capture3.md), 4 ms ~2 points more than 8 ms
	// (steady CPU 27.0-29.0 vs 24.7-26.8 %, 4 alternated rounds). 8 ms of records take
	// 250 KiB of each CPU's ring (8 MiB each by default on 2 CPUs).
	pollMillis = 8
	// readChunk is how many records of one ring read hands over before the next's.
	readChunk   = 256
	dropcntSize = 24 // struct dropcnt
)

func newRingLoop(r *Recorder, w *writeLoop) *ringLoop {
	n := r.ncpu
	l := &ringLoop{r: r, w: w, drops: make([]syscamDropcnt, n), dec: r.dec, seenCPU: make([]uint64, n)}
	for i := range r.rd.rings {
		l.handle = append(l.handle, func(pos uint64, rec []byte) { l.hold(i, pos, rec) })
	}
	return l
}

// run drains the ring and writes its events until the capture stops (ctx ends, Stop,
// Abort or a sink error), then drains what remains and ends the stream.
func (l *ringLoop) run(ctx context.Context) {
	draining := false
	for {
		mark := l.r.Now()
		l.read(mark)
		l.endOfDrain()
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
		time.Sleep(pollMillis * time.Millisecond)
	}
}

// read hands every new record of every ring to the writer, a chunk of each ring in
// turn, and after each round lets the writer release every record older than what
// the rings may still hold. A CPU's ring is in time order (its programs never run at
// once), so a record it still has to hand over, or has still to write, is no older
// than the last one read from it; a CPU that wrote nothing new may be in the middle
// of a program that started before mark, up to the window ago (on a virtual machine
// the vCPU can be descheduled there). Reading one ring to its end before the next
// would let records of the next ring come out late.
func (l *ringLoop) read(mark int64) {
	rs, win := l.r.rd.rings, &l.w.win
	for i := range rs {
		rs[i].snapshot()
	}
	for {
		progress, more := int64(math.MaxInt64), false
		for i := range rs {
			if rs[i].readN(l.handle[i], readChunk) {
				more = true
				progress = min(progress, win.read[i])
			} else {
				progress = min(progress, max(win.read[i], mark-win.span))
			}
		}
		l.w.progress(progress)
		if !more {
			return
		}
	}
}

// endOfDrain announces the kernel's losses and counts the records read.
func (l *ringLoop) endOfDrain() {
	l.r.live.Seen.Add(l.seen)
	l.r.stats.Seen += l.seen
	l.seen = 0
	for cpu, n := range l.seenCPU {
		l.r.stats.CPUs[cpu].Seen += n
		l.seenCPU[cpu] = 0
	}
	l.checkKernelDrops()
	l.w.drained()
}

// hold hands record raw, at pos in ring i, to the writer.
func (l *ringLoop) hold(i int, pos uint64, raw []byte) {
	cpu, t := l.peek(raw)
	l.seenCPU[cpu]++
	l.seen++
	if len(raw) >= recHdrSize {
		if typ := binary.LittleEndian.Uint16(raw[24:]); int(typ) < numTypes && l.dec.table.plans[typ].hashed {
			// Open the new executable now, while its process most likely still runs.
			e := &l.ev
			if l.dec.decode(raw, e) == nil && e.Ret == 0 && e.Flags&event.FlagEnter == 0 {
				l.r.hasher.prefetch(e)
			}
		}
	}
	// Checked and decoded by the writer when the window releases it.
	l.w.hold(t, i, pos)
}

// peek reads the CPU and wall-clock time of a raw record without decoding it.
func (l *ringLoop) peek(raw []byte) (int, int64) {
	if len(raw) < recHdrSize {
		return 0, l.r.Now()
	}
	return recCPU(raw, l.r.ncpu), recTime(raw, l.r.dec.bootOffset)
}

// recCPU returns the CPU of a raw record, 0 when it has none of the ncpu.
func recCPU(raw []byte, ncpu int) int {
	if len(raw) < recHdrSize {
		return 0
	}
	if cpu := int(binary.LittleEndian.Uint16(raw[26:])); cpu < ncpu {
		return cpu
	}
	return 0
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
		l.drops[cpu] = now
		l.r.stats.CPUs[cpu].LostRing = now.Lost
		l.r.live.Lost.Add(delta)
		t := int64(now.LastTs) + l.r.dec.bootOffset
		dropEvent(l.w.notice(t), cpu, 0, delta, now.Lost, t)
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
