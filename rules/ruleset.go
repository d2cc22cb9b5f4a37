package rules

// Ruleset is what a Loader read: lists, macros and rules in definition order after
// every append and override, and what the files asked for or warned about.
type Ruleset struct {
	Lists          []*List
	Macros         []*Macro
	Rules          []*Rule // syscall rules only; rules of other sources are in Warnings
	Warnings       []Warning
	EngineVersions []Requirement
	Plugins        []PluginRequirement
	Files          []string

	lists  map[string]*List
	macros map[string]*Macro
}

func (rs *Ruleset) index() {
	rs.lists = make(map[string]*List, len(rs.Lists))
	for _, x := range rs.Lists {
		rs.lists[x.Name] = x
	}
	rs.macros = make(map[string]*Macro, len(rs.Macros))
	for _, x := range rs.Macros {
		rs.macros[x.Name] = x
	}
}

// Macro returns the macro named name.
func (rs *Ruleset) Macro(name string) (*Macro, bool) {
	m, ok := rs.macros[name]
	return m, ok
}

// ListItems returns the items of the list named name, with the items that name other
// lists replaced by those lists' items (recursively; a list naming itself, directly
// or not, keeps the name as a value).
func (rs *Ruleset) ListItems(name string) ([]string, bool) {
	l, ok := rs.lists[name]
	if !ok {
		return nil, false
	}
	return rs.expand(l, map[string]bool{name: true}, nil), true
}

func (rs *Ruleset) expand(l *List, seen map[string]bool, out []string) []string {
	for _, it := range l.Items {
		sub, ok := rs.lists[it]
		if !ok || seen[it] {
			out = append(out, it)
			continue
		}
		seen[it] = true
		out = rs.expand(sub, seen, out)
		delete(seen, it)
	}
	return out
}

// FullCondition returns the rule's condition with its exceptions: (condition) and not
// (exception or exception...). Parts of the text keep where they were written, so
// that a compile error names the condition or the exception at fault.
func (r *Rule) FullCondition() Text {
	var exc []TextPart
	for _, e := range r.Exceptions {
		if c := e.Condition(); c != "" {
			exc = append(exc, TextPart{Text: c, Pos: e.Pos, Label: itemName("exception", e.Name)})
		}
	}
	if len(exc) == 0 {
		return r.Condition
	}
	parts := []TextPart{{Text: "("}}
	parts = append(parts, r.Condition.Parts...)
	parts = append(parts, TextPart{Text: ") and not ("})
	for i, p := range exc {
		if i > 0 {
			parts = append(parts, TextPart{Text: "or"})
		}
		parts = append(parts, TextPart{Text: "(" + p.Text + ")", Pos: p.Pos, Label: p.Label})
	}
	parts = append(parts, TextPart{Text: ")"})
	return Text{Parts: parts}
}
