package state

import (
	"net/netip"

	"github.com/syscam/syscam/event"
)

// Open flags used by the rules (x86_64 values, as event.OpenFlags).
const (
	oWronly    = 0o1
	oRdwr      = 0o2
	oCreat     = 0o100
	oTrunc     = 0o1000
	oNonblock  = 0o4000
	oDirectory = 0o200000
	oCloexec   = 0o2000000
	oPath      = 0o10000000
)

// install puts f under fd num in the thread's table and points the view at it.
func (e *Engine) install(v *View, num int32, f *FD, cloexec bool) {
	t := v.Thread
	if t.Files == nil || num < 0 {
		return
	}
	f.Opened = v.Event.Time
	t.Files.set(num, f, cloexec)
	if v.FD == nil {
		v.FD, v.FDNum = f, num
	}
}

// applyOpen adds the file an open call returned.
func (e *Engine) applyOpen(ev *event.Event, o *op, v *View) {
	flags := uint32(pint(ev, o.flags))
	if o.name == "creat" {
		flags = oCreat | oWronly | oTrunc
	}
	dirfd := int32(atFDCWD)
	if o.dirfd >= 0 {
		dirfd = int32(pint(ev, o.dirfd))
	}
	f := &FD{Type: FDFile, Flags: flags &^ oCloexec}
	f.Name = e.resolve(v.Thread, dirfd, pbytes(ev, o.path))
	if flags&oDirectory != 0 || o.name == "open_tree" {
		f.Type = FDDirectory
	}
	f.Dev, f.Ino = uint64(pint(ev, o.dev)), uint64(pint(ev, o.ino))
	e.install(v, int32(ev.Ret), f, flags&oCloexec != 0)
}

// applyClose removes an fd; the view keeps the entry as it was.
func (e *Engine) applyClose(ev *event.Event, o *op, v *View) {
	num := int32(pint(ev, o.fd))
	e.useFD(v, num)
	if v.FD != nil {
		v.Thread.Files.set(num, nil, false)
	}
}

// applyDup copies an fd to the number the call returned; dup2 and dup3 over an open
// fd close it first. The copy shares the description; close-on-exec is only set by
// dup3(O_CLOEXEC).
func (e *Engine) applyDup(ev *event.Event, o *op, v *View) {
	old := int32(pint(ev, o.fd))
	f := v.Thread.FD(old)
	if f == nil {
		// The copy names a description the replay never saw: whatever the target
		// fd named before is gone, and naming it still would be wrong.
		e.forget(v, int32(ev.Ret))
		return
	}
	cloexec := o.name == "dup3" && pint(ev, o.flags)&oCloexec != 0
	e.dupTo(v, f, int32(ev.Ret), cloexec)
}

// forget drops fd num, which a dup of an unknown fd has replaced, from the table.
func (e *Engine) forget(v *View, num int32) {
	v.FDNum = num
	if v.Thread.Files != nil && num >= 0 {
		v.Thread.Files.set(num, nil, false)
	}
}

func (e *Engine) dupTo(v *View, f *FD, num int32, cloexec bool) {
	if v.Thread.Files == nil || num < 0 {
		return
	}
	v.Thread.Files.set(num, f, cloexec)
	v.FD, v.FDNum = f, num
}

// fcntl commands used by the rules.
const (
	fDupFD        = 0
	fSetFD        = 2
	fSetFL        = 4
	fDupFDCloexec = 1030
	fdCloexec     = 1
	setFLMask     = 0o4000 | 0o2000 | 0o20000 | 0o40000 | 0o1000000 // NONBLOCK APPEND ASYNC DIRECT NOATIME
)

