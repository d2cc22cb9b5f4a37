package format

import "github.com/syscam/syscam/event"

// schemaMap says, for each event type of a file, how to decode its parameters (the
// file's kinds) and where to put them in an Event of this build's table (by name).
type schemaMap struct {
	byType map[event.Type]*typeMapping
}

type typeMapping struct {
	typ     event.Type   // the type in this build's table
	classes []paramClass // encoding of each parameter, from the file's kinds
	dst     []int8       // index in this build's parameter list; -1: no such parameter
	defNP   int          // parameter count of the file's schema (capped)
}

// newSchemaMap compares the file's schema with event.Lookup. A type whose parameters
// match by position, name and kind decodes straight; otherwise each parameter goes to
// the current parameter of the same name and encoding, and is dropped when there is
// none. A type the current table does not know keeps its parameters in place.
func newSchemaMap(schema []TypeSchema) *schemaMap {
	sm := &schemaMap{byType: make(map[event.Type]*typeMapping, len(schema))}
	for i := range schema {
		ts := &schema[i]
		sm.byType[ts.Type] = mapType(ts)
	}
	for _, in := range event.All() {
		if _, ok := sm.byType[in.Type]; !ok {
			sm.byType[in.Type] = sm.generic(in.Type)
		}
	}
	return sm
}

func mapType(ts *TypeSchema) *typeMapping {
	m := &typeMapping{typ: ts.Type}
	cur := event.Lookup(ts.Type)
	if cur.Name != ts.Name {
		if t, ok := event.ByName(ts.Name); ok {
			m.typ, cur = t, event.Lookup(t)
		} else {
			cur = nil
		}
	}
	n := min(len(ts.Params), maxColumnsPerType)
	m.defNP = n
	m.classes = make([]paramClass, n)
	m.dst = make([]int8, n)
	for i := 0; i < n; i++ {
		p := ts.Params[i]
		m.classes[i] = classOf(p.Kind)
		m.dst[i] = int8(min(i, event.MaxParams))
		if i >= event.MaxParams {
			m.dst[i] = -1
			continue
		}
		if cur == nil || !event.Known(m.typ) {
			continue
		}
		j := cur.ParamIndex(p.Name)
		if j < 0 || classOf(cur.Params[j].Kind) != m.classes[i] {
			j = -1
		}
		m.dst[i] = int8(j)
	}
	return m
}

func (sm *schemaMap) lookup(t event.Type) *typeMapping {
	if m, ok := sm.byType[t]; ok {
		return m
	}
	// Not in the file's schema: the writer recorded raw arguments (integers). They
	// keep their place, unless this build decodes the type with byte parameters there.
	return sm.generic(t)
}

func (sm *schemaMap) generic(t event.Type) *typeMapping {
	m := &typeMapping{typ: t}
	in := event.Lookup(t)
	if !event.Known(t) || in.Flags&event.Generic != 0 {
		return m
	}
	m.dst = make([]int8, event.MaxParams)
	for i := range m.dst {
		m.dst[i] = int8(i)
		if in.ParamKind(i).IsBytes() {
			m.dst[i] = -1
		}
	}
	return m
}

// spec returns how to decode parameter column k and where its value goes.
func (m *typeMapping) spec(k int) paramSpec {
	sp := paramSpec{class: classUnsigned, dst: -1}
	if k < len(m.classes) {
		sp.class = m.classes[k]
	}
	switch {
	case k < len(m.dst):
		sp.dst = m.dst[k]
	case k < event.MaxParams:
		sp.dst = int8(k)
	}
	return sp
}
