package capture

import (
	"bytes"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/event"
)

// wantErr checks that err contains want, or is nil when want is empty.
func wantErr(t *testing.T, err error, want string) bool {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return false
	}
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error = %v, want one containing %q", err, want)
	}
	return true
}

func TestParseStatReadsTheFieldsASnapshotKeeps(t *testing.T) {
	tail := " 4194560 120 0 3 0 5 2 0 0 20 0 1 0 1734 3133440 400\n"
	for _, tc := range []struct {
		name, in string
		want     procStat
		err      string
	}{
		{"a plain process", "8364 (cat) R 8354 8364 4472 34816 8364" + tail,
			procStat{PID: 8364, Comm: []byte("cat"), State: 'R', PPID: 8354, PGID: 8364, SID: 4472, TTY: 34816, Flags: 4194560, StartTicks: 1734}, ""},
		{"a comm with spaces and parentheses", "7 (a) b (c) S 1 7 7 0 -1" + tail,
			procStat{PID: 7, Comm: []byte("a) b (c"), State: 'S', PPID: 1, PGID: 7, SID: 7, Flags: 4194560, StartTicks: 1734}, ""},
		{"a comm holding a newline", "7 (evil\n1 (x) R) S 1 7 7 0 -1" + tail,
			procStat{PID: 7, Comm: []byte("evil\n1 (x) R"), State: 'S', PPID: 1, PGID: 7, SID: 7, Flags: 4194560, StartTicks: 1734}, ""},
		{"an empty comm", "7 () S 1 7 7 0 -1" + tail,
			procStat{PID: 7, Comm: []byte{}, State: 'S', PPID: 1, PGID: 7, SID: 7, Flags: 4194560, StartTicks: 1734}, ""},
		{"no parentheses", "7 cat S 1", procStat{}, "field comm: no parenthesised command name"},
		{"a bad pid", "x (cat) S 1 7 7 0 -1" + tail, procStat{}, "field pid: bad value"},
		{"a line cut short", "7 (cat) S 1 7 7", procStat{}, "field tty_nr: missing"},
		{"a bad ppid", "7 (cat) S one 7 7 0 -1" + tail, procStat{}, "field ppid: bad value"},
		{"a start time past 64 bits", "7 (cat) S 1 7 7 0 -1 4194560 120 0 3 0 5 2 0 0 20 0 1 0 99999999999999999999999 1 1\n", procStat{}, "field starttime: bad value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseStat([]byte(tc.in))
			if wantErr(t, err, tc.err) {
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("parseStat (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseStatusReadsIDsCredentialsCapabilitiesAndNamespacePids(t *testing.T) {
	base := "Name:\tx\nTgid:\t400\nPid:\t401\nPPid:\t1\nUid:\t1000\t1001\t1002\t1003\nGid:\t50\t51\t52\t53\n"
	for _, tc := range []struct {
		name, in string
		want     procStatus
		err      string
	}{
		{"no namespaces or capabilities", base,
			procStatus{Tgid: 400, PID: 401, PPID: 1, UID: 1000, EUID: 1001, SUID: 1002, FSUID: 1003, GID: 50, EGID: 51,
				SGID: 52, FSGID: 53, VTID: 401, VPID: 400, seen: statusRequired}, ""},
		{"nested pid namespaces", base + "NStgid:\t400\t20\t1\nNSpid:\t401\t21\t2\nCapInh:\t0000000000000020\nCapPrm:\t000001ffffffffff\nCapEff:\t0000000000000400\n",
			procStatus{Tgid: 400, PID: 401, PPID: 1, UID: 1000, EUID: 1001, SUID: 1002, FSUID: 1003, GID: 50, EGID: 51,
				SGID: 52, FSGID: 53, VTID: 2, VPID: 1, CapInh: 0x20, CapPrm: 0x1ffffffffff, CapEff: 0x400, seen: statusRequired}, ""},
		{"a missing Uid line", strings.Replace(base, "Uid:", "Xid:", 1), procStatus{}, "field Tgid, Pid, PPid, Uid or Gid: missing"},
		{"three uids", strings.Replace(base, "\t1003", "", 1), procStatus{}, "line 5: field Uid: want 4 ids"},
		{"a negative pid", strings.Replace(base, "Pid:\t401", "Pid:\t-4", 1), procStatus{}, "line 3: field Pid: bad value"},
		{"a bad capability", base + "CapEff:\tzz\n", procStatus{}, "line 7: field CapEff: bad hex value"},
		{"a capability past 64 bits", base + "CapEff:\t10000000000000000\n", procStatus{}, "field CapEff: bad hex value"},
		{"too many lines", strings.Repeat("X:\t1\n", maxStatusLines+1), procStatus{}, "more than 512 lines"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseStatus([]byte(tc.in))
			if wantErr(t, err, tc.err) {
				return
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(procStatus{})); diff != "" {
				t.Errorf("parseStatus (-want +got):\n%s", diff)
			}
		})
	}
}

func TestClassifyFDLinkNamesEveryKindOfTarget(t *testing.T) {
	for _, tc := range []struct {
		link string
		want fdLink
	}{
		{"/etc/passwd", fdLink{Type: fdFile, Name: []byte("/etc/passwd")}},
		{"/tmp/x (deleted)", fdLink{Type: fdFile, Name: []byte("/tmp/x (deleted)")}},
		{"/memfd:payload (deleted)", fdLink{Type: fdMemfd, Name: []byte("memfd:payload")}},
		{"/memfd: with spaces (deleted)", fdLink{Type: fdMemfd, Name: []byte("memfd: with spaces")}},
		{"socket:[12327]", fdLink{Type: fdSocket, Ino: 12327, Name: []byte("socket:[12327]")}},
		{"pipe:[41722]", fdLink{Type: fdPipe, Ino: 41722, Name: []byte("pipe:[41722]")}},
		{"pidfd:[1093]", fdLink{Type: fdPidfd, Ino: 1093, Name: []byte("pidfd:[1093]")}},
		{"net:[4026531833]", fdLink{Type: fdUnknown, Ino: 4026531833, Name: []byte("net:[4026531833]")}},
		{"anon_inode:[eventfd]", fdLink{Type: fdEvent, Name: []byte("anon_inode:[eventfd]")}},
		{"anon_inode:inotify", fdLink{Type: fdInotify, Name: []byte("anon_inode:inotify")}},
		{"anon_inode:[eventpoll]", fdLink{Type: fdEventpoll, Name: []byte("anon_inode:[eventpoll]")}},
		{"anon_inode:[signalfd]", fdLink{Type: fdSignalfd, Name: []byte("anon_inode:[signalfd]")}},
		{"anon_inode:[timerfd]", fdLink{Type: fdTimerfd, Name: []byte("anon_inode:[timerfd]")}},
		{"anon_inode:bpf-prog", fdLink{Type: fdBPF, Name: []byte("anon_inode:bpf-prog")}},
		{"anon_inode:bpf_link", fdLink{Type: fdBPF, Name: []byte("anon_inode:bpf_link")}},
		{"anon_inode:[io_uring]", fdLink{Type: fdIOUring, Name: []byte("anon_inode:[io_uring]")}},
		{"anon_inode:[pidfd]", fdLink{Type: fdPidfd, Name: []byte("anon_inode:[pidfd]")}},
		{"anon_inode:[userfaultfd]", fdLink{Type: fdUserfaultfd, Name: []byte("anon_inode:[userfaultfd]")}},
		{"anon_inode:[perf_event]", fdLink{Type: fdUnknown, Name: []byte("anon_inode:[perf_event]")}},
		{"socket:[notanumber]", fdLink{Type: fdUnknown, Name: []byte("socket:[notanumber]")}},
		{"", fdLink{Type: fdUnknown, Name: []byte("")}},
	} {
		t.Run(tc.link, func(t *testing.T) {
			got := classifyFDLink([]byte(tc.link))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("classifyFDLink(%q) is a %s (-want +got):\n%s", tc.link, fdTypeName(got.Type), diff)
			}
		})
	}
}

func TestParseFDInfoIgnoresTypeSpecificLines(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     fdInfo
		err      string
	}{
		{"a file", "pos:\t0\nflags:\t02100002\nmnt_id:\t24\nino:\t3\n", fdInfo{Flags: 0o2100002, MntID: 24, Ino: 3, HasIno: true}, ""},
		{"an old kernel without ino", "pos:\t10\nflags:\t00\nmnt_id:\t9\n", fdInfo{MntID: 9}, ""},
		{"inotify watches naming inodes", "pos:\t0\nflags:\t00\nmnt_id:\t17\nino:\t1038\ninotify wd:1 ino:7 sdev:fe00001 mask:fc6\n",
			fdInfo{MntID: 17, Ino: 1038, HasIno: true}, ""},
		{"no flags", "pos:\t0\nmnt_id:\t17\n", fdInfo{}, "field flags: missing"},
		{"non-octal flags", "pos:\t0\nflags:\t09\n", fdInfo{}, "line 2: field flags: bad value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseFDInfo([]byte(tc.in))
			if wantErr(t, err, tc.err) {
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("parseFDInfo (-want +got):\n%s", diff)
			}
		})
	}
}

