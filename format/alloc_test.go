package format

import (
	"bytes"
	"testing"

	"github.com/syscam/syscam/event"
)

// TestReadingDoesNotAllocatePerEvent reads a file into one reused Event and checks that
// allocations grow with blocks, not with events.
func TestReadingDoesNotAllocatePerEvent(t *testing.T) {
	evs := synthEvents(6, 20000)
	data := writeTrace(t, evs, WriterOptions{BlockEvents: 10000})
	r, err := NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var e event.Event
	readAllOnce := func() {
		it := r.Events(Selection{})
		for it.Next(&e) {
		}
		it.Close()
	}
	readAllOnce() // warm the pools and e's buffer
	allocs := testing.AllocsPerRun(5, readAllOnce)
	if perEvent := allocs / float64(len(evs)); perEvent > 0.01 {
		t.Fatalf("%.0f allocations to read %d events (%.3f per event)", allocs, len(evs), perEvent)
	}
}
