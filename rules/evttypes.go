package rules

import (
	"math/bits"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/query"
)

// typeSet is a set of event types, one bit per type below event.MaxType().
type typeSet []uint64

func newTypeSet() typeSet { return make(typeSet, (int(event.MaxType())+63)/64) }

func allTypes() typeSet {
	s := newTypeSet()
	for t := 0; t < int(event.MaxType()); t++ {
		s.add(event.Type(t))
	}
	return s
}

func (s typeSet) add(t event.Type)      { s[t/64] |= 1 << (t % 64) }
func (s typeSet) has(t event.Type) bool { return int(t/64) < len(s) && s[t/64]&(1<<(t%64)) != 0 }

func (s typeSet) count() int {
	n := 0
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	return n
}

func (s typeSet) and(o typeSet) typeSet {
	out := newTypeSet()
	for i := range out {
		out[i] = s[i] & o[i]
	}
	return out
}

func (s typeSet) or(o typeSet) typeSet {
	out := newTypeSet()
	for i := range out {
		out[i] = s[i] | o[i]
	}
	return out
}

func (s typeSet) not() typeSet {
	out := newTypeSet()
	for i := range out {
		out[i] = ^s[i]
	}
	// Clear the bits past the last type so that counts stay exact.
	if r := int(event.MaxType()) % 64; r != 0 {
		out[len(out)-1] &= 1<<r - 1
	}
	return out
}

// types returns the members in type order.
func (s typeSet) types() []event.Type {
	out := []event.Type{}
	for t := 0; t < int(event.MaxType()); t++ {
		if s.has(event.Type(t)) {
			out = append(out, event.Type(t))
		}
	}
	return out
}

// eventTypes returns the event types for which the condition x can be true, as
// Falco's libs infer them: each node has the types on which it may be true and those
// on which it may be false; only evt.type comparisons narrow them, and not swaps them.
// Types at or past event.MaxType() (a newer recorder's) are not in the set: rules
// whose set is every known type are run for them too.
func eventTypes(x query.Expr) typeSet {
	may, _ := typeBounds(x)
	return may
}

func typeBounds(x query.Expr) (mayTrue, mayFalse typeSet) {
	switch x := x.(type) {
	case *query.And:
		t, f := allTypes(), newTypeSet()
		for _, term := range x.Terms {
			tt, ff := typeBounds(term)
			t, f = t.and(tt), f.or(ff)
		}
		return t, f
	case *query.Or:
		t, f := newTypeSet(), allTypes()
		for _, term := range x.Terms {
			tt, ff := typeBounds(term)
			t, f = t.or(tt), f.and(ff)
		}
		return t, f
	case *query.Not:
		t, f := typeBounds(x.X)
		return f, t
	case *query.Compare:
		if s, ok := compareTypes(x); ok {
			return s, s.not()
		}
	}
	return allTypes(), allTypes()
}

// compareTypes returns the exact set of types on which an evt.type comparison holds.
func compareTypes(x *query.Compare) (typeSet, bool) {
	if (x.Field.Name != "evt.type" && x.Field.Name != "syscall.type") || x.Value == nil {
		return nil, false
	}
	items := []query.Value{*x.Value}
	if x.Value.IsList {
		items = x.Value.List
	}
	s := newTypeSet()
	for _, it := range items {
		if t, ok := event.ByName(it.Text); ok {
			s.add(t)
		}
	}
	switch x.Op {
	case query.OpEq, query.OpIn, query.OpIntersects:
		return s, true
	case query.OpNe:
		return s.not(), true
	}
	return nil, false
}

func typeName(t event.Type) string { return event.Lookup(t).Name }
