package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func runInspect(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(args, &out, &errOut)
	return out.String(), err
}

func TestTree(t *testing.T) {
	path := writeTrace(t, incident, 0)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"the whole capture shows every process with its exit", []string{"tree", path}, `
PROCESS                 USER   START         DURATION  EXIT     CONTAINER     COMMAND
1 systemd               root   05:00:00.000  1h0m7s    running  -             /sbin/init splash
├─ 100 sshd             root   05:30:00.000  30m7s     running  -             sshd: /usr/sbin/sshd -D
│  └─ 200 bash          alice  05:59:00.000  1m7s      running  -             -bash
│     ├─ 300 curl       alice  06:00:01.000  1.5s      0        -             curl -s https://example.org/install.sh
│     └─ 301 sleep      alice  06:00:03.000  3s        SIGKILL  -             sleep 1000
└─ 500 containerd-shim  root   05:50:00.000  10m7s     running  -             containerd-shim-runc-v2 -namespace moby
   └─ 600 nginx         root   06:00:04.000  3s        running  4f1c1e3a0b2d  nginx -g daemon off;
`},
		{"--at shows the processes alive then", []string{"tree", "--at", "+2s", path}, `
PROCESS                 USER   START         DURATION  EXIT     CONTAINER  COMMAND
1 systemd               root   05:00:00.000  1h0m2s    running  -          /sbin/init splash
├─ 100 sshd             root   05:30:00.000  30m2s     running  -          sshd: /usr/sbin/sshd -D
│  └─ 200 bash          alice  05:59:00.000  1m2s      running  -          -bash
│     └─ 300 curl       alice  06:00:01.000  1s        running  -          curl -s https://example.org/install.sh
└─ 500 containerd-shim  root   05:50:00.000  10m2s     running  -          containerd-shim-runc-v2 -namespace moby
`},
		{"--at takes a clock time on the capture's day", []string{"tree", "--at", "06:00:05", "--pid", "600", path}, `
PROCESS    USER  START         DURATION  EXIT     CONTAINER     COMMAND
600 nginx  root  06:00:04.000  1s        running  4f1c1e3a0b2d  nginx -g daemon off;
`},
		{"--pid keeps one subtree", []string{"tree", "--pid", "200", "--width", "12", path}, `
PROCESS       USER   START         DURATION  EXIT     CONTAINER  COMMAND
200 bash      alice  05:59:00.000  1m7s      running  -          -bash
├─ 300 curl   alice  06:00:01.000  1.5s      0        -          curl -s htt…
└─ 301 sleep  alice  06:00:03.000  3s        SIGKILL  -          sleep 1000
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := runInspect(t, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(strings.TrimPrefix(tt.want, "\n"), got); diff != "" {
				t.Errorf("inspect %s (-want +got):\n%s", strings.Join(tt.args[:len(tt.args)-1], " "), diff)
			}
		})
	}
}

func TestTreeJSON(t *testing.T) {
	path := writeTrace(t, incident, 0)
	got, err := runInspect(t, "tree", "--json", "--pid", "300", path)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"pid":300,"ppid":200,"comm":"curl","exe":"/usr/bin/curl","argv":["curl","-s","https://example.org/install.sh"],"user":"alice","uid":1000,"start":"2026-11-27T06:00:01.000Z","duration_ns":1500000000,"running":false,"exit_status":0}` + "\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tree --json (-want +got):\n%s", diff)
	}
}

func TestTreeErrors(t *testing.T) {
	path := writeTrace(t, incident, 0)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no file", []string{"tree"}, "tree: no trace file given"},
		{"a missing file", []string{"tree", "/nonexistent/x.syscam"}, "/nonexistent/x.syscam"},
		{"a bad time", []string{"tree", "--at", "noon", path}, `tree: --at: parse time "noon"`},
		{"a time outside the capture", []string{"tree", "--at", "+1h", path}, "is outside the capture"},
		{"an unknown pid", []string{"tree", "--pid", "999", path}, "tree: no process with pid 999 in the capture"},
		{"fds without a pid", []string{"fds", path}, "fds: --pid N is required"},
		{"fds of an unknown pid", []string{"fds", "--pid", "999", path}, "fds: no process with pid 999"},
		{"a negative width", []string{"tree", "--width", "-5", path}, "tree: --width -5: want 0 or more"},
		{"a negative pid", []string{"tree", "--pid", "-5", path}, "tree: --pid -5: want a process id > 0"},
		{"ps with a negative width", []string{"ps", "--width", "-1", path}, "ps: --width -1: want 0 or more"},
		{"fds with a negative pid", []string{"fds", "--pid", "-3", path}, "fds: --pid N is required (a process id > 0)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := runInspect(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}
