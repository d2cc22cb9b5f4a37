package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
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

	"golang.org/x/sys/unix"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
)

// The test binary is re-executed as the recorded workloads (and, for the signal
// tests, as the recorder itself), selected by SYSCAM_TEST_CHILD.
func TestMain(m *testing.M) {
	switch os.Getenv("SYSCAM_TEST_CHILD") {
	case "":
		os.Exit(m.Run())
	case "workload":
		os.Exit(workload())
	case "memfdexec":
		os.Exit(memfdExec())
	case "memfdwork":
		os.Exit(memfdWorkload())
	case "handle":
		os.Exit(handleWorkload())
	case "peer":
		os.Exit(peerWorkload())
	case "getppid":
		n, _ := strconv.Atoi(os.Getenv("SYSCAM_TEST_N"))
		for range n {
			syscall.RawSyscall(syscall.SYS_GETPPID, 0, 0, 0)
		}
		os.Exit(0)
	case "urandom":
		// Reads random bytes (incompressible payloads) for 10 seconds.
		f, _ := os.Open("/dev/urandom")
		buf := make([]byte, 8192)
		for end := time.Now().Add(10 * time.Second); time.Now().Before(end); {
			f.Read(buf)
		}
		os.Exit(0)
	case "accept":
		// Blocks in accept(2) on a listening socket until killed.
		fd, _ := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
		unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}})
		unix.Listen(fd, 1)
		sys(unix.SYS_ACCEPT, uintptr(fd), 0, 0)
		os.Exit(0)
	case "record":
		err := run(os.Args[1:], os.Stdout, os.Stderr)
		var ee exitError
		if errors.As(err, &ee) {
			os.Exit(int(ee))
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "record:", err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	fmt.Fprintln(os.Stderr, "unknown SYSCAM_TEST_CHILD")
	os.Exit(3)
}

func requireRecorder(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to load eBPF programs")
	}
	if _, err := os.Stat("/sys/kernel/btf/vmlinux"); err != nil {
		t.Skip("needs kernel BTF at /sys/kernel/btf/vmlinux")
	}
}

// report is what the workload tells the test about the values it met.
type report struct {
	PID, TID        int
	Dir             string
	Path, Path2     string
	FD1, FD2        int
	Dev, Ino        uint64
	Data            string
	Pipe            [2]int
	TCP, UDP        int
	Port            int
	TCPLocal        string
	UDPAddr         string
	Mmap            uint64
	TruePID         int
	SevenPID        int
	SleepPID        int
	NoSuchPID       int
	Pipe2           [2]int
	TL, TC, TA      int // TCP listener, client, accepted
	TLAddr, TCAddr  string
	UL, UC, UA      int    // unix listener, client, accepted
	SP              [2]int // socketpair
	Passed, Got     int    // fd passed with SCM_RIGHTS, and as received
	UDP2            int
	UDP2Addr        string
	ListenerAccepts bool
}

const knownData = "known bytes: syscam e2e\n"

func sys(nr uintptr, a ...uintptr) (uintptr, syscall.Errno) {
	var x [6]uintptr
	copy(x[:], a)
	r, _, e := syscall.Syscall6(nr, x[0], x[1], x[2], x[3], x[4], x[5])
	return r, e
}

func str(s string) uintptr { p, _ := syscall.BytePtrFromString(s); return uintptr(unsafe.Pointer(p)) }

// workload makes known syscalls with raw system calls on one locked thread and writes
// what it saw to $SYSCAM_REPORT.
func workload() int {
	runtime.LockOSThread()
	rep := report{PID: os.Getpid(), TID: unix.Gettid(), Dir: os.Getenv("SYSCAM_DIR")}
	rep.Port, _ = strconv.Atoi(os.Getenv("SYSCAM_PORT"))
	if err := rep.files(); err != nil {
		fmt.Fprintln(os.Stderr, "workload files:", err)
		return 1
	}
	if err := rep.network(); err != nil {
		fmt.Fprintln(os.Stderr, "workload network:", err)
		return 1
	}
	if err := rep.processes(); err != nil {
		fmt.Fprintln(os.Stderr, "workload processes:", err)
		return 1
	}
	b, _ := json.Marshal(rep)
	if err := os.WriteFile(os.Getenv("SYSCAM_REPORT"), b, 0o600); err != nil {
		return 1
	}
	return 0
}

