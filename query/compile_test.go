package query

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOperators runs every operator against every field type, including fields that
// do not apply to the event (absent: every comparison false, exists false).
func TestOperators(t *testing.T) {
	s := newScenario(t)
	tests := []struct {
		cond  string
		event string
		want  bool
	}{
		// string
		{"proc.name = curl", "open", true},
		{"proc.name == curl", "open", true},
		{"proc.name = curlx", "open", false},
		{"proc.name != bash", "open", true},
		{"proc.name != curl", "open", false},
		{"proc.name contains ur", "open", true},
		{"proc.name contains xyz", "open", false},
		{"proc.name icontains URL", "open", true},
		{"proc.name icontains URX", "open", false},
		{"proc.name bcontains 7572", "open", true},
		{"proc.name bcontains 7573", "open", false},
		{"proc.name startswith cu", "open", true},
		{"proc.name startswith url", "open", false},
		{"proc.name bstartswith 6375", "open", true},
		{"proc.name bstartswith 75", "open", false},
		{"proc.name endswith rl", "open", true},
		{"proc.name endswith cu", "open", false},
		{"proc.name glob c?r*", "open", true},
		{"proc.name glob 'c[a-t]rl'", "open", false},
		{"proc.name iglob C?RL", "open", true},
		{"proc.name glob C?RL", "open", false},
		{"fd.name pmatch (/etc, /usr)", "open", true},
		{"fd.name pmatch (/et, /usr)", "open", false},
		{"proc.name regex '^c.r[lx]$'", "open", true},
		{"proc.name regex '^url'", "open", false},
		{"proc.name in (bash, curl)", "open", true},
		{"proc.name in (bash, sh)", "open", false},
		{"proc.name intersects (curl, wget)", "open", true},
		{"proc.name intersects ()", "open", false},
		{"proc.name exists", "open", true},
		// string, absent: no state for the event
		{"proc.name exists", "open/nostate", false},
		{"proc.name = curl", "open/nostate", false},
		{"proc.name != curl", "open/nostate", false},
		{"not proc.name = curl", "open/nostate", true},
		{"proc.name in (curl)", "open/nostate", false},
		{"proc.name contains c", "open/nostate", false},
		{"proc.name glob *", "open/nostate", false},
		{"proc.name regex .", "open/nostate", false},
		// string fields of the event itself
		{"evt.type = openat", "open", true},
		{"evt.type != openat", "open", false},
		{"evt.type in (open, openat, openat2)", "open", true},
		{"evt.type in (open, creat)", "open", false},
		{"evt.type startswith open", "open", true},
		{"evt.arg.name = /etc/shadow", "open", true},
		{"evt.arg[1] = /etc/shadow", "open", true},
		{"evt.arg.flags contains O_CREAT", "failed open", true},
		{"evt.arg.flags = O_RDONLY", "open", true},
		{"evt.arg.name exists", "read", false},
		{"evt.arg.name = x", "read", false},
		{"evt.arg.name != x", "read", false},
		{"evt.res = SUCCESS", "open", true},
		{"evt.res = EACCES", "failed open", true},
		{"evt.res exists", "enter", false},
		{"evt.dir = >", "enter", true},
		{"evt.dir = <", "open", true},
		{"evt.dir = >", "open", true},   // an exit event stands for its entry too
		{"evt.dir = <", "enter", false}, // the call had not returned
		{"evt.dir != >", "open", false},
		{"evt.dir in (<)", "enter", false},
		// bytes
		{"evt.buffer contains '200 OK'", "read", true},
		{"evt.buffer bcontains 0d0a00ff", "read", true},
		{"evt.buffer bcontains 0d0a0a", "read", false},
		{"evt.buffer bstartswith 48545450", "read", true},
		{"evt.buffer startswith HTTP", "read", true},
		{"evt.buffer icontains 'http/1.1'", "read", true},
		{"evt.buffer exists", "read", true},
		{"evt.buffer exists", "open", false},
		{"evt.buffer contains H", "open", false},
		{"evt.buflen = 19", "read", true},
		// int
		{"evt.num = 1", "open", true},
		{"evt.num != 1", "open", false},
		{"evt.num < 2", "open", true},
		{"evt.num < 1", "open", false},
		{"evt.num <= 1", "open", true},
		{"evt.num > 0", "open", true},
		{"evt.num > 1", "open", false},
		{"evt.num >= 1", "open", true},
		{"evt.num >= 2", "open", false},
		{"evt.num in (5, 1, 9)", "open", true},
		{"evt.num in (5, 9)", "open", false},
		{"evt.num intersects (1)", "open", true},
		{"evt.num exists", "open", true},
		{"evt.rawres = -13", "failed open", true},
		{"evt.rawres >= 0", "failed open", false},
		{"evt.rawres = 0x5", "open", true},
		{"fd.num = 5", "open", true},
		{"fd.num = 4", "read", true},
		{"fd.num exists", "getpid", false},
		{"fd.num >= 0", "getpid", false},
		{"fd.num != 3", "getpid", false},
		{"fd.num in (1, 2)", "getpid", false},
		{"evt.rawarg.mode = 493", "failed open", true},
		{"evt.rawarg.dirfd = -100", "open", true},
		// int lists: any ancestor
		{"proc.apid = 100", "open", true},
		{"proc.apid = 300", "open", false},
		{"proc.apid[2] = 100", "open", true},
		{"proc.apid[0] = 300", "open", true},
		{"proc.apid[9] exists", "open", false},
		{"proc.apid > 150", "open", true},
		{"proc.apid in (7, 1)", "open", true},
		// bool
		{"evt.failed = true", "failed open", true},
		{"evt.failed = false", "failed open", false},
		{"evt.failed != true", "open", true},
		{"evt.failed in (false)", "open", true},
		{"evt.failed exists", "open", true},
		{"evt.is_open_read = true", "open", true},
		{"evt.is_open_write = true", "open", false},
		{"evt.is_open_write = true", "failed open", true},
		{"evt.is_open_exec = TRUE", "failed open", true},
		{"evt.is_io_read = true", "read", true},
		{"evt.is_io = true", "open", false},
		{"fd.connected = true", "read", true},
		{"fd.connected exists", "getpid", false},
		{"fd.connected = false", "getpid", false},
		{"fd.connected != true", "getpid", false},
		{"fd.is_server = false", "read", true},
		// abstime
		{"evt.rawtime = 1714564800000000000", "open", true},
		{"evt.rawtime != 1714564800000000000", "open", false},
		{"evt.rawtime < 2024-05-01T12:00:00.5Z", "open", true},
		{"evt.rawtime <= 2024-05-01T12:00:00Z", "open", true},
		{"evt.rawtime > 2024-05-01T12:00:00Z", "read", true},
		{"evt.rawtime >= 2024-05-01T12:00:02Z", "read", false},
		{"evt.rawtime in (1714564800000000000)", "open", true},
		{"evt.rawtime exists", "open", true},
		{"proc.start_ts < 2024-05-01T12:00:00Z", "open", true},
		{"proc.start_ts exists", "open/nostate", false},
		{"proc.start_ts < 2024-05-01T12:00:00Z", "open/nostate", false},
		// reltime
		{"evt.reltime = 1s", "open", true},
		{"evt.reltime > 1s", "read", true},
		{"evt.reltime < 1000000001", "open", true},
		{"evt.reltime in (1s, 2s)", "read", true},
		{"evt.latency = 1500", "open", true},
		{"evt.latency >= 1.5us", "open", true},
		{"evt.latency exists", "read", false},
		{"evt.latency < 1h", "read", false},
		{"evt.latency != 1", "read", false},
		{"proc.duration = 6s", "open", true},
		// ipaddr
		{"fd.sip = 93.184.216.34", "read", true},
		{"fd.sip != 93.184.216.34", "read", false},
		{"fd.sip = 93.184.0.0/16", "read", true},
		{"fd.cip in (10.0.0.0/8, ::1)", "read", true},
		{"fd.cip in (192.168.0.0/16)", "read", false},
		{"fd.cip intersects (10.0.0.5)", "read", true},
		{"fd.lip exists", "read", true},
		{"fd.rip = 93.184.216.34", "read", true},
		{"fd.sip exists", "open", false},
		{"fd.sip = 93.184.216.34", "open", false},
		{"fd.sip != 1.2.3.4", "open", false},
		{"fd.ip = 10.0.0.5", "read", true},
		{"fd.ip = 93.184.216.34", "read", true},
		{"fd.ip = 1.1.1.1", "read", false},
		{"fd.net = 10.0.0.0/8", "read", true},
		{"fd.snet in (127.0.0.0/8, 93.0.0.0/8)", "read", true},
		{"fd.sport = 443", "read", true},
		{"fd.cport > 1024", "read", true},
		{"fd.port = 40000", "read", true},
		{"fd.port = 80", "read", false},
		{"fd.l4proto = tcp", "read", true},
		{"fd.sockfamily = ip", "read", true},
		{"fd.name = 10.0.0.5:40000->93.184.216.34:443", "read", true},
		{"fd.typechar = 4", "read", true},
		{"fd.type = ipv4", "read", true},
		// string lists: any ancestor
		{"proc.aname = sshd", "open", true},
		{"proc.aname = curl", "open", false},
		{"proc.aname in (systemd)", "open", true},
		{"proc.aname startswith ss", "open", true},
		{"proc.aname exists", "open", true},
		{"proc.aname exists", "open/nostate", false},
		{"proc.aname[1] = bash", "open", true},
		{"proc.aname[3] = systemd", "open", true},
		{"proc.aname[4] exists", "open", false},
		{"proc.aname[4] != x", "open", false},
		{"proc.pname = bash", "open", true},
		{"thread.cap_permitted intersects (CAP_SYS_ADMIN, CAP_BPF)", "open", true},
		{"thread.cap_permitted intersects (CAP_BPF)", "open", false},
		{"thread.cap_effective contains CAP_SYS_ADMIN", "open", true},
		{"thread.cap_effective = CAP_CHOWN", "open", true},
		{"thread.cap_effective exists", "open/nostate", false},
	}
	for _, tt := range tests {
		key, noState := strings.CutSuffix(tt.event, "/nostate")
		t.Run(tt.cond+" on "+tt.event, func(t *testing.T) {
			f, err := Compile(tt.cond, Options{})
			if err != nil {
				t.Fatalf("compile: %v", err)
			}
			if got := f.Match(s.input(t, key, noState)); got != tt.want {
				t.Errorf("%s on %s = %v, want %v", tt.cond, tt.event, got, tt.want)
			}
		})
	}
}

