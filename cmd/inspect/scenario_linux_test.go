package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// scenarioTruth is what the scenario program writes down about itself.
type scenarioTruth struct {
	PID, PPID, Child int
	At               int64         // an instant at which every fd below was open
	FDs              map[int]fdRow // what inspect fds must show
}

// TestScenarioProgram is the scenario, run under the recorder by TestRecordedScenario
// (it re-executes the test binary); on its own it skips.
func TestScenarioProgram(t *testing.T) {
	out := os.Getenv("SYSCAM_SCENARIO_TRUTH")
	if out == "" {
		t.Skip("runs only under TestRecordedScenario")
	}
	truth, err := playScenario()
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(truth)
	if err := os.WriteFile(out, data, 0o600); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // the fds stay open past truth.At
}

// playScenario opens a file, listens, connects to itself, accepts, and runs a child
// that exits with status 3, noting the fds and pids as it goes.
func playScenario() (*scenarioTruth, error) {
	tr := &scenarioTruth{PID: os.Getpid(), PPID: os.Getppid(), FDs: map[int]fdRow{}}
	f, err := os.Open("/etc/hostname")
	if err != nil {
		return nil, err
	}
	tr.FDs[int(f.Fd())] = fdRow{Type: "file", Name: "/etc/hostname", Flags: "O_RDONLY"}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	c, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		return nil, err
	}
	s, err := ln.Accept()
	if err != nil {
		return nil, err
	}
	conn := c.LocalAddr().String() + "->" + ln.Addr().String()
	tr.FDs[sockFD(ln.(*net.TCPListener))] = fdRow{Type: "ipv4", Name: ln.Addr().String(), Role: "server", Proto: "IPPROTO_TCP"}
	tr.FDs[sockFD(c.(*net.TCPConn))] = fdRow{Type: "ipv4", Name: conn, Role: "client", Proto: "IPPROTO_TCP"}
	tr.FDs[sockFD(s.(*net.TCPConn))] = fdRow{Type: "ipv4", Name: conn, Role: "server", Proto: "IPPROTO_TCP"}
	cmd := exec.Command("/bin/sh", "-c", "exit 3")
	if err := cmd.Run(); err == nil || cmd.ProcessState.ExitCode() != 3 {
		return nil, fmt.Errorf("child: %v", err)
	}
	tr.Child = cmd.ProcessState.Pid()
	tr.At = time.Now().UnixNano()
	return tr, nil
}

func sockFD(c syscall.Conn) int {
	rc, err := c.SyscallConn()
	if err != nil {
		return -1
	}
	fd := -1
	rc.Control(func(s uintptr) { fd = int(s) })
	return fd
}

// TestRecordedScenario records the scenario program with the real recorder (root and
// BPF needed) and checks that the tree and the fd table inspect rebuilds from the
// trace equal what the program wrote down about itself.
func TestRecordedScenario(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("recording needs root (CAP_BPF and CAP_PERFMON)")
	}
	if _, err := os.Stat("/sys/kernel/btf/vmlinux"); err != nil {
		t.Skip("recording needs a kernel with BTF")
	}
	dir := t.TempDir()
	rec := filepath.Join(dir, "record")
	if out, err := exec.Command("go", "build", "-o", rec, "../record").CombinedOutput(); err != nil {
		t.Fatalf("build the recorder: %v\n%s", err, out)
	}
	trace, truthFile := filepath.Join(dir, "s.syscam"), filepath.Join(dir, "truth.json")
	cmd := exec.Command(rec, "-o", trace, "--", os.Args[0], "-test.run=^TestScenarioProgram$", "-test.v")
	cmd.Env = append(os.Environ(), "SYSCAM_SCENARIO_TRUTH="+truthFile)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("record the scenario: %v\n%s", err, out)
	}
	var truth scenarioTruth
	data, err := os.ReadFile(truthFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &truth); err != nil {
		t.Fatal(err)
	}
	checkScenarioTree(t, trace, &truth)
	checkScenarioFDs(t, trace, &truth)
}

func checkScenarioTree(t *testing.T, trace string, truth *scenarioTruth) {
	out, err := runInspect(t, "tree", "--json", "--pid", fmt.Sprint(truth.PID), trace)
	if err != nil {
		t.Fatal(err)
	}
	var n procNode
	if err := json.Unmarshal([]byte(out), &n); err != nil {
		t.Fatalf("tree --json: %v\n%s", err, out)
	}
	if n.PPID != int32(truth.PPID) || n.Running {
		t.Errorf("scenario process: ppid %d running %v, want ppid %d and exited", n.PPID, n.Running, truth.PPID)
	}
	var child *procNode
	for _, c := range n.Children {
		if c.PID == int32(truth.Child) {
			child = c
		}
	}
	if child == nil {
		t.Fatalf("child %d not under %d in:\n%s", truth.Child, truth.PID, out)
	}
	if child.ExitStatus == nil || *child.ExitStatus != 3 || strings.Join(child.Argv, " ") != "/bin/sh -c exit 3" {
		t.Errorf("child: exit %v argv %q, want exit 3 and /bin/sh -c exit 3", child.ExitStatus, child.Argv)
	}
}

func checkScenarioFDs(t *testing.T, trace string, truth *scenarioTruth) {
	at := time.Unix(0, truth.At).UTC().Format(time.RFC3339Nano)
	out, err := runInspect(t, "fds", "--json", "--pid", fmt.Sprint(truth.PID), "--at", at, trace)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("truth %+v\ninspect fds:\n%s", truth, out)
	got := map[int]fdRow{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r fdRow
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("fds --json: %v: %s", err, line)
		}
		got[int(r.FD)] = r
	}
	for fd, want := range truth.FDs {
		g, ok := got[fd]
		if !ok {
			t.Errorf("fd %d (%s %s) missing from:\n%s", fd, want.Type, want.Name, out)
			continue
		}
		g.FD, g.CloExec = 0, false
		if g.Type == "file" {
			g.Flags = strings.TrimSuffix(g.Flags, "|O_LARGEFILE")
		} else {
			g.Flags = ""
		}
		if g != want {
			t.Errorf("fd %d = %+v, want %+v", fd, g, want)
		}
	}
}

// TestCheckpointsOnRealRecording records a shell running short commands (with the
// host's whole initial state), then replays the trace once from the start taking a
// checkpoint every 200 events, and at every 61st event compares that state with the
// state rebuilt from the nearest checkpoint plus the events since.
func TestCheckpointsOnRealRecording(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("recording needs root (CAP_BPF and CAP_PERFMON)")
	}
	dir := t.TempDir()
	rec := filepath.Join(dir, "record")
	if out, err := exec.Command("go", "build", "-o", rec, "../record").CombinedOutput(); err != nil {
		t.Fatalf("build the recorder: %v\n%s", err, out)
	}
	trace := filepath.Join(dir, "r.syscam")
	script := `cd /tmp; for i in 1 2 3 4 5 6; do ls / >/dev/null; cat /etc/hostname >/dev/null; (sleep 0.01 &); exec 7</etc/passwd; exec 7<&-; done; sleep 0.1`
	if out, err := exec.Command(rec, "-o", trace, "--", "/bin/sh", "-c", script).CombinedOutput(); err != nil {
		t.Fatalf("record: %v\n%s", err, out)
	}
	compareCheckpointReplays(t, trace, 200, 61)
}
