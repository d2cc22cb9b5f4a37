package rules

import (
	"github.com/syscam/syscam/query"
)

// Guards share work between rules. Most rules open with the same macro
// (opened_for_writing and ..., proc_started and ...): Falco evaluates it once per rule,
// so an openat event runs the same five comparisons for each of thirty rules. Here a
// rule whose condition is an and whose leading term another rule also leads with is
// split into that guard and the rest; Match evaluates each guard at most once per
// event and skips every rule whose guard is false. And short-circuits left to right
// and conditions have no side effects, so the result is the same.
//
// The guard is the outermost leading term shared by at least two rules: for
// (a and b) and c, first a and b, else a.

// split is one way to cut a condition: guard and the terms left after it.
type split struct {
	guard query.Expr
	key   string
	rest  []query.Expr
}

// splits lists the ways to cut x, outermost first.
func splits(x query.Expr) []split {
	var out []split
	var rest []query.Expr
	for {
		and, ok := x.(*query.And)
		if !ok || len(and.Terms) < 2 || len(out) == 4 {
			return out
		}
		rest = append(append([]query.Expr(nil), and.Terms[1:]...), rest...)
		x = and.Terms[0]
		out = append(out, split{guard: x, key: x.String(), rest: rest})
	}
}

// guardSet numbers the guards of an Engine.
type guardSet struct {
	ids     map[string]int
	filters []*query.Filter
}

// assignGuards splits the conditions of rules that share a leading term.
func (e *Engine) assignGuards(reg *query.Registry) error {
	count := map[string]int{}
	all := make([][]split, len(e.rules))
	for i, cr := range e.rules {
		all[i] = splits(cr.Filter.Expr())
		for _, s := range all[i] {
			count[s.key]++
		}
	}
	e.guards = guardSet{ids: map[string]int{}}
	for i, cr := range e.rules {
		cr.guard, cr.rest = -1, cr.Filter
		for _, s := range all[i] {
			if count[s.key] < 2 {
				continue
			}
			if err := e.useGuard(cr, s, reg); err != nil {
				return err
			}
			break
		}
	}
	return nil
}

// ignoreUnknownType tolerates the unknown event types of a guard or rest: the rule
// they were split from was compiled, and warned about, whole.
func ignoreUnknownType(*query.Error) {}

func (e *Engine) useGuard(cr *CompiledRule, s split, reg *query.Registry) error {
	id, ok := e.guards.ids[s.key]
	if !ok {
		f, err := query.CompileExpr(s.guard, s.key, query.Options{Fields: reg, UnknownEventType: ignoreUnknownType})
		if err != nil {
			return err
		}
		id = len(e.guards.filters)
		e.guards.ids[s.key] = id
		e.guards.filters = append(e.guards.filters, f)
	}
	var rest query.Expr = &query.And{At: s.rest[0].Pos(), Terms: s.rest}
	if len(s.rest) == 1 {
		rest = s.rest[0]
	}
	src := rest.String()
	f, err := query.CompileExpr(rest, src, query.Options{Fields: reg, UnknownEventType: ignoreUnknownType})
	if err != nil {
		return err
	}
	cr.guard, cr.rest = id, f
	return nil
}

// Matcher evaluates an Engine's rules for one goroutine: it remembers, for the
// current event, which guards it evaluated. Get one per goroutine with NewMatcher.
type Matcher struct {
	e     *Engine
	gen   uint32
	stamp []uint32
	value []bool
}

// NewMatcher returns a Matcher for e.
func (e *Engine) NewMatcher() *Matcher {
	n := len(e.guards.filters)
	return &Matcher{e: e, stamp: make([]uint32, n), value: make([]bool, n)}
}

// Match runs the candidate rules of in's event, in load order, and calls fn for the
// first that matches, or for every one with Options.AllMatches. It returns how many
// matched. It does not allocate.
func (m *Matcher) Match(in *query.Input, fn func(*CompiledRule)) int {
	e := m.e
	cands := e.anyType
	if t := int(in.Event.Type); t < len(e.byType) {
		cands = e.byType[t]
	}
	m.gen++
	if m.gen == 0 { // wrapped: forget every stamp
		clear(m.stamp)
		m.gen = 1
	}
	n := 0
	for _, cr := range cands {
		if cr.guard >= 0 && !m.guard(cr.guard, in) {
			continue
		}
		if !cr.rest.Match(in) {
			continue
		}
		n++
		fn(cr)
		if !e.all {
			break
		}
	}
	return n
}

func (m *Matcher) guard(id int, in *query.Input) bool {
	if m.stamp[id] == m.gen {
		return m.value[id]
	}
	v := m.e.guards.filters[id].Match(in)
	m.stamp[id], m.value[id] = m.gen, v
	return v
}
