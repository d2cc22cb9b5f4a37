package scap

import (
	"github.com/syscam/syscam/event"
)

// fdTypes maps scap fd types to syscam's event.FDType values.
var fdTypes = map[uint8]uint64{
	fdFile: 1, fdFileV2: 1, fdDirectory: 2, fdIPv4Sock: 3, fdIPv4ServSock: 3, fdIPv6Sock: 4,
	fdIPv6ServSock: 4, fdUnixSock: 5, fdFIFO: 6, fdEvent: 7, fdSignalfd: 8, fdEventpoll: 9,
	fdInotify: 10, fdTimerfd: 11, fdNetlink: 12, fdMemfd: 13, fdBPF: 14, fdIOUring: 15,
	fdPidfd: 16, fdUserfaultfd: 17,
}

// l4Protos maps SCAP_L4_* to IP protocol numbers.
var l4Protos = map[uint8]uint64{2: 6, 3: 17, 4: 1, 5: 255}

// Parameter indexes of the snapshot types (event/special.go).
const (
	piPPID, piComm, piExePath, piArgv, piEnv, piCwd, piUID, piGID, piEUID, piEGID   = 0, 1, 2, 3, 4, 5, 6, 7, 8, 9
	piLoginUID, piCapEff, piCapPerm, piTTY, piSID, piPGID, piVTID, piVPID           = 10, 11, 12, 13, 14, 15, 16, 17
	piExeIno, piExeMtime                                                            = 23, 25
	fiFD, fiType, fiFlags, fiName, fiLocal, fiRemote, fiProto, fiIno, fiDev, fiRole = 0, 1, 2, 3, 4, 5, 6, 7, 8, 9
	roleServer                                                                      = 2
)

// snapshot turns a section's process, fd, user and group lists into syscam state
// records (procinfo, fdinfo, userinfo, groupinfo) stamped with time t.
func snapshot(s *Section, t int64) []*event.Event {
	out := make([]*event.Event, 0, len(s.Threads)+len(s.FDs)+len(s.Users)+len(s.Groups))
	pids := make(map[int64]int32, len(s.Threads))
	for i := range s.Threads {
		out = append(out, procInfo(&s.Threads[i], t))
		pids[s.Threads[i].TID] = int32(s.Threads[i].PID)
	}
	for i := range s.FDs {
		e := fdInfo(&s.FDs[i], t)
		if pid, ok := pids[s.FDs[i].TID]; ok {
			e.PID = pid
		}
		out = append(out, e)
	}
	for _, u := range s.Users {
		e := &event.Event{Time: t, Type: event.TypeUserInfo}
		e.SetInt(0, uint64(u.UID))
		e.SetInt(1, uint64(u.GID))
		e.SetString(2, u.Name)
		e.SetString(3, u.Home)
		e.SetString(4, u.Shell)
		out = append(out, e)
	}
	for _, g := range s.Groups {
		e := &event.Event{Time: t, Type: event.TypeGroupInfo}
		e.SetInt(0, uint64(g.GID))
		e.SetString(1, g.Name)
		out = append(out, e)
	}
	return out
}

// procInfo maps one process list entry. argv is exe (argv[0]) then args; exepath is
// the full path when the entry has one (PL_V7 and later), else argv[0]. scap's uid
// and gid are the effective ids.
func procInfo(th *Thread, t int64) *event.Event {
	e := &event.Event{Time: t, TID: int32(th.TID), PID: int32(th.PID), Type: event.TypeProcInfo}
	e.SetInt(piPPID, uint64(th.PTID))
	e.SetString(piComm, th.Comm)
	exepath := th.ExePath
	if exepath == "" {
		exepath = th.Exe
	}
	e.SetString(piExePath, exepath)
	e.AppendString(piArgv, th.Exe)
	for _, a := range th.Args {
		e.AppendString(piArgv, a)
	}
	for _, v := range th.Env {
		e.AppendString(piEnv, v)
	}
	e.SetString(piCwd, th.Cwd)
	for _, i := range []int{piUID, piEUID} {
		e.SetInt(i, uint64(th.UID))
	}
	for _, i := range []int{piGID, piEGID} {
		e.SetInt(i, uint64(th.GID))
	}
	e.SetInt(piLoginUID, uint64(th.LoginUID))
	e.SetInt(piCapEff, th.CapEffective)
	e.SetInt(piCapPerm, th.CapPermitted)
	e.SetInt(piTTY, uint64(th.TTY))
	e.SetInt(piSID, uint64(th.SID))
	e.SetInt(piPGID, uint64(th.PGID))
	e.SetInt(piVTID, uint64(th.VTID))
	e.SetInt(piVPID, uint64(th.VPID))
	e.SetInt(piExeIno, th.ExeIno)
	e.SetInt(piExeMtime, uint64(th.ExeInoMtime))
	return e
}

// fdInfo maps one fd list entry.
func fdInfo(fd *FD, t int64) *event.Event {
	e := &event.Event{Time: t, TID: int32(fd.TID), PID: int32(fd.TID), Type: event.TypeFDInfo}
	e.SetInt(fiFD, uint64(fd.FD))
	e.SetInt(fiType, fdTypes[fd.Type])
	if fd.Type == fdFileV2 {
		e.SetInt(fiFlags, openFlags(uint64(fd.Flags)))
	}
	e.SetString(fiName, fd.Name)
	switch fd.Type {
	case fdIPv4Sock, fdIPv6Sock:
		setRaw(e, fiLocal, event.AppendSockAddrInet(nil, fd.Local))
		setRaw(e, fiRemote, event.AppendSockAddrInet(nil, fd.Remote))
		e.SetInt(fiRole, 0) // client or server: the list does not say
	case fdIPv4ServSock, fdIPv6ServSock:
		setRaw(e, fiLocal, event.AppendSockAddrInet(nil, fd.Local))
		e.SetInt(fiRole, roleServer)
	case fdUnixSock:
		setRaw(e, fiLocal, event.AppendSockAddrUnix(nil, []byte(fd.Name)))
	}
	e.SetInt(fiProto, l4Protos[fd.L4Proto])
	e.SetInt(fiIno, fd.Ino)
	e.SetInt(fiDev, uint64(fd.Dev))
	return e
}

// setRaw stores b whole as byte parameter i.
func setRaw(e *event.Event, i int, b []byte) { e.SetBytes(i, b, uint32(len(b))) }
