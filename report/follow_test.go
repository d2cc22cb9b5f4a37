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

func runFollow(t *testing.T, hosts []*Host, spec FollowSpec, format string, in, out bool) ([]byte, *FollowWriter, *Follow) {
	t.Helper()
	var buf bytes.Buffer
	fw, err := NewFollowWriter(&buf, format, in, out)
	if err != nil {
		t.Fatal(err)
	}
	f := NewFollow(spec, fw.Write)
	if err := Run(hosts, Options{}, f.Add); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), fw, f
}

func TestFollowOfTheFixtureMatchesGolden(t *testing.T) {
	web, db := fixture(t)
	hosts := open(t, web, db)
	conn, err := ParseConn("127.0.0.1:8765->127.0.0.1:40000")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		golden string
		spec   FollowSpec
		format string
	}{
		{"follow.conn.text.golden", FollowSpec{Conn: conn, HasConn: true}, "text"},
		{"follow.conn.hex.golden", FollowSpec{Conn: conn, HasConn: true}, "hex"},
		{"follow.fd.text.golden", FollowSpec{PID: 1002, FD: 3, HasFD: true}, "text"},
		{"follow.file.text.golden", FollowSpec{File: "/var/log/nginx/access.log"}, "text"},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			got, _, _ := runFollow(t, hosts, tc.spec, tc.format, true, true)
			golden(t, tc.golden, got)
		})
	}
}

func TestFollowFileReassemblesWritesInOrder(t *testing.T) {
	web, db := fixture(t)
	hosts := open(t, web, db)
	got, fw, _ := runFollow(t, hosts, FollowSpec{File: "/etc/cron.d/.tmp"}, "raw", true, true)
	if diff := cmp.Diff("* * * * * root /tmp/stage2.sh >/dev/null\n", string(got)); diff != "" {
		t.Errorf("file content (-want +got):\n%s", diff)
	}
	if len(fw.Gaps()) != 0 {
		t.Errorf("gaps = %v, want none", fw.Gaps())
	}
}

// loopbackHTTP is a request and response over loopback with both ends recorded; the
// response is longer than the snaplen, so its second read is cut.
func loopbackHTTP(t *testing.T, snaplen int) (path string, req, resp []byte) {
	req = []byte("GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n")
	var b bytes.Buffer
	b.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 1500\r\n\r\n")
	for i := 0; i < 1500; i++ {
		b.WriteByte(byte(i * 7)) // binary body: every byte value
	}
	resp = b.Bytes()
	head, body := resp[:len(resp)-1500], resp[len(resp)-1500:]
	cut := func(p []byte) string { return strconv.Quote(string(p[:min(len(p), snaplen)])) }
	text := fmt.Sprintf(`0 500 procinfo ppid=1 comm=python3 exepath=/usr/bin/python3 argv="python3 -m http.server 8080"
0 600 procinfo ppid=1 comm=curl exepath=/usr/bin/curl argv="curl http://127.0.0.1:8080/index.html"
0 500 fdinfo fd=3 type=ipv4 local=127.0.0.1:8080 proto=IPPROTO_TCP role=server
1.0 600 socket ret=5 domain=AF_INET type=SOCK_STREAM proto=IPPROTO_TCP
1.1 600 connect ret=0 fd=5 addr=127.0.0.1:8080 local=127.0.0.1:45678 remote=127.0.0.1:8080
1.2 500 accept4 ret=4 fd=3 local=127.0.0.1:8080 remote=127.0.0.1:45678
1.3 600 sendto ret=%[1]d fd=5 data=%[2]s size=%[1]d @orig=%[1]d
1.4 500 recvfrom ret=%[1]d fd=4 data=%[2]s size=8192 @orig=%[1]d
1.5 500 write ret=%[3]d fd=4 data=%[4]s size=%[3]d @orig=%[3]d
1.6 500 write ret=%[5]d fd=4 data=%[6]s size=%[5]d @orig=%[5]d
1.7 600 recvfrom ret=%[3]d fd=5 data=%[4]s size=102400 @orig=%[3]d
1.8 600 recvfrom ret=%[5]d fd=5 data=%[6]s size=102400 @orig=%[5]d
1.9 600 close ret=0 fd=5
2.0 500 close ret=0 fd=4
`, len(req), cut(req), len(head), cut(head), len(body), cut(body))
	path = filepath.Join(t.TempDir(), "lo.syscam")
	if err := reporttest.Write(path, format.Host{Hostname: "lo"}, uint32(snaplen), format.Stats{}, text); err != nil {
		t.Fatal(err)
	}
	return path, req, resp
}

