package format

import "github.com/syscam/syscam/event"

// A block's payload, before compression, is a columnar encoding of its events:
//
//	varint   base time (zigzag, ns)
//	uvarint  thread count T, then T × (zigzag tid − previous tid, zigzag pid − tid)
//	uvarint  type count K, then K × (uvarint event type, uvarint parameter columns P)
//	uvarint  event count N
//	uvarint  length of each column, fixed columns first, then each type's P columns
//	bytes    the columns, back to back
//
// Fixed columns, one entry per event unless said. Wide numbers (time deltas, return
// values, latencies) are split in two columns: the low byte, nearly random, and the
// rest as a uvarint, small and skewed, which zstd's entropy stage compresses well once
// it is not interleaved with the random bytes. A split value v is lo | hi<<8.
//
//	time lo, hi     zigzag delta from the previous event (the first from the base time)
//	thread          uvarint: 0 for the thread of the previous event on the same CPU,
//	                else 1 + index in the thread table (tid and pid together)
//	cpu             uvarint
//	type            uvarint index in the type table (block-local)
//	ret lo, hi      zigzag
//	latency lo, hi  zigzag
//	flags           one byte
//	nparams         zigzag (parameter count − the schema's parameter count)
//	orig            zigzag (original length − kept length), one per byte parameter
//	lit             string literals: uvarint length, bytes
//	data            I/O buffers (kind bytes), back to back
//
// Parameter columns, one per (type, parameter position), one entry per event of that
// type holding the parameter: integer kinds as uvarint (unsigned) or zigzag (signed);
// kind bytes as its uvarint length (bytes in data); paths, strings, string lists and
// socket addresses as a uvarint reference into the block's string dictionary: 0 means
// "a new literal, next in lit, which becomes entry D", k > 0 means entry k−1. Every
// literal enters the dictionary, so reader and writer agree on numbering without
// storing it. Parameters past the schema's list are integers.
//
// Parameter kinds come from the file header's schema, never from the reader's own
// table, so a file stays readable after the table changes.

// Fixed column indexes. Frozen for encodingColumnar1.
const (
	colTimeLo = iota
	colTimeHi
	colThread
	colCPU
	colType
	colRetLo
	colRetHi
	colLatLo
	colLatHi
	colFlags
	colNParams
	colOrig
	colLit
	colData
	numFixed
)

// maxCPU bounds the per-CPU table a decoder keeps (cpu is 16 bits).
const maxCPU = 1 << 16

// Limits on what a block may declare, checked before allocating.
const (
	maxBlockRaw       = 64 << 20 // decompressed payload
	maxBlockStored    = 64 << 20 // compressed payload
	maxBlockEvents    = 1 << 24
	maxColumnsPerType = 255 // nparams is one byte
	maxDictLiteral    = 512 // longer strings are stored but not looked up for reuse
)

// paramClass is how a parameter kind is encoded in a block.
type paramClass uint8

const (
	classUnsigned paramClass = iota
	classSigned
	classString // dictionary reference
	classBuffer // length, bytes in the data column
)

// classOf maps a kind to its encoding. The mapping is part of encodingColumnar1 and
// frozen: it is spelled out here rather than taken from event.Kind's methods, which may
// change. Kinds unknown to this version decode as unsigned integers.
func classOf(k event.Kind) paramClass {
	switch k {
	case event.KindPath, event.KindString, event.KindSockAddr, event.KindStrings:
		return classString
	case event.KindBytes, event.KindDigest:
		// A digest was a bytes parameter before it had a kind of its own: the same
		// class keeps it readable in files written then.
		return classBuffer
	case event.KindInt, event.KindFD, event.KindPID, event.KindDuration, event.KindTime, event.KindErrno:
		return classSigned
	}
	return classUnsigned
}
