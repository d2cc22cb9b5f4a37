package format

import (
	"flag"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/syscam/syscam/event"
)

var update = flag.Bool("update", false, "rewrite the files in testdata/")

// TestMakeTestdata rebuilds testdata/*.syscam and the lists of the events that made
// them (testdata/*.events.json) with -update; without it, it checks that the kept
// files still read back to those events (the compatibility promise for Version1: zstd
// bytes may differ across encoders, decoded content may not). The lists are kept
// rather than regenerated, because the generators draw from today's event table,
// which grows.
func TestMakeTestdata(t *testing.T) {
	cases := map[string]func() ([]*event.Event, []*event.Event, WriterOptions){
		"testdata/v1-small.syscam": func() ([]*event.Event, []*event.Event, WriterOptions) {
			return smallState(), randomEvents(7, 60), WriterOptions{BlockEvents: 16}
		},
		"testdata/v1-synth.syscam": func() ([]*event.Event, []*event.Event, WriterOptions) {
			return nil, synthEvents(1, 3000), WriterOptions{BlockEvents: 1000}
		},
	}
	for name, mk := range cases {
		state, evs, opts := mk()
		if *update {
			data := writeTraceWithState(t, state, evs, opts)
			if err := os.WriteFile(name, data, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := writeEventLines(eventsFile(name), eventLines(numbered(evs))); err != nil {
				t.Fatal(err)
			}
		}
		want, err := readEventLines(eventsFile(name))
		if err != nil {
			t.Fatalf("read the events of %s (run with -update to create them): %v", name, err)
		}
		r, err := Open(name)
		if err != nil {
			t.Fatalf("open %s (run with -update to create it): %v", name, err)
		}
		got := eventLines(readAll(t, r, Selection{}))
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s: events differ from %s (-want +got):\n%s", name, eventsFile(name), d)
		}
		r.Close()
	}
}
