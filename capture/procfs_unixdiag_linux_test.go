package capture

import (
	"encoding/binary"
	"net"
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
		other, err := readUnixPeers(nsPath)
		if err != nil {
			t.Fatalf("readUnixPeers(other namespace): %v", err)
		}
		if _, ok := other[st.Ino]; ok {
			t.Fatal("the other namespace lists this process's socket")
		}
		own, err := readUnixPeers("/proc/self/ns/net")
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := own[st.Ino]; !ok {
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

func TestParseUnixDiagReadsPeersAndStopsAtDone(t *testing.T) {
	var b []byte
	b = append(b, diagMsg(100, 200)...)
	b = append(b, diagMsg(200, 100)...)
	b = append(b, diagMsg(300, 0)...)
	done := make([]byte, 20)
	binary.NativeEndian.PutUint32(done, 20)
	binary.NativeEndian.PutUint16(done[4:], nlmsgDone)
	b = append(b, done...)
	peers := make(map[uint64]uint64)
	ok, err := parseUnixDiag(b, peers)
	if err != nil || !ok || len(peers) != 2 || peers[100] != 200 || peers[200] != 100 {
		t.Errorf("parseUnixDiag = %v, %v, peers %v", ok, err, peers)
	}
	bad := diagMsg(1, 2)
	binary.NativeEndian.PutUint32(bad, 1000)
	if _, err := parseUnixDiag(bad, peers); err == nil {
		t.Error("a message longer than its buffer was accepted")
	}
}

// diagMsg encodes a sock_diag answer for one unix socket and its peer (none when 0).
func diagMsg(ino, peer uint32) []byte {
	b := make([]byte, nlmsgHdrLen+unixDiagMsgLen, 64)
	binary.NativeEndian.PutUint16(b[4:], sockDiagByFamily)
	b[nlmsgHdrLen] = event.AFUnix
	binary.NativeEndian.PutUint32(b[nlmsgHdrLen+4:], ino)
	if peer != 0 {
		attr := make([]byte, 8)
		binary.NativeEndian.PutUint16(attr, 8)
		binary.NativeEndian.PutUint16(attr[2:], unixDiagPeer)
		binary.NativeEndian.PutUint32(attr[4:], peer)
		b = append(b, attr...)
	}
	binary.NativeEndian.PutUint32(b, uint32(len(b)))
	return b
}
