package capture

import (
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
	unixDiagPeer     = 2  // UNIX_DIAG_PEER attribute: the peer's inode, u32
	udiagShowPeer    = 4  // UDIAG_SHOW_PEER
)

// parseUnixDiag reads one buffer of a SOCK_DIAG_BY_FAMILY dump of unix sockets, a
// sequence of netlink messages:
//
//	struct nlmsghdr { u32 len; u16 type; u16 flags; u32 seq; u32 pid; }   16 bytes
//	struct unix_diag_msg { u8 family, type, state, pad; u32 ino; u32 cookie[2]; }
//	struct rtattr { u16 len; u16 type; } + data, padded to 4   (UNIX_DIAG_PEER: u32 ino)
//
// and records each socket's peer inode in peers. done is true at NLMSG_DONE; a
// NLMSG_ERROR message is returned as an error. Lengths are checked against the buffer
// before use: the parser never reads past it.
func parseUnixDiag(b []byte, peers map[uint64]uint64) (done bool, err error) {
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
			parseUnixDiagMsg(msg, peers)
		}
		off += (n + 3) &^ 3
	}
	return false, nil
}

// parseUnixDiagMsg reads one unix_diag_msg and its attributes.
func parseUnixDiagMsg(msg []byte, peers map[uint64]uint64) {
	if len(msg) < unixDiagMsgLen {
		return
	}
	ino := uint64(binary.NativeEndian.Uint32(msg[4:]))
	attrs := msg[unixDiagMsgLen:]
	for len(attrs) >= 4 {
		alen := int(binary.NativeEndian.Uint16(attrs))
		atyp := binary.NativeEndian.Uint16(attrs[2:])
		if alen < 4 || alen > len(attrs) {
			return
		}
		if atyp == unixDiagPeer && alen >= 8 {
			if peer := uint64(binary.NativeEndian.Uint32(attrs[4:])); peer != 0 {
				peers[ino] = peer
			}
		}
		attrs = attrs[min((alen+3)&^3, len(attrs)):]
	}
}

// linkUnixPeers sets the peer path of each connected unix socket of t whose peer is
// known and has a name: the client end of a connection to /run/docker.sock gets
// /run/docker.sock.
func (t sockTable) linkUnixPeers(peers map[uint64]uint64) {
	for ino, peer := range peers {
		s, p := t[ino], t[peer]
		if s != nil && p != nil && s.Type == fdUnix && len(p.Path) > 0 {
			s.PeerPath = p.Path
		}
	}
}
