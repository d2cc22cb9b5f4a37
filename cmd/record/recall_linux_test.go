package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
)

// recordGetppid records a child making n getppid calls and returns the number of its
// getppid events, the sum of the in-band ring drop notices and the footer.
func recordGetppid(t *testing.T, n int, extra ...string) (got int, notices uint64, st format.Stats) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "getppid.syscam")
	t.Setenv("SYSCAM_TEST_CHILD", "getppid")
	t.Setenv("SYSCAM_TEST_N", strconv.Itoa(n))
	args := append([]string{"-o", out, "--quiet"}, extra...)
	if err := run(append(args, "--", os.Args[0]), os.Stdout, os.Stderr); err != nil {
		t.Fatalf("record: %v", err)
	}
	os.Unsetenv("SYSCAM_TEST_CHILD")
	evs, st := readTrace(t, out)
	getppid, _ := event.ByName("getppid")
	for _, e := range evs {
		switch {
		case e.Type == getppid:
			got++
		case e.Type == event.TypeDrop && e.Uint(0) == 0:
			notices += e.Uint(1)
		}
	}
	return got, notices, st
}

func TestRecordKeepsEveryGetppidAtDefaultSettings(t *testing.T) {
	requireRecorder(t)
	const n = 200000
	got, _, st := recordGetppid(t, n)
	if got != n || st.Dropped() != 0 {
		t.Errorf("got %d getppid events and %d drops, want %d and 0", got, st.Dropped(), n)
	}
}

func TestRecordWithATinyRingReportsEveryDropInBandAndInTheFooter(t *testing.T) {
	requireRecorder(t)
	const n = 500000
	got, notices, st := recordGetppid(t, n, "--ring-size", "4096")
	var ring uint64
	for _, c := range st.CPUs {
		ring += c.LostRing
	}
	if ring == 0 {
		t.Fatalf("no drops with a 4 KiB ring under %d getppid calls (got %d events)", n, got)
	}
	if notices != ring {
		t.Errorf("in-band drop notices count %d lost records, the footer %d", notices, ring)
	}
	// Every getppid call is either recorded or among the losses (which also count
	// the few other syscalls of the child).
	if uint64(got)+ring < n || got > n {
		t.Errorf("%d getppid events + %d lost, want %d calls accounted for", got, ring, n)
	}
}

// startRecorder runs record as a separate process (the test binary in recorder mode)
// and waits until it has written its initial state.
func startRecorder(t *testing.T, out string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-o", out, "--quiet", "--comm", "syscam-none"}, args...)...)
	cmd.Env = append(os.Environ(), "SYSCAM_TEST_CHILD=record")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go bufio.NewScanner(stderr).Scan()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if fi, err := os.Stat(out); err == nil && fi.Size() > 0 {
			time.Sleep(300 * time.Millisecond) // past the snapshot and a flush or two
			return cmd
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill()
	t.Fatal("recorder did not create its file")
	return nil
}

func TestRecordStoppedBySIGTERMLeavesAVerifiableFile(t *testing.T) {
	requireRecorder(t)
	out := filepath.Join(t.TempDir(), "term.syscam")
	cmd := startRecorder(t, out, "--comm", "sh")
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("recorder exit after SIGTERM: %v", err)
	}
	rep, err := format.VerifyFile(out, format.VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || !rep.Footer || rep.Truncated {
		t.Errorf("verify after SIGTERM: ok=%v footer=%v truncated=%v problem=%+v", rep.OK(), rep.Footer, rep.Truncated, rep.Problem)
	}
}

func TestRecordKilledBySIGKILLReadsBackToItsLastBlock(t *testing.T) {
	requireRecorder(t)
	out := filepath.Join(t.TempDir(), "kill.syscam")
	cmd := startRecorder(t, out, "--comm", "sh")
	time.Sleep(1200 * time.Millisecond) // at least one periodic flush
	cmd.Process.Kill()
	cmd.Wait()
	r, err := format.Open(out)
	if err != nil {
		t.Fatalf("open after SIGKILL: %v", err)
	}
	defer r.Close()
	it := r.Events(format.Selection{})
	var e event.Event
	n := 0
	for it.Next(&e) {
		n++
	}
	if err := it.Err(); err != nil {
		t.Errorf("read after SIGKILL: %v after %d events", err, n)
	}
	if !r.Recovered() || n == 0 {
		t.Errorf("after SIGKILL: recovered=%v, %d events read; want a recovered file with its flushed events", r.Recovered(), n)
	}
}
