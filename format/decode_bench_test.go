package format

import (
	"syscall"
	"testing"
	"time"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/internal/synth"
)

// cpuTime returns the CPU time this process has used: on a shared machine it
// measures the work better than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkDecodeBlock decodes one uncompressed block of the synthetic mix into a
// reused Event: the per-event cost of the reader without zstd and I/O.
func BenchmarkDecodeBlock(b *testing.B) {
	for _, enc := range []byte{encodingColumnar1, encodingPlanes} {
		b.Run("encoding="+itoa(int64(enc)), func(b *testing.B) {
			sm := newSchemaMap(CurrentSchema())
			l := &loaded{raw: synthBlock(65536, enc)}
			var e event.Event
			b.ReportAllocs()
			n := 0
			c0 := cpuTime()
			for b.Loop() {
				if n%65536 == 0 {
					if err := l.parse(enc, sm, nil); err != nil {
						b.Fatal(err)
					}
				}
				if !l.next(&e) {
					b.Fatal(l.err())
				}
				n++
			}
			b.ReportMetric(float64(cpuTime()-c0)/float64(n), "cpu-ns/event")
		})
	}
}

// BenchmarkHandOver measures what a reader's consumer pays per event once a worker has
// decoded the block: next alone, over a parsed block of the synthetic mix.
func BenchmarkHandOver(b *testing.B) {
	for _, enc := range []byte{encodingColumnar1, encodingPlanes} {
		b.Run("encoding="+itoa(int64(enc)), func(b *testing.B) {
			l := &loaded{raw: synthBlock(65536, enc)}
			sm := newSchemaMap(CurrentSchema())
			var e event.Event
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				if n%65536 == 0 {
					b.StopTimer()
					if err := l.parse(enc, sm, nil); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				if !l.next(&e) {
					b.Fatal(l.err())
				}
				n++
			}
		})
	}
}

// synthBlock returns the uncompressed payload of a block of n events of the synthetic
// mix (seed 1).
func synthBlock(n int, enc byte) []byte {
	g := synth.New(synth.Options{Seed: 1})
	bb := newBlockBuilder(enc)
	bb.reset()
	var e event.Event
	for range n {
		g.Next(&e)
		bb.add(&e)
	}
	return bb.appendRaw(nil)
}
