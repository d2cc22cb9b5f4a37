package event

import (
	"net/netip"
	"strings"
	"testing"
)

func mustType(t testing.TB, name string) Type {
	t.Helper()
	typ, ok := ByName(name)
	if !ok {
		t.Fatalf("no event type %q", name)
	}
	return typ
}

func TestByteParamsSurviveBufferGrowth(t *testing.T) {
	var e Event
	e.Type = mustType(t, "renameat2")
	e.SetInt(0, uint64(0xffffff9c)) // AT_FDCWD as an int32 stored unsigned
	e.SetString(1, "/tmp/old")
	e.SetInt(2, 3)
	long := strings.Repeat("n", 5000) // forces the buffer to grow after param 1 was written
	e.SetString(3, long)
	if got := string(e.Bytes(1)); got != "/tmp/old" {
		t.Errorf("param 1 after growth = %q, want /tmp/old", got)
	}
	if got := string(e.Bytes(3)); got != long {
		t.Errorf("param 3 has %d bytes, want %d", len(got), len(long))
	}
	if e.NParams != 4 {
		t.Errorf("NParams = %d, want 4", e.NParams)
	}
}

func TestResetKeepsBufferAndClearsValues(t *testing.T) {
	var e Event
	e.Type = mustType(t, "openat")
	e.SetString(1, "/etc/passwd")
	capBefore := cap(e.buf)
	e.Reset()
	if e.NParams != 0 || e.Type != 0 || e.BufLen() != 0 {
		t.Errorf("after Reset: NParams=%d Type=%d BufLen=%d, want all zero", e.NParams, e.Type, e.BufLen())
	}
	if cap(e.buf) != capBefore {
		t.Errorf("Reset dropped the buffer: cap %d, want %d", cap(e.buf), capBefore)
	}
}

func TestCloneSharesNoMemory(t *testing.T) {
	var e Event
	e.Type = mustType(t, "openat")
	e.SetString(1, "/etc/shadow")
	c := e.Clone()
	e.Reset()
	e.Type = mustType(t, "openat")
	e.SetString(1, "/XXX/XXXXXX")
	if got := string(c.Bytes(1)); got != "/etc/shadow" {
		t.Errorf("clone changed with the original: %q", got)
	}
	var d Event
	d.CopyFrom(c)
	if !Equal(&d, c) {
		t.Errorf("CopyFrom: %v, want %v", &d, c)
	}
}

func TestAppendStringBuildsAList(t *testing.T) {
	var e Event
	e.Type = mustType(t, "execve")
	argv := e.Info().ParamIndex("argv")
	e.SetString(0, "/bin/sh")
	for _, a := range []string{"sh", "-c", "id"} {
		e.AppendString(argv, a)
	}
	var got []string
	Strings(e.Bytes(argv), func(b []byte) bool { got = append(got, string(b)); return true })
	if strings.Join(got, ",") != "sh,-c,id" {
		t.Errorf("argv items = %q, want sh,-c,id", got)
	}
	if s := string(AppendStrings(nil, e.Bytes(argv), ' ')); s != "sh -c id" {
		t.Errorf("AppendStrings = %q, want %q", s, "sh -c id")
	}
}

