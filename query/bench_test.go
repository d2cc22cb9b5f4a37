package query

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/internal/synth"
	"github.com/syscam/syscam/state"
)

// falcoLike is a condition shaped like an expanded Falco rule: macros inlined, lists
// spelled out, about 2 KB.
func falcoLike() string {
	parts := []string{
		"evt.type in (open, openat, openat2) and evt.is_open_write=true and fd.typechar='f' and fd.num>=0",
		"and (fd.directory in (/bin, /sbin, /usr/bin, /usr/sbin, /usr/local/bin, /usr/local/sbin) or fd.name startswith /etc/ or fd.name pmatch (/root/.ssh, /home, /var/spool/cron))",
		"and not proc.name in (dpkg, dpkg-preconfigu, dpkg-reconfigur, rpm, rpmkey, yum, dnf, apt, apt-get, aptitude, snap, pip, pip3, npm, gem, cargo, go, make, gcc, ld, cc1, as)",
		"and not proc.pname in (sshd, sudo, su, login, systemd, systemd-logind, cron, crond, anacron, containerd-shim, runc, dockerd, kubelet)",
		"and not (proc.cmdline contains 'ansible' or proc.cmdline icontains 'puppet' or proc.cmdline startswith 'chef-client')",
		"and not (proc.aname[2] in (ansible, puppet, chef, salt-minion) or proc.aname[3] in (ansible, puppet, chef, salt-minion))",
		"and not (user.name = root and proc.exepath glob '/usr/lib/*/update-*')",
		"and not fd.name in (/etc/passwd-, /etc/shadow-, /etc/group-, /etc/gshadow-, /etc/ld.so.cache, /etc/mtab, /etc/resolv.conf, /etc/hosts, /etc/hostname, /etc/localtime, /etc/adjtime)",
		"and not (container.id != host and container.image.repository in (docker.io/library/nginx, quay.io/prometheus/node-exporter, gcr.io/google-containers/pause))",
		"and not (evt.arg.flags contains O_TMPFILE or fd.filename endswith .swp or fd.filename endswith .tmp or fd.filename regex '^\\.#')",
		"and not proc.env[DEBIAN_FRONTEND] = noninteractive and not thread.cap_effective contains CAP_SYS_ADMIN and not proc.tty != 0",
	}
	s := strings.Join(parts, " ")
	for len(s) < 2048 {
		s += " and not fd.name = /var/lib/dummy/placeholder-file-name"
	}
	return s
}

