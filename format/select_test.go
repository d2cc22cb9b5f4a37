package format

import (
	"bytes"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/internal/synth"
)

func TestSelectionKeepsOnlyWhatItNames(t *testing.T) {
	evs := synthEvents(9, 5000)
	data := writeTrace(t, evs, WriterOptions{BlockEvents: 250})
	read, _ := ev("read")
	execve, _ := ev("execve")
	mid := evs[2000].Time
	for _, tc := range []struct {
		name string
		sel  Selection
	}{
		{"a time window", Selection{From: mid, To: evs[3000].Time}},
		{"from an instant to the end", Selection{From: mid}},
		{"two types", Selection{Types: []event.Type{read, execve}}},
		{"a thread", Selection{TIDs: []int32{evs[10].TID}}},
		{"a process in a window", Selection{PIDs: []int32{evs[10].PID}, From: mid}},
		{"nothing at all", Selection{From: evs[len(evs)-1].Time + 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want []*event.Event
			for _, e := range numbered(evs) {
				if tc.sel.Matches(e) {
					want = append(want, e)
				}
			}
			r, err := NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			got := readAll(t, r, tc.sel)
			if d := diffEvents(want, got); d != "" {
				t.Fatal(d)
			}
		})
	}
}

func ev(name string) (event.Type, bool) { return event.ByName(name) }

func TestIndexSkipsBlocksWithoutSelectedTypes(t *testing.T) {
	evs := synthEvents(9, 5000)
	data := writeTrace(t, evs, WriterOptions{BlockEvents: 100})
	r, err := NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	execve, _ := ev("execve")
	want := 0
	for _, b := range r.Blocks() {
		for _, ty := range b.Types {
			if ty == execve {
				want++
			}
		}
	}
	readAll(t, r, Selection{Types: []event.Type{execve}})
	if got := r.BlocksDecompressed(); got != uint64(want) || want >= len(r.Blocks()) {
		t.Fatalf("decompressed %d of %d blocks; want the %d holding execve", got, len(r.Blocks()), want)
	}
}

