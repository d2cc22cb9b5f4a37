package query

import (
	"fmt"
	"iter"
	"net/netip"
	"sort"
	"strings"
)

// ArgMode says whether a field takes an argument in brackets or after a dot.
type ArgMode uint8

// Argument modes.
const (
	ArgNone     ArgMode = iota
	ArgRequired         // evt.arg.name, evt.arg[0], proc.aname[2]... must have one
	ArgOptional         // proc.aname alone means any ancestor
)

// Need says which part of the replay a field reads, so that a run can skip building
// state nobody asks for and push down only what stays correct.
type Need uint8

// Needs, as bits.
const (
	NeedEvent   Need = 0         // the event alone
	NeedProcess Need = 1 << iota // threads, processes, users, groups, containers
	NeedFD                       // fd tables
)

// Field describes one field of the registry.
type Field struct {
	Name string
	Type Type // TypeDynamic when the argument decides
	Desc string
	Arg  ArgMode
	// ArgName names the argument in docs: "N", "NAME", "PATH".
	ArgName string
	// List marks fields whose value, without an argument, is several values (the
	// ancestors of proc.aname): an operator is true when it holds for any of them.
	List  bool
	Needs Need

	bind func(arg string, hasArg bool) (extractor, error)
}

// Class returns the field's class, the part before the first dot: evt, proc, fd...
func (f *Field) Class() string {
	c, _, _ := strings.Cut(f.Name, ".")
	return c
}

// extractor reads one typed value from an Input. Exactly one function is set,
// according to typ; ok is false when the field does not apply to the event (a fd field
// on an event without fd, an argument the event type lacks).
type extractor struct {
	typ  Type
	list bool
	str  func(in *Input) (string, bool)
	// app, when set beside str, appends the text of a value that is built rather than
	// found (a time, evt.info), so that output writes it once, straight into the line.
	app  func(dst []byte, in *Input) ([]byte, bool)
	num  func(in *Input) (int64, bool)
	flag func(in *Input) (bool, bool)
	ip   func(in *Input) (netip.Addr, bool)
	// anyStr and anyNum report whether test holds for any value of a list field,
	// stopping at the first that does.
	anyStr func(in *Input, test func(string) bool) bool
	anyNum func(in *Input, test func(int64) bool) bool
	anyIP  func(in *Input, test func(netip.Addr) bool) bool
	needs  Need
}

// Registry is a set of fields. It is immutable once built and safe for concurrent use.
type Registry struct {
	byName   map[string]*Field
	prefixed []*Field // fields whose argument may follow a dot: evt.arg.NAME
	all      []*Field
}

func newRegistry(fields ...[]*Field) *Registry {
	r := &Registry{byName: map[string]*Field{}}
	for _, group := range fields {
		for _, f := range group {
			r.byName[f.Name] = f
			r.all = append(r.all, f)
			if f.Arg == ArgRequired && dotArg(f.Name) {
				r.prefixed = append(r.prefixed, f)
			}
		}
	}
	sort.Slice(r.all, func(i, j int) bool { return r.all[i].Name < r.all[j].Name })
	return r
}

// dotArg reports whether the field also takes its argument after a dot, as Falco's
// evt.arg.name and evt.rawarg.name.
func dotArg(name string) bool { return name == "evt.arg" || name == "evt.rawarg" }

// Fields returns every field sorted by name. The slice is shared: do not modify it.
func (r *Registry) Fields() []*Field { return r.all }

// Lookup returns the field named name ("proc.name"), or the field that takes the rest
// of name as its argument ("evt.arg.path" is evt.arg with argument "path").
func (r *Registry) Lookup(name string) (f *Field, arg string, dotted bool) {
	if f, ok := r.byName[name]; ok {
		return f, "", false
	}
	for _, f := range r.prefixed {
		if rest, ok := strings.CutPrefix(name, f.Name+"."); ok && rest != "" {
			return f, rest, true
		}
	}
	return nil, "", false
}

