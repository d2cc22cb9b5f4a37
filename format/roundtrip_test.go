package format

import (
	"bytes"
	"testing"
)

func TestRandomStreamsReadBackEqual(t *testing.T) {
	for _, tc := range []struct {
		name string
		n    int
		opts WriterOptions
	}{
		{"an empty trace", 0, WriterOptions{}},
		{"one event", 1, WriterOptions{}},
		{"many small blocks", 3000, WriterOptions{BlockEvents: 7}},
		{"one big block", 3000, WriterOptions{}},
		{"blocks cut by size", 3000, WriterOptions{BlockBytes: 10000, Encoders: 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 4; seed++ {
				evs := randomEvents(seed, tc.n)
				data := writeTrace(t, evs, tc.opts)
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
