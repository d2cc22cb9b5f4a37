package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
)

// memfdExec is a child mode: it copies $SYSCAM_MEMFD_EXE into a memfd named
// $SYSCAM_MEMFD_NAME, writes the fd number to $SYSCAM_MEMFD_REPORT and runs the memfd
// with its own arguments, as in-memory loaders do: through execveat(fd, "",
// AT_EMPTY_PATH) when $SYSCAM_MEMFD_HOW is "execveat", else execve("/proc/self/fd/N")
// (fexecve's fallback). With "deleted", the program is a file of $SYSCAM_DIR, opened,
// unlinked and run through /proc/self/fd/N. It returns only when the exec failed.
func memfdExec() int {
	code, err := os.ReadFile(os.Getenv("SYSCAM_MEMFD_EXE"))
	if err != nil {
		return 10
	}
	fd, err := codeFD(os.Getenv("SYSCAM_MEMFD_HOW"), os.Getenv("SYSCAM_MEMFD_NAME"), code)
	if err != nil {
		return 12
	}
	if err := os.WriteFile(os.Getenv("SYSCAM_MEMFD_REPORT"), []byte(strconv.Itoa(fd)), 0o600); err != nil {
		return 13
	}
	argv, _ := syscall.SlicePtrFromStrings(os.Args[1:])
	envv, _ := syscall.SlicePtrFromStrings([]string{"SYSCAM=memfd"})
	argp, envp := uintptr(unsafe.Pointer(&argv[0])), uintptr(unsafe.Pointer(&envv[0]))
	if os.Getenv("SYSCAM_MEMFD_HOW") == "execveat" {
		sys(unix.SYS_EXECVEAT, uintptr(fd), str(""), argp, envp, unix.AT_EMPTY_PATH)
	} else {
		sys(unix.SYS_EXECVE, str(fmt.Sprintf("/proc/self/fd/%d", fd)), argp, envp)
	}
	return 14
}

// codeFD returns an fd holding code: a memfd named name, or for how = "deleted" a file
// of $SYSCAM_DIR that no longer has a name.
func codeFD(how, name string, code []byte) (int, error) {
	if how != "deleted" {
		fd, err := unix.MemfdCreate(name, unix.MFD_CLOEXEC)
		if err != nil {
			return -1, err
		}
		_, err = unix.Write(fd, code)
		return fd, err
	}
	path := filepath.Join(os.Getenv("SYSCAM_DIR"), name)
	if err := os.WriteFile(path, code, 0o700); err != nil {
		return -1, err
	}
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	if _, e := sys(unix.SYS_UNLINK, str(path)); e != 0 {
		return -1, e
	}
	return fd, nil
}

// memfdChild describes one memfd execution: how, the memfd's name, the child's pid and
// the memfd's fd number in it.
type memfdChild struct {
	How, Name string
	PID, FD   int
}

// startMemfd starts the test binary as memfdExec running exe from a memfd.
func startMemfd(dir, how, name, exe string, args ...string) (*exec.Cmd, string) {
	rep := filepath.Join(dir, name+".fd")
	c := exec.Command(os.Args[0], args...)
	c.Env = append(os.Environ(), "SYSCAM_TEST_CHILD=memfdexec", "SYSCAM_MEMFD_EXE="+exe,
		"SYSCAM_MEMFD_NAME="+name, "SYSCAM_MEMFD_HOW="+how, "SYSCAM_MEMFD_REPORT="+rep)
	return c, rep
}

// memfdWorkload is the recorded command: it runs /bin/sleep from a memfd through
// execveat (for a second, so that the recorder can hash it through /proc/PID/exe), then
// /bin/true through /proc/self/fd/N, and reports both to $SYSCAM_REPORT.
func memfdWorkload() int {
	dir := os.Getenv("SYSCAM_DIR")
	var kids []memfdChild
	for _, k := range []memfdChild{{How: "execveat", Name: "syscam-sleep1"}, {How: "proc", Name: "syscam-true"}, {How: "deleted", Name: "syscam-gone"}} {
		exe, args := "/bin/sleep", []string{"syscam-memfd", "1"}
		if k.How != "execveat" {
			exe, args = "/bin/true", []string{"syscam-memfd", k.How}
		}
		c, rep := startMemfd(dir, k.How, k.Name, exe, args...)
		if err := c.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "memfd %s: %v\n", k.How, err)
			return 1
		}
		b, _ := os.ReadFile(rep)
		k.PID, k.FD = c.Process.Pid, atoi(string(b))
		kids = append(kids, k)
	}
	b, _ := json.Marshal(kids)
	if os.WriteFile(os.Getenv("SYSCAM_REPORT"), b, 0o600) != nil {
		return 1
	}
	return 0
}

func atoi(s string) int { n, _ := strconv.Atoi(strings.TrimSpace(s)); return n }

// memfdComm is the comm the kernel gives a program run by execveat(fd, "",
// AT_EMPTY_PATH): recent kernels name it after the file ("memfd:NAME", cut to 15
// bytes), older ones after the fd number, as for /proc/self/fd/N. sleeper, a process
// started that way, says which.
func memfdComm(t *testing.T, sleeper int, name string, fd int) string {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", sleeper))
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(string(b), "memfd:") {
		return ("memfd:" + name)[:15]
	}
	return strconv.Itoa(fd)
}