func (r *report) files() error {
	r.Path = filepath.Join(r.Dir, fmt.Sprintf("syscam-e2e-%d.txt", r.PID))
	r.Path2 = r.Path + ".renamed"
	fd, e := sys(unix.SYS_OPENAT, uintptr(unix.AT_FDCWD&0xffffffff), str(r.Path), unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC|unix.O_CLOEXEC, 0o640)
	if e != 0 {
		return e
	}
	r.FD1 = int(fd)
	var st unix.Stat_t
	unix.Fstat(r.FD1, &st)
	r.Dev, r.Ino = st.Dev, st.Ino
	data := []byte(knownData)
	sys(unix.SYS_WRITE, fd, uintptr(unsafe.Pointer(&data[0])), uintptr(len(data)))
	sys(unix.SYS_CLOSE, fd)
	sys(unix.SYS_CHMOD, str(r.Path), 0o600)
	fd, e = sys(unix.SYS_OPEN, str(r.Path), unix.O_RDONLY, 0)
	if e != 0 {
		return e
	}
	r.FD2 = int(fd)
	buf := make([]byte, 64)
	n, _ := sys(unix.SYS_READ, fd, uintptr(unsafe.Pointer(&buf[0])), 64)
	r.Data = string(buf[:n])
	sys(unix.SYS_CLOSE, fd)
	sys(unix.SYS_RENAME, str(r.Path), str(r.Path2))
	sys(unix.SYS_UNLINK, str(r.Path2))
	sys(unix.SYS_MKDIR, str(r.Dir+"/d"), 0o750)
	sys(unix.SYS_RMDIR, str(r.Dir+"/d"))
	sys(unix.SYS_SYMLINK, str("/etc/hostname"), str(r.Dir+"/link"))
	sys(unix.SYS_UNLINK, str(r.Dir+"/link"))
	var p [2]int32
	sys(unix.SYS_PIPE, uintptr(unsafe.Pointer(&p[0])))
	r.Pipe = [2]int{int(p[0]), int(p[1])}
	sys(unix.SYS_DUP2, uintptr(p[0]), 100)
	sys(unix.SYS_CLOSE, 100)
	sys(unix.SYS_CLOSE, uintptr(p[0]))
	sys(unix.SYS_CLOSE, uintptr(p[1]))
	return nil
}

func sockaddr4(port int) (unix.RawSockaddrInet4, uintptr) {
	sa := unix.RawSockaddrInet4{Family: unix.AF_INET, Addr: [4]byte{127, 0, 0, 1}}
	sa.Port = uint16(port>>8) | uint16(port&0xff)<<8
	return sa, unsafe.Sizeof(sa)
}

func (r *report) network() error {
	s, e := sys(unix.SYS_SOCKET, unix.AF_INET, unix.SOCK_STREAM, 0)
	if e != 0 {
		return e
	}
	r.TCP = int(s)
	sa, l := sockaddr4(r.Port)
	if _, e := sys(unix.SYS_CONNECT, s, uintptr(unsafe.Pointer(&sa)), l); e != 0 {
		return fmt.Errorf("connect: %w", e)
	}
	local, _ := unix.Getsockname(int(s))
	r.TCPLocal = netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), uint16(local.(*unix.SockaddrInet4).Port)).String()
	ping := []byte("ping")
	sys(unix.SYS_SENDTO, s, uintptr(unsafe.Pointer(&ping[0])), 4, 0, 0, 0)
	sys(unix.SYS_CLOSE, s)
	u, e := sys(unix.SYS_SOCKET, unix.AF_INET, unix.SOCK_DGRAM, 0)
	if e != 0 {
		return e
	}
	r.UDP = int(u)
	sa, l = sockaddr4(0)
	sys(unix.SYS_BIND, u, uintptr(unsafe.Pointer(&sa)), l)
	self, _ := unix.Getsockname(int(u))
	port := self.(*unix.SockaddrInet4).Port
	r.UDPAddr = fmt.Sprintf("127.0.0.1:%d", port)
	sa, l = sockaddr4(port)
	msg := []byte("udp-hello")
	sys(unix.SYS_SENDTO, u, uintptr(unsafe.Pointer(&msg[0])), uintptr(len(msg)), 0, uintptr(unsafe.Pointer(&sa)), l)
	buf := make([]byte, 64)
	var from unix.RawSockaddrInet4
	fromLen := uint32(unsafe.Sizeof(from))
	sys(unix.SYS_RECVFROM, u, uintptr(unsafe.Pointer(&buf[0])), 64, 0, uintptr(unsafe.Pointer(&from)), uintptr(unsafe.Pointer(&fromLen)))
	sys(unix.SYS_CLOSE, u)
	return r.vectors()
}

