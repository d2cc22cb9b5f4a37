package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/report/reporttest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// The two hosts of the fixture: testdata/web1.events and testdata/db1.events.
var (
	web1 = format.Host{Hostname: "web1", MachineID: "0a1b2c3d", BootID: "b1", KernelRelease: "6.8.0"}
	db1  = format.Host{Hostname: "db1", MachineID: "4e5f6a7b", BootID: "b2", KernelRelease: "6.8.0"}
)

// fixture writes the hosts' traces into a temporary directory and returns their paths.
func fixture(t testing.TB) (web, db string) {
	t.Helper()
	dir := t.TempDir()
	web, db = filepath.Join(dir, "web1.syscam"), filepath.Join(dir, "db1.syscam")
	webStats := format.Stats{Seen: 80, Written: 68, CPUs: []format.CPUStats{{CPU: 0, Seen: 50, LostRing: 12}, {CPU: 1, Seen: 30}}}
	write(t, web, web1, 512, webStats, "testdata/web1.events")
	write(t, db, db1, 512, format.Stats{Seen: 20, Written: 20}, "testdata/db1.events")
	return web, db
}

func write(t testing.TB, path string, h format.Host, snaplen uint32, st format.Stats, src string) {
	t.Helper()
	text, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := reporttest.Write(path, h, snaplen, st, string(text)); err != nil {
		t.Fatalf("write %s: %v", src, err)
	}
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
