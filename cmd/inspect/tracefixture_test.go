package main

import (
	"path/filepath"
	"testing"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/state"
	"github.com/syscam/syscam/state/statetest"
)

// fixtureStart is 2026-11-27T06:00:00Z: fixture times (in seconds) count from it.
const fixtureStart = int64(1795759200) * 1e9

// writeTrace writes a trace file from events in statetest notation: the snapshot
// records before the first other event form the initial state; with every > 0, a
// checkpoint made by a state.Engine follows every `every` events, as the recorder
// writes them.
func writeTrace(t testing.TB, text string, every int) string {
	t.Helper()
	evs, err := statetest.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		ev.Time += fixtureStart
		if ev.Type == event.TypeProcInfo {
			ev.SetInt(18, ev.Uint(18)+uint64(fixtureStart)) // start_time
		}
	}
	path := filepath.Join(t.TempDir(), "trace.syscam")
	w, err := format.Create(path, format.Header{Recorder: "test", Created: fixtureStart}, format.WriterOptions{BlockEvents: 4})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for n < len(evs) && event.Lookup(evs[n].Type).Category == event.CatState {
		n++
	}
	if err := w.WriteState(fixtureStart, evs[:n]); err != nil {
		t.Fatal(err)
	}
	e := state.New(state.Config{})
	e.Load(evs[:n])
	for i, ev := range evs[n:] {
		if err := w.Write(ev); err != nil {
			t.Fatal(err)
		}
		e.Apply(ev)
		next := n + i + 1
		if every > 0 && (i+1)%every == 0 && next < len(evs) && evs[next].Time > e.Now() {
			if err := w.WriteState(e.Now()+1, e.Checkpoint(nil)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// incident is a small capture: a login shell runs curl (which connects out and
// exits), a sleep killed by SIGKILL, and a container's nginx that accepts a
// connection; sshd existed before the capture.
const incident = `
0 0 userinfo uid=0 gid=0 name=root home=/root shell=/bin/bash
0 0 userinfo uid=1000 gid=1000 name=alice home=/home/alice shell=/bin/bash
0 0 cgroupinfo cgroup_id=9 path=/system.slice/docker-4f1c1e3a0b2d4c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6.scope
0 1 procinfo ppid=0 comm=systemd exepath=/usr/lib/systemd/systemd argv="/sbin/init splash" cwd=/ start_time=-3600 sid=1 pgid=1
0 100 procinfo ppid=1 comm=sshd exepath=/usr/sbin/sshd argv="sshd: /usr/sbin/sshd -D" cwd=/ start_time=-1800 sid=100 pgid=100
0 100 fdinfo fd=3 type=ipv4 local=0.0.0.0:22 proto=IPPROTO_TCP role=server
0 200 procinfo ppid=100 comm=bash exepath=/usr/bin/bash argv=-bash cwd=/home/alice uid=1000 gid=1000 euid=1000 egid=1000 loginuid=1000 start_time=-60 sid=200 pgid=200 tty=34816
0 200 fdinfo fd=0 type=file flags=O_RDWR name=/dev/pts/0
0 200 fdinfo fd=1 type=file flags=O_RDWR name=/dev/pts/0
0 200 fdinfo fd=2 type=file flags=O_RDWR name=/dev/pts/0
0 500 procinfo ppid=1 comm=containerd-shim exepath=/usr/bin/containerd-shim-runc-v2 argv="containerd-shim-runc-v2 -namespace moby" cwd=/ start_time=-600
1 200 procfork child_tid=300 child_pid=300 comm=bash
1.1 300 execve filename=/usr/bin/curl argv="curl -s https://example.org/install.sh" exepath=/usr/bin/curl cwd=/home/alice comm=curl ppid=200 uid=1000 gid=1000 euid=1000 egid=1000 loginuid=1000 sid=200 pgid=300 tty=34816
1.2 300 socket ret=3 domain=AF_INET type=SOCK_STREAM proto=0
1.3 300 connect ret=0 fd=3 addr=93.184.215.14:443 local=10.0.0.5:40022 remote=93.184.215.14:443
1.4 300 openat ret=4 dirfd=AT_FDCWD name=install.sh flags=O_WRONLY|O_CREAT|O_TRUNC
2 300 write ret=100 fd=4 size=100
2.5 300 procexit status=0
3 200 procfork child_tid=301 child_pid=301 comm=bash
3.1 301 execve filename=/bin/sleep argv="sleep 1000" exepath=/usr/bin/sleep cwd=/home/alice comm=sleep ppid=200 uid=1000 gid=1000 euid=1000 egid=1000 loginuid=1000 sid=200 pgid=301 tty=34816
4 500 procfork child_tid=600 child_pid=600 comm=containerd-shim
4.1 600 execve filename=/usr/sbin/nginx argv="nginx -g daemon off;" exepath=/usr/sbin/nginx cwd=/ comm=nginx ppid=500 cgroup_id=9 sid=600 pgid=600
4.2 600 socket ret=6 domain=AF_INET type=SOCK_STREAM proto=0
4.3 600 bind ret=0 fd=6 addr=0.0.0.0:80
4.4 600 listen ret=0 fd=6 backlog=511
5 600 accept4 ret=7 fd=6 flags=SOCK_CLOEXEC local=172.17.0.2:80 remote=172.17.0.1:51000
6 301 procexit sig=SIGKILL
7 200 read ret=1 fd=0 size=1
`
