package rules

import (
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxNodes bounds the YAML nodes one file may make the loader visit, so that aliases
// nested in aliases cannot make a small file expand without end.
const maxNodes = 1 << 21

// itemKinds are the keys that say what a top-level item is.
var itemKinds = []string{"rule", "macro", "list", "required_engine_version", "required_plugin_versions"}

// mapping is a decoded YAML mapping: its values by key and where each key was written.
type mapping struct {
	node *yaml.Node
	keys []string
	vals map[string]*yaml.Node
	kpos map[string]Pos
}

// decoder walks one file's YAML nodes and counts them against maxNodes.
type decoder struct {
	file  string
	lines []string // the file's lines, to map multi-line values back to them
	nodes int
}

func (d *decoder) pos(n *yaml.Node) Pos { return Pos{File: d.file, Line: n.Line, Column: n.Column} }

// deref follows aliases to the node they name.
func (d *decoder) deref(n *yaml.Node) (*yaml.Node, error) {
	if n == nil {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}, nil
	}
	for i := 0; n != nil && n.Kind == yaml.AliasNode; i++ {
		if i == 16 {
			return nil, errors.New("alias chain too long")
		}
		n = n.Alias
	}
	d.nodes++
	if d.nodes > maxNodes {
		return nil, fmt.Errorf("more than %d YAML nodes (aliases expanding without end?)", maxNodes)
	}
	return n, nil
}

func (d *decoder) errAt(n *yaml.Node, item string, format string, args ...any) error {
	return &Error{Pos: d.pos(n), Item: item, Err: fmt.Errorf(format, args...)}
}

// mapping decodes a mapping node, rejecting duplicate keys.
func (d *decoder) mapping(n *yaml.Node, item string) (*mapping, error) {
	n, err := d.deref(n)
	if err != nil {
		return nil, &Error{Pos: Pos{File: d.file}, Item: item, Err: err}
	}
	if n.Kind != yaml.MappingNode {
		return nil, d.errAt(n, item, "want a mapping, got %s", kindName(n))
	}
	m := &mapping{node: n, vals: map[string]*yaml.Node{}, kpos: map[string]Pos{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, err := d.deref(n.Content[i])
		if err != nil {
			return nil, &Error{Pos: d.pos(n), Item: item, Err: err}
		}
		if k.Kind != yaml.ScalarNode {
			return nil, d.errAt(k, item, "want a key, got %s", kindName(k))
		}
		if _, dup := m.vals[k.Value]; dup {
			return nil, d.errAt(k, item, "duplicate key %q", k.Value)
		}
		m.keys = append(m.keys, k.Value)
		m.vals[k.Value] = n.Content[i+1]
		m.kpos[k.Value] = d.pos(k)
	}
	return m, nil
}

// label names an item for messages before it is decoded: `list "a"`, or "item".
func label(n *yaml.Node) string {
	if n.Kind != yaml.MappingNode {
		return "item"
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && v.Kind == yaml.ScalarNode {
			switch k.Value {
			case "rule", "macro", "list":
				return itemName(k.Value, v.Value)
			}
		}
	}
	return "item"
}

func (m *mapping) has(key string) bool { _, ok := m.vals[key]; return ok }

// scalar decodes a scalar value as text; null is the empty string.
func (d *decoder) scalar(n *yaml.Node, item, key string) (string, error) {
	n, err := d.deref(n)
	if err != nil {
		return "", &Error{Pos: Pos{File: d.file}, Item: item, Err: err}
	}
	switch {
	case n.Kind == yaml.ScalarNode && n.Tag == "!!null":
		return "", nil
	case n.Kind == yaml.ScalarNode:
		return n.Value, nil
	}
	return "", d.errAt(n, item, "%s: want a string, got %s", key, kindName(n))
}

// text decodes a condition: a scalar whose position is that of its first character.
// Folded and literal block scalars (> and |) start on the line after their indicator.
func (d *decoder) text(n *yaml.Node, item, key string) (Text, error) {
	s, err := d.scalar(n, item, key)
	if err != nil {
		return Text{}, err
	}
	n, _ = d.deref(n)
	pos := d.pos(n)
	switch n.Style {
	case yaml.FoldedStyle, yaml.LiteralStyle:
		pos.Line++
		pos.Column = 0
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		pos.Column++
	}
	t := textAt(s, pos)
	t.Parts[0].src = scalarMap(d.lines, n)
	return t, nil
}

func (d *decoder) boolean(n *yaml.Node, item, key string) (bool, error) {
	s, err := d.scalar(n, item, key)
	if err != nil {
		return false, err
	}
	switch strings.ToLower(s) {
	case "true", "yes", "on":
		return true, nil
	case "false", "no", "off":
		return false, nil
	}
	nn, _ := d.deref(n)
	return false, d.errAt(nn, item, "%s: want true or false, got %q", key, s)
}

// strings decodes a sequence of scalars; null is an empty sequence.
func (d *decoder) strings(n *yaml.Node, item, key string) ([]string, error) {
	n, err := d.deref(n)
	if err != nil {
		return nil, &Error{Pos: Pos{File: d.file}, Item: item, Err: err}
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, d.errAt(n, item, "%s: want a sequence, got %s", key, kindName(n))
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		c, err := d.deref(c)
		if err != nil {
			return nil, &Error{Pos: d.pos(n), Item: item, Err: err}
		}
		if c.Kind != yaml.ScalarNode {
			return nil, d.errAt(c, item, "%s: want a string item, got %s", key, kindName(c))
		}
		out = append(out, c.Value)
	}
	return out, nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a sequence"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%q", n.Value)
	case yaml.DocumentNode:
		return "a document"
	}
	return "an alias"
}
