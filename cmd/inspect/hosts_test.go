package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEventsOfTwoHostsCarryTheirHost reads the two-host fixture (web1 and db1, whose
// events interleave in time) as one stream: each event must name its own host, and
// each host's processes must come from its own replay.
func TestEventsOfTwoHostsCarryTheirHost(t *testing.T) {
	dir, web, db := reportFixture(t)
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"a filter on host.name keeps that host's events, with its own processes",
			[]string{"-f", "host.name = db1 and evt.type in (execve, connect)", "-p", "%evt.time %host.name %host.id %proc.name %evt.type %fd.name", db, web},
			[]string{"06:00:03.501000000 db1 4e5f6a7b cron execve <NA>", "06:00:03.508000000 db1 4e5f6a7b cron connect 10.0.0.6:52000->192.0.2.50:873"}},
		{"a filter on host.id, from a directory",
			[]string{"-f", "host.id = 0a1b2c3d and evt.type = connect", "-p", "%evt.time %host.name %evt.hostname %proc.name %fd.name", dir},
			[]string{"06:00:02.003000000 web1 web1 curl 127.0.0.1:40000->127.0.0.1:8765", "06:00:04.001000000 web1 web1 stage2.sh 10.0.0.5:41000->198.51.100.9:4444"}},
		{"connections of both hosts in one time order",
			[]string{"-f", "evt.type = connect", "-p", "%evt.time %host.name %proc.name", web, db},
			[]string{"06:00:02.003000000 web1 curl", "06:00:03.508000000 db1 cron", "06:00:04.001000000 web1 stage2.sh"}},
		{"--from and --to bound the merged stream",
			[]string{"-f", "evt.type = connect", "-p", "%host.name", "--from", "06:00:03", "--to", "06:00:04.001", dir},
			[]string{"db1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"events", "--tz", "UTC"}, tc.args...)
			if err := run(args, &stdout, &stderr); err != nil {
				t.Fatalf("run: %v\nstderr: %s", err, stderr.String())
			}
			if diff := cmp.Diff(tc.want, outLines(stdout.String())); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
		})
	}
}

func outLines(s string) []string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func TestEventsOfTwoHostsMergeInTimeOrderAsJSON(t *testing.T) {
	dir, _, _ := reportFixture(t)
	var stdout, stderr bytes.Buffer
	if err := run([]string{"events", "--json", "-p", "%evt.rawtime %host.name %host.id", dir}, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\nstderr: %s", err, stderr.String())
	}
	type row struct {
		Time int64  `json:"evt.rawtime"`
		Name string `json:"host.name"`
		ID   string `json:"host.id"`
	}
	count := map[string]int{}
	var times []int64
	for _, l := range outLines(stdout.String()) {
		var r row
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		count[r.Name+" "+r.ID]++
		times = append(times, r.Time)
	}
	// The fixture's event lines, less the state records (procinfo, fdinfo, userinfo).
	want := map[string]int{"web1 0a1b2c3d": 60, "db1 4e5f6a7b": 20}
	if diff := cmp.Diff(want, count); diff != "" {
		t.Errorf("events per host (-want +got):\n%s", diff)
	}
	if !slices.IsSorted(times) {
		t.Error("events are not in one time order")
	}
}

