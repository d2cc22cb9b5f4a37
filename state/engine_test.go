package state

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/syscam/syscam/state/statetest"
)

func TestProcessesIncludesOlderIncarnations(t *testing.T) {
	evs, err := statetest.Parse(`
0 1 procinfo ppid=0 comm=init exepath=/sbin/init argv=init cwd=/ start_time=0
1 1 procfork child_tid=300 child_pid=300 comm=old
2 300 procexit status=0
3 1 procfork child_tid=300 child_pid=300 comm=new
`)
	if err != nil {
		t.Fatal(err)
	}
	e := New(Config{})
	for _, ev := range evs {
		e.Apply(ev)
	}
	var got []string
	for p := range e.Processes() {
		got = append(got, p.Name())
	}
	slices.Sort(got)
	if diff := cmp.Diff([]string{"init", "new", "old"}, got); diff != "" {
		t.Errorf("Processes() (-want +got):\n%s", diff)
	}
	if p := e.Process(300); p == nil || p.Name() != "new" {
		t.Errorf("Process(300) = %v, want the new incarnation", p)
	}
	if th := e.ThreadAt(300, 2e9); th == nil || th.Comm != "old" {
		t.Errorf("ThreadAt(300, 2 s) = %v, want the old incarnation", th)
	}
}
