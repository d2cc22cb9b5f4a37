package format

import (
	"github.com/syscam/syscam/event"
)

// blockBuilder accumulates events into columns. Write copies each event into the
// builder (that is the copy Writer.Write promises): the fixed fields into one record per
// event, the parameters straight into their columns. A full builder goes to an encoder
// goroutine, which turns the records into the fixed columns (finish), assembles and
// compresses the block, and sends the builder back for reuse with all its memory:
// records, columns, tables and per-type columns keep their capacity across blocks, so
// that a steady stream allocates nothing.
//
// Building the fixed columns later, one column at a time over a cache-sized run of
// records, costs about what appending to eleven columns per event did, but on the
// encoder's goroutine: Write itself does one append of a 40-byte record per event.
type blockBuilder struct {
	count      int
	base, last int64
	recs       []eventRec
	fixed      [numFixed][]byte
	types      []builderType
	typeIdx    map[event.Type]int // types past typeSlot
	typeSlot   []int32            // local index + 1 of each type below 2048
	dict       dictTable
	dictLen    uint32
	size       int // bytes in columns so far (an estimate before finish)

	// Set by finish.
	minTID, maxTID int32
	threads        threadTable
	threadList     []int32     // tid, pid pairs
	lastOnCPU      []lastOnCPU // per CPU, the thread of its last event

	// Filled when the block is handed on.
	kind  byte // kindBlock or kindState
	state int64
}

// eventRec holds the fixed fields of one event until finish encodes them.
type eventRec struct {
	wide     [numWide]uint64 // zigzag time delta, return value and latency
	tid, pid int32
	cpu      uint16
	typ      uint16 // block-local type index
	flags    uint8
	np       uint8 // parameters written
}

// The wide values of an eventRec, each split in a low and a high column.
const (
	wideTime = iota
	wideRet
	wideLat
	numWide
)

type builderType struct {
	typ event.Type
	// classes holds the encoding of each parameter position from the writer's schema
	// (event.Lookup), classUnsigned past its list.
	classes [event.MaxParams]paramClass
	defNP   int    // parameter count of the schema
	count   uint64 // events of this type in the block
	ncols   int    // parameter columns: the most parameters of an event so far
	cols    [][]byte
}

func newBlockBuilder() *blockBuilder {
	return &blockBuilder{
		threads:  newThreadTable(),
		typeIdx:  make(map[event.Type]int),
		dict:     newDictTable(),
		typeSlot: make([]int32, 2048),
	}
}

// reset empties b for the next block, keeping its memory.
func (b *blockBuilder) reset() {
	b.count, b.base, b.last, b.size, b.dictLen, b.state, b.kind = 0, 0, 0, 0, 0, 0, 0
	b.recs = b.recs[:0]
	for i := range b.fixed {
		b.fixed[i] = b.fixed[i][:0]
	}
	clear(b.typeIdx)
	for i := range b.types {
		if t := b.types[i].typ; int(t) < len(b.typeSlot) {
			b.typeSlot[t] = 0
		}
	}
	b.types = b.types[:0]
	b.dict.reset()
}

func zigzag(v int64) uint64 { return uint64(v<<1) ^ uint64(v>>63) }

// add copies e into the builder.
func (b *blockBuilder) add(e *event.Event) {
	if b.count == 0 {
		b.base, b.last = e.Time, e.Time
	}
	ti := b.typeIndex(e.Type)
	np := min(int(e.NParams), event.MaxParams)
	b.recs = append(b.recs, eventRec{
		wide: [numWide]uint64{zigzag(e.Time - b.last), zigzag(e.Ret), zigzag(e.Latency)},
		tid:  e.TID, pid: e.PID, cpu: e.CPU, typ: uint16(ti), flags: e.Flags, np: uint8(np),
	})
	b.last = e.Time
	t := &b.types[ti]
	t.count++
	if np > 0 {
		b.addParams(e, t, np)
	}
	b.count++
	b.size += 12 + np*3
}

