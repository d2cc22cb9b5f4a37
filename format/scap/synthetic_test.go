package scap

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/event"
)

var (
	ip10   = [4]byte{10, 0, 0, 1}
	ip10b  = [4]byte{10, 0, 0, 2}
	ip6cli = [16]byte{0x20, 0x01, 0x0d, 0xb8, 15: 4}
	ip6srv = [16]byte{0x20, 0x01, 0x0d, 0xb8, 15: 3}
)

const t0 = 1_700_000_000_000_000_000

// synthCapture builds a capture in the current (V2) layout that exercises each mapping
// family once: its events, in order, are
//
//	tid 100 open enter+exit      → open, flags converted from PPM_O_*
//	tid 100 connect enter+exit   → connect, IPv4 tuple split into local/remote
//	tid 101 accept4 enter+exit   → accept4, inbound IPv6 tuple (peer first)
//	tid 100 clone exit (parent)  → procfork + clone
//	tid 102 clone exit (child)   → clone only (procfork already emitted)
//	tid 102 execve enter+exit    → execve with argv, exepath, creds
//	an unknown event id          → skipped, counted
//	an unknown block type        → skipped, counted
//	tid 101 read enter           → never exits: emitted last with FlagEnter
//	tid 102 procexit             → procexit, exit code 3 from the wait status
//	container JSON (large block) → containerinfo
func synthCapture() []byte {
	var w capWriter
	w.shb(nil)
	w.mi("synth")
	w.plV9(Thread{TID: 100, PID: 100, PTID: 1, Comm: "sh", Exe: "sh", ExePath: "/bin/sh", Args: []string{"-c", "x"}, Cwd: "/root", UID: 0, LoginUID: 1000},
		Thread{TID: 101, PID: 101, PTID: 1, Comm: "srv", Exe: "/usr/bin/srv", Cwd: "/", UID: 33, GID: 33, LoginUID: 0xFFFFFFFF})
	w.fdlV2(100, fdFileEntry(3, 77, 1|1<<12, "/etc/passwd"), fdIPv4Entry(4, ip10, ip10b, 40000, 443))
	w.ulV2(User{UID: 33, GID: 33, Name: "www-data", Home: "/var/www", Shell: "/usr/sbin/nologin"}, Group{GID: 33, Name: "www-data"})
	w.block(0x300, []byte("future header block"))
	w.ev(blkEVV2, t0+10, 100, 2, cstrp("/tmp/x"), le32(2|4|1<<8), le32(0o644))
	w.ev(blkEVV2, t0+20, 100, 3, le64(5), cstrp("/tmp/x"), le32(2|4|1<<8), le32(0o644), le32(0x801), le64(9))
	w.ev(blkEVV2, t0+30, 100, 22, le64(6), sockaddr4(ip10b, 80))
	w.ev(blkEVV2, t0+40, 100, 23, le64(^uint64(114)), tuple4(ip10, 50000, ip10b, 80), le64(6))
	w.ev(blkEVV2, t0+50, 101, 388, le32(0))
	w.ev(blkEVV2, t0+60, 101, 389, le64(7), tuple6(ip6cli, 54405, ip6srv, 1234), []byte{0}, le32(0), le32(5), le32(0))
	clone := func(res, tid, pid uint64, ts uint64) {
		w.ev(blkEVV2, ts, int64(tid), 223, le64(res), cstrp("sh"), []byte("-c\x00x\x00"), le64(tid), le64(pid), le64(1),
			cstrp("/root"), le64(1024), le64(0), le64(0), le32(0), le32(0), le32(0), cstrp("sh"), nil,
			le32(1<<0|1<<1), le32(0), le32(0), le64(tid), le64(pid), le64(0))
	}
	clone(102, 100, 100, t0+70)
	clone(0, 102, 102, t0+80)
	w.ev(blkEVV2, t0+90, 102, 292, cstrp("/usr/bin/id"))
	w.ev(blkEVV2, t0+100, 102, 293, le64(0), cstrp("id"), []byte("-u\x00"), le64(102), le64(102), le64(100),
		cstrp("/root"), le64(1024), le64(0), le64(0), le32(0), le32(0), le32(0), cstrp("id"), nil,
		[]byte("PATH=/bin\x00"), le32(0), le64(102), le32(1000), le32(0), le64(0), le64(0x3ff), le64(0x3ff),
		le64(4242), le64(0), le64(t0), le32(0), cstrp("/usr/bin/id"), le64(102), le32(0))
	w.ev(blkEVV2, t0+105, 102, 1000, le64(1))
	w.block(0x301, nil)
	w.ev(blkEVV2, t0+110, 101, 6, le64(7), le32(4096))
	w.ev(blkEVV2, t0+120, 102, 186, le64(3<<8), le64(3), []byte{0}, []byte{0}, le64(0))
	w.ev(blkEVV2Large, t0+130, 0, 324, cstrp(`{"container":{"id":"3ad7b26ded6d","type":0,"name":"web","image":"nginx:1.25"}}`))
	return w.bytes()
}

