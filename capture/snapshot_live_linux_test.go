package capture

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"golang.org/x/sys/unix"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/event"
)

// TestSnapshotOfTheRealProcFindsThisTestProcess checks the snapshot of the machine's
// /proc against what the test process knows of itself: its ids, name, argv, cwd,
// executable, and fds it opened on purpose.
func TestSnapshotOfTheRealProcFindsThisTestProcess(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "known-*.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	accepted, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer accepted.Close()
	ln6, err := net.Listen("tcp", "[::]:0") // dual stack: accepts IPv4 as ::ffff:a.b.c.d
	if err != nil {
		t.Fatal(err)
	}
	defer ln6.Close()
	port6 := strconv.Itoa(ln6.Addr().(*net.TCPAddr).Port)
	client4, err := net.Dial("tcp4", "127.0.0.1:"+port6)
	if err != nil {
		t.Fatal(err)
	}
	defer client4.Close()
	accepted4, err := ln6.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer accepted4.Close()
	devnull, err := os.Open("/dev/null")
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	dir, err := os.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()

	boot, err := BootTime()
	if err != nil {
		t.Fatal(err)
	}
	s := &Snapshotter{BootTime: boot}
	evs, err := s.Snapshot(1)
	if err != nil {
		t.Fatal(err)
	}
	pid := int32(os.Getpid())
	conn := client.LocalAddr().String() + "->" + ln.Addr().String() // both ends: client->server
	t.Run("its procinfo", func(t *testing.T) { checkOwnProcInfo(t, evs, pid) })
	t.Run("its fds", func(t *testing.T) {
		checkOwnFDs(t, evs, pid, map[string]liveFD{
			"/dev/null":               {fdOf(t, devnull), "device", "/dev/null", "", "", "unknown"},
			"a directory":             {fdOf(t, dir), "directory", dir.Name(), "", "", "unknown"},
			"the file it created":     {fdOf(t, f), "file", f.Name(), "", "", "unknown"},
			"its loopback listener":   {fdOf(t, ln), "ipv4", "", ln.Addr().String(), "", "server"},
			"its client connection":   {fdOf(t, client), "ipv4", conn, client.LocalAddr().String(), ln.Addr().String(), "client"},
			"the connection accepted": {fdOf(t, accepted), "ipv4", conn, ln.Addr().String(), client.LocalAddr().String(), "server"},
			"a dual-stack listener":   {fdOf(t, ln6), "ipv6", "[::]:" + port6, "[::]:" + port6, "", "server"},
			"IPv4 accepted on it":     {fdOf(t, accepted4), "ipv4", client4.LocalAddr().String() + "->127.0.0.1:" + port6, "127.0.0.1:" + port6, client4.LocalAddr().String(), "server"},
		})
	})
}

func checkOwnProcInfo(t *testing.T, evs []*event.Event, pid int32) {
	e := findEvent(evs, event.TypeProcInfo, pid, pid)
	if e == nil {
		t.Fatalf("no procinfo for this process (pid %d) among %d events", pid, len(evs))
	}
	cwd, _ := os.Getwd()
	exe, _ := os.Executable()
	var st syscall.Stat_t
	if err := syscall.Stat(exe, &st); err != nil {
		t.Fatal(err)
	}
	var argv []string
	event.Strings(e.Bytes(3), func(b []byte) bool { argv = append(argv, string(b)); return true })
	comm := os.Args[0]
	if i := len(comm) - 1; i >= 0 {
		for i >= 0 && comm[i] != '/' {
			i--
		}
		comm = comm[i+1:]
	}
	if len(comm) > 15 {
		comm = comm[:15]
	}
	type own struct {
		PPID           int32
		Comm, Exe      string
		Cwd            string
		Argv           []string
		UID, ExeIno    uint64
		VPID           int64
		StartInThePast bool
	}
	want := own{PPID: int32(os.Getppid()), Comm: comm, Exe: exe, Cwd: cwd, Argv: os.Args,
		UID: uint64(os.Getuid()), ExeIno: st.Ino, VPID: int64(pid), StartInThePast: true}
	got := own{PPID: int32(e.Int(0)), Comm: string(e.Bytes(1)), Exe: string(e.Bytes(2)), Cwd: string(e.Bytes(5)),
		Argv: argv, UID: e.Uint(6), ExeIno: e.Uint(23), VPID: e.Int(17), StartInThePast: e.Int(18) > 0 && e.Int(18) < time.Now().UnixNano()}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("procinfo of this process (-want +got):\n%s", diff)
	}
}

