package state

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/internal/synth"
	"github.com/syscam/syscam/state/statetest"
)

// BenchmarkApply replays the synthetic server mix of internal/synth (reads, writes,
// opens, closes, sockets, some forks and execs over 300 threads) with enrichment: each
// event is applied and its view's thread, process, parent and fd are read, as a filter
// would. The 4096 events (a few MB, as a decoder refills one event in cache) are replayed in passes, shifted in time so that time only
// moves forward.
func BenchmarkApply(b *testing.B) {
	const n = 1 << 12
	evs := make([]event.Event, n)
	g := synth.New(synth.Options{Seed: 1})
	for i := range evs {
		g.Next(&evs[i])
	}
	span := evs[n-1].Time - evs[0].Time + 1
	e := New(Config{})
	var sink int
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		ev := &evs[i%n]
		if i%n == 0 && i > 0 {
			b.StopTimer()
			for j := range evs {
				evs[j].Time += span
			}
			b.StartTimer()
		}
		v := e.Apply(ev)
		sink += len(v.Thread.Comm)
		if p := v.Parent(); p != nil {
			sink += int(p.PID)
		}
		if v.FD != nil {
			sink += len(v.FD.Name)
		}
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "Mevents/s")
	if cpu > 0 {
		b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/event")
		b.ReportMetric(float64(b.N)/(float64(cpu)/1e9)/1e6, "Mevents/cpu-s")
	}
	_ = sink
}

// lifecycleStream generates procs short-lived processes, each forked by a long-lived
// shell, exec'ing, opening, reading and closing files and a socket, then exiting:
// perProc events each, a few processes alive at once.
type lifecycleStream struct {
	procs, perProc int
	now            int64
	i              int
}

// next fills ev with the next event; false at the end.
func (s *lifecycleStream) next(ev *event.Event) bool {
	p, k := s.i/s.perProc, s.i%s.perProc
	if p >= s.procs {
		return false
	}
	s.i++
	s.now += 10_000 // 100 k events per second of event time
	ev.Reset()
	ev.Time = s.now
	pid := int32(1000 + p%30000) // pids are reused, as on a real host
	ev.TID, ev.PID = pid, pid
	switch {
	case k == 0:
		ev.TID, ev.PID, ev.Type = 500, 500, event.TypeProcFork
		ev.SetInt(0, uint64(pid))
		ev.SetInt(1, uint64(pid))
		ev.SetInt(2, 0)
		ev.SetInt(3, 0x1200011)
		ev.SetString(4, "bash")
	case k == 1:
		ev.Type = typeOf("execve")
		ev.SetString(0, "/usr/bin/worker")
		for _, a := range []string{"worker", "--job", strconv.Itoa(p)} {
			ev.AppendString(1, a)
		}
		ev.SetBytes(2, nil, 0)
		ev.SetString(3, "/usr/bin/worker")
		ev.SetString(4, "/srv")
		ev.SetString(5, "worker")
		ev.SetInt(6, 500)
	case k == s.perProc-1:
		ev.Type = event.TypeProcExit
		ev.SetInt(0, 0)
	case k%10 == 2:
		ev.Type, ev.Ret = typeOf("openat"), 3
		ev.SetInt(0, uint64(0xffffffffffffff9c))
		ev.SetString(1, "data/input-"+strconv.Itoa(k)+".json")
		ev.SetInt(2, 0)
	case k%10 == 9:
		ev.Type = typeOf("close")
		ev.SetInt(0, 3)
	default:
		ev.Type, ev.Ret = typeOf("read"), 100
		ev.SetInt(0, 3)
		ev.SetBytes(1, nil, 0)
		ev.SetInt(2, 4096)
	}
	return true
}

func typeOf(name string) event.Type {
	t, _ := event.ByName(name)
	return t
}

// BenchmarkShortLivedProcesses applies 10 million events made by 100,000 short-lived
// processes and reports the peak live heap and the process's peak RSS: memory must
// follow the live state (a grace period of exits), not the number of events.
func BenchmarkShortLivedProcesses(b *testing.B) {
	b.ReportAllocs()
	var peak uint64
	for i := 0; i < b.N; i++ {
		e := New(Config{})
		s := &lifecycleStream{procs: 100_000, perProc: 100}
		var ev event.Event
		var ms runtime.MemStats
		for n := 0; s.next(&ev); n++ {
			e.Apply(&ev)
			if n%1_000_000 == 0 {
				runtime.GC()
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapAlloc)
		b.ReportMetric(float64(e.threads.n), "threads-kept")
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	if rss := peakRSS(); rss > 0 {
		b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
	}
}

// peakRSS reads VmHWM from /proc/self/status (Linux); 0 elsewhere.
func peakRSS() uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// BenchmarkCheckpoint measures what a recorder pays for a checkpoint of a busy host:
// 2,000 live processes with 30 open files each, written and loaded back.
func BenchmarkCheckpoint(b *testing.B) {
	var text strings.Builder
	text.WriteString("0 1 procinfo ppid=0 comm=init exepath=/sbin/init argv=init cwd=/ start_time=0\n")
	for p := 2; p < 2002; p++ {
		fmt.Fprintf(&text, "1 1 procfork child_tid=%d child_pid=%d comm=worker\n", p, p)
		for fd := 3; fd < 33; fd++ {
			fmt.Fprintf(&text, "2 %d openat ret=%d dirfd=AT_FDCWD name=/var/lib/app/%d/data-%d flags=O_RDWR\n", p, fd, p, fd)
		}
	}
	evs, err := statetest.Parse(text.String())
	if err != nil {
		b.Fatal(err)
	}
	e := New(Config{})
	for _, ev := range evs {
		e.Apply(ev)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var n int
	var write, load int64
	for i := 0; i < b.N; i++ {
		c0 := cpuTime()
		cp := e.Checkpoint(nil)
		c1 := cpuTime()
		New(Config{}).Load(cp)
		write, load = write+c1-c0, load+cpuTime()-c1
		n = len(cp)
	}
	b.ReportMetric(float64(n), "events/checkpoint")
	b.ReportMetric(float64(write)/float64(b.N)/1e6, "write-cpu-ms")
	b.ReportMetric(float64(load)/float64(b.N)/1e6, "load-cpu-ms")
}
