package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parquet-go/parquet-go"
	"github.com/syscam/syscam/report"
	"github.com/syscam/syscam/report/reporttest"
)

// reportFixture writes the two-host fixture of package report into one directory.
func reportFixture(t *testing.T) (dir, web, db string) {
	t.Helper()
	dir = t.TempDir()
	web, db, err := reporttest.Fixture(dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, web, db
}

// TestReportCommandsPrintTheReportGoldens runs the commands end to end and compares
// their output with package report's goldens, which were made by the same reports.
func TestReportCommandsPrintTheReportGoldens(t *testing.T) {
	dir, web, db := reportFixture(t)
	for _, tc := range []struct {
		name   string
		args   []string
		golden string
	}{
		{"stats of a directory", []string{"stats", dir}, "stats.golden"},
		{"timeline of two files, flags after them", []string{"timeline", web, db}, "timeline.text.golden"},
		{"timeline as csv", []string{"timeline", "--format", "csv", dir}, "timeline.csv.golden"},
		{"timeline as jsonl", []string{"timeline", "--format", "jsonl", dir}, "timeline.jsonl.golden"},
		{"follow a connection given either way round", []string{"follow", "--conn", "127.0.0.1:8765->127.0.0.1:40000", dir}, "follow.conn.text.golden"},
		{"follow an fd as hex", []string{"follow", dir, "--conn", "127.0.0.1:40000->127.0.0.1:8765", "--format", "hex"}, "follow.conn.hex.golden"},
		{"export json lines to stdout", []string{"export", "--format", "jsonl", "-o", "-", dir}, "export.jsonl.golden"},
		{"export csv to stdout", []string{"export", "--format", "csv", "-o", "-", dir}, "export.csv.golden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if err := run(tc.args, &stdout, &stderr); err != nil {
				t.Fatalf("run: %v\nstderr: %s", err, stderr.String())
			}
			want, err := os.ReadFile(filepath.Join("..", "..", "report", "testdata", tc.golden))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), stdout.String()); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReportCommandsTakeTheFilterAndTheWindow(t *testing.T) {
	dir, _, _ := reportFixture(t)
	var stdout, stderr bytes.Buffer
	// --from and --to are clock times on the capture's day; --to is exclusive.
	args := []string{"timeline", "-f", "evt.hostname = db1", "--from", "06:00:03.5", "--to", "06:00:03.506", dir}
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		got = append(got, strings.Join(strings.Fields(line)[1:4], " "))
	}
	want := []string{"db1 Process Start", "db1 Process Exec", "db1 Login cron[1500]", "db1 Privilege Change"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("host and kind of each line (-want +got):\n%s", diff)
	}
}

func TestExportWritesAParquetFileOfEveryEvent(t *testing.T) {
	dir, _, _ := reportFixture(t)
	out := filepath.Join(t.TempDir(), "fleet.parquet")
	var stdout, stderr bytes.Buffer
	if err := run([]string{"export", "--format", "parquet", "-o", out, dir}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	rows, err := parquet.ReadFile[report.Row](out)
	if err != nil {
		t.Fatal(err)
	}
	hosts := map[string]int{}
	for _, r := range rows {
		hosts[r.HostName]++
	}
	if diff := cmp.Diff(map[string]int{"web1": 60, "db1": 20}, hosts); diff != "" {
		t.Errorf("rows per host (-want +got):\n%s", diff)
	}
	if got := stderr.String(); got != "export: 80 rows written to "+out+"\n" {
		t.Errorf("stderr = %q", got)
	}
	st, err := os.Stat(out)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("export file mode = %v (%v), want 0600: it holds what the trace holds", st.Mode().Perm(), err)
	}
}

func TestFollowRawExtractsADirectionAndListsGaps(t *testing.T) {
	dir, _, _ := reportFixture(t)
	var stdout, stderr bytes.Buffer
	args := []string{"follow", "--conn", "127.0.0.1:40000->127.0.0.1:8765", "--format", "raw", "--dir", "out", dir}
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	want := "GET /stage2.sh HTTP/1.1\r\nHost: 127.0.0.1:8765\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n"
	if diff := cmp.Diff(want, stdout.String()); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
	stdout.Reset()
	stderr.Reset()
	args[6] = "in"
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "follow: gap of 56 bytes in the in stream at offset 64") {
		t.Errorf("stderr does not list the gap:\n%s", stderr.String())
	}
}

func TestFollowSaysWhenTheDirectionHidesEveryCall(t *testing.T) {
	dir, _, _ := reportFixture(t)
	var stdout, stderr bytes.Buffer
	// The cron file is only written: --dir in selects it but shows nothing, which must
	// not read as a file nobody touched.
	args := []string{"follow", "--file", "/etc/cron.d/.tmp", "--format", "raw", "--dir", "in", dir}
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if want := "follow: the 3 calls that matched all went the other way (--dir in)"; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr = %q, want it to contain %q", stderr.String(), want)
	}
}

