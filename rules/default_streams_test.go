package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/query"
	"github.com/syscam/syscam/state"
	"github.com/syscam/syscam/state/statetest"
)

// A stream file, testdata/default/<rule slug>.txt, holds two event streams for one
// rule of the default ruleset, in statetest's notation:
//
//	rule: Shell spawned by a network service
//	fires:
//	1 800 procfork child_tid=801 child_pid=801 comm=nginx
//	2 801 execve filename=/bin/sh argv="sh -c id" exepath=/bin/sh comm=sh ppid=800
//	misses:
//	...
//
// Both follow testdata/default/_host.txt, the host as a recording's initial state
// finds it. The rule must fire on "fires" and stay silent on "misses", its near miss.
type streamFile struct {
	rule          string
	fires, misses string
}

func readStreamFile(t *testing.T, path string) streamFile {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var sf streamFile
	var cur *string
	for _, line := range strings.SplitAfter(string(b), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "rule:"):
			sf.rule = strings.TrimSpace(strings.TrimPrefix(trimmed, "rule:"))
		case trimmed == "fires:":
			cur = &sf.fires
		case trimmed == "misses:":
			cur = &sf.misses
		case cur != nil:
			*cur += line
		}
	}
	if sf.rule == "" || strings.TrimSpace(sf.fires) == "" || strings.TrimSpace(sf.misses) == "" {
		t.Fatalf("%s: want rule:, fires: and misses: sections", path)
	}
	return sf
}

func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func defaultEngine(t testing.TB, all bool) *Engine {
	t.Helper()
	l := NewLoader()
	if err := l.LoadDefault(); err != nil {
		t.Fatal(err)
	}
	e, err := Compile(l.Ruleset(), Options{AllMatches: all})
	if err != nil {
		t.Fatalf("compile default rules: %v", err)
	}
	return e
}

// fired replays evs through a state engine and returns, per rule name, the events it
// fired on.
func fired(eng *Engine, evs []*event.Event) map[string][]uint64 {
	st := state.New(state.Config{})
	in := &query.Input{Hostname: "testhost"}
	out := map[string][]uint64{}
	for i, ev := range evs {
		ev.Num = uint64(i + 1)
		in.Event = ev
		in.View = st.Apply(ev)
		eng.Match(in, func(cr *CompiledRule) {
			out[cr.Name] = append(out[cr.Name], ev.Num)
			_ = NewAlert(cr, in) // every output must format
		})
	}
	return out
}

func TestDefaultRulesFireOnTheirStreamsOnly(t *testing.T) {
	eng := defaultEngine(t, true)
	host, err := os.ReadFile("testdata/default/_host.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, cr := range eng.Rules() {
		t.Run(slug(cr.Name), func(t *testing.T) {
			path := filepath.Join("testdata", "default", slug(cr.Name)+".txt")
			sf := readStreamFile(t, path)
			if sf.rule != cr.Name {
				t.Fatalf("%s is for rule %q, not %q", path, sf.rule, cr.Name)
			}
			for _, c := range []struct {
				name, text string
				want       bool
			}{{"fires", sf.fires, true}, {"misses", sf.misses, false}} {
				evs, err := statetest.Parse(string(host) + c.text)
				if err != nil {
					t.Fatalf("%s %s: %v", path, c.name, err)
				}
				got := fired(eng, evs)
				if hit := len(got[cr.Name]) > 0; hit != c.want {
					t.Errorf("%s: rule fired on events %v, want fired=%v (all alerts: %v)", c.name, got[cr.Name], c.want, got)
				}
			}
		})
	}
}

// replayAlerts replays evs and calls fn with the alert of every match.
func replayAlerts(eng *Engine, evs []*event.Event, host string, fn func(Alert)) {
	st := state.New(state.Config{})
	in := &query.Input{Hostname: host}
	for i, ev := range evs {
		ev.Num = uint64(i + 1)
		in.Event = ev
		in.View = st.Apply(ev)
		eng.Match(in, func(cr *CompiledRule) { fn(NewAlert(cr, in)) })
	}
}

func parseEvents(text string) ([]*event.Event, error) { return statetest.Parse(text) }
