package format

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/syscam/syscam/event"
)

func TestRotatedSetReadsBackAsOneTimeline(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts WriterOptions
	}{
		{"by count", WriterOptions{RotateCount: 700, BlockEvents: 100}},
		{"by size", WriterOptions{RotateSize: 40 << 10, BlockEvents: 100}},
		{"by time", WriterOptions{RotateTime: time.Millisecond, BlockEvents: 100}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			evs := randomEvents(11, 3000)
			states := 0
			tc.opts.RotateState = func() (int64, []*event.Event) {
				states++
				return 0, smallState()
			}
			w, err := Create(filepath.Join(dir, "trace.syscam"), testHeader(), tc.opts)
			if err != nil {
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
			files := w.Files()
			if len(files) < 3 {
				t.Fatalf("wrote %d files; want a rotation", len(files))
			}
			if states != len(files)-1 {
				t.Errorf("RotateState called %d times for %d files", states, len(files))
			}
			sorted := slices.Clone(files)
			slices.Sort(sorted)
			if !slices.Equal(sorted, files) {
				t.Errorf("file names do not sort in time order: %q", files)
			}
			for _, f := range files {
				st, err := os.Stat(f)
				if err != nil {
					t.Fatal(err)
				}
				if st.Mode().Perm() != 0o600 {
					t.Errorf("%s has mode %v; want 0600", f, st.Mode().Perm())
				}
			}
			set, err := OpenSet(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer set.Close()
			got := readAll(t, set, Selection{})
			if d := diffEvents(numbered(evs), got); d != "" {
				t.Fatal(d)
			}
			if set.Count() != uint64(len(evs)) {
				t.Errorf("set counts %d events; want %d", set.Count(), len(evs))
			}
		})
	}
}

func TestSetMergesOverlappingFilesByTime(t *testing.T) {
	dir := t.TempDir()
	a, b := synthEvents(21, 2000), synthEvents(22, 1500) // same start, interleaved times
	for i, evs := range [][]*event.Event{a, b} {
		if err := os.WriteFile(filepath.Join(dir, "host"+itoa(int64(i))+".syscam"), writeTrace(t, evs, WriterOptions{BlockEvents: 300}), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	set, err := OpenSet(filepath.Join(dir, "host0.syscam"), filepath.Join(dir, "host1.syscam"))
	if err != nil {
		t.Fatal(err)
	}
	defer set.Close()
	got := readAll(t, set, Selection{})
	if len(got) != len(a)+len(b) {
		t.Fatalf("merged %d events; want %d", len(got), len(a)+len(b))
	}
	for i := 1; i < len(got); i++ {
		if got[i].Time < got[i-1].Time {
			t.Fatalf("event %d at %d comes after one at %d", i, got[i].Time, got[i-1].Time)
		}
	}
}

func TestWriterRefusesEventsOutOfOrder(t *testing.T) {
	w, err := NewWriter(&countWriter{}, testHeader(), WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.Write(&event.Event{Time: 100}); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(&event.Event{Time: 99}); err == nil {
		t.Fatal("an event earlier than the previous one was accepted")
	}
}
