package capture

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"

	"github.com/syscam/syscam/event"
)

// IP protocol numbers, the values of event.IPProto.
const (
	protoTCP = 6
	protoUDP = 17
	protoRaw = 255
)

// Socket roles, the values of event.FDRole.
const (
	roleUnknown = 0
	roleClient  = 1
	roleServer  = 2
)

const (
	tcpListen     = 0x0a // TCP_LISTEN in the st column of /proc/net/tcp
	unixAcceptCon = 0x10000
	unixConnected = 3 // SS_CONNECTED in the St column of /proc/net/unix
)

// maxNetLine caps a line of a /proc/net table: inet lines are ~150 bytes, unix lines
// end with a path of at most 108 bytes.
const maxNetLine = 4096

// sockInfo is one socket of a network namespace, from its /proc/net tables.
type sockInfo struct {
	Type   uint64 // fdIPv4, fdIPv6, fdUnix or fdNetlink
	Proto  uint8  // IPPROTO_TCP, _UDP, or the protocol of a raw socket
	State  uint8  // TCP state, or the unix socket state
	Local  netip.AddrPort
	Remote netip.AddrPort
	Path   []byte // unix: bound path; an abstract name starts with a NUL byte
	// PeerPath is, for a connected unix socket, the name of the other end when it has
	// one (from sock_diag; empty on a fake tree).
	PeerPath []byte
	Listen   bool
	Role     uint8
}

// sockTable maps socket inodes to sockets, for one network namespace.
type sockTable map[uint64]*sockInfo

// parseNetInet reads /proc/net/tcp, tcp6, udp, udp6, raw or raw6 into t:
//
//	sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
//	 0: 0100007F:D1CF 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12327 1 ...
//	 0: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A ...  (tcp6)
//
// Addresses are 32-bit words in the host's byte order, printed in hex; ports are hex in
// the usual order. In raw tables the "port" is the socket's protocol. Sockets with
// inode 0 (TIME_WAIT, sockets without a file) are skipped: no fd can refer to them.
func parseNetInet(r io.Reader, proto uint8, v6 bool, t sockTable) error {
	typ := uint64(fdIPv4)
	if v6 {
		typ = fdIPv6
	}
	return scanTable(r, func(n int, line []byte) error {
		s, ino, err := parseInetLine(n, line, v6)
		if err != nil || ino == 0 {
			return err
		}
		s.Type, s.Proto = typ, proto
		if proto == protoRaw {
			s.Proto = uint8(s.Local.Port())
			s.Local = netip.AddrPortFrom(s.Local.Addr(), 0)
		}
		s.Listen = proto == protoTCP && s.State == tcpListen
		s.unmapIPv4()
		t[ino] = s
		return nil
	})
}

// unmapIPv4 shows an IPv6 socket that carries IPv4 (a connection accepted by a
// dual-stack listener: ::ffff:127.0.0.1) as the IPv4 socket it is on the wire, as
// Falco does, so that both ends of a loopback connection read alike.
func (s *sockInfo) unmapIPv4() {
	l, r := s.Local.Addr(), s.Remote.Addr()
	if s.Type != fdIPv6 || !l.Is4In6() || !(r.Is4In6() || r.IsUnspecified()) {
		return
	}
	s.Type = fdIPv4
	s.Local = netip.AddrPortFrom(l.Unmap(), s.Local.Port())
	s.Remote = netip.AddrPortFrom(r.Unmap(), s.Remote.Port())
	if r.IsUnspecified() {
		s.Remote = netip.AddrPortFrom(netip.IPv4Unspecified(), s.Remote.Port())
	}
}

// scanTable calls fn for each line of a /proc/net table after its header line. A line
// fn refuses is skipped and the scan goes on: a unix socket bound to a path holding a
// newline splits its line in two, and must not hide every other socket of its
// namespace. The error returned names the first bad line and counts the others.
func scanTable(r io.Reader, fn func(n int, line []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 512), maxNetLine)
	var first error
	bad := 0
	for n := 1; sc.Scan(); n++ {
		if n == 1 || len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		if err := fn(n, sc.Bytes()); err != nil {
			if bad++; first == nil {
				first = err
			}
		}
	}
	if errors.Is(sc.Err(), bufio.ErrTooLong) {
		return badField(0, "", "a line is longer than %d bytes", maxNetLine)
	}
	if sc.Err() != nil {
		return sc.Err()
	}
	if bad > 1 {
		return fmt.Errorf("%w (and %d more bad lines)", first, bad-1)
	}
	return first
}

