package state

import (
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/syscam/syscam/event"
)

// replay is the "replay" parameter of procinfo: what a checkpoint knows of a thread
// beyond /proc, as key=value items:
//
//	exec_time=1700000000123456789 suid=0 sgid=0 fsuid=0 fsgid=0 cap_inheritable=0
//	exit_signal=9 state=PLACEHOLDER|OWN_FILES sha256=9f86d0... files=3 pfiles=1
//	pstatus=0 psignal=9 (the process's exit, once its last thread exited)
//
// files and pfiles number the fd tables within one checkpoint: the thread's and its
// process's (the one later threads join), so that tables shared by threads and
// processes are shared again after a restore.
//
// Unknown keys are skipped, so newer checkpoints stay readable.
type replay struct {
	execTime                 int64
	ids                      bool // suid, sgid, fsuid, fsgid present
	suid, sgid, fsuid, fsgid uint32
	capInh                   uint64
	exitSignal               uint8
	state                    uint64
	sha256                   []byte
	files, pfiles            uint64
	pstatus                  int32 // the process's exit, once its last thread exited
	psignal                  uint8
}

func parseReplay(list []byte) replay {
	var r replay
	event.Strings(list, func(item []byte) bool {
		k, v, _ := strings.Cut(string(item), "=")
		n, _ := strconv.ParseUint(v, 10, 64)
		switch k {
		case "exec_time":
			r.execTime = int64(n)
		case "suid":
			r.suid, r.ids = uint32(n), true
		case "sgid":
			r.sgid = uint32(n)
		case "fsuid":
			r.fsuid = uint32(n)
		case "fsgid":
			r.fsgid = uint32(n)
		case "cap_inheritable":
			r.capInh = n
		case "exit_signal":
			r.exitSignal = uint8(n)
		case "state":
			r.state = parseState(v)
		case "sha256":
			r.sha256, _ = hex.DecodeString(v)
		case "pstatus":
			i, _ := strconv.ParseInt(v, 10, 32)
			r.pstatus = int32(i)
		case "psignal":
			r.psignal = uint8(n)
		case "files":
			r.files = n
		case "pfiles":
			r.pfiles = n
		}
		return true
	})
	return r
}

func parseState(v string) uint64 {
	var s uint64
	for _, name := range strings.Split(v, "|") {
		if bit, ok := event.ProcState.Lookup(name); ok {
			s |= bit
		}
	}
	return s
}

// appendReplay sets the "replay" parameter i of ev for thread t; tables numbers the
// fd tables of the checkpoint.
func appendReplay(ev *event.Event, i int, t *Thread, tables map[*FDTable]uint64) {
	c, p := &t.Creds, t.Proc
	ev.Grow(i, 0)
	add := func(k string, v uint64) { ev.AppendString(i, k+"="+strconv.FormatUint(v, 10)) }
	add("exec_time", uint64(p.ExecTime))
	add("suid", uint64(c.SUID))
	add("sgid", uint64(c.SGID))
	add("fsuid", uint64(c.FSUID))
	add("fsgid", uint64(c.FSGID))
	add("cap_inheritable", c.CapInheritable)
	add("exit_signal", uint64(t.ExitSignal))
	if st := procState(t); st != 0 {
		ev.AppendString(i, "state="+string(event.ProcState.Append(nil, st)))
	}
	if len(p.SHA256) > 0 {
		ev.AppendString(i, "sha256="+hex.EncodeToString(p.SHA256))
	}
	if !p.Alive() {
		ev.AppendString(i, "pstatus="+strconv.Itoa(int(p.ExitStatus)))
		add("psignal", uint64(p.ExitSignal))
	}
	add("files", tableID(tables, t.Files))
	add("pfiles", tableID(tables, p.files))
}

// tableID numbers t within a checkpoint, from 1; 0 for no table.
func tableID(tables map[*FDTable]uint64, t *FDTable) uint64 {
	if t == nil {
		return 0
	}
	id, ok := tables[t]
	if !ok {
		id = uint64(len(tables) + 1)
		tables[t] = id
	}
	return id
}