// CheckRef returns the error Compile gives for ref, with positions in src (the text
// ref was parsed from): an unknown field, with a suggestion for a misspelt name, or an
// argument that does not fit. It returns nil when ref binds. Callers that look for
// unknown fields themselves use it so that their messages match Compile's.
func (r *Registry) CheckRef(ref FieldRef, src string) error {
	if _, _, err := r.bindRef(ref, src); err != nil {
		return err
	}
	return nil
}

// bindRef binds a parsed field reference to an extractor, checking its argument.
func (r *Registry) bindRef(ref FieldRef, src string) (*Field, extractor, *Error) {
	f, arg, dotted := r.Lookup(ref.Name)
	if f == nil {
		return nil, extractor{}, errorf(src, ref.At, "unknown field %s%s", ref.Name, r.suggest(ref.Name))
	}
	has := ref.HasArg || dotted
	if dotted && ref.HasArg {
		return nil, extractor{}, errorf(src, ref.ArgAt, "field %s takes one argument, not two", f.Name)
	}
	if !dotted {
		arg = ref.Arg
	}
	argAt := ref.ArgAt
	if dotted {
		argAt = advance(src, ref.At, len(f.Name)+1)
	}
	switch {
	case has && f.Arg == ArgNone:
		return nil, extractor{}, errorf(src, argAt, "field %s takes no argument", f.Name)
	case !has && f.Arg == ArgRequired:
		return nil, extractor{}, errorf(src, advance(src, ref.At, len(ref.Name)), "field %s needs an argument: %s[%s]", f.Name, f.Name, f.ArgName)
	}
	ex, err := f.bind(arg, has)
	if err != nil {
		return nil, extractor{}, errorf(src, argAt, "field %s: %v", f.Name, err)
	}
	ex.needs |= f.Needs
	return f, ex, nil
}

// suggest names a field close to a misspelt one.
func (r *Registry) suggest(name string) string {
	return didYouMean(name, func(yield func(string) bool) {
		for _, f := range r.all {
			if !yield(f.Name) {
				return
			}
		}
	})
}

// didYouMean returns " (did you mean X?)" for the candidate closest to a misspelt
// name, within two edits, or "" when none is that close.
func didYouMean(name string, candidates iter.Seq[string]) string {
	best, bestD := "", 3
	for c := range candidates {
		if d := editDistance(name, c); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", best)
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Field constructors for the tables in fields_*.go.

func fixed(ex extractor) func(string, bool) (extractor, error) {
	return func(string, bool) (extractor, error) { return ex, nil }
}

func strField(name, desc string, fn func(*Input) (string, bool)) *Field {
	return &Field{Name: name, Type: TypeString, Desc: desc, bind: fixed(extractor{typ: TypeString, str: fn})}
}

// appField is a string field whose value is formatted: app appends it, and str
// formats it into the Input's scratch buffer for comparisons.
func appField(name, desc string, app func([]byte, *Input) ([]byte, bool)) *Field {
	str := func(in *Input) (string, bool) {
		var ok bool
		in.scratch, ok = app(in.scratch[:0], in)
		return str(in.scratch), ok
	}
	return &Field{Name: name, Type: TypeString, Desc: desc, bind: fixed(extractor{typ: TypeString, str: str, app: app})}
}

func bytesField(name, desc string, fn func(*Input) (string, bool)) *Field {
	return &Field{Name: name, Type: TypeBytes, Desc: desc, bind: fixed(extractor{typ: TypeBytes, str: fn})}
}

func numField(name string, t Type, desc string, fn func(*Input) (int64, bool)) *Field {
	return &Field{Name: name, Type: t, Desc: desc, bind: fixed(extractor{typ: t, num: fn})}
}

func boolField(name, desc string, fn func(*Input) (bool, bool)) *Field {
	return &Field{Name: name, Type: TypeBool, Desc: desc, bind: fixed(extractor{typ: TypeBool, flag: fn})}
}

func ipField(name, desc string, fn func(*Input) (netip.Addr, bool)) *Field {
	return &Field{Name: name, Type: TypeIP, Desc: desc, bind: fixed(extractor{typ: TypeIP, ip: fn})}
}

// needs sets the state a group of fields reads.
func needs(n Need, fields ...*Field) []*Field {
	for _, f := range fields {
		f.Needs |= n
	}
	return fields
}
