package capture

import (
	"bytes"
	"fmt"
)

// procStat holds the fields of /proc/PID/task/TID/stat that a snapshot keeps. Comm
// aliases the parsed buffer.
type procStat struct {
	PID        int32
	Comm       []byte
	State      byte
	PPID       int32
	PGID       int32
	SID        int32
	TTY        uint32 // tty_nr, the controlling terminal's device number as stat(2) encodes it
	Flags      uint32 // the kernel's PF_* task flags (PF_KTHREAD is 0x00200000)
	StartTicks uint64 // start time in clock ticks since boot
}

// maxCommLen caps the comm field: TASK_COMM_LEN is 16, but the kernel shows longer
// names for workqueue threads ("kworker/0:1H-kblockd").
const maxCommLen = 64

// parseStat parses /proc/PID/stat or /proc/PID/task/TID/stat, one line of fields
// separated by spaces (proc(5)):
//
//	8364 (cat) R 8354 8364 4472 34816 8364 4194304 92 0 0 0 0 0 0 0 20 0 1 0 1734 3133440 ...
//	pid  comm  state ppid pgrp session tty_nr tpgid flags minflt ... starttime (22nd)
//
// comm is whatever the task named itself: it may hold spaces, parentheses and even
// newlines (a task hiding from line-based parsers), so it ends at the last ')' of the
// file, and the line ends at the first newline after it.
func parseStat(b []byte) (procStat, error) {
	var st procStat
	open := bytes.IndexByte(b, '(')
	end := bytes.LastIndexByte(b, ')')
	if open < 0 || end < open {
		return st, badField(1, "comm", "no parenthesised command name")
	}
	tail, _ := nextLine(b[end:])
	b = b[:end+len(tail)]
	pid, ok := parseDecSigned(bytes.TrimSpace(b[:open]), 32)
	if !ok || pid <= 0 {
		return st, badField(1, "pid", "bad value %q", clip(b[:open]))
	}
	st.PID = int32(pid)
	st.Comm = b[open+1 : end]
	if len(st.Comm) > maxCommLen {
		st.Comm = st.Comm[:maxCommLen]
	}
	return st, st.parseRest(b[end+1:])
}

// statFields names the fields after comm, from field 3 (state) on; "" is skipped.
var statFields = [...]string{"state", "ppid", "pgrp", "session", "tty_nr", "", "flags",
	"", "", "", "", "", "", "", "", "", "", "", "", "starttime"}

func (st *procStat) parseRest(b []byte) error {
	var f []byte
	for i, name := range statFields {
		f, b = nextField(b)
		if len(f) == 0 {
			return badField(1, fieldName(i), "missing (only %d fields after comm)", i)
		}
		if name == "" {
			continue
		}
		if err := st.setField(name, f); err != nil {
			return err
		}
	}
	return nil
}

func fieldName(i int) string {
	if statFields[i] != "" {
		return statFields[i]
	}
	return fmt.Sprintf("#%d", i+3)
}

func (st *procStat) setField(name string, f []byte) error {
	if name == "state" {
		st.State = f[0]
		return nil
	}
	var v int64
	var ok bool
	switch name {
	case "starttime":
		var u uint64
		u, ok = parseDec(f, 64)
		st.StartTicks = u
	case "flags", "tty_nr":
		var u uint64
		u, ok = parseDec(f, 32)
		if name == "flags" {
			st.Flags = uint32(u)
		} else {
			st.TTY = uint32(u)
		}
	default:
		v, ok = parseDecSigned(f, 32)
		st.setID(name, int32(v))
	}
	if !ok {
		return badField(1, name, "bad value %q", clip(f))
	}
	return nil
}

func (st *procStat) setID(name string, v int32) {
	switch name {
	case "ppid":
		st.PPID = v
	case "pgrp":
		st.PGID = v
	case "session":
		st.SID = v
	}
}

// clip shortens untrusted bytes quoted in an error message.
func clip(b []byte) []byte {
	if len(b) > 32 {
		return b[:32]
	}
	return b
}
