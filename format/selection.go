package format

import (
	"math"

	"github.com/syscam/syscam/event"
)

// Selection says which events to read. The zero Selection selects everything.
// Predicates on time, type and tid are pushed down to the block index: blocks that
// cannot hold a selected event are never read or decompressed.
type Selection struct {
	From int64 // first instant, ns (inclusive); 0: from the start
	To   int64 // last instant, ns (exclusive); 0: to the end
	// Types, when non-empty, keeps only events of these types.
	Types []event.Type
	// TIDs and PIDs, when non-empty, keep only events of these threads or processes.
	TIDs []int32
	PIDs []int32
	// Keep, when set, makes a predicate for one reader goroutine (each calls it once).
	// The predicate sees events with their fixed part only: time, thread, process,
	// CPU, type, flags, return value and latency, no parameters. A block none of
	// whose events it keeps yields nothing, and its parameters are never decoded;
	// the other blocks yield all their selected events, so the caller still filters.
	// It lets a filter on fixed fields that matches little skip most of the decoding.
	Keep func() func(*event.Event) bool
}

// Matches reports whether e is selected.
func (s *Selection) Matches(e *event.Event) bool {
	c := s.compile()
	return c.matches(e)
}

type compiledSelection struct {
	from, to       int64
	types          *typeSet
	tids, pids     map[int32]struct{}
	minTID, maxTID int32
	keep           func() func(*event.Event) bool
}

func (s *Selection) compile() *compiledSelection {
	c := &compiledSelection{from: s.From, to: s.To, keep: s.Keep}
	if c.from == 0 {
		c.from = math.MinInt64
	}
	if len(s.Types) > 0 {
		c.types = newTypeSet(s.Types)
	}
	if len(s.TIDs) > 0 {
		c.tids = make(map[int32]struct{}, len(s.TIDs))
		c.minTID, c.maxTID = math.MaxInt32, math.MinInt32
		for _, t := range s.TIDs {
			c.tids[t] = struct{}{}
			c.minTID, c.maxTID = min(c.minTID, t), max(c.maxTID, t)
		}
	}
	if len(s.PIDs) > 0 {
		c.pids = make(map[int32]struct{}, len(s.PIDs))
		for _, p := range s.PIDs {
			c.pids[p] = struct{}{}
		}
	}
	return c
}

func (c *compiledSelection) matches(e *event.Event) bool {
	if e.Time < c.from || (c.to != 0 && e.Time >= c.to) {
		return false
	}
	if c.types != nil && !c.types.has(e.Type) {
		return false
	}
	if c.tids != nil {
		if _, ok := c.tids[e.TID]; !ok {
			return false
		}
	}
	if c.pids != nil {
		if _, ok := c.pids[e.PID]; !ok {
			return false
		}
	}
	return true
}

// tidInRange reports whether a selected tid may lie in [lo, hi].
func (c *compiledSelection) tidInRange(lo, hi int32) bool {
	if c.maxTID < lo || c.minTID > hi {
		return false
	}
	for t := range c.tids {
		if t >= lo && t <= hi {
			return true
		}
	}
	return false
}

// typeSet is a bit set over event.Type.
type typeSet struct{ bits []uint64 }

func newTypeSet(ts []event.Type) *typeSet {
	s := &typeSet{}
	for _, t := range ts {
		s.add(t)
	}
	return s
}

func (s *typeSet) add(t event.Type) {
	w := int(t) / 64
	for len(s.bits) <= w {
		s.bits = append(s.bits, 0)
	}
	s.bits[w] |= 1 << (t % 64)
}

func (s *typeSet) has(t event.Type) bool {
	w := int(t) / 64
	return w < len(s.bits) && s.bits[w]&(1<<(t%64)) != 0
}

// list returns the set's members in increasing order.
func (s *typeSet) list() []event.Type {
	var out []event.Type
	for w, b := range s.bits {
		for i := 0; i < 64; i++ {
			if b&(1<<i) != 0 {
				out = append(out, event.Type(w*64+i))
			}
		}
	}
	return out
}
