package format

import (
	"encoding/binary"
	"math"

	"github.com/syscam/syscam/event"
)

// blockBuilder accumulates events into columns. Write encodes each event straight into
// the columns (that is the copy Writer.Write promises); a full builder goes to an
// encoder goroutine, which assembles and compresses it, and comes back for reuse with
// all its memory: columns, tables and per-type columns keep their capacity across
// blocks, so that a steady stream allocates nothing.
type blockBuilder struct {
	count      int
	base, last int64
	minTID     int32
	maxTID     int32
	fixed      [numFixed][]byte
	threads    threadTable
	threadList []int32            // tid, pid pairs
	typeIdx    map[event.Type]int // types past typeSlot
	typeSlot   [typeSlots]int32   // local index + 1 of each type below typeSlots
	lastOnCPU  []lastOnCPU        // per CPU, the thread of its last event
	types      []builderType
	dict       dictTable
	dictLen    uint32
	size       int // bytes in columns so far

	// Encoding 2 only: the plane columns' values, laid out in planes by appendRaw.
	enc byte
	p2  [numPlanes2][]uint64
	// The memory of each event type's columns, kept by type across blocks: a type's
	// columns vary in size with its share of the mix, which the block-local index
	// that holds them in types does not follow.
	stores map[event.Type]*typeStore
	cols   [][]uint64 // appendRaw2's list of the block's plane columns
	widths []int      // and their widths

	// Filled when the block is handed on.
	kind  byte // kindBlock or kindState
	state int64
}

type builderType struct {
	typ event.Type
	// classes holds the encoding of each parameter position from the writer's schema
	// (event.Lookup), classUnsigned past its list.
	classes [event.MaxParams]paramClass
	defNP   int    // parameter count of the schema
	count   uint64 // events of this type in the block
	ncols   int    // parameter columns: the most parameters of an event so far
	cols    [][]byte
	vals    [][]uint64 // encoding 2: one value per event of the type and column
	ret     []uint64   // encoding 2: the return values of the type's events
}

// typeStore keeps an event type's encoding 2 columns between blocks.
type typeStore struct {
	vals [][]uint64
	ret  []uint64
}

// typeSlots is how many event types (from 0) the builder finds by array index; the
// table's types are all below it, others go through a map.
const typeSlots = 2048

func newBlockBuilder(enc byte) *blockBuilder {
	return &blockBuilder{
		enc:     enc,
		threads: newThreadTable(),
		typeIdx: make(map[event.Type]int),
		dict:    newDictTable(),
	}
}

// reset empties b for the next block, keeping its memory.
func (b *blockBuilder) reset() {
	b.count, b.base, b.last, b.size, b.dictLen, b.state, b.kind = 0, 0, 0, 0, 0, 0, 0
	b.minTID, b.maxTID = math.MaxInt32, math.MinInt32
	for i := range b.fixed {
		b.fixed[i] = b.fixed[i][:0]
	}
	for i := range b.p2 {
		b.p2[i] = b.p2[i][:0]
	}
	b.threads.reset()
	b.threadList = b.threadList[:0]
	clear(b.typeIdx)
	for i := range b.types {
		if t := b.types[i].typ; t < typeSlots {
			b.typeSlot[t] = 0
		}
	}
	if b.enc == encodingPlanes {
		for i := range b.types {
			b.keepStore(&b.types[i])
		}
	}
	b.types = b.types[:0]
	clear(b.lastOnCPU)
	b.dict.reset()
}

// add encodes e into the columns.
func (b *blockBuilder) add(e *event.Event) {
	if b.enc == encodingPlanes {
		b.add2(e)
		return
	}
	if b.count == 0 {
		b.base, b.last = e.Time, e.Time
	}
	f := &b.fixed
	appendSplit(&f[colTimeLo], &f[colTimeHi], e.Time-b.last)
	b.last = e.Time
	// The common cases, a thread that ran the CPU's previous event and a type the
	// block has seen, are tested inline; the calls handle the rest.
	var th uint32
	if !b.sameThread(e.CPU, threadKey(e.TID, e.PID)) {
		th = b.switchThread(e.CPU, e.TID, e.PID)
	}
	pushUvarint(&f[colThread], uint64(th))
	pushUvarint(&f[colCPU], uint64(e.CPU))
	ti := int(b.typeSlotOf(e.Type)) - 1
	if ti < 0 {
		ti = b.typeIndex(e.Type)
	}
	pushUvarint(&f[colType], uint64(ti))
	appendSplit(&f[colRetLo], &f[colRetHi], e.Ret)
	appendSplit(&f[colLatLo], &f[colLatHi], e.Latency)
	f[colFlags] = append(f[colFlags], e.Flags)
	np := min(int(e.NParams), event.MaxParams)
	t := &b.types[ti]
	t.count++
	pushUvarint(&f[colNParams], zigzag(int64(np-t.defNP)))
	if np > 0 {
		b.addParams(e, t, np)
	}
	b.count++
	b.size += 12 + np*3
}

// pushUvarint appends v to *c as a uvarint. Unlike c = appendUvarint(c, v), the
// one-byte case compiles to an append in place, which stores only the new length:
// no pointer store with its write-barrier check, per column entry.
func pushUvarint(c *[]byte, v uint64) {
	if v < 0x80 {
		*c = append(*c, byte(v))
		return
	}
	*c = binary.AppendUvarint(*c, v)
}

