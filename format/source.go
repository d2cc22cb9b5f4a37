package format

import "github.com/syscam/syscam/event"

// Source is what analyzers consume: one trace file (*Reader), a set of files read as one
// timeline (*Set), or another capture format mapped into events (format/scap).
type Source interface {
	Header() Header
	// InitialState returns the state snapshot taken before the first event (nil when
	// the source has none).
	InitialState() ([]*event.Event, error)
	// Events iterates over the selected events in timestamp order.
	Events(sel Selection) *Events
	Close() error
}

// Iterator is the minimal event stream another Source implementation provides; wrap
// it with NewEvents.
type Iterator interface {
	// Next fills e with the next event and reports whether there was one.
	Next(e *event.Event) bool
	Err() error
	Close() error
}

// Events iterates over selected events. Use it as
//
//	it := src.Events(sel)
//	defer it.Close()
//	var e event.Event
//	for it.Next(&e) {
//		...
//	}
//	if err := it.Err(); err != nil { ... }
//
// It is not safe for concurrent use.
type Events struct {
	it  Iterator
	sel *compiledSelection // nil: the iterator selects by itself
}

// NewEvents wraps it as an *Events that yields only the events sel selects. Sources
// that cannot push the selection down use it; Num is left as it sets it.
func NewEvents(it Iterator, sel Selection) *Events {
	return &Events{it: it, sel: sel.compile()}
}

// Next fills e with the next selected event and reports whether there was one. e is
// overwritten whole (its buffer reused), so one Event serves a whole iteration without
// allocating. After false, see Err.
func (it *Events) Next(e *event.Event) bool {
	for it.it.Next(e) {
		if it.sel == nil || it.sel.matches(e) {
			return true
		}
	}
	return false
}

// Err returns the error that ended the iteration, if any.
func (it *Events) Err() error { return it.it.Err() }

// Close stops the iteration and releases its goroutines and buffers.
func (it *Events) Close() error { return it.it.Close() }

// errIterator is an Iterator that yields nothing and returns err.
type errIterator struct{ err error }

func (e errIterator) Next(*event.Event) bool { return false }
func (e errIterator) Err() error             { return e.err }
func (e errIterator) Close() error           { return nil }
