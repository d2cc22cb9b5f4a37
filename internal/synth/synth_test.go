package synth

import (
	"testing"

	"github.com/syscam/syscam/event"
)

func TestStreamIsDeterministicOrderedAndMixed(t *testing.T) {
	a, b := New(Options{Seed: 3}), New(Options{Seed: 3})
	var ea, eb event.Event
	var last int64
	payload, tids, types := 0, map[int32]bool{}, map[event.Type]int{}
	const n = 200000
	for i := 0; i < n; i++ {
		a.Next(&ea)
		b.Next(&eb)
		if !event.Equal(&ea, &eb) {
			t.Fatalf("event %d differs between two generators of the same seed", i)
		}
		if ea.Time < last {
			t.Fatalf("event %d goes back in time", i)
		}
		last = ea.Time
		tids[ea.TID] = true
		types[ea.Type]++
		for j := 0; j < int(ea.NParams); j++ {
			if ea.Info().ParamKind(j) == event.KindBytes && len(ea.Bytes(j)) == 64 {
				payload++
			}
		}
	}
	if f := float64(payload) / n; f < 0.08 || f > 0.12 {
		t.Errorf("%.3f of events carry a 64-byte payload; want about 0.10", f)
	}
	if len(tids) < 150 || len(tids) > 300 {
		t.Errorf("%d threads; want a few hundred", len(tids))
	}
	read, _ := event.ByName("read")
	if types[read] < n/6 {
		t.Errorf("read is %d of %d events; want the mix to be skewed towards it", types[read], n)
	}
}