// TestTypeErrors checks that a condition whose operator does not fit its field's
// type, or whose value does not parse as that type, fails at compile time and points
// at the problem.
func TestTypeErrors(t *testing.T) {
	tests := []struct {
		cond string
		want string
	}{
		{"proc.name < x", "1:11: operator < does not apply to proc.name (type string); use one of: = != contains icontains bcontains startswith bstartswith endswith glob iglob pmatch regex in intersects exists"},
		{"evt.num contains 1", "1:9: operator contains does not apply to evt.num (type int); use one of: = != < <= > >= in intersects exists"},
		{"evt.failed > true", "1:12: operator > does not apply to evt.failed (type bool); use one of: = != in exists"},
		{"fd.sip startswith 10.", "1:8: operator startswith does not apply to fd.sip (type ipaddr); use one of: = != in intersects exists"},
		{"evt.num = abc", `1:11: "abc" is not an integer`},
		{"evt.num in (1, x2)", `1:16: "x2" is not an integer`},
		{"evt.failed = yes", `1:14: "yes" is not a boolean: want true or false`},
		{"evt.rawtime > yesterday", `1:15: "yesterday" is not a time: want ns since the epoch or RFC 3339 (2024-05-01T12:00:00Z)`},
		{"evt.latency > soon", `1:15: "soon" is not a duration: want ns or a duration like 1.5s`},
		{"fd.sip = 300.1.1.1", `1:10: "300.1.1.1" is not an IP address or network`},
		{"evt.buffer bcontains xyz", `1:22: operator bcontains takes hex bytes (like 0a1bff); "xyz" is not`},
		{"proc.name glob 'a[b'", `1:16: bad glob pattern "a[b": unclosed [`},
		{"proc.name regex '('", "1:17: bad regular expression \"(\": error parsing regexp: missing closing ): `(`"},
		{"proc.nam = x", "1:1: unknown field proc.nam (did you mean proc.name?)"},
		{"proc.name[2] = x", "1:11: field proc.name takes no argument"},
		{"evt.arg = x", "1:8: field evt.arg needs an argument: evt.arg[NAME]"},
		{"proc.aname[x] = a", "1:12: field proc.aname: argument must be an ancestor number, 0 to 256"},
		{"evt.arg.nosuch = 1", `1:9: field evt.arg: no event type has a parameter named "nosuch"`},
		{"evt.arg[99] = 1", "1:9: field evt.arg: parameter position 99 out of range 0..31"},
		{"some_macro", "1:1: unknown name some_macro: not a field comparison, and no macros are defined"},
		{"evt.type = open and\n  fd.nme = x", "2:3: unknown field fd.nme (did you mean fd.name?)"},
		{"evt.type = opn", "1:12: unknown event type opn (did you mean open?)"},
		{"evt.type in (open, opn)", "1:20: unknown event type opn (did you mean open?)"},
		{"evt.type != 'execv'", "1:13: unknown event type execv (did you mean execve?)"},
		{"evt.type = no_such_syscall", "1:12: unknown event type no_such_syscall"},
	}
	for _, tt := range tests {
		t.Run(tt.cond, func(t *testing.T) {
			_, err := Compile(tt.cond, Options{})
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("compile %q: error %v, want a *query.Error", tt.cond, err)
			}
			if qe.Error() != tt.want {
				t.Errorf("compile %q:\n got %s\nwant %s", tt.cond, qe.Error(), tt.want)
			}
		})
	}
}

