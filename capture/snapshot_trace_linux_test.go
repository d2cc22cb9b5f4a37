package capture

import (
	"bytes"
	"testing"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
)

// TestSnapshotRoundTripsThroughATraceFile writes a snapshot of this machine as the
// initial state of a trace and reads it back unchanged: every event the snapshot makes
// is one the file format can carry.
func TestSnapshotRoundTripsThroughATraceFile(t *testing.T) {
	boot, err := BootTime()
	if err != nil {
		t.Fatal(err)
	}
	s := &Snapshotter{BootTime: boot, Env: true}
	const at = 1_700_000_000_000_000_000
	evs, err := s.Snapshot(at)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := format.NewWriter(&buf, format.Header{Host: format.Host{BootTime: boot}}, format.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteState(at, evs); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := format.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.InitialState()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(evs) {
		t.Fatalf("read back %d events, wrote %d", len(got), len(evs))
	}
	for i := range evs {
		g := got[i].Clone()
		g.Num = 0
		if !event.Equal(evs[i], g) {
			t.Errorf("event %d changed in the file:\nwrote %v\nread  %v", i, evs[i], got[i])
		}
	}
	t.Logf("%d snapshot events, %d bytes in the trace", len(evs), buf.Len())
}
