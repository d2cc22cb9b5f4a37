package query

import "github.com/alecthomas/participle/v2/lexer"

// Token names of the filter lexer.
const (
	tokString     = "String"     // "quoted" or 'quoted', with escapes
	tokUnterm     = "Unterm"     // a quote never closed: reported as such by the parser
	tokOp         = "Op"         // = == != < <= > >=
	tokPunct      = "Punct"      // ( ) ,
	tokWord       = "Word"       // field names, macro and list names, keywords, bare values
	tokWhitespace = "Whitespace" // elided
)

// newLexer returns the filter language's lexer.
//
// Everything that is not a quoted string, an operator or punctuation is a Word: a field
// name with its argument (proc.aname[2], evt.arg[0], container.mount.dest[/etc*]), a
// macro or list name, a keyword, or a bare value such as /etc/ or 8080. Keywords are
// Words whose whole text is the keyword, so they only match at word boundaries:
// "android" is one Word and never the keyword "and". A Word may hold a bracketed run
// (glob classes like /etc/[a-z]*, field arguments) and the arrow of a connection name
// (10.0.0.1:5000->10.0.0.2:80), but no space.
func newLexer() *lexer.StatefulDefinition {
	return lexer.MustSimple([]lexer.SimpleRule{
		{Name: tokWhitespace, Pattern: `[ \t\r\n\f\v]+`},
		{Name: tokString, Pattern: `"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'`},
		{Name: tokUnterm, Pattern: `["'].*`},
		{Name: tokOp, Pattern: `<=|>=|!=|==|=|<|>`},
		{Name: tokPunct, Pattern: `[(),]`},
		{Name: tokWord, Pattern: `(?:->|[^ \t\r\n\f\v()\[\],=<>!"']|\[[^ \t\r\n\f\v\]]*\])+`},
	})
}
