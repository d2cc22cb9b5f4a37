package format

import (
	"math"
	"slices"
)

// finishRun is how many records finish encodes one column at a time before moving to
// the next run: 256 records (10 KiB) stay in the L1 cache while each of the fixed
// columns reads them.
const finishRun = 256

// lastOnCPU is the thread of the last event on a CPU; v is its thread column value
// (1 + index in the thread list), 0 when the CPU has no event yet.
type lastOnCPU struct {
	tid, pid int32
	v        uint32
}

// finish encodes the records into the fixed columns (all but orig, lit and data,
// which add fills) and builds the thread table. It runs on an encoder goroutine.
func (b *blockBuilder) finish() {
	for c := range colOrig {
		b.fixed[c] = slices.Grow(b.fixed[c][:0], len(b.recs))
	}
	b.threads.reset()
	b.threadList = b.threadList[:0]
	clear(b.lastOnCPU)
	b.minTID, b.maxTID = math.MaxInt32, math.MinInt32
	for start := 0; start < len(b.recs); start += finishRun {
		run := b.recs[start:min(start+finishRun, len(b.recs))]
		b.finishRun(run)
	}
}

func (b *blockBuilder) finishRun(run []eventRec) {
	f := &b.fixed
	f[colTimeLo], f[colTimeHi] = appendSplitColumn(f[colTimeLo], f[colTimeHi], run, wideTime)
	f[colRetLo], f[colRetHi] = appendSplitColumn(f[colRetLo], f[colRetHi], run, wideRet)
	f[colLatLo], f[colLatHi] = appendSplitColumn(f[colLatLo], f[colLatHi], run, wideLat)
	f[colThread] = b.appendThreads(f[colThread], run)
	f[colCPU], f[colType] = appendCPUsAndTypes(f[colCPU], f[colType], run)
	f[colFlags], f[colNParams] = b.appendFlagsAndCounts(f[colFlags], f[colNParams], run)
}

// appendSplitColumn appends wide value k of each record to a low-byte and a high
// column.
func appendSplitColumn(lo, hi []byte, run []eventRec, k int) ([]byte, []byte) {
	for i := range run {
		u := run[i].wide[k]
		lo = append(lo, byte(u))
		hi = appendUvarint(hi, u>>8)
	}
	return lo, hi
}

func appendCPUsAndTypes(cpus, types []byte, run []eventRec) ([]byte, []byte) {
	for i := range run {
		cpus = appendUvarint(cpus, uint64(run[i].cpu))
		types = appendUvarint(types, uint64(run[i].typ))
	}
	return cpus, types
}

func (b *blockBuilder) appendFlagsAndCounts(flags, counts []byte, run []eventRec) ([]byte, []byte) {
	for i := range run {
		flags = append(flags, run[i].flags)
		counts = appendVarint(counts, int64(run[i].np)-int64(b.types[run[i].typ].defNP))
	}
	return flags, counts
}

// appendThreads appends the thread column's value of each record: 0 for the thread of
// the previous event on the same CPU, else 1 + its index in the thread list.
func (b *blockBuilder) appendThreads(col []byte, run []eventRec) []byte {
	for i := range run {
		r := &run[i]
		if int(r.cpu) >= len(b.lastOnCPU) {
			b.lastOnCPU = append(b.lastOnCPU, make([]lastOnCPU, int(r.cpu)+1-len(b.lastOnCPU))...)
		}
		last := &b.lastOnCPU[r.cpu]
		if last.v != 0 && last.tid == r.tid && last.pid == r.pid {
			col = append(col, 0)
			continue
		}
		v := b.threadIndex(r.tid, r.pid)
		*last = lastOnCPU{tid: r.tid, pid: r.pid, v: v}
		col = appendUvarint(col, uint64(v))
	}
	return col
}

// threadIndex returns 1 + the index of (tid, pid) in the thread list, adding it.
func (b *blockBuilder) threadIndex(tid, pid int32) uint32 {
	v, slot := b.threads.find(b.threadList, tid, pid)
	if v == 0 {
		b.threadList = append(b.threadList, tid, pid)
		v = uint32(len(b.threadList) / 2)
		b.threads.insert(b.threadList, slot, v)
		b.minTID, b.maxTID = min(b.minTID, tid), max(b.maxTID, tid)
	}
	return v
}

// appendRaw finishes the block and appends its uncompressed payload to dst.
func (b *blockBuilder) appendRaw(dst []byte) []byte {
	b.finish()
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
