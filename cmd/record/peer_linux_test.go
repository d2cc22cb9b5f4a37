package main

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// peerReport is what the connected-socket workload saw: fds and the addresses of
// both ends, as getsockname reported them.
type peerReport struct {
	PID                      int
	U1, U2                   int    // UDP: U2 connected to U1
	U1Addr, U2Addr           string // host:port
	L, C, A                  int    // TCP listener, client, accepted
	LAddr, CAddr             string
	V1, V2                   int // UDP over ::1: V2 connected to V1
	V1Addr, V2Addr           string
	UL, UC, UA               int // unix stream: listener, client, accepted
	Sock                     string
	Skip6                    bool // no IPv6 loopback here
	UnconnectedRet, SendRet6 int64
}

// Helpers for the raw calls: a NULL address is what the tests are about.
func sendNoAddr(fd int, s string) {
	b := []byte(s)
	sys(unix.SYS_SENDTO, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), 0, 0, 0)
}

func recvNoAddr(fd int) int64 {
	b := make([]byte, 64)
	n, e := sys(unix.SYS_RECVFROM, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), 64, unix.MSG_DONTWAIT, 0, 0)
	if e != 0 {
		return -int64(e)
	}
	return int64(n)
}

func sendmsgNoName(fd int, s string) {
	b := []byte(s)
	iov := unix.Iovec{Base: &b[0], Len: uint64(len(b))}
	hdr := unix.Msghdr{Iov: &iov, Iovlen: 1}
	sys(unix.SYS_SENDMSG, uintptr(fd), uintptr(unsafe.Pointer(&hdr)), 0)
}

// recvmsgName receives with a msg_name buffer when withName is set (a stream socket
// leaves it empty), else with none.
func recvmsgName(fd int, withName bool) {
	b := make([]byte, 64)
	var name [128]byte
	iov := unix.Iovec{Base: &b[0], Len: 64}
	hdr := unix.Msghdr{Iov: &iov, Iovlen: 1}
	if withName {
		hdr.Name, hdr.Namelen = &name[0], uint32(len(name))
	}
	sys(unix.SYS_RECVMSG, uintptr(fd), uintptr(unsafe.Pointer(&hdr)), 0)
}

func inetName(fd int) string {
	sa, _ := unix.Getsockname(fd)
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(a.Addr), uint16(a.Port)).String()
	case *unix.SockaddrInet6:
		return netip.AddrPortFrom(netip.AddrFrom16(a.Addr), uint16(a.Port)).String()
	}
	return ""
}

// peerWorkload sends and receives without naming an address on connected UDP (IPv4
// and IPv6), TCP and unix sockets, and on an unconnected UDP socket.
func peerWorkload() int {
	r := peerReport{PID: os.Getpid(), Sock: filepath.Join(os.Getenv("SYSCAM_DIR"), "peer.sock")}
	lo := &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}
	r.U1, _ = unix.Socket(unix.AF_INET, unix.SOCK_DGRAM, 0)
	r.U2, _ = unix.Socket(unix.AF_INET, unix.SOCK_DGRAM, 0)
	unix.Bind(r.U1, lo)
	unix.Bind(r.U2, lo)
	r.U1Addr, r.U2Addr = inetName(r.U1), inetName(r.U2)
	u1, _ := unix.Getsockname(r.U1)
	if err := unix.Connect(r.U2, u1); err != nil {
		return 1
	}
	sendNoAddr(r.U2, "udp-send")   // to U1: the peer
	recvNoAddr(r.U1)               // U1 is not connected: no address to give
	sendmsgNoName(r.U2, "udp-msg") // to U1: the peer
	recvmsgName(r.U1, true)        // the kernel names U2
	u2, _ := unix.Getsockname(r.U2)
	unix.Sendto(r.U1, []byte("udp-back"), 0, u2)
	recvNoAddr(r.U2) // from U1: the peer
	unix.Sendto(r.U1, []byte("udp-back2"), 0, u2)
	recvmsgName(r.U2, false)            // from U1: the peer
	r.UnconnectedRet = recvNoAddr(r.U1) // nothing queued: EAGAIN, no peer
	if err := r.tcp(); err != nil {
		fmt.Fprintln(os.Stderr, "tcp:", err)
		return 1
	}
	if err := r.unixStream(); err != nil {
		fmt.Fprintln(os.Stderr, "unix:", err)
		return 1
	}
	r.udp6()
	b, _ := json.Marshal(r)
	if os.WriteFile(os.Getenv("SYSCAM_REPORT"), b, 0o600) != nil {
		return 1
	}
	return 0
}

func (r *peerReport) tcp() error {
	r.L, _ = unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	unix.Bind(r.L, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}})
	unix.Listen(r.L, 1)
	la, _ := unix.Getsockname(r.L)
	r.LAddr = inetName(r.L)
	r.C, _ = unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err := unix.Connect(r.C, la); err != nil {
		return err
	}
	r.CAddr = inetName(r.C)
	var err error
	if r.A, _, err = unix.Accept(r.L); err != nil {
		return err
	}
	sendNoAddr(r.C, "tcp-ping")
	recvmsgName(r.A, true) // a stream socket gives no address: the peer instead
	sendmsgNoName(r.A, "tcp-pong")
	recvNoAddr(r.C)
	return nil
}

