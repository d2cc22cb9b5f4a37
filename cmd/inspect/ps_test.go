package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPsAndFds(t *testing.T) {
	path := writeTrace(t, incident, 0)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"ps lists the processes alive at the instant", []string{"ps", "--at", "+3.5s", path}, `
PID  PPID  USER   START         ELAPSED  COMM             CONTAINER  COMMAND
1    0     root   05:00:00.000  1h0m4s   systemd          -          /sbin/init splash
100  1     root   05:30:00.000  30m4s    sshd             -          sshd: /usr/sbin/sshd -D
200  100   alice  05:59:00.000  1m4s     bash             -          -bash
301  200   alice  06:00:03.000  500ms    sleep            -          sleep 1000
500  1     root   05:50:00.000  10m4s    containerd-shim  -          containerd-shim-runc-v2 -namespace moby
`},
		{"fds shows inherited, opened and connected fds", []string{"fds", "--pid", "300", "--at", "06:00:01.5", path}, `
pid 300 curl (running)
FD  TYPE  FLAGS                     NAME
0   file  O_RDWR                    /dev/pts/0
1   file  O_RDWR                    /dev/pts/0
2   file  O_RDWR                    /dev/pts/0
3   ipv4  IPPROTO_TCP               10.0.0.5:40022->93.184.215.14:443 (client)
4   file  O_WRONLY|O_CREAT|O_TRUNC  /home/alice/install.sh
`},
		{"fds of a server socket show the client end first", []string{"fds", "--pid", "600", path}, `
pid 600 nginx (running)
FD  TYPE  FLAGS                  NAME
6   ipv4  IPPROTO_TCP            0.0.0.0:80 (server)
7   ipv4  IPPROTO_TCP|O_CLOEXEC  172.17.0.1:51000->172.17.0.2:80 (server)
`},
		{"flags may follow the files", []string{"fds", path, "--pid", "100", "--json"}, `
{"fd":3,"type":"ipv4","name":"0.0.0.0:22","cloexec":false,"role":"server","proto":"IPPROTO_TCP"}
`},
		{"fds as JSON", []string{"fds", "--pid", "100", "--json", path}, `
{"fd":3,"type":"ipv4","name":"0.0.0.0:22","cloexec":false,"role":"server","proto":"IPPROTO_TCP"}
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

// TestCheckpointsGiveTheSameAnswers replays at every instant of the capture from a
// file with a checkpoint every two events and from one without: tree and ps must
// agree.
func TestCheckpointsGiveTheSameAnswers(t *testing.T) {
	plain := writeTrace(t, incident, 0)
	checkpointed := writeTrace(t, incident, 2)
	for _, at := range []string{"+1s", "+1.15s", "+1.35s", "+2s", "+2.5s", "+3.05s", "+4.2s", "+4.4s", "+5s", "+6s", "+7s"} {
		for _, cmd := range [][]string{{"tree", "--at", at}, {"ps", "--at", at}, {"fds", "--pid", "200", "--at", at}} {
			want, err := runInspect(t, append(cmd, plain)...)
			if err != nil {
				t.Fatal(err)
			}
			got, err := runInspect(t, append(cmd, checkpointed)...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("inspect %s from checkpoints (-from start +from checkpoint):\n%s", strings.Join(cmd, " "), diff)
			}
		}
	}
}
