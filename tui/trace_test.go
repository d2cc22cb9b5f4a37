package tui

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
)

// TestTraceVisitMatchesSequentialRead checks that reading events by position, in any
// order and across blocks, gives the events a sequential read gives.
func TestTraceVisitMatchesSequentialRead(t *testing.T) {
	tr := writeFixture(t)
	var want []string
	it := tr.Set.Events(format.Selection{})
	var e event.Event
	for it.Next(&e) {
		want = append(want, e.String())
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	it.Close()
	orders := map[string][]uint64{"forward": nil, "backward": nil, "strided": nil}
	for n := uint64(1); n <= tr.Count; n++ {
		orders["forward"] = append(orders["forward"], n)
		orders["backward"] = append(orders["backward"], tr.Count+1-n)
		orders["strided"] = append(orders["strided"], (n*7)%tr.Count+1)
	}
	for name, nums := range orders {
		t.Run(name, func(t *testing.T) {
			got := make([]string, tr.Count)
			for _, n := range nums {
				ev, err := tr.Event(n)
				if err != nil {
					t.Fatal(err)
				}
				if ev.Num != n {
					t.Fatalf("event %d has Num %d", n, ev.Num)
				}
				got[n-1] = ev.String()
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("events by position differ from a sequential read (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTraceEventOutOfRange checks that a position past the end is an error naming it.
func TestTraceEventOutOfRange(t *testing.T) {
	tr := writeFixture(t)
	for _, n := range []uint64{0, tr.Count + 1} {
		if _, err := tr.Event(n); err == nil {
			t.Errorf("Event(%d) succeeded, want an out of range error", n)
		}
	}
}
