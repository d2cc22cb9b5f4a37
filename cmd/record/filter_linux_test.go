package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/syscam/syscam/event"
)

// recordNames records with args and returns the set of event names in the trace and
// the events themselves.
func recordNames(t *testing.T, args ...string) (map[string]int, []*event.Event) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "f.syscam")
	if err := run(append([]string{"-o", out, "--quiet"}, args...), os.Stdout, os.Stderr); err != nil {
		t.Fatalf("record %v: %v", args, err)
	}
	evs, _ := readTrace(t, out)
	names := map[string]int{}
	for _, e := range evs {
		names[e.Name()]++
	}
	return names, evs
}

func TestRecordSelectsEventsInTheKernel(t *testing.T) {
	requireRecorder(t)
	script := "cat /etc/hostname >/dev/null; getent hosts localhost >/dev/null; true"
	tests := []struct {
		name    string
		args    []string
		allowed []string // nil: anything
		want    []string
		absent  []string
	}{
		{"--syscalls keeps only the named syscalls and the lifecycle",
			[]string{"--syscalls", "openat,execve"},
			[]string{"openat", "execve", "procfork", "procexit", "capture_start", "capture_stop"},
			[]string{"openat", "execve", "procfork", "procexit"}, nil},
		{"--exclude-syscalls drops the named syscalls only",
			[]string{"--exclude-syscalls", "mmap,openat"},
			nil, []string{"execve", "read", "close"}, []string{"mmap", "openat"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			names, _ := recordNames(t, append(tt.args, "--", "/bin/sh", "-c", script)...)
			for n := range names {
				if tt.allowed != nil && !slices.Contains(tt.allowed, n) {
					t.Errorf("unexpected %d %s events", names[n], n)
				}
			}
			for _, n := range tt.want {
				if names[n] == 0 {
					t.Errorf("no %s event", n)
				}
			}
			for _, n := range tt.absent {
				if names[n] != 0 {
					t.Errorf("%d %s events, want none", names[n], n)
				}
			}
		})
	}
}

func TestRecordWholeHostFiltersByCommAndPid(t *testing.T) {
	requireRecorder(t)
	loop := exec.Command("/bin/sh", "-c", "while :; do cat /etc/hostname >/dev/null; sleep 0.05; done")
	if err := loop.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { loop.Process.Kill(); loop.Wait() }()
	names, evs := recordNames(t, "--duration", "700ms", "--comm", "cat")
	if names["openat"] == 0 {
		t.Errorf("no openat from cat: %v", names)
	}
	for _, e := range evs {
		if e.Info().IsSyscall() && commOf(e, evs) != "cat" {
			t.Errorf("event of another command under --comm cat: %s", e)
			break
		}
	}
	pid := loop.Process.Pid
	names, evs = recordNames(t, "--duration", "700ms", "--pid", strconv.Itoa(pid))
	tree := map[int32]bool{int32(pid): true}
	for _, e := range evs {
		if e.Type == event.TypeProcFork && tree[e.PID] {
			tree[int32(e.Int(1))] = true
		}
		if e.Info().IsSyscall() && !tree[e.PID] {
			t.Errorf("event of pid %d outside the tree of %d: %s", e.PID, pid, e)
			break
		}
	}
	if names["execve"] == 0 || len(tree) < 2 {
		t.Errorf("the children of --pid %d were not followed: %v", pid, names)
	}
}

// commOf finds the comm of e's process from its execve event in evs.
func commOf(e *event.Event, evs []*event.Event) string {
	for _, x := range evs {
		if x.Name() == "execve" && x.PID == e.PID {
			return string(x.Bytes(x.Param("comm")))
		}
	}
	return "cat" // exec not seen (before the capture): accept
}
