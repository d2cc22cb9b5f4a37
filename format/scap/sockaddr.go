package scap

import (
	"encoding/binary"

	"github.com/syscam/syscam/event"
)

// Socket address encodings. scap (driver/ppm_events.c, pack_addr and
// fd_to_socktuple) writes a family byte, then IPv4 addresses in network order and
// ports in host (little-endian) order:
//
//	sockaddr  inet  02 addr(4) port(2 LE)                           7 bytes
//	          inet6 0a addr(16) port(2 LE)                          19 bytes
//	          unix  01 path\0
//	socktuple inet  02 saddr(4) sport(2 LE) daddr(4) dport(2 LE)    13 bytes
//	          inet6 0a saddr(16) sport daddr(16) dport              37 bytes
//	          unix  01 src(8) dst(8) path\0 (kernel socket pointers)
//
// syscam (event/sockaddr.go) puts the port first, big-endian: 02 port(2 BE) addr(4).

// putSockaddr converts a scap sockaddr into syscam's encoding as parameter i of e.
func putSockaddr(e *event.Event, i int, v []byte) {
	if len(v) == 0 {
		return
	}
	switch {
	case v[0] == event.AFInet && len(v) == 7:
		putInet(e, i, event.AFInet, v[1:5], v[5:7])
	case v[0] == event.AFInet6 && len(v) == 19:
		putInet(e, i, event.AFInet6, v[1:17], v[17:19])
	case v[0] == event.AFUnix:
		putUnix(e, i, v[1:])
	default:
		e.SetBytes(i, v, uint32(len(v)))
	}
}

func putInet(e *event.Event, i int, fam byte, addr, port []byte) {
	b := e.Grow(i, 3+len(addr))
	b[0] = fam
	binary.BigEndian.PutUint16(b[1:3], binary.LittleEndian.Uint16(port))
	copy(b[3:], addr)
}

func putUnix(e *event.Event, i int, path []byte) {
	path = trimNUL(path)
	b := e.Grow(i, 1+len(path))
	b[0] = event.AFUnix
	copy(b[1:], path)
}

// putTuple converts a scap socktuple into syscam's local (li) and remote (ri)
// addresses; either index may be -1. scap writes the source first: the local end for
// outbound calls (connect, send*), the peer for inbound ones (accept, recv*), so
// inbound swaps. A unix tuple carries one path: the connected-to socket's, which is
// the remote end of a connect and the local end of an accept.
func putTuple(e *event.Event, li, ri int, v []byte, inbound bool) {
	if len(v) == 0 {
		return
	}
	src, dst := li, ri
	if inbound {
		src, dst = ri, li
	}
	switch {
	case v[0] == event.AFInet && len(v) == 13:
		putInetIf(e, src, event.AFInet, v[1:5], v[5:7])
		putInetIf(e, dst, event.AFInet, v[7:11], v[11:13])
	case v[0] == event.AFInet6 && len(v) == 37:
		putInetIf(e, src, event.AFInet6, v[1:17], v[17:19])
		putInetIf(e, dst, event.AFInet6, v[19:35], v[35:37])
	case v[0] == event.AFUnix && len(v) >= 17:
		if dst >= 0 {
			putUnix(e, dst, v[17:])
		}
	}
}

func putInetIf(e *event.Event, i int, fam byte, addr, port []byte) {
	if i >= 0 {
		putInet(e, i, fam, addr, port)
	}
}
