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
	var got []int64
	sink := sinkFunc(func(e *event.Event) error { got = append(got, int64(e.TID)); return nil })
	rings, l, w := newLoopOnRings(t, 2, 4096, sink, 100)
	// CPU 1 committed tid 4 (time 1020) after CPU 0 had committed tid 3 (1030).
	for i, r := range []struct {
		cpu int
		ts  uint64
	}{{0, 1000}, {0, 1010}, {0, 1030}, {1, 1020}, {1, 1040}, {0, 1500}} {
		if !rings[r.cpu].produce(rawRec{ts: r.ts, tid: uint32(i + 1), typ: "getppid", cpu: uint16(r.cpu)}.bytes()) {
			t.Fatalf("ring full at record %d", i)
		}
	}
	l.read(1_000_001_500) // the test decoder's boot offset + 1500: all read by then
	if diff := cmp.Diff([]int64{1, 2, 4, 3, 5}, got); diff != "" {
		t.Errorf("written once the window passed them (-want +got)\n%s", diff)
	}
	// Records stay in their ring until written: CPU 0's last one holds its space.
	if c0, c1 := rings[0].consumed(), rings[1].consumed(); c0 != 3*40 || c1 != 2*40 {
		t.Errorf("consumer positions %d and %d after 3 and 2 records of 40 bytes written, want 120 and 80", c0, c1)
	}
	w.finish()
	if got[5] != 6 || rings[0].consumed() != 4*40 {
		t.Errorf("after finish: written %v, consumer position %d, want the 6th and %d", got, rings[0].consumed(), 4*40)
	}
}

func TestLoopMergesTheRingsOfSeveralCPUsInTimeOrder(t *testing.T) {
	var got []int64
	sink := sinkFunc(func(e *event.Event) error {
		if e.Type != event.TypeCaptureStop && e.Flags&event.FlagEnter == 0 {
			got = append(got, e.Time-1_000_000_000) // the test decoder's boot offset
		}
		return nil
	})
	rings, l, w := newLoopOnRings(t, 3, 4096, sink, 1_000_000)
	// Each CPU's records are in time order; the loop reads all of them at once.
	for i, ts := range [][]uint64{{10, 40, 70}, {20, 50}, {30, 60, 80, 90}} {
		for _, t := range ts {
			rings[i].produce(rawRec{ts: t, typ: "getppid", cpu: uint16(i)}.bytes())
		}
	}
	l.read(0)
	w.finish()
	if diff := cmp.Diff([]int64{10, 20, 30, 40, 50, 60, 70, 80, 90}, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if w.win.late != 0 {
		t.Errorf("%d events late, want 0", w.win.late)
	}
}

func TestLoopReadsLongRingsTogetherSoThatNoneComesOutLate(t *testing.T) {
	var got []int64
	sink := sinkFunc(func(e *event.Event) error {
		if e.Type != event.TypeCaptureStop && e.Flags&event.FlagEnter == 0 {
			got = append(got, e.Time)
		}
		return nil
	})
	// Two CPUs with 2,000 records each, interleaved in time, all read in one drain:
	// many more than a chunk, over a window much shorter than the drain.
	rings, l, w := newLoopOnRings(t, 2, 1<<20, sink, 100)
	for k := range 2000 {
		for cpu := range 2 {
			rings[cpu].produce(rawRec{ts: uint64(10*k + 5*cpu), typ: "getppid", cpu: uint16(cpu)}.bytes())
		}
	}
	l.read(1_000_000_000 + 20_000)
	w.finish()
	if w.win.late != 0 || len(got) != 4000 {
		t.Fatalf("%d events written, %d late, want 4000 and 0", len(got), w.win.late)
	}
	for i := 1; i < len(got); i++ {
		if got[i] < got[i-1] {
			t.Fatalf("event %d at %d after one at %d", i, got[i], got[i-1])
		}
	}
}

func TestLoopWritesEarlyRatherThanFillAQuarterOfTheRing(t *testing.T) {
	written := 0
	sink := sinkFunc(func(e *event.Event) error {
		if e.Flags&event.FlagEnter == 0 { // not this host's calls blocked at the end
			written++
		}
		return nil
	})
	ring, l, w := newLoopOnRing(t, 4096, sink, 1_000_000_000)
	// 1,000 records of 40 bytes go through a 4 KiB ring held for a whole second:
	// only by writing early can the loop keep the ring from filling up.
	for i := range 1000 {
		if !ring.produce(rawRec{ts: uint64(i), tid: 1, typ: "getppid"}.bytes()) {
			l.read(0)
			if !ring.produce(rawRec{ts: uint64(i), tid: 1, typ: "getppid"}.bytes()) {
				t.Fatalf("ring still full at record %d after a read", i)
			}
		}
	}
	l.read(0)
	w.finish()
	if written != 1000+1 { // and the capture_stop notice
		t.Errorf("%d events written, want 1001", written)
	}
	if late := w.win.late; late != 0 {
		t.Errorf("%d events raised as late, want 0 (they were in order)", late)
	}
}

func TestLoopAnnouncesARecordThatDoesNotDecodeWhereItWas(t *testing.T) {
	var got []string
	sink := sinkFunc(func(e *event.Event) error {
		if e.Flags&event.FlagEnter == 0 { // not this host's calls blocked at the end
			got = append(got, e.Name())
		}
		return nil
	})
	ring, l, w := newLoopOnRing(t, 4096, sink, 100)
	bad := rawRec{ts: 1010, tid: 2, typ: "openat", cpu: 1}.bytes() // no blobs: malformed
	for _, rec := range [][]byte{rawRec{ts: 1000, typ: "getppid"}.bytes(), bad, rawRec{ts: 1020, typ: "getppid"}.bytes()} {
		ring.produce(rec)
	}
	l.read(0)
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
			ring, l, wl := newLoopOnRing(b, 1<<20, w, 10_000)
			b.ReportAllocs()
			n := uint64(0)
			for b.Loop() {
				ts := n * 700 // 700 ns apart
				binary.LittleEndian.PutUint64(rec, ts)
				if n%256 == 0 {
					l.read(int64(ts) + wl.dec.bootOffset)
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
