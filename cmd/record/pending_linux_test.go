package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/syscam/syscam/event"
)

func TestRecordShowsACallStillBlockedAtTheEndAsAnEnterEvent(t *testing.T) {
	requireRecorder(t)
	out := filepath.Join(t.TempDir(), "blocked.syscam")
	t.Setenv("SYSCAM_TEST_CHILD", "accept")
	if err := run([]string{"-o", out, "--quiet", "--duration", "1s", "--", os.Args[0]}, os.Stdout, os.Stderr); err != nil {
		t.Fatalf("record: %v", err)
	}
	os.Unsetenv("SYSCAM_TEST_CHILD")
	evs, _ := readTrace(t, out)
	accept, _ := event.ByName("accept")
	var found *event.Event
	for _, e := range evs {
		if e.Type == accept {
			found = e
		}
	}
	if found == nil {
		t.Fatal("no accept event for the blocked call")
	}
	syscall.Kill(int(found.PID), syscall.SIGKILL)
	if found.Flags&event.FlagEnter == 0 || found.Int(0) < 3 {
		t.Errorf("blocked accept: %s, want an enter event with the listening fd", found)
	}
	if last := evs[len(evs)-1]; last.Type != event.TypeCaptureStop || found.Time > last.Time {
		t.Errorf("the blocked call at %d is not before the capture_stop notice (%s)", found.Time, last)
	}
}
