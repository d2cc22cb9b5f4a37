package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var updateEvents = flag.Bool("update-events", false, "rewrite the inspect events golden files")

// checkGolden compares got with testdata/events/name, or rewrites the file with
// -update-events (and then checks that a second run gives the same output).
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "events", name)
	if *updateEvents {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update-events to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

func TestEventsOnFixture(t *testing.T) {
	path := writeTrace(t, incident, 0)
	tests := []struct {
		name   string
		args   []string
		golden string
	}{
		{"every event, sysdig's default line", []string{"events", "--tz", "UTC", path}, "fixture-all.txt"},
		{"a filter on process and fd state", []string{"events", "--tz", "UTC", "-f", "proc.name = curl and fd.num >= 0", path}, "fixture-curl-fds.txt"},
		{"a custom format with the flags after the file", []string{"events", path, "-f", "evt.type in (execve, procexit)",
			"-p", "%evt.time.iso8601 %proc.pname -> %proc.cmdline [%user.name] %container.id exit=%evt.arg.status"}, "fixture-exec.txt"},
		{"JSON lines", []string{"events", "--json", "--tz", "UTC", "-f", "evt.type in (connect, accept4)", path}, "fixture-net.json"},
		{"JSON lines with a format", []string{"events", "--json", "-p", "%evt.num %fd.name %fd.sip %fd.sport %fd.l4proto %proc.aname", "-f", "fd.type = ipv4", path}, "fixture-net-fields.json"},
		{"a time window", []string{"events", "--tz", "UTC", "--from", "+4s", "--to", "+5s", path}, "fixture-window.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runInspect(t, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.golden, out)
			if strings.HasSuffix(tt.golden, ".json") {
				checkJSONLines(t, out)
			}
		})
	}
}

// checkJSONLines checks that every line is one JSON object.
func checkJSONLines(t *testing.T, out string) {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(out))
	n := 0
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Errorf("line %d is not a JSON object: %v: %s", n+1, err, sc.Text())
		}
		n++
	}
	if n == 0 {
		t.Errorf("no JSON lines")
	}
}

// TestEventsOnRealCapture prints a real sysdig capture (curl fetching google.com).
func TestEventsOnRealCapture(t *testing.T) {
	path := filepath.Join(scapDir(t), "curl_google.scap")
	out, err := runInspect(t, "events", "--tz", "UTC", "-f", "proc.name = curl and evt.type in (connect, openat, execve, sendto, recvfrom, write)", path)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "scap-curl.txt", out)
	js, err := runInspect(t, "events", "--json", "-p", "%evt.num %proc.name %fd.name %fd.sip %fd.sport %evt.res", "-f", "evt.type = connect", path)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "scap-curl-connect.json", js)
	checkJSONLines(t, js)
}

// incidentFilter picks the steps of the scripted intrusion (testdata/make-incident.sh)
// out of the fixture's 6757 events.
const incidentFilter = `evt.type in (execve, connect, ptrace, setuid, memfd_create) or
  (evt.type = dup2 and fd.type = ipv4) or
  (evt.type in (open, openat) and fd.name in (/etc/shadow, /etc/cron.d/syscam-demo, /root/.ssh/authorized_keys)) or
  (evt.type = openat and fd.name endswith .bash_history and evt.arg.flags contains O_TRUNC)`

// TestEventsOnIncidentRecording prints the intrusion recorded by the recorder (see
// testdata/events/trim for how the fixture was cut from the recording).
func TestEventsOnIncidentRecording(t *testing.T) {
	path := filepath.Join("testdata", "events", "incident.syscam")
	out, err := runInspect(t, "events", "--tz", "UTC", "-f", incidentFilter, path)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "incident.txt", out)
	js, err := runInspect(t, "events", "--json", "-f", "evt.type in (execve, connect, ptrace, setuid) or proc.is_exe_from_memfd = true and evt.type = procexit",
		"-p", "%evt.num %evt.time.iso8601 %evt.type %evt.res %proc.name %proc.pname %proc.cmdline %proc.exepath %proc.is_exe_from_memfd %user.name %fd.name %fd.sip %fd.sport %evt.arg.request",
		path)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "incident.json", js)
	checkJSONLines(t, js)
}

func TestEventsErrors(t *testing.T) {
	path := writeTrace(t, incident, 0)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"an unknown field shows the column and a caret", []string{"events", "-f", "evt.type = open and proc.nmae = x", path},
			"filter: 1:21: unknown field proc.nmae (did you mean proc.name?)\n  evt.type = open and proc.nmae = x\n                      ^"},
		{"a syntax error", []string{"events", "-f", "(evt.type = open", path},
			"filter: 1:17: unexpected end of condition\n  (evt.type = open\n                  ^"},
		{"a type error", []string{"events", "-f", "fd.num > many", path},
			"filter: 1:10: \"many\" is not an integer\n  fd.num > many\n           ^"},
		{"a bad format", []string{"events", "-p", "%evt.num %fd.nam", path},
			"output format: 1:11: unknown field fd.nam (did you mean fd.name?)\n  %evt.num %fd.nam\n            ^"},
		{"no file", []string{"events", "-f", "evt.num > 1"}, "events: no trace file given"},
		{"a missing file", []string{"events", filepath.Join(t.TempDir(), "none.syscam")}, "events: "},
		{"a bad time", []string{"events", "--from", "yesterday", path}, "events: --from: parse time \"yesterday\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := runInspect(t, tt.args...)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant it to start with:\n%s", err, tt.want)
			}
		})
	}
}

func TestFieldsCommand(t *testing.T) {
	out, err := runInspect(t, "fields", "fd.cport", "proc.aname")
	if err != nil {
		t.Fatal(err)
	}
	want := "fd.cport                     int      client port\n" +
		"proc.aname[N]                string   proc.aname[N] is the name of the N-th ancestor (0 the process, 1 its parent); proc.aname alone matches any ancestor\n"
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	md, err := runInspect(t, "fields", "--markdown")
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("../../docs/FIELDS.md")
	if err != nil {
		t.Fatal(err)
	}
	if md != string(committed) {
		t.Errorf("docs/FIELDS.md is stale: run go generate ./query/")
	}
}

// The recorder snapshots /proc after its capture started, so the first events lie
// before the initial state section; --from at the start must still print them.
func TestEventsFromTheStartKeepsTheEventsBeforeTheSnapshot(t *testing.T) {
	trace := filepath.Join("..", "..", "testdata", "incident.syscam")
	for _, args := range [][]string{
		{"events", "--from", "+0s", trace},                             // the default line replays state
		{"events", "--from", "+0s", "-p", "%evt.num %evt.type", trace}, // evt.* only: no state
	} {
		var out, errb bytes.Buffer
		if err := run(args, &out, &errb); err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(out.String(), "\n")
		if !strings.HasPrefix(first, "1 ") || !strings.Contains(first, "capture_start") {
			t.Errorf("inspect %s: first line %q; want event 1, capture_start", strings.Join(args, " "), first)
		}
	}
}
