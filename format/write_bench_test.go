package format

import (
	"testing"

	"github.com/syscam/syscam/event"
)

// BenchmarkBlockAdd encodes the synthetic mix into block columns (one op is one
// event): the writer's per-event cost on the caller's goroutine, without zstd, hashing
// and I/O. The builder is reset at each block end, as the pipeline's are. "cold" reads
// the events from the 52 MB ring of BenchmarkWrite (memory-bound, like events read
// from a queue long after they were decoded); "hot" cycles through its first 512
// events, which stay in cache (the builder's own cost).
func BenchmarkBlockAdd(b *testing.B) {
	ring, _ := benchData(b)
	for _, c := range []struct {
		name string
		evs  []event.Event
	}{{"cold", ring}, {"hot", ring[:512]}} {
		b.Run(c.name, func(b *testing.B) {
			bb := newBlockBuilder()
			bb.reset()
			b.ReportAllocs()
			n := 0
			c0 := cpuTime()
			for b.Loop() {
				bb.add(&c.evs[n%len(c.evs)])
				n++
				if bb.count == ringSize {
					bb.reset()
				}
			}
			b.ReportMetric(float64(cpuTime()-c0)/float64(n), "cpu-ns/event")
		})
	}
}
