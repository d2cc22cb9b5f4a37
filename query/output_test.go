package query

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFormatText(t *testing.T) {
	s := newScenario(t)
	tests := []struct {
		name, spec, event string
		want              string
	}{
		{"the default line of an open", DefaultFormat, "open",
			"1 12:00:00.000000000 1 curl (300) < openat fd=5(<f>/etc/shadow) dirfd=-100 name=/etc/shadow flags=O_RDONLY mode=00"},
		{"the default line of a read on a socket", DefaultFormat, "read",
			"2 12:00:01.000000000 0 curl (300) < read res=19 fd=4(<4>10.0.0.5:40000->93.184.216.34:443) data=HTTP/1.1 200 OK.... size=4096"},
		{"a failed call shows its errno", DefaultFormat, "failed open",
			"3 12:00:02.000000000 0 curl (300) < openat fd=-13(EACCES) dirfd=-100 name=secret.txt flags=O_WRONLY|O_CREAT|O_TRUNC mode=0755"},
		{"an enter event", DefaultFormat, "enter", "7 12:00:04.000000000 0 sshd (100) > accept fd=3"},
		{"fs.path of a rename resolves both paths", "%fs.path.source %fs.path.target %fs.path.name %fs.path.sourceraw", "rename",
			"/home/alice/a.txt /tmp/b.txt <NA> ../alice/a.txt"},
		{"fs.path of a symlink keeps the target as written", "%fs.path.source -> %fs.path.target", "symlink", "../etc/passwd -> /home/alice/pw"},
		{"without state, state fields are <NA>", DefaultFormat, "open/nostate",
			"1 12:00:00.000000000 1 <NA> (300) < openat fd=5 dirfd=-100 name=/etc/shadow flags=O_RDONLY mode=00"},
		{"braces, percent signs and a trailing dot", "%{proc.name}:%thread.tid 100%% %fd.name.", "open", "curl:300 100% /etc/shadow."},
		{"process fields", "%proc.cmdline | %proc.pcmdline | %proc.aname[2] | %proc.exepath | %proc.cwd | %proc.tty", "open",
			"curl -s https://example.com/ | bash | sshd | /usr/bin/curl | /home/alice | 34816"},
		{"list fields print every value", "%proc.aname %proc.apid %fd.ip", "read", "bash sshd systemd 200 100 1 10.0.0.5 93.184.216.34"},
		{"user fields", "%user.name %user.uid %user.homedir %user.shell %user.loginuid %user.loginname %group.name %group.gid", "open",
			"alice 1000 /home/alice /bin/zsh 1000 alice staff 1000"},
		{"capabilities by name", "%thread.cap_effective", "open", "CAP_CHOWN CAP_SYS_ADMIN"},
		{"container fields on the host", "%container.id %container.name %container.image", "open", "host host <NA>"},
		{"times", "%evt.rawtime %evt.time.s %evt.datetime %evt.time.iso8601 %evt.reltime %evt.latency %evt.latency.human", "open",
			"1714564800000000000 12:00:00 2024-05-01 12:00:00.000000000 2024-05-01T12:00:00.000000000Z 1000000000 1500 1.5µs"},
		{"fd fields of a file", "%fd.num %fd.type %fd.typechar %fd.directory %fd.filename %fd.sip", "open", "5 file f /etc shadow <NA>"},
		{"fs.path resolves a relative name with the cwd", "%fs.path.name %fs.path.nameraw", "failed open", "/home/alice/secret.txt secret.txt"},
		{"evt.buffer prints unprintable bytes as dots", "%evt.buffer %evt.buflen", "read", "HTTP/1.1 200 OK.... 19"},
		{"evt.res and evt.failed", "%evt.res %evt.rawres %evt.failed", "failed open", "EACCES -13 true"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := NewFormatter(tt.spec, nil)
			if err != nil {
				t.Fatal(err)
			}
			key, noState := cutSuffix(tt.event)
			got := string(f.AppendText(nil, s.input(t, key, noState)))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func cutSuffix(ev string) (string, bool) {
	if len(ev) > 8 && ev[len(ev)-8:] == "/nostate" {
		return ev[:len(ev)-8], true
	}
	return ev, false
}

func TestFormatJSON(t *testing.T) {
	s := newScenario(t)
	f, err := NewFormatter("%evt.num %proc.name %evt.failed %fd.sip %fd.name %evt.latency %proc.aname %evt.buffer %evt.num", nil)
	if err != nil {
		t.Fatal(err)
	}
	line := f.AppendJSON(nil, s.input(t, "read", false))
	var got map[string]any
	if err := json.Unmarshal(line, &got); err != nil {
		t.Fatalf("invalid JSON %s: %v", line, err)
	}
	want := map[string]any{"evt.num": 2.0, "proc.name": "curl", "evt.failed": false,
		"fd.sip": "93.184.216.34", "fd.name": "10.0.0.5:40000->93.184.216.34:443", "evt.latency": nil,
		"proc.aname": []any{"bash", "sshd", "systemd"}, "evt.buffer": "HTTP/1.1 200 OK\r\n\x00\ufffd"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"evt.num", "proc.name", "evt.failed", "fd.sip", "fd.name", "evt.latency", "proc.aname", "evt.buffer"}, f.Fields()); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}

func TestFormatErrors(t *testing.T) {
	tests := []struct{ spec, want string }{
		{"%evt.num %proc.nme", "1:11: unknown field proc.nme (did you mean proc.name?)"},
		{"100% done", "1:4: % is not followed by a field name (write %% for a percent sign)"},
		{"%{evt.num", "1:1: %{ is never closed"},
		{"*%evt.num %proc.nme", "1:12: unknown field proc.nme (did you mean proc.name?)"},
		{"%evt.arg[0] %proc.aname[y]", "1:25: field proc.aname: argument must be an ancestor number, 0 to 256"},
	}
	for _, tt := range tests {
		_, err := NewFormatter(tt.spec, nil)
		var qe *Error
		if !errors.As(err, &qe) || qe.Error() != tt.want {
			t.Errorf("format %q: got %v, want %s", tt.spec, err, tt.want)
		}
	}
}
