package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
)

// writeInfoTrace writes a small trace of known content: 3 reads, 2 closes, one drop.
func writeInfoTrace(t *testing.T, dir string) string {
	t.Helper()
	name := filepath.Join(dir, "t.syscam")
	w, err := format.Create(name, format.Header{Host: format.Host{Hostname: "web-1"}}, format.WriterOptions{BlockEvents: 2})
	if err != nil {
		t.Fatal(err)
	}
	read, _ := event.ByName("read")
	closeT, _ := event.ByName("close")
	start := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC).UnixNano()
	for i, typ := range []event.Type{read, closeT, read, read, closeT} {
		if err := w.Write(&event.Event{Time: start + int64(i)*1e9, TID: 7, PID: 7, Type: typ}); err != nil {
			t.Fatal(err)
		}
	}
	w.SetStats(format.Stats{Seen: 6, Written: 5, CPUs: []format.CPUStats{{CPU: 0, Seen: 6, LostRing: 1}}})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return name
}

func TestInfoJSONHasTheDocumentedKeys(t *testing.T) {
	name := writeInfoTrace(t, t.TempDir())
	var out bytes.Buffer
	if err := run([]string{"info", "--json", name}, &out, &out); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Events        uint64            `json:"events"`
		EventTypes    map[string]uint64 `json:"event_types"`
		Dropped       uint64            `json:"dropped"`
		Blocks        int               `json:"blocks"`
		SizeBytes     int64             `json:"size_bytes"`
		BytesPerEvent float64           `json:"bytes_per_event"`
		Start         string            `json:"start"`
		End           string            `json:"end"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("decode %s: %v", out.String(), err)
	}
	st, _ := os.Stat(name)
	want := got
	want.Events, want.EventTypes, want.Dropped, want.Blocks = 5, map[string]uint64{"read": 3, "close": 2}, 1, 3
	want.SizeBytes, want.BytesPerEvent = st.Size(), float64(st.Size())/5
	want.Start, want.End = "2026-11-27T06:00:00Z", "2026-11-27T06:00:04Z"
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("info --json (-want +got):\n%s", d)
	}
}

func TestInfoTextNamesHostCountsAndDuration(t *testing.T) {
	name := writeInfoTrace(t, t.TempDir())
	var out bytes.Buffer
	if err := run([]string{"info", name}, &out, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"web-1", "duration    4s", "dropped     1", "read", "close"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("info output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestVerifyExitsOneNamingTheBadBlock(t *testing.T) {
	dir := t.TempDir()
	name := writeInfoTrace(t, dir)
	var out bytes.Buffer
	if err := run([]string{"verify", name}, &out, &out); err != nil {
		t.Fatalf("verify of an intact file: %v\n%s", err, out.String())
	}
	r, err := format.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	b1 := r.Blocks()[1]
	r.Close()
	data, _ := os.ReadFile(name)
	data[b1.Offset+b1.Size-3] ^= 0x10
	bad := filepath.Join(dir, "bad.syscam")
	os.WriteFile(bad, data, 0o600)
	cut := filepath.Join(dir, "cut.syscam")
	os.WriteFile(cut, data[:b1.Offset+10], 0o600)
	for _, tc := range []struct{ file, want string }{
		{bad, "block 1 at offset " + strconv.FormatInt(b1.Offset, 10) + ": checksum mismatch"},
		{cut, "truncated"},
	} {
		out.Reset()
		err := run([]string{"verify", tc.file}, &out, &out)
		var ee exitError
		if !errors.As(err, &ee) || ee != 1 {
			t.Errorf("verify %s: error %v; want exit status 1", tc.file, err)
		}
		if !strings.Contains(out.String(), tc.want) {
			t.Errorf("verify %s says %q; want it to contain %q", tc.file, out.String(), tc.want)
		}
	}
}

// A file whose writer was killed has no footer: every command still reads its complete
// blocks, but must say that it did, and must not show its unknown drop counts as 0.
func TestCommandsSayAFileHadNoFooter(t *testing.T) {
	name := writeInfoTrace(t, t.TempDir())
	r, err := format.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	blocks := r.Blocks()
	last := blocks[len(blocks)-1]
	r.Close()
	cut := last.Offset + last.Size + 10 // the complete blocks, and 10 bytes of the footer
	if err := os.Truncate(name, cut); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"events"}, {"stats"}, {"tree"}, {"rules"}, {"timeline"}} {
		t.Run(args[0], func(t *testing.T) {
			var out, errb bytes.Buffer
			if err := run(append(args, name), &out, &errb); err != nil {
				t.Fatalf("inspect %s of a footerless file: %v\n%s", args[0], err, errb.String())
			}
			want := name + " has no footer"
			if !strings.Contains(errb.String(), want) || !strings.Contains(errb.String(), "10 bytes after it lost") {
				t.Errorf("stderr lacks %q and the bytes lost:\n%s", want, errb.String())
			}
		})
	}
	var out bytes.Buffer
	if err := run([]string{"info", name}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "dropped     unknown") {
		t.Errorf("info shows drops it cannot know:\n%s", out.String())
	}
	out.Reset()
	if err := run([]string{"info", "--json", name}, &out, &out); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Events     uint64 `json:"events"`
		DropsKnown *bool  `json:"drops_known"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil || got.DropsKnown == nil || *got.DropsKnown || got.Events != 5 {
		t.Errorf("info --json: events %d, drops_known %v (%v); want 5 events and drops_known false", got.Events, got.DropsKnown, err)
	}
}
