package format

import (
	"encoding/binary"

	"github.com/syscam/syscam/event"
)

// fixedFields are a block's fixed columns decoded whole, one entry per event. Bulk
// decoding in tight loops costs far less than reading each column per event, and it
// happens in the reader's worker goroutines, beside decompression.
type fixedFields struct {
	time, ret, lat []int64
	tid, pid       []int32
	cpu            []uint16
	typ            []uint16 // block-local type index
	flags          []uint8
	np             []uint8
}

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// decodeFixed fills d.f from the fixed columns, checking every value and that each
// column holds exactly one entry per event.
func (d *blockDecoder) decodeFixed() error {
	f, n := &d.f, d.n
	f.time, f.ret, f.lat = resize(f.time, n), resize(f.ret, n), resize(f.lat, n)
	f.tid, f.pid, f.cpu = resize(f.tid, n), resize(f.pid, n), resize(f.cpu, n)
	f.typ, f.np = resize(f.typ, n), resize(f.np, n)
	for _, c := range []struct {
		name   string
		lo, hi int
		out    []int64
	}{{"time", colTimeLo, colTimeHi, f.time}, {"ret", colRetLo, colRetHi, f.ret}, {"latency", colLatLo, colLatHi, f.lat}} {
		if !splitColumn(d.fixed[c.lo].b, d.fixed[c.hi].b, c.out) {
			return corruptf("%s column does not hold %d values", c.name, n)
		}
	}
	t := d.time
	for i, dt := range f.time {
		t += dt
		f.time[i] = t
	}
	if len(d.fixed[colFlags].b) != n {
		return corruptf("flags column holds %d bytes for %d events", len(d.fixed[colFlags].b), n)
	}
	f.flags = d.fixed[colFlags].b
	if err := d.decodeCPUThreads(); err != nil {
		return err
	}
	return d.decodeTypes()
}

// splitColumn decodes len(out) zigzag values split in lo bytes and hi uvarints.
func splitColumn(lo, hi []byte, out []int64) bool {
	if len(lo) != len(out) {
		return false
	}
	p := 0
	for i := range out {
		var h uint64
		if p < len(hi) && hi[p] < 0x80 {
			h = uint64(hi[p])
			p++
		} else {
			h, p = uvarintAt(hi, p)
		}
		u := uint64(lo[i]) | h<<8
		out[i] = int64(u>>1) ^ -int64(u&1)
	}
	return p == len(hi)
}

// uvarintAt reads a uvarint at b[p:]; on error the position is past the end.
func uvarintAt(b []byte, p int) (uint64, int) {
	if p >= len(b) {
		return 0, len(b) + 1
	}
	v, n := binary.Uvarint(b[p:])
	if n <= 0 {
		return 0, len(b) + 1
	}
	return v, p + n
}

// uvarints decodes len(out) uvarints of b, each at most limit.
func uvarints(b []byte, out []uint64, limit uint64) bool {
	p := 0
	for i := range out {
		var v uint64
		if p < len(b) && b[p] < 0x80 {
			v = uint64(b[p])
			p++
		} else {
			v, p = uvarintAt(b, p)
		}
		if v > limit {
			return false
		}
		out[i] = v
	}
	return p == len(b)
}

func (d *blockDecoder) decodeCPUThreads() error {
	f, n := &d.f, d.n
	scratch := d.scratch(n)
	if !uvarints(d.fixed[colCPU].b, scratch, maxCPU-1) {
		return corruptf("cpu column does not hold %d values", n)
	}
	for i, c := range scratch {
		f.cpu[i] = uint16(c)
	}
	if !uvarints(d.fixed[colThread].b, scratch, uint64(len(d.threads)/2)) {
		return corruptf("thread column does not hold %d thread references", n)
	}
	for i, th := range scratch {
		cpu := f.cpu[i]
		for int(cpu) >= len(d.lastOnCPU) {
			d.lastOnCPU = append(d.lastOnCPU, 0)
		}
		if th == 0 {
			th = uint64(d.lastOnCPU[cpu])
			if th == 0 {
				return corruptf("event %d refers to the previous thread of CPU %d, which has none", i, cpu)
			}
		}
		d.lastOnCPU[cpu] = uint32(th)
		f.tid[i], f.pid[i] = d.threads[2*th-2], d.threads[2*th-1]
	}
	return nil
}

func (d *blockDecoder) decodeTypes() error {
	f, n := &d.f, d.n
	scratch := d.scratch(n)
	if len(d.types) == 0 && n > 0 || !uvarints(d.fixed[colType].b, scratch, uint64(max(len(d.types), 1)-1)) {
		return corruptf("type column does not hold %d type references", n)
	}
	np := column{b: d.fixed[colNParams].b, bad: &d.bad}
	d.npv = 0
	for i, ti := range scratch {
		f.typ[i] = uint16(ti)
		t := &d.types[ti]
		k := int64(t.defNP) + np.varint()
		if d.bad || k < 0 || k > int64(len(t.cols)) || k > event.MaxParams*8 {
			return corruptf("event %d has a bad parameter count %d", i, k)
		}
		f.np[i] = uint8(k)
		d.npv += int(t.width[k])
	}
	if !np.done() {
		return corruptf("nparams column has bytes left after the last event")
	}
	return nil
}

func (d *blockDecoder) scratch(n int) []uint64 {
	d.tmp = resize(d.tmp, n)
	return d.tmp
}
