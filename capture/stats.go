package capture

import (
	"sync/atomic"

	"github.com/syscam/syscam/event"
)

// Sink receives the recorded events in timestamp order: format.Writer is one. Write
// must copy what it keeps; the event is reused after it returns.
type Sink interface {
	Write(e *event.Event) error
}

// Flusher is a Sink that can end its current block, so that a crash loses little. The
// recorder calls Flush about once a second when the sink has one.
type Flusher interface {
	Flush() error
}

// Stats are the capture statistics a recording ends with: the footer of a trace.
type Stats struct {
	Seen    uint64 // records read from the ring (including those that failed to decode)
	Written uint64 // events given to the sink, notices included
	Late    uint64 // events that waited longer than the reorder window (time raised)
	CPUs    []CPUStats
}

// CPUStats counts one CPU's records and losses.
type CPUStats struct {
	Seen     uint64 // records of this CPU read from the ring
	LostRing uint64 // records the kernel could not put in the ring (full)
	LostRead uint64 // records that did not decode
	Compat   uint64 // 32-bit (ia32) syscalls, not recorded: their numbers are not x86_64's
}

// Lost returns the total of every kind of loss.
func (s *Stats) Lost() (ring, read uint64) {
	for _, c := range s.CPUs {
		ring += c.LostRing
		read += c.LostRead
	}
	return ring, read
}

// Live are counters safe to read while a recording runs, for a status line. They are
// updated once per drain of the ring, so that the status line's reads cost the
// recorder nothing per event.
type Live struct {
	Seen    atomic.Uint64
	_       [56]byte
	Written atomic.Uint64
	_       [56]byte
	Lost    atomic.Uint64
}
