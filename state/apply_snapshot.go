package state

import "github.com/syscam/syscam/event"

// procinfo parameters (event.TypeProcInfo).
const (
	piPPID = iota
	piComm
	piExePath
	piArgv
	piEnv
	piCwd
	piUID
	piGID
	piEUID
	piEGID
	piLoginUID
	piCapEff
	piCapPrm
	piTTY
	piSID
	piPGID
	piVTID
	piVPID
	piStart
	piCgroupID
	piPidNS
	piMntNS
	piNetNS
	piExeIno
	piExeDev
	piExeMtime
	piExitTime
	piExitStatus
	piFlags
	piExe
	piPStart
	piReplay
)

// ProcState bits (event.ProcState).
const (
	psPlaceholder     = 1
	psSubreaper       = 2
	psCore            = 4
	psOwnFiles        = 8
	psProcPlaceholder = 16
	psProcCore        = 32
)

// applyProcInfo sets a thread (and its process) from a snapshot record. A record for a
// known tid with the same start time updates it; another start time means the tid was
// reused: a new incarnation replaces the old.
func (e *Engine) applyProcInfo(ev *event.Event) *Thread {
	e.startSection()
	rp := parseReplay(pbytes(ev, piReplay))
	start, state := pint(ev, piStart), rp.state
	t := e.threads.get(ev.TID)
	if t == nil || (t.Start != start && start != 0 && !t.Placeholder()) {
		p := e.snapshotProcess(ev)
		t = &Thread{TID: ev.TID, Proc: p, Start: start}
		files := e.filesOf(p)
		if rp.files != 0 {
			files = e.sectionTable(rp.files)
		} else if state&psOwnFiles != 0 {
			files = &FDTable{}
		}
		e.addThread(t, files)
		if rp.pfiles != 0 {
			p.files = e.sectionTable(rp.pfiles)
		}
	} else if start != 0 {
		t.Start = start
	}
	e.setThreadInfo(ev, t, &rp)
	e.setProcessInfo(ev, t.Proc, &rp)
	if exit := pint(ev, piExitTime); exit != 0 && t.Alive() {
		t.ExitStatus, t.ExitSignal = int32(pint(ev, piExitStatus)), rp.exitSignal
		t.Core = state&psCore != 0
		e.exitThread(t, exit)
		if p := t.Proc; p.Live == 0 {
			p.ExitStatus, p.ExitSignal, p.Core = rp.pstatus, rp.psignal, rp.state&psProcCore != 0
		}
		e.exited.sortTail()
	}
	return t
}

// snapshotProcess returns the process a procinfo record belongs to: the current one
// with its pid when the start times agree, else a new one.
func (e *Engine) snapshotProcess(ev *event.Event) *Process {
	pstart, known := pint(ev, piPStart), int(ev.NParams) > piPStart // a checkpoint's
	if !known && ev.TID == ev.PID {
		pstart, known = pint(ev, piStart), true // a /proc snapshot's main thread
	}
	p := e.procs[ev.PID]
	if p != nil && (!known || p.Start == pstart || p.placeholder) {
		if known {
			p.Start = pstart
		}
		if p.Exit != 0 && pint(ev, piExitTime) == 0 {
			// a live thread of a process whose other threads exited
			p.Exit, p.ExitStatus, p.ExitSignal, p.Core = 0, 0, 0, false
		}
		return p
	}
	if !known {
		pstart = pint(ev, piStart)
	}
	p = e.newProcess(ev.PID, pstart)
	p.PPID = int32(pint(ev, piPPID))
	return p
}

// setThreadInfo copies the per-thread fields of a procinfo record.
func (e *Engine) setThreadInfo(ev *event.Event, t *Thread, rp *replay) {
	t.Flags = ThreadFromSnapshot
	if rp.state&psPlaceholder != 0 {
		t.Flags |= ThreadPlaceholder
	}
	t.VTID = int32(pint(ev, piVTID))
	t.Comm = string(pbytes(ev, piComm))
	c := &t.Creds
	c.UID, c.GID = uint32(pint(ev, piUID)), uint32(pint(ev, piGID))
	c.EUID, c.EGID = uint32(pint(ev, piEUID)), uint32(pint(ev, piEGID))
	c.SUID, c.SGID, c.FSUID, c.FSGID = c.EUID, c.EGID, c.EUID, c.EGID
	if rp.ids {
		c.SUID, c.SGID, c.FSUID, c.FSGID = rp.suid, rp.sgid, rp.fsuid, rp.fsgid
	}
	c.LoginUID = uint32(pint(ev, piLoginUID))
	c.CapEffective, c.CapPermitted = uint64(pint(ev, piCapEff)), uint64(pint(ev, piCapPrm))
	c.CapInheritable = rp.capInh
	t.credGen = 0
}

