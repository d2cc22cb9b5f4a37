package rules

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// exceptionComps are the comparison operators an exception may use.
var exceptionComps = []string{"=", "==", "!=", "<", "<=", ">", ">=", "contains", "icontains",
	"bcontains", "startswith", "bstartswith", "endswith", "glob", "iglob", "pmatch", "in",
	"intersects", "regex"}

// listComps take a parenthesised list of values as their right operand.
var listComps = []string{"in", "intersects", "pmatch"}

func (d *decoder) exceptions(n *yaml.Node, item string) ([]Exception, error) {
	n, err := d.deref(n)
	if err != nil {
		return nil, &Error{Pos: Pos{File: d.file}, Item: item, Err: err}
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, d.errAt(n, item, "exceptions: want a sequence, got %s", kindName(n))
	}
	out := make([]Exception, 0, len(n.Content))
	for _, c := range n.Content {
		e, err := d.exception(c, item)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func (d *decoder) exception(n *yaml.Node, item string) (Exception, error) {
	m, err := d.mapping(n, item)
	if err != nil {
		return Exception{}, err
	}
	e := Exception{Pos: d.pos(m.node)}
	for _, k := range m.keys {
		v := m.vals[k]
		switch k {
		case "name":
			e.Name, err = d.scalar(v, item, "exceptions.name")
		case "fields":
			e.Fields, e.FieldsIsSeq, err = d.scalarOrSeq(v, item, "exceptions.fields")
		case "comps":
			e.Comps, _, err = d.scalarOrSeq(v, item, "exceptions.comps")
		case "values":
			e.Values, err = d.exceptionValues(v, item)
		default:
			err = &Error{Pos: m.kpos[k], Item: item, Err: errorf("exception: unknown key %q", k)}
		}
		if err != nil {
			return e, err
		}
	}
	if e.Name == "" {
		return e, &Error{Pos: e.Pos, Item: item, Err: errorf("exception: missing key \"name\"")}
	}
	return e, nil
}

func (d *decoder) scalarOrSeq(n *yaml.Node, item, key string) ([]string, bool, error) {
	at, err := d.deref(n)
	if err != nil {
		return nil, false, &Error{Pos: Pos{File: d.file}, Item: item, Err: err}
	}
	if at.Kind == yaml.SequenceNode {
		s, err := d.strings(at, item, key)
		return s, true, err
	}
	s, err := d.scalar(at, item, key)
	return []string{s}, false, err
}

func (d *decoder) exceptionValues(n *yaml.Node, item string) ([]ExceptionValue, error) {
	v, err := d.exceptionValue(n, item, 0)
	if err != nil {
		return nil, err
	}
	if !v.IsSeq {
		at, _ := d.deref(n)
		return nil, d.errAt(at, item, "exceptions.values: want a sequence, got %s", kindName(at))
	}
	return v.Items, nil
}

func (d *decoder) exceptionValue(n *yaml.Node, item string, depth int) (ExceptionValue, error) {
	at, err := d.deref(n)
	if err != nil {
		return ExceptionValue{}, &Error{Pos: Pos{File: d.file}, Item: item, Err: err}
	}
	v := ExceptionValue{Pos: d.pos(at)}
	switch {
	case at.Kind == yaml.ScalarNode:
		v.Scalar = at.Value
		return v, nil
	case at.Kind != yaml.SequenceNode || depth == 3:
		return v, d.errAt(at, item, "exceptions.values: want a value or a sequence, got %s", kindName(at))
	}
	v.IsSeq = true
	for _, c := range at.Content {
		cv, err := d.exceptionValue(c, item, depth+1)
		if err != nil {
			return v, err
		}
		v.Items = append(v.Items, cv)
	}
	return v, nil
}

// checkExceptionDef checks an exception that defines its fields: comps default to =
// per field, or to in for a single field, as in Falco.
func checkExceptionDef(e Exception, item string) error {
	fail := func(format string, args ...any) error {
		return &Error{Pos: e.Pos, Item: item, Err: errorf("exception %q: "+format, append([]any{e.Name}, args...)...)}
	}
	if len(e.Fields) == 0 || e.Fields[0] == "" {
		return fail("missing key \"fields\"")
	}
	comps := e.compsOrDefault()
	if len(comps) != len(e.Fields) {
		return fail("%d fields but %d comps", len(e.Fields), len(comps))
	}
	for _, c := range comps {
		if !slices.Contains(exceptionComps, strings.ToLower(c)) {
			return fail("unknown comparison operator %q", c)
		}
	}
	return checkExceptionValues(e, item)
}

func checkExceptionValues(e Exception, item string) error {
	if !e.FieldsIsSeq {
		return nil
	}
	for _, v := range e.Values {
		if !v.IsSeq || len(v.Items) != len(e.Fields) {
			return &Error{Pos: v.Pos, Item: item, Err: errorf("exception %q: each value must be a sequence of %d items, one per field", e.Name, len(e.Fields))}
		}
	}
	return nil
}

func (e Exception) compsOrDefault() []string {
	if len(e.Comps) > 0 {
		return e.Comps
	}
	if !e.FieldsIsSeq {
		return []string{"in"}
	}
	comps := make([]string, len(e.Fields))
	for i := range comps {
		comps[i] = "="
	}
	return comps
}

func checkExceptionNames(ex []Exception, item string) error {
	seen := map[string]bool{}
	for _, e := range ex {
		if seen[e.Name] {
			return &Error{Pos: e.Pos, Item: item, Err: errorf("exception %q defined twice", e.Name)}
		}
		seen[e.Name] = true
	}
	return nil
}

// appendExceptions adds values to the exceptions of the same name and adds the
// exceptions that are new, which must then define their fields.
func appendExceptions(old, add []Exception, item string) ([]Exception, error) {
	out := slices.Clone(old)
	for _, e := range add {
		i := slices.IndexFunc(out, func(o Exception) bool { return o.Name == e.Name })
		if i < 0 {
			if err := checkExceptionDef(e, item); err != nil {
				return nil, err
			}
			out = append(out, e)
			continue
		}
		cur := out[i]
		if len(e.Fields) > 0 && !slices.Equal(e.Fields, cur.Fields) {
			return nil, &Error{Pos: e.Pos, Item: item, Err: errorf("exception %q: appended fields %v differ from the defined %v", e.Name, e.Fields, cur.Fields)}
		}
		probe := cur
		probe.Values = e.Values
		if err := checkExceptionValues(probe, item); err != nil {
			return nil, err
		}
		cur.Values = append(slices.Clone(cur.Values), e.Values...)
		out[i] = cur
	}
	return out, nil
}

// Condition returns the exception as a condition that is true when the event matches
// one of its values, as Falco writes it: for fields f1, f2 with comps c1, c2, each
// tuple (v1, v2) becomes (f1 c1 v1 and f2 c2 v2), and tuples are joined by or. It is
// empty when there are no values.
func (e Exception) Condition() string {
	if len(e.Values) == 0 {
		return ""
	}
	comps := e.compsOrDefault()
	var b strings.Builder
	if !e.FieldsIsSeq {
		e.singleField(&b, comps[0])
		return b.String()
	}
	for i, t := range e.Values {
		if i > 0 {
			b.WriteString(" or ")
		}
		b.WriteByte('(')
		for j, f := range e.Fields {
			if j > 0 {
				b.WriteString(" and ")
			}
			writeOperand(&b, f, comps[j], t.Items[j])
		}
		b.WriteByte(')')
	}
	return b.String()
}

func (e Exception) singleField(b *strings.Builder, comp string) {
	f := e.Fields[0]
	if slices.Contains(listComps, strings.ToLower(comp)) {
		writeOperand(b, f, comp, ExceptionValue{IsSeq: true, Items: e.Values})
		return
	}
	b.WriteByte('(')
	for i, v := range e.Values {
		if i > 0 {
			b.WriteString(" or ")
		}
		writeOperand(b, f, comp, v)
	}
	b.WriteByte(')')
}

func writeOperand(b *strings.Builder, field, comp string, v ExceptionValue) {
	b.WriteString(field)
	b.WriteByte(' ')
	b.WriteString(comp)
	b.WriteByte(' ')
	isList := slices.Contains(listComps, strings.ToLower(comp))
	switch {
	case v.IsSeq:
		b.WriteByte('(')
		for i, it := range v.Items {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(quoteItem(it.Scalar))
		}
		b.WriteByte(')')
	case isList && !strings.HasPrefix(v.Scalar, "("):
		// A bare name after in is a list: (name) expands to its items.
		b.WriteString("(" + quoteItem(v.Scalar) + ")")
	default:
		b.WriteString(quoteItem(v.Scalar))
	}
}

// quoteItem quotes a value that would not read as one token, unless it is quoted
// already. Falco quotes values holding a space; syscam also quotes the characters that
// would end a bare word and empty values.
func quoteItem(s string) string {
	if s == "" {
		return `""`
	}
	if s[0] == '"' || s[0] == '\'' {
		return s
	}
	if !strings.ContainsAny(s, " \t\n(),=<>!") {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
