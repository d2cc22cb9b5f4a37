package format

import (
	"testing"

	"github.com/syscam/syscam/event"
)

// BenchmarkBuildBlock encodes the synthetic mix into blocks (one op is one event): the
// writer's per-event cost without zstd, hashing and I/O. "add" is the part on the
// caller's goroutine (Writer.Write); "add+finish" also builds the fixed columns and
// assembles the payload at each block end, as an encoder goroutine does. "cold" reads
// the events from the 52 MB ring of BenchmarkWrite (memory-bound, like events read
// from a queue long after they were decoded); "hot" cycles through its first 512
// events, which stay in cache (the builder's own cost). Each runs with today's block
// encoding and the one before.
func BenchmarkBuildBlock(b *testing.B) {
	ring, _ := benchData(b)
	for _, c := range []struct {
		name string
		evs  []event.Event
	}{{"cold", ring}, {"hot", ring[:512]}} {
		for _, finish := range []bool{false, true} {
			for _, enc := range []byte{encodingPlanes, encodingColumnar1} {
				name := c.name + "/add"
				if finish {
					name += "+finish"
				}
				name += "/encoding=" + itoa(int64(enc))
				b.Run(name, func(b *testing.B) { benchBuild(b, c.evs, finish, enc) })
			}
		}
	}
}

func benchBuild(b *testing.B, evs []event.Event, finish bool, enc byte) {
	bb := newBlockBuilder(enc)
	bb.reset()
	var raw []byte
	b.ReportAllocs()
	n := 0
	c0 := cpuTime()
	for b.Loop() {
		bb.add(&evs[n%len(evs)])
		n++
		if bb.count == ringSize {
			if finish {
				raw = bb.appendRaw(raw[:0])
			}
			bb.reset()
		}
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(n), "cpu-ns/event")
}

// BenchmarkCompressBlock compresses one block of the synthetic mix (65536 events) with
// the writer's zstd settings, on one goroutine: the encoder goroutine's main cost per
// event. With BenchmarkBuildBlock (hot, add+finish) it makes up the writer's own CPU
// per event, without the cost of reading events from memory.
func BenchmarkCompressBlock(b *testing.B) {
	ring, _ := benchData(b)
	bb := newBlockBuilder(encodingPlanes)
	bb.reset()
	for i := range ring {
		bb.add(&ring[i])
	}
	raw := bb.appendRaw(nil)
	enc, err := newBlockEncoder(WriterOptions{Encoders: 1}.withDefaults())
	if err != nil {
		b.Fatal(err)
	}
	defer enc.Close()
	var out []byte
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		out = enc.EncodeAll(raw, out[:0])
	}
	n := float64(b.N * len(ring))
	b.ReportMetric(float64(cpuTime()-c0)/n, "cpu-ns/event")
	b.ReportMetric(float64(len(raw))/float64(len(ring)), "raw-B/event")
	b.ReportMetric(float64(len(out))/float64(len(ring)), "zstd-B/event")
}