// vectors makes the calls whose data is scattered: writev/readv on a pipe, sendmsg and
// recvmsg on a UDP socket.
func (r *report) vectors() error {
	var p [2]int32
	if _, e := sys(unix.SYS_PIPE2, uintptr(unsafe.Pointer(&p[0])), unix.O_CLOEXEC); e != 0 {
		return e
	}
	r.Pipe2 = [2]int{int(p[0]), int(p[1])}
	a, b := []byte("ab"), []byte("cde")
	out := []unix.Iovec{{Base: &a[0], Len: 2}, {Base: &b[0], Len: 3}}
	sys(unix.SYS_WRITEV, uintptr(p[1]), uintptr(unsafe.Pointer(&out[0])), 2)
	x, y := make([]byte, 3), make([]byte, 8)
	in := []unix.Iovec{{Base: &x[0], Len: 3}, {Base: &y[0], Len: 8}}
	sys(unix.SYS_READV, uintptr(p[0]), uintptr(unsafe.Pointer(&in[0])), 2)
	sys(unix.SYS_CLOSE, uintptr(p[0]))
	sys(unix.SYS_CLOSE, uintptr(p[1]))
	u, e := sys(unix.SYS_SOCKET, unix.AF_INET, unix.SOCK_DGRAM, 0)
	if e != 0 {
		return e
	}
	r.UDP2 = int(u)
	sa, l := sockaddr4(0)
	sys(unix.SYS_BIND, u, uintptr(unsafe.Pointer(&sa)), l)
	self, _ := unix.Getsockname(int(u))
	port := self.(*unix.SockaddrInet4).Port
	r.UDP2Addr = fmt.Sprintf("127.0.0.1:%d", port)
	sa, l = sockaddr4(port)
	msg := []byte("msg-hello")
	iov := unix.Iovec{Base: &msg[0], Len: uint64(len(msg))}
	hdr := unix.Msghdr{Name: (*byte)(unsafe.Pointer(&sa)), Namelen: uint32(l), Iov: &iov, Iovlen: 1}
	sys(unix.SYS_SENDMSG, u, uintptr(unsafe.Pointer(&hdr)), 0)
	buf := make([]byte, 64)
	var from unix.RawSockaddrInet4
	riov := unix.Iovec{Base: &buf[0], Len: 64}
	rhdr := unix.Msghdr{Name: (*byte)(unsafe.Pointer(&from)), Namelen: uint32(unsafe.Sizeof(from)), Iov: &riov, Iovlen: 1}
	sys(unix.SYS_RECVMSG, u, uintptr(unsafe.Pointer(&rhdr)), 0)
	sys(unix.SYS_CLOSE, u)
	return r.accepts()
}

// accepts connects to listeners of its own, TCP and unix, and accepts the connections.
func (r *report) accepts() error {
	r.TL, _ = unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	unix.Bind(r.TL, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}})
	unix.Listen(r.TL, 1)
	la, _ := unix.Getsockname(r.TL)
	r.TLAddr = fmt.Sprintf("127.0.0.1:%d", la.(*unix.SockaddrInet4).Port)
	r.TC, _ = unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err := unix.Connect(r.TC, la); err != nil {
		return err
	}
	ca, _ := unix.Getsockname(r.TC)
	r.TCAddr = fmt.Sprintf("127.0.0.1:%d", ca.(*unix.SockaddrInet4).Port)
	a, _ := sys(unix.SYS_ACCEPT4, uintptr(r.TL), 0, 0, unix.SOCK_CLOEXEC)
	r.TA = int(a)
	for _, fd := range []int{r.TA, r.TC, r.TL} {
		unix.Close(fd)
	}
	path := r.Dir + "/sock"
	r.UL, _ = unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	unix.Bind(r.UL, &unix.SockaddrUnix{Name: path})
	unix.Listen(r.UL, 1)
	r.UC, _ = unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err := unix.Connect(r.UC, &unix.SockaddrUnix{Name: path}); err != nil {
		return err
	}
	a, _ = sys(unix.SYS_ACCEPT4, uintptr(r.UL), 0, 0, 0)
	r.UA = int(a)
	for _, fd := range []int{r.UA, r.UC, r.UL} {
		unix.Close(fd)
	}
	return r.passFD()
}

