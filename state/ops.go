package state

import (
	"strings"

	"github.com/syscam/syscam/event"
)

// opcode says what an event type does to the state.
type opcode uint8

const (
	opNone          opcode = iota
	opUseFD                // acts on an existing fd: look it up for the view
	opOpen                 // open, openat, openat2, creat, open_by_handle_at, open_tree
	opClose                // close
	opDup                  // dup, dup2, dup3
	opFcntl                // F_DUPFD*, F_SETFD, F_SETFL
	opSocket               // socket
	opPair                 // socketpair, pipe, pipe2
	opConnect              // connect
	opAccept               // accept, accept4
	opBind                 // bind
	opListen               // listen
	opSockName             // getsockname, getpeername
	opSendTo               // sendto/recvfrom/sendmsg: an address fills an unconnected socket
	opRecvMsg              // recvmsg: may install fds passed over a unix socket
	opAnonFD               // eventfd, signalfd, timerfd, epoll, inotify, memfd, userfaultfd, pidfd, io_uring, perf, fsopen
	opBPF                  // bpf: some commands return a new fd
	opChdir                // chdir
	opFchdir               // fchdir
	opExec                 // execve, execveat
	opPrctl                // prctl
	opSetsid               // setsid
	opSetpgid              // setpgid
	opCred                 // set*id, capset
	opUnshare              // unshare
	opFork                 // procfork
	opExit                 // procexit
	opProcInfo             // procinfo
	opFDInfo               // fdinfo
	opUserInfo             // userinfo
	opGroupInfo            // groupinfo
	opCgroupInfo           // cgroupinfo
	opContainerInfo        // containerinfo
)

// op is the opcode of an event type and where its parameters are. A missing
// parameter has index -1.
type op struct {
	code                opcode
	fd                  int8 // "fd"
	dirfd               int8
	path                int8 // the path or name of the object
	flags               int8
	exec                int8   // "filename", the first of the exec image parameters
	fdType              FDType // for opAnonFD
	name                string // the type's name, for the handlers that vary by call
	dev, ino            int8
	addr, local, remote int8 // socket address parameters
}

// ops is indexed by event type; built once, never modified.
var ops = buildOps()

func buildOps() []op {
	t := make([]op, event.MaxType())
	for _, in := range event.All() {
		t[in.Type] = opFor(in)
	}
	return t
}

var opByName = map[string]opcode{
	"open": opOpen, "openat": opOpen, "openat2": opOpen, "creat": opOpen,
	"open_by_handle_at": opOpen, "open_tree": opOpen,
	"close": opClose, "dup": opDup, "dup2": opDup, "dup3": opDup, "fcntl": opFcntl,
	"socket": opSocket, "socketpair": opPair, "pipe": opPair, "pipe2": opPair,
	"connect": opConnect, "accept": opAccept, "accept4": opAccept, "bind": opBind,
	"listen": opListen, "getsockname": opSockName, "getpeername": opSockName,
	"sendto": opSendTo, "recvfrom": opSendTo, "sendmsg": opSendTo, "recvmsg": opRecvMsg,
	"bpf": opBPF, "chdir": opChdir, "fchdir": opFchdir, "execve": opExec, "execveat": opExec,
	"prctl": opPrctl, "setsid": opSetsid, "setpgid": opSetpgid,
	"setuid": opCred, "setgid": opCred, "setreuid": opCred, "setregid": opCred,
	"setresuid": opCred, "setresgid": opCred, "setfsuid": opCred, "setfsgid": opCred,
	"capset": opCred, "unshare": opUnshare,
	"procfork": opFork, "procexit": opExit, "procinfo": opProcInfo, "fdinfo": opFDInfo,
	"userinfo": opUserInfo, "groupinfo": opGroupInfo, "cgroupinfo": opCgroupInfo,
	"containerinfo": opContainerInfo,
}

var anonTypes = map[string]FDType{
	"eventfd": FDEvent, "eventfd2": FDEvent, "signalfd4": FDSignal, "timerfd_create": FDTimer,
	"epoll_create1": FDEventPoll, "inotify_init1": FDInotify, "memfd_create": FDMemfd,
	"userfaultfd": FDUserfault, "pidfd_open": FDPidfd, "pidfd_getfd": FDUnknown,
	"io_uring_setup": FDIOUring, "perf_event_open": FDUnknown, "fsopen": FDUnknown,
	"fsmount": FDDirectory,
}

func opFor(in *event.Info) op {
	o := op{
		code:  opByName[in.Name],
		fd:    int8(in.ParamIndex("fd")),
		dirfd: int8(in.ParamIndex("dirfd")),
		path:  int8(max(in.ParamIndex("name"), in.ParamIndex("path"))),
		flags: int8(in.ParamIndex("flags")),
		exec:  int8(in.ParamIndex("filename")),
		name:  in.Name,
		dev:   int8(in.ParamIndex("dev")), ino: int8(in.ParamIndex("ino")),
		addr: int8(in.ParamIndex("addr")), local: int8(in.ParamIndex("local")),
		remote: int8(in.ParamIndex("remote")),
	}
	if ft, ok := anonTypes[in.Name]; ok {
		o.code, o.fdType = opAnonFD, ft
	}
	if o.code == opNone && o.fd < 0 && in.Category == event.CatIO {
		o.fd = int8(firstFD(in)) // sendfile, splice, copy_file_range
	}
	if o.code == opNone && o.fd >= 0 && (in.Has(event.UsesFD) || in.Category == event.CatIO) {
		o.code = opUseFD
	}
	return o
}

// firstFD returns the index of the first fd parameter that is not a directory
// (sendfile's out_fd, splice's fd_in), as libsinsp takes a call's fd; -1 if none.
// Calls the table does not flag UsesFD (mmap) name no fd, as in Falco.
func firstFD(in *event.Info) int {
	if in.Flags&event.Generic != 0 {
		return -1
	}
	for i, p := range in.Params {
		if p.Kind == event.KindFD && !strings.Contains(p.Name, "dir") {
			return i
		}
	}
	return -1
}

// opOf returns the op of an event type; unknown types do nothing.
func opOf(t event.Type) *op {
	if int(t) < len(ops) {
		return &ops[t]
	}
	return &nop
}

// nop is the op of types this version does not know.
var nop = op{fd: -1, dirfd: -1, path: -1, flags: -1, exec: -1, dev: -1, ino: -1, addr: -1, local: -1, remote: -1}
