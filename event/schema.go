package event

// Shorthands for the schema tables below.
func p(name string, k Kind) ParamInfo        { return ParamInfo{Name: name, Kind: k} }
func fl(name string, s *FlagSet) ParamInfo   { return ParamInfo{Name: name, Kind: KindFlags, Set: s} }
func enum(name string, s *FlagSet) ParamInfo { return ParamInfo{Name: name, Kind: KindEnum, Set: s} }
func ps(list ...ParamInfo) []ParamInfo       { return list }

// Parameter lists shared by several types.
var (
	pFD      = p("fd", KindFD)
	pDirFD   = p("dirfd", KindFD)
	pPath    = p("path", KindPath)
	pName    = p("name", KindPath)
	pMode    = p("mode", KindMode)
	pData    = p("data", KindBytes)
	pSize    = p("size", KindUint)
	pAddr    = p("addr", KindSockAddr)
	pAddrSrc = enum("addr_src", AddrSource) // where addr came from (added after addr; additive)
	pTuple   = []ParamInfo{p("local", KindSockAddr), p("remote", KindSockAddr)}
	ioRead   = ps(pFD, pData, pSize)
	ioWrite  = ps(pFD, pData, pSize)
	ioPRead  = ps(pFD, pData, pSize, p("pos", KindInt))
	sockIO   = ps(pFD, pData, pSize, pAddr, pAddrSrc)
	statPath = ps(pPath)
)

// execParams is the process image after a successful execve or execveat, and the
// caller's arguments after a failed one. The recorder fills what it can read; the
// sha256 of the executable is added in user space at its first exec.
func execParams(extra ...ParamInfo) []ParamInfo {
	return append(extra,
		p("filename", KindPath), // as passed by the caller
		p("argv", KindStrings),
		p("env", KindStrings),  // empty unless the recorder ran with --env
		p("exepath", KindPath), // resolved executable of the new image
		p("cwd", KindPath),
		p("comm", KindString),
		p("ppid", KindPID),
		p("uid", KindUID), p("gid", KindGID), p("euid", KindUID), p("egid", KindGID),
		p("loginuid", KindUID),
		p("cap_effective", KindHex), p("cap_permitted", KindHex),
		p("tty", KindUint), p("sid", KindPID), p("pgid", KindPID),
		p("exe_ino", KindUint), p("exe_dev", KindUint), p("exe_mtime", KindTime),
		p("cgroup_id", KindUint),
		p("sha256", KindDigest),
	)
}

