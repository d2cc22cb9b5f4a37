package capture

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// released is an entry the window let go: its time, its ring (-1: a notice) and its
// position (or notice index).
type released struct {
	T    int64
	Ring int
	X    uint64
}

func popAll(w *window, horizon int64) []released {
	var got []released
	for {
		t, ring, x, ok := w.pop(horizon, false)
		if !ok {
			return got
		}
		got = append(got, released{t, ring, x})
	}
}

func TestWindowMergesTheRingsInTimeOrderPastTheWindow(t *testing.T) {
	type push struct {
		ring int // -1: a notice
		t    int64
	}
	tests := []struct {
		name    string
		push    []push
		horizon int64
		want    []released
	}{
		{"one ring passes through", []push{{0, 1}, {0, 2}, {0, 3}}, 10,
			[]released{{1, 0, 0}, {2, 0, 8}, {3, 0, 16}}},
		{"two CPUs interleave", []push{{0, 10}, {0, 12}, {1, 11}, {1, 13}}, 20,
			[]released{{10, 0, 0}, {11, 1, 16}, {12, 0, 8}, {13, 1, 24}}},
		{"nothing newer than the horizon leaves", []push{{0, 10}, {1, 30}, {0, 20}}, 20,
			[]released{{10, 0, 0}, {20, 0, 16}}},
		{"a notice takes its place among the records", []push{{0, 4}, {-1, 5}, {0, 6}}, 9,
			[]released{{4, 0, 0}, {5, -1, 0}, {6, 0, 16}}},
		{"equal times: the notice, then the lower ring", []push{{1, 5}, {0, 5}, {-1, 5}}, 9,
			[]released{{5, -1, 0}, {5, 0, 8}, {5, 1, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWindow(5, 2, 4)
			for i, p := range tt.push {
				if p.ring < 0 {
					w.pushNote(p.t, 0)
				} else {
					w.push(p.ring, p.t, uint64(8*i)) // the push's index as its position
				}
			}
			if diff := cmp.Diff(tt.want, popAll(&w, tt.horizon)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestWindowRaisesTheTimeOfALateRecord(t *testing.T) {
	w := newWindow(5, 2, 4)
	w.push(0, 100, 0)
	w.pop(200, false)
	w.push(1, 90, 8)
	ts, ring, _, _ := w.pop(200, false)
	if ts != 100 || ring != 1 || w.late != 1 {
		t.Errorf("late record of ring %d released at %d (late %d), want ring 1 at 100 (late 1)", ring, ts, w.late)
	}
}

func TestWindowFrontIsTheOldestRecordARingStillHolds(t *testing.T) {
	w := newWindow(5, 2, 2)
	w.push(0, 10, 0)
	w.push(0, 30, 40)
	w.push(1, 20, 0)
	if !w.fifos[0].full() || w.fifos[1].full() {
		t.Errorf("ring 0 holding 2 of 2 full=%v, ring 1 holding 1 full=%v", w.fifos[0].full(), w.fifos[1].full())
	}
	type front struct {
		Pos uint64
		OK  bool
	}
	var got []front
	look := func() {
		p, ok := w.front(0)
		got = append(got, front{p, ok})
	}
	look()
	w.pop(100, false) // ring 0 at 10
	look()
	w.pop(100, false) // ring 1 at 20
	look()
	w.pop(100, false) // ring 0 at 30
	look()
	want := []front{{0, true}, {40, true}, {40, true}, {0, false}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if w.len() != 0 {
		t.Errorf("window holds %d after every pop", w.len())
	}
}

func TestNoteStoreHandsOutEachNoticeOnceUntilPutBack(t *testing.T) {
	s := newNoteStore(2)
	e1, i1, ok1 := s.get()
	e2, i2, ok2 := s.get()
	_, _, ok3 := s.get()
	if !ok1 || !ok2 || ok3 || e1 == e2 || i1 == i2 {
		t.Fatalf("two gets from a store of 2 gave %p/%v and %p/%v, a third ok=%v", e1, ok1, e2, ok2, ok3)
	}
	if s.at(i1) != e1 {
		t.Errorf("at(%d) = %p, want %p", i1, s.at(i1), e1)
	}
	s.put(i2)
	if e, i, ok := s.get(); !ok || e != e2 || i != i2 {
		t.Errorf("get after put = %p/%d/%v, want the notice put back %p/%d", e, i, ok, e2, i2)
	}
}

func BenchmarkWindowTwoCPUs(b *testing.B) {
	w := newWindow(1000, 2, 4096)
	b.ReportAllocs()
	n := int64(0)
	for b.Loop() {
		w.push(int(n&1), n, uint64(n)) // two CPUs, alternating
		w.pop(n-1000, false)
		n++
	}
}
