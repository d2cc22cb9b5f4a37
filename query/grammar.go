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
//	cond   = Word [ "exists" | operator value ]
//	value  = "(" [ item { "," item } ] ")" | item
//	item   = String | Word | Op | Unterm     (evt.dir = < compares with "<")

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

type gCond struct {
	Pos    lexer.Position
	Field  string  `parser:"(?! 'and' | 'or' | 'not' | 'exists' ) @Word"`
	Exists bool    `parser:"( @'exists'"`
	Op     *gOp    `parser:"| @@"`
	Value  *gValue `parser:"@@ )?"`
}

type gOp struct {
	Pos  lexer.Position
	Text string `parser:"@( Op | 'contains' | 'icontains' | 'bcontains' | 'startswith' | 'bstartswith' | 'endswith' | 'glob' | 'iglob' | 'pmatch' | 'regex' | 'in' | 'intersects' )"`
}

type gValue struct {
	Pos    lexer.Position
	IsList bool     `parser:"(  @'('"`
	Items  []*gItem `parser:"( @@ ( ',' @@ )* )? ')'"`
	Item   *gItem   `parser:"| @@ )"`
}

type gItem struct {
	Pos    lexer.Position
	Str    *string `parser:"@String"`
	Word   *string `parser:"| @Word | @Op"`
	Unterm *string `parser:"| @Unterm"`
}

func newParser() *participle.Parser[gExpr] {
	return participle.MustBuild[gExpr](
		participle.Lexer(newLexer()),
		participle.Elide(tokWhitespace),
		participle.UseLookahead(2),
	)
}
