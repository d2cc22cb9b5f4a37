package format

import (
	"bytes"
	"io"
	"runtime"
	"sync"
	"testing"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/internal/synth"
)

const benchEvents = 1 << 19

var (
	benchOnce sync.Once
	benchRing []event.Event // a cycle of the synthetic mix
	benchFile []byte        // benchEvents events of the mix
	benchPay  int64         // payload bytes in the file's events
)

const ringSize = 1 << 16 // one block: blocks are compressed alone, so none repeats within itself

// benchData returns a ring of the synthetic mix (internal/synth, seed 1) and a file of
// benchEvents events of the same mix.
func benchData(b *testing.B) ([]event.Event, []byte) {
	benchOnce.Do(func() {
		g := synth.New(synth.Options{Seed: 1})
		benchRing = make([]event.Event, ringSize)
		for i := range benchRing {
			g.Next(&benchRing[i])
		}
		benchFile, benchPay = writeSynth(b, g, benchEvents)
	})
	return benchRing, benchFile
}

// benchLongEvents is the size of the file BenchmarkRead's long case reads: 64 blocks,
// enough that a reader's start (its block buffers, tens of megabytes touched for the
// first time) weighs little beside its steady pace.
const benchLongEvents = 1 << 22

var (
	benchLongOnce sync.Once
	benchLong     []byte
)

func benchLongData(b *testing.B) []byte {
	benchLongOnce.Do(func() {
		benchLong, _ = writeSynth(b, synth.New(synth.Options{Seed: 2}), benchLongEvents)
	})
	return benchLong
}

// writeSynth writes n events of g into a file and returns it, with the payload bytes
// its events carry.
func writeSynth(b *testing.B, g *synth.Gen, n int) ([]byte, int64) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, Header{}, WriterOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var e event.Event
	var pay int64
	for range n {
		g.Next(&e)
		pay += payloadBytes(&e)
		w.Write(&e)
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes(), pay
}

func payloadBytes(e *event.Event) int64 {
	var n int64
	for j := 0; j < int(e.NParams); j++ {
		if e.Info().ParamKind(j) == event.KindBytes {
			n += int64(len(e.Bytes(j)))
		}
	}
	return n
}

// BenchmarkWrite writes the synthetic mix (one op is one event), cycling through a
// ring of events whose times move forward each lap, with one and two encoder
// goroutines. It reports the file's bytes per event without the payload bytes the
// events carry, and with them.
func BenchmarkWrite(b *testing.B) {
	ring, _ := benchData(b)
	var ringPay int64
	span := ring[len(ring)-1].Time - ring[0].Time + 1
	for i := range ring {
		ringPay += payloadBytes(&ring[i])
	}
	for _, enc := range []int{1, 2} {
		b.Run("encoders="+itoa(int64(enc)), func(b *testing.B) {
			b.ReportAllocs()
			var cw countWriter
			w, err := NewWriter(&cw, Header{}, WriterOptions{Encoders: enc})
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			var e event.Event
			c0 := cpuTime()
			for b.Loop() {
				src := &ring[n%ringSize]
				e = *src // shares the buffer: Write only reads it
				e.Time += int64(n/ringSize) * span
				if err := w.Write(&e); err != nil {
					b.Fatal(err)
				}
				n++
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
			pay := int64(n/ringSize) * ringPay
			for i := 0; i < n%ringSize; i++ {
				pay += payloadBytes(&ring[i])
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64(cpuTime()-c0)/float64(n), "cpu-ns/event")
			b.ReportMetric(float64(cw.n-pay)/float64(n), "B/event")
			b.ReportMetric(float64(cw.n)/float64(n), "B/event-with-payload")
		})
	}
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)

// BenchmarkRead reads and decodes the synthetic mix into one reused Event, with one
// and two cores, from a file of 8 blocks (one op is the whole file) and, "long", from
// one of 64: the first includes a reader's start, the second shows its steady pace.
func BenchmarkRead(b *testing.B) {
	_, short := benchData(b)
	for _, c := range []struct {
		name string
		data func() []byte
	}{{"", func() []byte { return short }}, {"long/", func() []byte { return benchLongData(b) }}} {
		for _, procs := range []int{1, 2} {
			b.Run(c.name+"cores="+itoa(int64(procs)), func(b *testing.B) { benchRead(b, c.data(), procs) })
		}
	}
}

func benchRead(b *testing.B, data []byte, procs int) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	b.ReportAllocs()
	n := 0
	var e event.Event
	c0 := cpuTime()
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			b.Fatal(err)
		}
		it := r.Events(Selection{})
		for it.Next(&e) {
			n++
		}
		if err := it.Err(); err != nil {
			b.Fatal(err)
		}
		it.Close()
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(cpuTime()-c0)/float64(n), "cpu-ns/event")
}