// TestUnknownEventTypesCanBeTolerated: rule sets name event types syscam does not
// have (other platforms, newer kernels); with Options.UnknownEventType they compile,
// each unknown name is reported once with its place, and it matches nothing.
func TestUnknownEventTypesCanBeTolerated(t *testing.T) {
	s := newScenario(t)
	for _, tc := range []struct {
		cond     string
		reported []string
		matches  bool // on the scenario's open event, an openat
	}{
		{"evt.type in (openat, opn)", []string{"1:22: unknown event type opn (did you mean open?)"}, true},
		{"evt.type = kevt_x", []string{"1:12: unknown event type kevt_x"}, false},
		{"evt.type != kevt_x", []string{"1:13: unknown event type kevt_x"}, true},
		{"evt.type startswith opn", nil, false},
	} {
		t.Run(tc.cond, func(t *testing.T) {
			var got []string
			f, err := Compile(tc.cond, Options{UnknownEventType: func(e *Error) { got = append(got, e.Error()) }})
			if err != nil {
				t.Fatalf("compile: %v", err)
			}
			if diff := cmp.Diff(tc.reported, got); diff != "" {
				t.Errorf("reported (-want +got):\n%s", diff)
			}
			if m := f.Match(s.input(t, "open", false)); m != tc.matches {
				t.Errorf("match on open = %v, want %v", m, tc.matches)
			}
			if bp := f.BlockPredicate(); bp != nil && bp()(s.input(t, "open", false).Event) != tc.matches {
				t.Errorf("block predicate disagrees with the filter")
			}
		})
	}
}