// setProcessInfo copies the per-process fields of a procinfo record.
func (e *Engine) setProcessInfo(ev *event.Event, p *Process, rp *replay) {
	p.placeholder = rp.state&psProcPlaceholder != 0
	p.Subreaper = rp.state&psSubreaper != 0
	if ppid := int32(pint(ev, piPPID)); ppid != p.PPID || p.Parent == nil {
		p.PPID = ppid
		if pp := e.procs[ppid]; pp != nil && pp != p {
			p.setParent(pp)
		}
	}
	p.ExePath = string(pbytes(ev, piExePath))
	p.Argv = splitStrings(pbytes(ev, piArgv))
	p.Exe = string(pbytes(ev, piExe))
	if p.Exe == "" && len(p.Argv) > 0 {
		p.Exe = p.Argv[0] // /proc does not keep the path given to execve
	}
	p.Env = splitStrings(pbytes(ev, piEnv))
	p.Cwd = string(pbytes(ev, piCwd))
	p.TTY = uint32(pint(ev, piTTY))
	p.SID, p.PGID = int32(pint(ev, piSID)), int32(pint(ev, piPGID))
	p.VPID = int32(pint(ev, piVPID))
	if cg := uint64(pint(ev, piCgroupID)); cg != p.CgroupID {
		p.CgroupID, p.containerGen = cg, 0
	}
	p.NS = Namespaces{PID: uint64(pint(ev, piPidNS)), Mnt: uint64(pint(ev, piMntNS)), Net: uint64(pint(ev, piNetNS))}
	p.ExeIno, p.ExeDev = uint64(pint(ev, piExeIno)), uint64(pint(ev, piExeDev))
	p.ExeMtime, p.ExecTime, p.SHA256 = pint(ev, piExeMtime), rp.execTime, rp.sha256
}

// fdinfo parameters (event.TypeFDInfo).
const (
	fiFD = iota
	fiType
	fiFlags
	fiName
	fiLocal
	fiRemote
	fiProto
	fiIno
	fiDev
	fiRole
	fiDesc
	fiOpened
	fiTable
)

// startSection notes that a state section is being applied: parents are linked and
// description ids forgotten at its end.
func (e *Engine) startSection() {
	e.unlinked = true
	if e.descs == nil {
		e.descs = make(map[uint64]*FD)
		e.tables = make(map[uint64]*FDTable)
	}
}

// sectionTable returns the fd table numbered id in the state section being applied.
func (e *Engine) sectionTable(id uint64) *FDTable {
	t := e.tables[id]
	if t == nil {
		t = &FDTable{}
		e.tables[id] = t
	}
	return t
}

// applyFDInfo sets one fd of the event thread's table from a snapshot record.
func (e *Engine) applyFDInfo(ev *event.Event, v *View) {
	e.startSection()
	num := int32(pint(ev, fiFD))
	flags := uint32(pint(ev, fiFlags))
	f := &FD{Type: FDType(pint(ev, fiType)), Flags: flags &^ oCloexec,
		Proto: uint8(pint(ev, fiProto)), Role: Role(pint(ev, fiRole)),
		Ino: uint64(pint(ev, fiIno)), Dev: uint64(pint(ev, fiDev))}
	f.Name = string(pbytes(ev, fiName))
	local, lok := sockAddr(ev, fiLocal)
	remote, rok := sockAddr(ev, fiRemote)
	if lok {
		f.Family = local.Family
		setLocal(f, local)
	}
	if rok {
		f.Family = remote.Family
		setRemote(f, remote)
	}
	if f.Family == 0 {
		f.Family = familyOf(f.Type)
	}
	f.Opened = pint(ev, fiOpened)
	if desc := uint64(pint(ev, fiDesc)); desc != 0 {
		if same := e.descs[desc]; same != nil {
			f = same
		} else {
			e.descs[desc] = f
		}
	}
	table := v.Thread.Files
	if id := uint64(pint(ev, fiTable)); id != 0 {
		table = e.sectionTable(id)
	}
	if table != nil && num >= 0 {
		table.set(num, f, flags&oCloexec != 0)
		v.FD, v.FDNum = f, num
	}
}

func familyOf(t FDType) uint8 {
	switch t {
	case FDIPv4:
		return event.AFInet
	case FDIPv6:
		return event.AFInet6
	case FDUnix:
		return event.AFUnix
	case FDNetlink:
		return afNetlink
	}
	return 0
}

func (e *Engine) applyUserInfo(ev *event.Event) {
	u := &User{UID: uint32(pint(ev, 0)), GID: uint32(pint(ev, 1)), Name: string(pbytes(ev, 2)),
		Home: string(pbytes(ev, 3)), Shell: string(pbytes(ev, 4))}
	e.users[u.UID] = u
	e.credGen++
}

func (e *Engine) applyGroupInfo(ev *event.Event) {
	g := &Group{GID: uint32(pint(ev, 0)), Name: string(pbytes(ev, 1))}
	e.groups[g.GID] = g
	e.credGen++
}

func (e *Engine) applyCgroupInfo(ev *event.Event) {
	e.cgroups[uint64(pint(ev, 0))] = string(pbytes(ev, 1))
	e.ctrGen++
}

// applyContainerInfo records what the recorder knows of a container (name, image),
// completing the id and runtime guessed from cgroup paths.
func (e *Engine) applyContainerInfo(ev *event.Event) {
	id := string(pbytes(ev, 0))
	if id == "" {
		return
	}
	c := e.containers[id]
	if c == nil {
		c = &Container{ID: id}
		e.containers[id] = c
	}
	for i, dst := range []*string{&c.Runtime, &c.Name, &c.Image, &c.Cgroup} {
		if b := pbytes(ev, int8(i+1)); len(b) > 0 {
			*dst = string(b)
		}
	}
	e.ctrGen++
}