const tcpHeader = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"

func TestParseNetInetDecodesAddressesInHostOrder(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		proto    uint8
		v6       bool
		want     map[uint64]sockInfo
		err      string
	}{
		{"a loopback listener", tcpHeader + "   0: 0100007F:D1CF 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12327 1 0 100 0 0 10 0\n",
			protoTCP, false, map[uint64]sockInfo{12327: {Type: fdIPv4, Proto: protoTCP, State: tcpListen, Listen: true,
				Local: netip.MustParseAddrPort("127.0.0.1:53711"), Remote: netip.MustParseAddrPort("0.0.0.0:0")}}, ""},
		{"an IPv6 connection", tcpHeader + "   0: 00000000000000000000000001000000:0016 0000000000000000FFFF00000900000A:C802 01 00000000:00000000 00:00000000 00000000     0        0 88 1\n",
			protoTCP, true, map[uint64]sockInfo{88: {Type: fdIPv6, Proto: protoTCP, State: 1,
				Local: netip.MustParseAddrPort("[::1]:22"), Remote: netip.MustParseAddrPort("[::ffff:10.0.0.9]:51202")}}, ""},
		{"IPv4 carried by an IPv6 socket", tcpHeader + "   0: 0000000000000000FFFF00000100007F:0016 0000000000000000FFFF00000900000A:C802 01 00000000:00000000 00:00000000 00000000     0        0 89 1\n",
			protoTCP, true, map[uint64]sockInfo{89: {Type: fdIPv4, Proto: protoTCP, State: 1,
				Local: netip.MustParseAddrPort("127.0.0.1:22"), Remote: netip.MustParseAddrPort("10.0.0.9:51202")}}, ""},
		{"a raw ICMP socket keeps its protocol", tcpHeader + "   1: 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 99 2\n",
			protoRaw, false, map[uint64]sockInfo{99: {Type: fdIPv4, Proto: 1, State: 7,
				Local: netip.MustParseAddrPort("0.0.0.0:0"), Remote: netip.MustParseAddrPort("0.0.0.0:0")}}, ""},
		{"a TIME_WAIT socket without inode is skipped", tcpHeader + "   0: 0100007F:D1CF 0100007F:0016 06 00000000:00000000 03:00001234 00000000     0        0 0 3\n",
			protoTCP, false, map[uint64]sockInfo{}, ""},
		{"a short address", tcpHeader + "   0: 0100007:D1CF 00000000:0000 0A 0:0 00:0 0 0 0 5\n", protoTCP, false, nil, "line 2: field local_address: bad address"},
		{"a bad port", tcpHeader + "   0: 0100007F:D1CFF 00000000:0000 0A 0:0 00:0 0 0 0 5\n", protoTCP, false, nil, "line 2: field local_address: bad port"},
		{"a missing inode", tcpHeader + "   0: 0100007F:D1CF 00000000:0000 0A 0:0 00:0 0 0 0\n", protoTCP, false, nil, "line 2: field inode: missing"},
		{"a line too long", tcpHeader + strings.Repeat("x", maxNetLine+1) + "\n", protoTCP, false, nil, "longer than 4096 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab := make(sockTable)
			err := parseNetInet(strings.NewReader(tc.in), tc.proto, tc.v6, tab)
			if wantErr(t, err, tc.err) {
				return
			}
			got := make(map[uint64]sockInfo)
			for ino, s := range tab {
				got[ino] = *s
			}
			if diff := cmp.Diff(tc.want, got, cmp.Comparer(func(a, b netip.AddrPort) bool { return a == b })); diff != "" {
				t.Errorf("parseNetInet (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseNetUnixAndNetlinkReadTheirTables(t *testing.T) {
	unix := "Num       RefCount Protocol Flags    Type St Inode Path\n" +
		"0000000009edab1e: 00000002 00000000 00010000 0001 01 12328 @abstract-x\n" +
		"0000000009edab1f: 00000003 00000000 00000000 0001 03 12329 /run/a path with spaces\n" +
		"0000000009edab20: 00000003 00000000 00000000 0002 01 12330\n"
	nl := "sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n" +
		"000000003fa58d12 9   1          00000000 0        0        0     2        0        4\n"
	tab := make(sockTable)
	if err := parseNetUnix(strings.NewReader(unix), tab); err != nil {
		t.Fatal(err)
	}
	if err := parseNetNetlink(strings.NewReader(nl), tab); err != nil {
		t.Fatal(err)
	}
	tab.assignRoles()
	got := make(map[uint64]sockInfo)
	for ino, s := range tab {
		got[ino] = *s
	}
	want := map[uint64]sockInfo{
		12328: {Type: fdUnix, State: 1, Path: []byte("\x00abstract-x"), Listen: true, Role: roleServer},
		12329: {Type: fdUnix, State: 3, Path: []byte("/run/a path with spaces"), Role: roleServer},
		12330: {Type: fdUnix, State: 1},
		4:     {Type: fdNetlink, Proto: 9},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.AddrPort) bool { return a == b })); diff != "" {
		t.Errorf("unix and netlink sockets (-want +got):\n%s", diff)
	}
	if err := parseNetUnix(strings.NewReader("h\n0: 1 2 zz 1 1 5\n"), tab); err == nil || !strings.Contains(err.Error(), "line 2: bad Flags, St or Inode") {
		t.Errorf("parseNetUnix of a bad line: %v", err)
	}
}

// TestParseNetUnixSurvivesAPathHoldingANewline binds a path whose newline splits its
// line: the sockets after it must still be read.
func TestParseNetUnixSurvivesAPathHoldingANewline(t *testing.T) {
	in := "Num       RefCount Protocol Flags    Type St Inode Path\n" +
		"0000000009edab1e: 00000002 00000000 00010000 0001 01 500 /tmp/evil\n" +
		"x\n" +
		"0000000009edab1f: 00000002 00000000 00010000 0001 01 501 /run/after.sock\n"
	tab := make(sockTable)
	err := parseNetUnix(strings.NewReader(in), tab)
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("error = %v, want one naming line 3", err)
	}
	if s := tab[501]; s == nil || string(s.Path) != "/run/after.sock" {
		t.Errorf("the socket after the split line = %+v, want /run/after.sock", s)
	}
	// A forged line claiming the inode of a TCP socket does not replace it.
	tab = sockTable{700: {Type: fdIPv4, Proto: protoTCP}}
	forged := "h\n0000000000000000: 00000002 00000000 00010000 0001 01 700 /run/fake.sock\n"
	if err := parseNetUnix(strings.NewReader(forged), tab); err == nil || tab[700].Type != fdIPv4 {
		t.Errorf("a forged unix line over a TCP inode: err %v, socket %+v", err, tab[700])
	}
}

