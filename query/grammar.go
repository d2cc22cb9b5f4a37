package query

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The grammar is a precedence ladder: or binds loosest, then and, then not, then a
// comparison or a parenthesised group. Participle fills these structs; parse.go turns
// them into the exported Expr tree, checking what the grammar leaves loose (field
// names and arguments, operators that need lists, keywords used as names).
//
//	expr   = and { "or" and }
//	and    = unary { "and" unary }
//	unary  = "not" unary | atom
//	atom   = "(" expr ")" | cond
//	cond   = Word [ "exists" | operator value ]         (gCond.Parse)
//	value  = "(" [ item { "," item } ] ")" | item
//	item   = String | Word | Op | Unterm

type gExpr struct {
	Pos   lexer.Position
	Terms []*gAnd `parser:"@@ ( 'or' @@ )*"`
}

type gAnd struct {
	Pos   lexer.Position
	Terms []*gUnary `parser:"@@ ( 'and' @@ )*"`
}

type gUnary struct {
	Pos  lexer.Position
	Not  *gUnary `parser:"'not' @@"`
	Atom *gAtom  `parser:"| @@"`
}

type gAtom struct {
	Pos   lexer.Position
	Group *gExpr `parser:"'(' @@ ')'"`
	Cond  *gCond `parser:"| @@"`
}

// gCond is a comparison or a bare name. It parses itself (participle's Parseable)
// rather than through struct tags: conditions hold most of a rule's tokens, and a
// hand-written loop over them costs a fraction of participle's reflection.
type gCond struct {
	Pos    lexer.Position
	Field  string
	Exists bool
	Op     *gOp
	Value  *gValue
}

type gOp struct {
	Pos  lexer.Position
	Text string
}

type gValue struct {
	Pos    lexer.Position
	IsList bool
	Items  []*gItem
	Item   *gItem
}

type gItem struct {
	Pos    lexer.Position
	Str    *string
	Word   *string
	Unterm *string
}

// Parse implements participle.Parseable: cond = Word [ "exists" | operator value ].
func (c *gCond) Parse(lex *lexer.PeekingLexer) error {
	t := lex.Peek()
	if t.Type != typeWord || t.Value == "and" || t.Value == "or" || t.Value == "not" || t.Value == "exists" {
		return participle.NextMatch
	}
	lex.Next()
	c.Pos, c.Field = t.Pos, t.Value
	t = lex.Peek()
	switch {
	case t.Type == typeWord && t.Value == "exists":
		lex.Next()
		c.Exists = true
	case t.Type == typeOp || (t.Type == typeWord && isWordOp(t.Value)):
		lex.Next()
		c.Op = &gOp{Pos: t.Pos, Text: t.Value}
		c.Value = &gValue{}
		return c.Value.parse(lex)
	}
	return nil
}

func isWordOp(s string) bool {
	op := opByName(s)
	return op != OpNone && op != OpExists && op > OpGe
}

// parse reads value = "(" [ item { "," item } ] ")" | item.
func (v *gValue) parse(lex *lexer.PeekingLexer) error {
	t := lex.Peek()
	v.Pos = t.Pos
	if !(t.Type == typePunct && t.Value == "(") {
		it, err := parseItem(lex)
		v.Item = it
		return err
	}
	lex.Next()
	v.IsList = true
	if t := lex.Peek(); t.Type == typePunct && t.Value == ")" {
		lex.Next()
		return nil
	}
	for {
		it, err := parseItem(lex)
		if err != nil {
			return err
		}
		v.Items = append(v.Items, it)
		t := lex.Next()
		switch {
		case t.Type == typePunct && t.Value == ")":
			return nil
		case t.Type == typePunct && t.Value == ",":
		default:
			return participle.Errorf(t.Pos, "%s", unexpected(*t))
		}
	}
}

// parseItem reads item = String | Word | Op | Unterm (evt.dir = < compares with "<").
func parseItem(lex *lexer.PeekingLexer) (*gItem, error) {
	t := lex.Peek()
	it := &gItem{Pos: t.Pos}
	s := t.Value
	switch t.Type {
	case typeString:
		it.Str = &s
	case typeWord, typeOp:
		it.Word = &s
	case typeUnterm:
		it.Unterm = &s
	default:
		return nil, participle.Errorf(t.Pos, "%s", unexpected(*t))
	}
	lex.Next()
	return it, nil
}

func newParser() *participle.Parser[gExpr] {
	return participle.MustBuild[gExpr](
		participle.Lexer(newLexer()),
	)
}
