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
			b := newBatch(len(tt.push))
			for i, ts := range tt.push {
				b.addRecord(nil, ts)
				r.push(b.time(i), b, i)
			}
			var got []int64
			for {
				ts, rb, i := r.pop(tt.horizon, false)
				if rb == nil {
					break
				}
				if want := tt.push[i]; ts != want {
					t.Errorf("entry %d released at %d, pushed at %d", i, ts, want)
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
	b := newBatch(2)
	r.push(100, b, 0)
	r.pop(200, false)
	r.push(90, b, 1)
	ts, _, i := r.pop(200, false)
	if ts != 100 || i != 1 || r.late != 1 {
		t.Errorf("late entry %d released at %d (late %d), want entry 1 at 100 (late 1)", i, ts, r.late)
	}
}

func TestBatchKeepsRecordsAndNoticesInArrivalOrder(t *testing.T) {
	b := newBatch(4)
	b.addRecord([]byte("abc"), 10)
	n := b.addNote()
	n.Type, n.Time = event.TypeDrop, 5
	b.addRecord([]byte("de"), 20)
	type got struct {
		T    int64
		Raw  string
		Note bool
	}
	var gots []got
	for i := range b.n {
		e := b.ents[i]
		g := got{T: b.time(i), Note: e.note}
		if !e.note {
			g.Raw = string(b.raw[e.off : e.off+e.n])
		}
		gots = append(gots, g)
	}
	want := []got{{10, "abc", false}, {5, "", true}, {20, "de", false}}
	if diff := cmp.Diff(want, gots); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if !b.fits(rawBytes-5, false) || b.fits(rawBytes-4, false) {
		t.Errorf("a batch holding 5 bytes fits %d more bytes, not %d", rawBytes-5, rawBytes-4)
	}
	b.reset()
	if b.n != 0 || len(b.raw) != 0 || b.nnotes != 0 {
		t.Errorf("reset batch holds %d entries, %d bytes, %d notes", b.n, len(b.raw), b.nnotes)
	}
}

func BenchmarkReorderNearlySorted(b *testing.B) {
	r := &reorder{window: 1000}
	bt := newBatch(4096)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		r.push(int64(n)^1, bt, n%4096) // pairs swapped, as two CPUs produce
		r.pop(int64(n)-1000, false)
		n++
	}
}
