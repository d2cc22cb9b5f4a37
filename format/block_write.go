package format

import (
	"math"

	"github.com/syscam/syscam/event"
)

// blockBuilder accumulates events into columns. Write encodes each event straight into
// the columns (that is the copy Writer.Write promises); a full builder goes to an
// encoder goroutine, which assembles and compresses it, and comes back for reuse.
type blockBuilder struct {
	count      int
	base, last int64
	minTID     int32
	maxTID     int32
	fixed      [numFixed][]byte
	threads    map[uint64]uint32
	threadList []int32            // tid, pid pairs
	typeIdx    map[event.Type]int // types past typeSlot
	typeSlot   []int32            // local index + 1 of each type below 2048
	lastOnCPU  []uint32           // thread index + 1 of the last event per CPU
	types      []builderType
	dict       map[string]uint32
	dictLen    uint32
	size       int // bytes in columns so far

	// Filled when the block is handed on.
	kind  byte // kindBlock or kindState
	state int64
}

type builderType struct {
	typ     event.Type
	classes []paramClass // from the writer's schema (event.Lookup)
	defNP   int          // parameter count of the schema
	count   uint64       // events of this type in the block
	cols    [][]byte
}

func newBlockBuilder() *blockBuilder {
	return &blockBuilder{
		threads:  make(map[uint64]uint32),
		typeIdx:  make(map[event.Type]int),
		dict:     make(map[string]uint32),
		typeSlot: make([]int32, 2048),
	}
}

// reset empties b for the next block, keeping its memory.
func (b *blockBuilder) reset() {
	b.count, b.base, b.last, b.size, b.dictLen, b.state, b.kind = 0, 0, 0, 0, 0, 0, 0
	b.minTID, b.maxTID = math.MaxInt32, math.MinInt32
	for i := range b.fixed {
		b.fixed[i] = b.fixed[i][:0]
	}
	clear(b.threads)
	b.threadList = b.threadList[:0]
	clear(b.typeIdx)
	for i := range b.types {
		if t := b.types[i].typ; int(t) < len(b.typeSlot) {
			b.typeSlot[t] = 0
		}
	}
	b.types = b.types[:0]
	clear(b.lastOnCPU)
	clear(b.dict)
}

// add encodes e into the columns.
func (b *blockBuilder) add(e *event.Event) {
	if b.count == 0 {
		b.base, b.last = e.Time, e.Time
	}
	b.split(colTimeLo, e.Time-b.last)
	b.last = e.Time
	b.fixed[colThread] = appendUvarint(b.fixed[colThread], uint64(b.thread(e.CPU, e.TID, e.PID)))
	b.fixed[colCPU] = appendUvarint(b.fixed[colCPU], uint64(e.CPU))
	ti := b.typeIndex(e.Type)
	b.fixed[colType] = appendUvarint(b.fixed[colType], uint64(ti))
	b.split(colRetLo, e.Ret)
	b.split(colLatLo, e.Latency)
	np := min(int(e.NParams), event.MaxParams)
	t := &b.types[ti]
	t.count++
	b.fixed[colFlags] = append(b.fixed[colFlags], e.Flags)
	b.fixed[colNParams] = appendVarint(b.fixed[colNParams], int64(np-t.defNP))
	for len(t.cols) < np {
		t.cols = append(t.cols, nil)
	}
	for i := 0; i < np; i++ {
		b.addParam(e, t, i)
	}
	b.count++
	b.size += 12 + np*3
}

// split appends v zigzag-encoded to the lo and hi columns starting at col.
func (b *blockBuilder) split(col int, v int64) {
	u := uint64(v<<1) ^ uint64(v>>63)
	b.fixed[col] = append(b.fixed[col], byte(u))
	b.fixed[col+1] = appendUvarint(b.fixed[col+1], u>>8)
}

