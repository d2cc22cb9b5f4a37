package query

import (
	"net/netip"
	"strings"

	"github.com/syscam/syscam/event"
)

// compare compiles one comparison: bind the field, check the operator against its
// type, expand list references, parse the literal values and build the closure.
func (c *compiler) compare(x *Compare) (pred, Expr, error) {
	f, ex, berr := c.reg.bindRef(x.Field, c.src)
	if berr != nil {
		berr.Macro = c.macro
		return nil, nil, berr
	}
	c.needs |= ex.needs
	out := *x
	if x.Op == OpExists {
		return existsPred(ex), &out, nil
	}
	if !ex.typ.allows(x.Op) {
		return nil, nil, c.errorf(x.OpAt, "operator %s does not apply to %s (type %s); use one of: %s", x.Op, x.Field, ex.typ, opList(ex.typ))
	}
	v, err := c.expandList(*x.Value)
	if err != nil {
		return nil, nil, err
	}
	out.Value = &v
	items := []Value{v}
	if v.IsList {
		items = v.List
	}
	if f.Name == "evt.type" && x.Op != OpRegex {
		if err := c.checkEventTypes(x.Op, items); err != nil {
			return nil, nil, err
		}
		if p, ok := evtTypePred(x.Op, items); ok {
			return p, &out, nil
		}
	}
	if f.Name == "evt.dir" {
		if p, ok := evtDirPred(x.Op, items); ok {
			return p, &out, nil
		}
	}
	p, err := c.typed(ex, x.Op, items)
	return p, &out, err
}

func opList(t Type) string {
	ops := t.ops()
	names := make([]string, len(ops))
	for i, o := range ops {
		names[i] = o.String()
	}
	return strings.Join(names, " ")
}

func (c *compiler) typed(ex extractor, op Op, items []Value) (pred, error) {
	switch ex.typ {
	case TypeString, TypeBytes:
		test, err := c.strTest(op, items)
		if err != nil {
			return nil, err
		}
		return strPred(ex, test), nil
	case TypeInt, TypeTime, TypeDuration:
		test, err := c.numTest(ex.typ, op, items)
		if err != nil {
			return nil, err
		}
		return numPred(ex, test), nil
	case TypeBool:
		test, err := c.boolTest(op, items)
		if err != nil {
			return nil, err
		}
		return func(in *Input) bool { b, ok := ex.flag(in); return ok && test(b) }, nil
	case TypeIP:
		test, err := c.ipTest(op, items)
		if err != nil {
			return nil, err
		}
		if ex.list {
			return func(in *Input) bool { return ex.anyIP(in, test) }, nil
		}
		return func(in *Input) bool { a, ok := ex.ip(in); return ok && test(a) }, nil
	}
	return nil, c.errorf(items[0].At, "fields of type %s cannot be compared", ex.typ)
}

func existsPred(ex extractor) pred {
	switch {
	case ex.list && ex.anyStr != nil:
		return func(in *Input) bool { return ex.anyStr(in, func(string) bool { return true }) }
	case ex.list && ex.anyNum != nil:
		return func(in *Input) bool { return ex.anyNum(in, func(int64) bool { return true }) }
	case ex.list:
		return func(in *Input) bool { return ex.anyIP(in, func(netip.Addr) bool { return true }) }
	case ex.str != nil:
		return func(in *Input) bool { _, ok := ex.str(in); return ok }
	case ex.num != nil:
		return func(in *Input) bool { _, ok := ex.num(in); return ok }
	case ex.flag != nil:
		return func(in *Input) bool { _, ok := ex.flag(in); return ok }
	}
	return func(in *Input) bool { _, ok := ex.ip(in); return ok }
}

// strPred applies test to a string field; list fields match when any value does.
func strPred(ex extractor, test func(string) bool) pred {
	if ex.list {
		return func(in *Input) bool { return ex.anyStr(in, test) }
	}
	get := ex.str
	return func(in *Input) bool {
		s, ok := get(in)
		return ok && test(s)
	}
}

func numPred(ex extractor, test func(int64) bool) pred {
	if ex.list {
		return func(in *Input) bool { return ex.anyNum(in, test) }
	}
	get := ex.num
	return func(in *Input) bool {
		v, ok := get(in)
		return ok && test(v)
	}
}

// checkEventTypes reports the names compared with evt.type by equality that are no
// event type, as unknown fields are reported: a misspelt type matches nothing, and
// in a list of types that silently disables part of the condition.
func (c *compiler) checkEventTypes(op Op, items []Value) error {
	if op != OpEq && op != OpNe && op != OpIn && op != OpIntersects {
		return nil // startswith, contains...: fragments of names, not names
	}
	for _, it := range items {
		if _, ok := event.ByName(it.Text); ok {
			continue
		}
		err := c.errorf(it.At, "unknown event type %s%s", it.Text, suggestEventType(it.Text))
		if c.unknownType == nil {
			return err
		}
		c.unknownType(err)
	}
	return nil
}

// suggestEventType names an event type close to a misspelt one.
func suggestEventType(name string) string {
	return didYouMean(name, func(yield func(string) bool) {
		for _, in := range event.All() {
			if !yield(in.Name) {
				return
			}
		}
	})
}

// evtTypePred compiles evt.type = / != / in / intersects into a lookup in a table
// indexed by event type. Names that are no event type match nothing.
func evtTypePred(op Op, items []Value) (pred, bool) {
	if op != OpEq && op != OpNe && op != OpIn && op != OpIntersects {
		return nil, false
	}
	set := make([]bool, event.MaxType())
	for _, it := range items {
		if t, ok := event.ByName(it.Text); ok {
			set[t] = true
		}
	}
	if op == OpNe {
		return func(in *Input) bool {
			t := int(in.Event.Type)
			return t >= len(set) || !set[t]
		}, true
	}
	return func(in *Input) bool {
		t := int(in.Event.Type)
		return t < len(set) && set[t]
	}, true
}

// evtDirPred compares evt.dir as a direction set rather than a string. A syscam
// syscall event recorded at exit also stands for its entry (it carries the entry's
// arguments), so it matches both ">" and "<"; an event recorded at entry only (the
// call had not returned) matches ">"; other events match "<". This keeps Falco rules
// written for entry events (evt.dir = >, as its ptrace rules are) working.
func evtDirPred(op Op, items []Value) (pred, bool) {
	if op != OpEq && op != OpNe && op != OpIn && op != OpIntersects {
		return nil, false
	}
	var enter, exit bool
	for _, it := range items {
		switch it.Text {
		case ">":
			enter = true
		case "<":
			exit = true
		default:
			return nil, false
		}
	}
	match := func(in *Input) bool {
		e := in.Event
		switch {
		case e.Flags&event.FlagEnter != 0:
			return enter
		case e.Info().IsSyscall():
			return enter || exit
		}
		return exit
	}
	if op == OpNe {
		return func(in *Input) bool { return !match(in) }, true
	}
	return match, true
}
