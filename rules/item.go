package rules

import "fmt"

// DefaultSource is the event source of syscall rules, the only one syscam evaluates.
const DefaultSource = "syscall"

// Pos is a place in a rules file. Line and Column count from 1; zero means unknown.
type Pos struct {
	File   string
	Line   int
	Column int
}

func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Column == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// List is a named list of values; an item may name another list, whose items it stands
// for. Items are kept as written: a quoted item ('"a b"') keeps its quotes, as Falco
// pastes items into conditions verbatim.
type List struct {
	Name  string
	Items []string
	Pos   Pos // where the list was first defined
}

// Macro is a named condition fragment that other conditions use by name.
type Macro struct {
	Name      string
	Condition Text
	Pos       Pos
}

// Text is a condition assembled from one or more YAML values (a definition and its
// appends). Parts keep where each piece came from so that an error at an offset of the
// joined text can name its file and line.
type Text struct {
	Parts []TextPart
}

// TextPart is one piece of a condition and where it was written.
type TextPart struct {
	Text  string
	Pos   Pos    // position of the YAML value
	Label string // what the part is when not a condition written as such: `exception "x"`
	src   *srcMap
}

// String joins the parts with a space, as Falco joins appended conditions.
func (t Text) String() string {
	switch len(t.Parts) {
	case 0:
		return ""
	case 1:
		return t.Parts[0].Text
	}
	n := 0
	for _, p := range t.Parts {
		n += len(p.Text) + 1
	}
	b := make([]byte, 0, n)
	for i, p := range t.Parts {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, p.Text...)
	}
	return string(b)
}

// Locate maps a byte offset of String() to the part holding it and the offset within
// that part.
func (t Text) Locate(off int) (TextPart, int) {
	for _, p := range t.Parts {
		if off <= len(p.Text) {
			return p, off
		}
		off -= len(p.Text) + 1
	}
	if len(t.Parts) == 0 {
		return TextPart{}, 0
	}
	last := t.Parts[len(t.Parts)-1]
	return last, len(last.Text)
}

func textAt(s string, pos Pos) Text { return Text{Parts: []TextPart{{Text: s, Pos: pos}}} }

func (t Text) appendText(more Text) Text {
	parts := append(append([]TextPart(nil), t.Parts...), more.Parts...)
	return Text{Parts: parts}
}

// Rule is a loaded rule after every append and override has been applied.
type Rule struct {
	Name       string
	Desc       string
	Condition  Text
	Output     string
	Priority   Priority
	Tags       []string
	Enabled    bool
	Source     string
	Exceptions []Exception
	// SkipIfUnknownFilter drops the rule with a warning, instead of failing the load,
	// when its condition uses a field syscam does not know.
	SkipIfUnknownFilter bool
	WarnEvttypes        bool
	Pos                 Pos
	// outText is Output with where each piece of it was written, for errors.
	outText Text
}

// Exception lists value tuples for which a rule must not fire. With a single field
// (Fields given as a scalar) each value is one operand; with a list of fields each
// value is a tuple, one element per field.
type Exception struct {
	Name        string
	Fields      []string
	FieldsIsSeq bool // fields written as a YAML sequence
	Comps       []string
	Values      []ExceptionValue
	Pos         Pos
}

// ExceptionValue is one element of an exception's values: a scalar, or a sequence
// (an operand list for in, intersects and pmatch, or a tuple).
type ExceptionValue struct {
	Scalar string
	Items  []ExceptionValue
	IsSeq  bool
	Pos    Pos
}

// Requirement is a required_engine_version entry.
type Requirement struct {
	Version string
	Pos     Pos
}

// PluginRequirement is one entry of required_plugin_versions.
type PluginRequirement struct {
	Name         string
	Version      string
	Alternatives []PluginRequirement
	Pos          Pos
}