func (b *blockBuilder) addParam(e *event.Event, t *builderType, i int) {
	c := classUnsigned
	if i < len(t.classes) {
		c = t.classes[i]
	}
	p := &e.Params[i]
	switch c {
	case classUnsigned:
		t.cols[i] = appendUvarint(t.cols[i], p.Val)
	case classSigned:
		t.cols[i] = appendVarint(t.cols[i], int64(p.Val))
	case classString:
		s := e.Bytes(i)
		t.cols[i] = appendUvarint(t.cols[i], uint64(b.ref(s)))
		b.fixed[colOrig] = appendVarint(b.fixed[colOrig], int64(p.Orig)-int64(len(s)))
	case classBuffer:
		s := e.Bytes(i)
		t.cols[i] = appendUvarint(t.cols[i], uint64(len(s)))
		b.fixed[colData] = append(b.fixed[colData], s...)
		b.fixed[colOrig] = appendVarint(b.fixed[colOrig], int64(p.Orig)-int64(len(s)))
		b.size += len(s)
	}
}

// ref returns the dictionary reference for s, adding it as a literal when new.
func (b *blockBuilder) ref(s []byte) uint32 {
	if len(s) <= maxDictLiteral {
		if id, ok := b.dict[string(s)]; ok {
			return id + 1
		}
		b.dict[string(s)] = b.dictLen
	}
	b.dictLen++
	b.fixed[colLit] = appendUvarint(b.fixed[colLit], uint64(len(s)))
	b.fixed[colLit] = append(b.fixed[colLit], s...)
	b.size += len(s)
	return 0
}

// thread returns the thread column's value for an event of tid on cpu.
func (b *blockBuilder) thread(cpu uint16, tid, pid int32) uint32 {
	for int(cpu) >= len(b.lastOnCPU) {
		b.lastOnCPU = append(b.lastOnCPU, 0)
	}
	if last := b.lastOnCPU[cpu]; last != 0 && b.threadList[2*last-2] == tid && b.threadList[2*last-1] == pid {
		return 0
	}
	key := uint64(uint32(tid))<<32 | uint64(uint32(pid))
	i, ok := b.threads[key]
	if !ok {
		i = uint32(len(b.threadList)/2) + 1
		b.threads[key] = i
		b.threadList = append(b.threadList, tid, pid)
		b.minTID, b.maxTID = min(b.minTID, tid), max(b.maxTID, tid)
	}
	b.lastOnCPU[cpu] = i
	return i
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
	i := len(b.types)
	if int(typ) < len(b.typeSlot) {
		b.typeSlot[typ] = int32(i + 1)
	} else {
		b.typeIdx[typ] = i
	}
	if i < cap(b.types) {
		b.types = b.types[:i+1]
		t := &b.types[i]
		t.typ, t.classes, t.count = typ, t.classes[:0], 0
		for j := range t.cols {
			t.cols[j] = t.cols[j][:0]
		}
		t.cols = t.cols[:0]
	} else {
		b.types = append(b.types, builderType{typ: typ})
	}
	t := &b.types[i]
	params := writtenParams(typ)
	for _, p := range params {
		t.classes = append(t.classes, classOf(p.Kind))
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

// appendRaw appends the block's uncompressed payload to dst.
func (b *blockBuilder) appendRaw(dst []byte) []byte {
	dst = appendVarint(dst, b.base)
	dst = appendUvarint(dst, uint64(len(b.threadList)/2))
	var prev int32
	for i := 0; i < len(b.threadList); i += 2 {
		tid, pid := b.threadList[i], b.threadList[i+1]
		dst = appendVarint(dst, int64(tid)-int64(prev))
		dst = appendVarint(dst, int64(pid)-int64(tid))
		prev = tid
	}
	dst = appendUvarint(dst, uint64(len(b.types)))
	for i := range b.types {
		dst = appendUvarint(dst, uint64(b.types[i].typ))
		dst = appendUvarint(dst, uint64(len(b.types[i].cols)))
	}
	dst = appendUvarint(dst, uint64(b.count))
	for i := range b.fixed {
		dst = appendUvarint(dst, uint64(len(b.fixed[i])))
	}
	for i := range b.types {
		for _, c := range b.types[i].cols {
			dst = appendUvarint(dst, uint64(len(c)))
		}
	}
	for i := range b.fixed {
		dst = append(dst, b.fixed[i]...)
	}
	for i := range b.types {
		for _, c := range b.types[i].cols {
			dst = append(dst, c...)
		}
	}
	return dst
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
