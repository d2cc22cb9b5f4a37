package rules

import (
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// srcMap maps byte offsets of a scalar's value back to the file. yaml.v3 gives only
// where a scalar starts; a folded (>) or multi-line value has lost its line breaks and
// indentation, so an offset in it says nothing about the file line until mapped.
type srcMap struct {
	spans []span
	// complete is false when the value could not be matched to the file to its end
	// (a quoted scalar with escapes): offsets past the last span are not mapped.
	complete bool
	// multiline is true for block scalars and values over several lines, whose
	// offsets read better as file lines and columns than as columns in the value.
	multiline bool
}

// span says that value[off:off+n] is written at text[col:] on the file's line.
type span struct {
	off, n, line, col int
	text              string // the whole file line, for the caret
}

// maxScalarLines bounds the lines one scalar's map looks at.
const maxScalarLines = 10000

// scalarMap matches the scalar n's value against the file lines it was read from,
// line by line: each line's text, without the indentation and trailing blanks YAML
// drops, must continue the value, whatever YAML put between lines (a space when
// folding, newlines, the indentation a literal block keeps).
func scalarMap(lines []string, n *yaml.Node) *srcMap {
	if n.Kind != yaml.ScalarNode || n.Line < 1 || n.Line > len(lines) {
		return nil
	}
	block := n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0
	li, start := n.Line-1, 0
	if block {
		li++
	} else {
		start = byteIndex(lines[li], n.Column-1)
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			start++
		}
	}
	v, cur := n.Value, 0
	m := &srcMap{multiline: block}
	first := li
	for ; li < len(lines) && li < first+maxScalarLines; li++ {
		line := strings.TrimRight(strings.TrimSuffix(lines[li], "\r"), " \t")
		if li > first || block {
			start = len(line) - len(strings.TrimLeft(line, " \t"))
		}
		if start >= len(line) {
			continue // blank: YAML folded it into the value as a newline
		}
		for cur < len(v) && strings.IndexByte(" \t\n", v[cur]) >= 0 {
			cur++
		}
		k := 0
		for start+k < len(line) && cur+k < len(v) && line[start+k] == v[cur+k] {
			k++
		}
		if k == 0 {
			break
		}
		if li > first {
			m.multiline = true
		}
		m.spans = append(m.spans, span{off: cur, n: k, line: li + 1, col: start, text: line})
		cur += k
		if strings.TrimSpace(v[cur:]) == "" {
			m.complete = true
			break
		}
		if start+k < len(line) {
			break // an escape, or a quote or comment after the value: stop mapping here
		}
	}
	if len(m.spans) == 0 {
		return nil
	}
	return m
}

// locate returns the file line, column (in characters, from 1) and text of the line
// of byte off of the value. An offset between spans, which only whitespace YAML
// inserted can be at, goes to the end of the span before it: an error at the end of
// the value shows after its last character, not under an empty line.
func (m *srcMap) locate(off int) (line, col int, text string, ok bool) {
	if m == nil || off < 0 {
		return 0, 0, "", false
	}
	var at *span
	for i := range m.spans {
		s := &m.spans[i]
		if off < s.off {
			break
		}
		at = s
		if off < s.off+s.n {
			break
		}
	}
	if at == nil {
		return 0, 0, "", false
	}
	last := &m.spans[len(m.spans)-1]
	if at == last && off > at.off+at.n && !m.complete {
		return 0, 0, "", false
	}
	b := at.col + min(off-at.off, at.n)
	return at.line, utf8.RuneCountInString(at.text[:b]) + 1, at.text, true
}

// byteIndex returns the byte index of the character at index n of s.
func byteIndex(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}
