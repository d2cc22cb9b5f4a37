package scap

import "strings"

// Thread is one entry of the process list block (libscap's scap_threadinfo as
// scap_write_proclist_entry writes it): a thread as it was when the capture started.
// Fields a block version does not carry are zero, except LoginUID, which is
// 0xFFFFFFFF (unknown): a zero there would claim a root login.
type Thread struct {
	TID, PID, PTID   int64
	SID, VPGID, PGID int64
	Comm             string
	Exe              string // argv[0]
	ExePath          string // the executable's full path (PL_V7 and later)
	Args             []string
	Cwd              string
	FDLimit          int64
	Flags            uint32 // PPM_CL_* thread flags
	UID, GID         uint32
	VMSize, VMRSS    uint32
	VMSwap           uint32
	PFMajor, PFMinor uint64
	Env              []string
	VTID, VPID       int64
	Cgroups          []string // "subsys=path"
	Root             string
	PidnsInitStart   uint64
	TTY              uint32
	LoginUID         uint32 // 0xFFFFFFFF: none
	CapInheritable   uint64
	CapPermitted     uint64
	CapEffective     uint64
	ExeIno           uint64
	ExeInoCtime      int64
	ExeInoMtime      int64
}

// plVersion returns the process list layout version of a PL block type, 0 if none.
func plVersion(t uint32) int {
	switch t {
	case blkPLV1, blkPLV1Int:
		return 1
	case blkPLV2, blkPLV2Int:
		return 2
	case blkPLV3, blkPLV3Int:
		return 3
	case blkPLV4, blkPLV5, blkPLV6, blkPLV7, blkPLV8, blkPLV9:
		return 4 + int(t-blkPLV4)
	}
	return 0
}

// String limits (userspace/libscap/scap_limits.h and the PL writer).
const (
	maxPathLen = 4096
	maxArgsLen = 65536
	maxCredLen = 256
)

// parseProcList reads every entry of a PL block of layout version v.
func parseProcList(body []byte, v int) ([]Thread, error) {
	var out []Thread
	c := cursor{b: body}
	for c.left() >= 4 && c.err == nil {
		start := c.off
		end := len(body)
		if v == 9 {
			n := int(c.u32("entry length"))
			if n < 4 || n > len(body)-start {
				c.fail("process entry %d: length %d, %d bytes left", len(out), n, len(body)-start)
				break
			}
			end = start + n
		}
		ec := cursor{b: body[:end], off: c.off}
		t := readThread(&ec, v)
		if ec.err != nil {
			return out, ecErr(ec.err, "process entry", len(out))
		}
		out = append(out, t)
		c.off = ec.off
		if v == 9 {
			c.off = end
		}
	}
	return out, c.err
}

func readThread(c *cursor, v int) Thread {
	// Only PL_V9 entries can carry a loginuid; without one it is unknown, not root.
	t := Thread{LoginUID: 0xFFFFFFFF}
	t.TID, t.PID, t.PTID = c.i64("tid"), c.i64("pid"), c.i64("ptid")
	if v >= 6 {
		t.SID = c.i64("sid")
	}
	if v >= 8 {
		t.VPGID = c.i64("vpgid")
	}
	t.Comm = c.str("comm", maxPathLen)
	t.Exe = c.str("exe", maxPathLen)
	if v >= 7 {
		t.ExePath = c.str("exepath", maxPathLen)
	}
	t.Args = splitNUL(c.str("args", maxArgsLen))
	t.Cwd = c.str("cwd", maxPathLen)
	t.FDLimit = c.i64("fdlimit")
	t.Flags = c.u32("flags")
	t.UID, t.GID = c.u32("uid"), c.u32("gid")
	if v >= 2 {
		t.VMSize, t.VMRSS, t.VMSwap = c.u32("vmsize"), c.u32("vmrss"), c.u32("vmswap")
		t.PFMajor, t.PFMinor = c.u64("pfmajor"), c.u64("pfminor")
	}
	if v >= 3 {
		t.Env = splitNUL(c.str("env", maxArgsLen))
	}
	if v >= 4 {
		t.VTID, t.VPID = c.i64("vtid"), c.i64("vpid")
		t.Cgroups = splitNUL(c.str("cgroups", maxArgsLen))
	}
	if v >= 5 {
		t.Root = c.str("root", maxPathLen)
	}
	if v >= 9 {
		readThreadTail(c, &t)
	}
	return t
}

// readThreadTail reads the optional PL_V9 fields that fit in the entry. Libs 0.10
// inserted pidns_init_start_ts and tty before loginuid; an entry with at most 29 bytes
// left after root was written before that (scap_read_proclist's "pre-0.10 hack").
func readThreadTail(c *cursor, t *Thread) {
	if c.left() > 29 {
		t.PidnsInitStart = c.u64("pidns_init_start_ts")
		t.TTY = c.u32("tty")
	}
	if c.left() >= 4 {
		t.LoginUID = c.u32("loginuid")
	}
	if c.left() >= 1 {
		c.u8("exe_writable")
	}
	if c.left() >= 24 {
		t.CapInheritable, t.CapPermitted, t.CapEffective = c.u64("cap_inheritable"), c.u64("cap_permitted"), c.u64("cap_effective")
	}
	if c.left() >= 25 {
		c.u8("exe_upper_layer")
		t.ExeIno, t.ExeInoCtime, t.ExeInoMtime = c.u64("exe_ino"), c.i64("exe_ino_ctime"), c.i64("exe_ino_mtime")
	}
	if c.left() >= 2 {
		c.u8("exe_from_memfd")
		c.u8("exe_lower_layer")
	}
	if c.left() >= 8 {
		t.PGID = c.i64("pgid")
	}
}

// splitNUL splits a NUL-separated list; an empty string gives nil.
func splitNUL(s string) []string {
	s = strings.TrimRight(s, "\x00")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\x00")
}
