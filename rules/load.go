package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxFileSize bounds a rules file; Falco's own files are under 200 KiB.
const MaxFileSize = 64 << 20

// maxErrors bounds the errors one Load reports before it stops.
const maxErrors = 20

// Loader reads rules files in order: later files define, append to and override what
// earlier ones defined, as Falco does with several -r options. A Loader is not safe for
// concurrent use.
type Loader struct {
	lists    indexed[*List]
	macros   indexed[*Macro]
	rules    indexed[*Rule]
	skipped  map[string]bool // rules of other sources, by name
	warnings []Warning
	engine   []Requirement
	plugins  []PluginRequirement
	files    []string
}

// NewLoader returns an empty Loader.
func NewLoader() *Loader { return &Loader{skipped: map[string]bool{}} }

// LoadFile reads and loads the rules file at path.
func (l *Loader) LoadFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open rules file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return fmt.Errorf("read rules file %s: %w", path, err)
	}
	if len(data) > MaxFileSize {
		return fmt.Errorf("read rules file %s: larger than %d bytes", path, MaxFileSize)
	}
	return l.Load(path, data)
}

// Load loads one rules file held in data; name is used in messages. Every item of a
// document is checked; the errors found (at most 20) are returned joined, and what came
// before the first bad item stays loaded.
func (l *Loader) Load(name string, data []byte) error {
	l.files = append(l.files, name)
	d := &decoder{file: name, lines: strings.Split(string(data), "\n")}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var errs []error
	for len(errs) < maxErrors {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, yamlSyntaxError(name, data, err))
			break
		}
		errs = l.loadDocument(d, &doc, errs)
	}
	if err := l.checkListSizes(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (l *Loader) loadDocument(d *decoder, doc *yaml.Node, errs []error) []error {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return errs
	}
	top, err := d.deref(doc.Content[0])
	if err != nil {
		return append(errs, &Error{Pos: Pos{File: d.file}, Err: err})
	}
	if top.Kind == yaml.ScalarNode && top.Tag == "!!null" {
		return errs
	}
	if top.Kind != yaml.SequenceNode {
		return append(errs, d.errAt(top, "", "rules file: want a sequence of items (- rule: ..., - macro: ..., - list: ...), got %s", kindName(top)))
	}
	for _, n := range top.Content {
		if err := l.loadItem(d, n); err != nil {
			errs = append(errs, err)
			if len(errs) >= maxErrors {
				break
			}
		}
	}
	return errs
}

func (l *Loader) loadItem(d *decoder, n *yaml.Node) error {
	m, err := d.mapping(n, label(n))
	if err != nil {
		return err
	}
	var kinds []string
	for _, k := range itemKinds {
		if m.has(k) {
			kinds = append(kinds, k)
		}
	}
	switch len(kinds) {
	case 0:
		return d.errAt(m.node, "", "item has none of the keys rule, macro, list, required_engine_version, required_plugin_versions")
	case 1:
	default:
		return d.errAt(m.node, "", "item has more than one of the keys %v", kinds)
	}
	switch kinds[0] {
	case "list":
		return l.loadList(d, m)
	case "macro":
		return l.loadMacro(d, m)
	case "rule":
		return l.loadRule(d, m)
	case "required_engine_version":
		return l.loadEngineVersion(d, m)
	}
	return l.loadPluginVersions(d, m)
}

func (l *Loader) warn(pos Pos, item, format string, args ...any) {
	l.warnings = append(l.warnings, Warning{Pos: pos, Item: item, Message: fmt.Sprintf(format, args...)})
}

// warnUnknownKeys notes keys Falco's schema does not have; Falco warns about them too.
func (l *Loader) warnUnknownKeys(m *mapping, item string, known []string) {
	for _, k := range m.keys {
		if !slices.Contains(known, k) {
			l.warn(m.kpos[k], item, "unknown key %q ignored", k)
		}
	}
}

func (l *Loader) loadEngineVersion(d *decoder, m *mapping) error {
	v, err := d.scalar(m.vals["required_engine_version"], "required_engine_version", "required_engine_version")
	if err != nil {
		return err
	}
	l.engine = append(l.engine, Requirement{Version: v, Pos: m.kpos["required_engine_version"]})
	return nil
}

func (l *Loader) loadPluginVersions(d *decoder, m *mapping) error {
	const item = "required_plugin_versions"
	n, err := d.deref(m.vals[item])
	if err != nil {
		return &Error{Pos: m.kpos[item], Item: item, Err: err}
	}
	if n.Kind != yaml.SequenceNode {
		return d.errAt(n, item, "want a sequence of {name, version}, got %s", kindName(n))
	}
	for _, c := range n.Content {
		p, err := d.plugin(c, true)
		if err != nil {
			return err
		}
		l.plugins = append(l.plugins, p)
	}
	return nil
}

func (d *decoder) plugin(n *yaml.Node, alternatives bool) (PluginRequirement, error) {
	const item = "required_plugin_versions"
	m, err := d.mapping(n, item)
	if err != nil {
		return PluginRequirement{}, err
	}
	p := PluginRequirement{Pos: d.pos(m.node)}
	if p.Name, err = d.scalar(m.vals["name"], item, "name"); err == nil && p.Name == "" {
		err = d.errAt(m.node, item, "missing key \"name\"")
	}
	if err != nil {
		return p, err
	}
	if p.Version, err = d.scalar(m.vals["version"], item, "version"); err == nil && p.Version == "" {
		err = d.errAt(m.node, item, "plugin %q: missing key \"version\"", p.Name)
	}
	if err != nil || !alternatives || !m.has("alternatives") {
		return p, err
	}
	alts, err := d.deref(m.vals["alternatives"])
	if err != nil || alts.Kind != yaml.SequenceNode {
		return p, d.errAt(m.node, item, "plugin %q: alternatives: want a sequence", p.Name)
	}
	for _, a := range alts.Content {
		alt, err := d.plugin(a, false)
		if err != nil {
			return p, err
		}
		p.Alternatives = append(p.Alternatives, alt)
	}
	return p, nil
}

// Ruleset returns what the files loaded so far define. The Ruleset shares nothing with
// the Loader: loading more files later does not change it.
func (l *Loader) Ruleset() *Ruleset {
	rs := &Ruleset{
		Warnings:       slices.Clone(l.warnings),
		EngineVersions: slices.Clone(l.engine),
		Plugins:        slices.Clone(l.plugins),
		Files:          slices.Clone(l.files),
	}
	for _, x := range l.lists.items {
		c := *x
		c.Items = slices.Clone(x.Items)
		rs.Lists = append(rs.Lists, &c)
	}
	for _, x := range l.macros.items {
		c := *x
		rs.Macros = append(rs.Macros, &c)
	}
	for _, x := range l.rules.items {
		rs.Rules = append(rs.Rules, x.clone())
	}
	rs.index()
	return rs
}

// indexed keeps items in definition order; redefining a name replaces the item in
// place, as Falco does.
type indexed[T any] struct {
	items  []T
	byName map[string]int
}

func (x *indexed[T]) get(name string) (T, bool) {
	i, ok := x.byName[name]
	if !ok {
		var zero T
		return zero, false
	}
	return x.items[i], true
}

func (x *indexed[T]) put(name string, v T) {
	if x.byName == nil {
		x.byName = map[string]int{}
	}
	if i, ok := x.byName[name]; ok {
		x.items[i] = v
		return
	}
	x.byName[name] = len(x.items)
	x.items = append(x.items, v)
}
