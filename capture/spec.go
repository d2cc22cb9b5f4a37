package capture

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/syscam/syscam/event"
)

// numTypes bounds the event types the kernel side knows: syscalls below 512, the
// special types from event.FirstSpecial (as NUM_TYPES in bpf/syscam.bpf.c).
const numTypes = 1040

// Operation kinds and length sources, as enum op_kind in bpf/syscam.bpf.c.
const (
	opStr    = 1
	opBuf    = 2
	opIOV    = 3
	opSaddr  = 4
	opSaddrP = 5
	opTuple  = 6
	opFDPair = 7
	opMem    = 8
	opFDInfo = 9
	opMsg    = 10
	opExec   = 11
	opFDPath = 12
	opHandle = 13

	srcRet = 6
	srcSum = 7

	// peerFallback, in an address op's c (opSaddr, opSaddrP) or b (opMsg): when the
	// call names no address, the kernel records the socket's peer (PEER_FALLBACK).
	peerFallback = 1
)

// Where a parameter's value comes from in a raw record.
const (
	fromZero     = iota // not recorded: left 0 or empty
	fromArg             // raw argument idx, converted by conv
	fromBlob            // the bytes of blob idx
	fromField           // an integer field of blob idx at off, width bytes
	fromStrFld          // a NUL-padded string field of blob idx at off, width bytes
	fromTuple           // blob idx is a socket tuple; off 0 local, 1 remote
	fromSaddr           // blob idx is a raw struct sockaddr
	fromRet             // the return value
	fromOrig            // the full length of blob idx
	fromCap             // capset data in blob idx; off 0 effective, 1 permitted, 2 inheritable
	fromTimespec        // a struct timespec in blob idx, as ns
	fromHash            // the sha256 of the executable, added by the recorder
	fromCmsgFDs         // the fds of the SCM_RIGHTS messages in cmsg blob idx
	fromPeerMark        // 1 when address blob idx holds the socket's peer (event.AddrSource)
	fromBlobAt          // the bytes of blob idx from offset off
)

// Integer conversions of raw registers.
const (
	convRaw = iota // the 64-bit register
	convI32        // int: sign-extended low 32 bits
	convU32        // unsigned int: low 32 bits
	convDev        // kernel dev_t (major<<20 | minor) to the user-space encoding of stat
)

// paramSrc says how to fill one parameter of an event from its raw record.
type paramSrc struct {
	from  uint8
	idx   uint8
	conv  uint8
	off   uint8
	width uint8
	// when, if whenSet, keeps the parameter only when raw argument whenArg is one of
	// when (prctl's name only exists for PR_SET_NAME).
	whenSet bool
	whenArg uint8
	when    []uint64
}

// plan decodes the raw records of one event type.
type plan struct {
	nblobs uint8
	params []paramSrc
	hashed bool // an exec event: the recorder adds the sha256 of new executables
}

// specTable holds, per event type, the kernel's spec (what to read) and the decoder's
// plan (how to turn it into parameters). Built once by newSpecTable; read-only after.
type specTable struct {
	kernel [numTypes]syscamSpec
	plans  [numTypes]plan
}

