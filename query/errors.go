package query

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Position is a place in a condition's text: byte offset from 0, line and column
// (in characters) from 1.
type Position struct {
	Offset, Line, Column int
}

func (p Position) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Column) }

// Error is a syntax or type error in a condition. It names the place: the line and
// column, and the macro whose condition holds it when the error is inside one.
type Error struct {
	Pos   Position
	Msg   string
	Src   string // the text Pos points into (the filter, or Macro's condition)
	Macro string // "" for the filter itself
}

func (e *Error) Error() string {
	if e.Macro != "" {
		return fmt.Sprintf("in macro %s: %s: %s", e.Macro, e.Pos, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Pos, e.Msg)
}

// Caret returns the line of Src the error is on and a caret under its column:
//
//	proc.nam = sshd
//	^
func (e *Error) Caret() string {
	lines := strings.Split(e.Src, "\n")
	if e.Pos.Line < 1 || e.Pos.Line > len(lines) {
		return ""
	}
	line := strings.TrimRight(lines[e.Pos.Line-1], "\r")
	var pad strings.Builder
	col := 1
	for _, r := range line {
		if col >= e.Pos.Column {
			break
		}
		if r == '\t' {
			pad.WriteByte('\t')
		} else {
			pad.WriteByte(' ')
		}
		col++
	}
	return line + "\n" + pad.String() + "^"
}

func errorf(src string, pos Position, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...), Src: src}
}

// positionAt returns the Position of byte offset off in src.
func positionAt(src string, off int) Position {
	off = min(max(off, 0), len(src))
	p := Position{Offset: off, Line: 1, Column: 1}
	for _, r := range src[:off] {
		if r == '\n' {
			p.Line++
			p.Column = 1
		} else {
			p.Column++
		}
	}
	return p
}

// advance returns the Position n bytes after p within src, on the same line.
func advance(src string, p Position, n int) Position {
	end := min(p.Offset+n, len(src))
	if p.Offset > end {
		return p
	}
	q := p
	q.Offset = end
	q.Column += utf8.RuneCountInString(src[p.Offset:end])
	return q
}

// errf is fmt.Errorf for messages without a wrapped error.
func errf(format string, args ...any) error { return fmt.Errorf(format, args...) }
