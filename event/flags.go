package event

import "strconv"

// FlagSet names the values of a flags or enum parameter.
type FlagSet struct {
	Name  string
	Enum  bool // values are exclusive, not bits
	Items []FlagItem
	// Mask, for bit sets with an enumerated low part (open's access mode, socket
	// type): the bits below Mask are matched as one value against Low.
	Mask uint64
	Low  []FlagItem
}

// FlagItem is one named value.
type FlagItem struct {
	Name  string
	Value uint64
}

// Lookup returns the value named name.
func (fs *FlagSet) Lookup(name string) (uint64, bool) {
	for _, it := range fs.Low {
		if it.Name == name {
			return it.Value, true
		}
	}
	for _, it := range fs.Items {
		if it.Name == name {
			return it.Value, true
		}
	}
	return 0, false
}

// Append appends the rendering of v, "O_RDWR|O_CREAT" or "SIGKILL", to dst. Bits or
// values without a name are shown in hex.
func (fs *FlagSet) Append(dst []byte, v uint64) []byte {
	if fs.Enum {
		for _, it := range fs.Items {
			if it.Value == v {
				return append(dst, it.Name...)
			}
		}
		return strconv.AppendInt(dst, int64(v), 10)
	}
	start := len(dst)
	sep := func() {
		if len(dst) > start {
			dst = append(dst, '|')
		}
	}
	if fs.Mask != 0 {
		low := v & fs.Mask
		for _, it := range fs.Low {
			if it.Value == low {
				dst = append(dst, it.Name...)
				v &^= fs.Mask
				break
			}
		}
	}
	for _, it := range fs.Items {
		if it.Value != 0 && v&it.Value == it.Value {
			sep()
			dst = append(dst, it.Name...)
			v &^= it.Value
		}
	}
	if v != 0 {
		sep()
		dst = append(dst, "0x"...)
		dst = strconv.AppendUint(dst, v, 16)
	}
	if len(dst) == start {
		dst = append(dst, '0')
	}
	return dst
}