// syscallArgs maps each decoded syscall's parameters, in its event.Info order, to their
// source in the record. Tokens:
//
//	aN      raw argument N, converted by the parameter's kind (fd, pid: int; uid, gid,
//	        mode, signal, flags, enum: unsigned int; others 64-bit)
//	iN xN   raw argument N as int / as the full 64-bit register
//	pN      user string at argument N
//	bN:L    user buffer at argument N, length argument L or r (the return value), cut
//	        at the snaplen; BN:L the same cut at PATH_MAX
//	vN:C:L  iovec array at argument N with C entries, length r or s (sum of the lengths)
//	sN:L    socket address at argument N, length argument L; SN:L length at pointer L
//	tlN trN local and remote address of the socket fd in argument N, or r
//	fN.K    int K of the int[2] at pointer argument N, read at exit (pipe, socketpair)
//	mN:S@O:W  W bytes (4, 4i, 8, or sLEN for a string) at offset O of the S bytes at
//	        pointer argument N
//	cN.K    capset data at argument N: e(ffective), p(ermitted), i(nheritable)
//	TN      struct timespec at pointer argument N, as a duration
//	Fdev Fino  device and inode of the file the returned fd opens
//	MaN MdN:L McN  msghdr at argument N: its address, its data (length r or s), the fds
//	        it passes (SCM_RIGHTS)
//	PN Pr   path of the file fd argument N (AT_FDCWD: the cwd) or the returned fd
//	        refers to, walked from its dentry at exit
//	hN.t hN.b  handle_type and f_handle bytes of the struct file_handle at argument N;
//	        HN.t HN.b the same, read only after a successful call (the kernel wrote it)
//	o       full length of the preceding buffer; R the return value; - not recorded
//	A       where the preceding address came from: 0 the call, 1 the socket's peer
//
// A token may end in ?N=V|V: the parameter is kept only when argument N is one of V.
// An address token (sN:L, SN:L, MdN:L) may end in +p: when the call names no address
// (a send on a connected socket, a receive the kernel gave no address), the kernel
// records the peer of the socket in argument 0 instead, and A says so.
var syscallArgs = map[string]string{
	"open": "p0 a1 a2 Fdev Fino", "openat": "a0 p1 a2 a3 Fdev Fino",
	"openat2": "a0 p1 m2:24@0:8 m2:24@8:8 m2:24@16:8 Fdev Fino", "creat": "p0 a1 Fdev Fino",
	"open_by_handle_at": "a0 a2 Pr P0 h1.t h1.b Fdev Fino", "close": "a0",
	"stat": "p0", "lstat": "p0", "fstat": "a0", "newfstatat": "a0 p1 a3", "statx": "a0 p1 a2 a3",
	"access": "p0 a1", "faccessat": "a0 p1 a2", "faccessat2": "a0 p1 a2 a3",
	"lseek": "a0 a1 a2", "truncate": "p0 a1", "ftruncate": "a0 a1",
	"chdir": "p0", "fchdir": "a0", "chroot": "p0", "pivot_root": "p0 p1",
	"rename": "p0 p1", "renameat": "a0 p1 a2 p3", "renameat2": "a0 p1 a2 p3 a4",
	"mkdir": "p0 a1", "mkdirat": "a0 p1 a2", "rmdir": "p0",
	"link": "p0 p1", "linkat": "a0 p1 a2 p3 a4", "unlink": "p0", "unlinkat": "a0 p1 a2",
	"symlink": "p0 p1", "symlinkat": "p0 a1 p2", "readlink": "p0 B1:r", "readlinkat": "a0 p1 B2:r",
	"chmod": "p0 a1", "fchmod": "a0 a1", "fchmodat": "a0 p1 a2", "fchmodat2": "a0 p1 a2 a3",
	"chown": "p0 a1 a2", "lchown": "p0 a1 a2", "fchown": "a0 a1 a2", "fchownat": "a0 p1 a2 a3 a4",
	"mknod": "p0 a1 a2", "mknodat": "a0 p1 a2 a3", "utimensat": "a0 p1 a3",
	"fcntl": "a0 a1 a2", "ioctl": "a0 a1 a2", "dup": "a0", "dup2": "a0 a1", "dup3": "a0 a1 a2",
	"flock": "a0 a1", "getdents64": "a0 a2", "inotify_init1": "a0", "inotify_add_watch": "a0 p1 a2",
	"memfd_create": "p0 a1", "name_to_handle_at": "a0 p1 a4 H2.t H2.b m3:4@0:4i",
	"read": "a0 b1:r a2", "write": "a0 b1:2 a2", "pread64": "a0 b1:r a2 a3", "pwrite64": "a0 b1:2 a2 a3",
	"readv": "a0 v1:2:r o", "writev": "a0 v1:2:s o", "preadv": "a0 v1:2:r o a3", "pwritev": "a0 v1:2:s o a3",
	"sendfile": "a0 a1 m2:8@0:8 a3", "splice": "a0 a2 a4 a5", "copy_file_range": "a0 a2 a4",
	"socket": "a0 a1 a2", "socketpair": "a0 a1 a2 f3.0 f3.1",
	"connect": "a0 s1:2 tl0 tr0", "accept": "a0 tlr trr", "accept4": "a0 a3 tlr trr",
	"bind": "a0 s1:2", "listen": "a0 i1", "shutdown": "a0 a1",
	"sendto": "a0 b1:2 a2 s4:5+p A", "recvfrom": "a0 b1:r a2 S4:5+p A",
	"sendmsg": "a0 Md1:s+p o Ma1 A", "recvmsg": "a0 Md1:r+p o Ma1 Mc1 A",
	"sendmmsg": "a0 a2", "recvmmsg": "a0 a2", "getsockname": "a0 S1:2", "getpeername": "a0 S1:2",
	"setsockopt": "a0 i1 i2 b3:4", "getsockopt": "a0 i1 i2",
	"clone": "x0", "clone3": "m0:64@0:8 m0:64@32:8", "fork": "", "vfork": "",
	"exit": "i0", "exit_group": "i0", "wait4": "i0 m1:4@0:4 a2", "waitid": "i0 i1 a3",
	"kill": "a0 a1", "tkill": "a0 a1", "tgkill": "a0 a1 a2",
	"pidfd_open": "a0 a1", "pidfd_getfd": "a0 a1", "pidfd_send_signal": "a0 a1",
	"ptrace": "a0 a1 a2 a3", "process_vm_readv": "a0 R", "process_vm_writev": "a0 R",
	"prctl": "a0 a1 p1?0=15|16", "setsid": "", "setpgid": "a0 a1", "getpid": "", "getppid": "", "gettid": "",
	"prlimit64": "a0 a1 m2:16@0:8 m2:16@8:8", "setrlimit": "a0 m1:16@0:8 m1:16@8:8", "seccomp": "a0 a1",
	"setuid": "a0", "setgid": "a0", "setreuid": "a0 a1", "setregid": "a0 a1",
	"setresuid": "a0 a1 a2", "setresgid": "a0 a1 a2", "setfsuid": "a0", "setfsgid": "a0",
	"setgroups": "a0", "capset": "c1.e c1.p c1.i", "getuid": "", "geteuid": "",
	"mmap": "a0 a1 a2 a3 a4 a5", "mprotect": "a0 a1 a2", "pkey_mprotect": "a0 a1 a2 i3", "munmap": "a0 a1",
	"userfaultfd": "a0", "pipe": "f0.0 f0.1", "pipe2": "f0.0 f0.1 a1",
	"eventfd": "a0", "eventfd2": "a0 a1", "signalfd4": "a0 a3", "timerfd_create": "i0 a1", "epoll_create1": "a0",
	"init_module": "a1 p2", "finit_module": "a0 p1 a2", "delete_module": "p0 a1",
	"mount": "p0 p1 p2 x3", "umount2": "p0 a1", "open_tree": "a0 p1 a2", "move_mount": "a0 p1 a2 p3 a4",
	"fsopen": "p0 a1", "fsmount": "a0 a1 a2",
	"bpf":     "a0 m1:64@0:4?0=5 m1:64@48:s16?0=5 m1:64@4:4?0=5",
	"unshare": "x0", "setns": "a0 a1",
	"io_uring_setup": "a0 m1:16@8:4 m1:16@12:4i", "io_uring_enter": "a0 a1 a2 a3", "io_uring_register": "a0 a1 a3",
	"kexec_load": "a0 a1 a3", "kexec_file_load": "a0 a1 p3 a4", "reboot": "a2", "sethostname": "b0:1",
	"settimeofday": "", "clock_settime": "i0", "syslog": "i0", "acct": "p0", "swapon": "p0 a1", "swapoff": "p0",
	"perf_event_open": "i1 i2 a3 a4", "keyctl": "i0", "add_key": "p0 p1", "nanosleep": "T0",
}

