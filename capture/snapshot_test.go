package capture

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/event"
)

// TestNewProcInfoFillsParametersByTheirSchemaNames builds a procinfo from distinct
// values and reads each back by name, so that the positions used stay those of the
// event vocabulary.
func TestNewProcInfoFillsParametersByTheirSchemaNames(t *testing.T) {
	p := &processInfo{PID: 10, Argv: []byte("a\x00"), Env: []byte("E=1\x00"), Exe: []byte("/bin/x"), Cwd: []byte("/w"),
		ExeIno: 21, ExeDev: 22, ExeMtime: 23, LoginUID: 24, CgroupID: 25, PidNS: 26, MntNS: 27, NetNS: 28, StartTicks: 3}
	th := &threadInfo{TID: 11, Stat: procStat{Comm: []byte("x"), TTY: 31, SID: 32, PGID: 33, Flags: 34, StartTicks: 5},
		Status: procStatus{PPID: 40, UID: 41, EUID: 42, GID: 43, EGID: 44, CapEff: 45, CapPrm: 46, VTID: 47, VPID: 48}}
	e := newProcInfo(1, 1000, p, th)
	got := map[string]uint64{}
	want := map[string]uint64{"ppid": 40, "uid": 41, "euid": 42, "gid": 43, "egid": 44, "loginuid": 24,
		"cap_effective": 45, "cap_permitted": 46, "tty": 31, "sid": 32, "pgid": 33, "vtid": 47, "vpid": 48,
		"start_time": 1000 + 5*1e7, "cgroup_id": 25, "pidns": 26, "mntns": 27, "netns": 28, "exe_ino": 21,
		"exe_dev": 22, "exe_mtime": 23, "flags": 34, "pstart": 1000 + 3*1e7}
	for name := range want {
		i := e.Param(name)
		if i < 0 {
			t.Fatalf("procinfo has no parameter %q", name)
		}
		got[name] = e.Uint(i)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("integer parameters by name (-want +got):\n%s", diff)
	}
	gotB := map[string]string{}
	wantB := map[string]string{"comm": "x", "exepath": "/bin/x", "argv": "a\x00", "env": "E=1\x00", "cwd": "/w", "exe": ""}
	for name := range wantB {
		gotB[name] = string(e.Bytes(e.Param(name)))
	}
	if diff := cmp.Diff(wantB, gotB); diff != "" {
		t.Errorf("byte parameters by name (-want +got):\n%s", diff)
	}
	if e.Param("replay") != procInfoReplay || int(e.NParams) != len(event.Lookup(event.TypeProcInfo).Params) {
		t.Errorf("replay at %d (want %d), %d parameters set", e.Param("replay"), procInfoReplay, e.NParams)
	}
}

func TestNewFDInfoFillsParametersByTheirSchemaNames(t *testing.T) {
	f := &fdEntry{FD: 7, Link: fdLink{Type: fdFile, Name: []byte("/etc/x")}, Info: fdInfo{Flags: 0o2}, Ino: 8, Dev: 9}
	e := newFDInfo(1, 11, 10, f)
	got := map[string]uint64{}
	for _, name := range []string{"fd", "type", "flags", "proto", "ino", "dev", "role"} {
		got[name] = e.Uint(e.Param(name))
	}
	want := map[string]uint64{"fd": 7, "type": fdFile, "flags": 2, "proto": 0, "ino": 8, "dev": 9, "role": 0}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("fdinfo parameters by name (-want +got):\n%s", diff)
	}
	if name := string(e.Bytes(e.Param("name"))); name != "/etc/x" || e.TID != 11 || e.PID != 10 {
		t.Errorf("name %q tid %d pid %d", name, e.TID, e.PID)
	}
}
