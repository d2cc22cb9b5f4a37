package report

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/report/reporttest"
)

// reverseShell is a shell on a connection that reads each command one byte per read
// call (as bash does on a socket) and answers with one write. Its third answer is cut
// by the snaplen (8), and a fourth write goes on after the cut.
func reverseShell(t *testing.T) string {
	var b strings.Builder
	b.WriteString(`0 700 procinfo ppid=1 comm=bash exepath=/bin/bash argv="bash -i"
0 700 fdinfo fd=3 type=ipv4 local=10.0.0.5:41000 remote=198.51.100.9:4444 proto=IPPROTO_TCP role=client
`)
	at := 1.0
	step := func(line string) {
		fmt.Fprintf(&b, "%.3f 700 %s\n", at, line)
		at += 0.001
	}
	readBytes := func(s string) {
		for i := range len(s) {
			step(fmt.Sprintf("read ret=1 fd=3 data=%s size=1", strconv.Quote(s[i:i+1])))
		}
	}
	write := func(s string, recorded int) {
		step(fmt.Sprintf("write ret=%d fd=3 data=%s size=%d @orig=%d", len(s), strconv.Quote(s[:recorded]), len(s), len(s)))
	}
	readBytes("id\n")
	write("uid=0(root) gid=0(root)\n", 24)
	readBytes("cat /etc/shadow\n")
	write("root:$y$j9T$abc:19000:0:99999:7:::\n", 8)
	write("daemon:*:19000\n", 8)
	path := filepath.Join(t.TempDir(), "shell.syscam")
	if err := reporttest.Write(path, format.Host{Hostname: "h"}, 8, format.Stats{}, b.String()); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestFollowCoalescesOneByteReadsIntoRuns(t *testing.T) {
	hosts := open(t, reverseShell(t))
	conn, err := ParseConn("10.0.0.5:41000->198.51.100.9:4444")
	if err != nil {
		t.Fatal(err)
	}
	spec := FollowSpec{Conn: conn, HasConn: true}
	text, fw, _ := runFollow(t, hosts, spec, "text", true, true)
	want := `=== h bash[700] fd 3 10.0.0.5:41000->198.51.100.9:4444 ===
<<< 2026-11-27T06:00:01.000000Z server -> client, 3 bytes in 3 calls over 2ms (read)
id
>>> 2026-11-27T06:00:01.003000Z client -> server, 24 bytes (write)
uid=0(root) gid=0(root)
<<< 2026-11-27T06:00:01.004000Z server -> client, 16 bytes in 16 calls over 15ms (read)
cat /etc/shadow
>>> 2026-11-27T06:00:01.020000Z client -> server, 8 of 35 bytes recorded (write)
root:$y$
[... 27 bytes not recorded: cut by the snaplen ...]
>>> 2026-11-27T06:00:01.021000Z client -> server, 8 of 15 bytes recorded (write)
daemon:*
[... 7 bytes not recorded: cut by the snaplen ...]
`
	if diff := cmp.Diff(want, string(text)); diff != "" {
		t.Errorf("text (-want +got):\n%s", diff)
	}
	if got, want := fw.Summary(), "22 calls, 74 bytes out, 19 bytes in, 2 gaps (34 bytes not recorded)"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	in, _, _ := runFollow(t, hosts, spec, "raw", true, false)
	if diff := cmp.Diff("id\ncat /etc/shadow\n", string(in)); diff != "" {
		t.Errorf("raw bytes read (-want +got):\n%s", diff)
	}
	hex, _, _ := runFollow(t, hosts, spec, "hex", true, false)
	wantHex := `=== h bash[700] fd 3 10.0.0.5:41000->198.51.100.9:4444 ===
<<< 2026-11-27T06:00:01.000000Z server -> client, 3 bytes in 3 calls over 2ms (read)
00000000  69 64 0a                                          |id.|
<<< 2026-11-27T06:00:01.004000Z server -> client, 16 bytes in 16 calls over 15ms (read)
00000003  63 61 74 20 2f 65 74 63  2f 73 68 61 64 6f 77 0a  |cat /etc/shadow.|
`
	if diff := cmp.Diff(wantHex, string(hex)); diff != "" {
		t.Errorf("hex of the reads (-want +got):\n%s", diff)
	}
}

// TestFollowWriterEndsRunsWhereTheStreamBreaks feeds chunks straight to the writer:
// a run ends at a change of direction or stream, at a chunk that does not start where
// the run stopped, and at maxRun bytes; the bytes and their offsets stay exact.
func TestFollowWriterEndsRunsWhereTheStreamBreaks(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 40000)
	chunk := func(fd int32, dir Direction, off int64, data []byte) *Chunk {
		return &Chunk{Time: reporttest.Base, Host: "h", PID: 1, Process: "p", FD: fd, Syscall: "write",
			Dir: dir, Stream: "/f" + strconv.Itoa(int(fd)), Data: data, Len: int64(len(data)), Offset: off}
	}
	for _, tc := range []struct {
		name   string
		chunks []*Chunk
		want   []string // header lines
	}{
		{"runs stop at maxRun bytes and go on under a new header", []*Chunk{
			chunk(3, Out, 0, big), chunk(3, Out, 40000, big), chunk(3, Out, 80000, big)},
			[]string{"=== h p[1] fd 3 /f3 ===", ">>> 2026-11-27T06:00:00.000000Z written, 80000 bytes in 2 calls over 0s (write)",
				">>> 2026-11-27T06:00:00.000000Z written, 40000 bytes (write)"}},
		{"a change of direction, then of fd, ends a run", []*Chunk{
			chunk(3, Out, 0, []byte("a")), chunk(3, In, 0, []byte("b")), chunk(4, In, 1, []byte("c")), chunk(4, In, 2, []byte("d"))},
			[]string{"=== h p[1] fd 3 /f3 ===", ">>> 2026-11-27T06:00:00.000000Z written, 1 byte (write)",
				"<<< 2026-11-27T06:00:00.000000Z read, 1 byte (write)",
				"=== h p[1] fd 4 /f4 ===", "<<< 2026-11-27T06:00:00.000000Z read, 2 bytes in 2 calls over 0s (write)"}},
		{"a chunk that does not start at the run's end starts a new run", []*Chunk{
			chunk(3, Out, 0, []byte("ab")), chunk(3, Out, 5, []byte("cd"))},
			[]string{"=== h p[1] fd 3 /f3 ===", ">>> 2026-11-27T06:00:00.000000Z written, 2 bytes (write)",
				">>> 2026-11-27T06:00:00.000000Z written, 2 bytes (write)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			fw, err := NewFollowWriter(&out, "hex", true, true)
			if err != nil {
				t.Fatal(err)
			}
			var wantBytes int
			for _, c := range tc.chunks {
				wantBytes += len(c.Data)
				if err := fw.Write(c); err != nil {
					t.Fatal(err)
				}
			}
			if err := fw.Close(); err != nil {
				t.Fatal(err)
			}
			var headers []string
			var dumped int
			for _, l := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
				if strings.HasPrefix(l, "===") || strings.HasPrefix(l, ">>>") || strings.HasPrefix(l, "<<<") {
					headers = append(headers, l)
					continue
				}
				dumped += strings.Count(l[strings.Index(l, "|")+1:], "") - 2
			}
			if diff := cmp.Diff(tc.want, headers); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
			if dumped != wantBytes {
				t.Errorf("hex dump shows %d bytes, want %d", dumped, wantBytes)
			}
		})
	}
}