// applyFcntl handles the fcntl commands that change the table: F_DUPFD,
// F_DUPFD_CLOEXEC, F_SETFD and F_SETFL.
func (e *Engine) applyFcntl(ev *event.Event, o *op, v *View) {
	num := int32(pint(ev, o.fd))
	e.useFD(v, num)
	f := v.FD
	if f == nil {
		if cmd := pint(ev, 1); cmd == fDupFD || cmd == fDupFDCloexec {
			e.forget(v, int32(ev.Ret))
		}
		return
	}
	arg := uint32(pint(ev, 2))
	switch pint(ev, 1) {
	case fDupFD, fDupFDCloexec:
		e.dupTo(v, f, int32(ev.Ret), pint(ev, 1) == fDupFDCloexec)
	case fSetFD:
		v.Thread.Files.setCloexec(num, arg&fdCloexec != 0)
	case fSetFL:
		f.Flags = f.Flags&^setFLMask | arg&setFLMask
	}
}

// Socket types and protocols used by the rules.
const (
	sockStream  = 1
	sockDgram   = 2
	sockTypeMsk = 0xf
	sockCloexec = 0o2000000
	ipprotoTCP  = 6
	ipprotoUDP  = 17
	afNetlink   = 16
)

// applySocket adds a socket: its family gives the fd type, its type the protocol when
// the caller passed 0.
func (e *Engine) applySocket(ev *event.Event, v *View) {
	family, typ, proto := pint(ev, 0), pint(ev, 1), uint8(pint(ev, 2))
	f := newSocket(uint8(family), typ, proto)
	e.install(v, int32(ev.Ret), f, typ&sockCloexec != 0)
}

func newSocket(family uint8, typ int64, proto uint8) *FD {
	f := &FD{Family: family, Flags: oRdwr | uint32(typ&oNonblock)}
	switch family {
	case event.AFInet:
		f.Type = FDIPv4
	case event.AFInet6:
		f.Type = FDIPv6
	case event.AFUnix:
		f.Type = FDUnix
	case afNetlink:
		f.Type = FDNetlink
	default:
		f.Type = FDSocket
	}
	if proto == 0 && (f.Type == FDIPv4 || f.Type == FDIPv6) {
		switch typ & sockTypeMsk {
		case sockStream:
			proto = ipprotoTCP
		case sockDgram:
			proto = ipprotoUDP
		}
	}
	f.Proto = proto
	return f
}

// applyPair adds both ends of a pipe or socketpair (params fd1 and fd2).
func (e *Engine) applyPair(ev *event.Event, v *View) {
	var a, b *FD
	var flags int64
	if ev.Name() == "socketpair" {
		a, b = newSocket(uint8(pint(ev, 0)), pint(ev, 1), uint8(pint(ev, 2))), nil
		b = &FD{}
		*b = *a
		flags = pint(ev, 1) & sockCloexec
		e.install(v, int32(pint(ev, 3)), a, flags != 0)
		e.install(v, int32(pint(ev, 4)), b, flags != 0)
		return
	}
	if ev.Name() == "pipe2" {
		flags = pint(ev, 2)
	}
	a = &FD{Type: FDPipe, Name: "pipe", Flags: uint32(flags & oNonblock)}
	b = &FD{Type: FDPipe, Name: "pipe", Flags: oWronly | uint32(flags&oNonblock)}
	e.install(v, int32(pint(ev, 0)), a, flags&oCloexec != 0)
	e.install(v, int32(pint(ev, 1)), b, flags&oCloexec != 0)
}

// sockAddr decodes socket address parameter i.
func sockAddr(ev *event.Event, i int8) (event.SockAddr, bool) {
	if i < 0 {
		return event.SockAddr{}, false
	}
	return event.ParseSockAddr(pbytes(ev, i))
}

// applyConnect records both ends of a connection (and the client role): the "local"
// and "remote" tuple the recorder read at exit, else the address the caller passed.
func (e *Engine) applyConnect(ev *event.Event, o *op, v *View) {
	e.useFD(v, int32(pint(ev, o.fd)))
	f := v.FD
	if f == nil {
		return
	}
	f.Role = RoleClient
	remote, ok := sockAddr(ev, o.remote)
	if !ok {
		remote, ok = sockAddr(ev, o.addr)
	}
	if ok {
		setRemote(f, remote)
	}
	if local, ok := sockAddr(ev, o.local); ok {
		setLocal(f, local)
	}
}