// The flag sets named by the syscall schemas. Values are Linux x86_64's.
var (
	OpenFlags = &FlagSet{Name: "open_flags", Mask: 3,
		Low: []FlagItem{{"O_RDONLY", 0}, {"O_WRONLY", 1}, {"O_RDWR", 2}},
		Items: []FlagItem{{"O_CREAT", 0o100}, {"O_EXCL", 0o200}, {"O_NOCTTY", 0o400},
			{"O_TRUNC", 0o1000}, {"O_APPEND", 0o2000}, {"O_NONBLOCK", 0o4000},
			{"O_DSYNC", 0o10000}, {"O_ASYNC", 0o20000}, {"O_DIRECT", 0o40000},
			{"O_LARGEFILE", 0o100000}, {"O_DIRECTORY", 0o200000}, {"O_NOFOLLOW", 0o400000},
			{"O_NOATIME", 0o1000000}, {"O_CLOEXEC", 0o2000000}, {"O_SYNC", 0o4010000},
			{"O_PATH", 0o10000000}, {"O_TMPFILE", 0o20200000}}}
	CloneFlags = &FlagSet{Name: "clone_flags", Mask: 0xff,
		Items: []FlagItem{{"CLONE_VM", 0x100}, {"CLONE_FS", 0x200}, {"CLONE_FILES", 0x400},
			{"CLONE_SIGHAND", 0x800}, {"CLONE_PIDFD", 0x1000}, {"CLONE_PTRACE", 0x2000},
			{"CLONE_VFORK", 0x4000}, {"CLONE_PARENT", 0x8000}, {"CLONE_THREAD", 0x10000},
			{"CLONE_NEWNS", 0x20000}, {"CLONE_SYSVSEM", 0x40000}, {"CLONE_SETTLS", 0x80000},
			{"CLONE_PARENT_SETTID", 0x100000}, {"CLONE_CHILD_CLEARTID", 0x200000},
			{"CLONE_DETACHED", 0x400000}, {"CLONE_UNTRACED", 0x800000},
			{"CLONE_CHILD_SETTID", 0x1000000}, {"CLONE_NEWCGROUP", 0x2000000},
			{"CLONE_NEWUTS", 0x4000000}, {"CLONE_NEWIPC", 0x8000000},
			{"CLONE_NEWUSER", 0x10000000}, {"CLONE_NEWPID", 0x20000000},
			{"CLONE_NEWNET", 0x40000000}, {"CLONE_IO", 0x80000000},
			{"CLONE_CLEAR_SIGHAND", 0x100000000}, {"CLONE_INTO_CGROUP", 0x200000000},
			{"CLONE_NEWTIME", 0x80}}}
	ProtFlags = &FlagSet{Name: "prot", Items: []FlagItem{{"PROT_READ", 1}, {"PROT_WRITE", 2},
		{"PROT_EXEC", 4}, {"PROT_SEM", 8}, {"PROT_GROWSDOWN", 0x01000000}, {"PROT_GROWSUP", 0x02000000}}}
	MmapFlags = &FlagSet{Name: "mmap_flags", Items: []FlagItem{{"MAP_SHARED", 1}, {"MAP_PRIVATE", 2},
		{"MAP_SHARED_VALIDATE", 3}, {"MAP_FIXED", 0x10}, {"MAP_ANONYMOUS", 0x20}, {"MAP_32BIT", 0x40},
		{"MAP_GROWSDOWN", 0x100}, {"MAP_DENYWRITE", 0x800}, {"MAP_EXECUTABLE", 0x1000},
		{"MAP_LOCKED", 0x2000}, {"MAP_NORESERVE", 0x4000}, {"MAP_POPULATE", 0x8000},
		{"MAP_NONBLOCK", 0x10000}, {"MAP_STACK", 0x20000}, {"MAP_HUGETLB", 0x40000},
		{"MAP_SYNC", 0x80000}, {"MAP_FIXED_NOREPLACE", 0x100000}}}
	AtFlags = &FlagSet{Name: "at_flags", Items: []FlagItem{{"AT_SYMLINK_NOFOLLOW", 0x100},
		{"AT_REMOVEDIR", 0x200}, {"AT_SYMLINK_FOLLOW", 0x400}, {"AT_NO_AUTOMOUNT", 0x800},
		{"AT_EMPTY_PATH", 0x1000}}}
	AccessMode = &FlagSet{Name: "access_mode", Items: []FlagItem{{"R_OK", 4}, {"W_OK", 2}, {"X_OK", 1}}}
	SockFamily = &FlagSet{Name: "socket_family", Enum: true, Items: []FlagItem{{"AF_UNSPEC", 0},
		{"AF_UNIX", 1}, {"AF_INET", 2}, {"AF_AX25", 3}, {"AF_IPX", 4}, {"AF_APPLETALK", 5},
		{"AF_NETROM", 6}, {"AF_BRIDGE", 7}, {"AF_INET6", 10}, {"AF_NETLINK", 16},
		{"AF_PACKET", 17}, {"AF_BLUETOOTH", 31}, {"AF_ALG", 38}, {"AF_VSOCK", 40}, {"AF_XDP", 44}}}
	SockType = &FlagSet{Name: "socket_type", Mask: 0xf,
		Low: []FlagItem{{"SOCK_STREAM", 1}, {"SOCK_DGRAM", 2}, {"SOCK_RAW", 3}, {"SOCK_RDM", 4},
			{"SOCK_SEQPACKET", 5}, {"SOCK_DCCP", 6}, {"SOCK_PACKET", 10}},
		Items: []FlagItem{{"SOCK_NONBLOCK", 0o4000}, {"SOCK_CLOEXEC", 0o2000000}}}
	IPProto = &FlagSet{Name: "ip_proto", Enum: true, Items: []FlagItem{{"IPPROTO_IP", 0},
		{"IPPROTO_ICMP", 1}, {"IPPROTO_TCP", 6}, {"IPPROTO_UDP", 17}, {"IPPROTO_IPV6", 41},
		{"IPPROTO_ICMPV6", 58}, {"IPPROTO_SCTP", 132}, {"IPPROTO_RAW", 255}}}
	Signals = &FlagSet{Name: "signal", Enum: true, Items: []FlagItem{{"0", 0}, {"SIGHUP", 1},
		{"SIGINT", 2}, {"SIGQUIT", 3}, {"SIGILL", 4}, {"SIGTRAP", 5}, {"SIGABRT", 6},
		{"SIGBUS", 7}, {"SIGFPE", 8}, {"SIGKILL", 9}, {"SIGUSR1", 10}, {"SIGSEGV", 11},
		{"SIGUSR2", 12}, {"SIGPIPE", 13}, {"SIGALRM", 14}, {"SIGTERM", 15}, {"SIGSTKFLT", 16},
		{"SIGCHLD", 17}, {"SIGCONT", 18}, {"SIGSTOP", 19}, {"SIGTSTP", 20}, {"SIGTTIN", 21},
		{"SIGTTOU", 22}, {"SIGURG", 23}, {"SIGXCPU", 24}, {"SIGXFSZ", 25}, {"SIGVTALRM", 26},
		{"SIGPROF", 27}, {"SIGWINCH", 28}, {"SIGIO", 29}, {"SIGPWR", 30}, {"SIGSYS", 31}}}
	PtraceRequest = &FlagSet{Name: "ptrace_request", Enum: true, Items: []FlagItem{
		{"PTRACE_TRACEME", 0}, {"PTRACE_PEEKTEXT", 1}, {"PTRACE_PEEKDATA", 2},
		{"PTRACE_PEEKUSR", 3}, {"PTRACE_POKETEXT", 4}, {"PTRACE_POKEDATA", 5},
		{"PTRACE_POKEUSR", 6}, {"PTRACE_CONT", 7}, {"PTRACE_KILL", 8},
		{"PTRACE_SINGLESTEP", 9}, {"PTRACE_GETREGS", 12}, {"PTRACE_SETREGS", 13},
		{"PTRACE_GETFPREGS", 14}, {"PTRACE_SETFPREGS", 15}, {"PTRACE_ATTACH", 16},
		{"PTRACE_DETACH", 17}, {"PTRACE_SYSCALL", 24}, {"PTRACE_SETOPTIONS", 0x4200},
		{"PTRACE_GETEVENTMSG", 0x4201}, {"PTRACE_GETSIGINFO", 0x4202},
		{"PTRACE_SETSIGINFO", 0x4203}, {"PTRACE_GETREGSET", 0x4204},
		{"PTRACE_SETREGSET", 0x4205}, {"PTRACE_SEIZE", 0x4206}, {"PTRACE_INTERRUPT", 0x4207},
		{"PTRACE_LISTEN", 0x4208}}}
	FcntlCmd = &FlagSet{Name: "fcntl_cmd", Enum: true, Items: []FlagItem{{"F_DUPFD", 0},
		{"F_GETFD", 1}, {"F_SETFD", 2}, {"F_GETFL", 3}, {"F_SETFL", 4}, {"F_GETLK", 5},
		{"F_SETLK", 6}, {"F_SETLKW", 7}, {"F_SETOWN", 8}, {"F_GETOWN", 9}, {"F_SETSIG", 10},
		{"F_GETSIG", 11}, {"F_SETLEASE", 1024}, {"F_GETLEASE", 1025}, {"F_NOTIFY", 1026},
		{"F_DUPFD_CLOEXEC", 1030}, {"F_SETPIPE_SZ", 1031}, {"F_GETPIPE_SZ", 1032},
		{"F_ADD_SEALS", 1033}, {"F_GET_SEALS", 1034}}}
	Whence = &FlagSet{Name: "whence", Enum: true, Items: []FlagItem{{"SEEK_SET", 0},
		{"SEEK_CUR", 1}, {"SEEK_END", 2}, {"SEEK_DATA", 3}, {"SEEK_HOLE", 4}}}
	MountFlags = &FlagSet{Name: "mount_flags", Items: []FlagItem{{"MS_RDONLY", 1},
		{"MS_NOSUID", 2}, {"MS_NODEV", 4}, {"MS_NOEXEC", 8}, {"MS_SYNCHRONOUS", 16},
		{"MS_REMOUNT", 32}, {"MS_MANDLOCK", 64}, {"MS_DIRSYNC", 128}, {"MS_NOSYMFOLLOW", 256},
		{"MS_NOATIME", 1024}, {"MS_NODIRATIME", 2048}, {"MS_BIND", 4096}, {"MS_MOVE", 8192},
		{"MS_REC", 16384}, {"MS_SILENT", 32768}, {"MS_POSIXACL", 1 << 16},
		{"MS_UNBINDABLE", 1 << 17}, {"MS_PRIVATE", 1 << 18}, {"MS_SLAVE", 1 << 19},
		{"MS_SHARED", 1 << 20}, {"MS_RELATIME", 1 << 21}, {"MS_KERNMOUNT", 1 << 22},
		{"MS_I_VERSION", 1 << 23}, {"MS_STRICTATIME", 1 << 24}, {"MS_LAZYTIME", 1 << 25}}}
	UmountFlags = &FlagSet{Name: "umount_flags", Items: []FlagItem{{"MNT_FORCE", 1},
		{"MNT_DETACH", 2}, {"MNT_EXPIRE", 4}, {"UMOUNT_NOFOLLOW", 8}}}
	PrctlOption = &FlagSet{Name: "prctl_option", Enum: true, Items: []FlagItem{
		{"PR_SET_PDEATHSIG", 1}, {"PR_GET_PDEATHSIG", 2}, {"PR_GET_DUMPABLE", 3},
		{"PR_SET_DUMPABLE", 4}, {"PR_GET_KEEPCAPS", 7}, {"PR_SET_KEEPCAPS", 8},
		{"PR_SET_NAME", 15}, {"PR_GET_NAME", 16}, {"PR_GET_SECCOMP", 21},
		{"PR_SET_SECCOMP", 22}, {"PR_CAPBSET_READ", 23}, {"PR_CAPBSET_DROP", 24},
		{"PR_SET_SECUREBITS", 28}, {"PR_SET_MM", 35}, {"PR_SET_CHILD_SUBREAPER", 36},
		{"PR_GET_CHILD_SUBREAPER", 37}, {"PR_SET_NO_NEW_PRIVS", 38},
		{"PR_GET_NO_NEW_PRIVS", 39}, {"PR_SET_PTRACER", 0x59616d61}, {"PR_CAP_AMBIENT", 47}}}
	BPFCmd = &FlagSet{Name: "bpf_cmd", Enum: true, Items: []FlagItem{{"BPF_MAP_CREATE", 0},
		{"BPF_MAP_LOOKUP_ELEM", 1}, {"BPF_MAP_UPDATE_ELEM", 2}, {"BPF_MAP_DELETE_ELEM", 3},
		{"BPF_MAP_GET_NEXT_KEY", 4}, {"BPF_PROG_LOAD", 5}, {"BPF_OBJ_PIN", 6},
		{"BPF_OBJ_GET", 7}, {"BPF_PROG_ATTACH", 8}, {"BPF_PROG_DETACH", 9},
		{"BPF_PROG_TEST_RUN", 10}, {"BPF_PROG_GET_NEXT_ID", 11}, {"BPF_MAP_GET_NEXT_ID", 12},
		{"BPF_PROG_GET_FD_BY_ID", 13}, {"BPF_MAP_GET_FD_BY_ID", 14},
		{"BPF_OBJ_GET_INFO_BY_FD", 15}, {"BPF_PROG_QUERY", 16},
		{"BPF_RAW_TRACEPOINT_OPEN", 17}, {"BPF_BTF_LOAD", 18}, {"BPF_BTF_GET_FD_BY_ID", 19},
		{"BPF_TASK_FD_QUERY", 20}, {"BPF_MAP_LOOKUP_AND_DELETE_ELEM", 21},
		{"BPF_MAP_FREEZE", 22}, {"BPF_BTF_GET_NEXT_ID", 23}, {"BPF_LINK_CREATE", 28},
		{"BPF_LINK_UPDATE", 29}, {"BPF_LINK_GET_FD_BY_ID", 30}, {"BPF_LINK_GET_NEXT_ID", 31},
		{"BPF_ENABLE_STATS", 32}, {"BPF_ITER_CREATE", 33}, {"BPF_LINK_DETACH", 34},
		{"BPF_PROG_BIND_MAP", 35}, {"BPF_TOKEN_CREATE", 36}}}
	Shutdown  = &FlagSet{Name: "shutdown_how", Enum: true, Items: []FlagItem{{"SHUT_RD", 0}, {"SHUT_WR", 1}, {"SHUT_RDWR", 2}}}
	ForkFlags = &FlagSet{Name: "fork_flags", Items: []FlagItem{{"THREAD", 1}, {"SHARE_FILES", 2},
		{"SHARE_FS", 4}, {"SHARE_VM", 8}, {"NEW_PIDNS", 16}, {"VFORK", 32}}}
	FDType = &FlagSet{Name: "fd_type", Enum: true, Items: []FlagItem{{"unknown", 0},
		{"file", 1}, {"directory", 2}, {"ipv4", 3}, {"ipv6", 4}, {"unix", 5}, {"pipe", 6},
		{"event", 7}, {"signalfd", 8}, {"eventpoll", 9}, {"inotify", 10}, {"timerfd", 11},
		{"netlink", 12}, {"memfd", 13}, {"bpf", 14}, {"io_uring", 15}, {"pidfd", 16},
		{"userfaultfd", 17}, {"socket", 18}, {"device", 19}}}
	// AddrSource says where a send or receive's address parameter came from: the
	// caller's arguments (or the kernel's answer to a receive), or, when the call named
	// no address, the peer of the connected socket as the recorder read it.
	AddrSource = &FlagSet{Name: "addr_source", Enum: true, Items: []FlagItem{{"CALLER", 0}, {"SOCKET", 1}}}
	MemfdFlags = &FlagSet{Name: "memfd_flags", Items: []FlagItem{{"MFD_CLOEXEC", 1},
		{"MFD_ALLOW_SEALING", 2}, {"MFD_HUGETLB", 4}, {"MFD_NOEXEC_SEAL", 8}, {"MFD_EXEC", 16}}}
	RenameFlags = &FlagSet{Name: "rename_flags", Items: []FlagItem{{"RENAME_NOREPLACE", 1},
		{"RENAME_EXCHANGE", 2}, {"RENAME_WHITEOUT", 4}}}
	SeccompOp = &FlagSet{Name: "seccomp_op", Enum: true, Items: []FlagItem{
		{"SECCOMP_SET_MODE_STRICT", 0}, {"SECCOMP_SET_MODE_FILTER", 1},
		{"SECCOMP_GET_ACTION_AVAIL", 2}, {"SECCOMP_GET_NOTIF_SIZES", 3}}}
	ModuleFlags = &FlagSet{Name: "module_flags", Items: []FlagItem{{"MODULE_INIT_IGNORE_MODVERSIONS", 1},
		{"MODULE_INIT_IGNORE_VERMAGIC", 2}, {"MODULE_INIT_COMPRESSED_FILE", 4}}}
	Rlimit = &FlagSet{Name: "rlimit", Enum: true, Items: []FlagItem{{"RLIMIT_CPU", 0},
		{"RLIMIT_FSIZE", 1}, {"RLIMIT_DATA", 2}, {"RLIMIT_STACK", 3}, {"RLIMIT_CORE", 4},
		{"RLIMIT_RSS", 5}, {"RLIMIT_NPROC", 6}, {"RLIMIT_NOFILE", 7}, {"RLIMIT_MEMLOCK", 8},
		{"RLIMIT_AS", 9}, {"RLIMIT_LOCKS", 10}, {"RLIMIT_SIGPENDING", 11},
		{"RLIMIT_MSGQUEUE", 12}, {"RLIMIT_NICE", 13}, {"RLIMIT_RTPRIO", 14}, {"RLIMIT_RTTIME", 15}}}
	SockLevel = &FlagSet{Name: "sockopt_level", Enum: true, Items: []FlagItem{{"SOL_IP", 0},
		{"SOL_SOCKET", 1}, {"SOL_TCP", 6}, {"SOL_UDP", 17}, {"SOL_IPV6", 41}, {"SOL_RAW", 255}}}
	IOUringSetup = &FlagSet{Name: "io_uring_setup_flags", Items: []FlagItem{
		{"IORING_SETUP_IOPOLL", 1}, {"IORING_SETUP_SQPOLL", 2}, {"IORING_SETUP_SQ_AFF", 4},
		{"IORING_SETUP_CQSIZE", 8}, {"IORING_SETUP_CLAMP", 16}, {"IORING_SETUP_ATTACH_WQ", 32},
		{"IORING_SETUP_R_DISABLED", 64}, {"IORING_SETUP_SUBMIT_ALL", 128},
		{"IORING_SETUP_COOP_TASKRUN", 256}, {"IORING_SETUP_TASKRUN_FLAG", 512},
		{"IORING_SETUP_SQE128", 1024}, {"IORING_SETUP_CQE32", 2048},
		{"IORING_SETUP_SINGLE_ISSUER", 4096}, {"IORING_SETUP_DEFER_TASKRUN", 8192}}}
)
