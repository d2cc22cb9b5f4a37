package report

import (
	"bytes"
	"testing"
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
