package capture

import (
	"encoding/binary"
	"net/netip"

	"github.com/syscam/syscam/event"
)

// appendSockaddr converts a raw struct sockaddr, as the caller passed it, into the
// event's socket address encoding (event/sockaddr.go) as parameter i. An empty or
// unreadable address stays empty.
func appendSockaddr(e *event.Event, i int, raw []byte) {
	if len(raw) < 2 {
		e.Grow(i, 0)
		return
	}
	fam := binary.LittleEndian.Uint16(raw)
	switch {
	case fam == event.AFInet && len(raw) >= 8:
		ap := netip.AddrPortFrom(netip.AddrFrom4([4]byte(raw[4:8])), binary.BigEndian.Uint16(raw[2:]))
		putInet(e, i, ap)
	case fam == event.AFInet6 && len(raw) >= 24:
		ap := netip.AddrPortFrom(netip.AddrFrom16([16]byte(raw[8:24])), binary.BigEndian.Uint16(raw[2:]))
		putInet(e, i, ap)
	case fam == event.AFUnix:
		putUnix(e, i, sunPath(raw[2:]))
	default:
		b := e.Grow(i, len(raw)-1)
		b[0] = byte(fam)
		copy(b[1:], raw[2:])
	}
}

// sunPath trims a sun_path at its NUL, except for an abstract name (leading NUL),
// whose length is the address length.
func sunPath(p []byte) []byte {
	if len(p) > 0 && p[0] == 0 {
		return p
	}
	for i, c := range p {
		if c == 0 {
			return p[:i]
		}
	}
	return p
}

func putInet(e *event.Event, i int, ap netip.AddrPort) {
	var tmp [19]byte
	enc := event.AppendSockAddrInet(tmp[:0], ap)
	copy(e.Grow(i, len(enc)), enc)
}

func putUnix(e *event.Event, i int, path []byte) {
	b := e.Grow(i, 1+len(path))
	b[0] = event.AFUnix
	copy(b[1:], path)
}

// appendTuple sets parameter i to the local (side 0) or remote (side 1) address of a
// socket tuple blob (struct tuple_inet, or the unix layout of op_tuple in
// bpf/syscam.bpf.c). A socket of another family, or no socket, leaves it empty.
func appendTuple(e *event.Event, i int, raw []byte, side uint8) {
	if len(raw) < 8 {
		e.Grow(i, 0)
		return
	}
	le := binary.LittleEndian
	switch le.Uint16(raw) {
	case event.AFInet, event.AFInet6:
		if len(raw) < 40 {
			e.Grow(i, 0)
			return
		}
		port := le.Uint16(raw[2:])
		addr := raw[8:24]
		if side == 1 {
			port = binary.BigEndian.Uint16(raw[4:])
			addr = raw[24:40]
		}
		var ip netip.Addr
		if le.Uint16(raw) == event.AFInet {
			ip = netip.AddrFrom4([4]byte(addr[:4]))
		} else {
			ip = netip.AddrFrom16([16]byte(addr))
		}
		putInet(e, i, netip.AddrPortFrom(ip, port))
	case event.AFUnix:
		if len(raw) < 8+216 {
			e.Grow(i, 0)
			return
		}
		n := int(min(le.Uint16(raw[2+2*uint16(side):]), 108))
		start := 8 + 108*int(side)
		if n == 0 {
			e.Grow(i, 0)
			return
		}
		putUnix(e, i, sunPath(raw[start:start+n]))
	default:
		e.Grow(i, 0)
	}
}
