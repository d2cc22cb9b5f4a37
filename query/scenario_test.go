package query

import (
	"net/netip"
	"testing"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/state"
)

// base is the scenario's clock: 2024-05-01T12:00:00Z.
const base = int64(1714564800) * 1e9

// mkEvent builds an event of the named type, setting parameters by name in schema
// order: ints (int, int32, uint64...), strings, []string (string lists), []byte and
// netip.AddrPort (socket addresses).
func mkEvent(t testing.TB, name string, tid, pid int32, at int64, params map[string]any) *event.Event {
	t.Helper()
	typ, ok := event.ByName(name)
	if !ok {
		t.Fatalf("no event type %q", name)
	}
	e := &event.Event{Type: typ, TID: tid, PID: pid, Time: at}
	info := event.Lookup(typ)
	for i, pi := range info.Params {
		v, ok := params[pi.Name]
		if !ok {
			continue
		}
		setParam(t, e, i, v)
		delete(params, pi.Name)
	}
	for k := range params {
		t.Fatalf("%s has no parameter %q", name, k)
	}
	return e
}

func setParam(t testing.TB, e *event.Event, i int, v any) {
	switch v := v.(type) {
	case int:
		e.SetInt(i, uint64(v))
	case int64:
		e.SetInt(i, uint64(v))
	case uint64:
		e.SetInt(i, v)
	case string:
		e.SetString(i, v)
	case []byte:
		e.SetBytes(i, v, uint32(len(v)))
	case []string:
		for _, s := range v {
			e.AppendString(i, s)
		}
	case netip.AddrPort:
		e.SetBytes(i, event.AppendSockAddrInet(nil, v), 0)
	default:
		t.Fatalf("parameter %d: unsupported value %T", i, v)
	}
}

// scenario is a small replayed host: systemd → sshd → bash (alice) → curl, with
// curl holding /etc/passwd on fd 3 and an HTTPS connection on fd 4.
type scenario struct {
	views map[string]state.View
}

func newScenario(t testing.TB) *scenario {
	t.Helper()
	eng := state.New(state.Config{})
	eng.Load([]*event.Event{
		mkEvent(t, "userinfo", 0, 0, 0, map[string]any{"uid": 0, "gid": 0, "name": "root", "home": "/root", "shell": "/bin/bash"}),
		mkEvent(t, "userinfo", 0, 0, 0, map[string]any{"uid": 1000, "gid": 1000, "name": "alice", "home": "/home/alice", "shell": "/bin/zsh"}),
		mkEvent(t, "groupinfo", 0, 0, 0, map[string]any{"gid": 1000, "name": "staff"}),
		proc(t, 1, 0, "systemd", []string{"/sbin/init"}, 0, base-9e9),
		proc(t, 100, 1, "sshd", []string{"sshd", "-D"}, 0, base-8e9),
		proc(t, 200, 100, "bash", []string{"-bash"}, 1000, base-7e9),
		proc(t, 300, 200, "curl", []string{"curl", "-s", "https://example.com/"}, 1000, base-6e9),
		mkEvent(t, "fdinfo", 300, 300, 0, map[string]any{"fd": 3, "type": 1, "flags": 0, "name": "/etc/passwd"}),
		mkEvent(t, "fdinfo", 300, 300, 0, map[string]any{"fd": 4, "type": 3, "proto": 6, "role": 1,
			"local":  netip.MustParseAddrPort("10.0.0.5:40000"),
			"remote": netip.MustParseAddrPort("93.184.216.34:443")}),
	})
	s := &scenario{views: map[string]state.View{}}
	apply := func(key string, e *event.Event) {
		e.Num = uint64(len(s.views) + 1)
		s.views[key] = *eng.Apply(e)
	}
	open := mkEvent(t, "openat", 300, 300, base, map[string]any{"dirfd": -100, "name": "/etc/shadow", "flags": 0, "mode": 0})
	open.Ret, open.Latency, open.CPU = 5, 1500, 1
	apply("open", open)
	read := mkEvent(t, "read", 300, 300, base+1e9, map[string]any{"fd": 4, "data": []byte("HTTP/1.1 200 OK\r\n\x00\xff"), "size": 4096})
	read.Ret = 19
	apply("read", read)
	fail := mkEvent(t, "openat", 300, 300, base+2e9, map[string]any{"dirfd": -100, "name": "secret.txt", "flags": 0o1101, "mode": 0o755})
	fail.Ret = -13
	apply("failed open", fail)
	pid := mkEvent(t, "getpid", 300, 300, base+3e9, nil)
	pid.Ret = 300
	apply("getpid", pid)
	ren := mkEvent(t, "renameat", 300, 300, base+3.5e9, map[string]any{"olddirfd": -100, "oldpath": "../alice/a.txt", "newdirfd": -100, "newpath": "/tmp/b.txt"})
	apply("rename", ren)
	sym := mkEvent(t, "symlinkat", 300, 300, base+3.6e9, map[string]any{"target": "../etc/passwd", "newdirfd": -100, "linkpath": "pw"})
	apply("symlink", sym)
	enter := mkEvent(t, "accept", 100, 100, base+4e9, map[string]any{"fd": 3})
	enter.Flags = event.FlagEnter
	apply("enter", enter)
	return s
}

func proc(t testing.TB, pid, ppid int32, comm string, argv []string, uid int, start int64) *event.Event {
	return mkEvent(t, "procinfo", pid, pid, 0, map[string]any{
		"ppid": int(ppid), "comm": comm, "exepath": "/usr/bin/" + comm, "argv": argv,
		"cwd": "/home/alice", "uid": uid, "gid": uid, "euid": uid, "egid": uid, "loginuid": uid,
		"cap_effective": uint64(1<<21 | 1), "cap_permitted": uint64(1<<21 | 1), "tty": 34816,
		"sid": int(pid), "pgid": int(pid), "start_time": start, "exe": "/usr/bin/" + comm,
	})
}

// input returns an Input for the scenario's event key; with noState, a bare event.
func (s *scenario) input(t testing.TB, key string, noState bool) *Input {
	t.Helper()
	v, ok := s.views[key]
	if !ok {
		t.Fatalf("no scenario event %q", key)
	}
	in := &Input{Event: v.Event, Start: base - 1e9}
	if !noState {
		in.View = &v
	}
	return in
}
