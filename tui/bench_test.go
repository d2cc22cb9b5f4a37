package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/internal/synth"
	"github.com/syscam/syscam/tui/common"
	"github.com/syscam/syscam/tui/data"
)

// benchTrace returns a synthetic trace of n events from threads threads, built once
// and kept in the temporary directory (building 10 million events takes a while).
func benchTrace(b *testing.B, n, threads int) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("syscam-tui-bench-%d-%d.syscam", n, threads))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".tmp"
	w, err := format.Create(tmp, format.Header{Recorder: "synth", Host: format.Host{Hostname: "bench"}}, format.WriterOptions{})
	if err != nil {
		b.Fatal(err)
	}
	g := synth.New(synth.Options{Seed: 1, Threads: threads})
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
	return path
}

// BenchmarkFirstScreen measures opening a 10-million-event trace up to the first
// rendered screen: the index, the initial state and the tree, while the replay of
// the events goes on behind.
func BenchmarkFirstScreen(b *testing.B) {
	path := benchTrace(b, 10_000_000, 300)
	b.ReportAllocs()
	for b.Loop() {
		t, err := data.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		m := New(t, WithSize(160, 48))
		msg := m.Init()() // the first report: the initial state's processes
		m.Update(msg)
		if s := m.Render(); len(s) == 0 {
			b.Fatal("empty screen")
		}
		m.Close()
		t.Close()
	}
}

// BenchmarkCursorMove measures one cursor step and the render that follows in a
// process's list of a million events: within a block (down), a screen at a time
// (pgdown), and jumps that land in a block not decoded yet (jump).
func BenchmarkCursorMove(b *testing.B) {
	path := benchTrace(b, 1_000_000, 3) // one process
	t, err := data.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer t.Close()
	m := New(t, WithSize(160, 48))
	defer m.Close()
	run(b, m, m.Init())
	_, cmd := m.Update(common.OpenProcMsg{ID: biggest(m.load.procs)})
	run(b, m, cmd)
	if n := m.proc.Rows(); n < 900_000 {
		b.Fatalf("the process lists %d events, want about a million", n)
	}
	for _, k := range []string{"down", "pgdown"} {
		b.Run(k, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, cmd := m.Update(keyMsg(k))
				run(b, m, cmd)
				m.Render()
			}
		})
	}
	b.Run("jump", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i = (i + 200_003) % m.proc.Rows()
			m.proc.SetCursor(i)
			m.Render()
		}
	})
}

func biggest(procs []data.Proc) int {
	best := 0
	for i := range procs {
		if procs[i].Events > procs[best].Events {
			best = i
		}
	}
	return best
}

// BenchmarkLoad measures the background replay of a 10-million-event trace to its
// end (process table, counts, alerts of the default rules, histogram), with the
// heap in use at the end.
func BenchmarkLoad(b *testing.B) {
	path := benchTrace(b, 10_000_000, 300)
	eng := defaultRules(b)
	b.ReportAllocs()
	for b.Loop() {
		t, err := data.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		var last data.LoadMsg
		for l := range data.Load(b.Context(), t, eng) {
			last = l
		}
		if last.Err != nil || last.Read != t.Count {
			b.Fatalf("load read %d of %d events: %v", last.Read, t.Count, last.Err)
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "MiB-heap")
		b.ReportMetric(float64(t.Count)/b.Elapsed().Seconds(), "events/s")
		t.Close()
	}
}