func zigzag(v int64) uint64 { return uint64(v<<1) ^ uint64(v>>63) }

// appendSplit appends v zigzag-encoded to a low-byte and a high column.
func appendSplit(lo, hi *[]byte, v int64) {
	u := zigzag(v)
	*lo = append(*lo, byte(u))
	pushUvarint(hi, u>>8)
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
			pushUvarint(&cols[i], e.Params[i].Val)
		case classSigned:
			pushUvarint(&cols[i], zigzag(int64(e.Params[i].Val)))
		default:
			b.addBytes(&cols[i], e, i, classes[i])
		}
	}
}

// addBytes encodes byte parameter i of e, of class c, into its column col.
func (b *blockBuilder) addBytes(col *[]byte, e *event.Event, i int, c paramClass) {
	s := e.Bytes(i)
	if c == classString {
		pushUvarint(col, uint64(b.ref(s)))
	} else {
		pushUvarint(col, uint64(len(s)))
		b.fixed[colData] = append(b.fixed[colData], s...)
		b.size += len(s)
	}
	pushUvarint(&b.fixed[colOrig], zigzag(int64(e.Params[i].Orig)-int64(len(s))))
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

// lastOnCPU is the thread of the last event on a CPU; v is its thread column value
// (1 + index in the thread list), 0 when the CPU has had no event yet.
type lastOnCPU struct {
	key uint64 // threadKey(tid, pid)
	v   uint32
}

func threadKey(tid, pid int32) uint64 { return uint64(uint32(tid))<<32 | uint64(uint32(pid)) }

// sameThread reports whether the thread of key ran the previous event on cpu, for
// which the thread column holds 0.
func (b *blockBuilder) sameThread(cpu uint16, key uint64) bool {
	return int(cpu) < len(b.lastOnCPU) && b.lastOnCPU[cpu].key == key && b.lastOnCPU[cpu].v != 0
}

// switchThread records tid as the thread running on cpu and returns its thread column
// value: 1 + its index in the thread list, which it joins if new.
func (b *blockBuilder) switchThread(cpu uint16, tid, pid int32) uint32 {
	if int(cpu) >= len(b.lastOnCPU) {
		b.lastOnCPU = append(b.lastOnCPU, make([]lastOnCPU, int(cpu)+1-len(b.lastOnCPU))...)
	}
	last := &b.lastOnCPU[cpu]
	i, slot := b.threads.find(b.threadList, tid, pid)
	if i == 0 {
		b.threadList = append(b.threadList, tid, pid)
		i = uint32(len(b.threadList) / 2)
		b.threads.insert(b.threadList, slot, i)
		b.minTID, b.maxTID = min(b.minTID, tid), max(b.maxTID, tid)
	}
	*last = lastOnCPU{key: threadKey(tid, pid), v: i}
	return i
}

// typeSlotOf returns 1 + the block-local index of typ when it is below typeSlots and
// already in the block, else 0.
func (b *blockBuilder) typeSlotOf(typ event.Type) int32 {
	if typ < typeSlots {
		return b.typeSlot[typ]
	}
	return 0
}

// typeIndex returns the block-local index of typ, adding it on first use.
func (b *blockBuilder) typeIndex(typ event.Type) int {
	if s := b.typeSlotOf(typ); s != 0 {
		return int(s - 1)
	}
	if typ >= typeSlots {
		if i, ok := b.typeIdx[typ]; ok {
			return i
		}
	}
	return b.newType(typ)
}

// newType adds typ to the block's types, reusing the columns of a type of an earlier
// block, and returns its index.
func (b *blockBuilder) newType(typ event.Type) int {
	i := len(b.types)
	if typ < typeSlots {
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
	if b.enc == encodingPlanes {
		// The slot's columns from an earlier block may now be another type's: only
		// takeStore replaces them, without writing through them.
		b.takeStore(t)
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

// appendRaw appends the block's uncompressed payload to dst.
func (b *blockBuilder) appendRaw(dst []byte) []byte {
	if b.enc == encodingPlanes {
		return b.appendRaw2(dst)
	}
	dst = b.appendHead(dst)
	dst = appendUvarint(dst, uint64(len(b.types)))
	for i := range b.types {
		dst = appendUvarint(dst, uint64(b.types[i].typ))
		dst = appendUvarint(dst, uint64(b.types[i].ncols))
	}
	dst = appendUvarint(dst, uint64(b.count))
	for i := range b.fixed {
		dst = appendUvarint(dst, uint64(len(b.fixed[i])))
	}
	for i := range b.types {
		for _, c := range b.types[i].cols[:b.types[i].ncols] {
			dst = appendUvarint(dst, uint64(len(c)))
		}
	}
	for i := range b.fixed {
		dst = append(dst, b.fixed[i]...)
	}
	for i := range b.types {
		for _, c := range b.types[i].cols[:b.types[i].ncols] {
			dst = append(dst, c...)
		}
	}
	return dst
}

// appendHead appends what both encodings start with: the base time and the thread
// table.
func (b *blockBuilder) appendHead(dst []byte) []byte {
	dst = appendVarint(dst, b.base)
	dst = appendUvarint(dst, uint64(len(b.threadList)/2))
	var prev int32
	for i := 0; i < len(b.threadList); i += 2 {
		tid, pid := b.threadList[i], b.threadList[i+1]
		dst = appendVarint(dst, int64(tid)-int64(prev))
		dst = appendVarint(dst, int64(pid)-int64(tid))
		prev = tid
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
