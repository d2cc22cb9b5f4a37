package state

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/syscam/syscam/state/statetest"
)

func TestCheckpointerPicksBoundariesBetweenInstants(t *testing.T) {
	evs, err := statetest.Parse(`
0 1 procinfo ppid=0 comm=init exepath=/sbin/init argv=init cwd=/ start_time=0
1 1 getpid ret=1
30 1 getpid ret=1
61 1 getpid ret=1
61 1 getppid ret=0
62 1 getpid ret=1
100 1 getpid ret=1
125 1 getpid ret=1
`)
	if err != nil {
		t.Fatal(err)
	}
	e := New(Config{})
	cp := Checkpointer{Interval: time.Minute}
	var got []int64
	for _, ev := range evs {
		if at, state, ok := cp.Before(e, ev); ok {
			if len(state) == 0 {
				t.Errorf("checkpoint at %d is empty", at)
			}
			got = append(got, at)
		}
		e.Apply(ev)
	}
	// Due after 0+60 s: 61 is the first later instant (the checkpoint files under
	// 30 s + 1 ns, after every event so far); next due at 121 s: 125.
	want := []int64{30e9 + 1, 100e9 + 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("checkpoint instants (-want +got):\n%s", diff)
	}
}
