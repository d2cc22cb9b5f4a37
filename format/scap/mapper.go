package scap

import (
	"encoding/binary"
	"math/bits"

	"github.com/syscam/syscam/event"
)

// mapper turns raw scap events into syscam events. It pairs enter and exit events per
// thread, and keeps the little thread state the mapping needs: each thread's process
// id (scap events carry only the tid) and credentials.
type mapper struct {
	threads map[int64]thread
	pending map[int64]*pendingEnter
	spare   []*pendingEnter
	forked  map[int64]bool // child tids whose procfork was emitted from one side only
	stats   *Stats
	scratch []byte
	// One-entry caches of the last thread looked up: enter and exit of one call
	// come in a row on one tid.
	lastTID, lastPID int64
	lastSlot         *pendingEnter
	lastPIDv         int32
	// orphans, when known from a scan, are the enter events (by number) whose exit
	// never comes: they are emitted where they stand.
	orphans []uint64 // sorted; consumed from the front as events are numbered
	maxTS   int64    // the latest event time seen, which stands in for time 0
}

type thread struct {
	pid      int32
	uid, gid uint32
	loginuid uint32 // kept for execve exits older than their loginuid parameter
}

func newMapper(s *Section, st *Stats) *mapper {
	m := &mapper{threads: make(map[int64]thread), pending: make(map[int64]*pendingEnter),
		forked: make(map[int64]bool), stats: st, lastTID: -1}
	m.loadThreads(s)
	return m
}

func (m *mapper) loadThreads(s *Section) {
	for _, t := range s.Threads {
		m.threads[t.TID] = thread{pid: int32(t.PID), uid: t.UID, gid: t.GID, loginuid: t.LoginUID}
	}
	m.lastPID = -1
}

// pidOf returns the process of tid; a thread the capture never described is assumed
// to be its process's main thread.
func (m *mapper) pidOf(tid int64) int32 {
	if tid == m.lastPID {
		return m.lastPIDv
	}
	pid := int32(tid)
	if t, ok := m.threads[tid]; ok {
		pid = t.pid
	}
	m.lastPID, m.lastPIDv = tid, pid
	return pid
}

// setThread records t for tid.
func (m *mapper) setThread(tid int64, t thread) {
	m.threads[tid] = t
	m.lastPID = -1
}

// dropThread forgets tid.
func (m *mapper) dropThread(tid int64) {
	delete(m.threads, tid)
	m.lastPID = -1
}

// header fills e's header fields from ev.
func (m *mapper) header(e *event.Event, ev *rawEvent, t event.Type) {
	e.Reset()
	e.Time = m.stamp(ev.ts)
	e.TID = int32(ev.tid)
	e.PID = m.pidOf(ev.tid)
	e.CPU = ev.cpu
	e.Type = t
}

// stamp returns the time of an event read at ts, and keeps the latest time seen:
// metadata written without a time (ts 0) takes it, so that it stays in place.
func (m *mapper) stamp(ts uint64) int64 {
	if ts == 0 {
		return m.maxTS
	}
	m.maxTS = max(m.maxTS, int64(ts))
	return int64(ts)
}

// applySlots copies ev's parameters into e by its plan's slots. Empty parameters are
// skipped, so an exit's empty value does not erase what its enter said.
// It returns the set of syscam parameters it wrote, as a bit mask.
func applySlots(e *event.Event, slots []slot, ev *rawEvent, inbound bool) (set uint64) {
	for i := 0; i < ev.n && i < len(slots); i++ {
		v := ev.p[i]
		s := &slots[i]
		if len(v) == 0 || s.cv == cvSkip {
			continue
		}
		applySlot(e, s, v, inbound)
		if s.dst >= 0 {
			set |= 1 << uint(s.dst)
		}
		if s.dst2 >= 0 {
			set |= 1 << uint(s.dst2)
		}
	}
	return set
}

// fillUnset gives the parameters below NParams that no scap parameter set an
// explicit "unknown" where zero would mean something: fd -1 (not stdin), uid and gid
// 0xFFFFFFFF (not root).
func fillUnset(e *event.Event, set uint64) {
	n := uint(e.NParams)
	if int(e.Type) >= len(unknownMasks) || n == 0 {
		return
	}
	missing := ^set & (1<<n - 1)
	um := &unknownMasks[e.Type]
	for b := missing & um.fd; b != 0; b &= b - 1 {
		e.SetInt(bits.TrailingZeros64(b), ^uint64(0))
	}
	for b := missing & um.id; b != 0; b &= b - 1 {
		e.SetInt(bits.TrailingZeros64(b), 0xFFFFFFFF)
	}
}

