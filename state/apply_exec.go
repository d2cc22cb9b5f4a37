package state

import "github.com/syscam/syscam/event"

// Exec image parameters, relative to "filename" (see event.execParams).
const (
	exFilename = iota
	exArgv
	exEnv
	exExePath
	exCwd
	exComm
	exPPID
	exUID
	exGID
	exEUID
	exEGID
	exLoginUID
	exCapEff
	exCapPrm
	exTTY
	exSID
	exPGID
	exExeIno
	exExeDev
	exExeMtime
	exCgroupID
	exSHA256
)

// applyExec gives the process the new image of a successful execve or execveat.
func (e *Engine) applyExec(ev *event.Event, o *op, v *View) {
	if o.exec < 0 {
		return
	}
	t, p := v.Thread, v.Process
	if !t.Alive() && p.Live > 0 {
		// The main thread had exited and another thread exec'd: the kernel gives the
		// exec'ing thread the main thread's tid (de_thread).
		t = e.takeOverLeader(t, ev.Time)
		v.Thread = t
	}
	e.endOtherThreads(p, t, ev.Time)
	if t.Files != nil && t.Files.users > 1 && t.Files.users > int32(p.Live) {
		// Shared with another process (CLONE_FILES without CLONE_THREAD): exec unshares.
		t.Files.users--
		t.Files = t.Files.clone()
		t.Files.users = 1
	}
	if t.Files != nil {
		t.Files.closeOnExec()
		p.files = t.Files // the only table left: later threads join it
	}
	e.setImage(ev, o.exec, t, p)
	p.ExecTime = ev.Time
	t.Flags &^= ThreadPlaceholder
	p.placeholder = false
}

// takeOverLeader makes a new incarnation of the exited main thread old, for the
// thread that exec'd (which one the trace does not say: the others end next).
func (e *Engine) takeOverLeader(old *Thread, at int64) *Thread {
	t := &Thread{TID: old.TID, VTID: old.VTID, Proc: old.Proc, Comm: old.Comm, Creds: old.Creds, Start: at}
	e.addThread(t, e.filesOf(old.Proc))
	return t
}

// endOtherThreads marks the other live threads of p exited: a successful exec kills
// them (de_thread). Their own procexit events, when the recorder caught them, come
// first and make this a no-op.
func (e *Engine) endOtherThreads(p *Process, keep *Thread, at int64) {
	if p.Live <= 1 {
		return
	}
	var others []*Thread
	for _, th := range p.tlist {
		if th != keep && th.Alive() {
			others = append(others, th)
		}
	}
	for _, th := range others {
		th.ExitSignal = sigkill
		e.endThread(th, at, 0)
	}
}

const sigkill = 9

// setImage copies the image parameters of an exec event, based at index b.
func (e *Engine) setImage(ev *event.Event, b int8, t *Thread, p *Process) {
	at := func(i int) int8 { return b + int8(i) }
	p.ExePath = string(pbytes(ev, at(exExePath)))
	if fn := pbytes(ev, at(exFilename)); string(fn) == p.ExePath {
		p.Exe = p.ExePath
	} else {
		p.Exe = string(fn)
	}
	p.Argv = splitStrings(pbytes(ev, at(exArgv)))
	p.Env = splitStrings(pbytes(ev, at(exEnv)))
	if cwd := pbytes(ev, at(exCwd)); len(cwd) > 0 {
		p.Cwd = string(cwd)
	}
	if comm := pbytes(ev, at(exComm)); len(comm) > 0 {
		t.Comm = string(comm)
	} else if p.ExePath != "" {
		t.Comm = truncComm(baseName(p.ExePath))
	}
	e.execParent(p, int32(pint(ev, at(exPPID))))
	if int(at(exEGID)) < int(ev.NParams) {
		execCreds(ev, b, t)
	}
	setExecSession(ev, b, p)
}

// execParent links a process whose parent is unknown (or a placeholder) to the ppid
// an exec event names.
func (e *Engine) execParent(p *Process, ppid int32) {
	if ppid <= 0 || p.Parent != nil && (!p.Parent.placeholder || p.PPID == ppid) {
		return
	}
	p.PPID = ppid
	if pp := e.procs[ppid]; pp != nil && pp != p {
		p.setParent(pp)
	}
}

// execCreds copies the credentials of the new image (setuid binaries change them).
// An event that ends before a credential (an older trace, a converted capture whose
// execve layout lacks it, a truncated record) keeps the thread's value: exec keeps
// credentials unless the image is setuid, and 0 would make anyone root.
func execCreds(ev *event.Event, b int8, t *Thread) {
	c := &t.Creds
	field := func(i int, cur uint32) uint32 { return uint32(pintOr(ev, b+int8(i), int64(cur))) }
	t.credGen = 0
	c.UID, c.GID = field(exUID, c.UID), field(exGID, c.GID)
	if int(b+exEGID) < int(ev.NParams) { // exec sets the saved and fs ids to the effective
		c.EUID, c.EGID = field(exEUID, c.EUID), field(exEGID, c.EGID)
		c.SUID, c.SGID, c.FSUID, c.FSGID = c.EUID, c.EGID, c.EUID, c.EGID
	}
	c.LoginUID = field(exLoginUID, c.LoginUID)
	c.CapEffective = uint64(pintOr(ev, b+exCapEff, int64(c.CapEffective)))
	c.CapPermitted = uint64(pintOr(ev, b+exCapPrm, int64(c.CapPermitted)))
}

// setExecSession copies the terminal, session, executable identity and cgroup.
func setExecSession(ev *event.Event, b int8, p *Process) {
	at := func(i int) int8 { return b + int8(i) }
	// The terminal and the session survive exec: absent from the event, they stay.
	p.TTY = uint32(pintOr(ev, at(exTTY), int64(p.TTY)))
	p.SID, p.PGID = int32(pintOr(ev, at(exSID), int64(p.SID))), int32(pintOr(ev, at(exPGID), int64(p.PGID)))
	p.ExeIno, p.ExeDev = uint64(pint(ev, at(exExeIno))), uint64(pint(ev, at(exExeDev)))
	p.ExeMtime = pint(ev, at(exExeMtime))
	if cg := uint64(pint(ev, at(exCgroupID))); cg != 0 {
		p.CgroupID, p.containerGen = cg, 0
	}
	p.SHA256 = nil
	if sum := pbytes(ev, at(exSHA256)); len(sum) > 0 {
		p.SHA256 = append([]byte(nil), sum...)
	}
}

// splitStrings splits a NUL-separated string list; nil for an empty one.
func splitStrings(list []byte) []string {
	if len(list) == 0 {
		return nil
	}
	n := 0
	event.Strings(list, func([]byte) bool { n++; return true })
	out := make([]string, 0, n)
	event.Strings(list, func(item []byte) bool {
		out = append(out, string(item))
		return true
	})
	return out
}

// truncComm cuts a name to the kernel's TASK_COMM_LEN-1 bytes.
func truncComm(s string) string {
	if len(s) > 15 {
		return s[:15]
	}
	return s
}
