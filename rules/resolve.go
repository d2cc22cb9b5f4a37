package rules

import (
	"errors"
	"fmt"
	"strings"

	"github.com/syscam/syscam/query"
)

// resolver gives query the macros and lists of a Ruleset. Macros are parsed once, when
// the resolver is made: a macro with a syntax error fails the load even when no rule
// uses it, as in Falco.
type resolver struct {
	rs     *Ruleset
	macros map[string]parsedMacro
}

type parsedMacro struct {
	expr query.Expr
	src  string
}

func newResolver(rs *Ruleset) (*resolver, error) {
	r := &resolver{rs: rs, macros: make(map[string]parsedMacro, len(rs.Macros))}
	var errs []error
	for _, m := range rs.Macros {
		src := m.Condition.String()
		x, err := query.Parse(src)
		if err != nil {
			errs = append(errs, conditionError(m.Pos, itemName("macro", m.Name), m.Condition, err))
			continue
		}
		r.macros[m.Name] = parsedMacro{expr: x, src: src}
	}
	return r, errors.Join(errs...)
}

// Macro implements query.Resolver.
func (r *resolver) Macro(name string) (query.Expr, string, bool) {
	m, ok := r.macros[name]
	return m.expr, m.src, ok
}

// List implements query.Resolver. Items written in quotes in the rules file ('"a b"')
// are unquoted here: Falco pastes list items into the condition text, where the quotes
// make one value of them.
func (r *resolver) List(name string) ([]string, bool) {
	items, ok := r.rs.ListItems(name)
	if !ok {
		return nil, false
	}
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = unquoteItem(it)
	}
	return out, true
}

// unquoteItem strips the quotes of a list item written as a quoted filter string,
// reading the backslash escapes the filter language reads.
func unquoteItem(s string) string {
	if len(s) < 2 || (s[0] != '"' && s[0] != '\'') || s[len(s)-1] != s[0] {
		return s
	}
	body := s[1 : len(s)-1]
	if !strings.Contains(body, `\`) {
		return body
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == '\\' && i+1 < len(body) {
			i++
			switch body[i] {
			case 'n':
				c = '\n'
			case 't':
				c = '\t'
			default:
				c = body[i]
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// conditionError turns a query error into an Error naming the file and line of the
// condition (or of the part of it an append added) and the column within it.
func (r *resolver) conditionError(pos Pos, item string, cond Text, err error) error {
	var qe *query.Error
	if errors.As(err, &qe) && qe.Macro != "" {
		if m, ok := r.rs.Macro(qe.Macro); ok {
			plain := *qe
			plain.Macro = ""
			return conditionError(m.Pos, itemName("macro", m.Name)+" (used by "+item+")", m.Condition, &plain)
		}
	}
	return conditionError(pos, item, cond, err)
}

func conditionError(pos Pos, item string, cond Text, err error) error {
	var qe *query.Error
	if !errors.As(err, &qe) {
		return &Error{Pos: pos, Item: item, Err: err}
	}
	msg := errors.New(qe.Msg)
	part, off := cond.Locate(qe.Pos.Offset)
	at := part.Pos
	if at.File == "" {
		at = pos
	}
	if fl, fc, text, ok := part.src.locate(off); ok && part.src.multiline && part.Label == "" {
		at.Line, at.Column = fl, fc
		return &Error{Pos: at, Item: item, Err: errorf("condition: %s", qe.Msg), Context: caret(text, 1, fc)}
	}
	line, col := lineCol(part.Text, off)
	ctx := caret(part.Text, line, col)
	if part.Label != "" {
		// The text was built from the exception's fields and values: show it whole.
		return &Error{Pos: at, Item: item, Err: errorf("%s, as the condition %s: column %d: %s", part.Label, part.Text, col, qe.Msg), Context: ctx}
	}
	if line > 1 || at.Line == 0 {
		return &Error{Pos: at, Item: item, Err: errorf("condition line %d column %d: %s", line, col, qe.Msg), Context: ctx}
	}
	return &Error{Pos: at, Item: item, Column: col, Err: msg, Context: ctx}
}

// outputError names the place of an error in a rule's output: the file line and
// column when the output's text can be matched to the file, else the output key's
// line and the column in the output.
func outputError(r *Rule, item string, err error) error {
	var qe *query.Error
	if !errors.As(err, &qe) || len(r.outText.Parts) == 0 || r.outText.String() != r.Output {
		return &Error{Pos: r.Pos, Item: item, Err: fmt.Errorf("output: %w", err)}
	}
	part, off := r.outText.Locate(qe.Pos.Offset)
	if line, col, text, ok := part.src.locate(off); ok {
		return &Error{Pos: Pos{File: part.Pos.File, Line: line, Column: col}, Item: item,
			Err: errorf("output: %s", qe.Msg), Context: caret(text, 1, col)}
	}
	at := part.Pos
	if at.File == "" {
		at = r.Pos
	}
	line, col := lineCol(part.Text, off)
	ctx := caret(part.Text, line, col)
	if line > 1 {
		at.Column = 0
		return &Error{Pos: at, Item: item, Err: errorf("output: line %d column %d: %s", line, col, qe.Msg), Context: ctx}
	}
	return &Error{Pos: at, Item: item, Err: errorf("output: column %d: %s", col, qe.Msg), Context: ctx}
}

// caret returns line n of s and a caret under column col.
func caret(s string, n, col int) string {
	lines := strings.Split(s, "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	line := lines[n-1]
	pad := make([]byte, 0, col)
	for _, r := range line {
		if len(pad) >= col-1 {
			break
		}
		if r == '\t' {
			pad = append(pad, '\t')
		} else {
			pad = append(pad, ' ')
		}
	}
	return line + "\n" + string(pad) + "^"
}

// lineCol returns the line and column (in characters, from 1) of byte off of s.
func lineCol(s string, off int) (int, int) {
	off = min(max(off, 0), len(s))
	line, col := 1, 1
	for _, r := range s[:off] {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}
