package capture

import (
	"fmt"
	"strings"
	"time"

	"github.com/syscam/syscam/event"
)

// writeLoop orders the ringLoop's batches by time, decodes their records, adds the
// executables' hashes and writes to the sink, in the ringLoop's goroutine.
type writeLoop struct {
	r         *Recorder
	sink      Sink
	free      *batchPool
	ro        reorder
	note      event.Event
	lastFlush time.Time
	failed    bool
	flushedAt uint64      // events written at the last flush check
	written   uint64      // events given to the sink: Stats.Written once Run ends
	dec       decoder     // decodes the records as they leave the window
	ev        event.Event // every released record is decoded into it
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
	w.ro.last = e.Time
	w.write(e)
	w.lastFlush = time.Now()
}

// drained is called after each drain of the ring that began at mark: it releases the
// events older than the window by the reader's progress, not the clock (a reader held
// up longer than the window, on a loaded host, must not make its events late), and
// flushes the sink now and then.
func (w *writeLoop) drained(mark int64) {
	w.release(mark-w.ro.window, false)
	w.r.live.Written.Store(w.written)
	w.maybeFlush()
}

// take puts the records of b, full or at the end of a drain, in the reorder window and
// writes those its newest record pushes out of the window.
func (w *writeLoop) take(b *batch) {
	b.pending = b.n
	for i := 0; i < b.n; i++ {
		w.ro.push(b.time(i), b, i)
	}
	w.release(w.ro.newest()-w.ro.window, false)
}

// freeBatch returns an empty batch for the reader. When the window holds every batch
// (a burst of more events than they hold within the window), it writes the oldest
// events early, their order kept, until one is free.
func (w *writeLoop) freeBatch() *batch {
	for w.free.len() == 0 && w.ro.len() > 0 {
		w.release(0, true)
	}
	b := w.free.get()
	b.reset()
	return b
}

// release writes the held events older than horizon (or one event, when force).
func (w *writeLoop) release(horizon int64, force bool) {
	for {
		t, b, i := w.ro.pop(horizon, force)
		if b == nil {
			return
		}
		w.emit(t, b, i)
		if b.pending--; b.pending == 0 {
			w.free.put(b)
		}
		if force {
			return
		}
	}
}

// emit writes entry i of batch b at time t (its own, or raised when it came late).
func (w *writeLoop) emit(t int64, b *batch, i int) {
	ent := b.ents[i]
	e := &w.ev
	if ent.note {
		e = &b.notes[ent.off]
	} else if err := w.dec.decode(b.raw[ent.off:ent.off+ent.n], e); err != nil {
		return // cannot happen: the reader decoded it before it kept it
	}
	e.Time = t
	w.write(e)
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
	for w.ro.len() > 0 {
		w.release(0, true)
	}
	w.r.stats.Late = w.ro.late
	at := max(w.r.Now(), w.ro.last)
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
