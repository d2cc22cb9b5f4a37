package rules

import (
	"errors"
	"fmt"
	"strings"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/query"
)

// Options configure Compile.
type Options struct {
	// SkipUnknown drops, with a warning, every rule that uses a field syscam does not
	// know, as if each said skip-if-unknown-filter: true.
	SkipUnknown bool
	// MinPriority leaves out the rules less severe than it; 0 keeps every rule.
	MinPriority Priority
	// AllMatches reports every rule an event matches; by default only the first, in
	// load order, as Falco does.
	AllMatches bool
	// Fields is the field registry; nil means query's built-in fields.
	Fields *query.Registry
}

// CompiledRule is a rule ready to run.
type CompiledRule struct {
	*Rule
	Filter *query.Filter
	// Types are the event types the condition can match, in type order; nil when it
	// does not restrict evt.type and runs for every event.
	Types  []event.Type
	output *output
	guard  int           // index of the rule's guard in Engine.guards, or -1
	rest   *query.Filter // the condition after the guard (Filter when no guard)
}

// Engine runs compiled rules over events. It is immutable after Compile; Match is for
// one goroutine, NewMatcher gives others their own (each with its own query.Input).
type Engine struct {
	rules    []*CompiledRule
	byType   [][]*CompiledRule // candidates per event type, in load order
	anyType  []*CompiledRule   // rules for types past the table (a newer recorder's)
	all      bool
	warnings []Warning
	guards   guardSet
	matcher  *Matcher // the Matcher behind Engine.Match
}

// Compile compiles the enabled rules of rs. A rule whose condition or output does not
// compile fails the whole compile, with every such error joined; a rule using unknown
// fields is dropped with a warning instead when it says skip-if-unknown-filter or
// opt.SkipUnknown is set.
func Compile(rs *Ruleset, opt Options) (*Engine, error) {
	reg := opt.Fields
	if reg == nil {
		reg = query.Builtin()
	}
	res, err := newResolver(rs)
	if err != nil {
		return nil, err
	}
	e := &Engine{all: opt.AllMatches, byType: make([][]*CompiledRule, event.MaxType())}
	var errs []error
	for _, r := range rs.Rules {
		if opt.MinPriority != 0 && !r.Priority.AtLeast(opt.MinPriority) {
			continue
		}
		cr, err := e.compileRule(res, reg, r, opt.SkipUnknown)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if cr != nil && r.Enabled {
			e.add(cr)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if err := e.assignGuards(reg); err != nil {
		return nil, fmt.Errorf("split shared conditions: %w", err)
	}
	e.matcher = e.NewMatcher()
	return e, nil
}

func (e *Engine) compileRule(res *resolver, reg *query.Registry, r *Rule, skipAll bool) (*CompiledRule, error) {
	item := itemName("rule", r.Name)
	cond := r.FullCondition()
	src := cond.String()
	x, err := query.Parse(src)
	if err != nil {
		return nil, conditionError(r.Pos, item, cond, err)
	}
	if unknown, first := res.unknownFields(x, reg); len(unknown) > 0 {
		if r.SkipIfUnknownFilter || skipAll || !r.Enabled {
			e.warnings = append(e.warnings, Warning{Pos: r.Pos, Item: item,
				Message: fmt.Sprintf("uses fields syscam does not know (%s); rule skipped", strings.Join(unknown, ", "))})
			return nil, nil
		}
		return nil, res.unknownFieldError(r.Pos, item, cond, unknown, first, reg)
	}
	// Falco's rules name event types of other platforms and newer kernels, and Falco
	// loads them (its type index skips names it lacks): warn, naming the rule, rather
	// than refuse the file; query makes the same name an error in a typed -f.
	seen := map[string]bool{}
	unknownType := func(qe *query.Error) {
		msg := qe.Msg
		if qe.Macro != "" {
			msg = "macro " + qe.Macro + ": " + msg
		}
		if seen[msg] {
			return // a macro used twice names its types twice
		}
		seen[msg] = true
		e.warnings = append(e.warnings, Warning{Pos: r.Pos, Item: item,
			Message: fmt.Sprintf("condition: %s; syscam records no such event, so that comparison never matches", msg)})
	}
	f, err := query.CompileExpr(x, src, query.Options{Resolver: res, Fields: reg, UnknownEventType: unknownType})
	if err != nil {
		return nil, res.conditionError(r.Pos, item, cond, err)
	}
	out, unknown, err := compileOutput(r.Output, reg)
	if err != nil {
		return nil, outputError(r, item, err)
	}
	if len(unknown) > 0 {
		e.warnings = append(e.warnings, Warning{Pos: r.Pos, Item: item,
			Message: fmt.Sprintf("output uses fields syscam does not know (%s); they print as <NA>", strings.Join(unknown, ", "))})
	}
	cr := &CompiledRule{Rule: r, Filter: f, output: out}
	ts := eventTypes(f.Expr())
	switch n := ts.count(); {
	case n == 0:
		cr.Types = ts.types()
		e.warnings = append(e.warnings, Warning{Pos: r.Pos, Item: item,
			Message: "condition matches no event type syscam records: the rule never fires"})
	case n < int(event.MaxType()):
		cr.Types = ts.types()
	case r.WarnEvttypes:
		e.warnings = append(e.warnings, Warning{Pos: r.Pos, Item: item,
			Message: "condition does not restrict evt.type: the rule runs for every event"})
	}
	return cr, nil
}

// add indexes an enabled rule under each event type it can match.
func (e *Engine) add(cr *CompiledRule) {
	e.rules = append(e.rules, cr)
	if cr.Types == nil {
		for t := range e.byType {
			e.byType[t] = append(e.byType[t], cr)
		}
		e.anyType = append(e.anyType, cr)
		return
	}
	for _, t := range cr.Types {
		e.byType[t] = append(e.byType[t], cr)
	}
}

// Rules returns the enabled rules that run, in load order.
func (e *Engine) Rules() []*CompiledRule { return e.rules }

// Warnings returns what Compile dropped or noticed.
func (e *Engine) Warnings() []Warning { return e.warnings }

// Match runs the candidate rules of in's event, in load order, and calls fn for the
// first that matches, or for every one with Options.AllMatches; it returns how many
// matched. Match uses the Engine's own Matcher and is not safe for concurrent use:
// give each goroutine a Matcher of its own (NewMatcher).
func (e *Engine) Match(in *query.Input, fn func(*CompiledRule)) int {
	return e.matcher.Match(in, fn)
}

// Needs says which parts of the replay the enabled rules read, in their conditions and
// their outputs: a run replays only what is needed.
func (e *Engine) Needs() query.Need {
	var n query.Need
	for _, cr := range e.rules {
		n |= cr.Filter.Needs() | cr.output.f.Needs()
	}
	return n
}

// Types returns the event types some enabled rule can match, or nil when a rule runs
// for every type.
func (e *Engine) Types() []event.Type {
	if len(e.anyType) > 0 {
		return nil
	}
	s := newTypeSet()
	for _, cr := range e.rules {
		for _, t := range cr.Types {
			s.add(t)
		}
	}
	return s.types()
}
