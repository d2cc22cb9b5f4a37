package capture

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/syscam/syscam/event"
)

func TestReorderReleasesInTimeOrderPastTheWindow(t *testing.T) {
	tests := []struct {
		name    string
		push    []int64
		horizon int64
		want    []int64
		late    uint64
	}{
		{"in-order events pass through", []int64{1, 2, 3}, 10, []int64{1, 2, 3}, 0},
		{"events from two CPUs interleave", []int64{10, 12, 11, 13}, 20, []int64{10, 11, 12, 13}, 0},
		{"nothing newer than the horizon leaves", []int64{10, 30, 20}, 20, []int64{10, 20}, 0},
		{"equal times keep their arrival order", []int64{5, 5, 4}, 9, []int64{4, 5, 5}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &reorder{window: 5}
			b := &batch{evs: make([]event.Event, len(tt.push))}
			for i, ts := range tt.push {
				b.evs[i].Time = ts
				r.push(&b.evs[i], b)
			}
			var got []int64
			for {
				e, _ := r.pop(tt.horizon, false)
				if e == nil {
					break
				}
				got = append(got, e.Time)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestReorderRaisesTheTimeOfALateEvent(t *testing.T) {
	r := &reorder{window: 5}
	b := &batch{evs: make([]event.Event, 2)}
	b.evs[0].Time = 100
	r.push(&b.evs[0], b)
	r.pop(200, false)
	b.evs[1].Time = 90
	r.push(&b.evs[1], b)
	e, _ := r.pop(200, false)
	if e.Time != 100 || r.late != 1 {
		t.Errorf("late event released at %d (late %d), want 100 (late 1)", e.Time, r.late)
	}
}

func BenchmarkReorderNearlySorted(b *testing.B) {
	r := &reorder{window: 1000}
	bt := &batch{evs: make([]event.Event, 4096)}
	for i := range bt.evs {
		bt.evs[i].Time = int64(i) ^ 1 // pairs swapped, as two CPUs produce
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		e := &bt.evs[n%len(bt.evs)]
		e.Time = int64(n) ^ 1
		r.push(e, bt)
		r.pop(int64(n)-1000, false)
		n++
	}
}
