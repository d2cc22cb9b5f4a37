package main

import (
	"os/exec"
	"testing"

	"github.com/syscam/syscam/event"
)

func TestRecordFollowsTheTreeIntoANewPidNamespace(t *testing.T) {
	requireRecorder(t)
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("needs unshare(1)")
	}
	_, evs := recordNames(t, "--", unshare, "--pid", "--fork", "/bin/sh", "-c", "cat /etc/hostname >/dev/null")
	var nsFork, cat bool
	for _, e := range evs {
		if e.Type == event.TypeProcFork && e.Uint(2)&16 != 0 && e.Int(6) == 1 {
			nsFork = true // NEW_PIDNS, and the child is pid 1 in it
		}
		if e.Name() == "execve" && string(e.Bytes(e.Param("comm"))) == "cat" && e.Ret == 0 {
			cat = true
		}
	}
	if !nsFork || !cat {
		t.Errorf("fork into the new pid namespace seen: %v; exec of cat inside it seen: %v", nsFork, cat)
	}
}
