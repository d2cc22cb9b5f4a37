package rules

import (
	"errors"
	"slices"
	"strings"

	"github.com/syscam/syscam/query"
)

// unknownRef is a field reference the registry does not know and the macro whose
// condition holds it ("" for the rule's own condition).
type unknownRef struct {
	ref   query.FieldRef
	macro string
}

// unknownFields returns the fields x uses, through its macros, that reg does not
// know, each once, in the order they appear, and the first such reference.
func (r *resolver) unknownFields(x query.Expr, reg *query.Registry) ([]string, unknownRef) {
	var out []string
	var first unknownRef
	r.walkFields(x, nil, func(f query.FieldRef, stack []string) {
		if got, _, _ := reg.Lookup(f.Name); got == nil && !slices.Contains(out, f.Name) {
			if len(out) == 0 {
				first.ref = f
				if len(stack) > 0 {
					first.macro = stack[len(stack)-1]
				}
			}
			out = append(out, f.Name)
		}
	})
	return out, first
}

// unknownFieldError reports the unknown fields of a rule at the first of them, with
// the column, caret and suggestion query gives for a filter, so that a misspelt field
// reads the same in a rules file as on the command line.
func (r *resolver) unknownFieldError(pos Pos, item string, cond Text, names []string, first unknownRef, reg *query.Registry) error {
	hint := "the rule can say skip-if-unknown-filter: true, or run with --skip-unknown"
	src := cond.String()
	if first.macro != "" {
		src = r.macros[first.macro].src
	}
	var qe *query.Error
	if !errors.As(reg.CheckRef(first.ref, src), &qe) {
		return &Error{Pos: pos, Item: item, Err: unknownFieldErr{errorf("unknown field %s (%s)", strings.Join(names, ", "), hint)}}
	}
	qe.Macro = first.macro
	if len(names) > 1 {
		qe.Msg += "; also unknown: " + strings.Join(names[1:], ", ")
	}
	qe.Msg += "; " + hint
	err := r.conditionError(pos, item, cond, qe)
	var e *Error
	if errors.As(err, &e) {
		e.Err = unknownFieldErr{e.Err}
	}
	return err
}

// unknownFieldErr marks an error as ErrUnknownField without repeating that error's
// text in the message.
type unknownFieldErr struct{ error }

func (unknownFieldErr) Is(target error) bool { return target == ErrUnknownField }

// walkFields calls fn for every field reference of x and the macros entered to reach
// it, entering each macro once per path, so that a macro using itself ends the walk
// instead of looping.
func (r *resolver) walkFields(x query.Expr, stack []string, fn func(query.FieldRef, []string)) {
	switch x := x.(type) {
	case *query.And:
		for _, t := range x.Terms {
			r.walkFields(t, stack, fn)
		}
	case *query.Or:
		for _, t := range x.Terms {
			r.walkFields(t, stack, fn)
		}
	case *query.Not:
		r.walkFields(x.X, stack, fn)
	case *query.Compare:
		fn(x.Field, stack)
	case *query.Ref:
		m, ok := r.macros[x.Name]
		if !ok || slices.Contains(stack, x.Name) || len(stack) > 64 {
			return
		}
		r.walkFields(m.expr, append(stack, x.Name), fn)
	}
}
