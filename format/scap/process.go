package scap

import (
	"bytes"

	"github.com/syscam/syscam/event"
)

// rawParam returns the value of ev's parameter named name, nil when absent.
func rawParam(ev *rawEvent, name string) []byte {
	if ev == nil {
		return nil
	}
	for i, pd := range lookupEv(ev.typ).params {
		if i >= ev.n {
			break
		}
		if pd.name == name {
			return ev.p[i]
		}
	}
	return nil
}

// rawInt returns ev's integer parameter name and whether it is present.
func rawInt(ev *rawEvent, name string) (int64, bool) {
	v := rawParam(ev, name)
	if len(v) == 0 {
		return 0, false
	}
	return intValue(v, ptInt64), true
}

// mapClone maps a clone, fork, vfork or clone3 exit. scap reports it twice, once per
// returning task: in the parent (res = child tid) and in the child (res = 0), in either
// order. The first of the two also yields a procfork event, emitted before the
// syscall event, which tells the state engine that the child exists; the thread table
// learns the child's process from it.
func (m *mapper) mapClone(p *plan, enter, ev *rawEvent, out output) {
	res := retValue(rawParam(ev, "res"), ptPid)
	flags, _ := rawInt(ev, "flags")
	child, childPID, parentTID := int64(-1), int32(0), ev.tid
	switch {
	case res > 0:
		child = res
		childPID = int32(res)
		if flags&ppmCloneThread != 0 {
			childPID = m.pidOf(ev.tid)
		}
	case res == 0:
		child = ev.tid
		pid, ok := rawInt(ev, "pid")
		if !ok {
			pid = ev.tid
		}
		childPID = int32(pid)
		parentTID = pid // a thread's parent task is unknown here: name the main thread
		if flags&ppmCloneThread == 0 {
			parentTID, _ = rawInt(ev, "ptid")
		}
	}
	if child > 0 {
		m.learnChild(ev, child, childPID)
		if m.forked[child] {
			delete(m.forked, child)
		} else {
			m.forked[child] = true
			m.emitFork(ev, parentTID, child, childPID, uint64(flags), out)
		}
	}
	e := out.next()
	m.fill(e, p, enter, ev)
	m.stats.Emitted++
}

func (m *mapper) learnChild(ev *rawEvent, child int64, pid int32) {
	t := m.threads[ev.tid]
	if uid, ok := rawInt(ev, "uid"); ok {
		t.uid = uint32(uid)
	}
	if gid, ok := rawInt(ev, "gid"); ok {
		t.gid = uint32(gid)
	}
	t.pid = pid
	m.setThread(child, t)
}

// emitFork emits the procfork event of a clone: the event's thread is the parent.
func (m *mapper) emitFork(ev *rawEvent, parent, child int64, childPID int32, flags uint64, out output) {
	e := out.next()
	e.Reset()
	e.Time, e.CPU, e.Type = m.stamp(ev.ts), ev.cpu, event.TypeProcFork
	e.TID, e.PID = int32(parent), m.pidOf(parent)
	e.SetInt(0, uint64(child))
	e.SetInt(1, uint64(int64(childPID)))
	e.SetInt(2, forkFlags(flags))
	e.SetInt(3, cloneFlags(flags))
	e.SetBytes(4, trimNUL(rawParam(ev, "comm")), uint32(len(trimNUL(rawParam(ev, "comm")))))
	if ev.tid == child { // the child's own exit knows its ids in its pid namespace
		if v, ok := rawInt(ev, "vtid"); ok {
			e.SetInt(5, uint64(v))
		}
		if v, ok := rawInt(ev, "vpid"); ok {
			e.SetInt(6, uint64(v))
		}
	}
	m.stats.Emitted++
}