func BenchmarkParseCompile2KB(b *testing.B) {
	src := falcoLike()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if _, err := Compile(src, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

func BenchmarkParse2KB(b *testing.B) {
	src := falcoLike()
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if _, err := Parse(src); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

// typical10 is a ten-predicate filter of the kind Falco rules are made of, put in the
// order rules are written: event type first.
const typical10 = "evt.type in (open, openat, openat2) and evt.is_open_write = true and fd.typechar = f and fd.num >= 0 " +
	"and not proc.name in (dpkg, rpm, yum, apt) and fd.directory in (/etc, /usr/bin, /bin) and user.uid != 0 " +
	"and proc.pname != systemd and not fd.name startswith /tmp/ and container.id = host"

// enrichedViews replays warm synthetic events to build a realistic state, then keeps
// the views of the next n events (with copies of the events, so that each view keeps
// its own). n stays small so that the working set, like a scan's, fits in cache.
func enrichedViews(b *testing.B, warm, n int) []state.View {
	b.Helper()
	g := synth.New(synth.Options{Seed: 3})
	eng := state.New(state.Config{})
	var e event.Event
	for range warm {
		g.Next(&e)
		eng.Apply(&e)
	}
	views := make([]state.View, n)
	for i := range views {
		ev := &event.Event{}
		g.Next(ev)
		ev.Num = uint64(warm + i + 1)
		views[i] = *eng.Apply(ev)
	}
	return views
}

func benchEval(b *testing.B, cond string) {
	f, err := Compile(cond, Options{})
	if err != nil {
		b.Fatal(err)
	}
	views := enrichedViews(b, 1<<16, 256)
	in := &Input{}
	matched := 0
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for i := 0; i < b.N; i++ {
		v := &views[i&(len(views)-1)]
		in.Event, in.View = v.Event, v
		if f.Match(in) {
			matched++
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "Mevents/s")
	b.ReportMetric(float64(matched)/float64(b.N), "matched/event")
	reportCPU(b, start)
}

func BenchmarkEvalTypical10(b *testing.B) { benchEval(b, typical10) }

// BenchmarkEvalStateFirst puts state predicates first, so that every event pays for
// them: the worst order a filter can be written in.
func BenchmarkEvalStateFirst(b *testing.B) {
	benchEval(b, "proc.name in (nginx, java) and fd.name startswith /etc/ and user.uid != 0 and proc.pname != systemd "+
		"and evt.type in (open, openat, openat2) and evt.is_open_write = true and fd.typechar = f and fd.num >= 0 "+
		"and not fd.name startswith /tmp/ and container.id = host")
}

var (
	traceMu    sync.Mutex
	tracePaths = map[int]string{}
)

// bigTrace writes (once per run and size) a synthetic trace of n events under the
// system's temp directory, or reuses the one named by SYSCAM_BENCH_TRACE_<n>.
func bigTrace(b *testing.B, n int) string {
	if p := os.Getenv(fmt.Sprintf("SYSCAM_BENCH_TRACE_%d", n)); p != "" {
		return p
	}
	traceMu.Lock()
	defer traceMu.Unlock()
	if p, ok := tracePaths[n]; ok {
		return p
	}
	func() {
		dir, err := os.MkdirTemp("", "syscam-query-bench")
		if err != nil {
			b.Fatal(err)
		}
		path := filepath.Join(dir, fmt.Sprintf("synth-%d.syscam", n))
		w, err := format.Create(path, format.Header{}, format.WriterOptions{})
		if err != nil {
			b.Fatal(err)
		}
		g := synth.New(synth.Options{Seed: 11})
		var e event.Event
		for range n {
			g.Next(&e)
			if err := w.Write(&e); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
		tracePaths[n] = path
	}()
	return tracePaths[n]
}

func benchScan(b *testing.B, n int, cond, spec string) {
	path := bigTrace(b, n)
	f, err := Compile(cond, Options{})
	if err != nil {
		b.Fatal(err)
	}
	out, err := NewFormatter(spec, nil)
	if err != nil {
		b.Fatal(err)
	}
	var events, lines int
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for i := 0; i < b.N; i++ {
		r, err := format.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		events += int(r.Count())
		var line []byte
		err = (&Scan{Filter: f, Needs: out.Needs()}).Run(r, func(in *Input) error {
			line = append(out.AppendText(line[:0], in), '\n')
			lines++
			_, err := io.Discard.Write(line)
			return err
		})
		r.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	s := b.Elapsed().Seconds()
	b.ReportMetric(float64(events)/s/1e6, "Mevents/s")
	b.ReportMetric(float64(lines)/s/1e6, "Mlines/s")
	if c := cpuTime() - start; start > 0 && c > 0 {
		b.ReportMetric(float64(events)/(float64(c)/1e9)/1e6, "Mevents/cpu-s")
	}
}

const benchEvents = 10_000_000

// BenchmarkScanNoMatchEvt: a filter on event fields that matches nothing and cannot be
// pushed down: every event is decoded and tested.
func BenchmarkScanNoMatchEvt(b *testing.B) {
	benchScan(b, benchEvents, "evt.rawres = -12345 and evt.cpu = 3", "%evt.num")
}

// BenchmarkScanNoMatchState: a filter on process state that matches nothing: every
// event is decoded, replayed into the state and tested.
func BenchmarkScanNoMatchState(b *testing.B) {
	benchScan(b, benchEvents, "proc.name = no-such-process", "%evt.num")
}

// BenchmarkScanNoMatchPushDown: a filter on an event type the trace lacks: the block
// index rules every block out.
func BenchmarkScanNoMatchPushDown(b *testing.B) {
	benchScan(b, benchEvents, "evt.type = init_module", "%evt.num")
}

// BenchmarkScanDefaultOutput prints sysdig's default line for every event of a
// 5-million-event trace.
func BenchmarkScanDefaultOutput(b *testing.B) {
	benchScan(b, benchEvents/2, "evt.num > 0", DefaultFormat)
}

// BenchmarkFormatDefault renders sysdig's default line for enriched events.
func BenchmarkFormatDefault(b *testing.B) {
	f, err := NewFormatter(DefaultFormat, nil)
	if err != nil {
		b.Fatal(err)
	}
	views := enrichedViews(b, 1<<16, 256)
	in := &Input{Location: time.UTC}
	var line []byte
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for i := 0; i < b.N; i++ {
		v := &views[i&(len(views)-1)]
		in.Event, in.View = v.Event, v
		line = f.AppendText(line[:0], in)
	}
	reportCPU(b, start)
}
