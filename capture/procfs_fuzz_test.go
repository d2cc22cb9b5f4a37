package capture

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syscam/syscam/event"
)

// The fuzz targets feed the /proc parsers arbitrary bytes: none may panic, and what
// they accept must hold their documented invariants. Seeds come from the fake tree in
// testdata/proc and the kept corpus in testdata/fuzz/FuzzXxx.

// addFiles seeds f with every file of the fake tree matching pattern.
func addFiles(f *testing.F, pattern string) {
	paths, _ := filepath.Glob(filepath.Join("testdata", pattern))
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
}

func FuzzParseStat(f *testing.F) {
	addFiles(f, "proc/*/task/*/stat")
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := parseStat(b)
		if err != nil {
			return
		}
		if st.PID <= 0 || len(st.Comm) > maxCommLen {
			t.Errorf("accepted pid %d, comm of %d bytes", st.PID, len(st.Comm))
		}
	})
}

func FuzzParseStatus(f *testing.F) {
	addFiles(f, "proc/*/task/*/status")
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := parseStatus(b)
		if err != nil {
			return
		}
		if st.seen&statusRequired != statusRequired || st.Tgid < 0 || st.PID < 0 || st.VTID < 0 {
			t.Errorf("accepted a status without its required fields: %+v", st)
		}
	})
}

func FuzzParseFDInfo(f *testing.F) {
	addFiles(f, "proc/*/fdinfo/*")
	f.Fuzz(func(t *testing.T, b []byte) {
		fi, err := parseFDInfo(b)
		if err == nil && fi.Ino != 0 && !fi.HasIno {
			t.Errorf("an inode without an ino line: %+v", fi)
		}
	})
}

func FuzzClassifyFDLink(f *testing.F) {
	for _, s := range []string{"/etc/passwd", "/memfd:x (deleted)", "socket:[1]", "pipe:[2]", "anon_inode:[eventfd]", "net:[3]", "pidfd:[4]"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		l := classifyFDLink(b)
		if l.Type > fdDevice {
			t.Errorf("type %d out of range", l.Type)
		}
		if l.Type == fdSocket && !bytes.HasPrefix(b, []byte("socket:[")) {
			t.Errorf("%q classified as a socket", b)
		}
	})
}

// FuzzParseNetTCP covers the inet tables; the first byte of the input picks IPv6 and
// the raw table's handling of ports.
func FuzzParseNetTCP(f *testing.F) {
	for _, name := range []string{"tcp", "tcp6", "udp"} {
		paths, _ := filepath.Glob(filepath.Join("testdata", "proc", "netns-*", name))
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(name == "tcp6", false, b)
			}
		}
	}
	f.Add(false, true, []byte(tcpHeader+"   1: 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 99 2\n"))
	f.Fuzz(func(t *testing.T, v6, raw bool, b []byte) {
		proto := uint8(protoTCP)
		if raw {
			proto = protoRaw
		}
		tab := make(sockTable)
		if err := parseNetInet(bytes.NewReader(b), proto, v6, tab); err != nil {
			return
		}
		tab.assignRoles()
		for ino, s := range tab {
			local, _ := sockAddrs(s)
			if sa, ok := event.ParseSockAddr(local); !ok || !sa.IsInet() || ino == 0 {
				t.Errorf("socket %d: local address %x does not decode", ino, local)
			}
			_ = s.appendName(nil)
		}
	})
}

func FuzzParseNetUnix(f *testing.F) {
	addFiles(f, "proc/netns-*/unix")
	addFiles(f, "proc/netns-*/netlink")
	f.Fuzz(func(t *testing.T, b []byte) {
		tab := make(sockTable)
		if parseNetUnix(bytes.NewReader(b), tab) == nil {
			tab.assignRoles()
			for _, s := range tab {
				_ = s.appendName(nil)
				sockAddrs(s)
			}
		}
		parseNetNetlink(bytes.NewReader(b), make(sockTable))
	})
}

func FuzzParseCgroupFile(f *testing.F) {
	addFiles(f, "proc/*/cgroup")
	f.Fuzz(func(t *testing.T, b []byte) {
		pc, err := parseCgroupFile(b)
		if err == nil && pc.HasV2 && (len(pc.V2) == 0 || pc.V2[0] != '/') {
			t.Errorf("accepted a v2 path %q", pc.V2)
		}
	})
}

func FuzzContainerFromCgroup(f *testing.F) {
	id := strings.Repeat("0123456789abcdef", 4)
	for _, p := range []string{"/system.slice/docker-" + id + ".scope", "/kubepods/besteffort/pod1/" + id, "/lxc.payload.web", "/"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, path string) {
		c, ok := ContainerFromCgroup(path)
		if ok && (c.ID == "" || c.Runtime == "" || !strings.Contains(path, c.ID)) {
			t.Errorf("ContainerFromCgroup(%q) = %+v", path, c)
		}
	})
}

func FuzzParseMountinfo(f *testing.F) {
	addFiles(f, "proc/self/mountinfo")
	f.Add([]byte("41 30 0:35 / /mnt/cg\\040v2 rw - cgroup2 cgroup2 rw\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		mp, ok, err := parseCgroup2Mount(b)
		if err == nil && ok && mp == "" {
			t.Error("found a cgroup2 mount at an empty path")
		}
	})
}

func FuzzParsePasswd(f *testing.F) {
	addFiles(f, "etc/*")
	f.Fuzz(func(t *testing.T, b []byte) {
		users, _ := parsePasswd(b)
		groups, _ := parseGroup(b)
		if n := bytes.Count(b, []byte("\n")) + 1; len(users) > n || len(groups) > n {
			t.Errorf("%d users and %d groups from %d lines", len(users), len(groups), n)
		}
	})
}

func FuzzParseBtime(f *testing.F) {
	addFiles(f, "proc/stat")
	f.Fuzz(func(t *testing.T, b []byte) {
		if v, err := parseBtime(b); err == nil && v < 0 {
			t.Errorf("negative boot time %d", v)
		}
	})
}

func FuzzParseUnixDiag(f *testing.F) {
	f.Add([]byte{})
	f.Add(append(make([]byte, 0, 64), 36, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		1, 1, 1, 0, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 2, 0, 200, 0, 0, 0))
	f.Fuzz(func(t *testing.T, b []byte) {
		d := newUnixDiag()
		d.parse(b)
		for ino, peer := range d.peers {
			if ino > 0xffffffff || peer == 0 {
				t.Errorf("peer %d of %d", peer, ino)
			}
		}
		for ino, s := range d.socks {
			if len(s.Path) > maxUnixName || s.Type != fdUnix {
				t.Errorf("socket %d: %+v", ino, s)
			}
		}
		d.addTo(make(sockTable))
	})
}