// startSleeper runs /bin/sleep from a memfd before the recording starts, so that the
// initial /proc snapshot meets a process whose executable is a memfd.
func startSleeper(t *testing.T, dir string) int {
	t.Helper()
	c, _ := startMemfd(dir, "execveat", "syscam-sleep", "/bin/sleep", "sleep", "60")
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Process.Kill(); c.Wait() })
	want := "/memfd:syscam-sleep (deleted)"
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if got, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", c.Process.Pid)); got == want {
			return c.Process.Pid
		}
	}
	t.Fatalf("the memfd sleeper's /proc/PID/exe never read %q", want)
	return 0
}

func TestRecordNamesAMemfdExecutableAsProcExeDoes(t *testing.T) {
	requireRecorder(t)
	dir := t.TempDir()
	sleeper := startSleeper(t, dir)
	out, repPath := filepath.Join(dir, "memfd.syscam"), filepath.Join(dir, "report.json")
	t.Setenv("SYSCAM_TEST_CHILD", "memfdwork")
	t.Setenv("SYSCAM_DIR", dir)
	t.Setenv("SYSCAM_REPORT", repPath)
	if err := run([]string{"-o", out, "--quiet", "--", os.Args[0]}, os.Stderr, os.Stderr); err != nil {
		t.Fatalf("record: %v", err)
	}
	os.Unsetenv("SYSCAM_TEST_CHILD")
	var kids []memfdChild
	b, err := os.ReadFile(repPath)
	if err != nil {
		t.Fatalf("workload report: %v", err)
	}
	json.Unmarshal(b, &kids)
	a, p, g := kids[0], kids[1], kids[2]
	rdir, _ := filepath.EvalSymlinks(dir)
	evs, _ := readTrace(t, out)
	want := []expectation{
		expect("memfd_create", a.PID, a.PID, int64(a.FD), "name", a.Name, "flags", unix.MFD_CLOEXEC),
		expect("execveat", a.PID, a.PID, 0, "dirfd", a.FD, "flags", unix.AT_EMPTY_PATH,
			"filename", fmt.Sprintf("/dev/fd/%d", a.FD), "argv", "syscam-memfd\x001\x00",
			"exepath", "/memfd:syscam-sleep1 (deleted)", "comm", memfdComm(t, sleeper, a.Name, a.FD)),
		expect("memfd_create", p.PID, p.PID, int64(p.FD), "name", p.Name, "flags", unix.MFD_CLOEXEC),
		expect("execve", p.PID, p.PID, 0, "filename", fmt.Sprintf("/proc/self/fd/%d", p.FD),
			"argv", "syscam-memfd\x00proc\x00", "exepath", "/memfd:syscam-true (deleted)", "comm", strconv.Itoa(p.FD)),
		// Not a memfd: an unlinked file, which /proc/PID/exe names with " (deleted)".
		expect("unlink", g.PID, g.PID, 0, "path", filepath.Join(dir, g.Name)),
		expect("execve", g.PID, g.PID, 0, "filename", fmt.Sprintf("/proc/self/fd/%d", g.FD),
			"exepath", filepath.Join(rdir, g.Name)+" (deleted)", "comm", strconv.Itoa(g.FD)),
	}
	checkSubsequence(t, want, evs)
	checkMemfdHash(t, evs, a.PID)
	checkSnapshotExe(t, out, sleeper, "/memfd:syscam-sleep (deleted)")
}

// checkMemfdHash requires the exec from a memfd to carry the SHA-256 of what was
// written into it: the evidence of a program that never touched the disk.
func checkMemfdHash(t *testing.T, evs []*event.Event, pid int) {
	t.Helper()
	code, err := os.ReadFile("/bin/sleep")
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256(code)
	for _, e := range evs {
		if e.Name() == "execveat" && int(e.PID) == pid && e.Ret == 0 {
			if got := e.Bytes(e.Param("sha256")); !bytes.Equal(got, want[:]) {
				t.Errorf("sha256 of the memfd executable: %x, want %x (of /bin/sleep)", got, want)
			}
			return
		}
	}
	t.Errorf("no execveat of pid %d", pid)
}

// checkSnapshotExe requires the initial state's procinfo of pid to name its
// executable exactly as /proc/PID/exe does, and as the exec events do.
func checkSnapshotExe(t *testing.T, path string, pid int, want string) {
	t.Helper()
	if got, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid)); got != want {
		t.Fatalf("/proc/%d/exe reads %q, want %q", pid, got, want)
	}
	r, err := format.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	st, err := r.InitialState()
	if err != nil {
		t.Fatalf("initial state: %v", err)
	}
	for _, e := range st {
		if e.Type == event.TypeProcInfo && int(e.PID) == pid {
			if got := string(e.Bytes(e.Param("exepath"))); got != want {
				t.Errorf("initial state: exepath of memfd process %d is %q, want %q", pid, got, want)
			}
			return
		}
	}
	t.Errorf("the initial state lacks the memfd process %d", pid)
}
