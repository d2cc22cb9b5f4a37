package query

import "github.com/syscam/syscam/event"

// fixedPart reports whether a field reads only an event's fixed part (time, thread,
// CPU, type, flags, return value, latency): what a reader decodes before the
// parameters, and all a block predicate sees.
func fixedPart(name string) bool {
	switch name {
	case "evt.type", "evt.dir", "evt.cpu", "evt.res", "evt.rawres", "evt.failed", "evt.latency",
		"evt.rawtime", "evt.is_io", "evt.is_io_read", "evt.is_io_write", "thread.tid":
		return true
	}
	return false
}

// readsFixedPartOnly reports whether every comparison of x is on a fixed-part field.
func readsFixedPartOnly(x Expr) bool {
	switch x := x.(type) {
	case *And:
		for _, t := range x.Terms {
			if !readsFixedPartOnly(t) {
				return false
			}
		}
		return true
	case *Or:
		for _, t := range x.Terms {
			if !readsFixedPartOnly(t) {
				return false
			}
		}
		return true
	case *Not:
		return readsFixedPartOnly(x.X)
	case *Compare:
		return !x.Field.HasArg && fixedPart(x.Field.Name)
	}
	return false
}

// BlockPredicate returns, for a condition that reads only the fixed part of events,
// a maker of predicates for format.Selection.Keep: a reader then skips decoding the
// parameters of blocks where nothing can match. Each call compiles a fresh copy, so
// that reader goroutines share no state. It returns nil for other conditions.
func (f *Filter) BlockPredicate() func() func(*event.Event) bool {
	if f == nil || !readsFixedPartOnly(f.expanded) {
		return nil
	}
	src := f.expanded.String()
	return func() func(*event.Event) bool {
		var opt Options
		if f.lenient {
			opt.UnknownEventType = func(*Error) {}
		}
		g, err := CompileExpr(f.expanded, src, opt)
		if err != nil {
			return func(*event.Event) bool { return true } // cannot happen: f compiled
		}
		in := &Input{}
		return func(e *event.Event) bool {
			in.Event = e
			return g.Match(in)
		}
	}
}
