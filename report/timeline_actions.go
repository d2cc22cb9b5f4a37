package report

import (
	"fmt"
	"strings"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/state"
)

// Open flags the timeline reads (Linux values).
const (
	oAccMode = 3
	oCreat   = 0o100
	oTrunc   = 0o1000
)

// open starts a write fold for a file opened for writing, creating or truncating.
func (t *Timeline) open(r *Record) {
	ev, f := r.Event, r.View.FD
	if f == nil || f.Type != state.FDFile || quietFile(f.Name) {
		return
	}
	flags := uint64(oCreat | oTrunc | 1)
	if ev.Name() != "creat" {
		i := ev.Param("flags")
		if i < 0 || i >= int(ev.NParams) {
			return
		}
		flags = ev.Uint(i)
	}
	if flags&oAccMode == 0 && flags&(oCreat|oTrunc) == 0 {
		return
	}
	kind := KindFileWrite
	if flags&oCreat != 0 {
		kind = KindFileCreate
	}
	a := base(r, kind)
	a.Path = f.Name
	a.Target = string(event.OpenFlags.Append(nil, flags&^0o2000000)) // without O_CLOEXEC
	t.startFold(r, &a)
}

// startFold opens a fold and marks the line as a fold of the fd.
func (t *Timeline) startFold(r *Record, a *Action) *pending {
	if isLoginUID(a.Path) {
		a.Kind = KindLogin
	}
	return t.fold(r, a)
}

func isLoginUID(p string) bool {
	return strings.HasPrefix(p, "/proc/") && strings.HasSuffix(p, "/loginuid")
}

// io adds a successful read or write to the fold of its fd: file writes, and the
// traffic of network sockets.
func (t *Timeline) io(r *Record, write bool) {
	f := r.View.FD
	if f == nil {
		return
	}
	var p *pending
	switch {
	case (f.Type == state.FDFile || f.Type == state.FDMemfd) && write && !quietFile(f.Name):
		if p = t.openFold(foldKey{r.Host.Index, r.View.Process.PID, f}); p == nil {
			a := base(r, KindFileWrite)
			a.Path = f.Name
			p = t.startFold(r, &a)
		}
	case (f.Type == state.FDIPv4 || f.Type == state.FDIPv6) && f.Remote.IsValid(),
		f.Type == state.FDUnix && (f.Name != "" || f.Peer != ""):
		if p = t.openFold(foldKey{r.Host.Index, r.View.Process.PID, f}); p == nil {
			a := base(r, KindTransfer)
			a.Path, a.Target = socketEnds(f)
			p = t.fold(r, &a)
		}
	default:
		return
	}
	p.Count++
	p.End = r.Event.Time
	if write {
		p.Bytes += r.Event.Ret
	} else {
		p.BytesIn += r.Event.Ret
	}
}

// socketEnds returns the local and remote ends of a socket as text.
func socketEnds(f *state.FD) (local, remote string) {
	if f.Type == state.FDUnix {
		return f.Name, f.Peer
	}
	if f.Local.IsValid() {
		local = f.Local.String()
	}
	if f.Remote.IsValid() {
		remote = f.Remote.String()
	}
	return local, remote
}

func (t *Timeline) fork(r *Record) {
	ev := r.Event
	if i := ev.Param("flags"); i >= 0 && ev.Uint(i)&1 != 0 { // a thread, not a process
		return
	}
	a := base(r, KindProcStart)
	a.Target = param(ev, "child_pid")
	t.emit(&a)
}

func (t *Timeline) exec(r *Record) {
	ev := r.Event
	if ev.Failed() && -ev.Ret == 2 { // ENOENT: a shell or execvp searching $PATH
		return
	}
	a := base(r, KindProcExec)
	a.Path = a.Exe
	// An exec through /proc/self/fd/N or /dev/fd/N runs a file by descriptor (a
	// memfd: fileless execution): say so, the executable's path alone hides it.
	if fn := pathParam(r, "filename", "dirfd"); strings.HasPrefix(fn, "/proc/") || strings.HasPrefix(fn, "/dev/fd/") {
		a.Target = fn
	}
	if ev.Failed() {
		a.Path = pathParam(r, "filename", "dirfd")
		if i := ev.Param("argv"); i >= 0 && i < int(ev.NParams) {
			a.Cmdline = string(event.AppendStrings(nil, ev.Bytes(i), ' '))
		}
	}
	t.emit(&a)
}

func (t *Timeline) exit(r *Record) {
	t.closeFolds(r.Host.Index, r.Event.PID, nil)
	a := base(r, KindProcExit)
	a.Target = exitText(r.Event)
	t.emit(&a)
}

func exitText(ev *event.Event) string {
	sig := ev.Param("sig")
	if sig >= 0 && sig < int(ev.NParams) && ev.Uint(sig) != 0 {
		return "killed by " + param(ev, "sig")
	}
	return "status " + param(ev, "status")
}

// single returns the action of an event that is one line by itself.
func single(r *Record, c class) (Action, bool) {
	ev := r.Event
	if ev.Failed() && -ev.Ret == 2 && c != clsCred { // ENOENT: nothing happened
		return Action{}, false
	}
	switch c {
	case clsPath:
		if -ev.Ret == 17 { // EEXIST: mkdir -p of a directory that is there
			return Action{}, false
		}
		return pathAction(r)
	case clsPath2:
		return path2Action(r)
	case clsFDOp:
		return fdOpAction(r)
	case clsConnect, clsAccept, clsListen:
		return netAction(r, c)
	case clsCred:
		a := base(r, KindPrivilege)
		a.Target = string(ev.AppendArgs(nil))
		return a, true
	case clsPtrace:
		return ptraceAction(r)
	case clsModule, clsBPF, clsMount, clsMemfd:
		return systemAction(r, c)
	}
	return Action{}, false
}

