package rules

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/internal/synth"
	"github.com/syscam/syscam/query"
	"github.com/syscam/syscam/state"
)

// extraRules returns n rules in the style of the default set (process, file, network
// and deletion rules, a few on read and write, the busiest types), so that benchmarks
// run the default set plus these as a 100-rule load.
func extraRules(n int) string {
	var b strings.Builder
	for i := range n {
		var cond string
		switch i % 6 {
		case 0:
			cond = fmt.Sprintf("opened_for_reading and fd.name = /etc/app%d/secret.key and not proc.name in (shell_binaries)", i)
		case 1:
			cond = fmt.Sprintf("proc_started and proc.name = tool%d and proc.pname in (network_service_binaries)", i)
		case 2:
			cond = fmt.Sprintf("outbound_connection and fd.rport = %d and not loopback_peer", 20000+i)
		case 3:
			cond = fmt.Sprintf("path_removed and evt.arg.path startswith /srv/data%d/ and not package_management", i)
		case 4:
			cond = fmt.Sprintf("evt.type = write and fd.name startswith /var/lib/app%d/ and proc.name != app%d", i, i)
		case 5:
			cond = fmt.Sprintf("evt.type in (read, pread64) and fd.name = /etc/app%d.conf and user.name != app%d", i, i)
		}
		fmt.Fprintf(&b, "- rule: Extra rule %d\n  desc: benchmark rule\n  condition: %s\n  output: extra %d %%proc.name %%fd.name\n  priority: notice\n  tags: [bench]\n", i, cond, i)
	}
	return b.String()
}

func hundredRuleEngine(b *testing.B) *Engine {
	l := NewLoader()
	if err := l.LoadDefault(); err != nil {
		b.Fatal(err)
	}
	if err := l.Load("extra.yaml", []byte(extraRules(100-len(l.Ruleset().Rules)))); err != nil {
		b.Fatal(err)
	}
	e, err := Compile(l.Ruleset(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	if n := len(e.Rules()); n != 100 {
		b.Fatalf("%d rules, want 100", n)
	}
	return e
}

// recording returns the initial state and events of a real recording: the file named
// by SYSCAM_BENCH_TRACE, else testdata/incident.syscam at the repository root.
func recording(b *testing.B) (initial, evs []*event.Event) {
	path := os.Getenv("SYSCAM_BENCH_TRACE")
	if path == "" {
		path = "../testdata/incident.syscam"
	}
	r, err := format.Open(path)
	if err != nil {
		b.Skipf("no recording (%v): set SYSCAM_BENCH_TRACE or run testdata/make-incident.sh", err)
	}
	defer r.Close()
	if initial, err = r.InitialState(); err != nil {
		b.Fatal(err)
	}
	it := r.Events(format.Selection{})
	defer it.Close()
	var e event.Event
	for it.Next(&e) {
		evs = append(evs, e.Clone())
	}
	if err := it.Err(); err != nil {
		b.Fatal(err)
	}
	return initial, evs
}

func synthetic(n int) []*event.Event {
	g := synth.New(synth.Options{Seed: 1})
	evs := make([]*event.Event, n)
	for i := range evs {
		evs[i] = new(event.Event)
		g.Next(evs[i])
		evs[i].Num = uint64(i + 1)
	}
	return evs
}

// BenchmarkRules replays events through the state engine and runs 100 rules on each:
// the work of 'inspect rules' once the events are decoded. The events are in memory;
// a pass that reaches the end starts again on a fresh state.
func BenchmarkRules(b *testing.B) {
	b.Run("recording", func(b *testing.B) {
		initial, evs := recording(b)
		benchReplay(b, hundredRuleEngine(b), initial, evs, true)
	})
	b.Run("recording/state-only", func(b *testing.B) {
		initial, evs := recording(b)
		benchReplay(b, hundredRuleEngine(b), initial, evs, false)
	})
	b.Run("synthetic", func(b *testing.B) {
		benchReplay(b, hundredRuleEngine(b), nil, synthetic(1<<18), true)
	})
	b.Run("synthetic/state-only", func(b *testing.B) {
		benchReplay(b, hundredRuleEngine(b), nil, synthetic(1<<18), false)
	})
}

func benchReplay(b *testing.B, eng *Engine, initial, evs []*event.Event, match bool) {
	if len(evs) == 0 {
		b.Skip("no events")
	}
	alerts := 0
	count := func(*CompiledRule) { alerts++ }
	in := &query.Input{}
	var st *state.Engine
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		j := i % len(evs)
		if j == 0 {
			b.StopTimer()
			st = state.New(state.Config{})
			st.Load(initial)
			b.StartTimer()
		}
		in.Event = evs[j]
		in.View = st.Apply(evs[j])
		if match {
			eng.Match(in, count)
		}
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	if cpu > 0 {
		// Includes the state reloads between passes and the GC's share.
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "events/cpu-s")
	}
	b.ReportMetric(float64(alerts)/float64(b.N)*1e6, "alerts/Mevent")
}

// BenchmarkMatch measures rule evaluation apart from the replay. The replay cannot be
// taken out of the loop (a View is only valid until the next Apply), so each run
// replays the events twice, back to back: once applying them only, once applying them
// and matching every event `repeat` times (each Match starts a new guard generation,
// so every repeat does the full work). The difference in CPU time, divided by the
// matches, is the cost of one evaluation of the 100 rules: matches/cpu-s is the
// evaluation rate of one core. ns/op counts the whole of both passes.
func BenchmarkMatch(b *testing.B) {
	const repeat = 8
	b.Run("recording", func(b *testing.B) {
		initial, evs := recording(b)
		benchMatch(b, hundredRuleEngine(b), initial, evs, repeat)
	})
	b.Run("synthetic", func(b *testing.B) {
		benchMatch(b, hundredRuleEngine(b), nil, synthetic(1<<18), repeat)
	})
}

func benchMatch(b *testing.B, eng *Engine, initial, evs []*event.Event, repeat int) {
	m := eng.NewMatcher()
	alerts := 0
	count := func(*CompiledRule) { alerts++ }
	pass := func(match bool) time.Duration {
		in := &query.Input{}
		var st *state.Engine
		t0 := cpuTime()
		for i := 0; i < b.N; i++ {
			j := i % len(evs)
			if j == 0 {
				st = state.New(state.Config{})
				st.Load(initial)
			}
			in.Event = evs[j]
			in.View = st.Apply(evs[j])
			if match {
				for range repeat {
					m.Match(in, count)
				}
			}
		}
		return cpuTime() - t0
	}
	b.ReportAllocs()
	b.ResetTimer()
	replayOnly := pass(false)
	withRules := pass(true)
	if d := withRules - replayOnly; d > 0 {
		b.ReportMetric(float64(b.N*repeat)/d.Seconds(), "matches/cpu-s")
		b.ReportMetric(float64(d.Nanoseconds())/float64(b.N*repeat), "cpu-ns/match")
	}
	b.ReportMetric(float64(alerts)/float64(b.N*repeat)*1e6, "alerts/Mevent")
}