func (r *peerReport) unixStream() error {
	r.UL, _ = unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err := unix.Bind(r.UL, &unix.SockaddrUnix{Name: r.Sock}); err != nil {
		return err
	}
	unix.Listen(r.UL, 1)
	r.UC, _ = unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err := unix.Connect(r.UC, &unix.SockaddrUnix{Name: r.Sock}); err != nil {
		return err
	}
	var err error
	if r.UA, _, err = unix.Accept(r.UL); err != nil {
		return err
	}
	sendNoAddr(r.UC, "unix-ping") // the peer is the accepted socket, named as the listener
	recvNoAddr(r.UA)              // the client is unnamed: no address
	return nil
}

func (r *peerReport) udp6() {
	lo6 := &unix.SockaddrInet6{Addr: netip.IPv6Loopback().As16()}
	r.V1, _ = unix.Socket(unix.AF_INET6, unix.SOCK_DGRAM, 0)
	r.V2, _ = unix.Socket(unix.AF_INET6, unix.SOCK_DGRAM, 0)
	if unix.Bind(r.V1, lo6) != nil {
		r.Skip6 = true
		return
	}
	r.V1Addr = inetName(r.V1)
	v1, _ := unix.Getsockname(r.V1)
	unix.Connect(r.V2, v1)
	r.V2Addr = inetName(r.V2)
	sendNoAddr(r.V2, "udp6")
}

func TestRecordTakesTheAddressOfAConnectedSocketFromItsPeer(t *testing.T) {
	requireRecorder(t)
	dir := t.TempDir()
	out, repPath := filepath.Join(dir, "peer.syscam"), filepath.Join(dir, "report.json")
	t.Setenv("SYSCAM_TEST_CHILD", "peer")
	t.Setenv("SYSCAM_DIR", dir)
	t.Setenv("SYSCAM_REPORT", repPath)
	if err := run([]string{"-o", out, "--quiet", "--", os.Args[0]}, os.Stderr, os.Stderr); err != nil {
		t.Fatalf("record: %v", err)
	}
	os.Unsetenv("SYSCAM_TEST_CHILD")
	var r peerReport
	b, err := os.ReadFile(repPath)
	if err != nil {
		t.Fatalf("workload report: %v", err)
	}
	json.Unmarshal(b, &r)
	p, ap := r.PID, netip.MustParseAddrPort
	const caller, socket = 0, 1
	want := []expectation{
		expect("sendto", p, p, 8, "fd", r.U2, "data", "udp-send", "addr", ap(r.U1Addr), "addr_src", socket),
		expect("recvfrom", p, p, 8, "fd", r.U1, "data", "udp-send", "addr", "", "addr_src", caller),
		expect("sendmsg", p, p, 7, "fd", r.U2, "data", "udp-msg", "addr", ap(r.U1Addr), "addr_src", socket),
		expect("recvmsg", p, p, 7, "fd", r.U1, "data", "udp-msg", "addr", ap(r.U2Addr), "addr_src", caller),
		expect("sendto", p, p, 8, "fd", r.U1, "data", "udp-back", "addr", ap(r.U2Addr), "addr_src", caller),
		expect("recvfrom", p, p, 8, "fd", r.U2, "data", "udp-back", "addr", ap(r.U1Addr), "addr_src", socket),
		expect("recvmsg", p, p, 9, "fd", r.U2, "data", "udp-back2", "addr", ap(r.U1Addr), "addr_src", socket),
		expect("recvfrom", p, p, r.UnconnectedRet, "fd", r.U1, "data", "", "addr", "", "addr_src", caller),
		expect("sendto", p, p, 8, "fd", r.C, "data", "tcp-ping", "addr", ap(r.LAddr), "addr_src", socket),
		expect("recvmsg", p, p, 8, "fd", r.A, "data", "tcp-ping", "addr", ap(r.CAddr), "addr_src", socket),
		expect("sendmsg", p, p, 8, "fd", r.A, "data", "tcp-pong", "addr", ap(r.CAddr), "addr_src", socket),
		expect("recvfrom", p, p, 8, "fd", r.C, "data", "tcp-pong", "addr", ap(r.LAddr), "addr_src", socket),
		expect("sendto", p, p, 9, "fd", r.UC, "data", "unix-ping", "addr", unixAddr(r.Sock), "addr_src", socket),
		expect("recvfrom", p, p, 9, "fd", r.UA, "data", "unix-ping", "addr", "", "addr_src", caller),
	}
	if r.Skip6 {
		t.Log("no IPv6 loopback: the IPv6 case is not checked")
	} else {
		want = append(want,
			expect("connect", p, p, 0, "fd", r.V2, "addr", ap(r.V1Addr), "local", ap(r.V2Addr), "remote", ap(r.V1Addr)),
			expect("sendto", p, p, 4, "fd", r.V2, "data", "udp6", "addr", ap(r.V1Addr), "addr_src", socket))
	}
	evs, _ := readTrace(t, out)
	checkSubsequence(t, want, evs)
}