// TestOneSecondOfTenMillionEventsReadsOnlyItsBlocks writes ten seconds of the
// benchmark mix at a million events a second and reads one second from the middle.
func TestOneSecondOfTenMillionEventsReadsOnlyItsBlocks(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 10-million-event file; skipped with -short")
	}
	name := filepath.Join(t.TempDir(), "big.syscam")
	w, err := Create(name, testHeader(), WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	g := synth.New(synth.Options{Seed: 4, Rate: 1e6})
	var e event.Event
	var start int64
	for i := range 10_000_000 {
		g.Next(&e)
		if i == 0 {
			start = e.Time
		}
		if err := w.Write(&e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	sel := Selection{From: start + 4e9, To: start + 5e9}
	overlap := 0
	for _, b := range r.Blocks() {
		if b.MaxTime >= sel.From && b.MinTime < sel.To {
			overlap++
		}
	}
	n := len(readAll(t, r, sel))
	t.Logf("%d events in the window; %d of %d blocks overlap it", n, overlap, len(r.Blocks()))
	if got := r.BlocksDecompressed(); got != uint64(overlap) || overlap > len(r.Blocks())/5 {
		t.Fatalf("decompressed %d blocks; want the %d of %d that overlap the window", got, overlap, len(r.Blocks()))
	}
	if n < 900_000 || n > 1_100_000 {
		t.Fatalf("read %d events from one second at a million a second", n)
	}
}

func TestStateSectionsComeBackByTime(t *testing.T) {
	evs := synthEvents(8, 3000)
	var buf bytes.Buffer
	w, err := NewWriter(&buf, testHeader(), WriterOptions{BlockEvents: 200})
	if err != nil {
		t.Fatal(err)
	}
	initial := smallState()
	checkpoint := smallState()[:2]
	for i, e := range evs {
		switch i {
		case 0:
			w.WriteState(e.Time-1, initial)
		case 1500:
			w.WriteState(e.Time, checkpoint)
		}
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.InitialState()
	if err != nil {
		t.Fatal(err)
	}
	if d := diffEvents(initial, got); d != "" {
		t.Errorf("initial state: %s", d)
	}
	for _, tc := range []struct {
		at   int64
		want []*event.Event
		time int64
	}{
		{evs[100].Time, initial, evs[0].Time - 1},
		{evs[0].Time - 5, initial, evs[0].Time - 5}, // before the initial state: read from t
		{evs[2000].Time, checkpoint, evs[1500].Time},
	} {
		at, st, err := r.StateBefore(tc.at)
		if err != nil {
			t.Fatal(err)
		}
		if d := diffEvents(tc.want, st); d != "" || at != tc.time {
			t.Errorf("state before %d: at %d (want %d) %s", tc.at, at, tc.time, d)
		}
	}
	if d := diffEvents(numbered(evs), readAll(t, r, Selection{})); d != "" {
		t.Errorf("events around state sections: %s", d)
	}
}

func TestSignedFooterVerifiesWithItsKeyOnly(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	other, _, _ := ed25519.GenerateKey(nil)
	signed := writeTrace(t, synthEvents(1, 500), WriterOptions{SignKey: priv})
	unsigned := writeTrace(t, synthEvents(1, 500), WriterOptions{})
	for _, tc := range []struct {
		name string
		data []byte
		key  ed25519.PublicKey
		ok   bool
		kind ProblemKind // when not ok
	}{
		{"signed, checked with its key", signed, pub, true, 0},
		{"signed, checked with another key", signed, other, false, ProblemDamaged},
		{"signed, no key given", signed, nil, true, 0},
		// Intact, so not damaged: only the signature the key asks for is missing.
		{"unsigned, a key given", unsigned, pub, false, ProblemNotSigned},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Verify(bytes.NewReader(tc.data), int64(len(tc.data)), VerifyOptions{PublicKey: tc.key})
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() != tc.ok {
				t.Fatalf("verify ok=%v (%v); want %v", rep.OK(), rep.Problem, tc.ok)
			}
			if !tc.ok && rep.Problem.Kind != tc.kind {
				t.Fatalf("verify says %v of kind %d; want kind %d", rep.Problem, rep.Problem.Kind, tc.kind)
			}
		})
	}
}

func TestOldSchemaMapsParametersByName(t *testing.T) {
	openat, _ := ev("openat")
	// An older openat: name first, no dirfd, an extra parameter this build lacks.
	old := TypeSchema{Type: openat, Name: "openat", Params: []ParamSchema{
		{Name: "name", Kind: event.KindPath}, {Name: "gone", Kind: event.KindUint}, {Name: "flags", Kind: event.KindFlags},
	}}
	m := newSchemaMap([]TypeSchema{old}).lookup(openat)
	cur := event.Lookup(openat)
	want := []int8{int8(cur.ParamIndex("name")), -1, int8(cur.ParamIndex("flags"))}
	if d := cmp.Diff(want, m.dst); d != "" {
		t.Errorf("parameter mapping (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]paramClass{classString, classUnsigned, classUnsigned}, m.classes); d != "" {
		t.Errorf("decoding uses the file's kinds (-want +got):\n%s", d)
	}
}

func TestHeaderRoundTrips(t *testing.T) {
	name := filepath.Join(t.TempDir(), "h.syscam")
	h := testHeader()
	h.Provenance = []Provenance{{Tool: "inspect convert", Action: "converted from scap", Source: "x.scap", SHA256: "ab"}}
	h.Labels = map[string]string{"case": "IR-1"}
	w, err := Create(name, h, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w.SetStats(Stats{Seen: 10, Written: 9, CPUs: []CPUStats{{CPU: 1, Seen: 10, LostRing: 1}}})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := r.Header()
	h.Version, h.Schema, h.CaptureID = VersionCurrent, CurrentSchema(), got.CaptureID
	if d := cmp.Diff(h, got); d != "" {
		t.Errorf("header (-want +got):\n%s", d)
	}
	if r.Stats().Dropped() != 1 {
		t.Errorf("stats: %+v", r.Stats())
	}
	if _, err := os.Stat(name); err != nil {
		t.Fatal(err)
	}
}