// execInfo field offsets, as struct exec_info in bpf/syscam.bpf.c.
var execFields = []paramSrc{
	{from: fromField, off: 0, width: 4},                 // ppid
	{from: fromField, off: 4, width: 4},                 // uid
	{from: fromField, off: 8, width: 4},                 // gid
	{from: fromField, off: 12, width: 4},                // euid
	{from: fromField, off: 16, width: 4},                // egid
	{from: fromField, off: 20, width: 4},                // loginuid
	{from: fromField, off: 24, width: 8},                // cap_effective
	{from: fromField, off: 32, width: 8},                // cap_permitted
	{from: fromField, off: 40, width: 4},                // tty
	{from: fromField, off: 44, width: 4},                // sid
	{from: fromField, off: 48, width: 4},                // pgid
	{from: fromField, off: 56, width: 8},                // exe_ino
	{from: fromField, off: 52, width: 4, conv: convDev}, // exe_dev
	{from: fromField, off: 64, width: 8},                // exe_mtime
	{from: fromField, off: 80, width: 8},                // cgroup_id
}

// Offsets in struct exec_info of what the exe hash cache keys on.
const (
	execOffDev   = 52
	execOffIno   = 56
	execOffMtime = 64
	execOffSize  = 72
	execOffComm  = 88
	execInfoSize = 104
)

