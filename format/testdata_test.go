package format

import (
	"flag"
	"os"
	"testing"

	"github.com/syscam/syscam/event"
)

var update = flag.Bool("update", false, "rewrite the files in testdata/")

// TestMakeTestdata rebuilds testdata/*.syscam with -update; without it, it checks that
// the kept files still read back to the events that made them (the compatibility
// promise for Version1: zstd bytes may differ across encoders, decoded content may not).
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
		}
		r, err := Open(name)
		if err != nil {
			t.Fatalf("open %s (run with -update to create it): %v", name, err)
		}
		got := readAll(t, r, Selection{})
		if d := diffEvents(numbered(evs), got); d != "" {
			t.Errorf("%s: %s", name, d)
		}
		r.Close()
	}
}