// TestRulesOverTwoHostsNameTheHostOfEachAlert runs a rule over both hosts' files: the
// alerts' hostname and output fields are the host of the event.
func TestRulesOverTwoHostsNameTheHostOfEachAlert(t *testing.T) {
	dir, _, _ := reportFixture(t)
	rulesFile := filepath.Join(t.TempDir(), "r.yaml")
	rule := `- rule: Outbound connection
  desc: any connect
  condition: evt.type = connect and host.name in (web1, db1)
  output: "%host.name (%host.id) %proc.name connected to %fd.rip"
  priority: NOTICE
`
	if err := os.WriteFile(rulesFile, []byte(rule), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := runRulesCmd(t, "rules", "-r", rulesFile, "--json", dir)
	if err != nil {
		t.Fatalf("run: %v\nstderr: %s", err, stderr)
	}
	var got []string
	for _, l := range outLines(stdout) {
		var a struct {
			Hostname string `json:"hostname"`
			Output   string `json:"output"`
		}
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		got = append(got, a.Hostname+": "+a.Output[strings.Index(a.Output, " ")+1:])
	}
	want := []string{
		"web1: Notice web1 (0a1b2c3d) curl connected to 127.0.0.1",
		"db1: Notice db1 (4e5f6a7b) cron connected to 192.0.2.50",
		"web1: Notice web1 (0a1b2c3d) stage2.sh connected to 198.51.100.9",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hostname: output (-want +got):\n%s", diff)
	}
	stdout, stderr, err = runRulesCmd(t, "rules", "-r", rulesFile, "-f", "host.id = 4e5f6a7b", dir)
	if err != nil {
		t.Fatalf("run -f: %v\nstderr: %s", err, stderr)
	}
	if n := len(alertLines(stdout)); n != 1 || !strings.Contains(stdout, "db1 (4e5f6a7b) cron") {
		t.Errorf("-f host.id = db1's id: %d alerts, want db1's one:\n%s", n, stdout)
	}
}

// TestReportsFilterOnTheHost checks host.name and host.id in the reports' filters,
// and that the host columns of the export and the timeline name each row's host.
func TestReportsFilterOnTheHost(t *testing.T) {
	dir, _, _ := reportFixture(t)
	for _, tc := range []struct {
		name string
		args []string
		cols []string // CSV columns to compare
		want [][]string
	}{
		{"export rows of one machine id carry its name and id",
			[]string{"export", "--format", "csv", "-o", "-", "-f", "host.id = 4e5f6a7b and evt.type = connect", dir},
			[]string{"host_name", "host_id", "evt_type", "proc_name"},
			[][]string{{"db1", "4e5f6a7b", "connect", "cron"}}},
		{"timeline of one host name",
			[]string{"timeline", "--format", "csv", "-f", "host.name = web1 and evt.type = connect", dir},
			[]string{"host", "pid"},
			[][]string{{"web1", "1001"}, {"web1", "1002"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if err := run(tc.args, &stdout, &stderr); err != nil {
				t.Fatalf("run: %v\nstderr: %s", err, stderr.String())
			}
			if diff := cmp.Diff(tc.want, csvColumns(t, stdout.String(), tc.cols)); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

// csvColumns returns the named columns of every row of a CSV text with a header.
func csvColumns(t *testing.T, text string, cols []string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("read csv: %v (%d records)", err, len(recs))
	}
	var out [][]string
	for _, rec := range recs[1:] {
		var row []string
		for _, c := range cols {
			i := slices.Index(recs[0], c)
			if i < 0 {
				t.Fatalf("no column %s in %v", c, recs[0])
			}
			row = append(row, rec[i])
		}
		out = append(out, row)
	}
	return out
}

// TestStateCommandsRefuseSeveralMachines: a process tree or fd table is one machine's
// state; files of two hosts get an error naming both, and one host's file works.
func TestStateCommandsRefuseSeveralMachines(t *testing.T) {
	_, web, db := reportFixture(t)
	for _, args := range [][]string{{"tree"}, {"ps"}, {"fds", "--pid", "900"}} {
		cmd := args[0]
		t.Run(cmd, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(append(slices.Clone(args), web, db), &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), "2 machines") ||
				!strings.Contains(err.Error(), "web1 (1 file)") || !strings.Contains(err.Error(), "db1 (1 file)") {
				t.Errorf("%s over two hosts: error %v, want one naming the 2 machines web1 and db1", cmd, err)
			}
			stdout.Reset()
			if err := run(append(slices.Clone(args), web), &stdout, &stderr); err != nil || stdout.Len() == 0 {
				t.Errorf("%s over one host: error %v, %d bytes of output", cmd, err, stdout.Len())
			}
		})
	}
}

var sizeRE = regexp.MustCompile(`[0-9.]+ KiB`)

// TestInfoOfTwoHostsNamesEach: info sums the files of several machines and names the
// host of each file and each host, rather than the first file's host alone.
func TestInfoOfTwoHostsNamesEach(t *testing.T) {
	_, web, db := reportFixture(t)
	var stdout, stderr bytes.Buffer
	if err := run([]string{"info", web, db}, &stdout, &stderr); err != nil {
		t.Fatalf("info: %v", err)
	}
	var hosts []string
	for _, l := range outLines(stdout.String()) {
		if strings.HasPrefix(l, "host ") || strings.HasPrefix(l, "file ") {
			// File sizes depend on the fixture's temporary paths, kept in the headers.
			hosts = append(hosts, sizeRE.ReplaceAllString(strings.Join(strings.Fields(l), " "), "SIZE"))
		}
	}
	want := []string{
		"file " + web + " (format 2, 60 events, SIZE, host web1)",
		"file " + db + " (format 2, 20 events, SIZE, host db1)",
		"host web1, kernel 6.8.0, machine id 0a1b2c3d",
		"host db1, kernel 6.8.0, machine id 4e5f6a7b",
	}
	if d := cmp.Diff(want, hosts); d != "" {
		t.Errorf("file and host lines (-want +got):\n%s", d)
	}
	stdout.Reset()
	if err := run([]string{"info", "--json", web, db}, &stdout, &stderr); err != nil {
		t.Fatalf("info --json: %v", err)
	}
	var sum struct {
		Files []struct {
			Host struct {
				Hostname string `json:"hostname"`
			} `json:"host"`
		} `json:"files"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil || len(sum.Files) != 2 ||
		sum.Files[0].Host.Hostname != "web1" || sum.Files[1].Host.Hostname != "db1" {
		t.Errorf("info --json files: %+v (%v), want hosts web1 and db1", sum.Files, err)
	}
}

func TestTUIRefusesSeveralMachines(t *testing.T) {
	_, web, db := reportFixture(t)
	var stdout, stderr bytes.Buffer
	err := run([]string{"tui", web, db}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "2 machines (web1, db1)") {
		t.Errorf("tui over two hosts: error %v, want one naming the 2 machines web1 and db1", err)
	}
}