// newSpecTable builds the kernel specs and decode plans of every known event type.
// enabled selects the types to record (nil: all).
func newSpecTable(enabled func(event.Type) bool) (*specTable, error) {
	t := &specTable{}
	for _, in := range event.All() {
		if int(in.Type) >= numTypes {
			continue
		}
		if err := t.add(in); err != nil {
			return nil, fmt.Errorf("build capture spec of %s: %w", in.Name, err)
		}
		if enabled == nil || enabled(in.Type) {
			t.kernel[in.Type].Enabled = 1
		}
	}
	return t, nil
}

func (t *specTable) add(in *event.Info) error {
	switch {
	case in.Type == event.TypeProcFork:
		t.kernel[in.Type].Nargs = 8
		t.plans[in.Type] = plan{nblobs: 1, params: forkParams()}
		return nil
	case in.Type == event.TypeProcExit:
		t.kernel[in.Type].Nargs = 4
		t.plans[in.Type] = plan{params: argParams(in, 4)}
		return nil
	case !in.IsSyscall():
		return nil
	case in.Name == "execve" || in.Name == "execveat":
		return t.addExec(in)
	case in.Has(event.Generic):
		n := len(in.Params)
		t.kernel[in.Type].Nargs = uint8(n)
		t.plans[in.Type] = plan{params: argParams(in, n)}
		return nil
	}
	dsl, ok := syscallArgs[in.Name]
	if !ok {
		return fmt.Errorf("no argument sources for a decoded syscall")
	}
	return t.compile(in, dsl)
}

func argParams(in *event.Info, n int) []paramSrc {
	ps := make([]paramSrc, n)
	for i := range ps {
		ps[i] = paramSrc{from: fromArg, idx: uint8(i), conv: defaultConv(in.ParamKind(i))}
	}
	return ps
}

func forkParams() []paramSrc {
	ps := make([]paramSrc, 8)
	for i := range ps {
		ps[i] = paramSrc{from: fromArg, idx: uint8(i)}
	}
	ps[0].conv, ps[1].conv, ps[5].conv, ps[6].conv = convI32, convI32, convI32, convI32
	ps[4] = paramSrc{from: fromBlob, idx: 0} // comm
	return ps
}

// addExec lays out execve and execveat: their prefix arguments, then the six blobs of
// exec_image (info, filename, argv, env, exepath, cwd) and the hash.
func (t *specTable) addExec(in *event.Info) error {
	var ps []paramSrc
	k := &t.kernel[in.Type]
	k.Nops = 1
	k.Ops[0].Kind, k.Ops[0].A, k.Ops[0].B = opExec, 0, 1
	if in.Name == "execveat" {
		ps = append(ps, paramSrc{from: fromArg, idx: 0, conv: convI32}, paramSrc{from: fromArg, idx: 4, conv: convU32})
		k.Nargs = 5
		k.Ops[0].A, k.Ops[0].B = 1, 2
	}
	for b := uint8(1); b <= 5; b++ {
		ps = append(ps, paramSrc{from: fromBlob, idx: b})
	}
	ps = append(ps, paramSrc{from: fromStrFld, off: execOffComm, width: 16})
	ps = append(ps, execFields...)
	ps = append(ps, paramSrc{from: fromHash})
	if len(ps) != len(in.Params) {
		return fmt.Errorf("exec layout has %d parameters, the schema %d", len(ps), len(in.Params))
	}
	t.plans[in.Type] = plan{nblobs: 6, params: ps, hashed: true}
	return nil
}