// passFD sends an fd over a socketpair with SCM_RIGHTS and receives it.
func (r *report) passFD() error {
	var sp [2]int32
	if _, e := sys(unix.SYS_SOCKETPAIR, unix.AF_UNIX, unix.SOCK_DGRAM, 0, uintptr(unsafe.Pointer(&sp[0]))); e != 0 {
		return e
	}
	r.SP = [2]int{int(sp[0]), int(sp[1])}
	var err error
	if r.Passed, err = unix.Open("/dev/null", unix.O_RDONLY, 0); err != nil {
		return err
	}
	if err := unix.Sendmsg(r.SP[0], []byte("fd"), unix.UnixRights(r.Passed), nil, 0); err != nil {
		return err
	}
	buf, oob := make([]byte, 8), make([]byte, 64)
	_, oobn, _, _, err := unix.Recvmsg(r.SP[1], buf, oob, 0)
	if err != nil {
		return err
	}
	msgs, _ := unix.ParseSocketControlMessage(oob[:oobn])
	fds, _ := unix.ParseUnixRights(&msgs[0])
	r.Got = fds[0]
	for _, fd := range []int{r.Got, r.Passed, r.SP[0], r.SP[1]} {
		unix.Close(fd)
	}
	return nil
}

func (r *report) processes() error {
	sys(unix.SYS_SETUID, 0xffffffff)
	r.NoSuchPID = 0x3ffffff0
	sys(unix.SYS_PTRACE, unix.PTRACE_ATTACH, uintptr(r.NoSuchPID), 0, 0)
	addr, _ := sys(unix.SYS_MMAP, 0, 4096, unix.PROT_READ|unix.PROT_EXEC, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS, ^uintptr(0), 0)
	r.Mmap = uint64(addr)
	sys(unix.SYS_MUNMAP, addr, 4096)
	exec.Command("/nonexistent/syscam-missing", "missing-arg").Run() // a failed execve
	t := exec.Command("/bin/true", "syscam-known-arg")
	if err := t.Run(); err != nil {
		return err
	}
	r.TruePID = t.Process.Pid
	seven := exec.Command("/bin/sh", "-c", "exit 7")
	if err := seven.Run(); err == nil {
		return fmt.Errorf("sh -c 'exit 7' succeeded")
	}
	r.SevenPID = seven.Process.Pid
	sl := exec.Command("/bin/sleep", "30")
	if err := sl.Start(); err != nil {
		return err
	}
	r.SleepPID = sl.Process.Pid
	sys(unix.SYS_KILL, uintptr(r.SleepPID), uintptr(unix.SIGKILL))
	sl.Wait()
	return nil
}

// expectation is one event the trace must hold: its type, thread, return value and
// the named parameters.
type expectation struct {
	e     *event.Event
	names []string
}

func (x expectation) String() string { return render(x.e, x.names) }

// expect builds an expectation; kv alternates parameter names and values (int, uint64,
// string, []byte, netip.AddrPort).
func expect(name string, pid, tid int, ret int64, kv ...any) expectation {
	t, ok := event.ByName(name)
	if !ok {
		panic("unknown event " + name)
	}
	e := &event.Event{Type: t, PID: int32(pid), TID: int32(tid), Ret: ret}
	var names []string
	for i := 0; i < len(kv); i += 2 {
		n := kv[i].(string)
		idx := e.Param(n)
		if idx < 0 {
			panic(name + " has no parameter " + n)
		}
		names = append(names, n)
		switch v := kv[i+1].(type) {
		case int:
			e.SetInt(idx, uint64(v))
		case uint64:
			e.SetInt(idx, v)
		case string:
			e.SetString(idx, v)
		case []byte:
			e.SetBytes(idx, v, uint32(len(v)))
		case netip.AddrPort:
			e.SetBytes(idx, event.AppendSockAddrInet(nil, v), 0)
		case unixAddr:
			e.SetBytes(idx, event.AppendSockAddrUnix(nil, []byte(v)), 0)
		}
	}
	return expectation{e: e, names: names}
}

