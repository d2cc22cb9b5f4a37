package format

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/syscam/syscam/event"
)

var update = flag.Bool("update", false, "rewrite the files in testdata/")

// TestMakeTestdata rebuilds testdata/v2-*.syscam and the lists of the events that
// made them (testdata/*.events.txt) with -update; without it, it checks that the kept
// files still read back to those events (the compatibility promise: zstd bytes may
// differ across encoders, decoded content may not). The lists are kept rather than
// regenerated, because the generators draw from today's event table, which grows.
// The v1 files, written by version 1 (block encoding 1), are frozen: -update leaves
// them as they are.
func TestMakeTestdata(t *testing.T) {
	type testFile struct {
		frozen bool
		make   func() ([]*event.Event, []*event.Event, WriterOptions)
	}
	cases := map[string]testFile{
		"testdata/v1-small.syscam": {frozen: true},
		"testdata/v1-synth.syscam": {frozen: true},
		"testdata/v2-small.syscam": {make: func() ([]*event.Event, []*event.Event, WriterOptions) {
			return smallState(), randomEvents(7, 60), WriterOptions{BlockEvents: 16}
		}},
		"testdata/v2-synth.syscam": {make: func() ([]*event.Event, []*event.Event, WriterOptions) {
			return nil, synthEvents(1, 3000), WriterOptions{BlockEvents: 1000}
		}},
	}
	for name, tf := range cases {
		if *update && !tf.frozen {
			state, evs, opts := tf.make()
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
		// Each file must hold the encoding its name promises, or it tests nothing.
		wantEnc, wantVer := encodingPlanes, Version2
		if strings.HasPrefix(filepath.Base(name), "v1-") {
			wantEnc, wantVer = encodingColumnar1, Version1
		}
		if v := r.Header().Version; v != wantVer {
			t.Errorf("%s: version %d, want %d", name, v, wantVer)
		}
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range r.Blocks() {
			if enc := raw[b.Offset+4]; enc != wantEnc {
				t.Errorf("%s: block %d has encoding %d, want %d", name, b.Seq, enc, wantEnc)
			}
		}
		got := eventLines(readAll(t, r, Selection{}))
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s: events differ from %s (-want +got):\n%s", name, eventsFile(name), d)
		}
		r.Close()
	}
}