func defaultConv(k event.Kind) uint8 {
	switch k {
	case event.KindFD, event.KindPID:
		return convI32
	case event.KindUID, event.KindGID, event.KindMode, event.KindSignal, event.KindFlags, event.KindEnum:
		return convU32
	}
	return convRaw
}

// compiler turns one syscall's token list into a kernel spec and a plan.
type compiler struct {
	in    *event.Info
	spec  *syscamSpec
	p     plan
	ops   map[string]uint8 // op key -> first blob index
	nargs int
}

func (t *specTable) compile(in *event.Info, dsl string) error {
	c := &compiler{in: in, spec: &t.kernel[in.Type], ops: map[string]uint8{}}
	toks := strings.Fields(dsl)
	if len(toks) != len(in.Params) {
		return fmt.Errorf("%d argument sources for %d parameters", len(toks), len(in.Params))
	}
	for i, tok := range toks {
		ps, err := c.token(i, tok)
		if err != nil {
			return fmt.Errorf("parameter %s, source %q: %w", in.Params[i].Name, tok, err)
		}
		c.p.params = append(c.p.params, ps)
	}
	c.spec.Nargs = uint8(c.nargs)
	t.plans[in.Type] = c.p
	return nil
}

func (c *compiler) token(i int, tok string) (paramSrc, error) {
	tok, cond, hasCond := strings.Cut(tok, "?")
	ps, err := c.source(i, tok)
	if err != nil || !hasCond {
		return ps, err
	}
	arg, vals, ok := strings.Cut(cond, "=")
	if !ok {
		return ps, fmt.Errorf("condition %q lacks '='", cond)
	}
	ps.whenSet, ps.whenArg = true, c.arg(arg)
	for _, v := range strings.Split(vals, "|") {
		n, err := strconv.ParseUint(v, 0, 64)
		if err != nil {
			return ps, fmt.Errorf("condition value %q: %w", v, err)
		}
		ps.when = append(ps.when, n)
	}
	return ps, nil
}

