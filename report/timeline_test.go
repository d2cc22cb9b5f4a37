package report

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/report/reporttest"
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

// foldTrace is a process writing n times to one file while another process acts, then
// closing the file.
func foldTrace(t *testing.T, n int) []*Host {
	var b strings.Builder
	b.WriteString(`0 10 procinfo ppid=1 comm=logger exepath=/usr/bin/logger argv=logger
0 20 procinfo ppid=1 comm=sh exepath=/bin/sh argv=sh
1 10 openat ret=3 dirfd=AT_FDCWD name=/var/log/app.log flags=O_WRONLY|O_APPEND
`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%.6f 10 write ret=100 fd=3 data=x size=100\n", 2+float64(i)/1e6)
		if i == n/2 {
			fmt.Fprintf(&b, "%.6f 20 unlink ret=0 path=/tmp/evidence\n", 2+float64(i)/1e6)
		}
	}
	fmt.Fprintf(&b, "3 10 close ret=0 fd=3\n")
	path := filepath.Join(t.TempDir(), "fold.syscam")
	if err := reporttest.Write(path, format.Host{Hostname: "h"}, 0, format.Stats{}, b.String()); err != nil {
		t.Fatal(err)
	}
	return open(t, path)
}

func TestTimelineFoldsWritesToOneFDIntoOneLine(t *testing.T) {
	hosts := foldTrace(t, 1000)
	var got []string
	tl := NewTimeline(func(a *Action) error {
		got = append(got, fmt.Sprintf("%s %s count=%d bytes=%d", a.Kind, a.Path, a.Count, a.Bytes))
		return nil
	})
	if err := Run(hosts, Options{}, tl.Add); err != nil {
		t.Fatal(err)
	}
	if err := tl.Finish(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"File Write /var/log/app.log count=1000 bytes=100000", // first: it began first
		"File Delete /tmp/evidence count=0 bytes=0",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
}

func TestTimelineCutsAFoldWhenTooManyLinesWaitBehindIt(t *testing.T) {
	hosts := foldTrace(t, 10)
	var got []string
	tl := NewTimeline(func(a *Action) error {
		got = append(got, fmt.Sprintf("%s count=%d", a.Kind, a.Count))
		return nil
	})
	tl.maxPending = 1
	if err := Run(hosts, Options{}, tl.Add); err != nil {
		t.Fatal(err)
	}
	if err := tl.Finish(); err != nil {
		t.Fatal(err)
	}
	want := []string{"File Write count=6", "File Delete count=0", "File Write count=4"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
}

func TestTimelineTextEscapesControlCharactersOfTheTrace(t *testing.T) {
	text := `0 10 procinfo ppid=1 comm=sh exepath=/bin/sh argv=sh
1 10 unlink ret=0 path="/tmp/\x1b[31mred\nline"
`
	path := filepath.Join(t.TempDir(), "esc.syscam")
	if err := reporttest.Write(path, format.Host{Hostname: "h"}, 0, format.Stats{}, text); err != nil {
		t.Fatal(err)
	}
	got := string(runTimeline(t, open(t, path), Options{}, "text"))
	want := `2026-11-27T06:00:01.000000Z  h  File Delete             sh[10] deleted /tmp/\x1b[31mred\nline` + "\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("text line (-want +got):\n%s", diff)
	}
}
