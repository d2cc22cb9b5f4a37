package rules

import (
	"slices"

	"gopkg.in/yaml.v3"
)

var ruleKeys = []string{"rule", "desc", "condition", "output", "priority", "tags", "enabled",
	"source", "exceptions", "append", "override", "warn_evttypes", "skip-if-unknown-filter",
	"capture", "capture_duration"}

// ruleItem is one rule item as written, before it is merged with earlier definitions.
type ruleItem struct {
	Rule
	keys []string
	pos  map[string]Pos
}

func (r *ruleItem) has(k string) bool { return slices.Contains(r.keys, k) }

func (l *Loader) loadRule(d *decoder, m *mapping) error {
	name, err := d.scalar(m.vals["rule"], "rule", "rule")
	if err != nil {
		return err
	}
	item := itemName("rule", name)
	pos := m.kpos["rule"]
	if name == "" {
		return &Error{Pos: pos, Item: item, Err: errorf("empty name")}
	}
	l.warnUnknownKeys(m, item, ruleKeys)
	app, ov, err := d.appendOrOverride(m, "rule", item, ruleOverrides)
	if err != nil {
		return err
	}
	ri, err := d.ruleItem(m, name, item)
	if err != nil {
		return err
	}
	old, exists := l.rules.get(name)
	if (app || ov != nil || ri.enabledOnly()) && !exists {
		if l.skipped[name] {
			return nil // changes a rule of another source, skipped with it
		}
		what := appendWord(app)
		if !app && ov == nil {
			what = "enabled alone"
		}
		return &Error{Pos: pos, Item: item, Err: errorf("%s but no rule of that name was defined before", what)}
	}
	switch {
	case app:
		return l.appendRule(old, ri, item)
	case ov != nil:
		return l.overrideRule(old, ri, ov, item)
	case ri.enabledOnly():
		old.Enabled = ri.Enabled
		return nil
	}
	return l.defineRule(ri, item)
}

// enabledOnly reports whether the item only names a rule and sets enabled: Falco's
// older way to switch a rule defined elsewhere on or off.
func (r *ruleItem) enabledOnly() bool {
	return len(r.keys) == 2 && r.has("enabled")
}

func (d *decoder) ruleItem(m *mapping, name, item string) (*ruleItem, error) {
	r := &ruleItem{Rule: Rule{Name: name, Enabled: true, Source: DefaultSource, Pos: m.kpos["rule"], Priority: PriorityDebug, WarnEvttypes: true},
		keys: m.keys, pos: m.kpos}
	var err error
	for _, k := range m.keys {
		v := m.vals[k]
		switch k {
		case "desc":
			r.Desc, err = d.scalar(v, item, k)
		case "output":
			r.outText, err = d.text(v, item, k)
			r.Output = r.outText.String()
		case "source":
			r.Source, err = d.scalar(v, item, k)
		case "condition":
			r.Condition, err = d.text(v, item, k)
		case "priority":
			err = d.priority(v, item, &r.Priority)
		case "tags":
			r.Tags, err = d.strings(v, item, k)
		case "enabled":
			r.Enabled, err = d.boolean(v, item, k)
		case "skip-if-unknown-filter":
			r.SkipIfUnknownFilter, err = d.boolean(v, item, k)
		case "warn_evttypes":
			r.WarnEvttypes, err = d.boolean(v, item, k)
		case "exceptions":
			r.Exceptions, err = d.exceptions(v, item)
		}
		if err != nil {
			return nil, err
		}
	}
	return r, nil
}

func (d *decoder) priority(n *yaml.Node, item string, dst *Priority) error {
	s, err := d.scalar(n, item, "priority")
	if err != nil {
		return err
	}
	p, err := ParsePriority(s)
	if err != nil {
		at, _ := d.deref(n)
		return &Error{Pos: d.pos(at), Item: item, Err: err}
	}
	*dst = p
	return nil
}