// unixAddr is the socket address encoding of a unix path.
type unixAddr string

// render shows an event as pid/tid name ret and the named parameters.
func render(e *event.Event, names []string) string {
	b := fmt.Appendf(nil, "%d/%d %s ret=%d", e.PID, e.TID, e.Name(), e.Ret)
	for _, n := range names {
		i := e.Param(n)
		b = append(b, ' ')
		b = append(b, n...)
		b = append(b, '=')
		if i >= 0 && i < int(e.NParams) {
			b = e.AppendParam(b, i)
		}
	}
	return string(b)
}

func (r *report) expectations(t *testing.T) []expectation {
	p, d := r.PID, r.TID
	ap := netip.MustParseAddrPort
	server := ap(fmt.Sprintf("127.0.0.1:%d", r.Port))
	udp := ap(r.UDPAddr)
	trueExe, err := filepath.EvalSymlinks("/bin/true")
	if err != nil {
		t.Fatal(err)
	}
	return []expectation{
		expect("openat", p, d, int64(r.FD1), "dirfd", -100, "name", r.Path, "flags", unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC|unix.O_CLOEXEC, "mode", 0o640, "dev", r.Dev, "ino", r.Ino),
		expect("write", p, d, int64(len(knownData)), "fd", r.FD1, "data", knownData, "size", len(knownData)),
		expect("close", p, d, 0, "fd", r.FD1),
		expect("chmod", p, d, 0, "path", r.Path, "mode", 0o600),
		expect("open", p, d, int64(r.FD2), "name", r.Path, "flags", unix.O_RDONLY, "mode", 0, "dev", r.Dev, "ino", r.Ino),
		expect("read", p, d, int64(len(knownData)), "fd", r.FD2, "data", knownData, "size", 64),
		expect("close", p, d, 0, "fd", r.FD2),
		expect("rename", p, d, 0, "oldpath", r.Path, "newpath", r.Path2),
		expect("unlink", p, d, 0, "path", r.Path2),
		expect("mkdir", p, d, 0, "path", r.Dir+"/d", "mode", 0o750),
		expect("rmdir", p, d, 0, "path", r.Dir+"/d"),
		expect("symlink", p, d, 0, "target", "/etc/hostname", "linkpath", r.Dir+"/link"),
		expect("unlink", p, d, 0, "path", r.Dir+"/link"),
		expect("pipe", p, d, 0, "fd1", r.Pipe[0], "fd2", r.Pipe[1]),
		expect("dup2", p, d, 100, "fd", r.Pipe[0], "newfd", 100),
		expect("close", p, d, 0, "fd", 100),
		expect("socket", p, d, int64(r.TCP), "domain", unix.AF_INET, "type", unix.SOCK_STREAM, "proto", 0),
		expect("connect", p, d, 0, "fd", r.TCP, "addr", server, "local", ap(r.TCPLocal), "remote", server),
		expect("sendto", p, d, 4, "fd", r.TCP, "data", "ping", "size", 4, "addr", server, "addr_src", 1),
		expect("close", p, d, 0, "fd", r.TCP),
		expect("socket", p, d, int64(r.UDP), "domain", unix.AF_INET, "type", unix.SOCK_DGRAM, "proto", 0),
		expect("bind", p, d, 0, "fd", r.UDP, "addr", ap("127.0.0.1:0")),
		expect("sendto", p, d, 9, "fd", r.UDP, "data", "udp-hello", "size", 9, "addr", udp),
		expect("recvfrom", p, d, 9, "fd", r.UDP, "data", "udp-hello", "size", 64, "addr", udp),
		expect("close", p, d, 0, "fd", r.UDP),
		expect("pipe2", p, d, 0, "fd1", r.Pipe2[0], "fd2", r.Pipe2[1], "flags", unix.O_CLOEXEC),
		expect("writev", p, d, 5, "fd", r.Pipe2[1], "data", "abcde", "size", 5),
		expect("readv", p, d, 5, "fd", r.Pipe2[0], "data", "abcde", "size", 5),
		expect("socket", p, d, int64(r.UDP2), "domain", unix.AF_INET, "type", unix.SOCK_DGRAM, "proto", 0),
		expect("sendmsg", p, d, 9, "fd", r.UDP2, "data", "msg-hello", "size", 9, "addr", ap(r.UDP2Addr)),
		expect("recvmsg", p, d, 9, "fd", r.UDP2, "data", "msg-hello", "size", 9, "addr", ap(r.UDP2Addr)),
		expect("close", p, d, 0, "fd", r.UDP2),
		expect("accept4", p, d, int64(r.TA), "fd", r.TL, "flags", unix.SOCK_CLOEXEC, "local", ap(r.TLAddr), "remote", ap(r.TCAddr)),
		expect("connect", p, d, 0, "fd", r.UC, "addr", unixAddr(r.Dir+"/sock"), "local", "", "remote", unixAddr(r.Dir+"/sock")),
		expect("accept4", p, d, int64(r.UA), "fd", r.UL, "flags", 0, "local", unixAddr(r.Dir+"/sock"), "remote", ""),
		expect("socketpair", p, d, 0, "domain", unix.AF_UNIX, "type", unix.SOCK_DGRAM, "proto", 0, "fd1", r.SP[0], "fd2", r.SP[1]),
		expect("recvmsg", p, d, 2, "fd", r.SP[1], "data", "fd", "size", 2, "fds", binary.LittleEndian.AppendUint32(nil, uint32(r.Got))),
		expect("setuid", p, d, -int64(unix.EINVAL), "uid", uint64(0xffffffff)),
		expect("ptrace", p, d, -int64(unix.ESRCH), "request", unix.PTRACE_ATTACH, "pid", r.NoSuchPID, "addr", 0, "data", 0),
		expect("mmap", p, d, int64(r.Mmap), "addr", 0, "length", 4096, "prot", unix.PROT_READ|unix.PROT_EXEC, "flags", unix.MAP_PRIVATE|unix.MAP_ANONYMOUS, "fd", -1, "offset", 0),
		expect("execve", r.TruePID, r.TruePID, 0, "filename", "/bin/true", "argv", "/bin/true\x00syscam-known-arg\x00", "exepath", trueExe, "comm", "true", "ppid", p),
		expect("procexit", r.TruePID, r.TruePID, 0, "status", 0, "sig", 0),
		expect("procexit", r.SevenPID, r.SevenPID, 0, "status", 7, "sig", 0, "core", 0),
		expect("kill", p, d, 0, "pid", r.SleepPID, "sig", int(unix.SIGKILL)),
		expect("procexit", r.SleepPID, r.SleepPID, 0, "status", 0, "sig", int(unix.SIGKILL)),
	}
}

