package query

import (
	"sync"
)

// Resolver resolves the names a condition uses without defining them: macros (a bare
// identifier standing for a condition) and lists (a bare item of a parenthesised value
// list standing for several items). The rules layer implements it from a rules file.
type Resolver interface {
	// Macro returns the parsed condition of the macro named name and the text it was
	// parsed from (for error positions).
	Macro(name string) (cond Expr, src string, ok bool)
	// List returns the items of the list named name. Items may name other lists.
	List(name string) (items []string, ok bool)
}

// Options configure Compile.
type Options struct {
	Resolver Resolver  // nil: bare identifiers are errors
	Fields   *Registry // nil: the built-in fields
	// UnknownEventType, when set, gets the error for each name compared with evt.type
	// that is no event type syscam knows, and compilation goes on: the name matches
	// nothing. When nil such a name is an error, since a typo in evt.type in (...)
	// would otherwise silently match nothing. Rule sets set it: Falco's rules name
	// event types of other platforms and newer kernels, and Falco loads them.
	UnknownEventType func(*Error)
}

// Filter is a compiled condition. Match evaluates it without allocating. A Filter is
// immutable and safe for concurrent use; each goroutine needs its own Input.
type Filter struct {
	expanded Expr
	match    func(*Input) bool
	needs    Need
	// lenient is set when unknown event types were tolerated, so that recompiling
	// expanded (BlockPredicate) tolerates them too.
	lenient bool
}

// Match reports whether the condition holds for in.
func (f *Filter) Match(in *Input) bool { return f.match(in) }

// String returns the condition with macros and lists expanded.
func (f *Filter) String() string { return f.expanded.String() }

// Expr returns the condition's tree with macros and lists expanded.
func (f *Filter) Expr() Expr { return f.expanded }

// Needs says which parts of the replay the condition reads.
func (f *Filter) Needs() Need { return f.needs }

var sharedParser = sync.OnceValue(NewParser)

// Parse parses src with a shared Parser.
func Parse(src string) (Expr, error) { return sharedParser().Parse(src) }

// Compile parses and compiles a condition. Errors are *Error, with the position of the
// problem and its source line (Error.Caret).
func Compile(src string, opt Options) (*Filter, error) {
	x, err := Parse(src)
	if err != nil {
		return nil, err
	}
	return CompileExpr(x, src, opt)
}

// CompileExpr compiles a parsed condition; src is the text it was parsed from.
func CompileExpr(x Expr, src string, opt Options) (*Filter, error) {
	c := &compiler{reg: opt.Fields, res: opt.Resolver, src: src, unknownType: opt.UnknownEventType}
	if c.reg == nil {
		c.reg = Builtin()
	}
	p, ex, err := c.compile(x)
	if err != nil {
		return nil, err
	}
	return &Filter{expanded: ex, match: p, needs: c.needs, lenient: opt.UnknownEventType != nil}, nil
}

type pred = func(*Input) bool

type compiler struct {
	reg   *Registry
	res   Resolver
	src   string   // text the current node's positions refer to
	macro string   // macro being compiled, "" at top level
	stack []string // macros being expanded, to catch loops
	needs Need

	unknownType func(*Error) // Options.UnknownEventType
}

func (c *compiler) errorf(pos Position, format string, args ...any) *Error {
	e := errorf(c.src, pos, format, args...)
	e.Macro = c.macro
	return e
}

func (c *compiler) compile(x Expr) (pred, Expr, error) {
	switch x := x.(type) {
	case *And:
		return c.terms(x.Terms, func(ts []Expr) Expr { return &And{At: x.At, Terms: ts} }, allOf)
	case *Or:
		return c.terms(x.Terms, func(ts []Expr) Expr { return &Or{At: x.At, Terms: ts} }, anyOf)
	case *Not:
		p, ex, err := c.compile(x.X)
		if err != nil {
			return nil, nil, err
		}
		return func(in *Input) bool { return !p(in) }, &Not{At: x.At, X: ex}, nil
	case *Ref:
		return c.ref(x)
	case *Compare:
		return c.compare(x)
	}
	return nil, nil, c.errorf(x.Pos(), "unsupported expression %T", x)
}