// render turns events into comparable lines.
func render(evs []*event.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.String()
	}
	return out
}

func readAll(t *testing.T, r *Reader, f Filter) ([]*event.Event, *Stats) {
	t.Helper()
	it := r.Iter(f)
	defer it.Close()
	var out []*event.Event
	var e event.Event
	for it.Next(&e) {
		out = append(out, e.Clone())
	}
	if err := it.Err(); err != nil {
		t.Fatalf("read events: %v", err)
	}
	return out, it.Stats()
}

func TestSyntheticCaptureMapsEachFamily(t *testing.T) {
	// Expected lines worked out by hand from synthCapture and the conversion tables:
	// open flags PPM WRONLY|CREAT|TRUNC = 2|4|256 → O_WRONLY|O_CREAT|O_TRUNC; connect res
	// ^114 = -115 (EINPROGRESS); clone PPM_CL_CLONE_FILES|FS → CLONE_FS|CLONE_FILES; the
	// procexit wait status 3<<8 with ret 3 → status 3.
	want := []string{
		"1 1700000000000000020 cpu=1 tid=100 pid=100 < open res=5 lat=10 name=/tmp/x flags=O_WRONLY|O_CREAT|O_TRUNC mode=0644 dev=2049 ino=9",
		"2 1700000000000000040 cpu=1 tid=100 pid=100 < connect res=-115 lat=10 fd=6 addr=10.0.0.2:80 local=10.0.0.1:50000 remote=10.0.0.2:80",
		"3 1700000000000000060 cpu=1 tid=101 pid=101 < accept4 res=7 lat=10 fd=-1 flags=0 local=[2001:db8::3]:1234 remote=[2001:db8::4]:54405",
		"4 1700000000000000070 cpu=1 tid=100 pid=100 < procfork res=0 child_tid=102 child_pid=102 flags=SHARE_FILES|SHARE_FS clone_flags=CLONE_FS|CLONE_FILES comm=sh",
		"5 1700000000000000070 cpu=1 tid=100 pid=100 < clone res=102 flags=CLONE_FS|CLONE_FILES",
		"6 1700000000000000080 cpu=1 tid=102 pid=102 < clone res=0 flags=CLONE_FS|CLONE_FILES",
		"7 1700000000000000100 cpu=1 tid=102 pid=102 < execve res=0 lat=10 filename=/usr/bin/id argv=id -u env=PATH=/bin exepath=/usr/bin/id cwd=/root comm=id ppid=100 uid=0 gid=0 euid=0 egid=0 loginuid=1000 cap_effective=0x3ff cap_permitted=0x3ff tty=0 sid=0 pgid=102 exe_ino=4242 exe_dev=0 exe_mtime=2023-11-14T22:13:20Z",
		"8 1700000000000000120 cpu=1 tid=102 pid=102 < procexit res=0 status=3 sig=0 core=0 reaper=0",
		"9 1700000000000000130 cpu=1 tid=0 pid=0 < containerinfo res=0 id=3ad7b26ded6d runtime=docker name=web image=nginx:1.25",
		"10 1700000000000000110 cpu=1 tid=101 pid=101 > read res=0 fd=7 data= size=4096",
	}
	r, err := NewReader(bytes.NewReader(synthCapture()), int64(len(synthCapture())))
	if err != nil {
		t.Fatal(err)
	}
	got, st := readAll(t, r, Filter{})
	if d := cmp.Diff(want, render(got)); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
	// 13 known scap events (8 enter/exit halves, 2 lone clone exits, the read enter,
	// procexit, container); the 4 pairs are open, connect, accept4 and execve.
	wantStats := map[string]uint64{"events": 13, "unknown ids": 1, "skipped blocks": 1, "orphans": 1, "paired": 4}
	gotStats := map[string]uint64{"events": st.Events, "unknown ids": st.UnknownIDs,
		"skipped blocks": st.SkippedBlocks[0x301], "orphans": st.Orphans, "paired": st.Paired}
	if d := cmp.Diff(wantStats, gotStats); d != "" {
		t.Errorf("stats (-want +got):\n%s", d)
	}
	if s := r.Section(); s.Skipped[0x300] != 1 || s.Machine.Hostname != "synth" {
		t.Errorf("section: skipped %v, machine %+v", s.Skipped, s.Machine)
	}
}

