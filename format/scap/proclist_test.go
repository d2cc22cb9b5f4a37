package scap

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestProcListV9Tails(t *testing.T) {
	// A PL_V9 entry ends wherever its writer stopped: right after root (2018), with
	// loginuid only (2019: at most 29 bytes left, the layout before libs 0.10), or
	// with the libs ≥ 0.10 tail (pidns_init_start_ts, tty, loginuid, exe_writable,
	// capabilities, exe inode and times, memfd/overlay bytes, pgid).
	head := cat(le64(7), le64(7), le64(1), le64(7), le64(7), lstr("x"), lstr("x"), lstr("/x"), lstr(""), lstr("/"),
		le64(1024), le32(0), le32(1000), le32(1000), le32(0), le32(0), le32(0), le64(0), le64(0), lstr(""),
		le64(7), le64(7), lstr(""), lstr("/"))
	full := cat(le64(99), le32(34816), le32(1000), []byte{1}, le64(0), le64(0x3ff), le64(0x3ff),
		[]byte{0}, le64(4242), le64(11), le64(12), []byte{0, 0}, le64(7))
	base := Thread{TID: 7, PID: 7, PTID: 1, SID: 7, VPGID: 7, Comm: "x", Exe: "x", ExePath: "/x", Cwd: "/",
		FDLimit: 1024, UID: 1000, GID: 1000, VTID: 7, VPID: 7, Root: "/"}
	withLogin := base
	withLogin.LoginUID = 1000
	withFull := withLogin
	withFull.PidnsInitStart, withFull.TTY = 99, 34816
	withFull.CapPermitted, withFull.CapEffective = 0x3ff, 0x3ff
	withFull.ExeIno, withFull.ExeInoCtime, withFull.ExeInoMtime, withFull.PGID = 4242, 11, 12, 7
	noLogin := base
	noLogin.LoginUID = 0xFFFFFFFF
	tests := []struct {
		name string
		tail []byte
		want Thread
	}{
		{"an entry that ends after root", nil, noLogin},
		{"a pre-0.10 entry with loginuid only", le32(1000), withLogin},
		{"a libs 0.10+ entry with the whole tail", full, withFull},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := cat(head, tt.tail)
			got, err := parseProcList(cat(le32(uint32(4+len(e))), e), 9)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff([]Thread{tt.want}, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestStateOnlyEventsAreCounted(t *testing.T) {
	// An EVF_V2 block with SCAP_DF_STATE_ONLY: emitted (it changes state) and counted.
	var w capWriter
	w.shb(nil)
	w.ev(blkEVFV2, t0, 9, 5, le64(0), le64(3))
	b := w.bytes()
	copy(b[28+8+2:], le32(dfStateOnly)) // the flags after the SHB block (28 bytes), header and cpuid
	r, err := NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	evs, st := readAll(t, r, Filter{})
	if len(evs) != 1 || st.StateOnly != 1 {
		t.Errorf("%d events, %d state-only; want 1 and 1", len(evs), st.StateOnly)
	}
}

func TestProcListLoginUIDUnknownBeforeV9(t *testing.T) {
	// Blocks before PL_V9 have no loginuid field: a zero there would name root as the
	// login user of every process (curl_google.scap's PL_V5 bash, run by ubuntu).
	entry := func(v int) []byte {
		b := cat(le64(7), le64(7), le64(1))
		if v >= 6 {
			b = cat(b, le64(7))
		}
		if v >= 8 {
			b = cat(b, le64(7))
		}
		b = cat(b, lstr("x"), lstr("x"))
		if v >= 7 {
			b = cat(b, lstr("/x"))
		}
		b = cat(b, lstr(""), lstr("/"), le64(1024), le32(0), le32(1000), le32(1000))
		if v >= 2 {
			b = cat(b, le32(0), le32(0), le32(0), le64(0), le64(0))
		}
		if v >= 3 {
			b = cat(b, lstr(""))
		}
		if v >= 4 {
			b = cat(b, le64(7), le64(7), lstr(""))
		}
		if v >= 5 {
			b = cat(b, lstr("/"))
		}
		if v == 9 {
			b = cat(le32(uint32(4+len(b))), b)
		}
		return b
	}
	for v := 1; v <= 9; v++ {
		t.Run(fmt.Sprintf("PL_V%d", v), func(t *testing.T) {
			got, err := parseProcList(entry(v), v)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].UID != 1000 || got[0].LoginUID != 0xFFFFFFFF {
				t.Errorf("got %+v; want one entry, uid 1000, loginuid 0xFFFFFFFF", got)
			}
		})
	}
}
