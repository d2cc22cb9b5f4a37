package main

import (
	"io"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/internal/synth"
	"github.com/syscam/syscam/state"
)

// writeSynthTrace writes an hour of internal/synth's server mix at rate events per
// second, with a checkpoint every minute when checkpoints is set (as the recorder's
// --checkpoint default does), and returns its path and the time of its last event.
func writeSynthTrace(b *testing.B, rate float64, checkpoints bool) (string, int64) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "hour.syscam")
	g := synth.New(synth.Options{Seed: 3, Rate: rate})
	w, err := format.Create(path, format.Header{Recorder: "bench"}, format.WriterOptions{})
	if err != nil {
		b.Fatal(err)
	}
	e := state.New(state.Config{})
	cp := state.Checkpointer{}
	if checkpoints {
		cp.Interval = time.Minute
	}
	var ev event.Event
	g.Next(&ev)
	for start := ev.Time; ev.Time < start+int64(time.Hour); g.Next(&ev) {
		if at, evs, ok := cp.Before(e, &ev); ok {
			if err := w.WriteState(at, evs); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Write(&ev); err != nil {
			b.Fatal(err)
		}
		e.Apply(&ev)
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	return path, e.Now()
}

// BenchmarkTreeAtEndOfHour answers `inspect tree --at T` one second before the end of
// a one-hour recording (3.6 million events), from its last checkpoint and, for
// comparison, from the start of a file without checkpoints.
func BenchmarkTreeAtEndOfHour(b *testing.B) {
	for _, cp := range []bool{true, false} {
		b.Run("checkpoints="+strconv.FormatBool(cp), func(b *testing.B) {
			path, last := writeSynthTrace(b, 1000, cp)
			at := time.Unix(0, last-int64(time.Second)).UTC().Format(time.RFC3339Nano)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := run([]string{"tree", "--at", at, path}, io.Discard, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReplayFile reads a trace file (decoding its blocks in parallel) and applies
// every event to a state.Engine: the replay an analysis pays before filtering.
func BenchmarkReplayFile(b *testing.B) {
	path, _ := writeSynthTrace(b, 1000, false)
	b.ResetTimer()
	var n int
	for i := 0; i < b.N; i++ {
		t, err := openTrace([]string{path}, io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		e, err := t.replay(0, state.Config{})
		if err != nil {
			b.Fatal(err)
		}
		n = int(e.Stats().Events)
		t.set.Close()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mevents/s")
}
