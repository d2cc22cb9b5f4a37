package format

import (
	"bytes"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/syscam/syscam/internal/synth"
)

// BenchmarkZstdSettings measures what zstd's own settings trade between size and the
// speed of decompression, on the encoding 2 payloads of the synthetic mix: with its 10 %
// of events carrying 64-byte buffers ("payloads"), and without any ("no-payloads"). It
// is the evidence behind the writer's choice of SpeedFastest with entropy coding of all
// literals: the settings that decompress faster do it by dropping the entropy coding,
// and then the columns alone no longer fit in 7 bytes per event.
//
// Each sub-benchmark recompresses the same raw payloads once, then decompresses all of
// them per iteration, on one goroutine. It reports B/event (compressed, minus the raw
// bytes of the payloads, as BenchmarkWrite does), B/event-with-payload and
// decode-ns/event.
func BenchmarkZstdSettings(b *testing.B) {
	for _, mix := range []struct {
		name string
		frac float64
	}{{"payloads", 0.10}, {"no-payloads", 1e-12}} {
		var raws [][]byte
		var events, pay int64
		loadRaw := func(b *testing.B) {
			if raws != nil {
				return
			}
			data, p := writeSynth(b, synth.New(synth.Options{Seed: 2, PayloadFraction: mix.frac}), 1<<21)
			raws, events, pay = rawPayloads(b, data), 1<<21, p
		}
		for _, s := range []struct {
			name string
			opts []zstd.EOption
		}{
			{"fastest+entropy", []zstd.EOption{zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithAllLitEntropyCompression(true)}},
			{"fastest", []zstd.EOption{zstd.WithEncoderLevel(zstd.SpeedFastest)}},
			{"fastest-no-entropy", []zstd.EOption{zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithNoEntropyCompression(true)}},
			{"default+entropy", []zstd.EOption{zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithAllLitEntropyCompression(true)}},
			{"default-no-entropy", []zstd.EOption{zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithNoEntropyCompression(true)}},
			{"better+entropy", []zstd.EOption{zstd.WithEncoderLevel(zstd.SpeedBetterCompression), zstd.WithAllLitEntropyCompression(true)}},
			{"best+entropy", []zstd.EOption{zstd.WithEncoderLevel(zstd.SpeedBestCompression), zstd.WithAllLitEntropyCompression(true)}},
		} {
			b.Run(mix.name+"/"+s.name, func(b *testing.B) {
				loadRaw(b)
				enc, err := zstd.NewWriter(nil, append(s.opts, zstd.WithEncoderCRC(false), zstd.WithEncoderConcurrency(1))...)
				if err != nil {
					b.Fatal(err)
				}
				comp := make([][]byte, len(raws))
				var size int64
				for i, r := range raws {
					comp[i] = enc.EncodeAll(r, nil)
					size += int64(len(comp[i]))
				}
				dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
				if err != nil {
					b.Fatal(err)
				}
				defer dec.Close()
				out := make([]byte, 0, maxBlockRaw)
				var n int64
				for b.Loop() {
					for _, c := range comp {
						if out, err = dec.DecodeAll(c, out[:0]); err != nil {
							b.Fatal(err)
						}
					}
					n += events
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "decode-ns/event")
				b.ReportMetric(float64(size-pay)/float64(events), "B/event")
				b.ReportMetric(float64(size)/float64(events), "B/event-with-payload")
			})
		}
	}
}

// rawPayloads returns the decompressed payload of every block of a file.
func rawPayloads(b *testing.B, data []byte) [][]byte {
	r, err := NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		b.Fatal(err)
	}
	var raws [][]byte
	for i := range r.foot.Blocks {
		bi := &r.foot.Blocks[i]
		l, err := r.load(kindBlock, bi.Seq, bi.Offset, bi.Size, nil)
		if err != nil {
			b.Fatal(err)
		}
		raws = append(raws, bytes.Clone(l.raw))
		r.dec.put(l)
	}
	return raws
}
