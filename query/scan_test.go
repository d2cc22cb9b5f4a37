package query

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/internal/synth"
)

// writeSynthTrace writes n synthetic events in blocks of blockEvents, turning every
// rareEvery-th event into a ptrace call, and returns the file's path.
func writeSynthTrace(t testing.TB, n, blockEvents, rareEvery int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "synth.syscam")
	w, err := format.Create(path, format.Header{Host: format.Host{Hostname: "synth"}}, format.WriterOptions{BlockEvents: blockEvents})
	if err != nil {
		t.Fatal(err)
	}
	g := synth.New(synth.Options{Seed: 7})
	ptrace, _ := event.ByName("ptrace")
	var e event.Event
	for i := 1; i <= n; i++ {
		g.Next(&e)
		if rareEvery > 0 && i%rareEvery == 0 {
			time, tid, pid := e.Time, e.TID, e.PID
			e.Reset()
			e.Time, e.TID, e.PID, e.Type = time, tid, pid, ptrace
			e.SetInt(0, 16) // PTRACE_ATTACH
			e.SetInt(1, 1)
		}
		if err := w.Write(&e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
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
	if r.BlocksDecompressed() != uint64(len(r.Blocks())) {
		t.Errorf("decompressed %d of %d blocks", r.BlocksDecompressed(), len(r.Blocks()))
	}
	if matched == 0 {
		t.Errorf("no event on a file below /etc/")
	}
}
