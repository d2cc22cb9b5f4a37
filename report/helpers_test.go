package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/report/reporttest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fixture writes the shared two-host fixture (reporttest.Fixture) into a temporary
// directory and returns the paths of web1's and db1's traces.
func fixture(t testing.TB) (web, db string) {
	t.Helper()
	web, db, err := reporttest.Fixture(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return web, db
}

// open opens paths as hosts and closes them at the end of the test.
func open(t testing.TB, paths ...string) []*Host {
	t.Helper()
	hosts, err := Open(paths...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { Close(hosts) })
	return hosts
}

// golden compares got with testdata/name, or rewrites it with -update. Running
// twice with -update must leave the file unchanged (the output is deterministic).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s mismatch (-want +got):\n%s", path, cmp.Diff(string(want), string(got)))
	}
}
