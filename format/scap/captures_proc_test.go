package scap

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/event"
)

// sel returns the fields of the events of type name and thread tid.
func sel(evs []*event.Event, name string, tid int32, params ...string) []map[string]string {
	var out []map[string]string
	for _, e := range find(evs, name, tid) {
		out = append(out, fields(e, params...))
	}
	return out
}

// stateOf returns the fields of the initial-state record of type name for tid.
func stateOf(st []*event.Event, name string, tid int32, params ...string) map[string]string {
	for _, e := range st {
		if e.Name() == name && e.TID == tid {
			return fields(e, params...)
		}
	}
	return nil
}

func TestCurlProcessTree(t *testing.T) {
	// From the raw dump of curl_google.scap: the PL_V5 block holds bash (tid 3200,
	// parent sshd 3199, uid 1000); curl's execve exit (EXECVE_16, 16 params) names tid
	// 17497, ptid 3200, exe "curl", args "-6 http://www.google.com", cwd /home/ubuntu; the
	// clone exit in 17497 returns 17498 with PPM_CL_CLONE_THREAD|FILES|FS|VM set (a
	// resolver thread), whose own clone exit follows with res 0; each thread ends with
	// an exit (17498) or exit_group (17497) enter and a procexit with status 0.
	r := openShared(t, "curl_google.scap")
	st, _ := r.InitialState()
	wantBash := map[string]string{"type": "procinfo", "tid": "3200", "pid": "3200", "res": "0",
		"ppid": "3199", "comm": "bash", "exepath": "-bash", "cwd": "/home/ubuntu", "uid": "1000"}
	if d := cmp.Diff(wantBash, stateOf(st, "procinfo", 3200, "ppid", "comm", "exepath", "cwd", "uid")); d != "" {
		t.Errorf("bash (-want +got):\n%s", d)
	}
	evs, _ := readAll(t, r, Filter{})
	tests := []struct {
		name string
		got  []map[string]string
		want []map[string]string
	}{
		{"curl is executed by bash", sel(evs, "execve", 17497, "argv", "exepath", "cwd", "comm", "ppid", "uid"),
			[]map[string]string{{"type": "execve", "tid": "17497", "pid": "17497", "res": "0",
				"argv": "curl -6 http://www.google.com", "exepath": "curl", "cwd": "/home/ubuntu",
				"comm": "curl", "ppid": "3200", "uid": "1000"}}},
		{"curl starts a resolver thread", sel(evs, "procfork", 17497, "child_tid", "child_pid", "flags", "comm"),
			[]map[string]string{{"type": "procfork", "tid": "17497", "pid": "17497", "res": "0",
				"child_tid": "17498", "child_pid": "17497", "flags": "THREAD|SHARE_FILES|SHARE_FS|SHARE_VM", "comm": "curl"}}},
		{"the thread sees clone return 0", sel(evs, "clone", 17498), []map[string]string{
			{"type": "clone", "tid": "17498", "pid": "17497", "res": "0"}}},
		{"the thread exits first", sel(evs, "procexit", 17498, "status"), []map[string]string{
			{"type": "procexit", "tid": "17498", "pid": "17497", "res": "0", "status": "0"}}},
		{"then curl", sel(evs, "procexit", 17497, "status"), []map[string]string{
			{"type": "procexit", "tid": "17497", "pid": "17497", "res": "0", "status": "0"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, tt.got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestCurlConnections(t *testing.T) {
	// The capture's README calls it IPv4, but curl ran with -6: every connection is
	// IPv6 (the raw connect tuples start with family 0x0a). The resolver thread first
	// tries nscd over a unix socket (ENOENT = -2, twice), then asks 2001:4860:4860::8888
	// port 53 over UDP; curl then connects to 2607:f8b0:4004:802::2004 port 80 without
	// blocking (EINPROGRESS = -115), sends its GET and receives the page.
	evs, _ := readAll(t, openShared(t, "curl_google.scap"), Filter{})
	const local = "[2600:1f18:262c:6542:9aa6:df7a:9a47:d29e]"
	want := []map[string]string{
		{"type": "connect", "tid": "17498", "pid": "17497", "res": "-2", "fd": "4", "addr": "/var/run/nscd/socket", "local": "NULL", "remote": "/var/run/nscd/socket"},
		{"type": "connect", "tid": "17498", "pid": "17497", "res": "-2", "fd": "4", "addr": "/var/run/nscd/socket", "local": "NULL", "remote": "/var/run/nscd/socket"},
		{"type": "connect", "tid": "17498", "pid": "17497", "res": "0", "fd": "4", "addr": "[2001:4860:4860::8888]:53", "local": local + ":40251", "remote": "[2001:4860:4860::8888]:53"},
		{"type": "connect", "tid": "17497", "pid": "17497", "res": "-115", "fd": "4", "addr": "[2607:f8b0:4004:802::2004]:80", "local": local + ":37140", "remote": "[2607:f8b0:4004:802::2004]:80"},
	}
	if d := cmp.Diff(want, sel(evs, "connect", 0, "fd", "addr", "local", "remote")); d != "" {
		t.Errorf("connects (-want +got):\n%s", d)
	}
	get := sel(evs, "sendto", 17497, "fd", "size")
	wantGet := []map[string]string{{"type": "sendto", "tid": "17497", "pid": "17497", "res": "78", "fd": "4", "size": "78"}}
	if d := cmp.Diff(wantGet, get); d != "" {
		t.Errorf("the GET request (-want +got):\n%s", d)
	}
	dns := sel(evs, "recvfrom", 17498, "fd", "addr")
	wantDNS := []map[string]string{{"type": "recvfrom", "tid": "17498", "pid": "17497", "res": "60", "fd": "4", "addr": "[2001:4860:4860::8888]:53"}}
	if d := cmp.Diff(wantDNS, dns); d != "" {
		t.Errorf("the DNS answer (-want +got):\n%s", d)
	}
}

func TestSingleIPv6Connection(t *testing.T) {
	// single_ipv6_conn.scap (EV_V2, PL_V9): nc -l on [2001:db8::3]:1234 (tid 25886)
	// and nc connecting from 2001:db8::4 (tid 25888). The accept tuple is inbound, so
	// its source is the client: "0a 20010db8..04 85d4 20010db8..03 d204", ports 0xd485
	// = 54405 and 0x04d2 = 1234; the client's connect carries the same tuple, source
	// first. The data is the line "this is a test\n".
	evs, _ := readAll(t, openShared(t, "single_ipv6_conn.scap"), Filter{})
	const srv, cli = "[2001:db8::3]:1234", "[2001:db8::4]:54405"
	tests := []struct {
		name string
		got  []map[string]string
		want []map[string]string
	}{
		{"the server binds and listens", append(sel(evs, "bind", 25886, "fd", "addr"), sel(evs, "listen", 25886, "fd", "backlog")...),
			[]map[string]string{
				{"type": "bind", "tid": "25886", "pid": "25886", "res": "0", "fd": "3", "addr": srv},
				{"type": "listen", "tid": "25886", "pid": "25886", "res": "0", "fd": "3", "backlog": "1"}}},
		{"the server accepts the client", sel(evs, "accept", 25886, "local", "remote"),
			[]map[string]string{{"type": "accept", "tid": "25886", "pid": "25886", "res": "4", "local": srv, "remote": cli}}},
		{"the client binds its address and connects", append(sel(evs, "bind", 25888, "fd", "addr"), sel(evs, "connect", 25888, "fd", "local", "remote")[2]),
			[]map[string]string{
				{"type": "bind", "tid": "25888", "pid": "25888", "res": "0", "fd": "3", "addr": "[2001:db8::4]:0"},
				{"type": "connect", "tid": "25888", "pid": "25888", "res": "-115", "fd": "3", "local": cli, "remote": srv}}},
		{"the client writes a line the server reads", append(sel(evs, "write", 25888, "fd", "data"), sel(evs, "read", 25886, "fd", "data")...),
			[]map[string]string{
				{"type": "write", "tid": "25888", "pid": "25888", "res": "15", "fd": "3", "data": "this is a test\n"},
				{"type": "read", "tid": "25886", "pid": "25886", "res": "15", "fd": "4", "data": "this is a test\n"},
				{"type": "read", "tid": "25886", "pid": "25886", "res": "0", "fd": "4", "data": ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, tt.got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestIPv6ClientConnections(t *testing.T) {
	// test_ipv6_client.scap: a UDP client (tid 19747, started by bash 19117) sends
	// "Testme" to [::1]:2345 (the sendto enter tuple: destination ::1, port 0x0929),
	// connects the socket there (source port 0x956f = 38255), re-connects it to
	// [2001:4860:4860::8888]:53, gets ECONNREFUSED (-111) on its next send, and sends
	// once more to [::1]:2345. Sends on the connected socket carry no address (the
	// parameter is absent).
	r := openShared(t, "test_ipv6_client.scap")
	evs, _ := readAll(t, r, Filter{})
	wantExec := []map[string]string{{"type": "execve", "tid": "19747", "pid": "19747", "res": "0",
		"argv": "./test_ipv6_client", "ppid": "19117", "cwd": "/home/ubuntu", "uid": "1000"}}
	if d := cmp.Diff(wantExec, sel(evs, "execve", 19747, "argv", "ppid", "cwd", "uid")); d != "" {
		t.Errorf("execve (-want +got):\n%s", d)
	}
	wantConnect := []map[string]string{
		{"type": "connect", "tid": "19747", "pid": "19747", "res": "0", "fd": "3", "local": "[::1]:38255", "remote": "[::1]:2345"},
		{"type": "connect", "tid": "19747", "pid": "19747", "res": "0", "fd": "3", "local": "[::1]:38255", "remote": "[2001:4860:4860::8888]:53"},
	}
	if d := cmp.Diff(wantConnect, sel(evs, "connect", 19747, "fd", "local", "remote")); d != "" {
		t.Errorf("connects (-want +got):\n%s", d)
	}
	wantSend := []map[string]string{
		{"type": "sendto", "tid": "19747", "pid": "19747", "res": "6", "addr": "[::1]:2345", "data": "Testme"},
		{"type": "sendto", "tid": "19747", "pid": "19747", "res": "6", "addr": "", "data": "Testme"},
		{"type": "sendto", "tid": "19747", "pid": "19747", "res": "-111", "addr": "", "data": ""},
		{"type": "sendto", "tid": "19747", "pid": "19747", "res": "6", "addr": "[::1]:2345", "data": "Testme"},
	}
	if d := cmp.Diff(wantSend, sel(evs, "sendto", 19747, "addr", "data")); d != "" {
		t.Errorf("sends (-want +got):\n%s", d)
	}
}

func TestInitialStateSockets(t *testing.T) {
	// single_ipv6_conn.scap's FDL_V2 blocks, as the raw dump shows them: sshd (tid 1239)
	// listens on 0.0.0.0:22 (IPV4_SERVSOCK, l4proto 2 = TCP) and [::]:22
	// (IPV6_SERVSOCK); tid 2821 holds the SSH session, an IPV4_SOCK whose source
	// 10.0.2.15:22 is the local end and destination 10.0.2.2:61560 the client.
	st, _ := openShared(t, "single_ipv6_conn.scap").InitialState()
	var got []map[string]string
	for _, e := range st {
		if e.Name() != "fdinfo" || e.TID != 1239 && e.TID != 2821 {
			continue
		}
		m := fields(e, "fd", "local", "remote", "proto", "role")
		m["fdtype"] = string(e.AppendParam(nil, e.Param("type")))
		if m["fdtype"] == "ipv4" || m["fdtype"] == "ipv6" {
			got = append(got, m)
		}
	}
	want := []map[string]string{
		{"type": "fdinfo", "tid": "1239", "pid": "1239", "res": "0", "fd": "3", "fdtype": "ipv4", "local": "0.0.0.0:22", "remote": "NULL", "proto": "IPPROTO_TCP", "role": "server"},
		{"type": "fdinfo", "tid": "1239", "pid": "1239", "res": "0", "fd": "4", "fdtype": "ipv6", "local": "[::]:22", "remote": "NULL", "proto": "IPPROTO_TCP", "role": "server"},
		{"type": "fdinfo", "tid": "2821", "pid": "2821", "res": "0", "fd": "3", "fdtype": "ipv4", "local": "10.0.2.15:22", "remote": "10.0.2.2:61560", "proto": "IPPROTO_TCP", "role": "unknown"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("socket fds (-want +got):\n%s", d)
	}
}
