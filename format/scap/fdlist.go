package scap

import (
	"net/netip"
	"strings"
)

// scap fd types (scap_fd_type, userspace/libscap/scap.h).
const (
	fdUnknown       = 0
	fdFile          = 1
	fdDirectory     = 2
	fdIPv4Sock      = 3
	fdIPv6Sock      = 4
	fdIPv4ServSock  = 5
	fdIPv6ServSock  = 6
	fdFIFO          = 7
	fdUnixSock      = 8
	fdEvent         = 9
	fdUnsupported   = 10
	fdSignalfd      = 11
	fdEventpoll     = 12
	fdInotify       = 13
	fdTimerfd       = 14
	fdNetlink       = 15
	fdFileV2        = 16
	fdBPF           = 17
	fdUserfaultfd   = 18
	fdIOUring       = 19
	fdMemfd         = 20
	fdPidfd         = 21
	maxFDNameLength = 4096
)

// FD is one entry of an fd list block (libscap's scap_fdinfo as scap_fd_write_to_disk
// writes it): an fd a thread held when the capture started.
type FD struct {
	TID   int64
	FD    int64
	Ino   uint64
	Type  uint8  // scap fd type
	Name  string // path, unix socket path, or the file's name as libscap stores it
	Flags uint32 // PPM_O_* open flags (FILE_V2)
	Dev   uint32 // FILE_V2, when present
	// Sockets: Local and Remote for connected IPv4/IPv6 sockets, Local for listening
	// ones; L4Proto is SCAP_L4_* (2 TCP, 3 UDP, 4 ICMP, 5 RAW).
	Local, Remote netip.AddrPort
	L4Proto       uint8
	// Unix sockets: kernel addresses of both ends.
	UnixSource, UnixDest uint64
}

// parseFDList reads an FDL (v2 = FDL_V2, with per-entry lengths) block.
func parseFDList(body []byte, v2 bool) ([]FD, error) {
	c := cursor{b: body}
	tid := c.i64("tid")
	var out []FD
	for c.left() >= 4 && c.err == nil {
		start, end := c.off, len(body)
		if v2 {
			n := int(c.u32("entry length"))
			if n < 4 || n > len(body)-start {
				c.fail("fd entry %d: length %d, %d bytes left", len(out), n, len(body)-start)
				break
			}
			end = start + n
		}
		ec := cursor{b: body[:end], off: c.off}
		fd := readFD(&ec)
		if ec.err != nil {
			return out, ecErr(ec.err, "fd entry", len(out))
		}
		fd.TID = tid
		out = append(out, fd)
		c.off = ec.off
		if v2 {
			c.off = end
		}
	}
	return out, c.err
}

func readFD(c *cursor) FD {
	var fd FD
	fd.FD = c.i64("fd")
	fd.Ino = c.u64("ino")
	fd.Type = c.u8("type")
	switch fd.Type {
	case fdIPv4Sock:
		sip, dip := c.take(4, "sip"), c.take(4, "dip")
		sport, dport := c.u16("sport"), c.u16("dport")
		fd.L4Proto = c.u8("l4proto")
		fd.Local, fd.Remote = addrPort4(sip, sport), addrPort4(dip, dport)
	case fdIPv4ServSock:
		ip := c.take(4, "ip")
		fd.Local = addrPort4(ip, c.u16("port"))
		fd.L4Proto = c.u8("l4proto")
	case fdIPv6Sock:
		sip, dip := c.take(16, "sip"), c.take(16, "dip")
		sport, dport := c.u16("sport"), c.u16("dport")
		fd.L4Proto = c.u8("l4proto")
		fd.Local, fd.Remote = addrPort6(sip, sport), addrPort6(dip, dport)
	case fdIPv6ServSock:
		ip := c.take(16, "ip")
		fd.Local = addrPort6(ip, c.u16("port"))
		fd.L4Proto = c.u8("l4proto")
	case fdUnixSock:
		fd.UnixSource, fd.UnixDest = c.u64("source"), c.u64("dest")
		// Old writers copied the name with the newline of its /proc/net/unix line.
		fd.Name = strings.TrimRight(c.str("name", maxFDNameLength), "\n")
	case fdFileV2:
		fd.Flags = c.u32("open_flags")
		fd.Name = c.str("name", maxFDNameLength)
		if c.left() >= 4 {
			fd.Dev = c.u32("dev")
		}
	case fdFile, fdDirectory, fdFIFO, fdEvent, fdUnsupported, fdSignalfd, fdEventpoll,
		fdInotify, fdTimerfd, fdNetlink, fdBPF, fdUserfaultfd, fdIOUring, fdMemfd, fdPidfd:
		fd.Name = c.str("name", maxFDNameLength)
	}
	return fd
}

// addrPort4 builds an address from 4 network-order bytes and a host-order port.
func addrPort4(ip []byte, port uint16) netip.AddrPort {
	if len(ip) != 4 {
		return netip.AddrPort{}
	}
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte(ip)), port)
}

func addrPort6(ip []byte, port uint16) netip.AddrPort {
	if len(ip) != 16 {
		return netip.AddrPort{}
	}
	return netip.AddrPortFrom(netip.AddrFrom16([16]byte(ip)), port)
}
