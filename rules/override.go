package rules

import "slices"

// Override modes of an override: entry.
const (
	modeAppend  = "append"
	modeReplace = "replace"
)

// overrideSpec says which keys of an item kind may be appended to or replaced.
type overrideSpec struct {
	appendable  []string
	replaceable []string
}

var (
	listOverrides  = overrideSpec{appendable: []string{"items"}, replaceable: []string{"items"}}
	macroOverrides = overrideSpec{appendable: []string{"condition"}, replaceable: []string{"condition"}}
	ruleOverrides  = overrideSpec{
		appendable: []string{"condition", "output", "desc", "tags", "exceptions"},
		replaceable: []string{"condition", "output", "desc", "priority", "tags", "exceptions",
			"enabled", "warn_evttypes", "skip-if-unknown-filter", "capture", "capture_duration"},
	}
)

// override decodes an item's override: mapping and checks it against the item: every
// key it names must be allowed in that mode and present in the item, and every other
// key of the item (but its name) must be named in it.
func (d *decoder) override(m *mapping, kind, item string, spec overrideSpec) (map[string]string, error) {
	om, err := d.mapping(m.vals["override"], item)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, k := range om.keys {
		mode, err := d.scalar(om.vals[k], item, "override."+k)
		if err != nil {
			return nil, err
		}
		at, _ := d.deref(om.vals[k])
		switch {
		case mode != modeAppend && mode != modeReplace:
			return nil, d.errAt(at, item, "override: key %q: want append or replace, got %q", k, mode)
		case mode == modeAppend && !slices.Contains(spec.appendable, k):
			return nil, d.errAt(at, item, "override: key %q cannot be appended (appendable: %v)", k, spec.appendable)
		case mode == modeReplace && !slices.Contains(spec.replaceable, k):
			return nil, d.errAt(at, item, "override: key %q cannot be replaced (replaceable: %v)", k, spec.replaceable)
		case !m.has(k):
			return nil, d.errAt(at, item, "override: key %q has no value in this item", k)
		}
		out[k] = mode
	}
	for _, k := range m.keys {
		if k == kind || k == "override" || out[k] != "" {
			continue
		}
		if slices.Contains(spec.replaceable, k) || slices.Contains(spec.appendable, k) {
			return nil, &Error{Pos: m.kpos[k], Item: item, Err: errorf("key %q needs an entry in override (append or replace)", k)}
		}
	}
	return out, nil
}
