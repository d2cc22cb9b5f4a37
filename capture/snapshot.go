package capture

import (
	"encoding/hex"
	"strconv"

	"github.com/syscam/syscam/event"
)

// Snapshot defaults.
const (
	// DefaultMaxArgs caps the argv and environment bytes kept per process; longer
	// lists are cut at an item boundary and the event carries event.FlagTruncated.
	DefaultMaxArgs = 64 << 10
	// clockTicks is USER_HZ, the unit of stat's starttime: 100 on every Linux
	// architecture (sysconf(_SC_CLK_TCK) would need cgo).
	clockTicks = 100
)

// SnapshotStats counts what the last snapshot saw.
type SnapshotStats struct {
	Processes, Threads, FDs, Sockets   int
	Users, Groups, Cgroups, Containers int
	Vanished                           int // processes or threads that exited during the walk
	Warnings                           int // problems passed to Warn
}

// processInfo is what a snapshot reads once per process and shares between its threads.
type processInfo struct {
	PID        int32
	Argv       []byte // NUL-terminated items
	Env        []byte
	Exe        []byte
	ExeIno     uint64
	ExeDev     uint64
	ExeMtime   int64
	Cwd        []byte
	LoginUID   uint32
	CgroupID   uint64
	PidNS      uint64
	MntNS      uint64
	NetNS      uint64
	SHA256     []byte // of the executable, when the Snapshotter has a Hasher
	StartTicks uint64 // the thread group leader's start time
	Truncated  bool   // argv or env was cut to MaxArgs
}

// procinfo parameters past the per-thread block.
const (
	procInfoExe    = 29
	procInfoPStart = 30
	procInfoReplay = 31
)

// threadInfo is what a snapshot reads per thread.
type threadInfo struct {
	TID      int32
	Stat     procStat
	Status   procStatus
	OwnFiles bool // the thread's fd table is not its process's (kcmp says so)
}

// startTime converts a start time in clock ticks since boot to wall-clock ns.
func startTime(boot int64, ticks uint64) int64 {
	return boot + int64(ticks)*(1_000_000_000/clockTicks)
}

// newProcInfo builds the procinfo event of thread t of process p. exe (the path given
// to execve) stays empty because /proc does not keep it; "replay" holds what /proc also
// tells: the saved and file system ids, the inheritable capabilities, and the
// executable's sha256 when it was hashed.
func newProcInfo(at, boot int64, p *processInfo, t *threadInfo) *event.Event {
	e := &event.Event{Time: at, Type: event.TypeProcInfo, TID: t.TID, PID: p.PID}
	e.Grow(0, len(t.Stat.Comm)+len(p.Exe)+len(p.Argv)+len(p.Env)+len(p.Cwd))
	e.Reset() // keep the buffer sized for every byte parameter at once
	e.Time, e.Type, e.TID, e.PID = at, event.TypeProcInfo, t.TID, p.PID
	if p.Truncated {
		e.Flags |= event.FlagTruncated
	}
	st, ss := &t.Stat, &t.Status
	e.SetInt(0, uint64(int64(ss.PPID)))
	e.SetBytes(1, st.Comm, uint32(len(st.Comm)))
	e.SetBytes(2, p.Exe, uint32(len(p.Exe)))
	e.SetBytes(3, p.Argv, uint32(len(p.Argv)))
	e.SetBytes(4, p.Env, uint32(len(p.Env)))
	e.SetBytes(5, p.Cwd, uint32(len(p.Cwd)))
	ints := [...]uint64{
		6: uint64(ss.UID), 7: uint64(ss.GID), 8: uint64(ss.EUID), 9: uint64(ss.EGID),
		10: uint64(p.LoginUID), 11: ss.CapEff, 12: ss.CapPrm, 13: uint64(st.TTY),
		14: uint64(int64(st.SID)), 15: uint64(int64(st.PGID)), 16: uint64(int64(ss.VTID)),
		17: uint64(int64(ss.VPID)), 18: uint64(startTime(boot, st.StartTicks)), 19: p.CgroupID,
		20: p.PidNS, 21: p.MntNS, 22: p.NetNS, 23: p.ExeIno, 24: p.ExeDev,
		25: uint64(p.ExeMtime), 26: 0, 27: 0, 28: uint64(st.Flags),
	}
	for i := 6; i < len(ints); i++ {
		e.SetInt(i, ints[i])
	}
	e.SetBytes(procInfoExe, nil, 0)
	e.SetInt(procInfoPStart, uint64(startTime(boot, p.StartTicks)))
	appendReplay(e, ss, p.SHA256, t.OwnFiles)
	return e
}