// liveFD is what the test checks of one of its own fds.
type liveFD struct {
	FD            int32
	Type          string
	Name          string // checked when not empty
	Local, Remote string
	Role          string
}

func checkOwnFDs(t *testing.T, evs []*event.Event, pid int32, want map[string]liveFD) {
	for what, w := range want {
		e := findFD(evs, pid, w.FD)
		if e == nil {
			t.Errorf("%s: no fdinfo for fd %d", what, w.FD)
			continue
		}
		got := liveFD{FD: int32(e.Int(0)), Type: param(e, 1), Local: sockText(e, 4), Remote: sockText(e, 5), Role: param(e, 9)}
		if w.Name != "" {
			got.Name = string(e.Bytes(3))
		}
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", what, diff)
		}
	}
}

func sockText(e *event.Event, i int) string {
	sa, ok := event.ParseSockAddr(e.Bytes(i))
	if !ok {
		return ""
	}
	return string(sa.AppendText(nil))
}

func findEvent(evs []*event.Event, typ event.Type, tid, pid int32) *event.Event {
	for _, e := range evs {
		if e.Type == typ && e.TID == tid && e.PID == pid {
			return e
		}
	}
	return nil
}

func findFD(evs []*event.Event, pid, fd int32) *event.Event {
	for _, e := range evs {
		if e.Type == event.TypeFDInfo && e.PID == pid && int32(e.Int(0)) == fd {
			return e
		}
	}
	return nil
}

// fdOf returns the fd number of a file, listener or connection.
func fdOf(t *testing.T, v any) int32 {
	t.Helper()
	sc, ok := v.(syscall.Conn)
	if !ok {
		t.Fatalf("%T has no fd", v)
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var fd int32
	rc.Control(func(u uintptr) { fd = int32(u) })
	return fd
}

func TestSnapshotLeavesOutItsOwnWalkFDs(t *testing.T) {
	evs, err := (&Snapshotter{}).Snapshot(1)
	if err != nil {
		t.Fatal(err)
	}
	pid := int32(os.Getpid())
	for _, e := range evs {
		if e.Type == event.TypeFDInfo && e.PID == pid && strings.HasPrefix(string(e.Bytes(3)), "/proc") {
			t.Errorf("this process's fds include a walk fd: %v", e)
		}
	}
}

func TestSnapshotWithAHasherRecordsTheSHA256OfRunningExecutables(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	h := NewExeHasher(ExeHasherConfig{})
	evs, err := (&Snapshotter{Hasher: h}).Snapshot(1)
	if err != nil {
		t.Fatal(err)
	}
	pid := int32(os.Getpid())
	e := findEvent(evs, event.TypeProcInfo, pid, pid)
	if e == nil {
		t.Fatal("no procinfo for this process")
	}
	want := "sha256=" + hex.EncodeToString(sha256Of(b))
	var got string
	event.Strings(e.Bytes(procInfoReplay), func(item []byte) bool {
		if strings.HasPrefix(string(item), "sha256=") {
			got = string(item)
		}
		return true
	})
	if got != want {
		t.Errorf("replay item of this process = %q, want %q", got, want)
	}
	if st := h.Stats(); st.Hashed == 0 || st.Hashed > uint64(len(evs)) {
		t.Errorf("hasher stats after a snapshot: %+v", st)
	}
}

func sha256Of(b []byte) []byte { s := sha256.Sum256(b); return s[:] }

// TestSnapshotWhileProcessesComeAndGoWarnsOfNothing snapshots the machine while
// short-lived processes start and exit: processes, threads and fds vanishing mid-walk
// are normal and must not be reported as problems.
func TestSnapshotWhileProcessesComeAndGoWarnsOfNothing(t *testing.T) {
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			cmd := exec.Command("/bin/sh", "-c", "exec 3</etc/passwd; true")
			cmd.Run()
		}
	}()
	var problems []error
	s := &Snapshotter{Warn: func(err error) {
		if !errors.Is(err, syscall.EACCES) && !errors.Is(err, syscall.EPERM) {
			problems = append(problems, err)
		}
	}}
	vanished := 0
	for range 20 {
		if _, err := s.Snapshot(1); err != nil {
			t.Fatal(err)
		}
		vanished += s.Stats().Vanished
	}
	close(stop)
	<-done
	for _, p := range problems {
		t.Errorf("warning while processes come and go: %v", p)
	}
	t.Logf("%d processes or threads vanished during 20 snapshots", vanished)
}

