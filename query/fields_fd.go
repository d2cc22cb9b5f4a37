package query

import (
	"net/netip"
	"strings"

	"github.com/syscam/syscam/state"
)

// fdFields are the fd.* fields: the fd the event acts on, from the replayed fd table.
func fdFields() []*Field {
	return needs(NeedFD,
		numField("fd.num", TypeInt, "number of the fd the event acts on", func(in *Input) (int64, bool) {
			if in.View == nil || in.View.FDNum < 0 {
				return 0, false
			}
			return int64(in.View.FDNum), true
		}),
		strField("fd.type", "type of the fd: file, directory, ipv4, ipv6, unix, pipe, event, signalfd, eventpoll, inotify, timerfd, netlink, memfd, bpf, io_uring, pidfd, userfaultfd, socket, device", fdStr(func(in *Input, f *state.FD) string { return f.Type.String() })),
		strField("fd.typechar", "type of the fd as one character: f file, d directory, 4 ipv4, 6 ipv6, u unix, p pipe, e event, s signalfd, l eventpoll, i inotify, t timerfd, n netlink, m memfd, b bpf, r io_uring, P pidfd, o other", fdStr(func(in *Input, f *state.FD) string { return typeChar(f.Type) })),
		strField("fd.name", "full name of the fd: the absolute path of a file, client:port->server:port of a connection, the path of a unix socket", fdName),
		strField("fd.nameraw", "same as fd.name: the recorder keeps resolved paths only", fdName),
		strField("fd.directory", "directory of a file fd (the path itself for a directory fd)", fdPath(func(f *state.FD) string {
			if f.Type == state.FDDirectory {
				return f.Name
			}
			return dirName(f.Name)
		})),
		strField("fd.filename", "base name of a file fd", fdPath(func(f *state.FD) string { return f.Name[strings.LastIndexByte(f.Name, '/')+1:] })),
		numField("fd.dev", TypeInt, "device number of a file fd", fdNum(func(f *state.FD) (int64, bool) { return int64(f.Dev), f.Dev != 0 })),
		numField("fd.ino", TypeInt, "inode number of a file fd", fdNum(func(f *state.FD) (int64, bool) { return int64(f.Ino), f.Ino != 0 })),
		ipList("fd.ip", "either IP address of a connection: fd.ip = 10.0.0.1 matches the client or the server", fdBoth(addrIP)),
		ipList("fd.net", "either IP of a connection, compared with networks: fd.net = 10.0.0.0/8", fdBoth(addrIP)),
		ipField("fd.cip", "client IP address", fdAddr((*state.FD).Client)),
		ipField("fd.sip", "server IP address", fdAddr((*state.FD).Server)),
		ipField("fd.lip", "local IP address", fdAddr(func(f *state.FD) netip.AddrPort { return f.Local })),
		ipField("fd.rip", "remote IP address", fdAddr(func(f *state.FD) netip.AddrPort { return f.Remote })),
		ipField("fd.cnet", "client IP, compared with networks: fd.cnet = 10.0.0.0/8", fdAddr((*state.FD).Client)),
		ipField("fd.snet", "server IP, compared with networks", fdAddr((*state.FD).Server)),
		ipField("fd.lnet", "local IP, compared with networks", fdAddr(func(f *state.FD) netip.AddrPort { return f.Local })),
		ipField("fd.rnet", "remote IP, compared with networks", fdAddr(func(f *state.FD) netip.AddrPort { return f.Remote })),
		portList("fd.port", "either port of a connection: fd.port = 443 matches the client or the server port"),
		numField("fd.cport", TypeInt, "client port", fdPort((*state.FD).Client)),
		numField("fd.sport", TypeInt, "server port", fdPort((*state.FD).Server)),
		numField("fd.lport", TypeInt, "local port", fdPort(func(f *state.FD) netip.AddrPort { return f.Local })),
		numField("fd.rport", TypeInt, "remote port", fdPort(func(f *state.FD) netip.AddrPort { return f.Remote })),
		strField("fd.l4proto", "IP protocol of a socket: tcp, udp, icmp, raw", fdStr(l4proto)),
		strField("fd.sockfamily", "family of a socket: ip or unix", fdStr(sockFamily)),
		boolField("fd.is_server", "true when the socket is the server end (listening or accepted)", fdBool(func(f *state.FD) (bool, bool) { return f.Role == state.RoleServer, f.Type.IsSocket() })),
		boolField("fd.connected", "true when the socket is connected", fdBool(func(f *state.FD) (bool, bool) {
			return f.Remote.IsValid() || f.Peer != "", f.Type.IsSocket()
		})),
		boolField("fd.name_changed", "Falco sets it when an event renames its fd (a UDP tuple change); syscam keeps one name per fd: always false", fdBool(func(*state.FD) (bool, bool) { return false, true })),
	)
}