func (l *Loader) defineRule(r *ruleItem, item string) error {
	for _, k := range []string{"condition", "output", "desc", "priority"} {
		if !r.has(k) {
			return &Error{Pos: r.Pos, Item: item, Err: errorf("missing key %q", k)}
		}
	}
	if r.Source != DefaultSource {
		l.skipped[r.Name] = true
		l.warn(r.Pos, item, "source %q is not evaluated by syscam; rule skipped", r.Source)
		return nil
	}
	for _, e := range r.Exceptions {
		if err := checkExceptionDef(e, item); err != nil {
			return err
		}
	}
	if err := checkExceptionNames(r.Exceptions, item); err != nil {
		return err
	}
	rule := r.Rule
	l.rules.put(r.Name, &rule)
	return nil
}

// appendRule applies Falco's older append: true, which adds to the condition and the
// exceptions only.
func (l *Loader) appendRule(old *Rule, r *ruleItem, item string) error {
	if !r.has("condition") && !r.has("exceptions") {
		return &Error{Pos: r.Pos, Item: item, Err: errorf("append: true needs a condition or exceptions to append")}
	}
	for _, k := range r.keys {
		if !slices.Contains([]string{"rule", "append", "condition", "exceptions"}, k) && slices.Contains(ruleKeys, k) {
			l.warn(r.pos[k], item, "key %q ignored: append: true only appends condition and exceptions; use override", k)
		}
	}
	if r.has("condition") {
		old.Condition = old.Condition.appendText(r.Condition)
	}
	if r.has("exceptions") {
		ex, err := appendExceptions(old.Exceptions, r.Exceptions, item)
		if err != nil {
			return err
		}
		old.Exceptions = ex
	}
	return nil
}

func (l *Loader) overrideRule(old *Rule, r *ruleItem, ov map[string]string, item string) error {
	for k, mode := range ov {
		if err := overrideRuleKey(old, r, k, mode == modeAppend, item); err != nil {
			return err
		}
	}
	return nil
}

func overrideRuleKey(old *Rule, r *ruleItem, key string, app bool, item string) error {
	switch key {
	case "condition":
		if app {
			old.Condition = old.Condition.appendText(r.Condition)
		} else {
			old.Condition = r.Condition
		}
	case "output":
		if app && old.Output != "" {
			old.outText = old.outText.appendText(r.outText)
		} else {
			old.outText = r.outText
		}
		old.Output = joinIf(app, old.Output, r.Output)
	case "desc":
		old.Desc = joinIf(app, old.Desc, r.Desc)
	case "tags":
		if app {
			old.Tags = append(old.Tags, r.Tags...)
		} else {
			old.Tags = r.Tags
		}
	case "exceptions":
		return overrideExceptions(old, r, app, item)
	case "priority":
		old.Priority = r.Priority
	case "enabled":
		old.Enabled = r.Enabled
	case "warn_evttypes":
		old.WarnEvttypes = r.WarnEvttypes
	case "skip-if-unknown-filter":
		old.SkipIfUnknownFilter = r.SkipIfUnknownFilter
	}
	return nil
}

func overrideExceptions(old *Rule, r *ruleItem, app bool, item string) error {
	if app {
		ex, err := appendExceptions(old.Exceptions, r.Exceptions, item)
		old.Exceptions = ex
		return err
	}
	for _, e := range r.Exceptions {
		if err := checkExceptionDef(e, item); err != nil {
			return err
		}
	}
	if err := checkExceptionNames(r.Exceptions, item); err != nil {
		return err
	}
	old.Exceptions = r.Exceptions
	return nil
}

func joinIf(app bool, old, more string) string {
	if !app {
		return more
	}
	if old == "" {
		return more
	}
	return old + " " + more
}

func (r *Rule) clone() *Rule {
	c := *r
	c.Tags = slices.Clone(r.Tags)
	c.Condition.Parts = slices.Clone(r.Condition.Parts)
	c.Exceptions = slices.Clone(r.Exceptions)
	return &c
}
