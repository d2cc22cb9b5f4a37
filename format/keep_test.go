package format

import (
	"bytes"
	"sync/atomic"
	"testing"

	"github.com/syscam/syscam/event"
)

// TestKeepSkipsBlocksWhosePredicateKeepsNothing: a block predicate that keeps the
// events of one rare return value yields exactly the blocks holding it, whole and
// with their parameters, and one predicate is made per reader goroutine.
func TestKeepSkipsBlocksWhosePredicateKeepsNothing(t *testing.T) {
	evs := numbered(synthEvents(3, 5000))
	const rare = -1234567
	marked := map[uint64]bool{}
	for _, i := range []int{777, 778, 3021} { // blocks 7 and 30
		evs[i].Ret = rare
		marked[evs[i].Num] = true
	}
	data := writeTrace(t, evs, WriterOptions{BlockEvents: 100})
	r, err := NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var made atomic.Int32
	keep := func() func(*event.Event) bool {
		made.Add(1)
		return func(e *event.Event) bool {
			if e.NParams != 0 {
				t.Errorf("the predicate saw %d parameters; it must see the fixed part only", e.NParams)
			}
			return e.Ret == rare
		}
	}
	got := readAll(t, r, Selection{Keep: keep})
	var want []*event.Event
	for _, e := range evs {
		if b := (e.Num - 1) / 100; b == 7 || b == 30 {
			want = append(want, e)
		}
	}
	if d := diffEvents(want, got); d != "" {
		t.Errorf("events of the kept blocks: %s", d)
	}
	if n := made.Load(); n < 1 || int(n) > 4 {
		t.Errorf("made %d predicates, want one per reader goroutine (1 to 4)", n)
	}
	back := 0
	for _, e := range got {
		if marked[e.Num] {
			back++
		}
	}
	if back != len(marked) {
		t.Errorf("%d of the %d marked events came back", back, len(marked))
	}
}
