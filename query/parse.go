package query

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// MaxConditionLen caps the text Parse accepts: Falco's longest expanded rules are a few
// tens of kilobytes.
const MaxConditionLen = 1 << 20

// maxDepth caps nesting (parentheses and not), so that a hostile condition cannot
// exhaust the stack.
const maxDepth = 200

// Parser parses conditions. It is safe for concurrent use.
type Parser struct {
	p *participle.Parser[gExpr]
}

// NewParser returns a Parser.
func NewParser() *Parser { return &Parser{p: newParser()} }

// Parse parses src into an expression tree. Errors are *Error and carry the position.
func (p *Parser) Parse(src string) (Expr, error) {
	if len(src) > MaxConditionLen {
		return nil, errorf(src, Position{Line: 1, Column: 1}, "condition is %d bytes, more than the %d allowed", len(src), MaxConditionLen)
	}
	if strings.TrimSpace(src) == "" {
		return nil, errorf(src, positionAt(src, len(src)), "empty condition")
	}
	if off, ok := tooDeep(src); ok {
		return nil, errorf(src, positionAt(src, off), "condition nests deeper than %d levels", maxDepth)
	}
	g, err := p.p.ParseString("", src)
	if err != nil {
		return nil, syntaxError(src, err)
	}
	c := converter{src: src}
	return c.expr(g)
}

// tooDeep reports the offset of the first token nested deeper than maxDepth, counting
// open parentheses and the not operators whose operand is still being read: the
// nesting the parser recurses on. Flat runs (a and not b and not c...) stay shallow.
func tooDeep(src string) (int, bool) {
	var stack []byte // '(' and 'n' (a pending not)
	popNots := func() {
		for len(stack) > 0 && stack[len(stack)-1] == 'n' {
			stack = stack[:len(stack)-1]
		}
	}
	s := scanner{src: src, pos: lexer.Position{Line: 1, Column: 1}}
	for {
		tok, err := s.Next()
		if err != nil || tok.EOF() {
			return 0, false
		}
		switch {
		case tok.Type == typeWord && tok.Value == "not":
			stack = append(stack, 'n')
		case tok.Type == typePunct && tok.Value == "(":
			stack = append(stack, '(')
		case tok.Type == typePunct && tok.Value == ")":
			popNots()
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			popNots()
		default:
			popNots()
		}
		if len(stack) > maxDepth {
			return tok.Pos.Offset, true
		}
	}
}

func syntaxError(src string, err error) error {
	var pe participle.Error
	if !errors.As(err, &pe) {
		return errorf(src, Position{Line: 1, Column: 1}, "%v", err)
	}
	pos := convPos(src, pe.Position())
	msg := pe.Message()
	var ut *participle.UnexpectedTokenError
	if errors.As(err, &ut) {
		msg = unexpected(ut.Unexpected)
	}
	return errorf(src, pos, "%s", msg)
}

func unexpected(t lexer.Token) string {
	switch {
	case t.EOF():
		return "unexpected end of condition"
	case strings.HasPrefix(t.Value, `"`) || strings.HasPrefix(t.Value, `'`):
		if len(t.Value) < 2 || t.Value[len(t.Value)-1] != t.Value[0] {
			return "unterminated quoted string"
		}
	}
	return fmt.Sprintf("unexpected %q", t.Value)
}

// convPos converts a participle position: its line and column count characters as
// positionAt does.
func convPos(_ string, p lexer.Position) Position {
	return Position{Offset: p.Offset, Line: p.Line, Column: p.Column}
}

type converter struct {
	src string
}

func (c *converter) pos(p lexer.Position) Position { return convPos(c.src, p) }

