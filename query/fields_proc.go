package query

import (
	"errors"
	"strconv"
	"strings"

	"github.com/syscam/syscam/state"
)

// maxAncestors bounds ancestry walks, in case a corrupt trace made a loop.
const maxAncestors = 256

// procFields are the proc.* and thread.* fields, read from the replayed state.
func procFields() []*Field {
	return needs(NeedProcess,
		numField("proc.pid", TypeInt, "id of the process (thread group id)", procNum(func(p *state.Process) int64 { return int64(p.PID) })),
		numField("proc.ppid", TypeInt, "id of the parent process", procNum(func(p *state.Process) int64 { return int64(p.PPID) })),
		numField("proc.vpid", TypeInt, "id of the process in its own pid namespace", procNum(func(p *state.Process) int64 { return int64(p.VPID) })),
		strField("proc.name", "name of the process: the comm of the event's thread (the executable's base name unless it renamed itself)", procName),
		strField("proc.pname", "name of the parent process", ancestorStr(1, (*state.Process).Name)),
		strField("proc.exe", "the executable as execve was given it (the path the caller passed)", procStr(func(p *state.Process) string { return p.Exe })),
		strField("proc.pexe", "proc.exe of the parent", ancestorStr(1, func(p *state.Process) string { return p.Exe })),
		strField("proc.exepath", "full path of the executable, resolved by the kernel", procStr(func(p *state.Process) string { return p.ExePath })),
		strField("proc.pexepath", "proc.exepath of the parent", ancestorStr(1, func(p *state.Process) string { return p.ExePath })),
		appField("proc.cmdline", "name and arguments: proc.name followed by proc.args", cmdline(0)),
		appField("proc.pcmdline", "proc.cmdline of the parent", cmdline(1)),
		appField("proc.args", "arguments after argv[0], separated by spaces", procArgs),
		strField("proc.cwd", "current working directory of the process", procStr(func(p *state.Process) string { return p.Cwd })),
		&Field{Name: "proc.env", Type: TypeString, Arg: ArgOptional, ArgName: "NAME",
			Desc: "environment variables separated by spaces; proc.env[NAME] is one variable's value (recorded only with record --env)", bind: bindEnv},
		numField("proc.tty", TypeInt, "controlling terminal (device number), 0 for none", procNum(func(p *state.Process) int64 { return int64(p.TTY) })),
		numField("proc.sid", TypeInt, "session id", procNum(func(p *state.Process) int64 { return int64(p.SID) })),
		strField("proc.sname", "name of the session leader", relativeName(func(p *state.Process) int32 { return p.SID })),
		numField("proc.vpgid", TypeInt, "process group id", procNum(func(p *state.Process) int64 { return int64(p.PGID) })),
		strField("proc.vpgid.name", "name of the process group leader", relativeName(func(p *state.Process) int32 { return p.PGID })),
		boolField("proc.is_vpgid_leader", "true when the process leads its process group", procBool(func(p *state.Process) bool { return p.PGID == p.PID })),
		boolField("proc.is_sid_leader", "true when the process leads its session", procBool(func(p *state.Process) bool { return p.SID == p.PID })),
		numField("proc.loginshellid", TypeInt, "pid of the oldest shell among the process and its ancestors", loginShell),
		&Field{Name: "proc.aname", Type: TypeString, Arg: ArgOptional, ArgName: "N", List: true,
			Desc: "proc.aname[N] is the name of the N-th ancestor (0 the process, 1 its parent); proc.aname alone matches any ancestor", bind: bindAncestor(ancestorNames)},
		&Field{Name: "proc.apid", Type: TypeInt, Arg: ArgOptional, ArgName: "N", List: true,
			Desc: "proc.apid[N] is the pid of the N-th ancestor; proc.apid alone matches any ancestor", bind: bindAncestor(ancestorPIDs)},
		&Field{Name: "proc.aexe", Type: TypeString, Arg: ArgOptional, ArgName: "N", List: true,
			Desc: "proc.aexe[N] is proc.exe of the N-th ancestor; alone, any ancestor", bind: bindAncestor(ancestorStrs(func(p *state.Process) string { return p.Exe }))},
		&Field{Name: "proc.aexepath", Type: TypeString, Arg: ArgOptional, ArgName: "N", List: true,
			Desc: "proc.aexepath[N] is proc.exepath of the N-th ancestor; alone, any ancestor", bind: bindAncestor(ancestorStrs(func(p *state.Process) string { return p.ExePath }))},
		numField("proc.duration", TypeDuration, "ns since the process started", func(in *Input) (int64, bool) {
			p := in.process()
			if p == nil || p.Start == 0 {
				return 0, false
			}
			return in.Event.Time - p.Start, true
		}),
		numField("proc.start_ts", TypeTime, "when the process started (fork, or the snapshot's start time), ns since the epoch", procTime(func(p *state.Process) int64 { return p.Start })),
		numField("proc.exe_ino", TypeInt, "inode number of the executable", procNum(func(p *state.Process) int64 { return int64(p.ExeIno) })),
		numField("proc.exe_ino.mtime", TypeTime, "modification time of the executable", procTime(func(p *state.Process) int64 { return p.ExeMtime })),
		// It reads the fd tables too (is fd N a memfd?): a scan must replay them.
		needs(NeedFD, boolField("proc.is_exe_from_memfd", "true when the executable is a memfd (fileless execution): its path is /memfd:..., or execve was given /proc/self/fd/N or /dev/fd/N and fd N is a memfd still open in the process (not close-on-exec)", exeFromMemfd))[0],
		boolField("proc.is_container", "true when the process runs in a container", func(in *Input) (bool, bool) {
			if in.process() == nil {
				return false, false
			}
			return in.View.Container() != nil, true
		}),
		numField("proc.nthreads", TypeInt, "live threads of the process", procNum(func(p *state.Process) int64 { return int64(p.Live) })),
		numField("thread.tid", TypeInt, "id of the thread", func(in *Input) (int64, bool) { return int64(in.Event.TID), in.Event.TID != 0 }),
		numField("thread.vtid", TypeInt, "id of the thread in its own pid namespace", threadNum(func(t *state.Thread) int64 { return int64(t.VTID) })),
		strField("thread.comm", "comm of the thread (its name)", func(in *Input) (string, bool) { t := in.thread(); return commOf(t), t != nil }),
		boolField("thread.ismain", "true for the main thread of its process (tid = pid)", func(in *Input) (bool, bool) { t := in.thread(); return t != nil && t.IsLeader(), t != nil }),
		capField("thread.cap_effective", "effective capabilities by name (CAP_SYS_ADMIN...): contains, in and intersects test one of them; printed separated by spaces", func(c *state.Creds) uint64 { return c.CapEffective }),
		capField("thread.cap_permitted", "permitted capabilities by name", func(c *state.Creds) uint64 { return c.CapPermitted }),
		capField("thread.cap_inheritable", "inheritable capabilities by name", func(c *state.Creds) uint64 { return c.CapInheritable }),
	)
}

