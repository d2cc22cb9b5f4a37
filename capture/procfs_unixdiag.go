package capture

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"syscall"
)

// Netlink and sock_diag constants (linux/netlink.h, linux/sock_diag.h, linux/unix_diag.h).
const (
	nlmsgHdrLen      = 16
	nlmsgError       = 2
	nlmsgDone        = 3
	sockDiagByFamily = 20
	unixDiagMsgLen   = 16 // struct unix_diag_msg
	unixDiagName     = 0  // UNIX_DIAG_NAME attribute: the bound name, raw bytes
	unixDiagPeer     = 2  // UNIX_DIAG_PEER attribute: the peer's inode, u32
	udiagShowName    = 1  // UDIAG_SHOW_NAME
	udiagShowPeer    = 4  // UDIAG_SHOW_PEER
	maxUnixName      = 108
)

// Socket states as sock_diag reports them for unix sockets (sk_state).
const (
	diagEstablished = 1
	diagListen      = 10
)

// unixDiag is what sock_diag tells of the unix sockets of one network namespace. It is
// read from the kernel's binary answer, not from /proc/net/unix, whose text lines a
// socket bound to a path holding a newline can forge.
type unixDiag struct {
	socks map[uint64]*sockInfo
	peers map[uint64]uint64
}

func newUnixDiag() *unixDiag {
	return &unixDiag{socks: make(map[uint64]*sockInfo), peers: make(map[uint64]uint64)}
}

// parseUnixDiag reads one buffer of a SOCK_DIAG_BY_FAMILY dump of unix sockets, a
// sequence of netlink messages:
//
//	struct nlmsghdr { u32 len; u16 type; u16 flags; u32 seq; u32 pid; }   16 bytes
//	struct unix_diag_msg { u8 family, type, state, pad; u32 ino; u32 cookie[2]; }
//	struct rtattr { u16 len; u16 type; } + data, padded to 4
//	    UNIX_DIAG_NAME: the name (abstract names start with NUL); UNIX_DIAG_PEER: u32 ino
//
// done is true at NLMSG_DONE; a NLMSG_ERROR message is returned as an error. Lengths
// are checked against the buffer before use: the parser never reads past it.
func (d *unixDiag) parse(b []byte) (done bool, err error) {
	for off := 0; len(b)-off >= nlmsgHdrLen; {
		n := int(binary.NativeEndian.Uint32(b[off:]))
		typ := binary.NativeEndian.Uint16(b[off+4:])
		if n < nlmsgHdrLen || n > len(b)-off {
			return false, fmt.Errorf("netlink message at offset %d: length %d outside the %d-byte buffer", off, n, len(b))
		}
		msg := b[off+nlmsgHdrLen : off+n]
		switch typ {
		case nlmsgDone:
			return true, nil
		case nlmsgError:
			if len(msg) >= 4 {
				if errno := int32(binary.NativeEndian.Uint32(msg)); errno != 0 {
					return false, fmt.Errorf("dump unix sockets: %w", syscall.Errno(-errno))
				}
			}
		case sockDiagByFamily:
			d.parseMsg(msg)
		}
		off += (n + 3) &^ 3
	}
	return false, nil
}

// parseMsg reads one unix_diag_msg and its attributes.
func (d *unixDiag) parseMsg(msg []byte) {
	if len(msg) < unixDiagMsgLen {
		return
	}
	ino := uint64(binary.NativeEndian.Uint32(msg[4:]))
	s := &sockInfo{Type: fdUnix, State: 1, Listen: msg[2] == diagListen}
	if msg[2] == diagEstablished {
		s.State = unixConnected
	}
	for attrs := msg[unixDiagMsgLen:]; len(attrs) >= 4; {
		alen := int(binary.NativeEndian.Uint16(attrs))
		if alen < 4 || alen > len(attrs) {
			break
		}
		d.attr(ino, s, binary.NativeEndian.Uint16(attrs[2:]), attrs[4:alen])
		attrs = attrs[min((alen+3)&^3, len(attrs)):]
	}
	d.socks[ino] = s
}

func (d *unixDiag) attr(ino uint64, s *sockInfo, typ uint16, data []byte) {
	switch {
	case typ == unixDiagName && len(data) > 0 && len(data) <= maxUnixName:
		if data[0] != 0 { // a path: the binder may have counted its terminating NUL
			data = bytes.TrimRight(data, "\x00")
		}
		s.Path = append([]byte(nil), data...)
	case typ == unixDiagPeer && len(data) >= 4:
		if peer := uint64(binary.NativeEndian.Uint32(data)); peer != 0 {
			d.peers[ino] = peer
		}
	}
}

// addTo puts the unix sockets into t, with the name of each connected socket's peer:
// the client end of a connection to /run/docker.sock gets /run/docker.sock. An inode
// already in t (from another table) is left alone.
func (d *unixDiag) addTo(t sockTable) {
	for ino, s := range d.socks {
		if t[ino] == nil {
			t[ino] = s
		}
	}
	for ino, peer := range d.peers {
		s, p := d.socks[ino], d.socks[peer]
		if s != nil && p != nil && len(p.Path) > 0 {
			s.PeerPath = p.Path
		}
	}
}