func fdStr(fn func(*Input, *state.FD) string) func(*Input) (string, bool) {
	return func(in *Input) (string, bool) {
		f := in.fd()
		if f == nil {
			return "", false
		}
		s := fn(in, f)
		return s, s != ""
	}
}

func fdNum(fn func(*state.FD) (int64, bool)) func(*Input) (int64, bool) {
	return func(in *Input) (int64, bool) {
		f := in.fd()
		if f == nil {
			return 0, false
		}
		return fn(f)
	}
}

func fdBool(fn func(*state.FD) (bool, bool)) func(*Input) (bool, bool) {
	return func(in *Input) (bool, bool) {
		f := in.fd()
		if f == nil {
			return false, false
		}
		return fn(f)
	}
}

func fdName(in *Input) (string, bool) {
	f := in.fd()
	if f == nil {
		return "", false
	}
	if f.Type != state.FDIPv4 && f.Type != state.FDIPv6 {
		return f.Name, f.Name != ""
	}
	in.scratch = f.AppendName(in.scratch[:0])
	return str(in.scratch), len(in.scratch) > 0
}

// fdPath reads a path of a file or directory fd.
func fdPath(fn func(*state.FD) string) func(*Input) (string, bool) {
	return func(in *Input) (string, bool) {
		f := in.fd()
		if f == nil || (f.Type != state.FDFile && f.Type != state.FDDirectory) || f.Name == "" {
			return "", false
		}
		return fn(f), true
	}
}

func dirName(p string) string {
	i := strings.LastIndexByte(p, '/')
	switch {
	case i < 0:
		return "."
	case i == 0:
		return "/"
	}
	return p[:i]
}

func isInet(f *state.FD) bool { return f.Type == state.FDIPv4 || f.Type == state.FDIPv6 }

func fdAddr(end func(*state.FD) netip.AddrPort) func(*Input) (netip.Addr, bool) {
	return func(in *Input) (netip.Addr, bool) {
		f := in.fd()
		if f == nil || !isInet(f) {
			return netip.Addr{}, false
		}
		ap := end(f)
		return ap.Addr(), ap.IsValid()
	}
}

func fdPort(end func(*state.FD) netip.AddrPort) func(*Input) (int64, bool) {
	return func(in *Input) (int64, bool) {
		f := in.fd()
		if f == nil || !isInet(f) {
			return 0, false
		}
		ap := end(f)
		return int64(ap.Port()), ap.IsValid()
	}
}

func addrIP(ap netip.AddrPort) netip.Addr { return ap.Addr() }

// fdBoth visits the client and the server address of an inet fd.
func fdBoth(get func(netip.AddrPort) netip.Addr) func(*Input, func(netip.Addr) bool) bool {
	return func(in *Input, test func(netip.Addr) bool) bool {
		f := in.fd()
		if f == nil || !isInet(f) {
			return false
		}
		return (f.Local.IsValid() && test(get(f.Local))) || (f.Remote.IsValid() && test(get(f.Remote)))
	}
}

func ipList(name, desc string, any func(*Input, func(netip.Addr) bool) bool) *Field {
	return &Field{Name: name, Type: TypeIP, Desc: desc, List: true,
		bind: fixed(extractor{typ: TypeIP, list: true, anyIP: any})}
}

func portList(name, desc string) *Field {
	any := func(in *Input, test func(int64) bool) bool {
		f := in.fd()
		if f == nil || !isInet(f) {
			return false
		}
		return (f.Local.IsValid() && test(int64(f.Local.Port()))) || (f.Remote.IsValid() && test(int64(f.Remote.Port())))
	}
	return &Field{Name: name, Type: TypeInt, Desc: desc, List: true,
		bind: fixed(extractor{typ: TypeInt, list: true, anyNum: any})}
}

func l4proto(_ *Input, f *state.FD) string {
	if !isInet(f) {
		return ""
	}
	switch f.Proto {
	case 6:
		return "tcp"
	case 17:
		return "udp"
	case 1, 58:
		return "icmp"
	case 255:
		return "raw"
	}
	return ""
}

func sockFamily(_ *Input, f *state.FD) string {
	switch {
	case isInet(f):
		return "ip"
	case f.Type == state.FDUnix:
		return "unix"
	}
	return ""
}

var typeChars = [...]string{state.FDUnknown: "o", state.FDFile: "f", state.FDDirectory: "d",
	state.FDIPv4: "4", state.FDIPv6: "6", state.FDUnix: "u", state.FDPipe: "p", state.FDEvent: "e",
	state.FDSignal: "s", state.FDEventPoll: "l", state.FDInotify: "i", state.FDTimer: "t",
	state.FDNetlink: "n", state.FDMemfd: "m", state.FDBPF: "b", state.FDIOUring: "r",
	state.FDPidfd: "P", state.FDUserfault: "u", state.FDSocket: "o", state.FDDevice: "f"}

func typeChar(t state.FDType) string {
	if int(t) < len(typeChars) {
		return typeChars[t]
	}
	return "o"
}
