package rules

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/query"
	"github.com/syscam/syscam/state"
)

func TestRulesSharingALeadingMacroShareAGuard(t *testing.T) {
	eng, err := compileText(t, Options{}, `
- macro: opened
  condition: evt.type in (open, openat) and evt.rawres >= 0
- rule: A
  desc: d
  condition: opened and fd.name = /a
  output: o
  priority: info
- rule: B
  desc: d
  condition: opened and fd.name = /b and proc.name = x
  output: o
  priority: info
- rule: C
  desc: d
  condition: evt.type = openat and fd.name = /c
  output: o
  priority: info
`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, cr := range eng.Rules() {
		g := "none"
		if cr.guard >= 0 {
			g = eng.guards.filters[cr.guard].String()
		}
		got[cr.Name] = g + " | " + cr.rest.String()
	}
	want := map[string]string{
		"A": "evt.type in (open, openat) and evt.rawres >= 0 | fd.name = /a",
		"B": "evt.type in (open, openat) and evt.rawres >= 0 | fd.name = /b and proc.name = x",
		"C": "none | evt.type = openat and fd.name = /c",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("guard | rest per rule (-want +got):\n%s", diff)
	}
}

// TestGuardsDoNotChangeWhatMatches replays every default stream and checks, event by
// event, that Match reports what evaluating each candidate rule's whole condition in
// load order reports.
func TestGuardsDoNotChangeWhatMatches(t *testing.T) {
	for _, all := range []bool{false, true} {
		eng := defaultEngine(t, all)
		files, _ := filepath.Glob("testdata/default/*.txt")
		host, _ := os.ReadFile("testdata/default/_host.txt")
		events := 0
		for _, f := range files {
			if filepath.Base(f) == "_host.txt" {
				continue
			}
			sf := readStreamFile(t, f)
			for _, text := range []string{sf.fires, sf.misses} {
				evs, err := parseEvents(string(host) + text)
				if err != nil {
					t.Fatal(err)
				}
				events += compareNaive(t, eng, evs, all)
			}
		}
		if events < 500 {
			t.Fatalf("only %d events checked", events)
		}
	}
}

func compareNaive(t *testing.T, eng *Engine, evs []*event.Event, all bool) int {
	t.Helper()
	st := state.New(state.Config{})
	in := &query.Input{}
	for _, ev := range evs {
		in.Event = ev
		in.View = st.Apply(ev)
		var got, want []string
		eng.Match(in, func(cr *CompiledRule) { got = append(got, cr.Name) })
		for _, cr := range eng.Rules() {
			if cr.Types != nil && !slices.Contains(cr.Types, ev.Type) {
				continue
			}
			if cr.Filter.Match(in) {
				want = append(want, cr.Name)
				if !all {
					break
				}
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("event %s: rules (-naive +guarded):\n%s", ev, diff)
		}
	}
	return len(evs)
}
