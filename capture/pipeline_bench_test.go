package capture

import (
	"encoding/binary"
	"io"
	"testing"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
)

// BenchmarkConsumer measures the user side per event without the kernel: check a raw
// record, copy it into a batch, order it, decode it again as it is
// released and write it to a format.Writer on io.Discard.
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
			bt := newBatch(4096)
			ro := reorder{window: 10_000}
			var out event.Event
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				binary.LittleEndian.PutUint64(rec, uint64(n*700)) // 700 ns apart
				now := int64(n*700) + d.bootOffset
				if err := d.check(rec); err != nil {
					b.Fatal(err)
				}
				if !bt.fits(len(rec), false) {
					bt.reset() // every entry of it was released long ago
				}
				i := bt.n
				bt.addRecord(rec, now)
				ro.push(bt.time(i), bt, i)
				for {
					t, rb, j := ro.pop(now-ro.window, false)
					if rb == nil {
						break
					}
					ent := rb.ents[j]
					if err := d.decode(rb.raw[ent.off:ent.off+ent.n], &out); err != nil {
						b.Fatal(err)
					}
					out.Time = t
					if err := w.Write(&out); err != nil {
						b.Fatal(err)
					}
				}
				n++
			}
			w.Close()
		})
	}
}
