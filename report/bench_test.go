package report

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"testing"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/internal/synth"
)

// benchEvents is the size of the benchmark trace: 10 million events by default (the
// budget of issue 8), SYSCAM_BENCH_EVENTS to change it.
func benchEvents() int {
	if n, err := strconv.Atoi(os.Getenv("SYSCAM_BENCH_EVENTS")); err == nil && n > 0 {
		return n
	}
	return 10_000_000
}

// benchTrace returns a trace file of the synthetic server mix (internal/synth, seed 1),
// written once into the temporary directory and kept there for later runs: the
// stream is a pure function of its options, so the file is the same every time.
func benchTrace(b *testing.B) (string, int) {
	n := benchEvents()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("syscam-report-bench-%d.syscam", n))
	if _, err := os.Stat(path); err == nil {
		return path, n
	}
	tmp := path + ".tmp"
	w, err := format.Create(tmp, format.Header{Host: format.Host{Hostname: "bench"}}, format.WriterOptions{})
	if err != nil {
		b.Fatal(err)
	}
	g := synth.New(synth.Options{Seed: 1})
	var e event.Event
	for i := 0; i < n; i++ {
		g.Next(&e)
		if err := w.Write(&e); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path, n
}

// benchReport runs one report over the whole trace per iteration, from opening the
// file to the finished output, and reports events per second.
func benchReport(b *testing.B, run func(hosts []*Host) error) {
	path, n := benchTrace(b)
	// inspect runs with a GC target of 400 (cmd/inspect/main.go): the replay's heap is
	// small and long-lived. Measure the reports as inspect runs them.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		hosts, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := run(hosts); err != nil {
			b.Fatal(err)
		}
		Close(hosts)
	}
	events := float64(n) * float64(b.N)
	b.ReportMetric(events/b.Elapsed().Seconds(), "events/s")
	// On a shared machine wall time says more about the neighbours than about the
	// code: events per CPU-second (all goroutines, user and system) does not.
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(events/cpu, "events/cpu-s")
	}
}

// BenchmarkStats is inspect stats end to end: read, replay the state, count, build
// the tables and write them.
func BenchmarkStats(b *testing.B) {
	benchReport(b, func(hosts []*Host) error {
		s := NewStats(hosts)
		if err := Run(hosts, Options{}, s.Add); err != nil {
			return err
		}
		return s.Report(10).WriteText(io.Discard)
	})
}

// BenchmarkTimeline is inspect timeline end to end, text output, written in the
// background as inspect does.
func BenchmarkTimeline(b *testing.B) {
	benchReport(b, func(hosts []*Host) error {
		out, err := NewTimelineOutput(io.Discard, "text")
		if err != nil {
			return err
		}
		return out.Close(Run(hosts, Options{}, out.Add))
	})
}

// BenchmarkReplay is the floor under every report: read and replay, no report.
func BenchmarkReplay(b *testing.B) {
	benchReport(b, func(hosts []*Host) error {
		return Run(hosts, Options{}, func(*Record) error { return nil })
	})
}

// BenchmarkRead is the floor under the replay: the format reader alone.
func BenchmarkRead(b *testing.B) {
	benchReport(b, func(hosts []*Host) error {
		it := hosts[0].Files[0].Events(format.Selection{})
		defer it.Close()
		var e event.Event
		for it.Next(&e) {
		}
		return it.Err()
	})
}
