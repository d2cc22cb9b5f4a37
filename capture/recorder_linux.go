package capture

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cilium/ebpf"
)

const (
	// batchEvents is how many records the loop reads between two releases of the
	// events older than the window.
	batchEvents   = 256
	flushInterval = time.Second
)

// Recorder captures syscalls and process lifecycle events with eBPF. New loads and
// attaches the programs (the capture has started when it returns); Run streams the
// events to a sink until its context ends; Close frees the kernel objects.
//
// Run works in the caller's goroutine: every 8 ms it reads the CPUs' rings, puts the
// records in time order while they stay in the rings, then decodes and writes them.
// One goroutine, not a reader and a writer, because handing records from one core to
// another cost more than reading them. While the sink is slow the rings, not the
// process, hold the backlog, and when one is full its CPU drops records and counts
// them (source "ring"). Those losses, and records that fail to decode (source "read"),
// appear in the trace as drop events at the time they happened, and in Stats.
type Recorder struct {
	opts   Options
	table  *specTable
	probe  *probe
	rd     *cpuRings
	dec    decoder
	ncpu   int
	hasher *exeHasher

	started int64 // event-clock time just before the programs were attached
	haltMu  sync.Mutex

	live    Live
	stats   Stats
	stop    atomic.Bool
	reason  atomic.Pointer[string] // why the capture stopped, for capture_stop
	discard atomic.Bool            // Abort: events not yet written are dropped
	err     error                  // first sink error
}

// New checks that this process may use eBPF, loads and attaches the programs and
// opens the ring buffer. Events start to accumulate in the ring at once; call Run.
func New(opts Options) (_ *Recorder, err error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	sel, err := o.selector()
	if err != nil {
		return nil, err
	}
	if err := preflight(); err != nil {
		return nil, err
	}
	table, err := newSpecTable(sel)
	if err != nil {
		return nil, err
	}
	ncpu, err := ebpf.PossibleCPU()
	if err != nil {
		return nil, fmt.Errorf("count possible CPUs: %w", err)
	}
	r := &Recorder{opts: o, table: table, ncpu: ncpu, hasher: newExeHasher()}
	r.stats.CPUs = make([]CPUStats, ncpu)
	r.dec = decoder{table: table, bootOffset: bootOffset()}
	// Before the programs are attached, so that no event precedes capture_start.
	r.started = r.Now()
	if r.probe, err = loadProbe(&r.opts, table); err != nil {
		return nil, err
	}
	ring := cpuRingSize(r.opts.RingSize, ncpu)
	if r.rd, err = newCPURings(r.probe.objs.Cpuctl, r.probe.objs.Cpuring, ring); err != nil {
		r.probe.Close()
		return nil, fmt.Errorf("open the ring buffers: %w", err)
	}
	return r, nil
}

// Now returns the current time on the clock of event timestamps.
func (r *Recorder) Now() int64 { return bootNow() + r.dec.bootOffset }

// BootOffset returns wall-clock minus boot-clock time, ns: what the kernel's boot
// timestamps were shifted by.
func (r *Recorder) BootOffset() int64 { return r.dec.bootOffset }

// BootTime returns the wall-clock time of boot, ns: the origin of the kernel's clock.
func (r *Recorder) BootTime() int64 { return r.dec.bootOffset }

// Started returns the time just before the programs were attached, on the event
// clock: no event is older.
func (r *Recorder) Started() int64 { return r.started }

// Live returns counters to show while Run runs.
func (r *Recorder) Live() *Live { return &r.live }

// Stats returns the statistics of the recording; complete once Run has returned.
func (r *Recorder) Stats() Stats {
	s := r.stats
	s.CPUs = append([]CPUStats(nil), r.stats.CPUs...)
	return s
}

// Traced returns how many processes the pid-tree filter follows (Options.PIDs or
// Children): 0 once the whole tree has exited.
func (r *Recorder) Traced() (int, error) {
	var b [4]byte
	if _, err := r.probe.traced.ReadAt(b[:], 0); err != nil {
		return 0, fmt.Errorf("read the traced count: %w", err)
	}
	return int(binary.LittleEndian.Uint32(b[:])), nil
}

// Close detaches the programs and frees the ring buffer and maps.
func (r *Recorder) Close() error {
	return errors.Join(r.rd.Close(), r.probe.Close())
}

// Run streams events to sink until ctx ends, then detaches the programs, drains the
// ring, writes what remains in time order and returns. It returns the first error of
// the sink (the capture stops at once: a full disk) or nil.
func (r *Recorder) Run(ctx context.Context, sink Sink) error {
	w := newWriteLoop(r, sink)
	w.start()
	newRingLoop(r, w).run(ctx)
	r.stats.Written = w.written
	return r.err
}

// Stop ends the capture for the given reason (shown in the capture_stop notice) as if
// Run's context had ended. It may be called from any goroutine.
func (r *Recorder) Stop(reason string) {
	r.reason.CompareAndSwap(nil, &reason)
	r.halt()
}

// Abort is Stop for when writing cannot go on (the disk is nearly full): the events
// not yet written are discarded rather than written, so that only the capture_stop
// notice and the footer still need space. They remain counted in Stats.Seen.
func (r *Recorder) Abort(reason string) {
	r.discard.Store(true)
	r.Stop(reason)
}

// halt stops the capture: no new records, and the reader drains and exits.
func (r *Recorder) halt() {
	r.haltMu.Lock()
	defer r.haltMu.Unlock()
	if r.stop.Swap(true) {
		return
	}
	for _, l := range r.probe.links {
		l.Close()
	}
	r.probe.links = nil
}
