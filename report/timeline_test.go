package report

import (
	"bytes"
	"testing"
)

func runTimeline(t *testing.T, hosts []*Host, opt Options, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw, err := NewTimelineWriter(&buf, format)
	if err != nil {
		t.Fatal(err)
	}
	tl := NewTimeline(tw.Write)
	if err := Run(hosts, opt, tl.Add); err != nil {
		t.Fatal(err)
	}
	if err := tl.Finish(); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestTimelineOfTwoHostsMatchesGolden(t *testing.T) {
	web, db := fixture(t)
	hosts := open(t, web, db)
	for _, f := range TimelineFormats {
		t.Run(f, func(t *testing.T) {
			golden(t, "timeline."+f+".golden", runTimeline(t, hosts, Options{}, f))
		})
	}
}
