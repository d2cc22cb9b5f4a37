package format

import "github.com/syscam/syscam/event"

// decodeParams decodes the parameters of every event into d.pv, in event order (the
// string dictionary is numbered in that order). It runs in the reader's workers, beside
// decompression, so that handing an event to the consumer is a copy. An event that
// does not decode ends the block there: nGood events remain, and err says why.
func (d *blockDecoder) decodeParams() {
	d.pv = resize(d.pv, d.npv)
	d.pp, d.nGood = 0, d.n
	pv, pos := d.pv, 0
	for i := range d.recs {
		r := &d.recs[i]
		t := &d.types[r.ti]
		np, w := int(r.np), int(r.width)
		out := pv[pos : pos+w : pos+w]
		pos += w
		if !t.dense {
			clear(out)
		}
		specs, cols := t.specs[:np], t.cols[:np]
		for k, sp := range specs {
			col := &cols[k]
			if sp.class > classSigned {
				d.param(out, sp, col)
				continue
			}
			// Integers, the most common parameters, inline.
			var v uint64
			if p := col.pos; uint(p) < uint(len(col.b)) && col.b[p] < 0x80 {
				v, col.pos = uint64(col.b[p]), p+1
			} else {
				v = col.uvarintSlow()
			}
			if sp.class == classSigned {
				v = uint64(unzigzag(v))
			}
			if uint(int(sp.dst)) < uint(len(out)) {
				out[sp.dst] = event.Param{Val: v}
			}
		}
		if d.bad {
			d.nGood = i
			return
		}
	}
}

// param decodes one parameter from col into out[sp.dst], or skips it when the
// parameter has no place in this build's Event.
func (d *blockDecoder) param(out []event.Param, sp paramSpec, col *column) {
	var p event.Param
	switch sp.class {
	case classUnsigned:
		p.Val = col.uvarint()
	case classSigned:
		p.Val = uint64(col.varint())
	case classString:
		off, n := d.lookup(col.uvarint())
		p = d.bytesRef(d.litOff+int(off), n)
	case classBuffer:
		data := &d.fixed[colData]
		off := data.pos
		n := uint32(len(data.bytes(col.uvarint())))
		p = d.bytesRef(d.datOff+off, n)
	}
	if sp.dst >= 0 && int(sp.dst) < len(out) {
		out[sp.dst] = p
	}
}

// bytesRef makes a byte parameter of raw[off:off+n], with its original length from
// the orig column.
func (d *blockDecoder) bytesRef(off int, n uint32) event.Param {
	orig := int64(n) + d.fixed[colOrig].varint()
	return event.BytesRef(uint32(off), n, uint32(orig))
}

// next hands the next event of the block to e. It returns false at the end of the
// block or at an event that does not decode (then err says why).
func (d *blockDecoder) next(e *event.Event) bool {
	i := d.i
	if i >= d.nGood || i >= len(d.recs) {
		return false
	}
	r := &d.recs[i]
	e.Num = 0
	e.Time, e.Ret, e.Latency = r.time, r.ret, r.lat
	e.TID, e.PID, e.CPU, e.Flags = r.tid, r.pid, r.cpu, r.flags
	e.Type = r.typ
	w := int(r.width)
	e.LoadParams(d.pv[d.pp:d.pp+w], d.raw, r.byteMask)
	d.pp += w
	d.i = i + 1
	return true
}
