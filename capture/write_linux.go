package capture

import (
	"fmt"
	"strings"
	"time"

	"github.com/syscam/syscam/event"
)

// writeLoop holds the ringLoop's records in the window, decodes them as they
// leave it, adds the executables' hashes and writes to the sink, in the ringLoop's
// goroutine. A record stays in the ring until it is written.
type writeLoop struct {
	r         *Recorder
	sink      Sink
	win       window
	rings     []ringMap
	notes     noteStore // the notices in win
	note      event.Event
	lastFlush time.Time
	failed    bool
	flushedAt uint64      // events written at the last flush check
	written   uint64      // events given to the sink: Stats.Written once Run ends
	dec       decoder     // decodes the records as they leave the window
	ev        event.Event // every released record is decoded into it
}

func newWriteLoop(r *Recorder, sink Sink) *writeLoop {
	return &writeLoop{r: r, sink: sink, win: newWindow(r.opts.ReorderWindow.Nanoseconds(), r.rd.rings, r.dec.bootOffset),
		rings: r.rd.rings, notes: newNoteStore(max(64, 4*r.ncpu)), dec: r.dec}
}

// busyEvents is the events per flush interval past which the writer does not flush:
// the sink's blocks (format's default is 65,536 events) then end often enough.
const busyEvents = 1 << 16

// start writes the capture_start notice.
func (w *writeLoop) start() {
	e := &w.note
	e.Reset()
	e.Type = event.TypeCaptureStart
	e.Time = w.r.started
	e.SetInt(0, uint64(w.r.opts.Snaplen))
	e.SetString(1, w.r.opts.describe())
	e.SetInt(2, uint64(w.r.BootTime()))
	w.win.last = e.Time
	w.write(e)
	w.lastFlush = time.Now()
}

// progress releases the events up to t, which no record still to be read can
// precede (see ringLoop.read), and frees the rings up to the oldest record each still
// holds.
func (w *writeLoop) progress(t int64) {
	w.release(t, false)
	w.free()
}

// drained is called after each drain of the rings: it updates the live counters and
// flushes the sink now and then.
func (w *writeLoop) drained() {
	w.r.live.Written.Store(w.written)
	w.maybeFlush()
}

// hold puts the record at pos of ring i, of time t, in the window. The records held
// in a ring are bounded by half of it (a small ring, or a loop that cannot keep up,
// must leave room for the kernel): past it the oldest records are written early, in
// order, but with less time for a late record to overtake them.
func (w *writeLoop) hold(t int64, i int, pos uint64) {
	w.win.push(i, pos, t)
	for rg := &w.rings[i]; rg.next-w.win.fronts[i].pos > rg.size()/2; {
		w.release(0, true)
		w.free()
	}
}

// free gives the rings' space of every released record back to the kernel.
func (w *writeLoop) free() {
	for i := range w.rings {
		w.rings[i].free(w.win.fronts[i].pos)
	}
}

// notice returns a notice of time t to fill, held in the window.
func (w *writeLoop) notice(t int64) *event.Event {
	e, i, ok := w.notes.get()
	for !ok {
		w.release(0, true) // the notices in use are held: write the oldest entries
		e, i, ok = w.notes.get()
	}
	w.win.pushNote(t, i)
	return e
}

// lostRead counts a record that did not decode (or a failed wait for the ring) and
// announces it.
func (w *writeLoop) lostRead(cpu int, t int64) {
	w.r.stats.CPUs[cpu].LostRead++
	w.r.live.Lost.Add(1)
	dropEvent(w.notice(t), cpu, 2, 1, w.r.stats.CPUs[cpu].LostRead, t)
}

// release writes the held events older than horizon (or one event, when force).
func (w *writeLoop) release(horizon int64, force bool) {
	for {
		t, ring, x, ok := w.win.pop(horizon, force)
		if !ok {
			return
		}
		w.emit(t, ring, x)
		if force {
			return
		}
	}
}

