package scap

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
)

func readOrdered(t *testing.T, r *Reader, f Filter) []*event.Event {
	t.Helper()
	it := r.Ordered(f)
	defer it.Close()
	var out []*event.Event
	var e event.Event
	for it.Next(&e) {
		out = append(out, e.Clone())
	}
	if err := it.Err(); err != nil {
		t.Fatalf("read events: %v", err)
	}
	return out
}

func TestOrderedPutsNeverReturningCallsAtTheirTime(t *testing.T) {
	// The read enter of tid 101 (t0+110) never exits: in file order it comes last,
	// in time order between execve (t0+100) and procexit (t0+120).
	b := synthCapture()
	r, err := NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	got := readOrdered(t, r, Filter{})
	var names []string
	for _, e := range got {
		names = append(names, e.Name())
	}
	want := []string{"open", "connect", "accept4", "procfork", "clone", "clone", "execve", "read", "procexit", "containerinfo"}
	if d := cmp.Diff(want, names); d != "" {
		t.Errorf("order (-want +got):\n%s", d)
	}
	if got[7].Flags&event.FlagEnter == 0 || got[7].Num != 8 || got[7].Time != t0+110 {
		t.Errorf("the never-returning read: %v", got[7])
	}
}

func TestOrderedSharedCapturesAreInTimeOrder(t *testing.T) {
	for _, name := range []string{"curl_google.scap", "curl_google_comments.scap", "single_ipv6_conn.scap", "test_ipv6_client.scap"} {
		t.Run(name, func(t *testing.T) {
			r := openShared(t, name)
			ordered := readOrdered(t, r, Filter{})
			fileOrder, _ := readAll(t, r, Filter{})
			for i := 1; i < len(ordered); i++ {
				if ordered[i].Time < ordered[i-1].Time {
					t.Fatalf("event %d at %d after one at %d", ordered[i].Num, ordered[i].Time, ordered[i-1].Time)
				}
			}
			// The same events, only moved: compare them without their positions.
			key := func(evs []*event.Event) []string {
				var out []string
				for _, e := range evs {
					c := e.Clone()
					c.Num = 0
					out = append(out, c.String())
				}
				slices.Sort(out)
				return out
			}
			if d := cmp.Diff(key(fileOrder), key(ordered)); d != "" {
				t.Errorf("ordering changed the events (-file order +time order):\n%s", d)
			}
		})
	}
}

func TestReaderIsAFormatSource(t *testing.T) {
	// The header comes from the MI block (host "ubuntu", 2 CPUs) and the first event
	// of the file, a procinfo meta event stamped one ns before a second boundary.
	r := openShared(t, "single_ipv6_conn.scap")
	var src format.Source = r
	h := src.Header()
	if h.Host.Hostname != "ubuntu" || h.Host.NumCPU != 2 || h.Created != 1533943844999999999 {
		t.Errorf("header host %+v created %d", h.Host, h.Created)
	}
	accept, _ := event.ByName("accept")
	it := src.Events(format.Selection{Types: []event.Type{accept}})
	defer it.Close()
	var e event.Event
	var got []string
	for it.Next(&e) {
		got = append(got, e.String())
	}
	want := []string{"10 1533943856118352985 cpu=1 tid=25886 pid=25886 < accept res=4 lat=3117403965 fd=-1 local=[2001:db8::3]:1234 remote=[2001:db8::4]:54405"}
	if d := cmp.Diff(want, got); d != "" || it.Err() != nil {
		t.Errorf("accept (-want +got):\n%s err %v", d, it.Err())
	}
}

func TestOpenSourceRecognisesCapturesByContent(t *testing.T) {
	dir := t.TempDir()
	b := synthCapture()
	renamed := filepath.Join(dir, "evidence.bin") // no .scap suffix: content decides
	if err := os.WriteFile(renamed, gzipped(b), 0o600); err != nil {
		t.Fatal(err)
	}
	src, err := OpenSource(renamed)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, ok := src.(*Reader); !ok || src.Header().Host.Hostname != "synth" {
		t.Errorf("OpenSource gave %T with header %+v", src, src.Header())
	}
	if _, err := OpenSource(renamed, renamed); err == nil {
		t.Error("a capture mixed with other files was accepted")
	}
}

func TestOrderedSortsACaptureMergedOutOfOrder(t *testing.T) {
	// Per-CPU buffers merged loosely: close exits at t0+30, t0+10, t0+40, t0+20 (the
	// last is 20 ns late), then a container event without a time (ts 0), which takes
	// the latest time seen, t0+40, and stays last.
	var w capWriter
	w.shb(nil)
	for _, d := range []uint64{30, 10, 40, 20} {
		w.ev(blkEVV2, t0+d, int64(d), 5, le64(0), le64(d))
	}
	w.ev(blkEVV2, 0, 0, 228, cstrp("c1"), le32(0), cstrp("n"), cstrp("img"))
	r, err := NewReader(bytes.NewReader(w.bytes()), int64(w.b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range readOrdered(t, r, Filter{}) {
		got = append(got, fmt.Sprintf("%d %s +%d", e.Num, e.Name(), e.Time-t0))
	}
	want := []string{"1 close +10", "2 close +20", "3 close +30", "4 close +40", "5 containerinfo +40"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("order (-want +got):\n%s", d)
	}
	if l := r.scan().lateness; l != 20 {
		t.Errorf("lateness %d, want 20", l)
	}
}
