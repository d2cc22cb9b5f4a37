package scap

import (
	"bytes"
	"net/netip"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestConcatenatedSectionsRestartTheState(t *testing.T) {
	// Two captures written one after the other (libsinsp's "concatenated scap files"):
	// the second section's process list arrives as state records in the stream, and
	// its threads' process ids come from it.
	var w capWriter
	w.shb(nil)
	w.plV9(Thread{TID: 10, PID: 10, Comm: "a", Exe: "a", LoginUID: 0xFFFFFFFF})
	w.ev(blkEVV2, t0+1, 10, 5, le64(0), le64(3)) // close exit
	w.shb(nil)
	w.plV9(Thread{TID: 21, PID: 20, Comm: "b", Exe: "b", LoginUID: 0xFFFFFFFF})
	w.ev(blkEVFV2, t0+2, 21, 5, le64(0), le64(4))
	r, err := NewReader(bytes.NewReader(w.bytes()), int64(w.b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	got, st := readAll(t, r, Filter{})
	want := []string{
		"1 1700000000000000001 cpu=1 tid=10 pid=10 < close res=0 fd=3",
		"2 1700000000000000001 cpu=0 tid=21 pid=20 < procinfo res=0 ppid=0 comm=b exepath=b argv=b env= cwd= uid=0 gid=0 euid=0 egid=0 loginuid=4294967295 cap_effective=0x0 cap_permitted=0x0 tty=0 sid=0 pgid=0 vtid=0 vpid=0 start_time=0 cgroup_id=0 pidns=0 mntns=0 netns=0 exe_ino=0 exe_dev=0 exe_mtime=0",
		"3 1700000000000000002 cpu=1 tid=21 pid=20 < close res=0 fd=4",
	}
	if d := cmp.Diff(want, render(got)); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
	if st.Sections != 2 {
		t.Errorf("sections: %d, want 2", st.Sections)
	}
}

func TestProbeTellsScapFromOtherFiles(t *testing.T) {
	synth := synthCapture()
	var pcapng capWriter // a pcapng section header followed by an interface description block
	pcapng.shb(nil)
	pcapng.block(1, make([]byte, 8))
	tests := []struct {
		name string
		in   []byte
		want bool
	}{
		{"a plain capture", synth, true},
		{"a gzip capture", gzipped(synth), true},
		{"a pcapng file", pcapng.bytes(), false},
		{"text", []byte("hello"), false},
		{"nothing", nil, false},
		// A capture cut short is still a capture, so that opening it names the damage.
		{"a gzip capture cut inside the gzip header", gzipped(synth)[:5], true},
		{"a gzip capture cut before anything inflates", gzipped(synth)[:12], true},
		{"a gzip capture cut inside the section header", gzipped(synth[:20]), true},
		{"a gzip capture cut after the section header", gzipped(synth[:30]), true},
		{"a plain capture cut inside the section header", synth[:20], true},
		{"gzip text cut short", gzipped([]byte("plain text in gzip, long enough"))[:25], false},
		{"plain bytes shorter than a block type", synth[:3], false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Probe(bytes.NewReader(tt.in), int64(len(tt.in))); got != tt.want {
				t.Errorf("Probe = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestOlderListLayouts(t *testing.T) {
	// IL v1 with a no-linkspeed IPv4 entry and an IPv6 entry; UL v1; a PL_V2 entry
	// (no sid, vpgid, exepath, env, vtid, cgroups or root).
	var s Section
	il := cat(le16(iiIPv4NoLinkSpeed), le16(4), []byte{10, 0, 0, 5}, []byte{255, 255, 255, 0}, []byte{10, 0, 0, 255}, []byte("eth0"),
		le16(iiIPv6), le16(2), netip.MustParseAddr("2001:db8::5").AsSlice(), make([]byte, 16), make([]byte, 16), le64(1000), []byte("lo"))
	if err := parseIfList(il, false, &s); err != nil {
		t.Fatal(err)
	}
	ul := cat([]byte{0}, le32(1000), le32(1000), lstr("alice"), lstr("/home/alice"), lstr("/bin/zsh"), []byte{1}, le32(27), lstr("sudo"))
	if err := parseUserList(ul, false, &s); err != nil {
		t.Fatal(err)
	}
	pl := cat(le64(5), le64(5), le64(1), lstr("cron"), lstr("/usr/sbin/cron"), lstr("-f\x00"), lstr("/"), le64(1024), le32(0),
		le32(0), le32(0), le32(100), le32(50), le32(0), le64(1), le64(2))
	ths, err := parseProcList(pl, 2)
	if err != nil {
		t.Fatal(err)
	}
	wantIfaces := []string{"eth0 10.0.0.5/255.255.255.0 speed 0", "lo 2001:db8::5/:: speed 1000"}
	var gotIfaces []string
	for _, i := range s.Ifaces {
		gotIfaces = append(gotIfaces, i.Name+" "+i.Addr.String()+"/"+i.Netmask.String()+" speed "+strconv.FormatUint(i.LinkSpeed, 10))
	}
	if d := cmp.Diff(wantIfaces, gotIfaces); d != "" {
		t.Errorf("interfaces (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]User{{UID: 1000, GID: 1000, Name: "alice", Home: "/home/alice", Shell: "/bin/zsh"}}, s.Users); d != "" {
		t.Errorf("users (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]Group{{GID: 27, Name: "sudo"}}, s.Groups); d != "" {
		t.Errorf("groups (-want +got):\n%s", d)
	}
	want := []Thread{{TID: 5, PID: 5, PTID: 1, Comm: "cron", Exe: "/usr/sbin/cron", Args: []string{"-f"}, Cwd: "/",
		FDLimit: 1024, VMSize: 100, VMRSS: 50, PFMajor: 1, PFMinor: 2, LoginUID: 0xFFFFFFFF}}
	if d := cmp.Diff(want, ths); d != "" {
		t.Errorf("threads (-want +got):\n%s", d)
	}
}
