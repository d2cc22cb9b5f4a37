package rules

import (
	"slices"

	"github.com/syscam/syscam/query"
)

// unknownFields returns the fields x uses, through its macros, that reg does not
// know, each once, in the order they appear.
func (r *resolver) unknownFields(x query.Expr, reg *query.Registry) []string {
	var out []string
	r.walkFields(x, nil, func(f query.FieldRef) {
		if got, _, _ := reg.Lookup(f.Name); got == nil && !slices.Contains(out, f.Name) {
			out = append(out, f.Name)
		}
	})
	return out
}

// walkFields calls fn for every field reference of x, entering macros (once per path,
// so that a macro using itself ends the walk instead of looping).
func (r *resolver) walkFields(x query.Expr, stack []string, fn func(query.FieldRef)) {
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
		fn(x.Field)
	case *query.Ref:
		m, ok := r.macros[x.Name]
		if !ok || slices.Contains(stack, x.Name) || len(stack) > 64 {
			return
		}
		r.walkFields(m.expr, append(stack, x.Name), fn)
	}
}