func pathAction(r *Record) (Action, bool) {
	ev := r.Event
	name := ev.Name()
	var a Action
	switch {
	case strings.HasPrefix(name, "unlink") || name == "rmdir":
		a = base(r, KindFileDelete)
	case strings.HasPrefix(name, "mkdir") || strings.HasPrefix(name, "mknod"):
		a = base(r, KindFileCreate)
		a.Target = "mode " + param(ev, "mode")
	case strings.Contains(name, "chmod"):
		a = base(r, KindFileMode)
		a.Target = "mode " + param(ev, "mode")
	case strings.Contains(name, "chown"):
		a = base(r, KindFileOwner)
		a.Target = "uid " + param(ev, "uid") + " gid " + param(ev, "gid")
	default:
		a = base(r, KindFileTrunc)
		a.Target = "length " + param(ev, "length")
	}
	a.Path = pathParam(r, "path", "dirfd")
	return a, true
}

func path2Action(r *Record) (Action, bool) {
	ev := r.Event
	name := ev.Name()
	if strings.HasPrefix(name, "symlink") {
		a := base(r, KindFileLink)
		a.Path, a.Target = pathParam(r, "linkpath", "newdirfd"), param(ev, "target")
		return a, true
	}
	kind := KindFileRename
	if strings.HasPrefix(name, "link") {
		kind = KindFileLink
	}
	a := base(r, kind)
	a.Path, a.Target = pathParam(r, "oldpath", "olddirfd"), pathParam(r, "newpath", "newdirfd")
	return a, true
}

func fdOpAction(r *Record) (Action, bool) {
	ev, f := r.Event, r.View.FD
	if f == nil || f.Type != state.FDFile {
		return Action{}, false
	}
	var a Action
	switch ev.Name() {
	case "fchmod":
		a = base(r, KindFileMode)
		a.Target = "mode " + param(ev, "mode")
	case "fchown":
		a = base(r, KindFileOwner)
		a.Target = "uid " + param(ev, "uid") + " gid " + param(ev, "gid")
	default:
		a = base(r, KindFileTrunc)
		a.Target = "length " + param(ev, "length")
	}
	a.Path = f.Name
	return a, true
}

func netAction(r *Record, c class) (Action, bool) {
	ev, f := r.Event, r.View.FD
	inProgress := ev.Failed() && -ev.Ret == 115 // EINPROGRESS: a non-blocking connect under way
	kind := map[class]string{clsConnect: KindConnect, clsAccept: KindAccept, clsListen: KindListen}[c]
	a := base(r, kind)
	if inProgress {
		a.Errno = ""
	}
	if f != nil {
		a.Path, a.Target = socketEnds(f)
	}
	if a.Target == "" && c == clsConnect {
		a.Target = param(ev, "addr")
	}
	return a, true
}

// ptraceRequests are the ptrace requests that take control of or change another
// process; reads (PEEK*, GETREGS) would flood the timeline under a debugger.
var ptraceRequests = map[uint64]bool{0: true, 4: true, 5: true, 6: true, 13: true, 16: true, 0x4206: true}

func ptraceAction(r *Record) (Action, bool) {
	ev := r.Event
	i := ev.Param("request")
	if i < 0 || i >= int(ev.NParams) || !ptraceRequests[ev.Uint(i)] {
		return Action{}, false
	}
	a := base(r, KindPtrace)
	a.Target = param(ev, "request") + " pid " + param(ev, "pid")
	return a, true
}

func systemAction(r *Record, c class) (Action, bool) {
	ev := r.Event
	var a Action
	switch c {
	case clsModule:
		a = base(r, KindModule)
		a.Path = fdName(r.View.FD)
		a.Target = strings.TrimSpace(param(ev, "name") + " " + param(ev, "params"))
	case clsBPF:
		if i := ev.Param("cmd"); i < 0 || i >= int(ev.NParams) || ev.Uint(i) != 5 { // BPF_PROG_LOAD
			return Action{}, false
		}
		a = base(r, KindBPF)
		a.Target = fmt.Sprintf("%s type %s, %s instructions", param(ev, "prog_name"), param(ev, "prog_type"), param(ev, "insn_cnt"))
	case clsMount:
		a = base(r, KindMount)
		a.Path = firstNonEmpty(param(ev, "target"), param(ev, "to_path"), param(ev, "new_root"))
		a.Target = strings.TrimSpace(string(ev.AppendArgs(nil)))
	case clsMemfd:
		a = base(r, KindFileCreate)
		a.Path = "memfd:" + param(ev, "name")
		a.Target = param(ev, "flags")
	}
	return a, true
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// quietFile reports whether writes to a path are noise for a timeline: the null
// device and terminals (a shell's output), not files that keep anything.
func quietFile(p string) bool {
	switch {
	case p == "/dev/null", p == "/dev/zero", p == "/dev/console", p == "/dev/tty":
		return true
	case strings.HasPrefix(p, "/dev/pts/"), strings.HasPrefix(p, "/dev/tty"):
		return true
	}
	return false
}
