package scap

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/event"
)

// sharedDir returns the folder of the shared real captures, ../shared/scap from the
// module root, or "" when it is absent.
func sharedDir() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
	d := filepath.Join(dir, "..", "shared", "scap")
	if _, err := os.Stat(d); err != nil {
		return ""
	}
	return d
}

// openShared opens a shared capture or skips the test when the folder is absent.
func openShared(t *testing.T, name string) *Reader {
	t.Helper()
	dir := sharedDir()
	if dir == "" {
		t.Skip("../shared/scap is absent: the real captures are not committed")
	}
	r, err := Open(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// fields renders the named parameters of e, plus its header as "tid", "pid", "res".
func fields(e *event.Event, names ...string) map[string]string {
	out := map[string]string{"type": e.Name(), "tid": fmt.Sprint(e.TID), "pid": fmt.Sprint(e.PID), "res": fmt.Sprint(e.Ret)}
	for _, n := range names {
		if i := e.Param(n); i >= 0 {
			out[n] = string(e.AppendParam(nil, i))
		}
	}
	return out
}

// find returns the events of type name (exits only) whose tid is tid (0: any).
func find(evs []*event.Event, name string, tid int32) []*event.Event {
	var out []*event.Event
	for _, e := range evs {
		if e.Name() == name && e.Flags&event.FlagEnter == 0 && (tid == 0 || e.TID == tid) {
			out = append(out, e)
		}
	}
	return out
}

// countTypes counts events by type name; enter-only events (calls that never
// returned) count as ">name".
func countTypes(evs []*event.Event) map[string]int {
	m := map[string]int{}
	for _, e := range evs {
		k := e.Name()
		if e.Flags&event.FlagEnter != 0 {
			k = ">" + k
		}
		m[k]++
	}
	return m
}

// How the expected values below were obtained: TestDump (go test -run TestDump -dump
// FILE) prints every block and raw event with its parameters decoded by the EVENTS.md
// table; the counts are the raw exit (or enter-only) events per id of that dump,
// mapped through plan.go by name (a scap generic event becomes the syscall of its
// nativeID, given on its enter event in these 2018 captures); the addresses were read
// byte by byte from the raw socktuples following FORMAT.md §7.3 (IPv6: family 0a,
// source address, source port little-endian, destination address, destination port),
// e.g. curl's HTTP connect tuple ends "...d29e 1491 2607f8b0...2004 5000": source port
// 0x9114 = 37140, destination port 0x0050 = 80.

// curlCounts holds the mapped event counts of curl_google.scap (and of its re-save
// with comments): 1536 raw events, of which 315 scap procinfo (CPU usage) and 25
// switch events have no syscam counterpart; 183 generic exits become the syscalls of
// their enter's nativeID (clock_gettime, mprotect, ...); the exit and exit_group of
// curl's two threads never return, so they are enter-only events.
var curlCounts = map[string]int{
	">exit": 1, ">exit_group": 1, "access": 39, "arch_prctl": 1, "brk": 4, "clock_gettime": 94,
	"clone": 2, "close": 54, "connect": 4, "execve": 1, "fcntl": 4, "fstat": 49, "futex": 2,
	"getpeername": 1, "getrlimit": 1, "getrusage": 1, "getsockname": 1, "getsockopt": 1,
	"gettimeofday": 1, "ioctl": 2, "madvise": 1, "mmap": 110, "mprotect": 78, "munmap": 5,
	"open": 48, "pipe": 1, "poll": 15, "procexit": 2, "procfork": 1, "read": 50, "recvfrom": 4,
	"rt_sigaction": 3, "rt_sigprocmask": 1, "sendto": 2, "set_robust_list": 2,
	"set_tid_address": 1, "setsockopt": 3, "socket": 5, "stat": 1, "write": 5,
}

func TestSharedCaptureCounts(t *testing.T) {
	tests := []struct {
		file       string
		counts     map[string]int
		raw        uint64
		unmapped   map[string]uint64
		stateKinds map[string]int // thread, fd, user and group entries of the header blocks
	}{
		{"curl_google.scap", curlCounts, 1536, map[string]uint64{"procinfo": 315, "switch": 25},
			map[string]int{"procinfo": 54, "fdinfo": 316, "userinfo": 31, "groupinfo": 55}},
		{"curl_google_comments.scap", curlCounts, 1536, map[string]uint64{"procinfo": 315, "switch": 25},
			map[string]int{"procinfo": 54, "fdinfo": 316, "userinfo": 31, "groupinfo": 55}},
		{"single_ipv6_conn.scap", map[string]int{"accept": 1, "bind": 2, "connect": 3, "listen": 1,
			"read": 2, "socket": 4, "write": 1}, 1728, map[string]uint64{"procinfo": 1700},
			map[string]int{"procinfo": 154, "fdinfo": 564, "userinfo": 42, "groupinfo": 72}},
		{"test_ipv6_client.scap", map[string]int{">exit_group": 1, "access": 3, "arch_prctl": 1,
			"brk": 1, "close": 2, "connect": 2, "execve": 1, "fstat": 2, "mmap": 7, "mprotect": 4,
			"munmap": 1, "open": 2, "procexit": 1, "read": 1, "sendto": 4, "socket": 1, "write": 1},
			326, map[string]uint64{"procinfo": 258, "switch": 1},
			map[string]int{"procinfo": 58, "fdinfo": 333, "userinfo": 31, "groupinfo": 55}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r := openShared(t, tt.file)
			evs, st := readAll(t, r, Filter{})
			if d := cmp.Diff(tt.counts, countTypes(evs)); d != "" {
				t.Errorf("events by type (-want +got):\n%s", d)
			}
			if st.Events != tt.raw {
				t.Errorf("raw events: %d, want %d", st.Events, tt.raw)
			}
			if d := cmp.Diff(tt.unmapped, st.Unmapped()); d != "" {
				t.Errorf("unmapped (-want +got):\n%s", d)
			}
			state, _ := r.InitialState()
			if d := cmp.Diff(tt.stateKinds, countTypes(state)); d != "" {
				t.Errorf("initial state (-want +got):\n%s", d)
			}
		})
	}
}

func TestCommentsCaptureMatchesItsOriginal(t *testing.T) {
	// curl_google_comments.scap is curl_google.scap re-saved by Wireshark's editcap:
	// the same events, plus pcapng options in the section header and after 3 events.
	a, _ := readAll(t, openShared(t, "curl_google.scap"), Filter{})
	rc := openShared(t, "curl_google_comments.scap")
	b, _ := readAll(t, rc, Filter{})
	if d := cmp.Diff(render(a), render(b)); d != "" {
		t.Errorf("events differ (-original +comments):\n%s", d)
	}
	s := rc.Section()
	want := []string{"File-level comment", "Editcap (Wireshark) 4.5.0 (v4.5.0rc0-1982-g9ef0fb979bd6)"}
	if d := cmp.Diff(want, append(s.Comments, s.UserAppl)); d != "" {
		t.Errorf("section options (-want +got):\n%s", d)
	}
}
