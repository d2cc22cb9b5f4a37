package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// intrusion: nginx runs a shell that reads /etc/shadow and connects back with bash's
// /dev/tcp, then a cron file is written.
const intrusion = `
0 0 userinfo uid=0 gid=0 name=root home=/root shell=/bin/bash
0 0 userinfo uid=33 gid=33 name=www-data home=/var/www shell=/usr/sbin/nologin
0 1 procinfo ppid=0 comm=systemd exepath=/usr/lib/systemd/systemd argv=/sbin/init cwd=/ start_time=-3600
0 800 procinfo ppid=1 comm=nginx exepath=/usr/sbin/nginx argv="nginx: worker process" cwd=/ uid=33 gid=33 euid=33 egid=33 start_time=-600
1 800 procfork child_tid=801 child_pid=801 comm=nginx
1.1 801 execve filename=/bin/sh argv="sh -c id" exepath=/usr/bin/dash comm=sh
2 801 openat ret=3 dirfd=AT_FDCWD name=/etc/shadow flags=O_RDONLY
3 801 socket ret=4 domain=AF_INET type=SOCK_STREAM proto=0
3.1 801 connect ret=0 fd=4 addr=203.0.113.7:4444 local=10.0.0.5:40000 remote=203.0.113.7:4444
3.2 801 dup2 ret=0 fd=4 newfd=0
4 801 openat ret=5 dirfd=AT_FDCWD name=/etc/cron.d/job flags=O_WRONLY|O_CREAT|O_TRUNC
`

func runRulesCmd(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(args, &out, &errb)
	return out.String(), errb.String(), err
}

func alertLines(stdout string) []string {
	var out []string
	for _, l := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(l, "2026-") {
			out = append(out, l)
		}
	}
	return out
}

func TestRulesCommandRunsTheDefaultRuleset(t *testing.T) {
	path := writeTrace(t, intrusion, 0)
	stdout, _, err := runRulesCmd(t, "rules", path)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"2026-11-27T06:00:01.100000000Z: Critical Shell started by network service nginx (command=sh -c id pid=801 parent=nginx gparent=systemd user=www-data exe=/usr/bin/dash cwd=/) (event #2)",
		"2026-11-27T06:00:02.000000000Z: Error Password hashes read from /etc/shadow (process=sh command=sh -c id pid=801 parent=nginx user=www-data) (event #3)",
		"2026-11-27T06:00:03.100000000Z: Critical Shell sh connected to 203.0.113.7:4444 (command=sh -c id pid=801 parent=nginx user=www-data connection=10.0.0.5:40000->203.0.113.7:4444) (event #5)",
		"2026-11-27T06:00:03.200000000Z: Critical Standard stream 0 now reads from or writes to 10.0.0.5:40000->203.0.113.7:4444 (process=sh command=sh -c id pid=801 parent=nginx user=www-data) (event #6)",
		"2026-11-27T06:00:04.000000000Z: Warning Cron job written (file=/etc/cron.d/job process=sh command=sh -c id pid=801 parent=nginx user=www-data) (event #7)",
	}
	got := alertLines(stdout)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("alerts (-want +got):\n%s\nfull output:\n%s", diff, stdout)
	}
	for _, s := range []string{"5 alerts, 42 rules, 6 events of the types they match", "Alerts by priority:", "  Critical      3", "Alerts by rule:", "Cron job written"} {
		if !strings.Contains(stdout, s) {
			t.Errorf("summary lacks %q:\n%s", s, stdout)
		}
	}
}

// The summary's rules come out of a map; rules of equal priority and count must still
// be listed in one order (by name), or the output changes from run to run.
func TestRulesCommandSummaryListsTiesByName(t *testing.T) {
	path := writeTrace(t, intrusion, 0)
	want := strings.Join([]string{
		"Alerts by rule:",
		"       1  Critical      Shell connected out to the network",
		"       1  Critical      Shell spawned by a network service",
		"       1  Critical      Standard streams redirected to a socket",
		"       1  Error         Password hashes read",
		"       1  Warning       Cron job written",
		"",
	}, "\n")
	for run := range 5 {
		stdout, _, err := runRulesCmd(t, "rules", path)
		if err != nil {
			t.Fatal(err)
		}
		_, got, _ := strings.Cut(stdout, "\n\nAlerts by rule:")
		if diff := cmp.Diff(want, "Alerts by rule:"+got); diff != "" {
			t.Fatalf("run %d: summary by rule (-want +got):\n%s", run+1, diff)
		}
	}
}

