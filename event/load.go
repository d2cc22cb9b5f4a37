package event

import "math/bits"

// BytesRef returns a byte parameter that refers to src[off:off+n] of the buffer later
// given to LoadParams, with orig its length before the snaplen cut. Readers that decode
// a whole block ahead of time build parameters this way, so that handing an event over
// is one copy.
func BytesRef(off, n, orig uint32) Param { return Param{off: off, n: n, Orig: orig} }

// LoadParams replaces e's parameters with ps. For every i whose bit is set in
// byteParams, ps[i] was made by BytesRef: its bytes are copied from src into e's own
// buffer, so e stays valid after src is reused. The other fields of e are not touched,
// except that e's buffer is emptied first.
func (e *Event) LoadParams(ps []Param, src []byte, byteParams uint32) {
	n := copy(e.Params[:], ps)
	if old := int(e.NParams); old > n {
		clear(e.Params[n:old])
	}
	e.NParams = uint8(n)
	e.buf = e.buf[:0]
	for m := byteParams & (1<<uint(n) - 1); m != 0; m &= m - 1 {
		p := &e.Params[bits.TrailingZeros32(m)]
		if uint64(p.off)+uint64(p.n) > uint64(len(src)) {
			p.off, p.n = uint32(len(e.buf)), 0
			continue
		}
		off := len(e.buf)
		e.buf = append(e.buf, src[p.off:p.off+p.n]...)
		p.off = uint32(off)
	}
}

// LoadInts replaces e's parameters with the integers vals, clearing any others it
// held, and empties e's buffer: the first step of a decoder's hand-over, before it
// adds byte parameters with Grow. The other fields of e are not touched.
func (e *Event) LoadInts(vals []uint64) {
	vals = vals[:min(len(vals), MaxParams)]
	for i, v := range vals {
		e.Params[i] = Param{Val: v}
	}
	n := len(vals)
	if old := int(e.NParams); old > n {
		clear(e.Params[n:old])
	}
	e.NParams = uint8(n)
	e.buf = e.buf[:0]
}
