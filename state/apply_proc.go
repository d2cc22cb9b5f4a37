package state

import "github.com/syscam/syscam/event"

// procfork parameters.
const (
	forkChildTID = iota
	forkChildPID
	forkFlags
	forkCloneFlags
	forkComm
	forkChildVTID
	forkChildVPID
	forkPidNS
)

// Fork flags (event.ForkFlags) and clone flags used by the rules.
const (
	forkThread     = 1
	forkShareFiles = 2
	forkNewPidNS   = 16
	cloneParent    = 0x8000
	cloneFiles     = 0x400
)

// applyFork creates the child of a procfork event; parent is the event's thread.
func (e *Engine) applyFork(ev *event.Event, parent *Thread) {
	ctid, cpid := int32(pint(ev, forkChildTID)), int32(pint(ev, forkChildPID))
	if ctid <= 0 {
		return
	}
	if cpid <= 0 {
		cpid = ctid
	}
	flags := pint(ev, forkFlags)
	if old := e.threads.get(ctid); old != nil && old.Placeholder() && old.Alive() && old.Proc.PID == cpid {
		e.fillFromFork(old, parent, ev) // the child's own events came first
		return
	}
	child := &Thread{TID: ctid, VTID: int32(pint(ev, forkChildVTID)), Start: ev.Time,
		Creds: parent.Creds, Comm: parent.Comm}
	if comm := pbytes(ev, forkComm); len(comm) > 0 {
		child.Comm = string(comm)
	}
	if flags&forkThread != 0 && cpid == parent.Proc.PID {
		child.Proc = parent.Proc
		if p := child.Proc; p.Exit != 0 {
			// A thread of a process whose threads all exited: only a trace that lost
			// events says so; the process lives on.
			p.Exit, p.ExitStatus, p.ExitSignal, p.Core = 0, 0, 0, false
		}
	} else {
		child.Proc = e.forkProcess(ev, parent, cpid)
	}
	files := parent.Files
	if flags&forkShareFiles == 0 || files == nil {
		files = copyTable(files)
	}
	e.addThread(child, files)
}

// copyTable copies a table for a forked child; nil gives an empty table.
func copyTable(t *FDTable) *FDTable {
	if t == nil {
		return &FDTable{}
	}
	return t.clone()
}

// forkProcess creates the process of a new child: the image of the parent, under the
// caller's process (under its parent with CLONE_PARENT).
func (e *Engine) forkProcess(ev *event.Event, parent *Thread, cpid int32) *Process {
	pp := parent.Proc
	p := e.newProcess(cpid, ev.Time)
	p.inherit(pp)
	p.VPID = int32(pint(ev, forkChildVPID))
	if pint(ev, forkFlags)&forkNewPidNS != 0 {
		p.NS.PID = uint64(pint(ev, forkPidNS))
	}
	owner := pp
	if pint(ev, forkCloneFlags)&cloneParent != 0 && pp.Parent != nil {
		owner = pp.Parent
	}
	p.setParent(owner)
	return p
}

// inherit copies what a forked child shares with its parent at fork.
func (p *Process) inherit(pp *Process) {
	p.Exe, p.ExePath, p.Argv, p.Env, p.Cwd = pp.Exe, pp.ExePath, pp.Argv, pp.Env, pp.Cwd
	p.TTY, p.SID, p.PGID, p.CgroupID, p.NS = pp.TTY, pp.SID, pp.PGID, pp.CgroupID, pp.NS
	p.ExeIno, p.ExeDev, p.ExeMtime, p.SHA256 = pp.ExeIno, pp.ExeDev, pp.ExeMtime, pp.SHA256
	p.placeholder = pp.placeholder
}

// fillFromFork completes a placeholder thread whose events came before its procfork.
func (e *Engine) fillFromFork(t *Thread, parent *Thread, ev *event.Event) {
	t.Flags &^= ThreadPlaceholder
	t.Creds, t.Comm, t.Start = parent.Creds, parent.Comm, min(t.Start, ev.Time)
	if comm := pbytes(ev, forkComm); len(comm) > 0 {
		t.Comm = string(comm)
	}
	p := t.Proc
	if p != parent.Proc && p.placeholder {
		p.inherit(parent.Proc)
		p.setParent(parent.Proc)
		p.Start = t.Start
	}
	if parent.Files != nil && t.Files != nil && parent.Files != t.Files {
		// The fds the child inherited, under those it opened before we knew it.
		parent.Files.Range(func(num int32, f *FD) bool {
			if t.Files.Get(num) == nil {
				t.Files.set(num, f, parent.Files.CloseOnExec(num))
			}
			return true
		})
	}
}

