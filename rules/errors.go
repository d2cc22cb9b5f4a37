package rules

import (
	"errors"
	"fmt"
)

// ErrUnknownField is wrapped by errors about a condition or output that names a field
// syscam does not know; the loader drops such a rule instead of failing when the rule
// says skip-if-unknown-filter or the caller asked to skip unknown fields.
var ErrUnknownField = errors.New("rules: unknown field")

// Error is a problem found while loading a rules file. Item names what was being loaded
// (`rule "Write below etc"`, `macro "open_write"`, `list "shell_binaries"`); Column is
// the column in the condition text when the problem is in a condition, else 0.
type Error struct {
	Pos    Pos
	Item   string
	Column int
	Err    error
	// Context, for errors in a condition, is the line of the condition at fault and a
	// caret under the column, for a terminal to print below the message.
	Context string
}

func (e *Error) Error() string {
	s := e.Pos.String() + ": "
	if e.Item != "" {
		s += e.Item + ": "
	}
	if e.Column > 0 {
		s += fmt.Sprintf("condition column %d: ", e.Column)
	}
	return s + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Warning is a problem that did not stop the load: an unknown key, a rule of another
// source, a rule dropped because it uses an unknown field.
type Warning struct {
	Pos     Pos
	Item    string
	Message string
}

func (w Warning) String() string {
	s := w.Pos.String() + ": "
	if w.Item != "" {
		s += w.Item + ": "
	}
	return s + w.Message
}

func itemName(kind, name string) string {
	if name == "" {
		return kind
	}
	return fmt.Sprintf("%s %q", kind, name)
}
