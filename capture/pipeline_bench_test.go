package capture

import (
	"encoding/binary"
	"io"
	"testing"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
)

// BenchmarkConsumer measures the user side per event without the kernel: decode a raw
// record into a batch slot, order it, and write it to a format.Writer on io.Discard.
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
			d := newTestDecoder(b)
			w, err := format.NewWriter(io.Discard, format.Header{}, format.WriterOptions{})
			if err != nil {
				b.Fatal(err)
			}
			bt := &batch{evs: make([]event.Event, 4096)}
			ro := reorder{window: 10_000}
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				binary.LittleEndian.PutUint64(rec, uint64(n*700)) // 700 ns apart
				e := &bt.evs[n%len(bt.evs)]
				if err := d.decode(rec, e); err != nil {
					b.Fatal(err)
				}
				ro.push(e, bt)
				for {
					x, _ := ro.pop(e.Time-ro.window, false)
					if x == nil {
						break
					}
					if err := w.Write(x); err != nil {
						b.Fatal(err)
					}
				}
				n++
			}
			w.Close()
		})
	}
}
