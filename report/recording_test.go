package report

import (
	"bytes"
	"os"
	"testing"
)

// recordings are real traces the reports are checked on: the loopback HTTP exchange
// shipped here, and the project's incident recording once testdata/incident.syscam
// (made by testdata/make-incident.sh) exists.
var recordings = []struct{ name, path string }{
	{"http", "testdata/http/http.syscam"},
	{"incident", "../testdata/incident.syscam"},
}

func TestReportsOfRealRecordingsMatchGoldens(t *testing.T) {
	for _, rec := range recordings {
		t.Run(rec.name, func(t *testing.T) {
			if _, err := os.Stat(rec.path); err != nil {
				t.Skipf("no %s: record it with its make script first (%v)", rec.path, err)
			}
			if _, err := os.Stat("testdata/" + rec.name + ".stats.golden"); err != nil && !*update {
				t.Skipf("%s exists but has no goldens yet: run go test ./report -run RealRecordings -update and review them", rec.path)
			}
			hosts := open(t, rec.path)
			s := NewStats(hosts)
			if err := Run(hosts, Options{}, s.Add); err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := s.Report(15).WriteText(&buf); err != nil {
				t.Fatal(err)
			}
			golden(t, rec.name+".stats.golden", buf.Bytes())
			golden(t, rec.name+".timeline.golden", runTimeline(t, hosts, Options{}, "text"))
		})
	}
}