func TestRulesCommandWritesFalcoJSON(t *testing.T) {
	path := writeTrace(t, intrusion, 0)
	stdout, stderr, err := runRulesCmd(t, "rules", "--json", "--min-priority", "error", path)
	if err != nil {
		t.Fatal(err)
	}
	var rulesSeen []string
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var a struct {
			Time         string         `json:"time"`
			Rule         string         `json:"rule"`
			Priority     string         `json:"priority"`
			Output       string         `json:"output"`
			OutputFields map[string]any `json:"output_fields"`
			Tags         []string       `json:"tags"`
			Source       string         `json:"source"`
			Hostname     *string        `json:"hostname"`
			EvtNum       uint64         `json:"evt_num"`
		}
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		if a.Time == "" || a.Output == "" || a.Source != "syscall" || a.Hostname == nil || a.EvtNum == 0 || len(a.Tags) == 0 || a.OutputFields["proc.cmdline"] != "sh -c id" {
			t.Errorf("alert lacks a Falco key: %s", line)
		}
		rulesSeen = append(rulesSeen, a.Rule)
	}
	want := []string{"Shell spawned by a network service", "Password hashes read", "Shell connected out to the network", "Standard streams redirected to a socket"}
	if diff := cmp.Diff(want, rulesSeen); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if !strings.Contains(stderr, "4 alerts, 23 rules, 5 events of the types they match") {
		t.Errorf("summary not on stderr with --json:\n%s", stderr)
	}
}

func TestRulesCommandLoadsRulesFilesInOrder(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "base.yaml")
	local := filepath.Join(dir, "local.yaml")
	os.WriteFile(base, []byte(`
- list: watched
  items: [/etc/shadow]
- rule: Watched file opened
  desc: d
  condition: evt.type = openat and fd.name in (watched)
  output: "%proc.name opened %fd.name"
  priority: warning
- rule: Anything opened by sh
  desc: d
  condition: evt.type = openat and proc.name = sh
  output: "sh opened %fd.name"
  priority: debug
`), 0o644)
	os.WriteFile(local, []byte(`
- list: watched
  items: [/etc/cron.d/job]
  append: true
`), 0o644)
	path := writeTrace(t, intrusion, 0)
	stdout, _, err := runRulesCmd(t, "rules", "-r", base, "-r", local, "--all-matches", path)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range alertLines(stdout) {
		got = append(got, l[32:])
	}
	want := []string{
		"Warning sh opened /etc/shadow (event #3)",
		"Debug sh opened /etc/shadow (event #3)",
		"Warning sh opened /etc/cron.d/job (event #7)",
		"Debug sh opened /etc/cron.d/job (event #7)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("alerts (-want +got):\n%s", diff)
	}

	listed, _, err := runRulesCmd(t, "rules", "-r", base, "--list")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(listed, "Watched file opened") || !strings.Contains(listed, "2 rules") {
		t.Errorf("--list:\n%s", listed)
	}
}

