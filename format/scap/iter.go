package scap

import (
	"fmt"

	"github.com/syscam/syscam/event"
)

// Filter selects events while streaming: scap files have no index, so every event is
// read and mapped, and Filter only decides which ones Next returns. The zero Filter
// selects everything.
type Filter struct {
	From, To   int64 // [From, To) in ns; 0: unbounded
	Types      []event.Type
	TIDs, PIDs []int32
}

type compiledFilter struct {
	from, to   int64
	types      []bool
	tids, pids map[int32]bool
}

func (f Filter) compile() compiledFilter {
	c := compiledFilter{from: f.From, to: f.To}
	if len(f.Types) > 0 {
		c.types = make([]bool, event.MaxType()+1)
		for _, t := range f.Types {
			if int(t) < len(c.types) {
				c.types[t] = true
			}
		}
	}
	c.tids, c.pids = intSet(f.TIDs), intSet(f.PIDs)
	return c
}

func intSet(v []int32) map[int32]bool {
	if len(v) == 0 {
		return nil
	}
	m := make(map[int32]bool, len(v))
	for _, x := range v {
		m[x] = true
	}
	return m
}

func (c *compiledFilter) match(e *event.Event) bool {
	if e.Time < c.from || c.to != 0 && e.Time >= c.to {
		return false
	}
	if c.types != nil && (int(e.Type) >= len(c.types) || !c.types[e.Type]) {
		return false
	}
	return (c.tids == nil || c.tids[e.TID]) && (c.pids == nil || c.pids[e.PID])
}

// Iterator streams a capture's events mapped into syscam's model. See the package
// documentation for the order of events.
type Iterator struct {
	r        *Reader
	br       *blockReader
	m        *mapper
	f        compiledFilter
	stats    Stats
	raw      rawEvent
	cur      *event.Event
	used     int
	queue    []event.Event
	qhead    int
	num      uint64
	err      error
	flushing bool
	orphans  []*pendingEnter
	done     bool
}

// Iter starts an iteration over the events f selects.
func (r *Reader) Iter(f Filter) *Iterator {
	it := &Iterator{r: r, f: f.compile()}
	br, err := r.stream()
	if err == nil {
		var s *Section
		if s, err = openStream(br); err == nil {
			it.stats.Sections = 1
			it.br, it.m = br, newMapper(s, &it.stats)
		}
	}
	if err != nil {
		it.err, it.done = err, true
	}
	return it
}

// Stats returns what the iteration has read so far.
func (it *Iterator) Stats() *Stats { return &it.stats }

// Next fills e with the next selected event and reports whether there was one. After
// false, Err tells whether the capture ended cleanly.
func (it *Iterator) Next(e *event.Event) bool {
	for {
		if it.qhead < len(it.queue) {
			e.CopyFrom(&it.queue[it.qhead])
			it.qhead++
			if it.emit(e) {
				return true
			}
			continue
		}
		if it.done {
			return false
		}
		it.queue, it.qhead = it.queue[:0], 0
		it.cur, it.used = e, 0
		it.step()
		if it.used > 0 && it.emit(e) {
			return true
		}
	}
}

// emit numbers an output event and reports whether the filter selects it.
func (it *Iterator) emit(e *event.Event) bool {
	it.num++
	e.Num = it.num
	return it.f.match(e)
}

// next implements output: the caller's event first, then queued ones.
func (it *Iterator) next() *event.Event {
	if it.used == 0 {
		it.used = 1
		return it.cur
	}
	it.used++
	if len(it.queue) < cap(it.queue) {
		it.queue = it.queue[:len(it.queue)+1]
	} else {
		it.queue = append(it.queue, event.Event{})
	}
	return &it.queue[len(it.queue)-1]
}

// step reads one block and maps what it holds.
func (it *Iterator) step() {
	if it.flushing {
		it.flushOne()
		return
	}
	typ, body, ok, err := it.br.next()
	it.stats.Blocks = uint64(it.br.blocks)
	switch {
	case err != nil:
		it.err = err
		it.startFlush()
	case !ok:
		it.startFlush()
	case isEventBlock(typ):
		it.event(typ, body)
	case typ == blkSHB:
		it.section(body)
	default:
		it.stats.skipBlock(typ)
	}
}

func (it *Iterator) event(typ uint32, body []byte) {
	known, err := decodeEvent(body, typ, &it.raw)
	if err != nil {
		it.err = &FormatError{File: it.r.name, Block: fmt.Sprintf("%s block %d", blockName(typ), it.br.blocks),
			Offset: it.br.lastOff, Gzip: it.br.gz != nil, Err: fmt.Errorf("decode event: %w", err)}
		it.startFlush()
		return
	}
	if !known {
		it.stats.UnknownIDs++
		return
	}
	it.m.handle(&it.raw, it)
}

// section starts a new section of a concatenated capture: its process and fd lists
// are emitted as state records, and the thread table is reloaded from them.
func (it *Iterator) section(shb []byte) {
	s, err := readSection(it.br, shb)
	if err != nil {
		it.err = err
		it.startFlush()
		return
	}
	it.stats.Sections++
	it.m.loadThreads(s)
	for _, st := range snapshot(s, it.m.maxTS) {
		it.next().CopyFrom(st)
		it.stats.Emitted++
	}
}

func (it *Iterator) startFlush() {
	it.flushing = true
	it.orphans = it.m.drain()
}

func (it *Iterator) flushOne() {
	if len(it.orphans) == 0 {
		it.done = true
		return
	}
	pe := it.orphans[0]
	it.orphans = it.orphans[1:]
	it.m.emitOrphan(pe, it)
}

// Err returns the error that ended the iteration, nil at a clean end of capture.
func (it *Iterator) Err() error { return it.err }

// Close ends the iteration.
func (it *Iterator) Close() error {
	if !it.done {
		it.done = true
		it.queue, it.qhead = nil, 0
	}
	return nil
}