// procexit parameters.
const (
	exitStatus = iota
	exitSig
	exitCore
	exitReaper
)

// applyExit marks a thread exited; the process exits with its last live thread.
func (e *Engine) applyExit(ev *event.Event, t *Thread) {
	if !t.Alive() {
		return
	}
	t.ExitStatus = int32(pint(ev, exitStatus))
	t.ExitSignal = uint8(pint(ev, exitSig))
	t.Core = pint(ev, exitCore) != 0
	if p := t.Proc; p.Live == 1 {
		p.ExitStatus, p.ExitSignal, p.Core = t.ExitStatus, t.ExitSignal, t.Core
	}
	e.endThread(t, ev.Time, int32(pint(ev, exitReaper)))
}

// endThread marks t exited at time at; with the last live thread the process exits
// and its live children move to reaperPID (0: the nearest subreaper, else init).
func (e *Engine) endThread(t *Thread, at int64, reaperPID int32) {
	e.exitThread(t, at)
	if t.Proc.Live == 0 {
		e.reparentChildren(t.Proc, reaperPID)
	}
}

// exitThread marks t exited at time at and queues it for dropping; the process exits
// with its last live thread. A restore calls it alone: the children a checkpoint lists
// already have their parents.
func (e *Engine) exitThread(t *Thread, at int64) {
	t.Exit = at
	if t.Files != nil {
		t.Files.users--
	}
	p := t.Proc
	p.Live--
	if p.Live <= 0 {
		p.Live = 0
		p.Exit = max(p.Exit, at) // a restore may list the threads out of exit order
	}
	e.exited.push(t)
}

// reparentChildren moves the live children of an exited process to their new parent:
// the reaper the kernel named, else the nearest live subreaper ancestor, else pid 1.
func (e *Engine) reparentChildren(p *Process, reaperPID int32) {
	if p.child == nil {
		return
	}
	reaper := e.reaper(p, reaperPID)
	var moving []*Process
	p.Children(func(c *Process) bool {
		if c.Alive() {
			moving = append(moving, c)
		}
		return true
	})
	for _, c := range moving {
		c.setParent(reaper)
		if reaper == nil {
			c.PPID = max(reaperPID, 1)
		}
	}
}

func (e *Engine) reaper(p *Process, pid int32) *Process {
	if r := e.procs[pid]; pid > 0 && r != nil && r.Alive() && r != p {
		return r
	}
	for a, n := p.Parent, 0; a != nil && n < maxDepth; a, n = a.Parent, n+1 {
		if a.Subreaper && a.Alive() {
			return a
		}
	}
	if r := e.procs[1]; r != nil && r != p {
		return r
	}
	return nil
}

// prctl options used by the rules.
const (
	prSetName      = 15
	prSetSubreaper = 36
	prctlOption    = 0
	prctlArg2      = 1
	prctlName      = 2
)

// applyProcCall applies the process calls without fds: prctl, setsid, setpgid,
// set*id, capset, unshare.
func (e *Engine) applyProcCall(code opcode, ev *event.Event, v *View) {
	t, p := v.Thread, v.Process
	switch code {
	case opPrctl:
		switch pint(ev, prctlOption) {
		case prSetName:
			if name := pbytes(ev, prctlName); len(name) > 0 {
				t.Comm = string(name)
			}
		case prSetSubreaper:
			p.Subreaper = pint(ev, prctlArg2) != 0
		}
	case opSetsid:
		p.SID, p.PGID = p.PID, p.PID
	case opSetpgid:
		e.applySetpgid(ev, p)
	case opCred:
		applyCred(ev, t)
	case opUnshare:
		if pint(ev, 0)&cloneFiles != 0 && t.Files != nil && t.Files.users > 1 {
			t.Files.users--
			t.Files = t.Files.clone()
			t.Files.users = 1
		}
	}
}

func (e *Engine) applySetpgid(ev *event.Event, p *Process) {
	pid, pgid := int32(pint(ev, 0)), int32(pint(ev, 1))
	target := p
	if pid != 0 && pid != p.PID {
		target = e.procs[pid]
	}
	if target == nil {
		return
	}
	if pgid == 0 {
		pgid = target.PID
	}
	target.PGID = pgid
}

// linkParents links processes listed by a snapshot to parents listed after them.
func (e *Engine) linkParents() {
	e.unlinked = false
	e.descs, e.tables = nil, nil
	for _, p := range e.procs {
		if p.Parent == nil && p.PPID > 0 {
			if pp := e.procs[p.PPID]; pp != nil && pp != p {
				p.setParent(pp)
			}
		}
	}
}
