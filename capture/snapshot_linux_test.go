package capture

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/event"
)

// fakeBoot is the boot time of the fake tree: its btime line, in ns.
const fakeBoot = 1764223712 * int64(1e9)

const fakeDocker = "4f2b9c1d8e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c"

// procRow is what a user checks in a procinfo event.
type procRow struct {
	TID, PID, PPID          int32
	Comm, Exe, Argv, Cwd    string
	Env                     string
	UID, EUID, GID, EGID    uint64
	LoginUID                uint64
	CapEff                  uint64
	TTY                     uint64
	SID, PGID, VTID, VPID   int64
	StartTicks, PStartTicks int64
	Cgroup                  string // the path of the cgroup id, from the cgroupinfo events
	NetNS, PidNS            uint64
	Flags                   uint64
	Replay                  string
}

func procRowOf(e *event.Event, cgroups map[uint64]string) procRow {
	tick := int64(1e9 / clockTicks)
	return procRow{TID: e.TID, PID: e.PID, PPID: int32(e.Int(0)),
		Comm: string(e.Bytes(1)), Exe: string(e.Bytes(2)), Argv: strings.ReplaceAll(string(e.Bytes(3)), "\x00", "|"),
		Env: strings.ReplaceAll(string(e.Bytes(4)), "\x00", "|"), Cwd: string(e.Bytes(5)),
		UID: e.Uint(6), GID: e.Uint(7), EUID: e.Uint(8), EGID: e.Uint(9), LoginUID: e.Uint(10),
		CapEff: e.Uint(11), TTY: e.Uint(13), SID: e.Int(14), PGID: e.Int(15), VTID: e.Int(16),
		VPID: e.Int(17), StartTicks: (e.Int(18) - fakeBoot) / tick, PStartTicks: (e.Int(procInfoPStart) - fakeBoot) / tick,
		Cgroup: cgroups[e.Uint(19)], PidNS: e.Uint(20), NetNS: e.Uint(22), Flags: e.Uint(28),
		Replay: string(event.AppendStrings(nil, e.Bytes(procInfoReplay), ' '))}
}

// fdRow is what a user checks in an fdinfo event.
type fdRow struct {
	PID, FD       int32
	Type, Flags   string
	Name          string
	Local, Remote string
	Proto, Role   string
	Ino           uint64
}

func fdRowOf(e *event.Event) fdRow {
	return fdRow{PID: e.PID, FD: int32(e.Int(0)), Type: param(e, 1), Flags: param(e, 2),
		Name: string(e.Bytes(3)), Local: param(e, 4), Remote: param(e, 5), Proto: param(e, 6),
		Role: param(e, 9), Ino: e.Uint(7)}
}

func param(e *event.Event, i int) string { return string(e.AppendParam(nil, i)) }

