package query

import (
	"math"
	"strconv"

	"github.com/syscam/syscam/event"
)

// Bounds is what a filter lets a reader skip: the event types, the time interval and
// the threads or processes outside which it cannot be true. A reader passes them to
// the block index (format.Selection) so that blocks holding none of them are never
// decompressed.
type Bounds struct {
	// Types the filter can match; nil means any type.
	Types []event.Type
	// From and To bound the event time, ns, To exclusive; 0 means unbounded.
	From, To int64
	// TIDs and PIDs the filter can match; nil means any.
	TIDs, PIDs []int32
	// Empty is set when no event can match (evt.type = a and evt.type = b).
	Empty bool
}

// Bounds derives the filter's bounds from its expanded condition.
func (f *Filter) Bounds() Bounds {
	t, _ := facts(f.expanded)
	return t.bounds()
}

// fact over-approximates the events for which a condition has one truth value.
type fact struct {
	types      []bool // indexed by event.Type; nil: any type
	other      bool   // with types: whether types past the table match too
	lo, hi     int64  // time interval, inclusive
	tids, pids []int32
	anyTID     bool // tids unconstrained
	anyPID     bool
}

func anyFact() fact {
	return fact{lo: math.MinInt64, hi: math.MaxInt64, anyTID: true, anyPID: true}
}

// facts returns the facts of x being true and of x being false.
func facts(x Expr) (onTrue, onFalse fact) {
	switch x := x.(type) {
	case *And:
		t, f := facts(x.Terms[0])
		for _, term := range x.Terms[1:] {
			t2, f2 := facts(term)
			t, f = meet(t, t2), join(f, f2)
		}
		return t, f
	case *Or:
		t, f := facts(x.Terms[0])
		for _, term := range x.Terms[1:] {
			t2, f2 := facts(term)
			t, f = join(t, t2), meet(f, f2)
		}
		return t, f
	case *Not:
		t, f := facts(x.X)
		return f, t
	case *Compare:
		return compareFacts(x)
	}
	return anyFact(), anyFact()
}

func compareFacts(c *Compare) (fact, fact) {
	t, f := anyFact(), anyFact()
	if c.Field.HasArg || c.Value == nil {
		return t, f
	}
	items := []Value{*c.Value}
	if c.Value.IsList {
		items = c.Value.List
	}
	switch c.Field.Name {
	case "evt.type":
		return typeFacts(c.Op, items)
	case "evt.rawtime":
		return timeFacts(c.Op, items)
	case "thread.tid":
		if ids, ok := idList(c.Op, items); ok {
			t.tids, t.anyTID = ids, false
		}
	case "proc.pid":
		if ids, ok := idList(c.Op, items); ok {
			t.pids, t.anyPID = ids, false
		}
	}
	return t, f
}

func typeFacts(op Op, items []Value) (fact, fact) {
	t, f := anyFact(), anyFact()
	if op != OpEq && op != OpNe && op != OpIn && op != OpIntersects {
		return t, f
	}
	set := make([]bool, event.MaxType())
	for _, it := range items {
		if typ, ok := event.ByName(it.Text); ok {
			set[typ] = true
		}
	}
	rest := make([]bool, len(set))
	for i := range set {
		rest[i] = !set[i]
	}
	t.types, f.types, f.other = set, rest, true
	if op == OpNe {
		return f, t
	}
	return t, f
}

func timeFacts(op Op, items []Value) (fact, fact) {
	t, f := anyFact(), anyFact()
	if len(items) != 1 {
		return t, f
	}
	v, err := parseNum(TypeTime, items[0].Text)
	if err != nil {
		return t, f
	}
	switch op {
	case OpEq:
		t.lo, t.hi = v, v
	case OpLt:
		t.hi, f.lo = v-1, v
	case OpLe:
		t.hi, f.lo = v, v+1
	case OpGt:
		t.lo, f.hi = v+1, v
	case OpGe:
		t.lo, f.hi = v, v-1
	}
	return t, f
}

func idList(op Op, items []Value) ([]int32, bool) {
	if op != OpEq && op != OpIn && op != OpIntersects {
		return nil, false
	}
	ids := make([]int32, 0, len(items))
	for _, it := range items {
		n, err := strconv.ParseInt(it.Text, 10, 32)
		if err != nil {
			return nil, false
		}
		ids = append(ids, int32(n))
	}
	return ids, true
}

// meet is the conjunction of two facts, join the disjunction.
func meet(a, b fact) fact {
	r := fact{lo: max(a.lo, b.lo), hi: min(a.hi, b.hi)}
	r.types, r.other = meetTypes(a, b)
	r.tids, r.anyTID = meetIDs(a.tids, a.anyTID, b.tids, b.anyTID)
	r.pids, r.anyPID = meetIDs(a.pids, a.anyPID, b.pids, b.anyPID)
	return r
}

func join(a, b fact) fact {
	r := fact{lo: min(a.lo, b.lo), hi: max(a.hi, b.hi)}
	if a.lo > a.hi { // a is empty: b alone
		r.lo, r.hi = b.lo, b.hi
	} else if b.lo > b.hi {
		r.lo, r.hi = a.lo, a.hi
	}
	if a.types != nil && b.types != nil {
		r.types, r.other = make([]bool, len(a.types)), a.other || b.other
		for i := range r.types {
			r.types[i] = a.types[i] || b.types[i]
		}
	}
	r.anyTID = a.anyTID || b.anyTID
	if !r.anyTID {
		r.tids = append(append([]int32(nil), a.tids...), b.tids...)
	}
	r.anyPID = a.anyPID || b.anyPID
	if !r.anyPID {
		r.pids = append(append([]int32(nil), a.pids...), b.pids...)
	}
	return r
}

func meetTypes(a, b fact) ([]bool, bool) {
	switch {
	case a.types == nil:
		return b.types, b.other
	case b.types == nil:
		return a.types, a.other
	}
	r := make([]bool, len(a.types))
	for i := range r {
		r[i] = a.types[i] && b.types[i]
	}
	return r, a.other && b.other
}

func meetIDs(a []int32, anyA bool, b []int32, anyB bool) ([]int32, bool) {
	switch {
	case anyA:
		return b, anyB
	case anyB:
		return a, anyA
	}
	var r []int32
	for _, x := range a {
		for _, y := range b {
			if x == y {
				r = append(r, x)
				break
			}
		}
	}
	return r, false
}

func (t fact) bounds() Bounds {
	var b Bounds
	if t.lo > t.hi || (!t.anyTID && len(t.tids) == 0) || (!t.anyPID && len(t.pids) == 0) {
		return Bounds{Empty: true}
	}
	if t.lo != math.MinInt64 {
		b.From = max(t.lo, 1)
	}
	if t.hi != math.MaxInt64 {
		b.To = t.hi + 1
	}
	if t.types != nil && !t.other {
		b.Types = []event.Type{}
		for i, ok := range t.types {
			if ok {
				b.Types = append(b.Types, event.Type(i))
			}
		}
		if len(b.Types) == 0 {
			return Bounds{Empty: true}
		}
	}
	if !t.anyTID {
		b.TIDs = t.tids
	}
	if !t.anyPID {
		b.PIDs = t.pids
	}
	return b
}
