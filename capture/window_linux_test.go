package capture

import (
	"encoding/binary"
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

// windowRig is a window of 5 ns over n fake rings.
type windowRig struct {
	fs []*fakeRing
	c  *cpuRings
	w  window
}

func newWindowRig(n int) *windowRig {
	fs, c := newFakeRings(n, 4096)
	return &windowRig{fs: fs, c: c, w: newWindow(5, c.rings, 0)}
}

// read has CPU ring commit a 40-byte record of time t and the loop read it.
func (r *windowRig) read(ring int, t int64) {
	r.fs[ring].produce(rawRec{ts: uint64(t), typ: "getppid"}.bytes())
	r.c.rings[ring].snapshot()
	r.c.rings[ring].readN(func(pos uint64, rec []byte) { r.w.push(ring, pos, t) }, 1)
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
			[]released{{1, 0, 0}, {2, 0, 40}, {3, 0, 80}}},
		{"two CPUs interleave", []push{{0, 10}, {0, 12}, {1, 11}, {1, 13}}, 20,
			[]released{{10, 0, 0}, {11, 1, 0}, {12, 0, 40}, {13, 1, 40}}},
		{"nothing newer than the horizon leaves", []push{{0, 10}, {1, 30}, {0, 20}}, 20,
			[]released{{10, 0, 0}, {20, 0, 40}}},
		{"a notice takes its place among the records", []push{{0, 4}, {-1, 5}, {0, 6}}, 9,
			[]released{{4, 0, 0}, {5, -1, 0}, {6, 0, 40}}},
		{"equal times: the notice, then the lower ring", []push{{1, 5}, {0, 5}, {-1, 5}}, 9,
			[]released{{5, -1, 0}, {5, 0, 0}, {5, 1, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newWindowRig(2)
			for _, p := range tt.push {
				if p.ring < 0 {
					r.w.pushNote(p.t, 0)
				} else {
					r.read(p.ring, p.t)
				}
			}
			if diff := cmp.Diff(tt.want, popAll(&r.w, tt.horizon)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestWindowRaisesTheTimeOfALateRecord(t *testing.T) {
	r := newWindowRig(2)
	r.read(0, 100)
	r.w.pop(200, false)
	r.read(1, 90)
	ts, ring, _, _ := r.w.pop(200, false)
	if ts != 100 || ring != 1 || r.w.late != 1 {
		t.Errorf("late record of ring %d released at %d (late %d), want ring 1 at 100 (late 1)", ring, ts, r.w.late)
	}
}

func TestWindowFrontIsTheOldestRecordARingStillHolds(t *testing.T) {
	r := newWindowRig(2)
	r.read(0, 10)
	r.read(0, 30)
	r.read(1, 20)
	type front struct {
		Pos  uint64
		Held bool
	}
	var got []front
	look := func() { got = append(got, front{r.w.fronts[0].pos, r.w.held(0)}) }
	look()
	r.w.pop(100, false) // ring 0 at 10
	look()
	r.w.pop(100, false) // ring 1 at 20
	look()
	r.w.pop(100, false) // ring 0 at 30
	look()
	want := []front{{0, true}, {40, true}, {40, true}, {80, false}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if r.w.len() != 0 {
		t.Errorf("window holds %d after every pop", r.w.len())
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
	r := newWindowRig(2)
	rec := rawRec{typ: "getppid"}.bytes()
	b.ReportAllocs()
	n := int64(0)
	for b.Loop() {
		i := int(n & 1) // two CPUs, alternating
		binary.LittleEndian.PutUint64(rec, uint64(n))
		r.fs[i].produce(rec)
		r.c.rings[i].snapshot()
		r.c.rings[i].readN(func(pos uint64, _ []byte) { r.w.push(i, pos, n) }, 1)
		r.w.pop(n-1000, false)
		for j := range r.c.rings {
			r.c.rings[j].free(r.w.fronts[j].pos)
		}
		n++
	}
}
