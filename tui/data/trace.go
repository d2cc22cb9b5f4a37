package data

import (
	"fmt"
	"sort"
	"sync"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
)

// cachedBlocks is how many decoded blocks a Trace keeps: the block under the cursor,
// its neighbours while scrolling, and one a job pulled in.
const cachedBlocks = 4

// Trace is an open trace (one file or a rotated set) seen as one numbered timeline.
type Trace struct {
	Paths  []string
	Set    *format.Set
	Header format.Header
	First  int64 // time of the first event (or the capture's start), ns
	Last   int64 // time of the last event, ns
	Count  uint64

	readers []*format.Reader
	bases   []uint64 // Num of each file's first event minus one

	mu    sync.Mutex
	cache []*decoded // most recently used first
}

// decoded is one block's events in position order.
type decoded struct {
	reader int
	first  uint64 // global Num of evs[0]
	evs    []event.Event
}

// Open opens trace files, directories or a rotated set as one Trace.
func Open(paths ...string) (*Trace, error) {
	s, err := format.OpenSet(paths...)
	if err != nil {
		return nil, fmt.Errorf("open trace: %w", err)
	}
	t := FromSet(s)
	t.Paths = paths
	return t, nil
}

// FromSet wraps an open set.
func FromSet(s *format.Set) *Trace {
	t := &Trace{Set: s, Header: s.Header(), readers: s.Readers()}
	var base uint64
	for _, r := range t.readers {
		t.bases = append(t.bases, base)
		base += r.Count()
		if r.Count() == 0 {
			continue
		}
		first, last := r.TimeRange()
		if t.First == 0 || first < t.First {
			t.First = first
		}
		t.Last = max(t.Last, last)
	}
	t.Count = base
	return t
}

// Close closes the files.
func (t *Trace) Close() error { return t.Set.Close() }

// Blocks calls fn for every block of the index, with its events' global positions.
func (t *Trace) Blocks(fn func(b format.BlockInfo)) {
	for i, r := range t.readers {
		for _, b := range r.Blocks() {
			b.First += t.bases[i]
			fn(b)
		}
	}
}

// Event returns a copy of the event at position num (from 1), decoding its block
// when it is not cached.
func (t *Trace) Event(num uint64) (*event.Event, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	d, err := t.block(num)
	if err != nil {
		return nil, err
	}
	return d.evs[num-d.first].Clone(), nil
}

// Visit calls fn with the events at positions nums without copying them; e is valid
// only during the call.
func (t *Trace) Visit(nums []uint64, fn func(e *event.Event)) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, n := range nums {
		d, err := t.block(n)
		if err != nil {
			return err
		}
		fn(&d.evs[n-d.first])
	}
	return nil
}

// block returns the cached block holding num, decoding it on a miss.
func (t *Trace) block(num uint64) (*decoded, error) {
	for i, d := range t.cache {
		if num >= d.first && num < d.first+uint64(len(d.evs)) {
			copy(t.cache[1:i+1], t.cache[:i])
			t.cache[0] = d
			return d, nil
		}
	}
	if num == 0 || num > t.Count {
		return nil, fmt.Errorf("read event %d: out of range 1..%d", num, t.Count)
	}
	ri := sort.Search(len(t.bases), func(i int) bool { return t.bases[i] >= num }) - 1
	d, err := t.decode(ri, num-t.bases[ri])
	if err != nil {
		return nil, fmt.Errorf("read event %d: %w", num, err)
	}
	if len(t.cache) < cachedBlocks {
		t.cache = append(t.cache, nil)
	}
	copy(t.cache[1:], t.cache[:len(t.cache)-1])
	t.cache[0] = d
	return d, nil
}

// decode reads the block of reader ri holding its local position local.
func (t *Trace) decode(ri int, local uint64) (*decoded, error) {
	r := t.readers[ri]
	blocks := r.Blocks()
	bi := sort.Search(len(blocks), func(i int) bool { return blocks[i].First > local }) - 1
	if bi < 0 {
		return nil, fmt.Errorf("no block holds position %d of %s", local, r.Name())
	}
	b := blocks[bi]
	d := &decoded{reader: ri, first: t.bases[ri] + b.First, evs: make([]event.Event, b.Count)}
	it := r.Events(format.Selection{From: b.MinTime, To: b.MaxTime + 1})
	defer it.Close()
	var e event.Event
	got := 0
	for it.Next(&e) {
		if e.Num < b.First || e.Num >= b.First+uint64(b.Count) {
			continue
		}
		d.evs[e.Num-b.First].CopyFrom(&e)
		d.evs[e.Num-b.First].Num = e.Num + t.bases[ri]
		got++
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("decode block %d of %s: %w", b.Seq, r.Name(), err)
	}
	if got != int(b.Count) {
		return nil, fmt.Errorf("decode block %d of %s: %d of %d events read", b.Seq, r.Name(), got, b.Count)
	}
	return d, nil
}