// unknownMask marks, per syscam type, its fd parameters and its uid/gid parameters.
type unknownMask struct{ fd, id uint64 }

// unknownMasks is built once from the event table, never modified.
var unknownMasks = buildUnknownMasks()

func buildUnknownMasks() []unknownMask {
	out := make([]unknownMask, event.MaxType())
	for _, in := range event.All() {
		for i, p := range in.Params {
			switch p.Kind {
			case event.KindFD:
				out[in.Type].fd |= 1 << uint(i)
			case event.KindUID, event.KindGID:
				out[in.Type].id |= 1 << uint(i)
			}
		}
	}
	return out
}

func applySlot(e *event.Event, s *slot, v []byte, inbound bool) {
	d := int(s.dst)
	switch s.cv {
	case cvRet:
		e.Ret = retValue(v, s.typ)
	case cvInt:
		e.SetInt(d, uint64(intValue(v, s.typ)))
	case cvFD:
		e.SetInt(d, uint64(fdValue(v, s.typ)))
	case cvStr:
		e.SetBytes(d, trimNUL(v), uint32(len(trimNUL(v))))
	case cvBytes:
		orig := uint32(len(v))
		if e.Ret > int64(orig) && e.Ret < 1<<32 {
			orig = uint32(e.Ret) // I/O data is cut to the snaplen; the return says how much moved
		}
		e.SetBytes(d, v, orig)
	case cvSockaddr:
		putSockaddr(e, d, v)
	case cvTuple:
		putTuple(e, d, int(s.dst2), v, inbound)
	case cvTuplePeer:
		putTuple(e, -1, d, v, inbound)
	case cvDynBytes:
		e.SetBytes(d, v[1:], uint32(len(v)-1))
	case cvFDListLen:
		if len(v) >= 2 {
			e.SetInt(d, uint64(binary.LittleEndian.Uint16(v)))
		}
	default:
		e.SetInt(d, convertFlags(s.cv, uint64(intValue(v, s.typ))))
	}
}

func convertFlags(cv conv, v uint64) uint64 {
	switch cv {
	case cvOpenFlags:
		return openFlags(v)
	case cvCloneFlags:
		return cloneFlags(v)
	case cvProt:
		return convertBits(v, protBits)
	case cvMmapFlags:
		return convertBits(v, mmapBits)
	case cvResolve:
		return convertBits(v, resolveBits)
	case cvIOUringSetup:
		return convertBits(v, ioUringSetupBits)
	case cvExecveatFlags:
		return convertBits(v, execveatBits)
	case cvFcntlCmd:
		return enumValue(fcntlCmds, v)
	case cvPtraceReq:
		return enumValue(ptraceReqs, v)
	case cvSockoptLevel:
		return enumValue(sockoptLevels, v)
	}
	return v
}

// intValue reads a fixed-size integer parameter, sign-extending signed types. A value
// whose length does not match its type is read by its length.
func intValue(v []byte, typ ptType) int64 {
	var u uint64
	switch len(v) {
	case 1:
		u = uint64(v[0])
		if typ.signed() {
			return int64(int8(v[0]))
		}
	case 2:
		u = uint64(binary.LittleEndian.Uint16(v))
		if typ.signed() {
			return int64(int16(u))
		}
	case 4:
		u = uint64(binary.LittleEndian.Uint32(v))
		if typ.signed() {
			return int64(int32(u))
		}
	case 8:
		u = binary.LittleEndian.Uint64(v)
	default:
		return 0
	}
	return int64(u)
}

// fdValue reads an fd: old drivers wrote -1 as the 32-bit 0xFFFFFFFF in an 8-byte slot.
func fdValue(v []byte, typ ptType) int64 {
	x := intValue(v, typ)
	if x == 0xFFFFFFFF {
		return -1
	}
	return x
}

// retValue reads a return value; a PT_DYN one (bpf) carries an index byte first.
func retValue(v []byte, typ ptType) int64 {
	if typ == ptDyn && len(v) > 1 {
		return intValue(v[1:], ptInt64)
	}
	if typ == ptFd {
		return fdValue(v, typ)
	}
	return intValue(v, typ)
}