// readTrace returns every event of a trace file and its footer statistics.
func readTrace(t *testing.T, path string) ([]*event.Event, format.Stats) {
	t.Helper()
	r, err := format.Open(path)
	if err != nil {
		t.Fatalf("open trace: %v", err)
	}
	defer r.Close()
	it := r.Events(format.Selection{})
	defer it.Close()
	var evs []*event.Event
	var e event.Event
	for it.Next(&e) {
		evs = append(evs, e.Clone())
	}
	if err := it.Err(); err != nil {
		t.Fatalf("read events: %v", err)
	}
	return evs, r.Stats()
}

// listener accepts connections on a loopback port and reads what they send.
func listener(t *testing.T) int {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			io.Copy(io.Discard, c)
			c.Close()
		}
	}()
	return l.Addr().(*net.TCPAddr).Port
}

func TestRecordCommandCapturesEveryActionWithItsArguments(t *testing.T) {
	requireRecorder(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "e2e.syscam")
	repPath := filepath.Join(dir, "report.json")
	t.Setenv("SYSCAM_TEST_CHILD", "workload")
	t.Setenv("SYSCAM_DIR", dir)
	t.Setenv("SYSCAM_REPORT", repPath)
	t.Setenv("SYSCAM_PORT", strconv.Itoa(listener(t)))
	if err := run([]string{"-o", out, "--quiet", "--", os.Args[0]}, io.Discard, os.Stderr); err != nil {
		t.Fatalf("record: %v", err)
	}
	os.Unsetenv("SYSCAM_TEST_CHILD")
	var rep report
	b, err := os.ReadFile(repPath)
	if err != nil {
		t.Fatalf("workload report: %v", err)
	}
	json.Unmarshal(b, &rep)
	evs, stats := readTrace(t, out)
	if n := stats.Dropped(); n != 0 {
		t.Errorf("%d events lost", n)
	}
	fi, _ := os.Stat(out)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("trace mode %v, want 0600", fi.Mode().Perm())
	}
	checkSubsequence(t, rep.expectations(t), evs)
	checkOrdered(t, evs)
	checkExeHash(t, evs, rep.TruePID)
	checkFailedExec(t, evs)
	checkInitialState(t, out)
}