func TestAssignRolesTellsServersFromClients(t *testing.T) {
	ap := netip.MustParseAddrPort
	tab := sockTable{
		1: {Type: fdIPv4, Proto: protoTCP, Listen: true, Local: ap("0.0.0.0:22")},
		2: {Type: fdIPv4, Proto: protoTCP, State: 1, Local: ap("10.0.0.5:22"), Remote: ap("10.0.0.9:5000")},
		3: {Type: fdIPv4, Proto: protoTCP, State: 1, Local: ap("10.0.0.5:40000"), Remote: ap("1.1.1.1:443")},
		4: {Type: fdIPv6, Proto: protoTCP, Listen: true, Local: ap("[::]:8080")},
		5: {Type: fdIPv6, Proto: protoTCP, State: 1, Local: ap("[::ffff:127.0.0.1]:8080"), Remote: ap("[::ffff:127.0.0.1]:3333")},
		6: {Type: fdIPv4, Proto: protoTCP, Listen: true, Local: ap("127.0.0.1:9000")},
		7: {Type: fdIPv4, Proto: protoTCP, State: 1, Local: ap("127.0.0.1:9000"), Remote: ap("127.0.0.1:4444")},
		8: {Type: fdIPv4, Proto: protoTCP, State: 1, Local: ap("127.0.0.1:4444"), Remote: ap("127.0.0.1:9000")},
		9: {Type: fdIPv4, Proto: protoUDP, State: 7, Local: ap("0.0.0.0:53")},
	}
	tab.assignRoles()
	got := make(map[uint64]uint8)
	for ino, s := range tab {
		got[ino] = s.Role
	}
	want := map[uint64]uint8{1: roleServer, 2: roleServer, 3: roleClient, 4: roleServer, 5: roleServer,
		6: roleServer, 7: roleServer, 8: roleClient, 9: roleUnknown}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("roles by inode (-want +got):\n%s", diff)
	}
}

