package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
)

func TestRecordWritesCheckpointsOfTheReplayedState(t *testing.T) {
	requireRecorder(t)
	out := filepath.Join(t.TempDir(), "cp.syscam")
	err := run([]string{"-o", out, "--quiet", "--checkpoint", "200ms", "--", "/bin/sh", "-c",
		"for i in 1 2 3 4 5 6 7 8 9 10; do cat /etc/hostname >/dev/null; sleep 0.1; done"}, os.Stdout, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	r, err := format.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	states := r.States()
	if len(states) < 3 {
		t.Fatalf("%d state sections after 1 s with --checkpoint 200ms, want the initial one and checkpoints", len(states))
	}
	_, last := r.TimeRange()
	at, evs, err := r.StateBefore(last)
	if err != nil {
		t.Fatal(err)
	}
	shells := 0
	for _, e := range evs {
		if e.Type == event.TypeProcInfo && string(e.Bytes(e.Param("comm"))) == "sh" {
			shells++
		}
	}
	if at <= states[0].Time || shells == 0 {
		t.Errorf("last checkpoint at %d (initial %d) holds %d sh threads; want a later one with the recorded shell", at, states[0].Time, shells)
	}
}
