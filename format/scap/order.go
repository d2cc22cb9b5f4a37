package scap

import (
	"container/heap"
	"fmt"

	"github.com/syscam/syscam/event"
)

// maxReorder bounds the events the ordered iterator holds back; a capture that needs
// more is refused rather than read into unbounded memory.
const (
	maxReorder      = 1 << 16
	maxReorderBytes = 256 << 20 // parameter bytes held back
)

// Ordered streams a capture's events in timestamp order, as format.Source requires.
// A first pass over the capture (cached by the Reader) finds the calls that never
// return and how far the file's order strays from time order; the second maps the
// events, emitting never-returning calls at their enter time, and holds events back
// by that much time in a heap only when the capture needs it. Num is the position in
// this order, from 1; the filter applies after ordering.
type Ordered struct {
	it     *Iterator
	f      compiledFilter
	window int64
	h      eventHeap
	pool   []*event.Event
	maxTS  int64
	held   int // parameter bytes of the events in h
	seq    uint64
	num    uint64
	done   bool
	err    error
}

// Ordered starts an iteration in timestamp order over the events f selects.
func (r *Reader) Ordered(f Filter) *Ordered {
	sc := r.scan()
	it := r.Iter(Filter{})
	o := &Ordered{it: it, f: f.compile(), window: sc.lateness}
	if it.m != nil {
		it.m.orphans = sc.orphans
	}
	return o
}

// Stats returns what the underlying pass has read so far.
func (o *Ordered) Stats() *Stats { return o.it.Stats() }

// Next fills e with the next selected event in time order.
func (o *Ordered) Next(e *event.Event) bool {
	for {
		if !o.advance(e) {
			return false
		}
		o.num++
		e.Num = o.num
		if o.f.match(e) {
			return true
		}
	}
}

// advance fills e with the next event in time order, selected or not.
func (o *Ordered) advance(e *event.Event) bool {
	if o.window == 0 {
		return o.it.Next(e)
	}
	for !o.done && (o.h.Len() == 0 || o.h.items[0].e.Time > o.maxTS-o.window) {
		if !o.pull() {
			return false
		}
	}
	if o.h.Len() == 0 {
		return false
	}
	x := heap.Pop(&o.h).(heapItem)
	o.held -= x.e.BufLen()
	e.CopyFrom(x.e)
	o.pool = append(o.pool, x.e)
	return true
}

// pull reads one event from the capture into the heap.
func (o *Ordered) pull() bool {
	var x *event.Event
	if n := len(o.pool); n > 0 {
		x, o.pool = o.pool[n-1], o.pool[:n-1]
	} else {
		x = new(event.Event)
	}
	if !o.it.Next(x) {
		o.done = true
		o.pool = append(o.pool, x)
		return true
	}
	if o.h.Len() >= maxReorder || o.held > maxReorderBytes {
		o.err = &FormatError{File: o.it.r.name, Block: fmt.Sprintf("event %d", o.seq+1),
			Err: fmt.Errorf("%w: events out of time order by %d ns, more than %d events or %d bytes to hold back", ErrCorrupt, o.window, maxReorder, maxReorderBytes)}
		o.done = true
		return false
	}
	o.seq++
	o.maxTS = max(o.maxTS, x.Time)
	o.held += x.BufLen()
	heap.Push(&o.h, heapItem{x, o.seq})
	return true
}

// Err returns the error that ended the iteration, nil at a clean end.
func (o *Ordered) Err() error {
	if o.err != nil {
		return o.err
	}
	return o.it.Err()
}

// Close ends the iteration.
func (o *Ordered) Close() error {
	o.h.items, o.pool = nil, nil
	return o.it.Close()
}

// heapItem orders events by time, then by their order in the file.
type heapItem struct {
	e   *event.Event
	seq uint64
}

type eventHeap struct{ items []heapItem }

func (h *eventHeap) Len() int { return len(h.items) }
func (h *eventHeap) Less(i, j int) bool {
	a, b := h.items[i], h.items[j]
	return a.e.Time < b.e.Time || a.e.Time == b.e.Time && a.seq < b.seq
}
func (h *eventHeap) Swap(i, j int) { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *eventHeap) Push(x any)    { h.items = append(h.items, x.(heapItem)) }
func (h *eventHeap) Pop() any {
	n := len(h.items) - 1
	x := h.items[n]
	h.items = h.items[:n]
	return x
}