// fakeCgroups makes the cgroup directories the fake processes are in and returns the
// root.
func fakeCgroups(t *testing.T) string {
	root := t.TempDir()
	for _, p := range []string{"init.scope", "system.slice/ssh.service", "system.slice/docker-" + fakeDocker + ".scope",
		"user.slice/user-1000.slice/session-3.scope", "system.slice/weird.service", "system.slice/broken.service"} {
		if err := os.MkdirAll(filepath.Join(root, p), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func fakeSnapshot(t *testing.T, env bool) ([]*event.Event, *Snapshotter, []error) {
	t.Helper()
	var warnings []error
	s := &Snapshotter{ProcRoot: "testdata/proc", EtcRoot: "testdata/etc", CgroupRoot: fakeCgroups(t),
		Containers: testMeta, Env: env, Warn: func(err error) { warnings = append(warnings, err) }}
	evs, err := s.Snapshot(42)
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	for _, e := range evs {
		if e.Time != 42 {
			t.Fatalf("event %v: time %d, want the snapshot time 42", e, e.Time)
		}
	}
	return evs, s, warnings
}

func byType(evs []*event.Event, typ event.Type) []*event.Event {
	var out []*event.Event
	for _, e := range evs {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

func cgroupPaths(evs []*event.Event) map[uint64]string {
	m := make(map[uint64]string)
	for _, e := range byType(evs, event.TypeCgroupInfo) {
		m[e.Uint(0)] = string(e.Bytes(1))
	}
	return m
}

func TestSnapshotOfAFakeTreeDescribesEveryThread(t *testing.T) {
	evs, _, _ := fakeSnapshot(t, false)
	var got []procRow
	cg := cgroupPaths(evs)
	for _, e := range byType(evs, event.TypeProcInfo) {
		got = append(got, procRowOf(e, cg))
	}
	const host, hostPid = 4026531840, 4026531836
	const unset = 4294967295
	want := []procRow{
		{TID: 1, PID: 1, PPID: 0, Comm: "systemd", Exe: "/usr/lib/systemd/systemd", Argv: "/sbin/init|splash|", Cwd: "/",
			LoginUID: unset, CapEff: 0x1ffffffffff, SID: 1, PGID: 1, VTID: 1, VPID: 1, StartTicks: 2, PStartTicks: 2,
			Cgroup: "/init.scope", NetNS: host, PidNS: hostPid, Flags: 4194560, Replay: "suid=0 sgid=0 fsuid=0 fsgid=0 cap_inheritable=0"},
		{TID: 2, PID: 2, Comm: "kthreadd", LoginUID: unset, CapEff: 0x1ffffffffff, VTID: 2, VPID: 2,
			StartTicks: 2, PStartTicks: 2, Cgroup: "/", NetNS: host, PidNS: hostPid, Flags: 0x208040, Replay: "suid=0 sgid=0 fsuid=0 fsgid=0 cap_inheritable=0"},
		{TID: 100, PID: 100, PPID: 1, Comm: "sshd", Exe: "/usr/sbin/sshd", Cwd: "/",
			Argv: "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups|", LoginUID: unset, CapEff: 0x1ffffffffff,
			SID: 100, PGID: 100, VTID: 100, VPID: 100, StartTicks: 812, PStartTicks: 812,
			Cgroup: "/system.slice/ssh.service", NetNS: host, PidNS: hostPid, Flags: 4194560, Replay: "suid=0 sgid=0 fsuid=0 fsgid=0 cap_inheritable=0"},
		{TID: 200, PID: 200, PPID: 100, Comm: "sshd", Exe: "/usr/sbin/sshd", Cwd: "/home/alice", Argv: "sshd: alice [priv]|",
			UID: 1000, EUID: 1000, GID: 1000, EGID: 1000, LoginUID: 1000, TTY: 34816, SID: 200, PGID: 200,
			VTID: 200, VPID: 200, StartTicks: 90210, PStartTicks: 90210,
			Cgroup: "/user.slice/user-1000.slice/session-3.scope", NetNS: host, PidNS: hostPid, Flags: 4194560, Replay: "suid=1000 sgid=1000 fsuid=1000 fsgid=1000 cap_inheritable=0"},
		{TID: 300, PID: 300, PPID: 200, Comm: "curl", Exe: "/usr/bin/curl", Cwd: "/home/alice", Argv: "curl|-s|https://example.com/|",
			UID: 1000, EUID: 1000, GID: 1000, EGID: 1000, LoginUID: 1000, TTY: 34816, SID: 200, PGID: 300,
			VTID: 300, VPID: 300, StartTicks: 91000, PStartTicks: 91000,
			Cgroup: "/user.slice/user-1000.slice/session-3.scope", NetNS: host, PidNS: hostPid, Flags: 4194304, Replay: "suid=0 sgid=1000 fsuid=1000 fsgid=1000 cap_inheritable=0"},
		{TID: 400, PID: 400, PPID: 380, Comm: "payload", Exe: "/usr/bin/payload (deleted)", Cwd: "/srv",
			Argv: "/usr/bin/payload|--serve|", LoginUID: unset, CapEff: 0xa80425fb, SID: 400, PGID: 400, VTID: 1, VPID: 1,
			StartTicks: 95000, PStartTicks: 95000, Cgroup: "/system.slice/docker-" + fakeDocker + ".scope",
			NetNS: 4026532300, PidNS: 4026532301, Flags: 4194560, Replay: "suid=0 sgid=0 fsuid=0 fsgid=0 cap_inheritable=1024"},
		{TID: 401, PID: 400, PPID: 380, Comm: "worker", Exe: "/usr/bin/payload (deleted)", Cwd: "/srv",
			Argv: "/usr/bin/payload|--serve|", LoginUID: unset, CapEff: 0xa80425fb, SID: 400, PGID: 400, VTID: 2, VPID: 1,
			StartTicks: 95002, PStartTicks: 95000, Cgroup: "/system.slice/docker-" + fakeDocker + ".scope",
			NetNS: 4026532300, PidNS: 4026532301, Flags: 4194624, Replay: "suid=0 sgid=0 fsuid=0 fsgid=0 cap_inheritable=1024"},
		{TID: 500, PID: 500, PPID: 1, Comm: "a) b (c", Exe: "/usr/bin/weird", Cwd: "/", Argv: "weird|", LoginUID: unset,
			SID: 500, PGID: 500, VTID: 500, VPID: 500, StartTicks: 99000, PStartTicks: 99000,
			Cgroup: "/system.slice/weird.service", NetNS: host, PidNS: hostPid, Flags: 4194560, Replay: "suid=0 sgid=0 fsuid=0 fsgid=0 cap_inheritable=0"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("procinfo events (-want +got):\n%s", diff)
	}
}

func TestSnapshotOfAFakeTreeDescribesEveryFD(t *testing.T) {
	evs, _, _ := fakeSnapshot(t, false)
	var got []fdRow
	for _, e := range byType(evs, event.TypeFDInfo) {
		got = append(got, fdRowOf(e))
	}
	none, ip := "NULL", "IPPROTO_IP"
	want := []fdRow{
		{1, 0, "file", "O_RDWR|O_LARGEFILE", "/var/lib/syscam-fake/state", none, none, ip, "unknown", 5},
		{1, 3, "eventpoll", "O_RDWR|O_CLOEXEC", "anon_inode:[eventpoll]", none, none, ip, "unknown", 1038},
		{1, 4, "unix", "O_RDWR|O_CLOEXEC", "/run/systemd/private", "/run/systemd/private", none, ip, "server", 2001},
		{1, 5, "inotify", "O_RDONLY|O_NONBLOCK|O_CLOEXEC", "anon_inode:inotify", none, none, ip, "unknown", 1038},
		{1, 6, "signalfd", "O_RDWR|O_NONBLOCK|O_CLOEXEC", "anon_inode:[signalfd]", none, none, ip, "unknown", 1038},
		{1, 7, "timerfd", "O_RDWR|O_NONBLOCK|O_CLOEXEC", "anon_inode:[timerfd]", none, none, ip, "unknown", 1038},
		{1, 8, "netlink", "O_RDWR|O_NONBLOCK|O_CLOEXEC", "", none, none, ip, "unknown", 2002},
		{1, 9, "unix", "O_RDWR|O_NONBLOCK|O_CLOEXEC", "/run/systemd/private", "/run/systemd/private", none, ip, "server", 2003},
		{100, 3, "ipv4", "O_RDWR|O_CLOEXEC", "0.0.0.0:22", "0.0.0.0:22", none, "IPPROTO_TCP", "server", 3001},
		{100, 4, "ipv6", "O_RDWR|O_CLOEXEC", "[::]:22", "[::]:22", none, "IPPROTO_TCP", "server", 3002},
		{200, 3, "ipv4", "O_RDWR|O_NONBLOCK|O_CLOEXEC", "10.0.0.9:51202->10.0.0.5:22", "10.0.0.5:22", "10.0.0.9:51202", "IPPROTO_TCP", "server", 3003},
		{200, 4, "unix", "O_RDWR|O_NONBLOCK|O_CLOEXEC", "", none, none, ip, "client", 2004},
		{300, 3, "ipv4", "O_RDWR|O_NONBLOCK|O_CLOEXEC", "10.0.0.5:40000->93.184.216.34:443", "10.0.0.5:40000", "93.184.216.34:443", "IPPROTO_TCP", "client", 3004},
		{300, 4, "file", "O_RDWR|O_LARGEFILE", "/home/alice/.cache/x.tmp (deleted)", none, none, ip, "unknown", 77001},
		{400, 0, "pipe", "O_RDONLY", "pipe:[5001]", none, none, ip, "unknown", 5001},
		{400, 3, "memfd", "O_RDWR|O_CLOEXEC", "memfd:payload", none, none, ip, "unknown", 5002},
		{400, 4, "event", "O_RDWR|O_CLOEXEC", "anon_inode:[eventfd]", none, none, ip, "unknown", 1038},
		{400, 5, "pidfd", "O_RDWR|O_CLOEXEC", "anon_inode:[pidfd]", none, none, ip, "unknown", 1038},
		{400, 6, "io_uring", "O_RDWR|O_CLOEXEC", "anon_inode:[io_uring]", none, none, ip, "unknown", 1038},
		{400, 7, "bpf", "O_RDWR|O_CLOEXEC", "anon_inode:bpf-map", none, none, ip, "unknown", 1038},
		{400, 8, "userfaultfd", "O_RDWR|O_CLOEXEC", "anon_inode:[userfaultfd]", none, none, ip, "unknown", 1038},
		{400, 9, "ipv4", "O_RDWR|O_CLOEXEC", "0.0.0.0:80", "0.0.0.0:80", none, "IPPROTO_TCP", "server", 4001},
		{400, 10, "ipv4", "O_RDWR|O_NONBLOCK|O_CLOEXEC", "0.0.0.0:53", "0.0.0.0:53", none, "IPPROTO_UDP", "unknown", 4002},
		{400, 11, "socket", "O_RDWR|O_CLOEXEC", "socket:[4999]", none, none, ip, "unknown", 4999},
		{400, 12, "unknown", "O_RDONLY|O_LARGEFILE", "net:[4026531840]", none, none, ip, "unknown", 4026531840},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("fdinfo events (-want +got):\n%s", diff)
	}
}

func TestSnapshotOfAFakeTreeDescribesUsersGroupsCgroupsAndContainers(t *testing.T) {
	evs, _, _ := fakeSnapshot(t, false)
	var got []string
	for _, e := range evs {
		switch e.Type {
		case event.TypeUserInfo, event.TypeGroupInfo, event.TypeContainerInfo:
			got = append(got, e.Name()+" "+string(e.AppendArgs(nil)))
		case event.TypeCgroupInfo:
			got = append(got, e.Name()+" path="+string(e.Bytes(1)))
		}
	}
	want := []string{
		"userinfo uid=0 gid=0 name=root home=/root shell=/bin/bash",
		"userinfo uid=105 gid=65534 name=sshd home=/run/sshd shell=/usr/sbin/nologin",
		"userinfo uid=1000 gid=1000 name=alice home=/home/alice shell=/bin/zsh",
		"groupinfo gid=0 name=root",
		"groupinfo gid=27 name=sudo",
		"groupinfo gid=1000 name=alice",
		"cgroupinfo path=/init.scope",
		"cgroupinfo path=/",
		"cgroupinfo path=/system.slice/ssh.service",
		"cgroupinfo path=/user.slice/user-1000.slice/session-3.scope",
		"cgroupinfo path=/system.slice/docker-" + fakeDocker + ".scope",
		"containerinfo id=" + fakeDocker + " runtime=docker name=shop-web image=registry.example.com/shop/web:1.4.2 cgroup=/system.slice/docker-" + fakeDocker + ".scope",
		"cgroupinfo path=/system.slice/weird.service",
		"cgroupinfo path=/system.slice/broken.service",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("account and cgroup events (-want +got):\n%s", diff)
	}
}

func TestSnapshotCgroupIDsAreTheInodesOfTheCgroupDirectories(t *testing.T) {
	root := fakeCgroups(t)
	s := &Snapshotter{ProcRoot: "testdata/proc", EtcRoot: "testdata/etc", CgroupRoot: root}
	evs, err := s.Snapshot(1)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range byType(evs, event.TypeCgroupInfo) {
		fi, err := os.Stat(filepath.Join(root, string(e.Bytes(1))))
		if err != nil {
			t.Fatal(err)
		}
		if ino := fi.Sys().(*syscall.Stat_t).Ino; e.Uint(0) != ino {
			t.Errorf("cgroup %s: id %d, want its directory's inode %d", e.Bytes(1), e.Uint(0), ino)
		}
	}
}

func TestSnapshotWarnsAboutBadFilesAndCountsVanishedProcesses(t *testing.T) {
	_, s, warnings := fakeSnapshot(t, false)
	var got []string
	for _, w := range warnings {
		got = append(got, w.Error())
	}
	want := []string{
		"parse testdata/etc/passwd: line 5: want 7 colon-separated fields, got 1",
		"read thread testdata/proc/600/task/600: parse status: field Tgid, Pid, PPid, Uid or Gid: missing",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	if !errors.Is(warnings[1], errProcFormat) {
		t.Errorf("a status parse error does not wrap errProcFormat: %v", warnings[1])
	}
	wantStats := SnapshotStats{Processes: 7, Threads: 8, FDs: 25, Sockets: 10, Users: 3, Groups: 3,
		Cgroups: 7, Containers: 1, Vanished: 1, Warnings: 2}
	if diff := cmp.Diff(wantStats, s.Stats()); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
}

func TestSnapshotKeepsEnvironmentsOnlyWhenAsked(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  bool
		want string
	}{
		{"off by default", false, ""},
		{"on when asked", true, "HOME=/home/alice\x00API_TOKEN=hunter2\x00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			evs, _, _ := fakeSnapshot(t, tc.env)
			for _, e := range byType(evs, event.TypeProcInfo) {
				if e.TID == 300 {
					if got := string(e.Bytes(4)); got != tc.want {
						t.Errorf("env of pid 300 = %q, want %q", got, tc.want)
					}
					return
				}
			}
			t.Fatal("no procinfo for pid 300")
		})
	}
}

func TestSnapshotCutsLongArgvAtAnItemBoundary(t *testing.T) {
	s := &Snapshotter{ProcRoot: "testdata/proc", EtcRoot: "testdata/etc", CgroupRoot: fakeCgroups(t), MaxArgs: 20}
	evs, err := s.Snapshot(1)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range byType(evs, event.TypeProcInfo) {
		if e.TID != 300 {
			continue
		}
		if got, want := string(e.Bytes(3)), "curl\x00-s\x00"; got != want {
			t.Errorf("argv cut to 20 bytes = %q, want %q", got, want)
		}
		if e.Flags&event.FlagTruncated == 0 {
			t.Error("a cut argv does not set FlagTruncated")
		}
		return
	}
	t.Fatal("no procinfo for pid 300")
}

func TestSnapshotOfAMissingRootFails(t *testing.T) {
	s := &Snapshotter{ProcRoot: filepath.Join(t.TempDir(), "nothing")}
	_, err := s.Snapshot(1)
	if !errors.Is(err, syscall.ENOENT) || !strings.Contains(err.Error(), "open proc root") {
		t.Errorf("Snapshot of a missing root: %v, want an ENOENT naming the proc root", err)
	}
}

func TestSnapshotTakesBootTimeFromProcStatWhenNotGiven(t *testing.T) {
	evs, _, _ := fakeSnapshot(t, false)
	e := byType(evs, event.TypeProcInfo)[0]
	if got, want := e.Int(18), fakeBoot+2*int64(1e9/clockTicks); got != want {
		t.Errorf("start time of pid 1 = %d, want btime + 2 ticks = %d", got, want)
	}
}

func TestFindCgroup2RootReadsMountinfo(t *testing.T) {
	got, err := FindCgroup2Root("testdata/proc")
	if err != nil || got != "/sys/fs/cgroup" {
		t.Errorf("FindCgroup2Root(testdata/proc) = %q, %v; want /sys/fs/cgroup", got, err)
	}
	if _, err := FindCgroup2Root(t.TempDir()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("FindCgroup2Root of a tree without mountinfo: %v, want ErrNotExist", err)
	}
}

func TestSnapshotTeachesTheCgroupResolverWhatItMet(t *testing.T) {
	root := fakeCgroups(t)
	r := NewCgroupResolver(root)
	s := &Snapshotter{ProcRoot: "testdata/proc", EtcRoot: "testdata/etc", Cgroups: r}
	evs, err := s.Snapshot(1)
	if err != nil {
		t.Fatal(err)
	}
	r.Rewalk, r.lastWalk = time.Hour, time.Now() // answers must come from the cache
	for id, want := range cgroupPaths(evs) {
		if got, ok := r.Path(id); !ok || got != want {
			t.Errorf("resolver Path(%d) = %q, %v; want %q", id, got, ok, want)
		}
		if more := r.Announce(nil, 2, id); len(more) != 0 {
			t.Errorf("cgroup %s announced again after the snapshot: %v", want, more)
		}
	}
}

func TestSnapshotTeachesAResolverWithoutRootTheCgroupsItMet(t *testing.T) {
	root := fakeCgroups(t)
	r := NewCgroupResolver("")
	s := &Snapshotter{ProcRoot: "testdata/proc", EtcRoot: "testdata/etc", CgroupRoot: root, Cgroups: r}
	evs, err := s.Snapshot(1)
	if err != nil {
		t.Fatal(err)
	}
	r.Rewalk, r.lastWalk = time.Hour, time.Now()
	paths := cgroupPaths(evs)
	if len(paths) != 7 {
		t.Fatalf("%d cgroups in the snapshot, want 7", len(paths))
	}
	for id, want := range paths {
		if got, ok := r.Path(id); !ok || got != want {
			t.Errorf("resolver Path(%d) = %q, %v; want %q", id, got, ok, want)
		}
	}
}
