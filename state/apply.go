package state

import "github.com/syscam/syscam/event"

// Apply updates the state with ev and returns ev's View. Events must come in
// timestamp order; an event a little older than its thread's latest incarnation (a
// late event, reordered across CPUs) resolves to the incarnation that existed then.
// Apply never fails: what an event cannot be applied to (an unknown fd, a failed
// call, a malformed parameter) leaves the state as it was.
//
// Thread and Process in the View are nil only for events no thread made: those with
// tid 0 (capture notices, drops) and the user, group, cgroup and container snapshot
// records.
func (e *Engine) Apply(ev *event.Event) *View {
	e.stats.Events++
	if ev.Time > e.now {
		e.now = ev.Time
		if e.exited.head < len(e.exited.items) {
			e.expire()
		}
	}
	o := opOf(ev.Type)
	if e.unlinked && o.code < opProcInfo {
		e.linkParents() // the state section has ended
	}
	v := &e.view
	v.Event, v.Thread, v.Process, v.FD, v.FDNum = ev, nil, nil, nil, -1
	if o.code >= opUserInfo || ev.TID == 0 {
		e.applyGlobal(o.code, ev)
		return v
	}
	if o.code == opProcInfo {
		v.Thread = e.applyProcInfo(ev)
	} else {
		v.Thread = e.lookup(ev)
	}
	v.Process = v.Thread.Proc
	if o.code != opNone && o.code != opProcInfo {
		e.dispatch(o, ev, v)
	}
	return v
}

// applyGlobal applies the events that belong to no thread.
func (e *Engine) applyGlobal(code opcode, ev *event.Event) {
	switch code {
	case opUserInfo:
		e.applyUserInfo(ev)
	case opGroupInfo:
		e.applyGroupInfo(ev)
	case opCgroupInfo:
		e.applyCgroupInfo(ev)
	case opContainerInfo:
		e.applyContainerInfo(ev)
	}
}

// dispatch applies a thread's event. Calls that failed change nothing but still name
// the fd they used.
func (e *Engine) dispatch(o *op, ev *event.Event, v *View) {
	switch o.code {
	case opFork:
		e.applyFork(ev, v.Thread)
		return
	case opExit:
		e.applyExit(ev, v.Thread)
		return
	case opFDInfo:
		e.applyFDInfo(ev, v)
		return
	}
	if ev.Flags&event.FlagEnter != 0 || ev.Ret < 0 && ev.Ret > -4096 { // failed
		if o.fd >= 0 {
			e.useFD(v, int32(pint(ev, o.fd)))
		}
		if o.code == opConnect && ev.Ret == -einprogress {
			e.applyConnect(ev, o, v)
		}
		return
	}
	e.dispatchSyscall(o, ev, v)
}

func (e *Engine) dispatchSyscall(o *op, ev *event.Event, v *View) {
	switch o.code {
	case opUseFD:
		e.useFD(v, int32(pint(ev, o.fd)))
	case opListen, opSockName, opSendTo:
		e.useFD(v, int32(pint(ev, o.fd)))
		e.applySocketCall(o, o.code, ev, v)
	case opOpen:
		e.applyOpen(ev, o, v)
	case opClose:
		e.applyClose(ev, o, v)
	case opDup:
		e.applyDup(ev, o, v)
	case opFcntl:
		e.applyFcntl(ev, o, v)
	case opSocket:
		e.applySocket(ev, v)
	case opPair:
		e.applyPair(ev, v)
	case opConnect:
		e.applyConnect(ev, o, v)
	case opAccept:
		e.applyAccept(ev, o, v)
	case opBind:
		e.applyBind(ev, o, v)
	case opRecvMsg:
		e.applyRecvMsg(ev, o, v)
	case opAnonFD:
		e.applyAnonFD(ev, o, v)
	case opBPF:
		e.applyBPF(ev, v)
	case opChdir, opFchdir:
		e.applyChdir(ev, o, v)
	case opExec:
		e.applyExec(ev, o, v)
	default:
		e.applyProcCall(o.code, ev, v)
	}
}

// useFD points the view at an existing fd.
func (e *Engine) useFD(v *View, num int32) {
	v.FDNum = num
	if v.Thread.Files != nil {
		v.FD = v.Thread.Files.Get(num)
	}
}