func TestSyntheticInitialState(t *testing.T) {
	// From the PL_V9, FDL_V2 and UL_V2 blocks of synthCapture: PPM open flags
	// RDONLY|CLOEXEC (1|1<<12) → O_RDONLY|O_CLOEXEC; the IPv4 socket keeps both ends.
	want := []string{
		"0 1700000000000000010 cpu=0 tid=100 pid=100 < procinfo res=0 ppid=1 comm=sh exepath=/bin/sh argv=sh -c x env= cwd=/root uid=0 gid=0 euid=0 egid=0 loginuid=1000 cap_effective=0x0 cap_permitted=0x0 tty=0 sid=0 pgid=0 vtid=0 vpid=0 start_time=0 cgroup_id=0 pidns=0 mntns=0 netns=0 exe_ino=0 exe_dev=0 exe_mtime=0",
		"0 1700000000000000010 cpu=0 tid=101 pid=101 < procinfo res=0 ppid=1 comm=srv exepath=/usr/bin/srv argv=/usr/bin/srv env= cwd=/ uid=33 gid=33 euid=33 egid=33 loginuid=4294967295 cap_effective=0x0 cap_permitted=0x0 tty=0 sid=0 pgid=0 vtid=0 vpid=0 start_time=0 cgroup_id=0 pidns=0 mntns=0 netns=0 exe_ino=0 exe_dev=0 exe_mtime=0",
		"0 1700000000000000010 cpu=0 tid=100 pid=100 < fdinfo res=0 fd=3 type=file flags=O_RDONLY|O_CLOEXEC name=/etc/passwd local=NULL remote=NULL proto=IPPROTO_IP ino=77 dev=0",
		"0 1700000000000000010 cpu=0 tid=100 pid=100 < fdinfo res=0 fd=4 type=ipv4 flags=O_RDONLY name= local=10.0.0.1:40000 remote=10.0.0.2:443 proto=IPPROTO_TCP ino=0 dev=0 role=unknown",
		"0 1700000000000000010 cpu=0 tid=0 pid=0 < userinfo res=0 uid=33 gid=33 name=www-data home=/var/www shell=/usr/sbin/nologin",
		"0 1700000000000000010 cpu=0 tid=0 pid=0 < groupinfo res=0 gid=33 name=www-data",
	}
	b := synthCapture()
	r, err := NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	st, err := r.InitialState()
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, render(st)); d != "" {
		t.Errorf("initial state (-want +got):\n%s", d)
	}
}

func TestGzipCaptureReadsLikePlain(t *testing.T) {
	plain := synthCapture()
	gz := gzipped(plain)
	rp, err := NewReader(bytes.NewReader(plain), int64(len(plain)))
	if err != nil {
		t.Fatal(err)
	}
	rg, err := NewReader(bytes.NewReader(gz), int64(len(gz)))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := readAll(t, rp, Filter{})
	b, _ := readAll(t, rg, Filter{})
	if d := cmp.Diff(render(a), render(b)); d != "" {
		t.Errorf("gzip vs plain (-plain +gzip):\n%s", d)
	}
}

func TestFilterSelectsWhileStreaming(t *testing.T) {
	b := synthCapture()
	r, err := NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	clone, _ := event.ByName("clone")
	tests := []struct {
		name string
		f    Filter
		want []uint64 // Num of the selected events: positions in the whole capture
	}{
		{"time range keeps [From, To)", Filter{From: t0 + 40, To: t0 + 80}, []uint64{2, 3, 4, 5}},
		{"types keep clone and procfork", Filter{Types: []event.Type{clone, event.TypeProcFork}}, []uint64{4, 5, 6}},
		{"tids keep one thread", Filter{TIDs: []int32{101}}, []uint64{3, 10}},
		{"pids follow the thread table", Filter{PIDs: []int32{102}}, []uint64{6, 7, 8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, _ := readAll(t, r, tt.f)
			var got []uint64
			for _, e := range evs {
				got = append(got, e.Num)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("selected Num (-want +got):\n%s", d)
			}
		})
	}
}

