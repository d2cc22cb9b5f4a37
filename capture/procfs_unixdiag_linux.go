package capture

import (
	"encoding/binary"
	"fmt"
	"runtime"

	"golang.org/x/sys/unix"
)

// readUnixDiag asks the kernel (sock_diag) for every unix socket of the network
// namespace at nsPath ("/proc/PID/ns/net"), with its name and its peer. The netlink
// socket is made inside that namespace (setns on a locked OS thread, then back), since
// sock_diag only answers about its own namespace.
func readUnixDiag(nsPath string) (*unixDiag, error) {
	fd, err := netlinkIn(nsPath)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	if err := unix.Sendto(fd, unixDiagRequest(), 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return nil, fmt.Errorf("send sock_diag request: %w", err)
	}
	d := newUnixDiag()
	buf := make([]byte, 64<<10)
	for {
		n, _, err := unix.Recvfrom(fd, buf, 0)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read sock_diag answer: %w", err)
		}
		done, err := d.parse(buf[:n])
		if err != nil {
			return nil, err
		}
		if done || n == 0 {
			return d, nil
		}
	}
}

// unixDiagRequest is a dump request of every unix socket with its name and peer:
// nlmsghdr then
// struct unix_diag_req { u8 family, protocol; u16 pad; u32 states, ino, show; u32 cookie[2]; }.
func unixDiagRequest() []byte {
	b := make([]byte, nlmsgHdrLen+24)
	binary.NativeEndian.PutUint32(b, uint32(len(b)))
	binary.NativeEndian.PutUint16(b[4:], sockDiagByFamily)
	binary.NativeEndian.PutUint16(b[6:], unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
	binary.NativeEndian.PutUint32(b[8:], 1)
	b[16] = unix.AF_UNIX
	binary.NativeEndian.PutUint32(b[20:], 0xffffffff) // every state
	binary.NativeEndian.PutUint32(b[28:], udiagShowName|udiagShowPeer)
	return b
}

// netlinkIn opens a NETLINK_SOCK_DIAG socket in the network namespace at nsPath.
func netlinkIn(nsPath string) (int, error) {
	ns, err := unix.Open(nsPath, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	defer unix.Close(ns)
	var target, self unix.Stat_t
	if err := unix.Fstat(ns, &target); err != nil {
		return -1, err
	}
	if unix.Stat("/proc/thread-self/ns/net", &self) == nil && self.Ino == target.Ino && self.Dev == target.Dev {
		return openSockDiag()
	}
	runtime.LockOSThread()
	back, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		runtime.UnlockOSThread()
		return -1, err
	}
	defer unix.Close(back)
	if err := unix.Setns(ns, unix.CLONE_NEWNET); err != nil {
		runtime.UnlockOSThread()
		return -1, fmt.Errorf("enter network namespace %s: %w", nsPath, err)
	}
	fd, err := openSockDiag()
	if unix.Setns(back, unix.CLONE_NEWNET) != nil {
		// The thread stays in the other namespace: leave it locked so that it ends
		// with this goroutine instead of running other code.
		return fd, err
	}
	runtime.UnlockOSThread()
	return fd, err
}

func openSockDiag() (int, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, unix.NETLINK_SOCK_DIAG)
	if err != nil {
		return -1, fmt.Errorf("open sock_diag socket: %w", err)
	}
	return fd, nil
}
