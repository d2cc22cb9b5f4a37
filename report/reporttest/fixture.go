package reporttest

import (
	_ "embed"
	"path/filepath"

	"github.com/syscam/syscam/format"
)

// The two hosts of the shared fixture: a web server where a shell downloads and runs
// a second stage (persistence, reverse shell, privilege games), and a database host
// whose events interleave with it.
var (
	//go:embed web1.events
	Web1Events string
	//go:embed db1.events
	DB1Events string

	Web1 = format.Host{Hostname: "web1", MachineID: "0a1b2c3d", BootID: "b1", KernelRelease: "6.8.0"}
	DB1  = format.Host{Hostname: "db1", MachineID: "4e5f6a7b", BootID: "b2", KernelRelease: "6.8.0"}
)

// Fixture writes the two hosts' traces (snaplen 512; web1 lost 12 events on CPU 0)
// into dir and returns their paths.
func Fixture(dir string) (web, db string, err error) {
	web, db = filepath.Join(dir, "web1.syscam"), filepath.Join(dir, "db1.syscam")
	webStats := format.Stats{Seen: 80, Written: 68, CPUs: []format.CPUStats{{CPU: 0, Seen: 50, LostRing: 12}, {CPU: 1, Seen: 30}}}
	if err := Write(web, Web1, 512, webStats, Web1Events); err != nil {
		return "", "", err
	}
	if err := Write(db, DB1, 512, format.Stats{Seen: 20, Written: 20}, DB1Events); err != nil {
		return "", "", err
	}
	return web, db, nil
}
