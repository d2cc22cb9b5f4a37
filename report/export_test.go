package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parquet-go/parquet-go"
)

func runExport(t *testing.T, hosts []*Host, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	x, err := NewExporter(&buf, format)
	if err != nil {
		t.Fatal(err)
	}
	if err := Run(hosts, Options{}, x.Add); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestExportOfTwoHostsMatchesGolden(t *testing.T) {
	web, db := fixture(t)
	hosts := open(t, web, db)
	for _, f := range []string{"jsonl", "csv"} {
		t.Run(f, func(t *testing.T) {
			golden(t, "export."+f+".golden", runExport(t, hosts, f))
		})
	}
}

func TestParquetExportReadsBackWithTheRowsAndTypesOfJSONLines(t *testing.T) {
	web, db := fixture(t)
	hosts := open(t, web, db)
	var want []Row
	dec := json.NewDecoder(bytes.NewReader(runExport(t, hosts, "jsonl")))
	for dec.More() {
		var r Row
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		want = append(want, r)
	}
	path := filepath.Join(t.TempDir(), "x.parquet")
	if err := os.WriteFile(path, runExport(t, hosts, "parquet"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := parquet.ReadFile[Row](path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 80 || len(want) != 80 {
		t.Fatalf("rows: parquet %d, jsonl %d, want 80 (every event of both hosts)", len(got), len(want))
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Row{}, "Datetime", "Time")); diff != "" {
		t.Errorf("parquet rows differ from jsonl rows (-want +got):\n%s", diff)
	}
	for _, r := range got {
		if r.Time != r.RawTime {
			t.Fatalf("row %d: evt_time %d != evt_rawtime %d", r.Num, r.Time, r.RawTime)
		}
	}
	checkParquetTypes(t, path)
}

// checkParquetTypes checks the physical and logical types a SQL engine sees.
func checkParquetTypes(t *testing.T, path string) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, col := range []string{"evt_time", "evt_num", "evt_rawtime", "proc_pid", "host_name", "fd_name", "fd_sport", "evt_errno"} {
		leaf, ok := pf.Schema().Lookup(col)
		if !ok {
			t.Fatalf("column %s missing", col)
		}
		desc := leaf.Node.Type().String()
		if leaf.Node.Optional() {
			desc = "optional " + desc
		}
		got[col] = desc
	}
	want := map[string]string{
		"evt_time":    "TIMESTAMP(isAdjustedToUTC=true,unit=NANOS)",
		"evt_num":     "INT(64,false)",
		"evt_rawtime": "INT(64,true)",
		"proc_pid":    "INT(32,true)",
		"host_name":   "STRING",
		"fd_name":     "optional STRING",
		"fd_sport":    "optional INT(32,true)",
		"evt_errno":   "optional STRING",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("column types (-want +got):\n%s", diff)
	}
	if n := pf.NumRows(); n != 80 {
		t.Errorf("file rows = %d, want 80", n)
	}
}