func TestFollowReproducesALoopbackHTTPExchangeWithinTheSnaplen(t *testing.T) {
	const snaplen = 512
	path, req, resp := loopbackHTTP(t, snaplen)
	hosts := open(t, path)
	conn, err := ParseConn("127.0.0.1:45678->127.0.0.1:8080")
	if err != nil {
		t.Fatal(err)
	}
	spec := FollowSpec{Conn: conn, HasConn: true}

	gotReq, _, f := runFollow(t, hosts, spec, "raw", false, true)
	if diff := cmp.Diff(req, gotReq); diff != "" {
		t.Errorf("request bytes (-want +got):\n%s", diff)
	}
	if f.PeerEvents() != 3 {
		t.Errorf("peer events left out = %d, want the server's 3", f.PeerEvents())
	}

	gotResp, fw, _ := runFollow(t, hosts, spec, "raw", true, false)
	headLen := len(resp) - 1500
	want := append(append([]byte(nil), resp[:headLen]...), resp[headLen:headLen+snaplen]...)
	if diff := cmp.Diff(want, gotResp); diff != "" {
		t.Errorf("response bytes (-want +got):\n%s", diff)
	}
	wantGaps := []Gap{{Dir: In, Offset: int64(headLen + snaplen), Len: 1500 - snaplen, Cut: true, Time: reporttest.Base + 1.8e9}}
	if diff := cmp.Diff(wantGaps, fw.Gaps()); diff != "" {
		t.Errorf("gaps (-want +got):\n%s", diff)
	}

	text, _, _ := runFollow(t, hosts, spec, "text", true, true)
	if !strings.Contains(string(text), "[... 988 bytes not recorded: cut by the snaplen ...]") {
		t.Errorf("text output does not mark the gap:\n%s", text)
	}
}

func TestParseConnAndFDRejectBadInput(t *testing.T) {
	for _, s := range []string{"", "1.2.3.4", "1.2.3.4:80->", "a:b->c:d", "1.2.3.4:80->5.6.7.8"} {
		if _, err := ParseConn(s); err == nil {
			t.Errorf("ParseConn(%q) succeeded, want an error", s)
		}
	}
	for _, s := range []string{"", "12", "x:3", "12:-1", "0:3"} {
		if _, _, err := ParseFD(s); err == nil {
			t.Errorf("ParseFD(%q) succeeded, want an error", s)
		}
	}
	if _, err := ParseConn("[::1]:80 [::1]:5000"); err != nil {
		t.Errorf("ParseConn of IPv6 ends: %v", err)
	}
}

func TestFollowSaysWhyNothingMatched(t *testing.T) {
	web, db := fixture(t)
	hosts := open(t, web, db)
	conn, err := ParseConn("1.2.3.4:5->6.7.8.9:10")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		spec FollowSpec
		want string // "" when the selection matched
	}{
		{"a pid not in the capture", FollowSpec{PID: 99999, FD: 3, HasFD: true},
			"no process with pid 99999 in the capture"},
		{"a pid of the snapshot that made no call", FollowSpec{PID: 1, FD: 3, HasFD: true, Host: "web1"},
			"pid 1 (systemd) made no call in the capture"},
		{"an fd the pid never had", FollowSpec{PID: 1002, FD: 9, HasFD: true},
			"pid 1002 (bash) is in the capture, but it never had fd 9 open"},
		{"an fd open without I/O", FollowSpec{PID: 900, FD: 6, HasFD: true},
			"fd 6 of pid 900 (nginx) was open on 0.0.0.0:80, but no data was read or written on it"},
		{"a path never open", FollowSpec{File: "/nonexist"},
			"no fd was open on /nonexist in the capture"},
		{"a path with a typo in its directory", FollowSpec{File: "/tpm/stage2.sh"},
			"no fd was open on /tpm/stage2.sh in the capture; files of the same name: /tmp/stage2.sh"},
		{"a connection not in the capture", FollowSpec{Conn: conn, HasConn: true},
			"no connection 1.2.3.4:5->6.7.8.9:10 in the capture; its connections: 10.0.0.5:41000->198.51.100.9:4444, 10.0.0.5:80->203.0.113.7:51000, 10.0.0.6:52000->192.0.2.50:873 and 1 more ('inspect stats' lists them)"},
		{"an fd with I/O", FollowSpec{PID: 1002, FD: 3, HasFD: true}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, f := runFollow(t, hosts, tc.spec, "text", true, true)
			if got := f.Unmatched(hosts); got != tc.want {
				t.Errorf("Unmatched() = %q\nwant          %q", got, tc.want)
			}
		})
	}
}
