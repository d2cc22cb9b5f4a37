package capture

import (
	"encoding/binary"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
)

func TestLoopWritesRecordsInTimeOrderAndFreesTheRingBehindThem(t *testing.T) {
	ring := newFakeRing(4096)
	var got []int64
	sink := sinkFunc(func(e *event.Event) error { got = append(got, int64(e.TID)); return nil })
	l, w := newLoopOnRing(t, ring, sink, 100)
	// Two CPUs: tid 3 committed after tid 4 though its time is older.
	for i, ts := range []uint64{1000, 1010, 1030, 1020, 1040, 1500} {
		if !ring.produce(rawRec{ts: ts, tid: uint32(i + 1), typ: "getppid"}.bytes()) {
			t.Fatalf("ring full at record %d", i)
		}
	}
	ring.read(l.handle)
	w.drained(0)
	if diff := cmp.Diff([]int64{1, 2, 4, 3, 5}, got); diff != "" {
		t.Errorf("written once the window passed them (-want +got)\n%s", diff)
	}
	// Records stay in the ring until written: the last one holds its space.
	if c, want := ring.consumed(), 5*40; c != uint64(want) {
		t.Errorf("consumer position %d after 5 of 6 records of 40 bytes written, want %d", c, want)
	}
	w.finish()
	if got[5] != 6 || ring.consumed() != 6*40 {
		t.Errorf("after finish: written %v, consumer position %d, want the 6th and %d", got, ring.consumed(), 6*40)
	}
}

func TestLoopWritesEarlyRatherThanFillAQuarterOfTheRing(t *testing.T) {
	ring := newFakeRing(4096)
	written := 0
	sink := sinkFunc(func(e *event.Event) error {
		if e.Flags&event.FlagEnter == 0 { // not this host's calls blocked at the end
			written++
		}
		return nil
	})
	l, w := newLoopOnRing(t, ring, sink, 1_000_000_000)
	// 1,000 records of 40 bytes go through a 4 KiB ring held for a whole second:
	// only by writing early can the loop keep the ring from filling up.
	for i := range 1000 {
		if !ring.produce(rawRec{ts: uint64(i), tid: 1, typ: "getppid"}.bytes()) {
			ring.read(l.handle)
			if !ring.produce(rawRec{ts: uint64(i), tid: 1, typ: "getppid"}.bytes()) {
				t.Fatalf("ring still full at record %d after a read", i)
			}
		}
	}
	ring.read(l.handle)
	w.finish()
	if written != 1000+1 { // and the capture_stop notice
		t.Errorf("%d events written, want 1001", written)
	}
	if late := w.ro.late; late != 0 {
		t.Errorf("%d events raised as late, want 0 (they were in order)", late)
	}
}

func TestLoopAnnouncesARecordThatDoesNotDecodeWhereItWas(t *testing.T) {
	ring := newFakeRing(4096)
	var got []string
	sink := sinkFunc(func(e *event.Event) error {
		if e.Flags&event.FlagEnter == 0 { // not this host's calls blocked at the end
			got = append(got, e.Name())
		}
		return nil
	})
	l, w := newLoopOnRing(t, ring, sink, 100)
	bad := rawRec{ts: 1010, tid: 2, typ: "openat", cpu: 1}.bytes() // no blobs: malformed
	for _, rec := range [][]byte{rawRec{ts: 1000, typ: "getppid"}.bytes(), bad, rawRec{ts: 1020, typ: "getppid"}.bytes()} {
		ring.produce(rec)
	}
	ring.read(l.handle)
	w.finish()
	if diff := cmp.Diff([]string{"getppid", "drop", "getppid", "capture_stop"}, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if n := w.r.stats.CPUs[1].LostRead; n != 1 {
		t.Errorf("CPU 1 lost %d records to decoding, want 1", n)
	}
}

// BenchmarkConsumer measures the user side per event without the kernel: read a
// record from a ring, hold it in the reorder window, decode it as it is released and
// write it to a format.Writer on io.Discard.
func BenchmarkConsumer(b *testing.B) {
	recs := map[string][]byte{
		"getppid": rawRec{ret: 41, tid: 42, pid: 42, typ: "getppid"}.bytes(),
		"openat": rawRec{ret: 3, tid: 42, pid: 42, typ: "openat", args: []uint64{0xffffff9c, 0, 0, 0},
			blobs: [][]byte{[]byte("/etc/hostname"), u64s(0x00800001, 99)}}.bytes(),
		"read256": rawRec{ret: 4096, tid: 42, pid: 42, typ: "read", args: []uint64{3, 0, 4096},
			blobs: [][]byte{make([]byte, 256)}}.bytes(),
	}
	for name, rec := range recs {
		b.Run(name, func(b *testing.B) {
			w, err := format.NewWriter(io.Discard, format.Header{}, format.WriterOptions{})
			if err != nil {
				b.Fatal(err)
			}
			ring := newFakeRing(1 << 20)
			l, wl := newLoopOnRing(b, ring, w, 10_000)
			b.ReportAllocs()
			n := uint64(0)
			for b.Loop() {
				ts := n * 700 // 700 ns apart
				binary.LittleEndian.PutUint64(rec, ts)
				if n%256 == 0 {
					ring.read(l.handle)
					wl.drained(int64(ts) + wl.dec.bootOffset)
				}
				if !ring.produce(rec) {
					b.Fatal("ring full")
				}
				n++
			}
			w.Close()
		})
	}
}
