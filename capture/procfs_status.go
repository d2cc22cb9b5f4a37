package capture

import "bytes"

// procStatus holds the fields of /proc/PID/task/TID/status that a snapshot keeps.
type procStatus struct {
	Tgid, PID, PPID        int32
	UID, EUID, SUID, FSUID uint32 // real, effective, saved, file system
	GID, EGID, SGID, FSGID uint32
	CapPrm, CapEff, CapInh uint64
	VTID, VPID             int32 // ids in the task's own pid namespace (last of NSpid, NStgid)
	seen                   uint8 // statusTgid|statusPid|... found so far
}

const (
	statusTgid uint8 = 1 << iota
	statusPid
	statusPPid
	statusUid
	statusGid
	statusRequired = statusTgid | statusPid | statusPPid | statusUid | statusGid
)

// maxStatusLines bounds the lines parseStatus looks at; a real status file has ~60.
const maxStatusLines = 512

// parseStatus parses /proc/PID/status or /proc/PID/task/TID/status, lines of
// "Key:\tvalue" (proc(5)); the fields kept are:
//
//	Name:	cat
//	Tgid:	8364
//	Pid:	8364
//	PPid:	8354
//	Uid:	0	0	0	0          (real, effective, saved, filesystem)
//	Gid:	0	0	0	0
//	NStgid:	8364	12        (pid in each nested pid namespace, outermost first)
//	NSpid:	8364	12
//	CapInh:	0000000000000000
//	CapPrm:	000001fffeffffff
//	CapEff:	000001fffeffffff
//
// Tgid, Pid, PPid, Uid and Gid are required; NSpid (Linux 4.1) and the capability sets
// are optional, VTID and VPID then equal PID and Tgid.
func parseStatus(b []byte) (procStatus, error) {
	var st procStatus
	for n := 1; len(b) > 0; n++ {
		if n > maxStatusLines {
			return st, badField(n, "", "more than %d lines", maxStatusLines)
		}
		var line []byte
		line, b = nextLine(b)
		if err := st.parseLine(n, line); err != nil {
			return st, err
		}
	}
	if st.seen&statusRequired != statusRequired {
		return st, badField(0, "Tgid, Pid, PPid, Uid or Gid", "missing")
	}
	if st.VTID == 0 {
		st.VTID = st.PID
	}
	if st.VPID == 0 {
		st.VPID = st.Tgid
	}
	return st, nil
}

func (st *procStatus) parseLine(n int, line []byte) error {
	colon := bytes.IndexByte(line, ':')
	if colon <= 0 {
		return nil // not a field we know; status has no other line shape today
	}
	key, val := line[:colon], line[colon+1:]
	// Constant names are passed on: a string(key) argument would allocate.
	switch string(key) {
	case "Tgid":
		return st.parseID(n, "Tgid", val)
	case "Pid":
		return st.parseID(n, "Pid", val)
	case "PPid":
		return st.parseID(n, "PPid", val)
	case "Uid":
		return st.parseCreds(n, "Uid", val)
	case "Gid":
		return st.parseCreds(n, "Gid", val)
	case "NSpid":
		return st.parseNS(n, "NSpid", val)
	case "NStgid":
		return st.parseNS(n, "NStgid", val)
	case "CapPrm":
		return st.parseCap(n, "CapPrm", val)
	case "CapEff":
		return st.parseCap(n, "CapEff", val)
	case "CapInh":
		return st.parseCap(n, "CapInh", val)
	}
	return nil
}

func (st *procStatus) parseID(n int, key string, val []byte) error {
	f, _ := nextField(val)
	v, ok := parseDecSigned(f, 32)
	if !ok || v < 0 {
		return badField(n, key, "bad value %q", clip(f))
	}
	switch key {
	case "Tgid":
		st.Tgid, st.seen = int32(v), st.seen|statusTgid
	case "Pid":
		st.PID, st.seen = int32(v), st.seen|statusPid
	default:
		st.PPID, st.seen = int32(v), st.seen|statusPPid
	}
	return nil
}

// parseCreds reads the real and effective ids of a Uid or Gid line.
func (st *procStatus) parseCreds(n int, key string, val []byte) error {
	var ids [4]uint32
	for i := range ids {
		var f []byte
		f, val = nextField(val)
		v, ok := parseDec(f, 32)
		if !ok {
			return badField(n, key, "want 4 ids, bad id %d %q", i+1, clip(f))
		}
		ids[i] = uint32(v)
	}
	if key == "Uid" {
		st.UID, st.EUID, st.SUID, st.FSUID = ids[0], ids[1], ids[2], ids[3]
		st.seen |= statusUid
	} else {
		st.GID, st.EGID, st.SGID, st.FSGID = ids[0], ids[1], ids[2], ids[3]
		st.seen |= statusGid
	}
	return nil
}

// parseNS keeps the last id of an NSpid or NStgid line: the one the task sees.
func (st *procStatus) parseNS(n int, key string, val []byte) error {
	var last int64
	for i := 0; ; i++ {
		var f []byte
		f, val = nextField(val)
		if len(f) == 0 {
			break
		}
		if i >= 64 { // pid namespaces nest at most 32 deep
			return badField(n, key, "more than 64 ids")
		}
		v, ok := parseDecSigned(f, 32)
		if !ok || v < 0 {
			return badField(n, key, "bad id %q", clip(f))
		}
		last = v
	}
	if key == "NSpid" {
		st.VTID = int32(last)
	} else {
		st.VPID = int32(last)
	}
	return nil
}

func (st *procStatus) parseCap(n int, key string, val []byte) error {
	f, _ := nextField(val)
	v, ok := parseHex(f, 64)
	if !ok {
		return badField(n, key, "bad hex value %q", clip(f))
	}
	switch key {
	case "CapPrm":
		st.CapPrm = v
	case "CapEff":
		st.CapEff = v
	default:
		st.CapInh = v
	}
	return nil
}