// addParams appends the first np parameters of e to t's columns. The common integer
// classes are handled inline; byte classes go through addBytes.
func (b *blockBuilder) addParams(e *event.Event, t *builderType, np int) {
	if np > t.ncols {
		t.widen(np)
	}
	cols := t.cols[:np]
	classes := t.classes[:np]
	for i := range cols {
		switch classes[i] {
		case classUnsigned:
			cols[i] = appendUvarint(cols[i], e.Params[i].Val)
		case classSigned:
			cols[i] = appendVarint(cols[i], int64(e.Params[i].Val))
		default:
			cols[i] = b.addBytes(cols[i], e, i, classes[i])
		}
	}
}

// addBytes encodes byte parameter i of e, of class c, and returns its column.
func (b *blockBuilder) addBytes(col []byte, e *event.Event, i int, c paramClass) []byte {
	s := e.Bytes(i)
	if c == classString {
		col = appendUvarint(col, uint64(b.ref(s)))
	} else {
		col = appendUvarint(col, uint64(len(s)))
		b.fixed[colData] = append(b.fixed[colData], s...)
		b.size += len(s)
	}
	b.fixed[colOrig] = appendVarint(b.fixed[colOrig], int64(e.Params[i].Orig)-int64(len(s)))
	return col
}

// widen makes t hold np parameter columns, reusing the memory of earlier blocks.
func (t *builderType) widen(np int) {
	for len(t.cols) < np {
		t.cols = append(t.cols, nil)
	}
	t.ncols = np
}

// ref returns the dictionary reference for s, adding it as a literal when new.
func (b *blockBuilder) ref(s []byte) uint32 {
	lit := b.fixed[colLit]
	if len(s) <= maxDictLiteral {
		h := b.dict.hash(s)
		id, slot, ok := b.dict.find(s, lit, h)
		if ok {
			return id + 1
		}
		lit = appendUvarint(lit, uint64(len(s)))
		b.dict.insert(slot, h, uint32(len(lit)), uint32(len(s)), b.dictLen)
	} else {
		lit = appendUvarint(lit, uint64(len(s)))
	}
	b.fixed[colLit] = append(lit, s...)
	b.dictLen++
	b.size += len(s)
	return 0
}

// typeIndex returns the block-local index of typ, adding it on first use.
func (b *blockBuilder) typeIndex(typ event.Type) int {
	if int(typ) < len(b.typeSlot) {
		if s := b.typeSlot[typ]; s != 0 {
			return int(s - 1)
		}
	} else if i, ok := b.typeIdx[typ]; ok {
		return i
	}
	return b.newType(typ)
}

// newType adds typ to the block's types, reusing the columns of a type of an earlier
// block, and returns its index.
func (b *blockBuilder) newType(typ event.Type) int {
	i := len(b.types)
	if int(typ) < len(b.typeSlot) {
		b.typeSlot[typ] = int32(i + 1)
	} else {
		b.typeIdx[typ] = i
	}
	if i < cap(b.types) {
		b.types = b.types[:i+1]
	} else {
		b.types = append(b.types, builderType{})
	}
	t := &b.types[i]
	t.typ, t.count, t.ncols = typ, 0, 0
	for j := range t.cols {
		t.cols[j] = t.cols[j][:0]
	}
	params := writtenParams(typ)
	for j := range t.classes {
		t.classes[j] = classUnsigned
		if j < len(params) {
			t.classes[j] = classOf(params[j].Kind)
		}
	}
	t.defNP = min(len(params), maxColumnsPerType)
	return i
}

// typeCounts returns how many events of each type the block holds.
func (b *blockBuilder) typeCounts() map[event.Type]uint64 {
	m := make(map[event.Type]uint64, len(b.types))
	for i := range b.types {
		m[b.types[i].typ] = b.types[i].count
	}
	return m
}

// typeList returns the event types in the block, in increasing order.
func (b *blockBuilder) typeList() []event.Type {
	s := &typeSet{}
	for i := range b.types {
		s.add(b.types[i].typ)
	}
	return s.list()
}

// writtenParams returns the parameters of typ as the writer's header schema lists them
// (CurrentSchema): none for generic syscalls and unknown types, whose parameters are
// all integers.
func writtenParams(typ event.Type) []event.ParamInfo {
	in := event.Lookup(typ)
	if !event.Known(typ) || in.Flags&event.Generic != 0 {
		return nil
	}
	return in.Params
}
