package report

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/report/reporttest"
)

func TestStatsReportOfTwoHostsMatchesGolden(t *testing.T) {
	web, db := fixture(t)
	hosts := open(t, web, db)
	s := NewStats(hosts)
	if err := Run(hosts, Options{}, s.Add); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := s.Report(10).WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	golden(t, "stats.golden", buf.Bytes())
}

func TestStatsCountsAConnectionSharedByForkOncePerProcess(t *testing.T) {
	text := `0 10 procinfo ppid=1 comm=bash exepath=/bin/bash argv=bash
1 10 socket ret=3 domain=AF_INET type=SOCK_STREAM proto=IPPROTO_TCP
1.1 10 connect ret=0 fd=3 addr=10.0.0.9:4444 local=10.0.0.1:5000 remote=10.0.0.9:4444
1.2 10 procfork child_tid=11 child_pid=11 comm=bash
1.3 11 write ret=7 fd=3 data=uid=0\n size=7
1.4 10 write ret=5 fd=3 data=exit\n size=5
1.5 11 write ret=2 fd=3 data=ok size=2
`
	path := filepath.Join(t.TempDir(), "fork.syscam")
	if err := reporttest.Write(path, format.Host{Hostname: "h"}, 0, format.Stats{}, text); err != nil {
		t.Fatal(err)
	}
	hosts := open(t, path)
	s := NewStats(hosts)
	if err := Run(hosts, Options{}, s.Add); err != nil {
		t.Fatal(err)
	}
	got := map[int32]int64{}
	for _, c := range s.Report(0).Connections {
		got[c.PID] += c.ToServer
	}
	if diff := cmp.Diff(map[int32]int64{10: 5, 11: 9}, got); diff != "" {
		t.Errorf("bytes to the server per process (-want +got):\n%s", diff)
	}
}
