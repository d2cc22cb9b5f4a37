package report

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/report/reporttest"
	"github.com/syscam/syscam/state/statetest"
)

// blocky writes one host's trace of n getpid calls in blocks of 10 events, with a
// kill as the event at each position in kills.
func blocky(t *testing.T, name string, n int, offset int64, kills ...int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name+".syscam")
	w, err := format.Create(path, format.Header{Host: format.Host{Hostname: name, MachineID: "m-" + name}, Created: reporttest.Base},
		format.WriterOptions{BlockEvents: 10})
	if err != nil {
		t.Fatal(err)
	}
	k := 0
	for i := range n {
		line := "0 100 getpid ret=100"
		if k < len(kills) && kills[k] == i {
			line, k = "0 100 kill ret=0 pid=1 sig=SIGTERM", k+1
		}
		var ev event.Event
		if err := statetest.ParseLine(&ev, line); err != nil {
			t.Fatal(err)
		}
		ev.Time = reporttest.Base + int64(i)*2e6 + offset
		if err := w.Write(&ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRunNarrowsReadingToTheSelectedTypes checks the push-down of a filter's bounds
// over several hosts: only the blocks that hold the selected type are decompressed,
// and without state no View is built.
func TestRunNarrowsReadingToTheSelectedTypes(t *testing.T) {
	a := blocky(t, "a", 400, 0, 5, 395)
	b := blocky(t, "b", 400, 1e6, 207)
	hosts := open(t, a, b)
	kill, _ := event.ByName("kill")
	var got []string
	err := Run(hosts, Options{Narrow: format.Selection{Types: []event.Type{kill}}, NoState: true}, func(r *Record) error {
		if r.View != nil {
			t.Error("a View without state")
		}
		got = append(got, fmt.Sprintf("%s #%d %s", r.Input.Hostname, r.Event.Num, r.Event.Name()))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a #6 kill", "b #208 kill", "a #396 kill"}, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	var blocks uint64
	for _, h := range hosts {
		for _, f := range h.Files {
			blocks += f.(*format.Reader).BlocksDecompressed()
		}
	}
	if blocks != 3 {
		t.Errorf("decompressed %d blocks of 80, want the 3 that hold a kill", blocks)
	}
}