// TestSnapshotGivesAThreadWithItsOwnFDTableItsOwnFDs unshares the fd table of one
// thread and opens a file there only: the snapshot must mark that thread OWN_FILES and
// list the file under its tid, not under the process.
func TestSnapshotGivesAThreadWithItsOwnFDTableItsOwnFDs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "private")
	os.WriteFile(path, nil, 0o600)
	type ready struct {
		tid, fd int
		err     error
	}
	readyc, release := make(chan ready), make(chan struct{})
	var unshare func()
	unshare = func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		if unix.Gettid() == os.Getpid() {
			// The main thread's table is the process's: keep it busy here and
			// unshare on another thread.
			go unshare()
			<-release
			return
		}
		if err := unix.Unshare(unix.CLONE_FILES); err != nil {
			readyc <- ready{err: err}
			return
		}
		fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		readyc <- ready{unix.Gettid(), fd, err}
		<-release
		unix.Close(fd)
	}
	go unshare()
	r := <-readyc
	defer close(release)
	if r.err != nil {
		t.Skip("cannot unshare the fd table of a thread:", r.err)
	}
	evs, err := (&Snapshotter{}).Snapshot(1)
	if err != nil {
		t.Fatal(err)
	}
	pid, tid := int32(os.Getpid()), int32(r.tid)
	pi := findEvent(evs, event.TypeProcInfo, tid, pid)
	if pi == nil {
		t.Fatalf("no procinfo for thread %d", tid)
	}
	if replay := string(event.AppendStrings(nil, pi.Bytes(procInfoReplay), ' ')); !strings.Contains(replay, "state=OWN_FILES") {
		t.Errorf("replay of the thread = %q, want state=OWN_FILES", replay)
	}
	var underThread, underProcess bool
	for _, e := range evs {
		if e.Type == event.TypeFDInfo && e.PID == pid && string(e.Bytes(3)) == path {
			underThread = underThread || e.TID == tid
			underProcess = underProcess || e.TID == pid
		}
	}
	if !underThread || underProcess {
		t.Errorf("the private file is listed under the thread: %v, under the process: %v; want only the thread", underThread, underProcess)
	}
	if other := findEvent(evs, event.TypeProcInfo, pid, pid); other != nil &&
		strings.Contains(string(other.Bytes(procInfoReplay)), "OWN_FILES") {
		t.Error("the main thread is marked OWN_FILES too")
	}
}

// TestSnapshotFindsAThreadWhoseNameHidesANewline names a thread "x) R 1\nfake (y" with
// prctl: a line-based reader of /proc/PID/stat would lose or misread it.
func TestSnapshotFindsAThreadWhoseNameHidesANewline(t *testing.T) {
	const name = "x) R 1\nfake (y"
	tidc, release := make(chan int), make(chan struct{})
	defer close(release)
	go func() {
		runtime.LockOSThread() // never unlocked: the renamed thread ends with the goroutine
		b := append([]byte(name), 0)
		unix.Prctl(unix.PR_SET_NAME, uintptr(unsafe.Pointer(&b[0])), 0, 0, 0)
		tidc <- unix.Gettid()
		<-release
	}()
	tid := int32(<-tidc)
	var problems []error
	evs, err := (&Snapshotter{Warn: func(err error) { problems = append(problems, err) }}).Snapshot(1)
	if err != nil {
		t.Fatal(err)
	}
	e := findEvent(evs, event.TypeProcInfo, tid, int32(os.Getpid()))
	if e == nil {
		t.Fatalf("no procinfo for the renamed thread %d; warnings: %v", tid, problems)
	}
	if got := string(e.Bytes(1)); got != name {
		t.Errorf("comm = %q, want %q", got, name)
	}
}
