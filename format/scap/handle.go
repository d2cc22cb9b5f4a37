package scap

import "github.com/syscam/syscam/event"

// output receives the events the mapper produces for one raw event: at most a few
// (procfork and clone, or an orphan enter and a fresh event).
type output interface {
	// next returns an event to fill; the first call per raw event returns the caller's
	// event, later ones queued events.
	next() *event.Event
}

// handle maps one raw event into out.
func (m *mapper) handle(ev *rawEvent, out output) {
	m.stats.Events++
	if ev.dflags&dfStateOnly != 0 {
		m.stats.StateOnly++
	}
	p := &plans[ev.typ]
	if isEnter(ev.typ) && !enterOnly(ev.typ) {
		if p.kind == pkNone {
			m.stats.unmapped[ev.typ]++
			return
		}
		if len(m.orphans) > 0 && m.orphans[0] == m.stats.Events {
			m.orphans = m.orphans[1:]
			m.emitOrphanRaw(ev, out)
			return
		}
		if old := m.store(ev); old != nil {
			m.emitOrphan(old, out)
		}
		return
	}
	if p.kind == pkNone {
		m.stats.unmapped[ev.typ]++
		return
	}
	if p.kind == pkProcExit {
		// The exit or exit_group that ended the thread never returns: emit it now,
		// while the thread is still known.
		if old := m.takeAny(ev.tid); old != nil {
			m.emitOrphan(old, out)
		}
	}
	var enter *rawEvent
	pe := m.take(ev.tid, ev.typ)
	if pe != nil {
		enter = &pe.ev
		m.stats.Paired++
	}
	m.mapEvent(p, enter, ev, out)
	m.release(pe)
}

// emitOrphan emits an enter event whose exit never came, flagged as such.
func (m *mapper) emitOrphan(pe *pendingEnter, out output) {
	m.emitOrphanRaw(&pe.ev, out)
	m.release(pe)
}

func (m *mapper) emitOrphanRaw(ev *rawEvent, out output) {
	m.stats.Orphans++
	p := &plans[ev.typ]
	if p.kind == pkGeneric {
		m.mapGeneric(nil, ev, out)
		return
	}
	e := out.next()
	m.header(e, ev, p.typ)
	fillUnset(e, applySlots(e, p.slots, ev, p.inbound))
	e.Flags |= event.FlagEnter
	m.stats.Emitted++
}

// mapEvent maps an exit (with its enter, when paired) or an enter-only event.
func (m *mapper) mapEvent(p *plan, enter, ev *rawEvent, out output) {
	switch p.kind {
	case pkGeneric:
		m.mapGeneric(enter, ev, out)
		return
	case pkContainer:
		m.mapContainer(ev, out.next())
	case pkNotice:
		m.mapNotice(ev, out.next())
	case pkClone:
		m.mapClone(p, enter, ev, out)
		return
	default:
		e := out.next()
		m.fill(e, p, enter, ev)
		switch p.kind {
		case pkExecve:
			m.finishExecve(e, enter, ev)
		case pkProcExit:
			m.finishProcExit(e, ev)
		}
	}
	m.stats.Emitted++
}

// fill maps the parameters of a syscall: enter first, then exit, as current libs
// append an enter's parameters to its exit.
func (m *mapper) fill(e *event.Event, p *plan, enter, ev *rawEvent) {
	m.header(e, ev, p.typ)
	var set uint64
	if enter != nil {
		set = applySlots(e, plans[enter.typ].slots, enter, p.inbound)
		e.Latency = int64(ev.ts - enter.ts)
	}
	set |= applySlots(e, p.slots, ev, p.inbound)
	if p.addrFromRemote >= 0 && set&(1<<uint(p.addr)) == 0 && set&(1<<uint(p.addrFromRemote)) != 0 {
		// connect's address argument is the remote end of its tuple when the
		// capture predates the exit's addr parameter.
		b := e.Bytes(p.addrFromRemote)
		m.scratch = append(m.scratch[:0], b...)
		setRaw(e, p.addr, m.scratch)
		set |= 1 << uint(p.addr)
	}
	fillUnset(e, set)
}

// mapGeneric maps scap's generic syscall event: its type is the native syscall number
// (the nativeID parameter, on the enter in older captures). Without one the event is
// counted as unmapped.
func (m *mapper) mapGeneric(enter, ev *rawEvent, out output) {
	nr := -1
	for _, r := range []*rawEvent{ev, enter} {
		if r != nil && r.n >= 2 && len(r.p[1]) == 2 {
			nr = int(intValue(r.p[1], ptUint16))
			break
		}
	}
	if nr < 0 || nr >= event.NumSyscallTypes || !event.Known(event.Type(nr)) {
		m.stats.unmapped[ev.typ]++
		return
	}
	e := out.next()
	m.header(e, ev, event.Type(nr))
	if enter != nil {
		e.Latency = int64(ev.ts - enter.ts)
	} else if isEnter(ev.typ) {
		e.Flags |= event.FlagEnter
	}
	m.stats.Emitted++
}
