package state

import (
	"net/netip"
	"strconv"

	"github.com/syscam/syscam/event"
)

// FDType is the kind of object an fd refers to. Values equal event.FDType's, the "type"
// parameter of fdinfo snapshot events.
type FDType uint8

// FD types.
const (
	FDUnknown FDType = iota
	FDFile
	FDDirectory
	FDIPv4
	FDIPv6
	FDUnix
	FDPipe
	FDEvent // eventfd
	FDSignal
	FDEventPoll
	FDInotify
	FDTimer
	FDNetlink
	FDMemfd
	FDBPF
	FDIOUring
	FDPidfd
	FDUserfault
	FDSocket // a socket of another family, or one whose family is unknown
	FDDevice
)

// String returns the type's name as Falco's fd.type ("file", "ipv4", "unix").
func (t FDType) String() string {
	return string(event.FDType.Append(nil, uint64(t)))
}

// IsSocket reports whether t is a socket type.
func (t FDType) IsSocket() bool {
	switch t {
	case FDIPv4, FDIPv6, FDUnix, FDNetlink, FDSocket:
		return true
	}
	return false
}

// Role says which end of a connection a socket is.
type Role uint8

// Socket roles, as event.FDRole.
const (
	RoleUnknown Role = iota
	RoleClient       // connected out
	RoleServer       // listening, or accepted
)

// FD is an open file description: what one or more fd numbers refer to. dup and fork
// share it (as the kernel does), so a connect through one fd shows through its
// duplicates. Per-number state, close-on-exec, lives in the FDTable.
type FD struct {
	Type   FDType
	Role   Role
	Proto  uint8  // IP protocol of a socket (6 TCP, 17 UDP), 0 when unknown
	Family uint8  // socket address family (event.AFInet...), 0 when not a socket
	Flags  uint32 // open flags (O_ACCMODE bits, O_APPEND, O_NONBLOCK...) without O_CLOEXEC

	// Name is the absolute path of a file or directory, the path of a unix socket
	// (bound or connected to), the memfd name as "memfd:NAME", or the kernel's anon
	// inode name ("anon_inode:[eventfd]"); empty for inet sockets (see AppendName).
	Name   string
	Local  netip.AddrPort // inet sockets
	Remote netip.AddrPort
	Peer   string // unix sockets: the path at the other end, when known
	Dev    uint64
	Ino    uint64
	Opened int64 // ns; when it was created, 0 for entries from a snapshot
}

// Client and Server return the client and server ends of an inet connection: the
// local end is the client for a RoleClient socket, the server otherwise.
func (f *FD) Client() netip.AddrPort {
	if f.Role == RoleServer {
		return f.Remote
	}
	return f.Local
}

// Server returns the server end of an inet connection; see Client.
func (f *FD) Server() netip.AddrPort {
	if f.Role == RoleServer {
		return f.Local
	}
	return f.Remote
}

// AppendName appends Falco's fd.name: the path for files, directories and unix
// sockets, "client:port->server:port" for inet sockets (an unconnected one shows its
// local address alone), the Name otherwise.
func (f *FD) AppendName(dst []byte) []byte {
	if f.Type != FDIPv4 && f.Type != FDIPv6 {
		return append(dst, f.Name...)
	}
	if !f.Remote.IsValid() {
		if f.Local.IsValid() {
			dst = f.Local.AppendTo(dst)
		}
		return dst
	}
	dst = f.Client().AppendTo(dst)
	dst = append(dst, "->"...)
	return f.Server().AppendTo(dst)
}

// String renders the entry for debugging and dumps: "file /etc/passwd O_RDONLY",
// "ipv4 10.0.0.1:5000->10.0.0.2:80 client IPPROTO_TCP".
func (f *FD) String() string {
	b := []byte(f.Type.String())
	if name := f.AppendName(nil); len(name) > 0 {
		b = append(append(b, ' '), name...)
	}
	if f.Type == FDUnix && f.Peer != "" {
		b = append(append(b, " ->"...), f.Peer...)
	}
	if !f.Type.IsSocket() {
		b = append(b, ' ')
		b = event.OpenFlags.Append(b, uint64(f.Flags))
		if f.Ino != 0 {
			b = append(b, " ino="...)
			b = strconv.AppendUint(b, f.Ino, 10)
		}
		return string(b)
	}
	if f.Role != RoleUnknown {
		b = append(b, ' ')
		b = event.FDRole.Append(b, uint64(f.Role))
	}
	if f.Proto != 0 {
		b = append(b, ' ')
		b = event.IPProto.Append(b, uint64(f.Proto))
	}
	return string(b)
}
