package state

import (
	"cmp"
	"net/netip"
	"slices"

	"github.com/syscam/syscam/event"
)

// Checkpoint appends the engine's whole state to dst as snapshot events stamped with
// the time of the latest event: users, groups, cgroups and containers, then one
// procinfo per thread (live, and exited within the grace period, so late events and
// ancestry still resolve after a restore) in start order, each followed by the
// fdinfo records of the table it brings in. Load on a new Engine rebuilds an equal
// state.
//
// The checkpoint holds every event applied so far. A recorder writes it as
// w.WriteState(e.Now()+1, evs) just before an event whose time is later than
// e.Now(), so that a replay from it (Events{From: e.Now()+1}) neither misses nor
// repeats an event.
func (e *Engine) Checkpoint(dst []*event.Event) []*event.Event {
	at := e.now
	dst = e.checkpointGlobals(dst, at)
	descs := map[*FD]uint64{}
	tables := map[*FDTable]uint64{}
	written := map[*FDTable]bool{}
	for _, t := range e.allThreads() {
		dst = append(dst, procInfo(at, t, tables))
		for _, ft := range []*FDTable{t.Files, t.Proc.files} {
			if ft != nil && !written[ft] {
				written[ft] = true
				dst = appendFDInfos(dst, at, t, ft, tableID(tables, ft), descs)
			}
		}
	}
	return dst
}

// allThreads returns every thread the engine keeps, older incarnations included,
// ordered by start time then tid.
func (e *Engine) allThreads() []*Thread {
	var ts []*Thread
	e.threads.all(func(t *Thread) bool {
		for ; t != nil; t = t.prev {
			ts = append(ts, t)
		}
		return true
	})
	slices.SortFunc(ts, func(a, b *Thread) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.TID, b.TID))
	})
	return ts
}

func (e *Engine) checkpointGlobals(dst []*event.Event, at int64) []*event.Event {
	for _, uid := range sortedKeys(e.users) {
		u := e.users[uid]
		ev := newEvent(event.TypeUserInfo, at, 0, 0)
		ev.SetInt(0, uint64(u.UID))
		ev.SetInt(1, uint64(u.GID))
		ev.SetString(2, u.Name)
		ev.SetString(3, u.Home)
		ev.SetString(4, u.Shell)
		dst = append(dst, ev)
	}
	for _, gid := range sortedKeys(e.groups) {
		ev := newEvent(event.TypeGroupInfo, at, 0, 0)
		ev.SetInt(0, uint64(gid))
		ev.SetString(1, e.groups[gid].Name)
		dst = append(dst, ev)
	}
	for _, id := range sortedKeys(e.cgroups) {
		ev := newEvent(event.TypeCgroupInfo, at, 0, 0)
		ev.SetInt(0, id)
		ev.SetString(1, e.cgroups[id])
		dst = append(dst, ev)
	}
	for _, id := range sortedKeys(e.containers) {
		c := e.containers[id]
		ev := newEvent(event.TypeContainerInfo, at, 0, 0)
		for i, s := range []string{c.ID, c.Runtime, c.Name, c.Image, c.Cgroup} {
			ev.SetString(i, s)
		}
		dst = append(dst, ev)
	}
	return dst
}

func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func newEvent(typ event.Type, at int64, tid, pid int32) *event.Event {
	return &event.Event{Type: typ, Time: at, TID: tid, PID: pid}
}

// newSizedEvent is newEvent with a buffer for n bytes of parameters, grown once
// instead of doubling as parameters are added.
func newSizedEvent(typ event.Type, at int64, tid, pid int32, n int) *event.Event {
	ev := &event.Event{}
	ev.Grow(0, n)
	ev.Reset()
	ev.Type, ev.Time, ev.TID, ev.PID = typ, at, tid, pid
	return ev
}