func (c *converter) expr(g *gExpr) (Expr, error) {
	terms := make([]Expr, 0, len(g.Terms))
	for _, t := range g.Terms {
		x, err := c.and(t)
		if err != nil {
			return nil, err
		}
		terms = append(terms, x)
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return &Or{At: c.pos(g.Pos), Terms: terms}, nil
}

func (c *converter) and(g *gAnd) (Expr, error) {
	terms := make([]Expr, 0, len(g.Terms))
	for _, t := range g.Terms {
		x, err := c.unary(t)
		if err != nil {
			return nil, err
		}
		terms = append(terms, x)
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return &And{At: c.pos(g.Pos), Terms: terms}, nil
}

func (c *converter) unary(g *gUnary) (Expr, error) {
	if g.Not != nil {
		x, err := c.unary(g.Not)
		if err != nil {
			return nil, err
		}
		return &Not{At: c.pos(g.Pos), X: x}, nil
	}
	if g.Atom.Group != nil {
		return c.expr(g.Atom.Group)
	}
	return c.cond(g.Atom.Cond)
}

func (c *converter) cond(g *gCond) (Expr, error) {
	at := c.pos(g.Pos)
	if isKeyword(g.Field) {
		return nil, errorf(c.src, at, "unexpected %q", g.Field)
	}
	if !g.Exists && g.Op == nil {
		if strings.ContainsAny(g.Field, ".[") {
			return nil, errorf(c.src, advance(c.src, at, len(g.Field)), "field %s needs an operator", g.Field)
		}
		return &Ref{At: at, Name: g.Field}, nil
	}
	f, err := c.fieldRef(g.Field, at)
	if err != nil {
		return nil, err
	}
	if g.Exists {
		return &Compare{At: at, Field: f, Op: OpExists, OpAt: advance(c.src, at, len(g.Field)+1)}, nil
	}
	op, opAt := opByName(g.Op.Text), c.pos(g.Op.Pos)
	if g.Value == nil {
		return nil, errorf(c.src, opAt, "operator %s needs a value", op)
	}
	v, err := c.value(g.Value)
	if err != nil {
		return nil, err
	}
	if op.takesList() != v.IsList && op != OpPMatch && op != OpIntersects {
		if v.IsList {
			return nil, errorf(c.src, v.At, "operator %s takes one value, not a list", op)
		}
		return nil, errorf(c.src, v.At, "operator %s takes a parenthesised list: (a, b)", op)
	}
	return &Compare{At: at, Field: f, Op: op, OpAt: opAt, Value: &v}, nil
}

// fieldRef splits "name[arg]".
func (c *converter) fieldRef(word string, at Position) (FieldRef, error) {
	f := FieldRef{At: at, Name: word}
	i := strings.IndexByte(word, '[')
	if i < 0 {
		return f, nil
	}
	if i == 0 || !strings.HasSuffix(word, "]") || strings.IndexByte(word[i+1:], '[') >= 0 {
		return f, errorf(c.src, at, "malformed field %q: want name[argument]", word)
	}
	f.Name, f.Arg, f.HasArg = word[:i], word[i+1:len(word)-1], true
	f.ArgAt = advance(c.src, at, i+1)
	return f, nil
}

func (c *converter) value(g *gValue) (Value, error) {
	if !g.IsList {
		return c.item(g.Item)
	}
	v := Value{At: c.pos(g.Pos), IsList: true, List: make([]Value, 0, len(g.Items))}
	for _, it := range g.Items {
		x, err := c.item(it)
		if err != nil {
			return v, err
		}
		v.List = append(v.List, x)
	}
	return v, nil
}

func (c *converter) item(g *gItem) (Value, error) {
	at := c.pos(g.Pos)
	switch {
	case g.Unterm != nil:
		return Value{}, errorf(c.src, at, "unterminated quoted string")
	case g.Word != nil:
		return Value{At: at, Text: *g.Word}, nil
	}
	s, off, err := unquote(*g.Str)
	if err != nil {
		return Value{}, errorf(c.src, advance(c.src, at, off), "%v", err)
	}
	return Value{At: at, Text: s, Quoted: true}, nil
}

// unquote reads a quoted string: \\ \" \' \/ \b \f \n \r \t and \xHH; any other backslash is
// kept with the character after it, for regular expressions. On error it returns
// the byte offset of the bad escape within q.
func unquote(q string) (string, int, error) {
	body := q[1 : len(q)-1]
	if strings.IndexByte(body, '\\') < 0 {
		return body, 0, nil
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		ch := body[i]
		if ch != '\\' {
			b.WriteByte(ch)
			continue
		}
		if i+1 >= len(body) {
			return "", i + 1, errors.New("backslash at end of string")
		}
		i++
		switch e := body[i]; e {
		case '\\', '"', '\'', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'x':
			if i+3 > len(body) {
				return "", i, errors.New("escape \\x needs two hex digits")
			}
			n, err := strconv.ParseUint(body[i+1:i+3], 16, 8)
			if err != nil {
				return "", i, errors.New("escape \\x needs two hex digits")
			}
			b.WriteByte(byte(n))
			i += 2
		default:
			b.WriteByte('\\') // kept as written: regular expressions use \. and \d
			b.WriteByte(e)
		}
	}
	return b.String(), 0, nil
}
