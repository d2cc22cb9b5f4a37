package report

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBackgroundWriterKeepsOrderAndCopies(t *testing.T) {
	for _, n := range []int{0, 1, backgroundBatch - 1, backgroundBatch, 3*backgroundBatch + 7} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var got []uint64
			bw := NewBackgroundWriter(func(a *Action) error {
				got = append(got, a.Num)
				return nil
			})
			var a Action // reused, as Timeline reuses its actions
			var want []uint64
			for i := range n {
				a.Num = uint64(i)
				want = append(want, a.Num)
				if err := bw.Write(&a); err != nil {
					t.Fatal(err)
				}
			}
			if err := bw.Close(); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("actions written (-want +got):\n%s", d)
			}
		})
	}
}

func TestBackgroundWriterReportsTheOutputsError(t *testing.T) {
	full := errors.New("disk full")
	calls := 0
	bw := NewBackgroundWriter(func(a *Action) error {
		calls++
		if a.Num == 10 {
			return full
		}
		return nil
	})
	var werr error
	for i := range 10 * backgroundBatch {
		if werr = bw.Write(&Action{Num: uint64(i)}); werr != nil {
			break
		}
	}
	if err := bw.Close(); !errors.Is(err, full) {
		t.Errorf("Close = %v, want %v", err, full)
	}
	if !errors.Is(werr, full) {
		t.Errorf("Write kept accepting actions after the output failed (last error %v)", werr)
	}
	if calls != 11 {
		t.Errorf("output called %d times, want 11 (it stops at the first error)", calls)
	}
}
