package format

import (
	"encoding/binary"

	"github.com/syscam/syscam/event"
)

// eventRec is an event's fixed part, decoded from the fixed columns in the reader's
// workers, beside decompression: one record per event, so that the consumer reads one
// sequential stream of records (and one of parameters) rather than ten columns.
type eventRec struct {
	time, ret, lat int64
	tid, pid       int32
	cpu            uint16
	typ            event.Type
	flags          uint8
	np             uint8  // parameter columns the event fills
	ti             uint16 // block-local type index
	width          uint8  // Event parameters it fills (see decoderType.width)
	byteMask       uint32 // which of them are byte parameters
}

// resize is grow for any element type.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+n/4)
	}
	return s[:n]
}

// decodeFixed fills d.recs from the fixed columns, checking every value and that each
// column holds exactly one entry per event.
func (d *blockDecoder) decodeFixed() error {
	n := d.n
	d.recs = resize(d.recs, n)
	recs := d.recs
	for _, c := range []struct {
		name   string
		lo, hi int
		set    func(r *eventRec, v int64)
	}{
		{"time", colTimeLo, colTimeHi, func(r *eventRec, v int64) { r.time = v }},
		{"ret", colRetLo, colRetHi, func(r *eventRec, v int64) { r.ret = v }},
		{"latency", colLatLo, colLatHi, func(r *eventRec, v int64) { r.lat = v }},
	} {
		if !splitColumn(d.fixed[c.lo].b, d.fixed[c.hi].b, recs, c.set) {
			return corruptf("%s column does not hold %d values", c.name, n)
		}
	}
	t := d.time
	for i := range recs {
		t += recs[i].time
		recs[i].time = t
	}
	flags := d.fixed[colFlags].b
	if len(flags) != n {
		return corruptf("flags column holds %d bytes for %d events", len(flags), n)
	}
	for i, f := range flags {
		recs[i].flags = f
	}
	if err := d.decodeCPUThreads(); err != nil {
		return err
	}
	return d.decodeTypes()
}

// splitColumn decodes one zigzag value per record, split in lo bytes and hi uvarints,
// and stores each with set.
func splitColumn(lo, hi []byte, recs []eventRec, set func(*eventRec, int64)) bool {
	if len(lo) != len(recs) {
		return false
	}
	p := 0
	for i := range recs {
		var h uint64
		if p < len(hi) && hi[p] < 0x80 {
			h = uint64(hi[p])
			p++
		} else {
			h, p = uvarintAt(hi, p)
		}
		u := uint64(lo[i]) | h<<8
		set(&recs[i], int64(u>>1)^-int64(u&1))
	}
	return p == len(hi)
}

// uvarintAt reads a uvarint at b[p:]; on error the position is past the end. The loops
// that call it test the one-byte case (most values) themselves first: a helper that
// did both costs 90 in the compiler's inlining budget of 80, and a call per value
// is what the bulk loops exist to avoid.
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
	recs, n := d.recs, d.n
	scratch := d.scratch(n)
	if !uvarints(d.fixed[colCPU].b, scratch, maxCPU-1) {
		return corruptf("cpu column does not hold %d values", n)
	}
	for i, c := range scratch {
		recs[i].cpu = uint16(c)
	}
	if !uvarints(d.fixed[colThread].b, scratch, uint64(d.threads.size())) {
		return corruptf("thread column does not hold %d thread references", n)
	}
	for i, th := range scratch {
		r := &recs[i]
		var err error
		if r.tid, r.pid, err = d.threads.resolve(i, r.cpu, th); err != nil {
			return err
		}
	}
	return nil
}

func (d *blockDecoder) decodeTypes() error {
	recs, n := d.recs, d.n
	scratch := d.scratch(n)
	if len(d.types) == 0 && n > 0 || !uvarints(d.fixed[colType].b, scratch, uint64(max(len(d.types), 1)-1)) {
		return corruptf("type column does not hold %d type references", n)
	}
	np := column{b: d.fixed[colNParams].b, bad: &d.bad}
	d.npv = 0
	for i, ti := range scratch {
		t := &d.types[ti]
		k := int64(t.defNP) + np.varint()
		if d.bad || k < 0 || k > int64(len(t.cols)) || k > event.MaxParams*8 {
			return corruptf("event %d has a bad parameter count %d", i, k)
		}
		r := &recs[i]
		r.ti, r.typ, r.np = uint16(ti), t.typ, uint8(k)
		r.width, r.byteMask = t.width[k], t.byteMask[k]
		d.npv += int(r.width)
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
