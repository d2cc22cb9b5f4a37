package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/state"
)

// compareCheckpointReplays replays path from its initial state, checkpointing every
// `every` events, and at every `probe`-th event compares the dump of that engine with
// one restored from the latest checkpoint and brought forward by the events since.
func compareCheckpointReplays(t *testing.T, path string, every, probe int) {
	t.Helper()
	s, err := format.OpenSet(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	snap, err := s.InitialState()
	if err != nil {
		t.Fatal(err)
	}
	var evs []*event.Event
	it := s.Events(format.Selection{})
	var ev event.Event
	for it.Next(&ev) {
		evs = append(evs, ev.Clone())
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	full := state.New(state.Config{})
	full.Load(snap)
	var cp []*event.Event
	cpNext, compared := 0, 0
	for i, ev := range evs {
		full.Apply(ev)
		if i%every == every-1 && i+1 < len(evs) && evs[i+1].Time > full.Now() {
			cp, cpNext = full.Checkpoint(nil), i+1
		}
		if i%probe != probe-1 || cp == nil {
			continue
		}
		r := state.New(state.Config{})
		r.Load(cp)
		for _, ev := range evs[cpNext : i+1] {
			r.Apply(ev)
		}
		var a, b strings.Builder
		full.Dump(&a)
		r.Dump(&b)
		if diff := cmp.Diff(a.String(), b.String()); diff != "" {
			t.Fatalf("after event %d (%s), from the checkpoint before event %d (-from start +from checkpoint):\n%s", i+1, ev, cpNext+1, diff)
		}
		compared++
	}
	if compared < 10 {
		t.Fatalf("only %d instants compared over %d events", compared, len(evs))
	}
	t.Logf("%d events, %d instants compared", len(evs), compared)
}
