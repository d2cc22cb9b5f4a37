package query

import (
	"regexp"
	"strings"
)

// Expr is a node of a parsed condition: *And, *Or, *Not, *Compare or *Ref.
type Expr interface {
	// Pos is where the node starts in its condition's text.
	Pos() Position
	// String renders the node as condition text that parses back to the same tree.
	String() string
	isExpr()
}

// And is true when every term is.
type And struct {
	At    Position
	Terms []Expr
}

// Or is true when any term is.
type Or struct {
	At    Position
	Terms []Expr
}

// Not negates X.
type Not struct {
	At Position
	X  Expr
}

// Compare applies Op to a field and, except for exists, a value.
type Compare struct {
	At    Position
	Field FieldRef
	Op    Op
	OpAt  Position
	Value *Value // nil for exists
}

// Ref is a bare identifier: a macro the rules layer resolves (see Resolver).
type Ref struct {
	At   Position
	Name string
}

// FieldRef names a field and its optional argument: proc.aname[2], evt.arg.name
// (Name "evt.arg.name"), evt.arg[0] (Name "evt.arg", Arg "0").
type FieldRef struct {
	At     Position
	Name   string
	Arg    string
	HasArg bool
	ArgAt  Position
}

// Value is the right-hand side of a comparison: one item or a parenthesised list.
type Value struct {
	At     Position
	Text   string // unquoted text of a single item
	Quoted bool   // written in quotes: never a list name
	IsList bool
	List   []Value
}

func (e *And) Pos() Position     { return e.At }
func (e *Or) Pos() Position      { return e.At }
func (e *Not) Pos() Position     { return e.At }
func (e *Compare) Pos() Position { return e.At }
func (e *Ref) Pos() Position     { return e.At }

func (*And) isExpr()     {}
func (*Or) isExpr()      {}
func (*Not) isExpr()     {}
func (*Compare) isExpr() {}
func (*Ref) isExpr()     {}

func (e *And) String() string {
	return joinTerms(e.Terms, " and ", func(x Expr) bool { _, ok := x.(*Or); return ok })
}
func (e *Or) String() string { return joinTerms(e.Terms, " or ", func(Expr) bool { return false }) }

func (e *Not) String() string {
	switch e.X.(type) {
	case *And, *Or:
		return "not (" + e.X.String() + ")"
	}
	return "not " + e.X.String()
}

func (e *Compare) String() string {
	s := e.Field.String() + " " + e.Op.String()
	if e.Value != nil {
		s += " " + e.Value.String()
	}
	return s
}

func (e *Ref) String() string { return e.Name }

func (f FieldRef) String() string {
	if f.HasArg {
		return f.Name + "[" + f.Arg + "]"
	}
	return f.Name
}

func (v Value) String() string {
	if !v.IsList {
		return quoteIfNeeded(v.Text, v.Quoted)
	}
	items := make([]string, len(v.List))
	for i, it := range v.List {
		items[i] = it.String()
	}
	return "(" + strings.Join(items, ", ") + ")"
}

func joinTerms(terms []Expr, sep string, paren func(Expr) bool) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = t.String()
		if paren(t) {
			parts[i] = "(" + parts[i] + ")"
		}
	}
	return strings.Join(parts, sep)
}

var bareWord = regexp.MustCompile(`^(?:->|[^ \t\r\n\f\v()\[\],=<>!"']|\[[^ \t\r\n\f\v\]]*\])+$`)

// quoteIfNeeded returns s bare when it lexes back as the same single word, else quoted
// with the escapes unquote reads.
func quoteIfNeeded(s string, quoted bool) string {
	if !quoted && bareWord.MatchString(s) {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if c < 0x20 || c == 0x7f {
				b.WriteString(`\x`)
				b.WriteByte("0123456789abcdef"[c>>4])
				b.WriteByte("0123456789abcdef"[c&15])
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