func procNum(fn func(*state.Process) int64) func(*Input) (int64, bool) {
	return func(in *Input) (int64, bool) {
		p := in.process()
		if p == nil {
			return 0, false
		}
		return fn(p), true
	}
}

// procTime is procNum for times, absent when unknown (0).
func procTime(fn func(*state.Process) int64) func(*Input) (int64, bool) {
	return func(in *Input) (int64, bool) {
		p := in.process()
		if p == nil || fn(p) == 0 {
			return 0, false
		}
		return fn(p), true
	}
}

func procBool(fn func(*state.Process) bool) func(*Input) (bool, bool) {
	return func(in *Input) (bool, bool) {
		p := in.process()
		if p == nil {
			return false, false
		}
		return fn(p), true
	}
}

func threadNum(fn func(*state.Thread) int64) func(*Input) (int64, bool) {
	return func(in *Input) (int64, bool) {
		t := in.thread()
		if t == nil {
			return 0, false
		}
		return fn(t), true
	}
}

// procStr reads a string of the process, absent when empty (not recorded).
func procStr(fn func(*state.Process) string) func(*Input) (string, bool) {
	return func(in *Input) (string, bool) {
		p := in.process()
		if p == nil {
			return "", false
		}
		s := fn(p)
		return s, s != ""
	}
}

func commOf(t *state.Thread) string {
	if t == nil {
		return ""
	}
	if t.Comm != "" || t.Proc == nil {
		return t.Comm
	}
	return t.Proc.Name()
}

func procName(in *Input) (string, bool) {
	s := commOf(in.thread())
	return s, s != ""
}

func ancestorStr(n int, fn func(*state.Process) string) func(*Input) (string, bool) {
	return func(in *Input) (string, bool) {
		p := in.process().Ancestor(n)
		if p == nil {
			return "", false
		}
		s := fn(p)
		return s, s != ""
	}
}

func relativeName(id func(*state.Process) int32) func(*Input) (string, bool) {
	return func(in *Input) (string, bool) {
		p := in.process()
		if p == nil || id(p) <= 0 {
			return "", false
		}
		q := in.View.Engine().Process(id(p))
		if q == nil {
			return "", false
		}
		s := q.Name()
		return s, s != ""
	}
}

// appendCmdline appends Falco's proc.cmdline: the name, then the arguments.
func appendCmdline(dst []byte, name string, p *state.Process) []byte {
	dst = append(dst, name...)
	for i := 1; i < len(p.Argv); i++ {
		dst = append(dst, ' ')
		dst = append(dst, p.Argv[i]...)
	}
	return dst
}