func TestRulesCommandReportsBadRules(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte(`
- rule: Uses k8s audit fields
  desc: d
  condition: evt.type = openat and ka.verb = create
  output: o
  priority: info
`), 0o644)
	path := writeTrace(t, intrusion, 0)
	_, _, err := runRulesCmd(t, "rules", "-r", bad, path)
	want := `rules: ` + bad + `:4:14: rule "Uses k8s audit fields": condition column 23: unknown field ka.verb; the rule can say skip-if-unknown-filter: true, or run with --skip-unknown
    evt.type = openat and ka.verb = create
                          ^`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant    %s", err, want)
	}
	stdout, stderr, err := runRulesCmd(t, "rules", "-r", bad, "--skip-unknown", path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, `warning: `+bad+`:2:3: rule "Uses k8s audit fields": uses fields syscam does not know (ka.verb); rule skipped`) {
		t.Errorf("stderr lacks the warning:\n%s", stderr)
	}
	if !strings.Contains(stdout, "0 alerts, 0 rules, 0 events of the types they match") {
		t.Errorf("stdout:\n%s", stdout)
	}
	if _, _, err := runRulesCmd(t, "rules", "--min-priority", "loud", path); err == nil || !strings.Contains(err.Error(), `unknown priority "loud"`) {
		t.Errorf("bad --min-priority: %v", err)
	}
}

func TestRulesCommandTakesATimeWindow(t *testing.T) {
	path := writeTrace(t, intrusion, 0)
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"clock times, --to exclusive; the shell started before --from keeps its name and parent",
			[]string{"--from", "06:00:02", "--to", "06:00:03.2"},
			[]string{
				"2026-11-27T06:00:02.000000000Z: Error Password hashes read from /etc/shadow (process=sh command=sh -c id pid=801 parent=nginx user=www-data) (event #3)",
				"2026-11-27T06:00:03.100000000Z: Critical Shell sh connected to 203.0.113.7:4444 (command=sh -c id pid=801 parent=nginx user=www-data connection=10.0.0.5:40000->203.0.113.7:4444) (event #5)",
			}},
		{"--from alone, RFC 3339", []string{"--from", "2026-11-27T06:00:03.150Z"},
			[]string{
				"2026-11-27T06:00:03.200000000Z: Critical Standard stream 0 now reads from or writes to 10.0.0.5:40000->203.0.113.7:4444 (process=sh command=sh -c id pid=801 parent=nginx user=www-data) (event #6)",
				"2026-11-27T06:00:04.000000000Z: Warning Cron job written (file=/etc/cron.d/job process=sh command=sh -c id pid=801 parent=nginx user=www-data) (event #7)",
			}},
		{"--to alone, an offset from the start", []string{"--to", "+1.5s"},
			[]string{
				"2026-11-27T06:00:01.100000000Z: Critical Shell started by network service nginx (command=sh -c id pid=801 parent=nginx gparent=systemd user=www-data exe=/usr/bin/dash cwd=/) (event #2)",
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, err := runRulesCmd(t, append(append([]string{"rules"}, tc.args...), path)...)
			if err != nil {
				t.Fatalf("run: %v\nstderr: %s", err, stderr)
			}
			if diff := cmp.Diff(tc.want, alertLines(stdout)); diff != "" {
				t.Errorf("alerts (-want +got):\n%s", diff)
			}
		})
	}
	_, _, err := runRulesCmd(t, "rules", "--from", "yesterday", path)
	if err == nil || !strings.Contains(err.Error(), "--from") {
		t.Errorf("bad --from: error = %v, want one naming --from", err)
	}
}

func TestRulesCommandTakesAFilter(t *testing.T) {
	path := writeTrace(t, intrusion, 0)
	stdout, stderr, err := runRulesCmd(t, "rules", "-f", "evt.type in (openat, dup2) and not fd.name = /etc/shadow", path)
	if err != nil {
		t.Fatalf("run: %v\nstderr: %s", err, stderr)
	}
	var got []string
	for _, l := range alertLines(stdout) {
		got = append(got, l[strings.Index(l, "#"):])
	}
	// The shell's start, the shadow read and the connect are left out.
	if diff := cmp.Diff([]string{"#6)", "#7)"}, got); diff != "" {
		t.Errorf("alerted events (-want +got):\n%s\n%s", diff, stdout)
	}
	_, _, err = runRulesCmd(t, "rules", "-f", "proc.nme = sh", path)
	if err == nil || !strings.Contains(err.Error(), "unknown field proc.nme") || !strings.Contains(err.Error(), "^") {
		t.Errorf("bad filter: error = %v, want the unknown field with a caret", err)
	}
}