func setRemote(f *FD, sa event.SockAddr) {
	if sa.IsInet() {
		f.Remote = normalize(sa.Addr)
	} else if sa.Family == event.AFUnix {
		f.Peer = unixName(sa.Path)
	}
}

func setLocal(f *FD, sa event.SockAddr) {
	if sa.IsInet() {
		f.Local = normalize(sa.Addr)
	} else if sa.Family == event.AFUnix && len(sa.Path) > 0 {
		f.Name = unixName(sa.Path)
	}
}

// normalize unmaps IPv4-mapped IPv6 addresses, so a dual-stack socket shows
// 10.0.0.1:80 as Falco does.
func normalize(ap netip.AddrPort) netip.AddrPort {
	if ap.Addr().Is4In6() {
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	}
	return ap
}

// unixName renders a unix socket path; an abstract name gets an '@'.
func unixName(path []byte) string {
	if len(path) > 0 && path[0] == 0 {
		return "@" + string(path[1:])
	}
	return string(path)
}

// applyAccept adds the connection an accept returned: a server socket with the
// listening socket's type, the local end and the peer.
func (e *Engine) applyAccept(ev *event.Event, o *op, v *View) {
	lst := v.Thread.FD(int32(pint(ev, o.fd)))
	f := &FD{Type: FDSocket, Role: RoleServer, Flags: oRdwr}
	if lst != nil {
		f.Type, f.Family, f.Proto, f.Name = lst.Type, lst.Family, lst.Proto, lst.Name
		f.Local = lst.Local
	}
	if local, ok := sockAddr(ev, o.local); ok {
		setLocal(f, local)
	}
	if remote, ok := sockAddr(ev, o.remote); ok {
		setRemote(f, remote)
		if f.Type == FDSocket && remote.IsInet() {
			f.Type = FDIPv4
			if remote.Family == event.AFInet6 {
				f.Type = FDIPv6
			}
		}
	}
	cloexec := o.name == "accept4" && pint(ev, o.flags)&sockCloexec != 0
	e.install(v, int32(ev.Ret), f, cloexec)
}

// applyBind records the local address of a socket.
func (e *Engine) applyBind(ev *event.Event, o *op, v *View) {
	e.useFD(v, int32(pint(ev, o.fd)))
	if v.FD == nil {
		return
	}
	if sa, ok := sockAddr(ev, o.addr); ok {
		setLocal(v.FD, sa)
	}
}

// applySocketCall fills what listen, getsockname, getpeername and datagram calls
// reveal about a socket already looked up in the view.
func (e *Engine) applySocketCall(o *op, code opcode, ev *event.Event, v *View) {
	f := v.FD
	if f == nil || !f.Type.IsSocket() {
		return
	}
	switch code {
	case opListen:
		f.Role = RoleServer
	case opSockName:
		sa, ok := sockAddr(ev, o.addr)
		if !ok {
			return
		}
		if ev.Name() == "getsockname" {
			setLocal(f, sa)
		} else {
			setRemote(f, sa)
		}
	case opSendTo:
		if sa, ok := sockAddr(ev, o.addr); ok && !f.Remote.IsValid() && f.Peer == "" {
			setRemote(f, sa)
		}
	}
}

// applyRecvMsg installs the fds a recvmsg received over a unix socket (SCM_RIGHTS),
// recorded as the "fds" parameter: little-endian int32 fd numbers in the receiver.
// Where they came from is not recorded, so they are entries of unknown type named
// after the socket they arrived on.
func (e *Engine) applyRecvMsg(ev *event.Event, o *op, v *View) {
	e.useFD(v, int32(pint(ev, o.fd)))
	e.applySocketCall(o, opSendTo, ev, v)
	raw := pbytes(ev, int8(ev.Param("fds")))
	sock, sockNum := v.FD, v.FDNum
	for ; len(raw) >= 4; raw = raw[4:] {
		num := int32(uint32(raw[0]) | uint32(raw[1])<<8 | uint32(raw[2])<<16 | uint32(raw[3])<<24)
		f := &FD{Type: FDUnknown, Name: "scm_rights"}
		if sock != nil && sock.Peer != "" {
			f.Name = "scm_rights:" + sock.Peer
		} else if sock != nil && sock.Name != "" {
			f.Name = "scm_rights:" + sock.Name
		}
		e.install(v, num, f, false)
	}
	v.FD, v.FDNum = sock, sockNum
}