func TestV1EventsDeriveTheirParameterCount(t *testing.T) {
	// FORMAT.md §7.2.1: an EV (V1) block has no nparams; the reader finds it from the
	// lengths. The notification event's length is 3 bytes too large in old files.
	var w capWriter
	w.shb(nil)
	w.ev(blkEV, t0, 7, 3, le64(3), cstrp("/dev/null"), le32(1), le32(0))
	var nb capWriter
	nb.ev(blkEV, t0+1, 7, 280, cstrp("n1"), cstrp("disk full"))
	blk := nb.bytes()
	binary16 := le32(uint32(22 + 4 + 3 + 10 + 3))
	copy(blk[2+8+8+8:], binary16) // event length field, overstated by 3
	w.b.Write(blk)
	r, err := NewReader(bytes.NewReader(w.bytes()), int64(w.b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := readAll(t, r, Filter{})
	want := []string{
		"1 1700000000000000000 cpu=1 tid=7 pid=7 < open res=3 name=/dev/null flags=O_RDONLY mode=00",
		"2 1700000000000000001 cpu=1 tid=7 pid=7 < notice res=0 message=n1: disk full",
	}
	if d := cmp.Diff(want, render(got)); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
}

func TestNotACaptureIsRejected(t *testing.T) {
	for _, in := range [][]byte{nil, []byte("hello world, not scap"), gzipped([]byte("plain text in gzip"))} {
		_, err := NewReader(bytes.NewReader(in), int64(len(in)))
		if !errors.Is(err, ErrNotScap) {
			t.Errorf("input %q: err %v, want ErrNotScap", in, err)
		}
	}
}

func TestFailedExecveKeepsOnlyWhatWasPassed(t *testing.T) {
	// execve of a missing file: ENOENT (-2). The exit still carries the caller's old
	// image (exe "sh", args "-c x", comm "sh"), which must not read as the new program.
	var w capWriter
	w.shb(nil)
	w.plV9(Thread{TID: 50, PID: 50, PTID: 1, Comm: "sh", Exe: "sh", Cwd: "/tmp", UID: 1000, GID: 1000, LoginUID: 1000})
	w.ev(blkEVV2, t0, 50, 292, cstrp("/nonexistent"))
	w.ev(blkEVV2, t0+5, 50, 293, le64(^uint64(1)), cstrp("sh"), []byte("-c\x00x\x00"), le64(50), le64(50), le64(1),
		cstrp("/tmp"), le64(1024), le64(0), le64(0), le32(0), le32(0), le32(0), cstrp("sh"), nil, []byte("HOME=/\x00"))
	r, err := NewReader(bytes.NewReader(w.bytes()), int64(w.b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := readAll(t, r, Filter{})
	want := []string{"1 1700000000000000005 cpu=1 tid=50 pid=50 < execve res=-2 lat=5 filename=/nonexistent argv= env= exepath= cwd=/tmp comm= ppid=1 uid=1000 gid=1000 euid=1000 egid=1000 loginuid=1000"}
	if d := cmp.Diff(want, render(got)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestOldExecveLoginUID(t *testing.T) {
	// EXECVE_16 (231) exits carry no uid and no loginuid: both come from the thread
	// table (the process list, or the parent named by ptid for a thread it lacks), and
	// stay unknown when neither knows them. A zero would read as a root login.
	tests := []struct {
		name      string
		tid, ptid uint64
		uid, want string
	}{
		{"a listed thread logged in as 1000", 100, 1, "0", "1000"},
		{"a listed daemon with no login", 101, 1, "33", "4294967295"},
		{"an unlisted child of the logged-in shell", 300, 100, "0", "1000"},
		{"an unlisted thread of an unlisted parent", 301, 299, "4294967295", "4294967295"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w capWriter
			w.shb(nil)
			w.plV9(Thread{TID: 100, PID: 100, PTID: 1, Comm: "sh", Exe: "sh", Cwd: "/", LoginUID: 1000},
				Thread{TID: 101, PID: 101, PTID: 1, Comm: "srv", Exe: "srv", Cwd: "/", UID: 33, GID: 33, LoginUID: 0xFFFFFFFF})
			w.ev(blkEVV2, t0+10, int64(tt.tid), 231, le64(0), cstrp("id"), []byte("-u\x00"), le64(tt.tid), le64(tt.tid),
				le64(tt.ptid), cstrp("/"), le64(1024), le64(0), le64(0), le32(0), le32(0), le32(0), cstrp("id"), nil, nil)
			b := w.bytes()
			r, err := NewReader(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				t.Fatal(err)
			}
			evs, _ := readAll(t, r, Filter{})
			want := []map[string]string{{"type": "execve", "tid": fmt.Sprint(tt.tid), "pid": fmt.Sprint(tt.tid), "res": "0",
				"uid": tt.uid, "loginuid": tt.want}}
			if d := cmp.Diff(want, sel(evs, "execve", int32(tt.tid), "uid", "loginuid")); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
