package main

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fileless: python writes an ELF into a memfd, forks, and the child executes it
// through /proc/self/fd/3, renaming itself as a kernel thread.
const fileless = `
0 1 procinfo ppid=0 comm=systemd exepath=/usr/lib/systemd/systemd argv=/sbin/init cwd=/ start_time=-3600
0 900 procinfo ppid=1 comm=python3 exepath=/usr/bin/python3 argv="python3 -c ..." cwd=/root start_time=-60
1 900 memfd_create ret=3 name=kworker flags=0
1.1 900 write ret=14480 fd=3 data=ELF size=14480
1.2 900 procfork child_tid=901 child_pid=901 comm=python3
1.3 901 execve ret=0 filename=/proc/self/fd/3 argv=[kworker/0:1] exepath=/ comm=3
1.4 901 getpid ret=901
1.5 900 getpid ret=900
2 900 execve ret=0 filename=/usr/bin/id argv=id exepath=/usr/bin/id comm=id
`

// TestEventsFindFilelessExecutionByItself checks that proc.is_exe_from_memfd works
// as the only field of a filter: the scan must then replay the fd tables, or the
// memfd the executable came from is unknown and nothing matches.
func TestEventsFindFilelessExecutionByItself(t *testing.T) {
	path := writeTrace(t, fileless, 0)
	for _, tc := range []struct {
		filter string
		want   []string
	}{
		{"proc.is_exe_from_memfd = true", []string{"901 execve /proc/self/fd/3", "901 getpid /proc/self/fd/3"}},
		{"proc.is_exe_from_memfd = true and evt.type = execve", []string{"901 execve /proc/self/fd/3"}},
		{"proc.is_exe_from_memfd = false and evt.type in (execve, getpid)", []string{"900 getpid python3", "900 execve /usr/bin/id"}},
	} {
		t.Run(tc.filter, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := []string{"events", "-f", tc.filter, "-p", "%proc.pid %evt.type %proc.exe", path}
			if err := run(args, &stdout, &stderr); err != nil {
				t.Fatalf("run: %v\nstderr: %s", err, stderr.String())
			}
			if diff := cmp.Diff(tc.want, outLines(stdout.String())); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

// credChanges: a root shell drops to www-data and hands a file to nobody, with ids the
// trace's passwd and group records name and one they do not.
const credChanges = `
0 0 userinfo uid=0 gid=0 name=root home=/root shell=/bin/bash
0 0 userinfo uid=33 gid=33 name=www-data home=/var/www shell=/usr/sbin/nologin
0 0 userinfo uid=65534 gid=65534 name=nobody home=/nonexistent shell=/usr/sbin/nologin
0 0 groupinfo gid=33 name=www-data
0 1 procinfo ppid=0 comm=systemd exepath=/usr/lib/systemd/systemd argv=/sbin/init cwd=/ start_time=-3600
0 700 procinfo ppid=1 comm=bash exepath=/usr/bin/bash argv=-bash cwd=/root start_time=-60
1 700 chown ret=0 path=/tmp/f uid=65534 gid=33
2 700 chown ret=0 path=/tmp/g uid=4242 gid=4242
3 700 setresuid ret=0 ruid=-1 euid=33 suid=-1
4 700 setuid ret=0 uid=33
`

// TestEventsNameUIDArguments checks that evt.arg of a uid or gid parameter is the
// user or group name, as Falco prints it, even when it is the filter's only field
// (the scan must then replay the passwd records); evt.rawarg stays the number.
func TestEventsNameUIDArguments(t *testing.T) {
	path := writeTrace(t, credChanges, 0)
	for _, tc := range []struct {
		filter, format string
		want           []string
	}{
		{"evt.arg.uid = nobody", "%evt.type %evt.arg.uid %evt.arg.gid %evt.rawarg.uid", []string{"chown nobody www-data 65534"}},
		{"evt.type = chown", "%evt.arg.uid %evt.arg.gid %evt.arg[1]", []string{"nobody www-data nobody", "4242 4242 4242"}},
		{"evt.arg.euid = www-data", "%evt.type %evt.arg.ruid %evt.arg.euid %evt.arg.suid", []string{"setresuid <NONE> www-data <NONE>"}},
		{"evt.arg.uid in (www-data, nobody) and evt.type = setuid", "%evt.arg.uid %evt.rawarg.uid", []string{"www-data 33"}},
	} {
		t.Run(tc.filter, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if err := run([]string{"events", "-f", tc.filter, "-p", tc.format, path}, &stdout, &stderr); err != nil {
				t.Fatalf("run: %v\nstderr: %s", err, stderr.String())
			}
			if diff := cmp.Diff(tc.want, outLines(stdout.String())); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}