// syscallSchemas are the syscalls decoded with named, typed parameters. Their numbers
// come from the x86_64 table by name. Parameters that only exist after the call (the
// data read, the fds of a pipe, the peer of an accept) are filled at sys_exit.
var syscallSchemas = []Info{
	// Files and directories.
	{Name: "open", Category: CatFile, Flags: CreatesFD, Params: ps(pName, fl("flags", OpenFlags), pMode, p("dev", KindUint), p("ino", KindUint))},
	{Name: "openat", Category: CatFile, Flags: CreatesFD, Params: ps(pDirFD, pName, fl("flags", OpenFlags), pMode, p("dev", KindUint), p("ino", KindUint))},
	{Name: "openat2", Category: CatFile, Flags: CreatesFD, Params: ps(pDirFD, pName, fl("flags", OpenFlags), pMode, p("resolve", KindHex), p("dev", KindUint), p("ino", KindUint))},
	{Name: "creat", Category: CatFile, Flags: CreatesFD, Params: ps(pName, pMode, p("dev", KindUint), p("ino", KindUint))},
	// path: the opened file's path, read from the new fd at exit (a handle names no
	// path); mountpath: the path of mountfd; handle: f_handle of the struct file_handle.
	{Name: "open_by_handle_at", Category: CatFile, Flags: CreatesFD, Params: ps(p("mountfd", KindFD), fl("flags", OpenFlags), pPath,
		p("mountpath", KindPath), p("handle_type", KindInt), p("handle", KindBytes), p("dev", KindUint), p("ino", KindUint))},
	{Name: "close", Category: CatFile, Flags: ClosesFD | UsesFD, Params: ps(pFD)},
	{Name: "stat", Category: CatFile, Params: statPath},
	{Name: "lstat", Category: CatFile, Params: statPath},
	{Name: "fstat", Category: CatFile, Flags: UsesFD, Params: ps(pFD)},
	{Name: "newfstatat", Category: CatFile, Params: ps(pDirFD, pPath, fl("flags", AtFlags))},
	{Name: "statx", Category: CatFile, Params: ps(pDirFD, pPath, fl("flags", AtFlags), p("mask", KindHex))},
	{Name: "access", Category: CatFile, Params: ps(pPath, fl("mode", AccessMode))},
	{Name: "faccessat", Category: CatFile, Params: ps(pDirFD, pPath, fl("mode", AccessMode))},
	{Name: "faccessat2", Category: CatFile, Params: ps(pDirFD, pPath, fl("mode", AccessMode), fl("flags", AtFlags))},
	{Name: "lseek", Category: CatFile, Flags: UsesFD, Params: ps(pFD, p("offset", KindInt), enum("whence", Whence))},
	{Name: "truncate", Category: CatFile, Params: ps(pPath, p("length", KindInt))},
	{Name: "ftruncate", Category: CatFile, Flags: UsesFD, Params: ps(pFD, p("length", KindInt))},
	{Name: "chdir", Category: CatFile, Params: ps(pPath)},
	{Name: "fchdir", Category: CatFile, Flags: UsesFD, Params: ps(pFD)},
	{Name: "chroot", Category: CatFile, Params: ps(pPath)},
	{Name: "pivot_root", Category: CatSystem, Params: ps(p("new_root", KindPath), p("put_old", KindPath))},
	{Name: "rename", Category: CatFile, Params: ps(p("oldpath", KindPath), p("newpath", KindPath))},
	{Name: "renameat", Category: CatFile, Params: ps(p("olddirfd", KindFD), p("oldpath", KindPath), p("newdirfd", KindFD), p("newpath", KindPath))},
	{Name: "renameat2", Category: CatFile, Params: ps(p("olddirfd", KindFD), p("oldpath", KindPath), p("newdirfd", KindFD), p("newpath", KindPath), fl("flags", RenameFlags))},
	{Name: "mkdir", Category: CatFile, Params: ps(pPath, pMode)},
	{Name: "mkdirat", Category: CatFile, Params: ps(pDirFD, pPath, pMode)},
	{Name: "rmdir", Category: CatFile, Params: ps(pPath)},
	{Name: "link", Category: CatFile, Params: ps(p("oldpath", KindPath), p("newpath", KindPath))},
	{Name: "linkat", Category: CatFile, Params: ps(p("olddirfd", KindFD), p("oldpath", KindPath), p("newdirfd", KindFD), p("newpath", KindPath), fl("flags", AtFlags))},
	{Name: "unlink", Category: CatFile, Params: ps(pPath)},
	{Name: "unlinkat", Category: CatFile, Params: ps(pDirFD, pPath, fl("flags", AtFlags))},
	{Name: "symlink", Category: CatFile, Params: ps(p("target", KindPath), p("linkpath", KindPath))},
	{Name: "symlinkat", Category: CatFile, Params: ps(p("target", KindPath), p("newdirfd", KindFD), p("linkpath", KindPath))},
	{Name: "readlink", Category: CatFile, Params: ps(pPath, p("target", KindPath))},
	{Name: "readlinkat", Category: CatFile, Params: ps(pDirFD, pPath, p("target", KindPath))},
	{Name: "chmod", Category: CatFile, Params: ps(pPath, pMode)},
	{Name: "fchmod", Category: CatFile, Flags: UsesFD, Params: ps(pFD, pMode)},
	{Name: "fchmodat", Category: CatFile, Params: ps(pDirFD, pPath, pMode)},
	{Name: "fchmodat2", Category: CatFile, Params: ps(pDirFD, pPath, pMode, fl("flags", AtFlags))},
	{Name: "chown", Category: CatFile, Params: ps(pPath, p("uid", KindUID), p("gid", KindGID))},
	{Name: "lchown", Category: CatFile, Params: ps(pPath, p("uid", KindUID), p("gid", KindGID))},
	{Name: "fchown", Category: CatFile, Flags: UsesFD, Params: ps(pFD, p("uid", KindUID), p("gid", KindGID))},
	{Name: "fchownat", Category: CatFile, Params: ps(pDirFD, pPath, p("uid", KindUID), p("gid", KindGID), fl("flags", AtFlags))},
	{Name: "mknod", Category: CatFile, Params: ps(pPath, pMode, p("dev", KindUint))},
	{Name: "mknodat", Category: CatFile, Params: ps(pDirFD, pPath, pMode, p("dev", KindUint))},
	{Name: "utimensat", Category: CatFile, Params: ps(pDirFD, pPath, fl("flags", AtFlags))},
	{Name: "fcntl", Category: CatFile, Flags: UsesFD, Params: ps(pFD, enum("cmd", FcntlCmd), p("arg", KindHex))},
	{Name: "ioctl", Category: CatFile, Flags: UsesFD, Params: ps(pFD, p("request", KindHex), p("arg", KindHex))},
	{Name: "dup", Category: CatFile, Flags: CreatesFD | UsesFD, Params: ps(pFD)},
	{Name: "dup2", Category: CatFile, Flags: CreatesFD | UsesFD, Params: ps(pFD, p("newfd", KindFD))},
	{Name: "dup3", Category: CatFile, Flags: CreatesFD | UsesFD, Params: ps(pFD, p("newfd", KindFD), fl("flags", OpenFlags))},
	{Name: "flock", Category: CatFile, Flags: UsesFD, Params: ps(pFD, p("operation", KindHex))},
	{Name: "getdents64", Category: CatFile, Flags: UsesFD, Params: ps(pFD, pSize)},
	{Name: "inotify_init1", Category: CatFile, Flags: CreatesFD, Params: ps(fl("flags", OpenFlags))},
	{Name: "inotify_add_watch", Category: CatFile, Flags: UsesFD, Params: ps(pFD, pPath, p("mask", KindHex))},
	{Name: "memfd_create", Category: CatMemory, Flags: CreatesFD, Params: ps(p("name", KindString), fl("flags", MemfdFlags))},
	// handle_type, handle, mount_id: what the call wrote, after a successful call.
	{Name: "name_to_handle_at", Category: CatFile, Params: ps(pDirFD, pPath, fl("flags", AtFlags),
		p("handle_type", KindInt), p("handle", KindBytes), p("mount_id", KindInt))},
	// I/O.
	{Name: "read", Category: CatIO, Flags: UsesFD | ReadsData, Params: ioRead},
	{Name: "write", Category: CatIO, Flags: UsesFD | WritesData, Params: ioWrite},
	{Name: "pread64", Category: CatIO, Flags: UsesFD | ReadsData, Params: ioPRead},
	{Name: "pwrite64", Category: CatIO, Flags: UsesFD | WritesData, Params: ioPRead},
	{Name: "readv", Category: CatIO, Flags: UsesFD | ReadsData, Params: ioRead},
	{Name: "writev", Category: CatIO, Flags: UsesFD | WritesData, Params: ioWrite},
	{Name: "preadv", Category: CatIO, Flags: UsesFD | ReadsData, Params: ioPRead},
	{Name: "pwritev", Category: CatIO, Flags: UsesFD | WritesData, Params: ioPRead},
	{Name: "sendfile", Category: CatIO, Params: ps(p("out_fd", KindFD), p("in_fd", KindFD), p("offset", KindInt), pSize)},
	{Name: "splice", Category: CatIO, Params: ps(p("fd_in", KindFD), p("fd_out", KindFD), pSize, p("flags", KindHex))},
	{Name: "copy_file_range", Category: CatIO, Params: ps(p("fd_in", KindFD), p("fd_out", KindFD), pSize)},
	// Network.
	{Name: "socket", Category: CatNet, Flags: CreatesFD, Params: ps(enum("domain", SockFamily), fl("type", SockType), enum("proto", IPProto))},
	{Name: "socketpair", Category: CatNet, Params: ps(enum("domain", SockFamily), fl("type", SockType), enum("proto", IPProto), p("fd1", KindFD), p("fd2", KindFD))},
	{Name: "connect", Category: CatNet, Flags: UsesFD, Params: append(ps(pFD, pAddr), pTuple...)},
	{Name: "accept", Category: CatNet, Flags: CreatesFD | UsesFD, Params: append(ps(pFD), pTuple...)},
	{Name: "accept4", Category: CatNet, Flags: CreatesFD | UsesFD, Params: append(ps(pFD, fl("flags", SockType)), pTuple...)},
	{Name: "bind", Category: CatNet, Flags: UsesFD, Params: ps(pFD, pAddr)},
	{Name: "listen", Category: CatNet, Flags: UsesFD, Params: ps(pFD, p("backlog", KindInt))},
	{Name: "shutdown", Category: CatNet, Flags: UsesFD, Params: ps(pFD, enum("how", Shutdown))},
	{Name: "sendto", Category: CatNet, Flags: UsesFD | WritesData, Params: sockIO},
	{Name: "recvfrom", Category: CatNet, Flags: UsesFD | ReadsData, Params: sockIO},
	{Name: "sendmsg", Category: CatNet, Flags: UsesFD | WritesData, Params: sockIO},
	{Name: "recvmsg", Category: CatNet, Flags: UsesFD | ReadsData, Params: append(ps(pFD, pData, pSize, pAddr), p("fds", KindBytes), pAddrSrc)},
	{Name: "sendmmsg", Category: CatNet, Flags: UsesFD | WritesData, Params: ps(pFD, p("vlen", KindUint))},
	{Name: "recvmmsg", Category: CatNet, Flags: UsesFD | ReadsData, Params: ps(pFD, p("vlen", KindUint))},
	{Name: "getsockname", Category: CatNet, Flags: UsesFD, Params: ps(pFD, pAddr)},
	{Name: "getpeername", Category: CatNet, Flags: UsesFD, Params: ps(pFD, pAddr)},
	{Name: "setsockopt", Category: CatNet, Flags: UsesFD, Params: ps(pFD, enum("level", SockLevel), p("optname", KindInt), p("val", KindBytes))},
	{Name: "getsockopt", Category: CatNet, Flags: UsesFD, Params: ps(pFD, enum("level", SockLevel), p("optname", KindInt))},
	// Processes.
	{Name: "clone", Category: CatProcess, Params: ps(fl("flags", CloneFlags))},
	{Name: "clone3", Category: CatProcess, Params: ps(fl("flags", CloneFlags), p("exit_signal", KindSignal))},
	{Name: "fork", Category: CatProcess},
	{Name: "vfork", Category: CatProcess},
	{Name: "execve", Category: CatProcess, Params: execParams()},
	{Name: "execveat", Category: CatProcess, Params: execParams(pDirFD, fl("flags", AtFlags))},
	{Name: "exit", Category: CatProcess, Params: ps(p("status", KindInt))},
	{Name: "exit_group", Category: CatProcess, Params: ps(p("status", KindInt))},
	{Name: "wait4", Category: CatProcess, Params: ps(p("pid", KindPID), p("status", KindHex), p("options", KindHex))},
	{Name: "waitid", Category: CatProcess, Params: ps(p("idtype", KindInt), p("id", KindPID), p("options", KindHex))},
	{Name: "kill", Category: CatSignal, Params: ps(p("pid", KindPID), p("sig", KindSignal))},
	{Name: "tkill", Category: CatSignal, Params: ps(p("tid", KindPID), p("sig", KindSignal))},
	{Name: "tgkill", Category: CatSignal, Params: ps(p("pid", KindPID), p("tid", KindPID), p("sig", KindSignal))},
	{Name: "pidfd_open", Category: CatProcess, Flags: CreatesFD, Params: ps(p("pid", KindPID), p("flags", KindHex))},
	{Name: "pidfd_getfd", Category: CatProcess, Flags: CreatesFD, Params: ps(p("pidfd", KindFD), p("targetfd", KindFD))},
	{Name: "pidfd_send_signal", Category: CatSignal, Params: ps(p("pidfd", KindFD), p("sig", KindSignal))},
	{Name: "ptrace", Category: CatProcess, Params: ps(enum("request", PtraceRequest), p("pid", KindPID), p("addr", KindHex), p("data", KindHex))},
	{Name: "process_vm_readv", Category: CatProcess, Params: ps(p("pid", KindPID), pSize)},
	{Name: "process_vm_writev", Category: CatProcess, Params: ps(p("pid", KindPID), pSize)},
	{Name: "prctl", Category: CatProcess, Params: ps(enum("option", PrctlOption), p("arg2", KindHex), p("name", KindString))},
	{Name: "setsid", Category: CatProcess},
	{Name: "setpgid", Category: CatProcess, Params: ps(p("pid", KindPID), p("pgid", KindPID))},
	{Name: "getpid", Category: CatProcess},
	{Name: "getppid", Category: CatProcess},
	{Name: "gettid", Category: CatProcess},
	{Name: "prlimit64", Category: CatProcess, Params: ps(p("pid", KindPID), enum("resource", Rlimit), p("new_cur", KindInt), p("new_max", KindInt))},
	{Name: "setrlimit", Category: CatProcess, Params: ps(enum("resource", Rlimit), p("cur", KindInt), p("max", KindInt))},
	{Name: "seccomp", Category: CatProcess, Params: ps(enum("op", SeccompOp), p("flags", KindHex))},
	// Credentials.
	{Name: "setuid", Category: CatCred, Params: ps(p("uid", KindUID))},
	{Name: "setgid", Category: CatCred, Params: ps(p("gid", KindGID))},
	{Name: "setreuid", Category: CatCred, Params: ps(p("ruid", KindUID), p("euid", KindUID))},
	{Name: "setregid", Category: CatCred, Params: ps(p("rgid", KindGID), p("egid", KindGID))},
	{Name: "setresuid", Category: CatCred, Params: ps(p("ruid", KindUID), p("euid", KindUID), p("suid", KindUID))},
	{Name: "setresgid", Category: CatCred, Params: ps(p("rgid", KindGID), p("egid", KindGID), p("sgid", KindGID))},
	{Name: "setfsuid", Category: CatCred, Params: ps(p("uid", KindUID))},
	{Name: "setfsgid", Category: CatCred, Params: ps(p("gid", KindGID))},
	{Name: "setgroups", Category: CatCred, Params: ps(p("size", KindUint))},
	{Name: "capset", Category: CatCred, Params: ps(p("cap_effective", KindHex), p("cap_permitted", KindHex), p("cap_inheritable", KindHex))},
	{Name: "getuid", Category: CatCred},
	{Name: "geteuid", Category: CatCred},
	// Memory.
	{Name: "mmap", Category: CatMemory, Params: ps(p("addr", KindHex), p("length", KindUint), fl("prot", ProtFlags), fl("flags", MmapFlags), pFD, p("offset", KindUint))},
	{Name: "mprotect", Category: CatMemory, Params: ps(p("addr", KindHex), p("length", KindUint), fl("prot", ProtFlags))},
	{Name: "pkey_mprotect", Category: CatMemory, Params: ps(p("addr", KindHex), p("length", KindUint), fl("prot", ProtFlags), p("pkey", KindInt))},
	{Name: "munmap", Category: CatMemory, Params: ps(p("addr", KindHex), p("length", KindUint))},
	{Name: "userfaultfd", Category: CatMemory, Flags: CreatesFD, Params: ps(fl("flags", OpenFlags))},
	// IPC and event fds.
	{Name: "pipe", Category: CatIPC, Params: ps(p("fd1", KindFD), p("fd2", KindFD))},
	{Name: "pipe2", Category: CatIPC, Params: ps(p("fd1", KindFD), p("fd2", KindFD), fl("flags", OpenFlags))},
	{Name: "eventfd", Category: CatIPC, Flags: CreatesFD, Params: ps(p("initval", KindUint))},
	{Name: "eventfd2", Category: CatIPC, Flags: CreatesFD, Params: ps(p("initval", KindUint), fl("flags", OpenFlags))},
	{Name: "signalfd4", Category: CatIPC, Flags: CreatesFD, Params: ps(pFD, fl("flags", OpenFlags))},
	{Name: "timerfd_create", Category: CatIPC, Flags: CreatesFD, Params: ps(p("clockid", KindInt), fl("flags", OpenFlags))},
	{Name: "epoll_create1", Category: CatIPC, Flags: CreatesFD, Params: ps(fl("flags", OpenFlags))},
	// System: modules, mounts, bpf, namespaces, io_uring, host.
	{Name: "init_module", Category: CatSystem, Params: ps(p("length", KindUint), p("params", KindString))},
	{Name: "finit_module", Category: CatSystem, Flags: UsesFD, Params: ps(pFD, p("params", KindString), fl("flags", ModuleFlags))},
	{Name: "delete_module", Category: CatSystem, Params: ps(p("name", KindString), fl("flags", OpenFlags))},
	{Name: "mount", Category: CatSystem, Params: ps(p("source", KindPath), p("target", KindPath), p("fstype", KindString), fl("flags", MountFlags))},
	{Name: "umount2", Category: CatSystem, Params: ps(p("target", KindPath), fl("flags", UmountFlags))},
	{Name: "open_tree", Category: CatSystem, Flags: CreatesFD, Params: ps(pDirFD, pPath, p("flags", KindHex))},
	{Name: "move_mount", Category: CatSystem, Params: ps(p("from_dirfd", KindFD), p("from_path", KindPath), p("to_dirfd", KindFD), p("to_path", KindPath), p("flags", KindHex))},
	{Name: "fsopen", Category: CatSystem, Flags: CreatesFD, Params: ps(p("fstype", KindString), p("flags", KindHex))},
	{Name: "fsmount", Category: CatSystem, Flags: CreatesFD, Params: ps(pFD, p("flags", KindHex), p("attr_flags", KindHex))},
	{Name: "bpf", Category: CatSystem, Params: ps(enum("cmd", BPFCmd), p("prog_type", KindInt), p("prog_name", KindString), p("insn_cnt", KindUint))},
	{Name: "unshare", Category: CatSystem, Params: ps(fl("flags", CloneFlags))},
	{Name: "setns", Category: CatSystem, Flags: UsesFD, Params: ps(pFD, fl("nstype", CloneFlags))},
	{Name: "io_uring_setup", Category: CatSystem, Flags: CreatesFD, Params: ps(p("entries", KindUint), fl("flags", IOUringSetup), p("sq_thread_cpu", KindInt))},
	{Name: "io_uring_enter", Category: CatSystem, Flags: UsesFD, Params: ps(pFD, p("to_submit", KindUint), p("min_complete", KindUint), p("flags", KindHex))},
	{Name: "io_uring_register", Category: CatSystem, Flags: UsesFD, Params: ps(pFD, p("opcode", KindUint), p("nr_args", KindUint))},
	{Name: "kexec_load", Category: CatSystem, Params: ps(p("entry", KindHex), p("nr_segments", KindUint), p("flags", KindHex))},
	{Name: "kexec_file_load", Category: CatSystem, Params: ps(p("kernel_fd", KindFD), p("initrd_fd", KindFD), p("cmdline", KindString), p("flags", KindHex))},
	{Name: "reboot", Category: CatSystem, Params: ps(p("cmd", KindHex))},
	{Name: "sethostname", Category: CatSystem, Params: ps(p("name", KindString))},
	{Name: "settimeofday", Category: CatSystem},
	{Name: "clock_settime", Category: CatSystem, Params: ps(p("clockid", KindInt))},
	{Name: "syslog", Category: CatSystem, Params: ps(p("type", KindInt))},
	{Name: "acct", Category: CatSystem, Params: ps(pPath)},
	{Name: "swapon", Category: CatSystem, Params: ps(pPath, p("flags", KindHex))},
	{Name: "swapoff", Category: CatSystem, Params: ps(pPath)},
	{Name: "perf_event_open", Category: CatSystem, Flags: CreatesFD, Params: ps(p("pid", KindPID), p("cpu", KindInt), p("group_fd", KindFD), p("flags", KindHex))},
	{Name: "keyctl", Category: CatSystem, Params: ps(p("operation", KindInt))},
	{Name: "add_key", Category: CatSystem, Params: ps(p("type", KindString), p("description", KindString))},
	{Name: "nanosleep", Category: CatOther, Params: ps(p("duration", KindDuration))},
}