func TestParseCgroup2MountFindsTheUnifiedHierarchy(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     string
		ok       bool
		err      string
	}{
		{"a unified host", "30 24 0:26 / /sys/fs/cgroup rw,nosuid shared:9 - cgroup2 cgroup2 rw\n", "/sys/fs/cgroup", true, ""},
		{"a hybrid host", "35 30 0:30 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n41 30 0:35 / /sys/fs/cgroup/unified rw shared:10 - cgroup2 cgroup2 rw\n",
			"/sys/fs/cgroup/unified", true, ""},
		{"an escaped mount point", "41 30 0:35 / /mnt/cg\\040v2 rw - cgroup2 cgroup2 rw\n", "/mnt/cg v2", true, ""},
		{"a namespaced mount is skipped", "41 30 0:35 /child /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", "", false, ""},
		{"a v1-only host", "35 30 0:30 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n", "", false, ""},
		{"no separator", "41 30 0:35 / /sys/fs/cgroup rw cgroup2 cgroup2 rw\n", "", false, "line 1: no \" - \" separator"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok, err := parseCgroup2Mount([]byte(tc.in))
			if wantErr(t, err, tc.err) {
				return
			}
			if got != tc.want || ok != tc.ok {
				t.Errorf("parseCgroup2Mount = %q, %v; want %q, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestParseBtimeFindsTheBootTime(t *testing.T) {
	got, err := parseBtime([]byte("cpu 1 2 3\nbtime 1764223712\nprocesses 9\n"))
	if err != nil || got != 1764223712 {
		t.Errorf("parseBtime = %d, %v; want 1764223712", got, err)
	}
	for _, in := range []string{"cpu 1\n", "btime soon\n"} {
		if _, err := parseBtime([]byte(in)); err == nil || !strings.Contains(err.Error(), "btime") {
			t.Errorf("parseBtime(%q) error = %v, want one naming btime", in, err)
		}
	}
}

func TestParsePasswdAndGroupSkipBadLinesAndSayWhich(t *testing.T) {
	users, err := parsePasswd([]byte("root:x:0:0:root:/root:/bin/bash\nbad\nbob:x:1:2:B:/home/bob:/bin/sh\nmallory:x:-1:0::/:/bin/sh\n"))
	want := []passwdUser{{0, 0, "root", "/root", "/bin/bash"}, {1, 2, "bob", "/home/bob", "/bin/sh"}}
	if diff := cmp.Diff(want, users); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
	if err == nil || err.Error() != "line 2: want 7 colon-separated fields, got 1 (and 1 more bad lines)" {
		t.Errorf("error = %v", err)
	}
	groups, err := parseGroup([]byte("root:x:0:\nwheel:x:10:alice,bob\nbad:x:zz:\n"))
	if diff := cmp.Diff([]passwdGroup{{0, "root"}, {10, "wheel"}}, groups); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	if err == nil || !strings.Contains(err.Error(), "line 3: field gid: bad value") {
		t.Errorf("error = %v", err)
	}
}

func TestParseNumbersRejectOverflowAndJunk(t *testing.T) {
	for _, tc := range []struct {
		in   string
		bits int
		ok   bool
	}{
		{"4294967295", 32, true}, {"4294967296", 32, false}, {"18446744073709551615", 64, true},
		{"18446744073709551616", 64, false}, {"", 64, false}, {"12a", 64, false}, {"-1", 64, false},
	} {
		if _, ok := parseDec([]byte(tc.in), tc.bits); ok != tc.ok {
			t.Errorf("parseDec(%q, %d) ok = %v, want %v", tc.in, tc.bits, ok, tc.ok)
		}
	}
	if v, ok := parseOct([]byte("1777777777777777777777")); !ok || v != 1<<64-1 {
		t.Errorf("parseOct(max) = %x, %v", v, ok)
	}
	if _, ok := parseOct([]byte("2000000000000000000000")); ok {
		t.Error("parseOct accepted a value past 64 bits")
	}
	if !bytes.Equal(unescapeOctal([]byte(`a\134b\040c\9`)), []byte(`a\b c\9`)) {
		t.Errorf("unescapeOctal = %q", unescapeOctal([]byte(`a\134b\040c\9`)))
	}
}

// fdTypeName returns the name of an fd type for test messages.
func fdTypeName(t uint64) string {
	return string(event.FDType.Append(nil, t))
}

func TestFDTypeConstantsMatchTheEventVocabulary(t *testing.T) {
	for v, want := range map[uint64]string{fdUnknown: "unknown", fdFile: "file", fdDirectory: "directory",
		fdIPv4: "ipv4", fdIPv6: "ipv6", fdUnix: "unix", fdPipe: "pipe", fdEvent: "event", fdSignalfd: "signalfd",
		fdEventpoll: "eventpoll", fdInotify: "inotify", fdTimerfd: "timerfd", fdNetlink: "netlink", fdMemfd: "memfd",
		fdBPF: "bpf", fdIOUring: "io_uring", fdPidfd: "pidfd", fdUserfaultfd: "userfaultfd", fdSocket: "socket",
		fdDevice: "device"} {
		if got := fdTypeName(v); got != want {
			t.Errorf("fd type %d is %q in event.FDType, want %q", v, got, want)
		}
	}
	for v, want := range map[uint64]string{roleUnknown: "unknown", roleClient: "client", roleServer: "server"} {
		if got := string(event.FDRole.Append(nil, v)); got != want {
			t.Errorf("role %d is %q in event.FDRole, want %q", v, got, want)
		}
	}
}