func TestReportCommandsRejectBadFlags(t *testing.T) {
	dir, _, _ := reportFixture(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"stats"}, "stats: no trace file given"},
		{[]string{"stats", "--top", "-1", dir}, "--top -1"},
		{[]string{"stats", "-f", "proc.nme = x", dir}, "unknown field proc.nme"},
		{[]string{"stats", "-f", "evt.type in (open, opn)", dir}, "1:20: unknown event type opn (did you mean open?)\n  evt.type in (open, opn)\n                     ^"},
		{[]string{"timeline", "--format", "xml", dir}, `timeline format "xml"`},
		{[]string{"timeline", "--from", "yesterday", dir}, `--from: parse time "yesterday"`},
		{[]string{"follow", dir}, "give exactly one of --fd, --conn and --file"},
		{[]string{"follow", "--fd", "12", dir}, `parse fd "12"`},
		{[]string{"follow", "--fd", "1:2", "--file", "/x", dir}, "give exactly one"},
		{[]string{"follow", "--conn", "1.2.3.4:5", dir}, "parse connection"},
		{[]string{"follow", "--file", "/x", "--dir", "up", dir}, `--dir "up"`},
		{[]string{"follow", "--fd", "99999:3", dir}, "--fd 99999:3 matched nothing: no process with pid 99999 in the capture"},
		{[]string{"follow", "--file", "/nonexist", dir}, "--file /nonexist matched nothing"},
		{[]string{"follow", "--conn", "1.2.3.4:5->6.7.8.9:10", dir}, "matched nothing: no connection 1.2.3.4:5->6.7.8.9:10"},
		{[]string{"follow", "--host", "nosuch", "--file", "/tmp/stage2.sh", dir}, `--host "nosuch": no such host in the trace; its hosts: web1 (id 0a1b2c3d), db1 (id 4e5f6a7b)`},
		{[]string{"follow", "--fd", "1002:3", "--from", "+100s", dir}, "(among the events -f, --from and --to kept)"},
		{[]string{"export", "-o", "-", dir}, "--format is required"},
		{[]string{"export", "--format", "parquet", "-o", "-", dir}, "parquet needs a file"},
		{[]string{"export", "--format", "xml", "-o", "-", dir}, `export format "xml"`},
		{[]string{"stats", filepath.Join(dir, "nope.syscam")}, "nope.syscam"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(tc.args, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestStatsJSONHoldsEveryTableCutToTop(t *testing.T) {
	dir, _, _ := reportFixture(t)
	var stdout, stderr bytes.Buffer
	if err := run([]string{"stats", "--json", "--top", "2", dir}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	var r report.StatsReport
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		t.Fatalf("decode --json output: %v\n%s", err, stdout.String())
	}
	got := []string{
		fmt.Sprintf("events=%d hosts=%d", r.Events, len(r.Hosts)),
		fmt.Sprintf("top process %s[%d] %d events", r.Processes[0].Name, r.Processes[0].PID, r.Processes[0].Events),
		fmt.Sprintf("lists %d %d %d %d %d", len(r.Processes), len(r.Files), len(r.Connections), len(r.Syscalls), len(r.Errors)),
		fmt.Sprintf("web1 dropped %d (ring %d), notices %d", r.Hosts[0].Dropped, r.Hosts[0].LostRing, r.Hosts[0].Notices),
	}
	want := []string{
		"events=80 hosts=2",
		"top process stage2.sh[1002] 38 events",
		"lists 2 2 2 2 2",
		"web1 dropped 12 (ring 12), notices 12",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
}

// export must never write over one of its inputs, however the output names it, and
// overwrites another existing file only with --force.
func TestExportRefusesToWriteOverItsInputOrAnExistingFile(t *testing.T) {
	dir, web, db := reportFixture(t)
	keep := map[string][]byte{}
	for _, name := range []string{web, db} {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		keep[name] = data
	}
	link := filepath.Join(t.TempDir(), "link.syscam")
	if err := os.Symlink(web, link); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "old.jsonl")
	if err := os.WriteFile(other, []byte("an earlier export\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"the output is the input", []string{"export", "--format", "jsonl", "-o", web, web}, "is the input"},
		{"the output is the input, with --force", []string{"export", "--format", "jsonl", "--force", "-o", web, web}, "is the input"},
		{"the output is a symlink to the input", []string{"export", "--format", "csv", "--force", "-o", link, web}, "is the input"},
		{"the output is a trace in the input directory", []string{"export", "--format", "parquet", "--force", "-o", db, dir}, "is the input"},
		{"the output exists", []string{"export", "--format", "jsonl", "-o", other, web}, "exists; use --force"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(tc.args, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one containing %q", err, tc.want)
			}
			for name, want := range keep {
				if got, err := os.ReadFile(name); err != nil || !bytes.Equal(got, want) {
					t.Fatalf("input %s changed: %d bytes, want %d (%v)", name, len(got), len(want), err)
				}
			}
			if got, _ := os.ReadFile(other); string(got) != "an earlier export\n" {
				t.Errorf("%s was overwritten without --force", other)
			}
		})
	}
	var stdout, stderr bytes.Buffer
	if err := run([]string{"export", "--format", "jsonl", "--force", "-o", other, web}, &stdout, &stderr); err != nil {
		t.Fatalf("export --force over an earlier export: %v", err)
	}
	if got, _ := os.ReadFile(other); !bytes.HasPrefix(got, []byte(`{"`)) {
		t.Errorf("export --force left %.40q, want JSON lines", got)
	}
}

// An export that fails half way must leave no file: the rows written so far load as
// a smaller, complete-looking data set.
func TestExportThatFailsLeavesNoFile(t *testing.T) {
	data, err := os.ReadFile(sharedCapture(t, "curl_google.scap"))
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"jsonl", "csv", "parquet"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			in := filepath.Join(dir, "cg.scap")
			if err := os.WriteFile(in, data[:15000], 0o600); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "cg."+format)
			var stdout, stderr bytes.Buffer
			if err := run([]string{"export", "--format", format, "-o", out, in}, &stdout, &stderr); err == nil {
				t.Fatalf("export of a truncated capture succeeded: %s", stderr.String())
			}
			// filepath.Glob's * matches a leading dot, so this sees a hidden partial file too.
			names, _ := filepath.Glob(filepath.Join(dir, "*"))
			if d := cmp.Diff([]string{in}, names); d != "" {
				t.Errorf("files in the directory after the failure (-want +got):\n%s", d)
			}
		})
	}
}
