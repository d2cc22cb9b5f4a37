package format

import "github.com/syscam/syscam/event"

// Set reads several trace files as one timeline: the parts of a rotated set, every
// trace in a directory, or files named one by one. Events of all files are merged by
// timestamp (a k-way merge; see the package documentation for an example).
type Set struct {
	readers []*Reader
	bases   []uint64 // Num of each file's first event minus one
}

// OpenSet opens the named files and directories (every *.syscam file directly in a
// directory) as one timeline, ordered by the time of their first event.
func OpenSet(paths ...string) (*Set, error) { return openSet(paths) }

// NewSet makes a Set of readers already open; Close closes them.
func NewSet(readers ...*Reader) *Set { return newSet(readers) }

// Readers returns the set's files, in time order.
func (s *Set) Readers() []*Reader { return s.readers }

// Header returns the header of the earliest file.
func (s *Set) Header() Header {
	if len(s.readers) == 0 {
		return Header{}
	}
	return s.readers[0].Header()
}

// Stats returns the capture statistics of the set: for each capture (CaptureID), the
// statistics of its latest file, summed over captures.
func (s *Set) Stats() Stats { return s.stats() }

// Count returns the number of events in all files.
func (s *Set) Count() uint64 {
	var n uint64
	for _, r := range s.readers {
		n += r.Count()
	}
	return n
}

// InitialState returns the initial state of the earliest file.
func (s *Set) InitialState() ([]*event.Event, error) {
	if len(s.readers) == 0 {
		return nil, nil
	}
	return s.readers[0].InitialState()
}

// StateBefore returns the latest state section at or before t over all files.
func (s *Set) StateBefore(t int64) (at int64, evs []*event.Event, err error) {
	return s.stateBefore(t)
}

// Events merges the selected events of every file in timestamp order. Num is the
// position in the set: the file's position plus the events of the files before it in
// time order (for a rotated set, the position in the whole recording).
func (s *Set) Events(sel Selection) *Events { return &Events{it: s.merge(sel)} }

// BlocksDecompressed sums the counter of every file.
func (s *Set) BlocksDecompressed() uint64 {
	var n uint64
	for _, r := range s.readers {
		n += r.BlocksDecompressed()
	}
	return n
}

// Close closes every file.
func (s *Set) Close() error {
	var first error
	for _, r := range s.readers {
		if err := r.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
