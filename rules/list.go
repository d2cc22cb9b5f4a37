package rules

import "fmt"

var listKeys = []string{"list", "items", "append", "override"}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

func (l *Loader) loadList(d *decoder, m *mapping) error {
	name, err := d.scalar(m.vals["list"], "list", "list")
	if err != nil {
		return err
	}
	item := itemName("list", name)
	if name == "" {
		return &Error{Pos: m.kpos["list"], Item: item, Err: errorf("empty name")}
	}
	l.warnUnknownKeys(m, item, listKeys)
	app, ov, err := d.appendOrOverride(m, "list", item, listOverrides)
	if err != nil {
		return err
	}
	if !m.has("items") {
		return &Error{Pos: m.kpos["list"], Item: item, Err: errorf("missing key \"items\"")}
	}
	items, err := d.strings(m.vals["items"], item, "items")
	if err != nil {
		return err
	}
	old, exists := l.lists.get(name)
	if (app || ov != nil) && !exists {
		return &Error{Pos: m.kpos["list"], Item: item, Err: errorf("%s but no list of that name was defined before", appendWord(app))}
	}
	switch {
	case app || ov["items"] == modeAppend:
		old.Items = append(old.Items, items...)
	case ov["items"] == modeReplace:
		old.Items = items
	default:
		l.lists.put(name, &List{Name: name, Items: items, Pos: m.kpos["list"]})
	}
	return nil
}

func (l *Loader) loadMacro(d *decoder, m *mapping) error {
	name, err := d.scalar(m.vals["macro"], "macro", "macro")
	if err != nil {
		return err
	}
	item := itemName("macro", name)
	if name == "" {
		return &Error{Pos: m.kpos["macro"], Item: item, Err: errorf("empty name")}
	}
	l.warnUnknownKeys(m, item, []string{"macro", "condition", "append", "override", "source"})
	app, ov, err := d.appendOrOverride(m, "macro", item, macroOverrides)
	if err != nil {
		return err
	}
	if !m.has("condition") {
		return &Error{Pos: m.kpos["macro"], Item: item, Err: errorf("missing key \"condition\"")}
	}
	cond, err := d.text(m.vals["condition"], item, "condition")
	if err != nil {
		return err
	}
	old, exists := l.macros.get(name)
	if (app || ov != nil) && !exists {
		return &Error{Pos: m.kpos["macro"], Item: item, Err: errorf("%s but no macro of that name was defined before", appendWord(app))}
	}
	switch {
	case app || ov["condition"] == modeAppend:
		old.Condition = old.Condition.appendText(cond)
	case ov["condition"] == modeReplace:
		old.Condition = cond
	default:
		l.macros.put(name, &Macro{Name: name, Condition: cond, Pos: m.kpos["macro"]})
	}
	return nil
}

// appendOrOverride decodes the append and override keys, which exclude each other.
func (d *decoder) appendOrOverride(m *mapping, kind, item string, spec overrideSpec) (bool, map[string]string, error) {
	app := false
	if m.has("append") {
		var err error
		if app, err = d.boolean(m.vals["append"], item, "append"); err != nil {
			return false, nil, err
		}
	}
	if !m.has("override") {
		return app, nil, nil
	}
	if app {
		return false, nil, &Error{Pos: m.kpos["override"], Item: item,
			Err: errorf("append: true and override cannot be used together; write the key under override with append")}
	}
	ov, err := d.override(m, kind, item, spec)
	return false, ov, err
}

func appendWord(app bool) string {
	if app {
		return "append: true"
	}
	return "override"
}

// maxListItems bounds the items a list stands for once the lists it names are
// expanded: lists naming lists naming lists can otherwise double at every level.
const maxListItems = 1 << 16

// checkListSizes rejects the lists that would expand past maxListItems.
func (l *Loader) checkListSizes() error {
	memo := map[string]int{}
	var size func(name string, seen map[string]bool) int
	size = func(name string, seen map[string]bool) int {
		if n, ok := memo[name]; ok {
			return n
		}
		x, _ := l.lists.get(name)
		n := 0
		seen[name] = true
		for _, it := range x.Items {
			if _, ok := l.lists.get(it); ok && !seen[it] {
				n += size(it, seen)
			} else {
				n++
			}
			if n > maxListItems {
				break
			}
		}
		delete(seen, name)
		memo[name] = n
		return n
	}
	for _, x := range l.lists.items {
		if size(x.Name, map[string]bool{}) > maxListItems {
			return &Error{Pos: x.Pos, Item: itemName("list", x.Name), Err: errorf("expands to more than %d items", maxListItems)}
		}
	}
	return nil
}