func cmdline(n int) func([]byte, *Input) ([]byte, bool) {
	return func(dst []byte, in *Input) ([]byte, bool) {
		p := in.process()
		if p == nil {
			return dst, false
		}
		name := commOf(in.thread())
		if n > 0 {
			if p = p.Ancestor(n); p == nil {
				return dst, false
			}
			name = p.Name()
		}
		return appendCmdline(dst, name, p), true
	}
}

func procArgs(dst []byte, in *Input) ([]byte, bool) {
	p := in.process()
	if p == nil {
		return dst, false
	}
	for i := 1; i < len(p.Argv); i++ {
		if i > 1 {
			dst = append(dst, ' ')
		}
		dst = append(dst, p.Argv[i]...)
	}
	return dst, true
}

func bindEnv(arg string, has bool) (extractor, error) {
	if !has {
		return extractor{typ: TypeString, str: func(in *Input) (string, bool) {
			p := in.process()
			if p == nil {
				return "", false
			}
			in.scratch = in.scratch[:0]
			for i, kv := range p.Env {
				if i > 0 {
					in.scratch = append(in.scratch, ' ')
				}
				in.scratch = append(in.scratch, kv...)
			}
			return str(in.scratch), true
		}}, nil
	}
	prefix := arg + "="
	return extractor{typ: TypeString, str: func(in *Input) (string, bool) {
		p := in.process()
		if p == nil {
			return "", false
		}
		for _, kv := range p.Env {
			if v, ok := strings.CutPrefix(kv, prefix); ok {
				return v, true
			}
		}
		return "", false
	}}, nil
}

var loginShells = map[string]bool{"bash": true, "sh": true, "zsh": true, "ksh": true, "csh": true,
	"tcsh": true, "fish": true, "dash": true, "ash": true, "mksh": true}

func loginShell(in *Input) (int64, bool) {
	found := int32(-1)
	p := in.process()
	for i := 0; p != nil && i < maxAncestors; i, p = i+1, p.Parent {
		if loginShells[p.Name()] {
			found = p.PID
		}
	}
	return int64(found), found >= 0
}

// ancestors binds the indexed and the any-ancestor form of an ancestry field.
type ancestors struct {
	at  func(n int) extractor // proc.aname[n]
	any extractor             // proc.aname: parent and up
}

func bindAncestor(a ancestors) func(string, bool) (extractor, error) {
	return func(arg string, has bool) (extractor, error) {
		if !has {
			return a.any, nil
		}
		n, err := strconv.Atoi(arg)
		if err != nil || n < 0 || n > maxAncestors {
			return extractor{}, errors.New("argument must be an ancestor number, 0 to 256")
		}
		return a.at(n), nil
	}
}

var ancestorNames = ancestorStrs((*state.Process).Name)

func ancestorStrs(fn func(*state.Process) string) ancestors {
	return ancestors{
		at: func(n int) extractor {
			return extractor{typ: TypeString, str: ancestorStr(n, fn)}
		},
		any: extractor{typ: TypeString, list: true, anyStr: func(in *Input, test func(string) bool) bool {
			p := in.process()
			for i := 0; p != nil && i < maxAncestors; i++ {
				if p = p.Parent; p != nil && test(fn(p)) {
					return true
				}
			}
			return false
		}},
	}
}

var ancestorPIDs = ancestors{
	at: func(n int) extractor {
		return extractor{typ: TypeInt, num: func(in *Input) (int64, bool) {
			p := in.process().Ancestor(n)
			if p == nil {
				return 0, false
			}
			return int64(p.PID), true
		}}
	},
	any: extractor{typ: TypeInt, list: true, anyNum: func(in *Input, test func(int64) bool) bool {
		p := in.process()
		for i := 0; p != nil && i < maxAncestors; i++ {
			if p = p.Parent; p != nil && test(int64(p.PID)) {
				return true
			}
		}
		return false
	}},
}

// exeFromMemfd recognises fileless execution: the kernel names a memfd executable
// "/memfd:NAME (deleted)", and a program that runs one passes execve the path of its fd.
func exeFromMemfd(in *Input) (bool, bool) {
	p, t := in.process(), in.thread()
	if p == nil || t == nil {
		return false, false
	}
	if strings.HasPrefix(p.ExePath, "/memfd:") || strings.HasPrefix(p.ExePath, "memfd:") {
		return true, true
	}
	rest, ok := strings.CutPrefix(p.Exe, "/proc/self/fd/")
	if !ok {
		rest, ok = strings.CutPrefix(p.Exe, "/dev/fd/")
	}
	if !ok {
		return false, true
	}
	n, err := strconv.Atoi(rest)
	if err != nil {
		return false, true
	}
	f := t.FD(int32(n))
	return f != nil && f.Type == state.FDMemfd, true
}