// emit writes, at time t (its own, or raised when it came late), the notice x when
// ring is -1, else the record at position x of the ring.
func (w *writeLoop) emit(t int64, ring int, x uint64) {
	if ring < 0 {
		e := w.notes.at(uint32(x))
		e.Time = t
		w.write(e)
		w.notes.put(uint32(x))
		return
	}
	rec := w.rings[ring].record(x)
	if err := w.dec.decode(rec, &w.ev); err != nil {
		w.lostRead(recCPU(rec, w.r.ncpu), t)
		return
	}
	w.ev.Time = t
	w.write(&w.ev)
}

func (w *writeLoop) write(e *event.Event) {
	if w.failed || (w.r.discard.Load() && e != &w.note) {
		return
	}
	if int(e.Type) < numTypes && w.r.table.plans[e.Type].hashed && e.Ret == 0 && e.Flags&event.FlagEnter == 0 {
		w.r.hasher.fill(e)
	}
	if err := w.sink.Write(e); err != nil {
		w.failed = true
		w.r.err = fmt.Errorf("write event %d (%s): %w", w.written+1, e.Name(), err)
		w.r.halt()
		return
	}
	w.written++
}

// maybeFlush ends the sink's block about once a second when events are few, so that
// a crash loses little. When they are many, blocks fill and end by themselves, and a
// Flush, which waits for every pending block to be compressed and written, would stall
// the writer long enough on a loaded host for the ring to overflow.
func (w *writeLoop) maybeFlush() {
	f, ok := w.sink.(Flusher)
	if !ok || w.failed || time.Since(w.lastFlush) < flushInterval {
		return
	}
	w.lastFlush = time.Now()
	busy := w.written-w.flushedAt >= busyEvents
	w.flushedAt = w.written
	if busy {
		return
	}
	if err := f.Flush(); err != nil {
		w.failed = true
		w.r.err = fmt.Errorf("flush trace: %w", err)
		w.r.halt()
	}
}

// finish writes every held event and the capture_stop notice.
func (w *writeLoop) finish() {
	w.release(0, false)
	for w.win.len() > 0 {
		w.release(0, true)
	}
	w.free()
	w.r.stats.Late = w.win.late
	at := max(w.r.Now(), w.win.last)
	if !w.r.discard.Load() {
		w.r.pendingCalls(at, w.write)
	}
	w.compatNotice(at)
	e := &w.note
	e.Reset()
	e.Type = event.TypeCaptureStop
	e.Time = at
	reason := "stopped"
	if p := w.r.reason.Load(); p != nil {
		reason = *p
	}
	if w.r.err != nil {
		reason = w.r.err.Error()
	}
	e.SetString(0, reason)
	w.write(e)
}

// compatNotice says how many 32-bit syscalls were left out, when there were some.
func (w *writeLoop) compatNotice(at int64) {
	var n uint64
	for _, c := range w.r.stats.CPUs {
		n += c.Compat
	}
	if n == 0 {
		return
	}
	e := &w.note
	e.Reset()
	e.Type = event.TypeNotice
	e.Time = at
	e.SetString(0, fmt.Sprintf("%d 32-bit (ia32) syscalls were not recorded: only x86_64 syscalls are decoded", n))
	w.write(e)
}

// describe renders the capture filters for the capture_start notice and the header.
func (o *Options) describe() string {
	var parts []string
	add := func(name string, v any) { parts = append(parts, fmt.Sprintf("%s=%v", name, v)) }
	if len(o.PIDs) > 0 {
		add("pids", o.PIDs)
	}
	if o.Children {
		add("children", true)
	}
	if len(o.Comms) > 0 {
		add("comms", o.Comms)
	}
	if len(o.Cgroups) > 0 {
		add("cgroups", o.Cgroups)
	}
	if len(o.Syscalls) > 0 {
		add("syscalls", o.Syscalls)
	}
	if len(o.Exclude) > 0 {
		add("exclude", o.Exclude)
	}
	if o.Env {
		add("env", true)
	}
	return strings.Join(parts, " ")
}