// lookup returns the thread of ev, creating a placeholder for an unknown tid.
func (e *Engine) lookup(ev *event.Event) *Thread {
	t := e.last
	if t == nil || t.TID != ev.TID {
		t = e.threads.get(ev.TID)
		if t == nil {
			t = e.placeholder(ev)
		}
		e.last = t
	}
	if ev.Time < t.Start && t.prev != nil {
		e.stats.Late++
		for ev.Time < t.Start && t.prev != nil {
			t = t.prev
		}
	}
	return t
}

// placeholder creates a thread for an event of an unknown tid, joining the process of
// ev.PID when it is known and alive.
func (e *Engine) placeholder(ev *event.Event) *Thread {
	e.stats.Placeholders++
	pid := ev.PID
	if pid == 0 {
		pid = ev.TID
	}
	p := e.procs[pid]
	if p == nil || !p.Alive() {
		p = e.newProcess(pid, ev.Time)
		p.placeholder = true
	}
	t := &Thread{TID: ev.TID, Proc: p, Start: ev.Time, Flags: ThreadPlaceholder,
		Creds: Creds{LoginUID: NoUID}}
	e.addThread(t, e.filesOf(p))
	return t
}

// filesOf returns the fd table a new thread of p joins: the process's table, or a
// new one for a new process.
func (e *Engine) filesOf(p *Process) *FDTable {
	if p.files != nil {
		return p.files
	}
	return &FDTable{}
}

// newProcess creates a process and enters it in the table, replacing an older one
// with the same pid.
func (e *Engine) newProcess(pid int32, start int64) *Process {
	p := &Process{PID: pid, Start: start}
	e.procs[pid] = p
	return p
}

// addThread enters t in the table with its fd table, replacing (and keeping behind
// it, for late events) an older thread with the same tid.
func (e *Engine) addThread(t *Thread, files *FDTable) {
	if old := e.threads.get(t.TID); old != nil && old != t {
		if old.Alive() {
			e.endThread(old, t.Start, 0)
		}
		t.prev = old
		e.stats.Reused++
	}
	e.threads.set(t.TID, t)
	e.last = nil
	t.Files = files
	files.users++
	p := t.Proc
	if p.files == nil {
		p.files = files
	}
	p.tlist = append(p.tlist, t)
	p.threads++
	p.Live++
	if t.TID == p.PID {
		p.Leader = t
	}
}

// expire drops the exited threads whose grace period has ended, and the oldest ones
// past Config.MaxExited.
func (e *Engine) expire() {
	for t := e.exited.peek(); t != nil; t = e.exited.peek() {
		if t.Exit+e.grace > e.now && e.exited.len() <= e.cfg.MaxExited {
			return
		}
		e.exited.pop()
		e.drop(t)
	}
}

// drop removes an exited thread from memory, and its process with its last thread.
func (e *Engine) drop(t *Thread) {
	e.stats.Dropped++
	if cur := e.threads.get(t.TID); cur == t {
		e.threads.delete(t.TID)
	} else {
		for n := cur; n != nil; n = n.prev {
			if n.prev == t {
				n.prev = nil
				break
			}
		}
	}
	if e.last == t {
		e.last = nil
	}
	p := t.Proc
	p.removeThread(t)
	p.threads--
	if p.threads > 0 {
		return
	}
	if e.procs[p.PID] == p {
		delete(e.procs, p.PID)
	}
	p.unlink()
	if e.cfg.OnDrop != nil {
		e.cfg.OnDrop(p)
	}
}

// pint returns integer parameter i of ev, 0 when absent.
func pint(ev *event.Event, i int8) int64 { return pintOr(ev, i, 0) }

// pintOr is pint with the value to use when ev has no parameter i.
func pintOr(ev *event.Event, i int8, absent int64) int64 {
	if i < 0 || int(i) >= int(ev.NParams) {
		return absent
	}
	return int64(ev.Params[i].Val)
}

// pbytes returns byte parameter i of ev, nil when absent.
func pbytes(ev *event.Event, i int8) []byte {
	if i < 0 || int(i) >= int(ev.NParams) || !ev.Info().ParamKind(int(i)).IsBytes() {
		return nil
	}
	return ev.Bytes(int(i))
}

const einprogress = 115
