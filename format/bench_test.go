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

const benchEvents = 1 << 20

var (
	benchOnce sync.Once
	benchEvs  []event.Event
	benchFile []byte
	benchPay  int64 // payload bytes in benchEvs
)

// benchData returns the synthetic mix (internal/synth, seed 1) and a file holding it.
func benchData(b *testing.B) ([]event.Event, []byte) {
	benchOnce.Do(func() {
		g := synth.New(synth.Options{Seed: 1})
		benchEvs = make([]event.Event, benchEvents)
		for i := range benchEvs {
			g.Next(&benchEvs[i])
			e := &benchEvs[i]
			for j := 0; j < int(e.NParams); j++ {
				if e.Info().ParamKind(j) == event.KindBytes {
					benchPay += int64(len(e.Bytes(j)))
				}
			}
		}
		ptrs := make([]*event.Event, len(benchEvs))
		for i := range benchEvs {
			ptrs[i] = &benchEvs[i]
		}
		benchFile = writeTrace(b, ptrs, WriterOptions{})
	})
	return benchEvs, benchFile
}

// BenchmarkWrite writes the synthetic mix with one encoder goroutine and reports the
// file's bytes per event, without the payload bytes the events carry.
func BenchmarkWrite(b *testing.B) {
	evs, _ := benchData(b)
	for _, enc := range []int{1, 2} {
		b.Run("encoders="+itoa(int64(enc)), func(b *testing.B) {
			b.ReportAllocs()
			var cw countWriter
			n := 0
			for b.Loop() {
				cw.n = 0
				w, err := NewWriter(&cw, Header{}, WriterOptions{Encoders: enc})
				if err != nil {
					b.Fatal(err)
				}
				for i := range evs {
					if err := w.Write(&evs[i]); err != nil {
						b.Fatal(err)
					}
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
				n += len(evs)
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64(cw.n-benchPay)/float64(len(evs)), "B/event")
			b.ReportMetric(float64(cw.n)/float64(len(evs)), "B/event-with-payload")
		})
	}
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)

// BenchmarkRead reads and decodes the synthetic mix into one reused Event, with one
// and two cores.
func BenchmarkRead(b *testing.B) {
	_, data := benchData(b)
	for _, procs := range []int{1, 2} {
		b.Run("cores="+itoa(int64(procs)), func(b *testing.B) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			b.ReportAllocs()
			n := 0
			var e event.Event
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
		})
	}
}
