package data

import (
	"cmp"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
)

// cachedEvents is how many decoded events a Trace keeps: a few screens of rows
// around the cursor, so that moving it decodes a block only every few screens.
const cachedEvents = 4096

// Trace is an open trace (one file or a rotated set) seen as one numbered timeline.
type Trace struct {
	Paths  []string
	Set    *format.Set
	Header format.Header
	First  int64 // time of the first event (or the capture's start), ns
	Last   int64 // time of the last event, ns
	Count  uint64
	// Incomplete says which files have no footer (the recorder was killed, or the
	// file was cut) and what that loses, "" when every file is whole. Without it the
	// UI would show a cut trace as if it were the whole capture.
	Incomplete string

	readers []*format.Reader
	bases   []uint64 // Num of each file's first event minus one

	mu    sync.Mutex
	cache map[uint64]*event.Event
	fifo  []uint64 // cached positions, oldest first
}

// Open opens trace files, directories or a rotated set as one Trace.
func Open(paths ...string) (*Trace, error) {
	s, err := format.OpenSet(paths...)
	if err != nil {
		return nil, fmt.Errorf("open trace: %w", err)
	}
	if err := oneMachine(s); err != nil {
		s.Close()
		return nil, err
	}
	t := FromSet(s)
	t.Paths = paths
	return t, nil
}

// FromSet wraps an open set.
func FromSet(s *format.Set) *Trace {
	t := &Trace{Set: s, Header: s.Header(), readers: s.Readers(), cache: map[uint64]*event.Event{}}
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
	t.Incomplete = incomplete(t.readers)
	return t
}

// incomplete describes the files read without their footer, as inspect's warning
// does: the bytes after the last complete block are lost, and the drop counts, kept
// in the footer, are unknown.
func incomplete(readers []*format.Reader) string {
	var names []string
	var lost int64
	for _, r := range readers {
		if r.Recovered() {
			names = append(names, filepath.Base(r.Name()))
			lost += r.Lost()
		}
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		// What it means first: on a narrow screen the end is cut off.
		return fmt.Sprintf("%s has no footer: %d bytes lost at its end, drop counts unknown (the recorder was killed or the file cut)", names[0], lost)
	}
	return fmt.Sprintf("%d files have no footer: %d bytes lost, drop counts unknown (%s)", len(names), lost, strings.Join(names, ", "))
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

// Event returns a copy of the event at position num (from 1).
func (t *Trace) Event(num uint64) (*event.Event, error) {
	var out *event.Event
	err := t.Visit([]uint64{num}, func(e *event.Event) { out = e.Clone() })
	return out, err
}

// Visit calls fn with the events at positions nums, in that order, without copying
// them; e is valid only during the call. Positions not cached are read with one pass
// over each block that holds some.
func (t *Trace) Visit(nums []uint64, fn func(e *event.Event)) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.fetch(nums); err != nil {
		return err
	}
	for _, n := range nums {
		fn(t.cache[n])
	}
	return nil
}

// Prefetch reads the events at positions nums into the cache, so that a later Visit
// of them does not wait on the file.
func (t *Trace) Prefetch(nums []uint64) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.fetch(nums)
}

// Cached reports whether every position of nums is in the cache.
func (t *Trace) Cached(nums []uint64) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, n := range nums {
		if _, ok := t.cache[n]; !ok {
			return false
		}
	}
	return true
}

// fetch reads the positions nums that are not cached, block by block.
func (t *Trace) fetch(nums []uint64) error {
	want := map[blockRef][]uint64{}
	for _, n := range nums {
		if _, ok := t.cache[n]; ok {
			continue
		}
		ref, err := t.locate(n)
		if err != nil {
			return err
		}
		want[ref] = append(want[ref], n)
	}
	for ref, ns := range want {
		if err := t.read(ref, ns); err != nil {
			return err
		}
	}
	return nil
}

// blockRef names a block: its reader and its index there.
type blockRef struct{ reader, block int }

func (t *Trace) locate(num uint64) (blockRef, error) {
	if num == 0 || num > t.Count {
		return blockRef{}, fmt.Errorf("read event %d: out of range 1..%d", num, t.Count)
	}
	ri := sort.Search(len(t.bases), func(i int) bool { return t.bases[i] >= num }) - 1
	local := num - t.bases[ri]
	blocks := t.readers[ri].Blocks()
	bi := sort.Search(len(blocks), func(i int) bool { return blocks[i].First > local }) - 1
	if bi < 0 {
		return blockRef{}, fmt.Errorf("read event %d: no block of %s holds it", num, t.readers[ri].Name())
	}
	return blockRef{ri, bi}, nil
}

// read decodes block ref and caches the events at positions nums (global).
func (t *Trace) read(ref blockRef, nums []uint64) error {
	r := t.readers[ref.reader]
	b := r.Blocks()[ref.block]
	base := t.bases[ref.reader]
	wanted := make(map[uint64]bool, len(nums))
	for _, n := range nums {
		wanted[n-base] = true
	}
	it := r.Events(format.Selection{From: b.MinTime, To: b.MaxTime + 1})
	defer it.Close()
	var e event.Event
	found := 0
	for found < len(wanted) && it.Next(&e) {
		if wanted[e.Num] {
			c := e.Clone()
			c.Num += base
			t.put(c)
			found++
		}
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("decode block %d of %s: %w", b.Seq, r.Name(), err)
	}
	if found != len(wanted) {
		return fmt.Errorf("decode block %d of %s: %d of %d events found", b.Seq, r.Name(), found, len(wanted))
	}
	return nil
}

// put caches e, dropping the oldest entry when full.
func (t *Trace) put(e *event.Event) {
	if len(t.fifo) >= cachedEvents {
		delete(t.cache, t.fifo[0])
		t.fifo = t.fifo[1:]
	}
	t.cache[e.Num] = e
	t.fifo = append(t.fifo, e.Num)
}

// oneMachine refuses files recorded on several machines: the UI shows one process
// tree, and merging two machines' would mix unrelated pids.
func oneMachine(s *format.Set) error {
	var names []string
	seen := map[[2]string]bool{}
	for _, r := range s.Readers() {
		h := r.Header().Host
		k := [2]string{h.MachineID, h.Hostname}
		if !seen[k] {
			seen[k] = true
			names = append(names, cmp.Or(h.Hostname, h.MachineID, r.Name()))
		}
	}
	if len(names) < 2 {
		return nil
	}
	return fmt.Errorf("the files come from %d machines (%s); the terminal UI shows one machine, so open the files of one of them",
		len(names), strings.Join(names, ", "))
}
