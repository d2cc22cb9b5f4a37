package query

import (
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// Token names of the filter lexer.
const (
	tokString = "String" // "quoted" or 'quoted', with escapes
	tokUnterm = "Unterm" // a quote never closed: reported as such by the parser
	tokOp     = "Op"     // = == != < <= > >=
	tokPunct  = "Punct"  // ( ) ,
	tokWord   = "Word"   // field names, macro and list names, keywords, bare values
)

// Token types; participle reserves -1 for EOF.
const (
	typeString lexer.TokenType = -2 - iota
	typeUnterm
	typeOp
	typePunct
	typeWord
)

// newLexer returns the filter language's lexer, a hand-written scanner (a regular
// expression lexer spent a quarter of the parse time). Its tokens, in order of
// precedence at each position, are the ones these expressions describe:
//
//	whitespace  [ \t\r\n\f\v]+                                  skipped
//	String      "(?:[^"\\]|\\.)*"  '(?:[^'\\]|\\.)*'
//	Unterm      ["'].*                                        a quote never closed
//	Op          <= >= != == = < >
//	Punct       ( ) ,
//	Word        (?:->|[^ \t\r\n\f\v()\[\],=<>!"']|\[[^ \t\r\n\f\v\]]*\])+
//
// Everything that is not a quoted string, an operator or punctuation is a Word: a field
// name with its argument (proc.aname[2], evt.arg[0], container.mount.dest[/etc*]), a
// macro or list name, a keyword, or a bare value such as /etc/ or 8080. Keywords are
// Words whose whole text is the keyword, so they only match at word boundaries:
// "android" is one Word and never the keyword "and". A Word may hold a bracketed run
// (glob classes like /etc/[a-z]*, field arguments) and the arrow of a connection name
// (10.0.0.1:5000->10.0.0.2:80), but no space.
func newLexer() lexer.Definition { return lexDef{} }

type lexDef struct{}

func (lexDef) Symbols() map[string]lexer.TokenType {
	return map[string]lexer.TokenType{"EOF": lexer.EOF, tokString: typeString, tokUnterm: typeUnterm,
		tokOp: typeOp, tokPunct: typePunct, tokWord: typeWord}
}

func (d lexDef) Lex(filename string, r io.Reader) (lexer.Lexer, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return d.LexString(filename, string(b))
}

func (lexDef) LexString(filename, src string) (lexer.Lexer, error) {
	return &scanner{src: src, pos: lexer.Position{Filename: filename, Line: 1, Column: 1}}, nil
}

type scanner struct {
	src string
	pos lexer.Position
}

func (s *scanner) Next() (lexer.Token, error) {
	s.skipSpace()
	if s.pos.Offset >= len(s.src) {
		return lexer.EOFToken(s.pos), nil
	}
	rest := s.src[s.pos.Offset:]
	typ, n := scanToken(rest)
	if n == 0 {
		r, _ := utf8.DecodeRuneInString(rest)
		return lexer.Token{}, &lexer.Error{Msg: fmt.Sprintf("unexpected character %q", r), Pos: s.pos}
	}
	tok := lexer.Token{Type: typ, Value: rest[:n], Pos: s.pos}
	s.advance(n)
	return tok, nil
}

func (s *scanner) skipSpace() {
	n := 0
	for n < len(s.src)-s.pos.Offset && isSpace(s.src[s.pos.Offset+n]) {
		n++
	}
	s.advance(n)
}

// advance moves past n bytes, counting lines and characters.
func (s *scanner) advance(n int) {
	for _, r := range s.src[s.pos.Offset : s.pos.Offset+n] {
		if r == '\n' {
			s.pos.Line++
			s.pos.Column = 1
		} else {
			s.pos.Column++
		}
	}
	s.pos.Offset += n
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'
}

// scanToken returns the type and length of the token at the start of s; 0 when no
// token starts there.
func scanToken(s string) (lexer.TokenType, int) {
	switch c := s[0]; c {
	case '"', '\'':
		return scanQuoted(s)
	case '(', ')', ',':
		return typePunct, 1
	case '<', '>', '!', '=':
		if len(s) > 1 && s[1] == '=' {
			return typeOp, 2
		}
		if c == '!' {
			return typeOp, 0
		}
		return typeOp, 1
	}
	return typeWord, scanWord(s)
}

func scanQuoted(s string) (lexer.TokenType, int) {
	q := s[0]
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case q:
			return typeString, i + 1
		}
	}
	return typeUnterm, len(s)
}

// scanWord returns the length of the Word at the start of s.
func scanWord(s string) int {
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == '-' && i+1 < len(s) && s[i+1] == '>':
			i += 2
		case c == '[':
			n := bracketRun(s[i:])
			if n == 0 {
				return i
			}
			i += n
		case isSpace(c) || c == '(' || c == ')' || c == ']' || c == ',' || c == '=' ||
			c == '<' || c == '>' || c == '!' || c == '"' || c == '\'':
			return i
		default:
			i++
		}
	}
	return i
}

// bracketRun returns the length of "[...]" at the start of s (no space or ] inside), or
// 0 when the bracket is never closed.
func bracketRun(s string) int {
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] == ']':
			return i + 1
		case isSpace(s[i]):
			return 0
		}
	}
	return 0
}