// anonNames are the names the kernel gives anonymous inodes, as /proc/PID/fd shows.
var anonNames = map[string]string{
	"eventfd": "anon_inode:[eventfd]", "eventfd2": "anon_inode:[eventfd]",
	"signalfd4": "anon_inode:[signalfd]", "timerfd_create": "anon_inode:[timerfd]",
	"epoll_create1": "anon_inode:[eventpoll]", "inotify_init1": "anon_inode:inotify",
	"userfaultfd": "anon_inode:[userfaultfd]", "pidfd_open": "anon_inode:[pidfd]",
	"pidfd_getfd": "pidfd_getfd", "io_uring_setup": "anon_inode:[io_uring]",
	"perf_event_open": "anon_inode:[perf_event]", "fsopen": "anon_inode:[fscontext]",
	"fsmount": "fsmount",
}

// applyAnonFD adds an fd on an anonymous inode: eventfd, signalfd, timerfd, epoll,
// inotify, memfd, userfaultfd, pidfd, io_uring, perf_event, fsopen.
func (e *Engine) applyAnonFD(ev *event.Event, o *op, v *View) {
	name := o.name
	if name == "signalfd4" && pint(ev, o.fd) >= 0 {
		e.useFD(v, int32(pint(ev, o.fd))) // changes the mask of an existing signalfd
		return
	}
	f := &FD{Type: o.fdType, Name: anonNames[name], Flags: oRdwr}
	cloexec := pint(ev, o.flags)&oCloexec != 0
	switch name {
	case "memfd_create":
		f.Name = "memfd:" + string(pbytes(ev, 0))
		cloexec = pint(ev, 1)&1 != 0 // MFD_CLOEXEC
	case "pidfd_open", "pidfd_getfd", "io_uring_setup":
		cloexec = true // the kernel always sets O_CLOEXEC on these
	case "perf_event_open":
		cloexec = pint(ev, 3)&8 != 0 // PERF_FLAG_FD_CLOEXEC
	}
	e.install(v, int32(ev.Ret), f, cloexec)
}

// bpf commands that return a new fd.
var bpfFDCmds = map[int64]string{
	0: "anon_inode:bpf-map", 5: "anon_inode:bpf-prog", 7: "anon_inode:bpf-obj",
	13: "anon_inode:bpf-prog", 14: "anon_inode:bpf-map", 17: "anon_inode:bpf_link",
	18: "anon_inode:btf", 19: "anon_inode:btf", 28: "anon_inode:bpf_link",
	30: "anon_inode:bpf_link", 33: "anon_inode:bpf_iter", 36: "anon_inode:bpf_token",
}

// applyBPF adds the fd of a bpf command that creates one; bpf fds are always
// close-on-exec.
func (e *Engine) applyBPF(ev *event.Event, v *View) {
	if name, ok := bpfFDCmds[pint(ev, 0)]; ok && ev.Ret >= 0 {
		e.install(v, int32(ev.Ret), &FD{Type: FDBPF, Name: name, Flags: oRdwr}, true)
	}
}

// applyChdir moves the process's cwd (threads share it: CLONE_FS is the norm).
func (e *Engine) applyChdir(ev *event.Event, o *op, v *View) {
	if o.code == opFchdir {
		e.useFD(v, int32(pint(ev, o.fd)))
		if v.FD != nil && v.FD.Name != "" {
			v.Process.Cwd = v.FD.Name
		}
		return
	}
	v.Process.Cwd = e.resolve(v.Thread, atFDCWD, pbytes(ev, o.path))
}
