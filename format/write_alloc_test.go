package format

import (
	"io"
	"runtime"
	"testing"
)

// TestWritingReusesBlockMemory writes many blocks of the synthetic mix and checks that,
// once the first blocks have sized the builders and frames, the writer allocates a
// small fixed amount per block (index entry, job, zstd's own), not memory per event:
// columns, tables and frames are reused. (Before they were, this wrote 64 bytes of
// garbage per event; now 2.5 to 5, per block of 4096 events and in zstd.)
func TestWritingReusesBlockMemory(t *testing.T) {
	evs := synthEvents(3, 4096)
	w, err := NewWriter(io.Discard, Header{}, WriterOptions{BlockEvents: 4096, Encoders: 1})
	if err != nil {
		t.Fatal(err)
	}
	span := evs[len(evs)-1].Time - evs[0].Time + 1
	lap := 0
	writeLaps := func(n int) {
		for range n {
			for _, e := range evs {
				e.Time += span * int64(min(lap, 1))
				if err := w.Write(e); err != nil {
					t.Fatal(err)
				}
			}
			lap++
		}
	}
	writeLaps(8) // warm up: builders, frames, zstd state
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	const laps = 32
	writeLaps(laps)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	n := laps * len(evs)
	if perEvent := float64(after.TotalAlloc-before.TotalAlloc) / float64(n); perEvent > 8 {
		t.Errorf("writing %d events allocated %d bytes (%.1f per event), want under 8", n,
			after.TotalAlloc-before.TotalAlloc, perEvent)
	}
}