// appendReplay sets the "replay" parameter, key=value items as state.Engine reads them:
//
//	suid=0 sgid=0 fsuid=0 fsgid=0 cap_inheritable=0 sha256=9f86d0… state=OWN_FILES
func appendReplay(e *event.Event, ss *procStatus, sha []byte, ownFiles bool) {
	var b [64]byte
	e.Grow(procInfoReplay, 0)
	for _, kv := range [...]struct {
		k string
		v uint64
	}{{"suid=", uint64(ss.SUID)}, {"sgid=", uint64(ss.SGID)}, {"fsuid=", uint64(ss.FSUID)},
		{"fsgid=", uint64(ss.FSGID)}, {"cap_inheritable=", ss.CapInh}} {
		e.AppendString(procInfoReplay, string(strconv.AppendUint(append(b[:0], kv.k...), kv.v, 10)))
	}
	if len(sha) > 0 {
		e.AppendString(procInfoReplay, "sha256="+hex.EncodeToString(sha))
	}
	if ownFiles {
		e.AppendString(procInfoReplay, "state=OWN_FILES")
	}
}

// fdEntry is one open fd of a process.
type fdEntry struct {
	FD   int32
	Link fdLink
	Info fdInfo
	Ino  uint64
	Dev  uint64
	Sock *sockInfo // nil unless a socket found in its namespace's tables
}

// newFDInfo builds the fdinfo event of fd f of thread tid of process pid: tid is pid
// unless the thread has a table of its own.
func newFDInfo(at int64, tid, pid int32, f *fdEntry) *event.Event {
	e := &event.Event{Time: at, Type: event.TypeFDInfo, TID: tid, PID: pid}
	e.SetInt(0, uint64(int64(f.FD)))
	e.SetInt(1, f.Link.Type)
	e.SetInt(2, f.Info.Flags)
	name := f.Link.Name
	var local, remote []byte
	var proto, role uint64
	if s := f.Sock; s != nil {
		e.SetInt(1, s.Type)
		name = s.appendName(nil)
		local, remote = sockAddrs(s)
		proto, role = uint64(s.Proto), uint64(s.Role)
	}
	e.SetBytes(3, name, uint32(len(name)))
	e.SetBytes(4, local, uint32(len(local)))
	e.SetBytes(5, remote, uint32(len(remote)))
	e.SetInt(6, proto)
	e.SetInt(7, f.Ino)
	e.SetInt(8, f.Dev)
	e.SetInt(9, role)
	return e
}

// sockAddrs encodes a socket's addresses as KindSockAddr values: the remote end is
// empty when the socket is not connected.
func sockAddrs(s *sockInfo) (local, remote []byte) {
	switch s.Type {
	case fdIPv4, fdIPv6:
		local = event.AppendSockAddrInet(nil, s.Local)
		if s.Remote.Port() != 0 || !s.Remote.Addr().IsUnspecified() {
			remote = event.AppendSockAddrInet(nil, s.Remote)
		}
	case fdUnix:
		if len(s.Path) > 0 {
			local = event.AppendSockAddrUnix(nil, s.Path)
		}
		if len(s.PeerPath) > 0 {
			remote = event.AppendSockAddrUnix(nil, s.PeerPath)
		}
	}
	return local, remote
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
