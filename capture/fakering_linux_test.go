package capture

import (
	"encoding/binary"
	"testing"

	"github.com/syscam/syscam/event"
)

// fakeRing is a ring buffer in Go memory laid out as the kernel's (see ringMap), for
// driving the recorder's loop without BPF: produce commits a record as a BPF program
// would.
type fakeRing struct {
	*ringMap
	size uint64
}

func newFakeRing(size int) *fakeRing {
	rm := &ringMap{cons: make([]byte, 8), prod: make([]byte, 8), data: make([]byte, 2*size), mask: uint64(size - 1), epfd: -1}
	return &fakeRing{ringMap: rm, size: uint64(size)}
}

// produce commits rec, and reports false when the ring has no room for it.
func (f *fakeRing) produce(rec []byte) bool {
	le := binary.LittleEndian
	prod, cons := le.Uint64(f.prod), le.Uint64(f.cons)
	n := (uint64(len(rec)) + ringHdrSize + 7) &^ 7
	if prod+n-cons > f.size {
		return false
	}
	// The data is mapped twice in a row: a record that wraps is written to both.
	for _, off := range []uint64{prod & f.mask, prod&f.mask + f.size} {
		if off+n > uint64(len(f.data)) {
			continue
		}
		le.PutUint32(f.data[off:], uint32(len(rec)))
		copy(f.data[off+ringHdrSize:], rec)
	}
	if off := prod & f.mask; off+n > f.size {
		wrapped := off + n - f.size
		copy(f.data[:wrapped], f.data[f.size:f.size+wrapped])
	}
	le.PutUint64(f.prod, prod+n)
	return true
}

// consumed returns the consumer position the loop stored.
func (f *fakeRing) consumed() uint64 { return binary.LittleEndian.Uint64(f.cons) }

// sinkFunc is a Sink calling a function.
type sinkFunc func(e *event.Event) error

func (f sinkFunc) Write(e *event.Event) error { return f(e) }

// newLoopOnRing returns the recorder's loop reading ring f and writing to sink, with
// a reorder window of window ns and the test decoder's spec table.
func newLoopOnRing(tb testing.TB, f *fakeRing, sink Sink, window int64) (*ringLoop, *writeLoop) {
	tb.Helper()
	d := newTestDecoder(tb)
	r := &Recorder{table: d.table, ncpu: 2, rd: f.ringMap, dec: *d, hasher: newExeHasher()}
	r.opts.ReorderWindow = 0
	r.stats.CPUs = make([]CPUStats, r.ncpu)
	w := newWriteLoop(r, sink)
	w.ro.window = window
	return newRingLoop(r, w), w
}
