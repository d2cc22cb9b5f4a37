package capture

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReorderReleasesInTimeOrderPastTheWindow(t *testing.T) {
	tests := []struct {
		name    string
		push    []int64
		horizon int64
		want    []int64
	}{
		{"in-order events pass through", []int64{1, 2, 3}, 10, []int64{1, 2, 3}},
		{"events from two CPUs interleave", []int64{10, 12, 11, 13}, 20, []int64{10, 11, 12, 13}},
		{"nothing newer than the horizon leaves", []int64{10, 30, 20}, 20, []int64{10, 20}},
		{"equal times keep their arrival order", []int64{5, 5, 4}, 9, []int64{4, 5, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &reorder{window: 5}
			for i, ts := range tt.push {
				r.push(ts, ref(i))
			}
			var got []int64
			for {
				ts, x, ok := r.pop(tt.horizon, false)
				if !ok {
					break
				}
				if want := tt.push[x]; ts != want {
					t.Errorf("entry %d released at %d, pushed at %d", x, ts, want)
				}
				got = append(got, ts)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestReorderRaisesTheTimeOfALateEvent(t *testing.T) {
	r := &reorder{window: 5}
	r.push(100, 0)
	r.pop(200, false)
	r.push(90, 1)
	ts, x, _ := r.pop(200, false)
	if ts != 100 || x != 1 || r.late != 1 {
		t.Errorf("late entry %d released at %d (late %d), want entry 1 at 100 (late 1)", x, ts, r.late)
	}
}

func TestArrivalsFreeTheRingOnlyUpToTheOldestRecordHeld(t *testing.T) {
	a := newArrivals(4)
	pos := []uint64{0, 40, 96, 136}
	var refs []uint64
	for _, p := range pos {
		refs = append(refs, a.add(p))
	}
	type state struct {
		Oldest uint64
		Held   int
	}
	var got []state
	look := func() {
		p, ok := a.oldest()
		if !ok {
			p = 999
		}
		got = append(got, state{p, a.len()})
	}
	look()
	// Released in time order, which is not ring order: 40 and 136 first.
	for _, i := range []int{1, 3, 0, 2} {
		if p := a.at(refs[i]); p != pos[i] {
			t.Errorf("arrival %d at %d, want %d", refs[i], p, pos[i])
		}
		a.done(refs[i])
		look()
	}
	want := []state{{0, 4}, {0, 4}, {0, 4}, {96, 2}, {999, 0}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if a.add(200); a.full() {
		t.Errorf("arrivals of 4 holding 1 says it is full")
	}
}

func TestNoteStoreHandsOutEachNoticeOnceUntilPutBack(t *testing.T) {
	s := newNoteStore(2)
	e1, x1, ok1 := s.get()
	e2, x2, ok2 := s.get()
	_, _, ok3 := s.get()
	if !ok1 || !ok2 || ok3 || e1 == e2 || x1 == x2 {
		t.Fatalf("two gets from a store of 2 gave %p/%v and %p/%v, a third ok=%v", e1, ok1, e2, ok2, ok3)
	}
	if s.at(x1) != e1 || x1&noteRef == 0 {
		t.Errorf("at(%#x) = %p, want %p, a note reference", x1, s.at(x1), e1)
	}
	s.put(x2)
	if e, x, ok := s.get(); !ok || e != e2 || x != x2 {
		t.Errorf("get after put = %p/%#x/%v, want the notice put back %p/%#x", e, x, ok, e2, x2)
	}
}

func BenchmarkReorderNearlySorted(b *testing.B) {
	r := &reorder{window: 1000}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		r.push(int64(n)^1, ref(n)) // pairs swapped, as two CPUs produce
		r.pop(int64(n)-1000, false)
		n++
	}
}
