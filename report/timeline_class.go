package report

import (
	"path"
	"strings"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/state"
)

// class says how the timeline treats an event type.
type class uint8

const (
	clsNone    class = iota
	clsOpen          // open*, creat: a write fold when opened for writing
	clsWrite         // data written: file write fold, or transfer fold on a socket
	clsRead          // data read: transfer fold on a socket
	clsClose         // ends the fd's folds
	clsFork          // procfork
	clsExec          // execve, execveat
	clsExit          // procexit
	clsPath          // one path: unlink, rmdir, mkdir, chmod, chown, truncate...
	clsPath2         // two paths: rename, link, symlink
	clsFDOp          // an fd's file: fchmod, fchown, ftruncate
	clsConnect       // connect
	clsAccept        // accept, accept4
	clsListen        // listen
	clsCred          // setuid family, capset
	clsPtrace        // ptrace
	clsModule        // init_module, finit_module, delete_module
	clsBPF           // bpf
	clsMount         // mount, umount2, move_mount, fsmount, pivot_root
	clsMemfd         // memfd_create
	clsDrop          // drop: the recorder lost events here
)

var classNames = map[string]class{
	"open": clsOpen, "openat": clsOpen, "openat2": clsOpen, "creat": clsOpen,
	"close": clsClose, "procfork": clsFork, "execve": clsExec, "execveat": clsExec, "procexit": clsExit,
	"unlink": clsPath, "unlinkat": clsPath, "rmdir": clsPath, "mkdir": clsPath, "mkdirat": clsPath,
	"mknod": clsPath, "mknodat": clsPath, "chmod": clsPath, "fchmodat": clsPath, "fchmodat2": clsPath,
	"chown": clsPath, "lchown": clsPath, "fchownat": clsPath, "truncate": clsPath,
	"rename": clsPath2, "renameat": clsPath2, "renameat2": clsPath2, "link": clsPath2, "linkat": clsPath2,
	"symlink": clsPath2, "symlinkat": clsPath2,
	"fchmod": clsFDOp, "fchown": clsFDOp, "ftruncate": clsFDOp,
	"connect": clsConnect, "accept": clsAccept, "accept4": clsAccept, "listen": clsListen,
	"setuid": clsCred, "setgid": clsCred, "setreuid": clsCred, "setregid": clsCred,
	"setresuid": clsCred, "setresgid": clsCred, "setfsuid": clsCred, "setfsgid": clsCred,
	"capset": clsCred, "setgroups": clsCred,
	"ptrace": clsPtrace, "init_module": clsModule, "finit_module": clsModule, "delete_module": clsModule,
	"bpf": clsBPF, "mount": clsMount, "umount2": clsMount, "move_mount": clsMount, "fsmount": clsMount,
	"pivot_root": clsMount, "memfd_create": clsMemfd, "drop": clsDrop,
}

func classTable() []class {
	t := make([]class, event.MaxType())
	for _, in := range event.All() {
		switch {
		case classNames[in.Name] != clsNone:
			t[in.Type] = classNames[in.Name]
		case in.Flags&event.WritesData != 0:
			t[in.Type] = clsWrite
		case in.Flags&event.ReadsData != 0:
			t[in.Type] = clsRead
		}
	}
	return t
}

// base fills the fields every action of r shares.
func base(r *Record, kind string) Action {
	ev, v := r.Event, r.View
	a := Action{Time: ev.Time, Kind: kind, Host: r.Host.Label(), PID: ev.PID, TID: ev.TID,
		Syscall: ev.Name(), Num: ev.Num}
	p := v.Process
	a.PPID, a.Exe, a.Cmdline = p.PPID, p.ExePath, strings.Join(p.Argv, " ")
	if a.Exe == "" {
		a.Exe = p.Exe
	}
	a.Process = v.Thread.Comm
	a.UID = v.Thread.Creds.EUID
	if u := v.User(); u != nil {
		a.User = u.Name
	} else {
		a.User = u64(uint64(a.UID))
	}
	if pp := v.Parent(); pp != nil {
		a.Parent = pp.Name()
	}
	if ev.Failed() {
		a.Errno = event.ErrnoName(-ev.Ret)
	}
	return a
}

// classify turns the event into actions or folds.
func (t *Timeline) classify(r *Record, c class) {
	ev, v := r.Event, r.View
	failed := ev.Failed()
	switch c {
	case clsOpen:
		if !failed {
			t.open(r)
		}
	case clsWrite, clsRead:
		if !failed && ev.Ret > 0 {
			t.io(r, c == clsWrite)
		}
	case clsClose:
		if v.FD != nil && !stillOpen(v) {
			t.closeFolds(r.Host.Index, ev.PID, v.FD)
		}
	case clsFork:
		t.fork(r)
	case clsExec:
		t.exec(r)
	case clsExit:
		if ev.TID == ev.PID {
			t.exit(r)
		}
	case clsDrop:
		t.emit(&Action{Time: ev.Time, Kind: KindDrop, Host: r.Host.Label(), Syscall: ev.Name(), Num: ev.Num,
			Count: ev.Uint(1), Target: "cpu " + u64(uint64(ev.CPU)) + ", " + param(ev, "source")})
	default:
		if a, ok := single(r, c); ok {
			t.emit(&a)
		}
	}
}

// resolve makes a path parameter absolute against dirfd's directory or the cwd, as the
// kernel did; a relative path whose base is unknown is left as given.
func resolve(v *state.View, dirfd int64, name string) string {
	if name == "" || name[0] == '/' {
		return name
	}
	base := v.Process.Cwd
	if dirfd != -100 && dirfd >= 0 {
		base = ""
		if f := v.Thread.FD(int32(dirfd)); f != nil {
			base = f.Name
		}
	}
	if base == "" {
		return name
	}
	return path.Join(base, name)
}

// pathParam returns the resolved path of parameter name, using dirParam as its dirfd.
func pathParam(r *Record, name, dirParam string) string {
	ev := r.Event
	i := ev.Param(name)
	if i < 0 || i >= int(ev.NParams) {
		return ""
	}
	dirfd := int64(-100)
	if j := ev.Param(dirParam); j >= 0 && j < int(ev.NParams) {
		dirfd = ev.Int(j)
	}
	return resolve(r.View, dirfd, string(ev.Bytes(i)))
}

func param(ev *event.Event, name string) string {
	i := ev.Param(name)
	if i < 0 || i >= int(ev.NParams) {
		return ""
	}
	return string(ev.AppendParam(nil, i))
}

func fdName(f *state.FD) string {
	if f == nil {
		return ""
	}
	return string(f.AppendName(nil))
}

// stillOpen reports whether the description a close just released is still open
// under another fd number of the process (dup, dup2): the fold of its writes goes on.
// Only called on close, and the table scan stops at the first match.
func stillOpen(v *state.View) bool {
	open := false
	if v.Thread.Files != nil {
		v.Thread.Files.Range(func(_ int32, f *state.FD) bool {
			open = f == v.FD
			return !open
		})
	}
	return open
}