// inetColumns names the columns of an inet table line that parseInetLine reads.
var inetColumns = [...]string{"sl", "local_address", "rem_address", "st", "tx_queue", "tr", "retrnsmt", "uid", "timeout", "inode"}

func parseInetLine(n int, line []byte, v6 bool) (*sockInfo, uint64, error) {
	var cols [len(inetColumns)][]byte
	rest := line
	for i := range cols {
		cols[i], rest = nextField(rest)
		if len(cols[i]) == 0 {
			return nil, 0, badField(n, inetColumns[i], "missing")
		}
	}
	s := &sockInfo{}
	var err error
	if s.Local, err = parseHexAddrPort(n, "local_address", cols[1], v6); err != nil {
		return nil, 0, err
	}
	if s.Remote, err = parseHexAddrPort(n, "rem_address", cols[2], v6); err != nil {
		return nil, 0, err
	}
	st, ok := parseHex(cols[3], 8)
	if !ok {
		return nil, 0, badField(n, "st", "bad value %q", clip(cols[3]))
	}
	s.State = uint8(st)
	ino, ok := parseDec(cols[9], 64)
	if !ok {
		return nil, 0, badField(n, "inode", "bad value %q", clip(cols[9]))
	}
	return s, ino, nil
}

// parseHexAddrPort decodes "0100007F:D1CF" (IPv4) or 32 hex digits and a port (IPv6).
func parseHexAddrPort(n int, col string, b []byte, v6 bool) (netip.AddrPort, error) {
	hexAddr, hexPort, ok := bytes.Cut(b, []byte(":"))
	words := 1
	if v6 {
		words = 4
	}
	if !ok || len(hexAddr) != 8*words {
		return netip.AddrPort{}, badField(n, col, "bad address %q", clip(b))
	}
	port, ok := parseHex(hexPort, 16)
	if !ok {
		return netip.AddrPort{}, badField(n, col, "bad port %q", clip(b))
	}
	var raw [16]byte
	for i := 0; i < words; i++ {
		w, ok := parseHex(hexAddr[8*i:8*i+8], 32)
		if !ok {
			return netip.AddrPort{}, badField(n, col, "bad address %q", clip(b))
		}
		binary.NativeEndian.PutUint32(raw[4*i:], uint32(w))
	}
	if !v6 {
		return netip.AddrPortFrom(netip.AddrFrom4([4]byte(raw[:4])), uint16(port)), nil
	}
	return netip.AddrPortFrom(netip.AddrFrom16(raw), uint16(port)), nil
}

// parseNetUnix reads /proc/net/unix into t:
//
//	Num       RefCount Protocol Flags    Type St Inode Path
//	0000000009edab1e: 00000002 00000000 00010000 0001 01 12328 @abstract-x
//	00000000c3a1f0e2: 00000003 00000000 00000000 0001 03 19877 /run/dbus/system_bus_socket
//
// Flags 00010000 (__SO_ACCEPTCON) marks a listening socket; St 03 a connected one. The
// path, when there is one, is the rest of the line ('@' starts an abstract name; a path
// holding a newline cannot be told apart from the next line and is cut there).
func parseNetUnix(r io.Reader, t sockTable) error {
	return scanTable(r, func(n int, line []byte) error {
		var cols [7][]byte
		rest := line
		for i := range cols {
			cols[i], rest = nextField(rest)
			if len(cols[i]) == 0 {
				return badField(n, unixColumns[i], "missing")
			}
		}
		flags, ok1 := parseHex(cols[3], 32)
		st, ok2 := parseHex(cols[5], 8)
		ino, ok3 := parseDec(cols[6], 64)
		if !ok1 || !ok2 || !ok3 {
			return badField(n, "", "bad Flags, St or Inode in %q", clip(line))
		}
		if old := t[ino]; old != nil && old.Type != fdUnix {
			return badField(n, "Inode", "%d is already a socket of another table", ino)
		}
		s := &sockInfo{Type: fdUnix, State: uint8(st), Listen: flags&unixAcceptCon != 0}
		s.Path = unixPath(rest)
		t[ino] = s
		return nil
	})
}

var unixColumns = [...]string{"Num", "RefCount", "Protocol", "Flags", "Type", "St", "Inode"}

