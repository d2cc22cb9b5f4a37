package capture

import "github.com/syscam/syscam/event"

// noteStore holds the notices (drop events) waiting in the window with the
// records: a fixed set of events, reused.
type noteStore struct {
	evs  []event.Event
	free []uint32 // indexes of evs not in use
}

func newNoteStore(n int) noteStore {
	s := noteStore{evs: make([]event.Event, n), free: make([]uint32, 0, n)}
	for i := n - 1; i >= 0; i-- {
		s.free = append(s.free, uint32(i))
	}
	return s
}

// get returns a free notice and its index; ok is false when all are in use.
func (s *noteStore) get() (e *event.Event, i uint32, ok bool) {
	n := len(s.free)
	if n == 0 {
		return nil, 0, false
	}
	i = s.free[n-1]
	s.free = s.free[:n-1]
	return &s.evs[i], i, true
}

// at returns notice i.
func (s *noteStore) at(i uint32) *event.Event { return &s.evs[i] }

// put frees notice i.
func (s *noteStore) put(i uint32) { s.free = append(s.free, i) }