// finishExecve completes an execve or execveat event after the slot mapping: argv is
// scap's exe (argv[0]) followed by its args (argv[1..]); exepath falls back, in older
// captures without trusted_exepath, to the filename passed in, then to argv[0]; scap's
// uid and gid are the effective ids. A failed exec keeps only what the caller passed
// (filename, and its cwd and ids).
func (m *mapper) finishExecve(e *event.Event, enter, ev *rawEvent) {
	if e.Ret < 0 {
		// A failed exec leaves the old image: scap's exit still describes it, which
		// would read as the program the caller tried to start.
		for _, name := range []string{"comm", "env", "exepath"} {
			if i := e.Param(name); i >= 0 && i < int(e.NParams) {
				e.SetBytes(i, nil, 0)
			}
		}
		m.finishCreds(e, ev)
		return
	}
	exe := trimNUL(rawParam(ev, "exe"))
	args := rawParam(ev, "args")
	if i := e.Param("argv"); i >= 0 && (len(exe) > 0 || len(args) > 0) {
		b := append(append(m.scratch[:0], exe...), 0)
		b = append(b, args...)
		if len(args) > 0 && args[len(args)-1] != 0 {
			b = append(b, 0)
		}
		e.SetBytes(i, b, uint32(len(b)))
		m.scratch = b
	}
	m.finishExePath(e, enter, exe)
	m.finishCreds(e, ev)
	if pid, ok := rawInt(ev, "pid"); ok && e.Ret == 0 {
		e.PID = int32(pid)
		t := m.threads[ev.tid]
		t.pid = int32(pid)
		m.setThread(ev.tid, t)
	}
}

func (m *mapper) finishExePath(e *event.Event, enter *rawEvent, exe []byte) {
	i := e.Param("exepath")
	if i < 0 || i < int(e.NParams) && len(e.Bytes(i)) > 0 {
		return
	}
	fn := e.Param("filename")
	switch {
	case fn >= 0 && fn < int(e.NParams) && bytes.HasPrefix(e.Bytes(fn), []byte("/")):
		m.scratch = append(m.scratch[:0], e.Bytes(fn)...)
		e.SetBytes(i, m.scratch, uint32(len(m.scratch)))
	case len(exe) > 0:
		e.SetBytes(i, exe, uint32(len(exe)))
	}
}

// finishCreds sets uid/euid, gid/egid and loginuid from the event, else from the
// thread table; unknown ids are 0xFFFFFFFF, never 0 (root). Exec keeps the login
// uid, so the thread's is right for the exits that predate the parameter (before
// EXECVE_19): without it the event would end before loginuid, which reads as 0.
func (m *mapper) finishCreds(e *event.Event, ev *rawEvent) {
	t, known := m.threads[ev.tid]
	if !known { // a process the capture never described: inherit from its parent
		if ptid, ok := rawInt(ev, "ptid"); ok {
			if pt, ok := m.threads[ptid]; ok {
				t, known = thread{pid: int32(ev.tid), uid: pt.uid, gid: pt.gid, loginuid: pt.loginuid}, true
			}
		}
	}
	uid, gid, login := uint64(0xFFFFFFFF), uint64(0xFFFFFFFF), uint64(0xFFFFFFFF)
	if known {
		uid, gid, login = uint64(t.uid), uint64(t.gid), uint64(t.loginuid)
	}
	if v, ok := rawInt(ev, "loginuid"); ok {
		login = uint64(uint32(v))
		t.loginuid = uint32(v)
	}
	if i := e.Param("loginuid"); i >= 0 {
		e.SetInt(i, login)
	}
	if v, ok := rawInt(ev, "uid"); ok {
		uid = uint64(uint32(v))
		t.uid = uint32(v)
	}
	if v, ok := rawInt(ev, "gid"); ok {
		gid = uint64(uint32(v))
		t.gid = uint32(v)
	}
	for _, name := range []string{"uid", "euid"} {
		if i := e.Param(name); i >= 0 {
			e.SetInt(i, uid)
		}
	}
	for _, name := range []string{"gid", "egid"} {
		if i := e.Param(name); i >= 0 {
			e.SetInt(i, gid)
		}
	}
	if known {
		m.setThread(ev.tid, t)
	}
}

// finishProcExit decodes scap's procexit: status is the kernel's wait status (exit
// code << 8 | signal); later drivers add ret (the exit code), sig and core. syscam's
// status is the exit code. The thread leaves the table.
func (m *mapper) finishProcExit(e *event.Event, ev *rawEvent) {
	status, _ := rawInt(ev, "status")
	code, ok := rawInt(ev, "ret")
	if !ok {
		code = (status >> 8) & 0xff
	}
	sig, ok := rawInt(ev, "sig")
	if !ok {
		sig = status & 0x7f
	}
	core, ok := rawInt(ev, "core")
	if !ok {
		core = (status >> 7) & 1
	}
	e.SetInt(0, uint64(code))
	e.SetInt(1, uint64(sig))
	e.SetInt(2, uint64(core))
	if r, ok := rawInt(ev, "reaper_tid"); ok {
		e.SetInt(3, uint64(r))
	}
	m.dropThread(ev.tid)
}