func (c *compiler) source(i int, tok string) (paramSrc, error) {
	tok, peer := strings.CutSuffix(tok, "+p")
	if peer {
		return c.peerAddr(tok)
	}
	switch {
	case tok == "A":
		return c.addrMark(i)
	case tok == "-":
		return paramSrc{from: fromZero}, nil
	case tok == "R":
		return paramSrc{from: fromRet}, nil
	case tok == "o":
		return c.orig(i)
	case tok == "Fdev" || tok == "Fino":
		b, err := c.op("F", opFDInfo, srcRet, 0, 0, 1)
		ps := paramSrc{from: fromField, idx: b, off: 8, width: 8}
		if tok == "Fdev" {
			ps.off, ps.conv = 0, convDev
		}
		return ps, err
	case strings.HasPrefix(tok, "tl") || strings.HasPrefix(tok, "tr"):
		b, err := c.op("t"+tok[2:], opTuple, c.opSrc(tok[2:]), 0, 0, 1)
		return paramSrc{from: fromTuple, idx: b, off: map[bool]uint8{true: 0, false: 1}[tok[1] == 'l']}, err
	case strings.HasPrefix(tok, "Ma") || strings.HasPrefix(tok, "Md") || strings.HasPrefix(tok, "Mc"):
		return c.msg(tok)
	}
	if len(tok) < 2 {
		return paramSrc{}, fmt.Errorf("unknown source")
	}
	body := tok[1:]
	switch tok[0] {
	case 'a', 'i', 'x':
		conv := map[byte]uint8{'a': defaultConv(c.in.ParamKind(i)), 'i': convI32, 'x': convRaw}[tok[0]]
		return paramSrc{from: fromArg, idx: c.arg(body), conv: conv}, nil
	case 'p':
		b, err := c.op(tok, opStr, c.opArg(body), 0, 0, 1)
		return paramSrc{from: fromBlob, idx: b}, err
	case 'b', 'B':
		n, l, _ := strings.Cut(body, ":")
		class := map[byte]uint8{'b': 0, 'B': 1}[tok[0]]
		b, err := c.op(tok, opBuf, c.opArg(n), c.opSrc(l), class, 1)
		return paramSrc{from: fromBlob, idx: b}, err
	case 'v':
		f := strings.Split(body, ":")
		if len(f) != 3 {
			return paramSrc{}, fmt.Errorf("want vN:C:L")
		}
		b, err := c.op(tok, opIOV, c.opArg(f[0]), c.opArg(f[1]), c.opSrc(f[2]), 1)
		return paramSrc{from: fromBlob, idx: b}, err
	case 's', 'S':
		n, l, _ := strings.Cut(body, ":")
		kind := map[byte]uint8{'s': opSaddr, 'S': opSaddrP}[tok[0]]
		b, err := c.op(tok, kind, c.opArg(n), c.opArg(l), 0, 1)
		return paramSrc{from: fromSaddr, idx: b}, err
	case 'f':
		n, k, _ := strings.Cut(body, ".")
		b, err := c.op("f"+n, opFDPair, c.opArg(n), 0, 0, 1)
		return paramSrc{from: fromField, idx: b, off: map[bool]uint8{true: 4, false: 0}[k == "1"], width: 4, conv: convI32}, err
	case 'c':
		n, k, _ := strings.Cut(body, ".")
		b, err := c.op("m"+n+":24", opMem, c.opArg(n), 24, 0, 1)
		return paramSrc{from: fromCap, idx: b, off: uint8(strings.Index("epi", k))}, err
	case 'T':
		b, err := c.op("m"+body+":16", opMem, c.opArg(body), 16, 0, 1)
		return paramSrc{from: fromTimespec, idx: b}, err
	case 'm':
		return c.mem(body)
	case 'P':
		b, err := c.op(tok, opFDPath, c.opSrc(body), 0, 0, 1)
		return paramSrc{from: fromBlob, idx: b}, err
	case 'h', 'H':
		return c.handle(body, tok[0] == 'H')
	}
	return paramSrc{}, fmt.Errorf("unknown source")
}

// peerAddr compiles an address token ending in +p: sN:L, SN:L or MdN:L whose op
// falls back to the socket's peer.
func (c *compiler) peerAddr(tok string) (paramSrc, error) {
	if len(tok) < 2 || (tok[0] != 's' && tok[0] != 'S' && !strings.HasPrefix(tok, "Md")) {
		return paramSrc{}, fmt.Errorf("+p follows an address token, not %q", tok)
	}
	if tok[0] == 'M' {
		ps, err := c.msg(tok)
		c.spec.Ops[c.spec.Nops-1].B = peerFallback
		return ps, err
	}
	ps, err := c.source(0, tok)
	c.spec.Ops[c.spec.Nops-1].C = peerFallback
	return ps, err
}

// addrMark is the source of A: the mark of the address parameter before parameter i.
func (c *compiler) addrMark(i int) (paramSrc, error) {
	for j := i - 1; j >= 0; j-- {
		if c.in.ParamKind(j) == event.KindSockAddr {
			return paramSrc{from: fromPeerMark, idx: c.p.params[j].idx}, nil
		}
	}
	return paramSrc{}, fmt.Errorf("no address parameter before it")
}

// handle compiles hN.t (handle_type) and hN.b (the f_handle bytes) of a user struct
// file_handle { u32 handle_bytes; int handle_type; u8 f_handle[]; }; written (HN) reads
// it only when the call succeeded.
func (c *compiler) handle(body string, written bool) (paramSrc, error) {
	n, k, _ := strings.Cut(body, ".")
	var onlyOK uint8
	if written {
		onlyOK = 1
	}
	b, err := c.op("h"+n, opHandle, c.opArg(n), onlyOK, 0, 1)
	switch k {
	case "t":
		return paramSrc{from: fromField, idx: b, off: 4, width: 4, conv: convI32}, err
	case "b":
		return paramSrc{from: fromBlobAt, idx: b, off: 8}, err
	}
	return paramSrc{}, fmt.Errorf("want hN.t or hN.b")
}