// unixPath returns a copy of the path column (after the one space that precedes it),
// with the '@' of an abstract name turned back into the NUL byte it stands for.
func unixPath(rest []byte) []byte {
	if len(rest) < 2 {
		return nil
	}
	p := append([]byte(nil), rest[1:]...)
	if p[0] == '@' {
		p[0] = 0
	}
	return p
}

// parseNetNetlink reads /proc/net/netlink into t:
//
//	sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode
//	000000003fa58d12 0   0          00000000 0        0        0     2        0        4
//
// Eth is the netlink protocol (0 is NETLINK_ROUTE); it is kept as the socket's Proto.
func parseNetNetlink(r io.Reader, t sockTable) error {
	return scanTable(r, func(n int, line []byte) error {
		var cols [10][]byte
		rest := line
		for i := range cols {
			cols[i], rest = nextField(rest)
			if len(cols[i]) == 0 {
				return badField(n, "", "want 10 columns, got %d", i)
			}
		}
		proto, ok1 := parseDec(cols[1], 8)
		ino, ok2 := parseDec(cols[9], 64)
		if !ok1 || !ok2 {
			return badField(n, "", "bad Eth or Inode in %q", clip(line))
		}
		t[ino] = &sockInfo{Type: fdNetlink, Proto: uint8(proto)}
		return nil
	})
}

// assignRoles sets the role of every socket of t: a TCP listener is a server, and so
// is a connected TCP socket whose local port has a listener on its address or on the
// wildcard address (the accepted side); other TCP sockets are clients. A listening
// unix socket is a server, and so is a connected one that has a path, since accepted
// unix sockets carry the listener's name while the connecting side usually has none.
// UDP, raw and netlink sockets keep an unknown role: nothing in /proc tells.
func (t sockTable) assignRoles() {
	listeners := make(map[netip.AddrPort]bool)
	for _, s := range t {
		if s.Listen && s.Type != fdUnix {
			listeners[s.Local] = true
		}
	}
	for _, s := range t {
		s.Role = s.role(listeners)
	}
}

func (s *sockInfo) role(listeners map[netip.AddrPort]bool) uint8 {
	switch {
	case s.Listen:
		return roleServer
	case s.Type == fdUnix && s.State == unixConnected && len(s.Path) > 0:
		return roleServer
	case s.Type == fdUnix && s.State == unixConnected:
		return roleClient
	case s.Proto != protoTCP || s.Type == fdUnix || s.Type == fdNetlink:
		return roleUnknown
	case listenedOn(listeners, s.Local):
		return roleServer
	}
	return roleClient
}

// listenedOn reports whether a TCP listener covers local: on the same address, on the
// wildcard of its family, or on the IPv6 wildcard for an IPv4-mapped address.
func listenedOn(listeners map[netip.AddrPort]bool, local netip.AddrPort) bool {
	port := local.Port()
	if listeners[local] || listeners[netip.AddrPortFrom(netip.IPv6Unspecified(), port)] {
		return true
	}
	a := local.Addr()
	if a.Is4() {
		return listeners[netip.AddrPortFrom(netip.IPv4Unspecified(), port)]
	}
	if a.Is4In6() {
		v4 := netip.AddrPortFrom(a.Unmap(), port)
		return listeners[v4] || listeners[netip.AddrPortFrom(netip.IPv4Unspecified(), port)]
	}
	return false
}

// appendName appends the fd name of a socket as Falco's fd.name shows it (and as
// state.FD.AppendName rebuilds it): "client->server" when connected, so that both ends
// of a connection have the same name, "0.0.0.0:22" when only bound, the path of a unix
// socket ("@name" when abstract).
func (s *sockInfo) appendName(dst []byte) []byte {
	switch s.Type {
	case fdIPv4, fdIPv6:
		if s.Remote.Port() == 0 && s.Remote.Addr().IsUnspecified() {
			return s.Local.AppendTo(dst)
		}
		client, server := s.Local, s.Remote
		if s.Role == roleServer {
			client, server = server, client
		}
		dst = client.AppendTo(dst)
		dst = append(dst, "->"...)
		return server.AppendTo(dst)
	case fdUnix:
		sa := event.SockAddr{Family: event.AFUnix, Path: s.Path}
		return sa.AppendText(dst)
	}
	return dst
}