// checkFailedExec requires the failed execve of a missing file, with the caller's
// filename and argv read from its memory at exit.
func checkFailedExec(t *testing.T, evs []*event.Event) {
	t.Helper()
	want := "execve ret=-2 filename=/nonexistent/syscam-missing argv=/nonexistent/syscam-missing missing-arg"
	var got []string
	for _, e := range evs {
		if e.Name() == "execve" && e.Ret < 0 {
			s := fmt.Sprintf("execve ret=%d %s", e.Ret, string(e.AppendArgs(nil)))
			if strings.HasPrefix(s, want+" ") {
				return
			}
			got = append(got, s)
		}
	}
	t.Errorf("no failed execve %q; failed execs: %q", want, got)
}

// checkExeHash requires the first exec of /bin/true to carry the file's SHA-256.
func checkExeHash(t *testing.T, evs []*event.Event, pid int) {
	t.Helper()
	exe, _ := filepath.EvalSymlinks("/bin/true")
	b, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256(b)
	for _, e := range evs {
		if e.Name() == "execve" && int(e.PID) == pid {
			if got := e.Bytes(e.Param("sha256")); !bytes.Equal(got, want[:]) {
				t.Errorf("sha256 of %s in its exec event: %x, want %x", exe, got, want)
			}
			return
		}
	}
	t.Errorf("no execve of pid %d", pid)
}

// checkInitialState requires a /proc snapshot with this test process in it.
func checkInitialState(t *testing.T, path string) {
	t.Helper()
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
		if e.Type == event.TypeProcInfo && int(e.PID) == os.Getpid() {
			return
		}
	}
	t.Errorf("the initial state (%d events) lacks the recorder's own process %d", len(st), os.Getpid())
}

// checkSubsequence requires the expectations to appear in the trace in this order.
func checkSubsequence(t *testing.T, want []expectation, evs []*event.Event) {
	t.Helper()
	i := 0
	for _, e := range evs {
		if i < len(want) && render(e, want[i].names) == want[i].String() {
			i++
		}
	}
	if i == len(want) {
		return
	}
	var near []string
	for _, e := range evs {
		if e.Type == want[i].e.Type {
			near = append(near, render(e, want[i].names))
		}
	}
	t.Errorf("%d of %d actions found in order; missing:\n  %s\nevents of that type:\n  %s",
		i, len(want), want[i], strings.Join(near, "\n  "))
}

func checkOrdered(t *testing.T, evs []*event.Event) {
	t.Helper()
	for i := 1; i < len(evs); i++ {
		if evs[i].Time < evs[i-1].Time {
			t.Fatalf("event %d at %d before event %d at %d", i, evs[i].Time, i-1, evs[i-1].Time)
		}
	}
}

// Go's os package probes pidfd support by forking a child that exits at once, at the
// first process start. The recorder runs the probe before its programs are attached;
// otherwise every command-mode trace held a nameless child of the recorder that
// never exec'd. Here /bin/true is the only process started, and it execs.
func TestRecordedCommandTreeHoldsNoChildOfTheRecordersOwn(t *testing.T) {
	requireRecorder(t)
	out := filepath.Join(t.TempDir(), "true.syscam")
	if err := run([]string{"-o", out, "--quiet", "--", "/bin/true"}, os.Stdout, os.Stderr); err != nil {
		t.Fatal(err)
	}
	evs, _ := readTrace(t, out)
	execve, _ := event.ByName("execve")
	seen, execd := map[int32]bool{}, map[int32]bool{}
	for _, e := range evs {
		if e.Flags&event.FlagEnter != 0 || e.Info().Syscall < 0 || e.TID == 0 {
			continue
		}
		seen[e.TID] = true
		if e.Type == execve && e.Ret == 0 {
			execd[e.TID] = true
		}
	}
	for tid := range seen {
		if !execd[tid] {
			t.Errorf("thread %d made syscalls and never exec'd: a child of the recorder's own", tid)
		}
	}
	if len(execd) != 1 {
		t.Errorf("%d threads exec'd; want 1 (/bin/true)", len(execd))
	}
}
