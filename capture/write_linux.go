package capture

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/syscam/syscam/event"
)

// writeLoop runs in Run's goroutine: it orders the reader's batches by time, adds the
// executables' hashes and writes to the sink.
type writeLoop struct {
	r         *Recorder
	sink      Sink
	free      *batchPool
	ro        reorder
	note      event.Event
	lastFlush time.Time
	failed    bool
	mark      int64  // the reader's latest drain mark (see batch.mark)
	flushedAt uint64 // events written at the last flush check
	written   uint64 // events given to the sink: Stats.Written once Run ends (kept
	// here, not in Stats, whose Seen the reader's goroutine updates)
	dec decoder     // the writer's own: its blob scratch is written per record
	ev  event.Event // every released record is decoded into it
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

func (w *writeLoop) run(ctx context.Context, full chan *batch) {
	tick := time.NewTicker(tickInterval)
	defer tick.Stop()
	done := ctx.Done()
	for {
		select {
		case b, ok := <-full:
			if !ok {
				w.finish()
				return
			}
			w.take(b)
		case <-tick.C:
			w.r.live.Written.Store(w.written)
			// Release by the reader's progress, not the clock: a reader held up longer
			// than the window (a loaded host) must not make its events late.
			w.release(w.mark-w.ro.window, false)
			w.maybeFlush()
		case <-done:
			done = nil
			w.r.halt()
		}
	}
}

func (w *writeLoop) take(b *batch) {
	defer w.r.live.Written.Store(w.written)
	w.mark = max(w.mark, b.mark)
	b.pending = b.n
	if b.n == 0 {
		w.free.put(b)
		return
	}
	for i := 0; i < b.n; i++ {
		w.ro.push(b.time(i), b, i)
	}
	w.release(w.ro.newest()-w.ro.window, false)
	// Never let the reorder buffer hold every batch: the reader would drop.
	for w.free.len() < 2 && w.ro.len() > 0 {
		w.release(0, true)
	}
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
