package capture

import (
	"encoding/binary"
	"testing"

	"github.com/syscam/syscam/event"
)

// fakeRing is a CPU's ring in Go memory, laid out as bpf/syscam.bpf.c writes it, for
// driving the recorder's loop without BPF: produce appends a record as submit does.
type fakeRing struct {
	rm         *ringMap
	head, tail uint64
}

func newFakeRings(n, size int) ([]*fakeRing, *cpuRings) {
	c := &cpuRings{}
	fs := make([]*fakeRing, n)
	for i := range fs {
		fs[i] = &fakeRing{}
		c.rings = append(c.rings, ringMap{head: &fs[i].head, tail: &fs[i].tail, data: make([]byte, size+cpuSlack), mask: uint64(size - 1)})
	}
	for i := range fs {
		fs[i].rm = &c.rings[i]
	}
	return fs, c
}

// produce appends rec, and reports false when the ring has no room for it.
func (f *fakeRing) produce(rec []byte) bool {
	n := (uint64(len(rec)) + ringHdrSize + 7) &^ 7
	if f.head+n-f.tail > f.rm.size() {
		return false
	}
	off := f.head & f.rm.mask
	binary.LittleEndian.PutUint32(f.rm.data[off:], uint32(len(rec)))
	copy(f.rm.data[off+ringHdrSize:], rec)
	f.head += n
	return true
}

// consumed returns the consumer position the loop stored.
func (f *fakeRing) consumed() uint64 { return f.tail }

// sinkFunc is a Sink calling a function.
type sinkFunc func(e *event.Event) error

func (f sinkFunc) Write(e *event.Event) error { return f(e) }

// newLoopOnRing returns the recorder's loop reading a fake ring of size bytes and
// writing to sink, with a reorder window of window ns and the test decoder's table.
func newLoopOnRing(tb testing.TB, size int, sink Sink, window int64) (*fakeRing, *ringLoop, *writeLoop) {
	fs, l, w := newLoopOnRings(tb, 1, size, sink, window)
	return fs[0], l, w
}

// newLoopOnRings is newLoopOnRing with n rings, as n CPUs have.
func newLoopOnRings(tb testing.TB, n, size int, sink Sink, window int64) ([]*fakeRing, *ringLoop, *writeLoop) {
	tb.Helper()
	fs, rings := newFakeRings(n, size)
	d := newTestDecoder(tb)
	r := &Recorder{table: d.table, ncpu: max(n, 2), rd: rings, dec: *d, hasher: newExeHasher()}
	r.stats.CPUs = make([]CPUStats, r.ncpu)
	w := newWriteLoop(r, sink)
	w.win.span = window
	return fs, newRingLoop(r, w), w
}

// A length the programs never write (past the mapping) must not make the reader
// panic: the record is cut to the mapping and then fails its check.
func TestRingRecordWithALengthPastTheMappingIsCutToIt(t *testing.T) {
	fs, _ := newFakeRings(1, 4096)
	rm := fs[0].rm
	for _, off := range []uint64{0, 4088} {
		binary.LittleEndian.PutUint32(rm.data[off:], 1<<30-1)
		rec := rm.record(off)
		if want := len(rm.data) - int(off) - ringHdrSize; len(rec) != want {
			t.Errorf("record at %d: %d bytes, want the %d left in the mapping", off, len(rec), want)
		}
	}
}
