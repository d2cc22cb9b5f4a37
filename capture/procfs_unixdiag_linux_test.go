package capture

import (
	"encoding/binary"
	"github.com/google/go-cmp/cmp"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/syscam/syscam/event"
)

// TestSnapshotNamesThePeerOfAUnixConnection connects to a unix listener and checks
// that the connecting end's remote address is the listener's path.
func TestSnapshotNamesThePeerOfAUnixConnection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "api.sock")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	accepted, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer accepted.Close()
	evs, err := (&Snapshotter{}).Snapshot(1)
	if err != nil {
		t.Fatal(err)
	}
	pid := int32(os.Getpid())
	checkOwnFDs(t, evs, pid, map[string]liveFD{
		"the listener":       {fdOf(t, ln), "unix", path, path, "", "server"},
		"the connecting end": {fdOf(t, client), "unix", "", "", path, "client"},
		"the accepted end":   {fdOf(t, accepted), "unix", path, path, "", "server"},
	})
}

// TestReadUnixPeersEntersAnotherNetworkNamespaceAndComesBack asks sock_diag about a
// fresh network namespace, then about this one: the second answer must still see this
// process's sockets, so the thread went back to its own namespace.
func TestReadUnixPeersEntersAnotherNetworkNamespaceAndComesBack(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("entering a network namespace needs CAP_SYS_ADMIN; not root")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("no unshare command:", err)
	}
	cmd := exec.Command(unshare, "-n", "sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	nsPath := "/proc/" + strconv.Itoa(cmd.Process.Pid) + "/ns/net"
	waitOtherNetns(t, nsPath)

	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fds[0])
	defer syscall.Close(fds[1])
	var st syscall.Stat_t
	syscall.Fstat(fds[0], &st)

	for range 20 { // several times, so that some calls land on reused threads
		other, err := readUnixDiag(nsPath)
		if err != nil {
			t.Fatalf("readUnixDiag(other namespace): %v", err)
		}
		if _, ok := other.socks[st.Ino]; ok {
			t.Fatal("the other namespace lists this process's socket")
		}
		own, err := readUnixDiag("/proc/self/ns/net")
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := own.peers[st.Ino]; !ok {
			t.Fatal("after visiting another namespace, sock_diag no longer sees this process's socketpair")
		}
	}
}

func waitOtherNetns(t *testing.T, nsPath string) {
	t.Helper()
	var self syscall.Stat_t
	syscall.Stat("/proc/self/ns/net", &self)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		var st syscall.Stat_t
		if syscall.Stat(nsPath, &st) == nil && st.Ino != self.Ino {
			return
		}
	}
	t.Fatalf("%s never left this network namespace", nsPath)
}

func TestParseUnixDiagReadsNamesStatesAndPeers(t *testing.T) {
	var b []byte
	b = append(b, diagMsg(100, diagListen, "/run/api.sock\x00", 0)...)
	b = append(b, diagMsg(200, diagEstablished, "/run/api.sock", 300)...)
	b = append(b, diagMsg(300, diagEstablished, "", 200)...)
	b = append(b, diagMsg(400, 7, "\x00abstract", 0)...)
	done := make([]byte, 20)
	binary.NativeEndian.PutUint32(done, 20)
	binary.NativeEndian.PutUint16(done[4:], nlmsgDone)
	b = append(b, done...)
	d := newUnixDiag()
	ok, err := d.parse(b)
	if err != nil || !ok {
		t.Fatalf("parse = %v, %v", ok, err)
	}
	tab := sockTable{300: {Type: fdIPv4}} // an inode of another table is kept
	d.addTo(tab)
	delete(tab, 300)
	tab.assignRoles()
	got := map[uint64]sockInfo{}
	for ino, s := range tab {
		got[ino] = *s
	}
	want := map[uint64]sockInfo{
		100: {Type: fdUnix, State: 1, Path: []byte("/run/api.sock"), Listen: true, Role: roleServer},
		200: {Type: fdUnix, State: unixConnected, Path: []byte("/run/api.sock"), Role: roleServer},
		400: {Type: fdUnix, State: 1, Path: []byte("\x00abstract")},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.AddrPort) bool { return a == b })); diff != "" {
		t.Errorf("unix sockets from sock_diag (-want +got):\n%s", diff)
	}
	bad := diagMsg(1, 1, "", 2)
	binary.NativeEndian.PutUint32(bad, 1000)
	if _, err := newUnixDiag().parse(bad); err == nil {
		t.Error("a message longer than its buffer was accepted")
	}
}

// diagMsg encodes a sock_diag answer for one unix socket: its state, name and peer
// (none when empty or 0).
func diagMsg(ino uint32, state uint8, name string, peer uint32) []byte {
	b := make([]byte, nlmsgHdrLen+unixDiagMsgLen, 256)
	binary.NativeEndian.PutUint16(b[4:], sockDiagByFamily)
	b[nlmsgHdrLen] = event.AFUnix
	b[nlmsgHdrLen+2] = state
	binary.NativeEndian.PutUint32(b[nlmsgHdrLen+4:], ino)
	attr := func(typ uint16, data []byte) {
		a := make([]byte, (4+len(data)+3)&^3)
		binary.NativeEndian.PutUint16(a, uint16(4+len(data)))
		binary.NativeEndian.PutUint16(a[2:], typ)
		copy(a[4:], data)
		b = append(b, a...)
	}
	if name != "" {
		attr(unixDiagName, []byte(name))
	}
	if peer != 0 {
		attr(unixDiagPeer, binary.NativeEndian.AppendUint32(nil, peer))
	}
	binary.NativeEndian.PutUint32(b, uint32(len(b)))
	return b
}

// TestSnapshotCannotBeFooledByAForgedUnixLine binds an abstract unix socket whose name
// holds a newline and a forged /proc/net/unix line claiming the inode of this process's
// TCP listener: the listener must stay a TCP listener.
func TestSnapshotCannotBeFooledByAForgedUnixLine(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var st syscall.Stat_t
	if err := syscall.Fstat(int(fdOf(t, ln)), &st); err != nil {
		t.Fatal(err)
	}
	forged := "\x00x\n0000000000000000: 00000002 00000000 00010000 0001 01 " + strconv.FormatUint(st.Ino, 10) + " /run/fake.sock"
	u, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: forged, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	evs, err := (&Snapshotter{}).Snapshot(1)
	if err != nil {
		t.Fatal(err)
	}
	checkOwnFDs(t, evs, int32(os.Getpid()), map[string]liveFD{
		"the TCP listener": {fdOf(t, ln), "ipv4", "", ln.Addr().String(), "", "server"},
	})
}