func (c *compiler) terms(xs []Expr, mk func([]Expr) Expr, join func([]pred) pred) (pred, Expr, error) {
	ps := make([]pred, len(xs))
	exs := make([]Expr, len(xs))
	for i, x := range xs {
		p, ex, err := c.compile(x)
		if err != nil {
			return nil, nil, err
		}
		ps[i], exs[i] = p, ex
	}
	return join(ps), mk(exs), nil
}

// all and any join predicates with short-circuit evaluation; small arities get
// closures without a loop.
func allOf(ps []pred) pred {
	switch len(ps) {
	case 1:
		return ps[0]
	case 2:
		a, b := ps[0], ps[1]
		return func(in *Input) bool { return a(in) && b(in) }
	case 3:
		a, b, d := ps[0], ps[1], ps[2]
		return func(in *Input) bool { return a(in) && b(in) && d(in) }
	}
	return func(in *Input) bool {
		for _, p := range ps {
			if !p(in) {
				return false
			}
		}
		return true
	}
}

func anyOf(ps []pred) pred {
	switch len(ps) {
	case 1:
		return ps[0]
	case 2:
		a, b := ps[0], ps[1]
		return func(in *Input) bool { return a(in) || b(in) }
	case 3:
		a, b, d := ps[0], ps[1], ps[2]
		return func(in *Input) bool { return a(in) || b(in) || d(in) }
	}
	return func(in *Input) bool {
		for _, p := range ps {
			if p(in) {
				return true
			}
		}
		return false
	}
}

// maxMacroDepth caps macro nesting (Falco's deepest chains are under ten).
const maxMacroDepth = 64

func (c *compiler) ref(x *Ref) (pred, Expr, error) {
	if c.res == nil {
		return nil, nil, c.errorf(x.At, "unknown name %s: not a field comparison, and no macros are defined", x.Name)
	}
	body, src, ok := c.res.Macro(x.Name)
	if !ok {
		return nil, nil, c.errorf(x.At, "unknown macro %s", x.Name)
	}
	for _, m := range c.stack {
		if m == x.Name {
			return nil, nil, c.errorf(x.At, "macro %s refers to itself", x.Name)
		}
	}
	if len(c.stack) >= maxMacroDepth {
		return nil, nil, c.errorf(x.At, "macros nest deeper than %d levels", maxMacroDepth)
	}
	saveSrc, saveMacro := c.src, c.macro
	c.src, c.macro = src, x.Name
	c.stack = append(c.stack, x.Name)
	p, ex, err := c.compile(body)
	c.stack = c.stack[:len(c.stack)-1]
	c.src, c.macro = saveSrc, saveMacro
	return p, ex, err
}

// maxListItems caps a list after expansion, against lists that double at each level.
const maxListItems = 1 << 16

// expandList splices list references into v's items: a bare item naming a list becomes
// that list's items, recursively.
func (c *compiler) expandList(v Value) (Value, error) {
	if !v.IsList || c.res == nil {
		return v, nil
	}
	out := Value{At: v.At, IsList: true}
	for _, it := range v.List {
		if err := c.spliceItem(&out, it, nil); err != nil {
			return v, err
		}
	}
	return out, nil
}

func (c *compiler) spliceItem(out *Value, it Value, seen []string) error {
	items, ok := []string(nil), false
	if !it.Quoted {
		items, ok = c.res.List(it.Text)
	}
	if !ok {
		if len(out.List) >= maxListItems {
			return c.errorf(it.At, "list has more than %d items", maxListItems)
		}
		out.List = append(out.List, it)
		return nil
	}
	for _, s := range seen {
		if s == it.Text {
			return c.errorf(it.At, "list %s contains itself", it.Text)
		}
	}
	seen = append(seen, it.Text)
	for _, s := range items {
		if err := c.spliceItem(out, Value{At: it.At, Text: s}, seen); err != nil {
			return err
		}
	}
	return nil
}
