package scap

import "github.com/syscam/syscam/event"

// paramRenames maps "syscamtype.scapparam" to the syscam parameter name where the two
// tables name the same value differently.
var paramRenames = map[string]string{
	"dup.oldfd": "fd", "dup2.oldfd": "fd", "dup3.oldfd": "fd",
	"mount.dev": "source", "mount.dir": "target", "mount.type": "fstype",
	"umount2.name": "target", "unlinkat.name": "path", "linkat.olddir": "olddirfd",
	"linkat.newdir": "newdirfd", "symlinkat.linkdirfd": "newdirfd", "chmod.filename": "path",
	"fchmodat.filename": "path", "fchownat.pathname": "path", "ioctl.argument": "arg",
	"nanosleep.interval": "duration", "prlimit64.newcur": "new_cur",
	"prlimit64.newmax": "new_max", "init_module.uargs": "params",
	"finit_module.uargs": "params", "poll.fds": "nfds", "ppoll.fds": "nfds",
	"poll.timeout": "timeout_msecs", "execve.ptid": "ppid", "execveat.ptid": "ppid",
	"execve.exe_ino_mtime": "exe_mtime", "execveat.exe_ino_mtime": "exe_mtime",
	"execve.trusted_exepath": "exepath", "execveat.trusted_exepath": "exepath",
	"execveat.pathname": "filename", "procexit.reaper_tid": "reaper",
	"copy_file_range.fdin": "fd_in", "copy_file_range.fdout": "fd_out", "copy_file_range.len": "size",
	"pidfd_getfd.pid_fd": "pidfd", "pidfd_getfd.target_fd": "targetfd", "io_uring_setup.sq_entries": "entries", "access.name": "path", "faccessat.pathname": "path",
	"prctl.arg2_str": "name",
}

// flagConvs names the conversion of PPM flag and enum parameters, by
// "syscamtype.param". Flag parameters absent from this table and from identityFlags are
// dropped rather than stored with bits that mean something else in Linux.
var flagConvs = map[string]conv{
	"open.flags": cvOpenFlags, "openat.flags": cvOpenFlags, "openat2.flags": cvOpenFlags,
	"open_by_handle_at.flags": cvOpenFlags, "dup3.flags": cvOpenFlags, "pipe2.flags": cvOpenFlags,
	"openat2.resolve": cvResolve, "clone.flags": cvCloneFlags, "clone3.flags": cvCloneFlags,
	"unshare.flags": cvCloneFlags, "setns.nstype": cvCloneFlags, "mmap.prot": cvProt,
	"mprotect.prot": cvProt, "mmap.flags": cvMmapFlags, "fcntl.cmd": cvFcntlCmd,
	"ptrace.request": cvPtraceReq, "setsockopt.level": cvSockoptLevel,
	"getsockopt.level": cvSockoptLevel, "execveat.flags": cvExecveatFlags,
	"io_uring_setup.flags": cvIOUringSetup,
}

// identityFlags are PPM flag and enum parameters whose values equal Linux's.
var identityFlags = map[string]bool{
	"socket.domain": true, "socketpair.domain": true, "shutdown.how": true,
	"lseek.whence": true, "mount.flags": true, "umount2.flags": true,
	"renameat2.flags": true, "linkat.flags": true, "unlinkat.flags": true,
	"memfd_create.flags": true, "finit_module.flags": true, "flock.operation": true,
	"splice.flags": true, "access.mode": true, "faccessat.mode": true,
	"prlimit64.resource": true, "setrlimit.resource": true, "bpf.cmd": true,
	"setsockopt.optname": true, "getsockopt.optname": true,
}

// buildSlots maps the parameters of scap event id onto the syscam type described by
// out, by name.
func buildSlots(id uint16, info *evInfo, out *event.Info) []slot {
	slots := make([]slot, len(info.params))
	for i, pd := range info.params {
		slots[i] = slot{cv: cvSkip, dst: -1, dst2: -1, typ: pd.typ}
		if !isEnter(id) && i == 0 {
			slots[i].cv = cvRet
			continue
		}
		slots[i].cv, slots[i].dst, slots[i].dst2 = mapParam(out, pd)
	}
	return slots
}

func mapParam(out *event.Info, pd paramDef) (conv, int8, int8) {
	if pd.typ == ptSocktuple {
		if l, r := out.ParamIndex("local"), out.ParamIndex("remote"); l >= 0 && r >= 0 {
			return cvTuple, int8(l), int8(r)
		}
		if a := out.ParamIndex("addr"); a >= 0 {
			return cvTuplePeer, int8(a), -1
		}
		return cvSkip, -1, -1
	}
	key := out.Name + "." + pd.name
	name := pd.name
	if r, ok := paramRenames[key]; ok {
		name = r
		key = out.Name + "." + r
	}
	idx := out.ParamIndex(name)
	if idx < 0 {
		return cvSkip, -1, -1
	}
	cv := paramConv(out, idx, key, pd.typ)
	if cv == cvSkip {
		return cvSkip, -1, -1
	}
	return cv, int8(idx), -1
}

// paramConv chooses the conversion of a scap parameter of type typ into syscam
// parameter idx of out.
func paramConv(out *event.Info, idx int, key string, typ ptType) conv {
	kind := out.Params[idx].Kind
	generic := out.Flags&event.Generic != 0
	switch typ {
	case ptFlags8, ptFlags16, ptFlags32, ptEnumflags8, ptEnumflags16, ptEnumflags32:
		if cv, ok := flagConvs[key]; ok {
			return cv
		}
		if identityFlags[key] && !generic {
			return cvInt
		}
		return cvSkip
	case ptCharbuf, ptFspath, ptFsrelpath:
		if kind.IsBytes() && !generic {
			return cvStr
		}
	case ptBytebuf:
		if kind.IsBytes() && !generic {
			return cvBytes
		}
	case ptSockaddr:
		if kind == event.KindSockAddr {
			return cvSockaddr
		}
	case ptDyn:
		if kind == event.KindBytes {
			return cvDynBytes
		}
	case ptFdlist:
		if !kind.IsBytes() {
			return cvFDListLen
		}
	case ptFd, ptFd32:
		if !kind.IsBytes() {
			return cvFD
		}
	default:
		if typ.fixedSize() > 0 && !kind.IsBytes() {
			return cvInt
		}
	}
	return cvSkip
}
