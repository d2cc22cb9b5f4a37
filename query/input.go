package query

import (
	"time"
	"unsafe"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/state"
)

// Input is what a filter or a formatter evaluates: one event and what is known around
// it. One Input serves a whole replay: set Event (and View) before each call. It holds
// a scratch buffer that field extractors format into, so it is not safe for
// concurrent use; give each goroutine its own.
type Input struct {
	Event *event.Event
	// View is the event's place in the replayed state (state.Engine.Apply returns
	// it); nil when no replay runs, and then every state field is absent.
	View *state.View
	// Start is the time of the trace's first event: evt.reltime counts from it.
	Start int64
	// Location is the time zone of evt.time and evt.datetime; nil means UTC.
	Location *time.Location
	// Hostname (evt.hostname, host.name) and HostID (host.id, the machine id) name
	// the machine that recorded the event, from the header of its file. A merge of
	// several hosts' files sets them for each event.
	Hostname string
	HostID   string

	scratch  []byte
	scratch2 []byte // for a value built while scratch holds another
	clock    clockCache
}

func (in *Input) loc() *time.Location {
	if in.Location == nil {
		return time.UTC
	}
	return in.Location
}

// str returns b as a string without copying. Extractors use it for bytes that live in
// the event or the scratch buffer: the result is only valid during the evaluation.
func str(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// bytesOf returns s's bytes without copying; they must not be modified.
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

func (in *Input) thread() *state.Thread {
	if in.View == nil {
		return nil
	}
	return in.View.Thread
}

func (in *Input) process() *state.Process {
	if in.View == nil {
		return nil
	}
	return in.View.Process
}

func (in *Input) fd() *state.FD {
	if in.View == nil {
		return nil
	}
	return in.View.FD
}