// mem compiles mN:S@O:W.
func (c *compiler) mem(body string) (paramSrc, error) {
	head, field, ok := strings.Cut(body, "@")
	n, size, ok2 := strings.Cut(head, ":")
	off, width, ok3 := strings.Cut(field, ":")
	if !ok || !ok2 || !ok3 {
		return paramSrc{}, fmt.Errorf("want mN:S@O:W")
	}
	sz, err1 := strconv.Atoi(size)
	o, err2 := strconv.Atoi(off)
	if err1 != nil || err2 != nil || sz > 255 || o >= sz {
		return paramSrc{}, fmt.Errorf("bad size or offset")
	}
	b, err := c.op("m"+head, opMem, c.opArg(n), uint8(sz), 0, 1)
	ps := paramSrc{from: fromField, idx: b, off: uint8(o)}
	switch {
	case width == "4":
		ps.width = 4
	case width == "4i":
		ps.width, ps.conv = 4, convI32
	case width == "8":
		ps.width = 8
	case strings.HasPrefix(width, "s"):
		w, err := strconv.Atoi(width[1:])
		if err != nil || o+w > sz {
			return ps, fmt.Errorf("bad string width")
		}
		ps.from, ps.width = fromStrFld, uint8(w)
	default:
		return ps, fmt.Errorf("bad width %q", width)
	}
	return ps, err
}

// msg compiles MaN (the msghdr's address), MdN:L (its data) and McN (the fds it
// passes); they share one op that writes three blobs: address, data, ancillary data.
func (c *compiler) msg(tok string) (paramSrc, error) {
	n, l, _ := strings.Cut(tok[2:], ":")
	key := "M" + n
	b, ok := c.ops[key]
	if !ok {
		if l == "" {
			return paramSrc{}, fmt.Errorf("the data token MdN:L must come first")
		}
		var err error
		if b, err = c.op(key, opMsg, c.opArg(n), 0, c.opSrc(l), 3); err != nil {
			return paramSrc{}, err
		}
	}
	switch tok[1] {
	case 'a':
		return paramSrc{from: fromSaddr, idx: b}, nil
	case 'c':
		return paramSrc{from: fromCmsgFDs, idx: b + 2}, nil
	}
	return paramSrc{from: fromBlob, idx: b + 1}, nil
}

// orig is the full length of the bytes parameter before parameter i.
func (c *compiler) orig(i int) (paramSrc, error) {
	for j := i - 1; j >= 0; j-- {
		if c.in.ParamKind(j) == event.KindBytes {
			return paramSrc{from: fromOrig, idx: c.p.params[j].idx}, nil
		}
	}
	return paramSrc{}, fmt.Errorf("no bytes parameter before it")
}

// op returns the first blob index of the op named key, adding it to the spec once.
func (c *compiler) op(key string, kind, a, b, cc, nblobs uint8) (uint8, error) {
	if idx, ok := c.ops[key]; ok {
		return idx, nil
	}
	if c.spec.Nops >= uint8(len(c.spec.Ops)) {
		return 0, fmt.Errorf("more than %d memory reads", len(c.spec.Ops))
	}
	o := &c.spec.Ops[c.spec.Nops]
	o.Kind, o.A, o.B, o.C = kind, a, b, cc
	c.spec.Nops++
	idx := c.p.nblobs
	c.p.nblobs += nblobs
	c.ops[key] = idx
	return idx, nil
}

// arg parses an argument index and notes that the record must carry it.
func (c *compiler) arg(s string) uint8 {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 5 {
		return 0
	}
	if n+1 > c.nargs {
		c.nargs = n + 1
	}
	return uint8(n)
}

// opArg parses an argument index read by the kernel only: the record need not carry it.
func (c *compiler) opArg(s string) uint8 {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 5 {
		return 0
	}
	return uint8(n)
}

// opSrc is src for a kernel-only source.
func (c *compiler) opSrc(s string) uint8 {
	switch s {
	case "r":
		return srcRet
	case "s":
		return srcSum
	}
	return c.opArg(s)
}

// src parses a length or fd source: an argument index, r (return value) or s (sum).
func (c *compiler) src(s string) uint8 {
	switch s {
	case "r":
		return srcRet
	case "s":
		return srcSum
	}
	return c.arg(s)
}
