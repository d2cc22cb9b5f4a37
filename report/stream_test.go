package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/query"
	"github.com/syscam/syscam/report/reporttest"
)

// interleaved writes two hosts' traces whose events alternate in time: a at even
// milliseconds, b at odd ones, n each.
func interleaved(t *testing.T, n int) (a, b string) {
	dir := t.TempDir()
	a, b = filepath.Join(dir, "a.syscam"), filepath.Join(dir, "b.syscam")
	for i, p := range []string{a, b} {
		var text strings.Builder
		for j := 0; j < n; j++ {
			fmt.Fprintf(&text, "%.3f %d getpid ret=%d\n", float64(2*j+i)/1000, 100+i, 100+i)
		}
		host := format.Host{Hostname: []string{"a", "b"}[i], MachineID: []string{"ma", "mb"}[i]}
		if err := reporttest.Write(p, host, 0, format.Stats{}, text.String()); err != nil {
			t.Fatal(err)
		}
	}
	return a, b
}

type seen struct {
	Host string
	Time int64
	Num  uint64
}

func collect(t *testing.T, hosts []*Host, opt Options) []seen {
	var out []seen
	err := Run(hosts, opt, func(r *Record) error {
		out = append(out, seen{r.Host.Name, r.Event.Time - reporttest.Base, r.Event.Num})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRunMergesTwoHostsIntoOneTimeOrder(t *testing.T) {
	a, b := interleaved(t, 1000)
	hosts := open(t, b, a) // given out of order: hosts sort by their first event
	got := collect(t, hosts, Options{})
	if len(got) != 2000 {
		t.Fatalf("events = %d, want 2000", len(got))
	}
	for i, s := range got {
		want := seen{[]string{"a", "b"}[i%2], int64(i) * 1e6, uint64(i/2 + 1)}
		if s != want {
			t.Fatalf("event %d = %+v, want %+v (one time order, numbers per host)", i, s, want)
		}
	}
}

func TestRunKeepsTheWindowAndTheFilter(t *testing.T) {
	a, b := interleaved(t, 10)
	hosts := open(t, a, b)
	f, err := query.Compile("evt.hostname = b", query.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		opt  Options
		want []int64 // ms
	}{
		{"from and to bound the times, to exclusive", Options{From: reporttest.Base + 3e6, To: reporttest.Base + 7e6}, []int64{3, 4, 5, 6}},
		{"a filter on the host keeps its events", Options{Filter: f, To: reporttest.Base + 8e6}, []int64{1, 3, 5, 7}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []int64
			for _, s := range collect(t, hosts, tc.opt) {
				got = append(got, s.Time/1e6)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("times (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRunGivesEachEventTheHostOfItsFile(t *testing.T) {
	a, b := interleaved(t, 4)
	hosts := open(t, a, b)
	out, err := query.NewFormatter("%host.name %host.id %evt.hostname", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		filter string
		want   []string
	}{
		{"host.name = a", []string{"0 a ma a", "2 a ma a", "4 a ma a", "6 a ma a"}},
		{"host.id = mb and evt.rawtime.ns >= 3000000", []string{"3 b mb b", "5 b mb b", "7 b mb b"}},
		{"host.name in (a, b) and evt.hostname = b and host.id != ma", []string{"1 b mb b", "3 b mb b", "5 b mb b", "7 b mb b"}},
		{"host.id = nosuchmachine", nil},
	} {
		t.Run(tc.filter, func(t *testing.T) {
			f, err := query.Compile(tc.filter, query.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			err = Run(hosts, Options{Filter: f}, func(r *Record) error {
				got = append(got, fmt.Sprintf("%d %s", (r.Event.Time-reporttest.Base)/1e6, out.AppendText(nil, r.Input)))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ms host.name host.id evt.hostname (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOpenGroupsFilesByHostAndRejectsBadPaths(t *testing.T) {
	a, _ := interleaved(t, 3)
	hosts := open(t, filepath.Dir(a))
	var names []string
	for _, h := range hosts {
		names = append(names, fmt.Sprintf("%s/%s/%d files", h.Name, h.ID, len(h.Files)))
	}
	if diff := cmp.Diff([]string{"a/ma/1 files", "b/mb/1 files"}, names); diff != "" {
		t.Errorf("hosts (-want +got):\n%s", diff)
	}
	for _, bad := range []string{filepath.Join(t.TempDir(), "missing.syscam"), t.TempDir()} {
		if _, err := Open(bad); err == nil {
			t.Errorf("Open(%s) succeeded, want an error", bad)
		}
	}
	garbage := filepath.Join(t.TempDir(), "garbage.syscam")
	if err := os.WriteFile(garbage, []byte("not a trace at all, just text"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(garbage); err == nil || !strings.Contains(err.Error(), garbage) {
		t.Errorf("Open(garbage) error = %v, want one naming the file", err)
	}
	if _, err := Open(); err == nil {
		t.Error("Open() succeeded, want an error for no file")
	}
}

func TestRunFromAnInstantStartsAtTheCheckpointBeforeIt(t *testing.T) {
	text := `0 10 procinfo ppid=1 comm=sh exepath=/bin/sh argv=sh
1 10 procfork child_tid=11 child_pid=11 comm=sh
1.1 11 execve ret=0 filename=/tmp/evil argv=evil exepath=/tmp/evil comm=evil ppid=10
1.2 11 openat ret=3 dirfd=AT_FDCWD name=/etc/passwd flags=O_RDONLY
1.3 10 getpid ret=10
@checkpoint
2 11 getpid ret=11
3 11 read ret=5 fd=3 data=root: size=5
`
	path := filepath.Join(t.TempDir(), "ck.syscam")
	if err := reporttest.Write(path, format.Host{Hostname: "h"}, 0, format.Stats{}, text); err != nil {
		t.Fatal(err)
	}
	hosts := open(t, path)
	var got []string
	err := Run(hosts, Options{From: reporttest.Base + 2.5e9}, func(r *Record) error {
		got = append(got, fmt.Sprintf("%s %s %s", r.Event.Name(), r.View.Process.Name(), r.View.FD.Name))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"read evil /etc/passwd"}, got); diff != "" {
		t.Errorf("events in the window, with their state (-want +got):\n%s", diff)
	}
	if n := hosts[0].Engine().Stats().Events; n >= 6 {
		t.Errorf("the engine applied %d events: the replay should start at the checkpoint, not at the first event", n)
	}
}

func TestARotatedSetIsOneHostNumberedAcrossItsFiles(t *testing.T) {
	dir := t.TempDir()
	h := format.Header{Host: format.Host{Hostname: "r", MachineID: "mr"}, Created: reporttest.Base}
	w, err := format.Create(filepath.Join(dir, "trace.syscam"), h, format.WriterOptions{RotateCount: 30})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		_, evs, err := reporttest.Parse(fmt.Sprintf("%.3f 100 getpid ret=100", float64(i)/1000))
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(evs[0]); err != nil {
			t.Fatal(err)
		}
	}
	w.SetStats(format.Stats{Seen: 100, Written: 100})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	hosts := open(t, dir)
	if len(hosts) != 1 || len(hosts[0].Files) < 2 {
		t.Fatalf("hosts = %d, files of the first = %d: want one host over several files", len(hosts), len(hosts[0].Files))
	}
	got := collect(t, hosts, Options{})
	for i, s := range got {
		if s.Num != uint64(i+1) || s.Time != int64(i)*1e6 {
			t.Fatalf("event %d = %+v: want number %d at %d ms, in order across the files", i, s, i+1, i)
		}
	}
	if len(got) != 100 {
		t.Errorf("events = %d, want 100", len(got))
	}
	if st := hosts[0].Stats(); st.Seen != 100 {
		t.Errorf("host stats seen = %d, want 100 (the parts of one capture are not added up)", st.Seen)
	}
}
