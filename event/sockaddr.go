package event

import (
	"encoding/binary"
	"net/netip"
	"strconv"
)

// Address families as stored in the first byte of a socket address parameter.
const (
	AFUnix  = 1
	AFInet  = 2
	AFInet6 = 10
)

// A socket address parameter (KindSockAddr) is stored as:
//
//	empty                          no address (unbound, not applicable)
//	0x02 port(2, BE) addr(4)       AF_INET
//	0x0a port(2, BE) addr(16)      AF_INET6
//	0x01 path...                   AF_UNIX; an abstract name starts with a NUL byte
//	family(1) raw...               any other family, raw bytes after sa_family
//
// The encoding is frozen: it is written into trace files.

// SockAddr is a decoded socket address. Path aliases the parameter's bytes.
type SockAddr struct {
	Family uint8
	Addr   netip.AddrPort // AF_INET, AF_INET6
	Path   []byte         // AF_UNIX path, or raw bytes of other families
}

// ParseSockAddr decodes a KindSockAddr parameter; ok is false when b is empty or
// malformed.
func ParseSockAddr(b []byte) (sa SockAddr, ok bool) {
	if len(b) == 0 {
		return sa, false
	}
	sa.Family = b[0]
	switch sa.Family {
	case AFInet:
		if len(b) != 7 {
			return sa, false
		}
		sa.Addr = netip.AddrPortFrom(netip.AddrFrom4([4]byte(b[3:7])), binary.BigEndian.Uint16(b[1:3]))
	case AFInet6:
		if len(b) != 19 {
			return sa, false
		}
		sa.Addr = netip.AddrPortFrom(netip.AddrFrom16([16]byte(b[3:19])), binary.BigEndian.Uint16(b[1:3]))
	default:
		sa.Path = b[1:]
	}
	return sa, true
}

// AppendSockAddrInet appends the encoding of an IPv4 or IPv6 address and port.
func AppendSockAddrInet(dst []byte, ap netip.AddrPort) []byte {
	a := ap.Addr()
	if a.Is4() {
		dst = append(dst, AFInet)
		dst = binary.BigEndian.AppendUint16(dst, ap.Port())
		b := a.As4()
		return append(dst, b[:]...)
	}
	dst = append(dst, AFInet6)
	dst = binary.BigEndian.AppendUint16(dst, ap.Port())
	b := a.As16()
	return append(dst, b[:]...)
}

// AppendSockAddrUnix appends the encoding of a unix socket path.
func AppendSockAddrUnix(dst []byte, path []byte) []byte {
	dst = append(dst, AFUnix)
	return append(dst, path...)
}

// IsInet reports whether sa is an IPv4 or IPv6 address.
func (sa SockAddr) IsInet() bool { return sa.Family == AFInet || sa.Family == AFInet6 }

// AppendText appends "10.0.0.1:80", "[::1]:443", "/run/x.sock" or "@abstract".
func (sa SockAddr) AppendText(dst []byte) []byte {
	switch sa.Family {
	case AFInet, AFInet6:
		return sa.Addr.AppendTo(dst)
	case AFUnix:
		if len(sa.Path) > 0 && sa.Path[0] == 0 {
			dst = append(dst, '@')
			return append(dst, sa.Path[1:]...)
		}
		return append(dst, sa.Path...)
	}
	dst = append(dst, "family="...)
	return strconv.AppendUint(dst, uint64(sa.Family), 10)
}
