package query

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/internal/synth"
)

// writeSynthTrace writes n synthetic events in blocks of blockEvents, turning every
// rareEvery-th event into a ptrace call, after an initial state that names every
// thread's process (comm "p<pid>", child of pid 1), and returns the file's path.
func writeSynthTrace(t testing.TB, n, blockEvents, rareEvery int) string {
	t.Helper()
	g := synth.New(synth.Options{Seed: 7})
	ptrace, _ := event.ByName("ptrace")
	evs := make([]*event.Event, n)
	for i := range evs {
		e := &event.Event{}
		g.Next(e)
		if rareEvery > 0 && (i+1)%rareEvery == 0 {
			time, tid, pid := e.Time, e.TID, e.PID
			e.Reset()
			e.Time, e.TID, e.PID, e.Type = time, tid, pid, ptrace
			e.SetInt(0, 16) // PTRACE_ATTACH
			e.SetInt(1, 1)
		}
		evs[i] = e
	}
	path := filepath.Join(t.TempDir(), "synth.syscam")
	w, err := format.Create(path, format.Header{Host: format.Host{Hostname: "synth"}}, format.WriterOptions{BlockEvents: blockEvents})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteState(evs[0].Time-1, synthState(t, evs)); err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// synthState returns a procinfo record for each thread the events name.
func synthState(t testing.TB, evs []*event.Event) []*event.Event {
	seen := map[int32]bool{1: true}
	state := []*event.Event{mkEvent(t, "procinfo", 1, 1, evs[0].Time-1, map[string]any{
		"comm": "init", "exepath": "/sbin/init", "argv": []string{"/sbin/init"}, "cwd": "/", "start_time": evs[0].Time - 9e9})}
	for _, e := range evs {
		if seen[e.TID] || e.TID == 0 {
			continue
		}
		seen[e.TID] = true
		comm := fmt.Sprintf("p%d", e.PID)
		state = append(state, mkEvent(t, "procinfo", e.TID, e.PID, evs[0].Time-1, map[string]any{
			"ppid": 1, "comm": comm, "exepath": "/usr/bin/" + comm, "argv": []string{comm, "--serve"},
			"cwd": "/srv", "uid": 33, "euid": 33, "start_time": evs[0].Time - 1e9}))
	}
	return state
}

// TestPushDownSkipsBlocks checks that a filter on a rare event type decompresses only
// the blocks that hold that type, and still finds every such event.
func TestPushDownSkipsBlocks(t *testing.T) {
	const n, block, every = 40000, 1000, 10000
	path := writeSynthTrace(t, n, block, every)
	r, err := format.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	holding := 0
	ptrace, _ := event.ByName("ptrace")
	for _, b := range r.Blocks() {
		for _, typ := range b.Types {
			if typ == ptrace {
				holding++
			}
		}
	}
	f, err := Compile("evt.type = ptrace and evt.arg.request = PTRACE_ATTACH", Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := NewFormatter("%evt.num %evt.type", nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	scan := &Scan{Filter: f, Needs: out.Needs()}
	err = scan.Run(r, func(in *Input) error {
		got = append(got, string(out.AppendText(nil, in)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10000 ptrace", "20000 ptrace", "30000 ptrace", "40000 ptrace"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("matches (-want +got):\n%s", diff)
	}
	if holding != 4 || r.BlocksDecompressed() != uint64(holding) {
		t.Errorf("decompressed %d blocks of %d; %d hold ptrace", r.BlocksDecompressed(), len(r.Blocks()), holding)
	}
}

// TestScanWithStateReadsEveryBlock checks the other side: a filter on process state
// cannot skip the blocks whose events build that state.
func TestScanWithStateReadsEveryBlock(t *testing.T) {
	path := writeSynthTrace(t, 5000, 1000, 0)
	r, err := format.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f, err := Compile("fd.name startswith /etc/", Options{})
	if err != nil {
		t.Fatal(err)
	}
	matched := 0
	if err := (&Scan{Filter: f}).Run(r, func(*Input) error { matched++; return nil }); err != nil {
		t.Fatal(err)
	}
	if r.BlocksDecompressed() < uint64(len(r.Blocks())) {
		t.Errorf("decompressed %d of %d blocks", r.BlocksDecompressed(), len(r.Blocks()))
	}
	if matched == 0 {
		t.Errorf("no event on a file below /etc/")
	}
}

// TestPushDownKeepsProcessState checks that pushing event types down with process
// fields in the output gives the same answers as reading every event.
func TestPushDownKeepsProcessState(t *testing.T) {
	path := writeSynthTrace(t, 40000, 1000, 997)
	f, err := Compile("evt.type = ptrace", Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := NewFormatter("%evt.num %proc.name %proc.pname %proc.exepath %proc.cmdline %user.uid", nil)
	if err != nil {
		t.Fatal(err)
	}
	run := func(extra Need) ([]string, uint64) {
		r, err := format.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var lines []string
		err = (&Scan{Filter: f, Needs: out.Needs() | extra}).Run(r, func(in *Input) error {
			lines = append(lines, string(out.AppendText(nil, in)))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return lines, r.BlocksDecompressed()
	}
	pushed, _ := run(0)
	all, _ := run(NeedFD)
	if len(all) != 40 {
		t.Fatalf("%d ptrace events, want 40", len(all))
	}
	if diff := cmp.Diff(all, pushed); diff != "" {
		t.Errorf("with push-down (-all events +pushed down):\n%s", diff)
	}
	named := 0
	for _, l := range all {
		if !strings.Contains(l, NA) {
			named++
		}
	}
	if named < len(all)/2 {
		t.Errorf("only %d of %d lines have every process field: %q", named, len(all), all[:3])
	}
}

// TestBlockPredicateSkipsDecodingWhereNothingMatches: a filter on the fixed part of
// events (no state, no parameters) lets the reader skip decoding the parameters of
// blocks where it matches nothing, and finds the same events as reading them all.
func TestBlockPredicateSkipsDecodingWhereNothingMatches(t *testing.T) {
	path := writeSynthTrace(t, 20000, 1000, 5000)
	for _, tc := range []struct {
		cond        string
		wantSkipped bool // every block but those holding a match
	}{
		{"evt.rawres = -12345 and evt.cpu = 3", true},
		{"evt.type = ptrace or (evt.cpu = 1 and evt.rawres = -4242)", true},
		{"evt.failed = false and evt.type = ptrace", true},
		{"proc.name = p7", false},       // state: every event must reach the engine
		{"evt.arg.request = 16", false}, // a parameter
		{"evt.num = 5000", false},       // set by the reader, not in the block
	} {
		t.Run(tc.cond, func(t *testing.T) {
			f, err := Compile(tc.cond, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := f.BlockPredicate() != nil; got != tc.wantSkipped {
				t.Fatalf("BlockPredicate given: %v, want %v", got, tc.wantSkipped)
			}
			if !tc.wantSkipped {
				return
			}
			want := scanNums(t, path, f)
			r, err := format.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			got := scanNumsFrom(t, r, f)
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("matches with the block predicate differ (-without +with):\n%s", d)
			}
			if len(want) == 0 && r.BlocksSkipped() == 0 {
				t.Errorf("no block skipped for a filter that matches nothing")
			}
			if r.BlocksSkipped()+uint64(blocksWith(got, 1000)) != r.BlocksDecompressed() {
				t.Errorf("skipped %d of %d decompressed blocks; %d hold matches", r.BlocksSkipped(), r.BlocksDecompressed(), blocksWith(got, 1000))
			}
		})
	}
}

// scanNums reads every event of path and returns the numbers of those f matches.
func scanNums(t *testing.T, path string, f *Filter) []uint64 {
	r, err := format.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var nums []uint64
	it := r.Events(format.Selection{})
	defer it.Close()
	var e event.Event
	in := &Input{Event: &e}
	for it.Next(&e) {
		if f.Match(in) {
			nums = append(nums, e.Num)
		}
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	return nums
}

func scanNumsFrom(t *testing.T, r *format.Reader, f *Filter) []uint64 {
	var nums []uint64
	err := (&Scan{Filter: f}).Run(r, func(in *Input) error {
		nums = append(nums, in.Event.Num)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return nums
}

// blocksWith counts the blocks of size events that hold one of nums.
func blocksWith(nums []uint64, size uint64) int {
	seen := map[uint64]bool{}
	for _, n := range nums {
		seen[(n-1)/size] = true
	}
	return len(seen)
}