// procInfo renders a thread and its process as a procinfo record.
func procInfo(at int64, t *Thread, tables map[*FDTable]uint64) *event.Event {
	p := t.Proc
	n := len(t.Comm) + len(p.ExePath) + len(p.Exe) + len(p.Cwd) + 256
	for _, a := range p.Argv {
		n += len(a) + 1
	}
	for _, a := range p.Env {
		n += len(a) + 1
	}
	ev := newSizedEvent(event.TypeProcInfo, at, t.TID, p.PID, n)
	ev.SetInt(piPPID, uint64(int64(p.PPID)))
	ev.SetString(piComm, t.Comm)
	ev.SetString(piExePath, p.ExePath)
	setStrings(ev, piArgv, p.Argv)
	setStrings(ev, piEnv, p.Env)
	ev.SetString(piCwd, p.Cwd)
	c := &t.Creds
	for i, v := range [...]uint64{piUID: uint64(c.UID), piGID: uint64(c.GID),
		piEUID: uint64(c.EUID), piEGID: uint64(c.EGID), piLoginUID: uint64(c.LoginUID),
		piCapEff: c.CapEffective, piCapPrm: c.CapPermitted, piTTY: uint64(p.TTY),
		piSID: uint64(int64(p.SID)), piPGID: uint64(int64(p.PGID)),
		piVTID: uint64(int64(t.VTID)), piVPID: uint64(int64(p.VPID)),
		piStart: uint64(t.Start), piCgroupID: p.CgroupID, piPidNS: p.NS.PID,
		piMntNS: p.NS.Mnt, piNetNS: p.NS.Net, piExeIno: p.ExeIno, piExeDev: p.ExeDev,
		piExeMtime: uint64(p.ExeMtime), piExitTime: uint64(t.Exit),
		piExitStatus: uint64(int64(t.ExitStatus)), piFlags: 0} {
		if i >= piUID {
			ev.SetInt(i, v)
		}
	}
	ev.SetString(piExe, p.Exe)
	ev.SetInt(piPStart, uint64(p.Start))
	appendReplay(ev, piReplay, t, tables)
	return ev
}

func procState(t *Thread) uint64 {
	var s uint64
	if t.Placeholder() {
		s |= psPlaceholder
	}
	if t.Proc.Subreaper {
		s |= psSubreaper
	}
	if t.Core {
		s |= psCore
	}
	if t.Files != t.Proc.files {
		s |= psOwnFiles
	}
	if t.Proc.placeholder {
		s |= psProcPlaceholder
	}
	if t.Proc.Core {
		s |= psProcCore
	}
	return s
}

func setStrings(ev *event.Event, i int, list []string) {
	ev.Grow(i, 0)
	for _, s := range list {
		ev.AppendString(i, s)
	}
}

// appendFDInfos renders the open fds of t's table as fdinfo records. descs numbers
// the descriptions so that fds sharing one (dup, fork) share it again after Load.
func appendFDInfos(dst []*event.Event, at int64, t *Thread, ft *FDTable, table uint64, descs map[*FD]uint64) []*event.Event {
	ft.Range(func(num int32, f *FD) bool {
		id, ok := descs[f]
		if !ok {
			id = uint64(len(descs) + 1)
			descs[f] = id
		}
		ev := fdInfo(at, t, ft, num, f, id)
		ev.SetInt(fiTable, table)
		dst = append(dst, ev)
		return true
	})
	return dst
}

func fdInfo(at int64, t *Thread, ft *FDTable, num int32, f *FD, desc uint64) *event.Event {
	ev := newSizedEvent(event.TypeFDInfo, at, t.TID, t.Proc.PID, len(f.Name)+len(f.Peer)+40)
	flags := uint64(f.Flags)
	if ft.CloseOnExec(num) {
		flags |= oCloexec
	}
	ev.SetInt(fiFD, uint64(int64(num)))
	ev.SetInt(fiType, uint64(f.Type))
	ev.SetInt(fiFlags, flags)
	ev.SetString(fiName, f.Name)
	local, remote := addrBytes(f, f.Local, f.Name), addrBytes(f, f.Remote, f.Peer)
	ev.SetBytes(fiLocal, local, uint32(len(local)))
	ev.SetBytes(fiRemote, remote, uint32(len(remote)))
	ev.SetInt(fiProto, uint64(f.Proto))
	ev.SetInt(fiIno, f.Ino)
	ev.SetInt(fiDev, f.Dev)
	ev.SetInt(fiRole, uint64(f.Role))
	ev.SetInt(fiDesc, desc)
	ev.SetInt(fiOpened, uint64(f.Opened))
	return ev
}

// addrBytes encodes one end of a socket: an inet address, or a unix path.
func addrBytes(f *FD, ap netip.AddrPort, path string) []byte {
	switch f.Type {
	case FDIPv4, FDIPv6:
		if ap.IsValid() {
			return event.AppendSockAddrInet(nil, ap)
		}
	case FDUnix:
		if path != "" {
			return event.AppendSockAddrUnix(nil, unixPath(path))
		}
	}
	return nil
}

// unixPath reverses unixName: "@name" is an abstract name, stored with a NUL.
func unixPath(name string) []byte {
	if name != "" && name[0] == '@' {
		return append([]byte{0}, name[1:]...)
	}
	return []byte(name)
}
