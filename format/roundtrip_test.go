package format

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/syscam/syscam/event"
)

// TestRandomStreamsReadBackEqual writes random event streams with each block
// encoding (the one written today, and the earlier one files still hold) and reads
// them back.
func TestRandomStreamsReadBackEqual(t *testing.T) {
	for _, enc := range []byte{encodingPlanes, encodingColumnar1} {
		t.Run("encoding="+itoa(int64(enc)), func(t *testing.T) { testRoundTrip(t, enc) })
	}
}

func testRoundTrip(t *testing.T, enc byte) {
	for _, tc := range []struct {
		name  string
		n     int
		types int // draw the types from this many, 0: from the whole table
		opts  WriterOptions
	}{
		{"an empty trace", 0, 0, WriterOptions{}},
		{"one event", 1, 0, WriterOptions{}},
		{"many small blocks", 3000, 0, WriterOptions{BlockEvents: 7}},
		// Few types over many blocks: each block's builder, reused, finds its types
		// at other places than in its last block.
		{"few types, many small blocks", 3000, 6, WriterOptions{BlockEvents: 5, Encoders: 1}},
		{"one big block", 3000, 0, WriterOptions{}},
		{"blocks cut by size", 3000, 0, WriterOptions{BlockBytes: 10000, Encoders: 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 4; seed++ {
				evs := randomEvents(seed, tc.n)
				if tc.types > 0 {
					evs = fewTypes(seed, evs, tc.types)
				}
				opts := tc.opts
				opts.encoding = enc
				data := writeTrace(t, evs, opts)
				r, err := NewReader(bytes.NewReader(data), int64(len(data)))
				if err != nil {
					t.Fatal(err)
				}
				if r.Recovered() {
					t.Fatalf("a complete file was read by recovery")
				}
				got := readAll(t, r, Selection{})
				if d := diffEvents(numbered(evs), got); d != "" {
					t.Fatalf("seed %d: %s", seed, d)
				}
			}
		})
	}
}

// fewTypes regenerates evs with types drawn from n of the table's, with their random
// parameters (and parameter counts).
func fewTypes(seed uint64, evs []*event.Event, n int) []*event.Event {
	rng := rand.New(rand.NewPCG(seed, 2))
	all := event.All()
	types := make([]event.Type, n)
	for i := range types {
		types[i] = all[rng.IntN(len(all))].Type
	}
	for _, e := range evs {
		t, tm := types[rng.IntN(n)], e.Time
		e.Reset()
		e.Time, e.Type = tm, t
		e.TID, e.PID, e.CPU = int32(rng.IntN(50)), 7, uint16(rng.IntN(4))
		fillParams(rng, e)
	}
	return evs
}