func TestAppendParam(t *testing.T) {
	inet := AppendSockAddrInet(nil, netip.MustParseAddrPort("10.1.2.3:8080"))
	inet6 := AppendSockAddrInet(nil, netip.MustParseAddrPort("[2001:db8::1]:443"))
	tests := []struct {
		name  string
		typ   string
		param string
		set   func(e *Event, i int)
		want  string
	}{
		{"open flags name the access mode and each bit", "openat", "flags",
			func(e *Event, i int) { e.SetInt(i, 0o2|0o100|0o2000000) }, "O_RDWR|O_CREAT|O_CLOEXEC"},
		{"read-only open shows O_RDONLY", "openat", "flags",
			func(e *Event, i int) { e.SetInt(i, 0) }, "O_RDONLY"},
		{"unknown flag bits show in hex", "mprotect", "prot",
			func(e *Event, i int) { e.SetInt(i, 4|0x100) }, "PROT_EXEC|0x100"},
		{"modes show in octal", "openat", "mode",
			func(e *Event, i int) { e.SetInt(i, 0o644) }, "0644"},
		{"signals show by name", "kill", "sig",
			func(e *Event, i int) { e.SetInt(i, 9) }, "SIGKILL"},
		{"enums show by name", "ptrace", "request",
			func(e *Event, i int) { e.SetInt(i, 16) }, "PTRACE_ATTACH"},
		{"unknown enum values show as numbers", "ptrace", "request",
			func(e *Event, i int) { e.SetInt(i, 999) }, "999"},
		{"negative fds stay negative", "openat", "dirfd",
			func(e *Event, i int) { v := int64(-100); e.SetInt(i, uint64(v)) }, "-100"},
		{"inet addresses show host:port", "connect", "addr",
			func(e *Event, i int) { e.SetBytes(i, inet, uint32(len(inet))) }, "10.1.2.3:8080"},
		{"inet6 addresses are bracketed", "connect", "addr",
			func(e *Event, i int) { e.SetBytes(i, inet6, uint32(len(inet6))) }, "[2001:db8::1]:443"},
		{"abstract unix names start with @", "connect", "addr",
			func(e *Event, i int) { e.SetBytes(i, AppendSockAddrUnix(nil, []byte("\x00dbus")), 6) }, "@dbus"},
		{"absent addresses show NULL", "connect", "addr",
			func(e *Event, i int) { e.SetBytes(i, nil, 0) }, "NULL"},
		{"buffers keep text and dot the rest", "write", "data",
			func(e *Event, i int) { e.SetBytes(i, []byte("GET /\r\n\x00é"), 9) }, "GET /.\n.é"},
		{"durations read as Go durations", "nanosleep", "duration",
			func(e *Event, i int) { e.SetInt(i, 1500000) }, "1.5ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e Event
			e.Type = mustType(t, tt.typ)
			i := e.Info().ParamIndex(tt.param)
			if i < 0 {
				t.Fatalf("%s has no parameter %q", tt.typ, tt.param)
			}
			for j := 0; j < i; j++ {
				e.SetInt(j, 0)
			}
			tt.set(&e, i)
			if got := string(e.AppendParam(nil, i)); got != tt.want {
				t.Errorf("AppendParam = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseSockAddrRejectsMalformed(t *testing.T) {
	for _, b := range [][]byte{nil, {AFInet, 0, 80, 1, 2, 3}, {AFInet6, 0, 80}} {
		if sa, ok := ParseSockAddr(b); ok {
			t.Errorf("ParseSockAddr(%x) = %+v, ok; want not ok", b, sa)
		}
	}
	sa, ok := ParseSockAddr(AppendSockAddrUnix(nil, []byte("/run/x.sock")))
	if !ok || sa.Family != AFUnix || string(sa.Path) != "/run/x.sock" {
		t.Errorf("unix sockaddr = %+v, %v", sa, ok)
	}
}

func TestFlagSetLookup(t *testing.T) {
	if v, ok := OpenFlags.Lookup("O_CREAT"); !ok || v != 0o100 {
		t.Errorf("Lookup(O_CREAT) = %o, %v", v, ok)
	}
	if v, ok := OpenFlags.Lookup("O_WRONLY"); !ok || v != 1 {
		t.Errorf("Lookup(O_WRONLY) = %d, %v", v, ok)
	}
	if _, ok := OpenFlags.Lookup("O_NOPE"); ok {
		t.Error("Lookup(O_NOPE) found a value")
	}
}

func TestFailedOnlyForSyscallErrors(t *testing.T) {
	e := Event{Type: mustType(t, "openat"), Ret: -2}
	if !e.Failed() {
		t.Error("openat returning -ENOENT is not Failed")
	}
	e = Event{Type: TypeProcExit, Ret: -2}
	if e.Failed() {
		t.Error("a procexit event counts as a failed syscall")
	}
	e = Event{Type: mustType(t, "mmap"), Ret: -4096 - 10}
	if e.Failed() {
		t.Error("an mmap address that looks negative counts as an error")
	}
}

func BenchmarkFillEvent(b *testing.B) {
	typ := mustType(b, "openat")
	var e Event
	path := []byte("/usr/lib/x86_64-linux-gnu/libc.so.6")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		e.Reset()
		e.Type, e.TID, e.PID, e.Time = typ, 100, 100, int64(i)
		e.SetInt(0, uint64(0xffffff9c))
		e.SetBytes(1, path, uint32(len(path)))
		e.SetInt(2, 0o2000000)
		e.SetInt(3, 0)
	}
}

func BenchmarkReadParams(b *testing.B) {
	var e Event
	e.Type = mustType(b, "openat")
	e.SetInt(0, 3)
	e.SetString(1, "/etc/passwd")
	e.SetInt(2, 0)
	b.ReportAllocs()
	n := 0
	for i := 0; i < b.N; i++ {
		in := e.Info()
		n += len(e.Bytes(in.ParamIndex("name"))) + int(e.Uint(2))
	}
	_ = n
}
