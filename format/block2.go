package format

import "slices"

// Encoding 2 (encodingPlanes) stores every column as fixed-width numbers split into
// byte planes, so that a reader decodes an event with loads and shifts instead of a
// varint loop per value, and finds parameter j of the k-th event of a type at one
// computed place instead of after every earlier value of its column. The planes keep
// what made the varint columns small: the high bytes of small numbers, nearly all
// zero, sit together where zstd removes them, apart from the random low bytes.
//
// A block's payload, before compression:
//
//	varint   base time (zigzag, ns)
//	uvarint  thread count T, then T × (zigzag tid − previous tid, zigzag pid − tid)
//	uvarint  type count K, then K × (uvarint event type, uvarint parameter columns P,
//	         uvarint events of the type C)
//	uvarint  event count N
//	uvarint  dictionary entries D
//	uvarint  byte parameters B (entries of the orig column)
//	uvarint  length of the lit area, uvarint length of the data area
//	bytes    one width (0–8) per plane column: the fixed ones in the order below, then
//	         each type's 1 + P columns
//	bytes    the plane columns in the same order, then the lit area, then the data area
//
// A plane column of n values of width w is w planes of n bytes: plane j holds byte j
// (little-endian) of every value. Width 0 means every value is 0 and takes no bytes.
//
// Fixed plane columns and their value counts:
//
//	time     N  zigzag delta from the previous event (the first from the base time)
//	thread   N  0 for the thread of the previous event on the same CPU, else 1 + index
//	            in the thread table
//	cpu      N
//	type     N  index in the type table
//	latency  N  zigzag
//	flags    N
//	nparams  N  zigzag (parameter count − the schema's parameter count)
//	litlen   D  length of each dictionary entry; entry k's bytes follow entry k−1's in lit
//	orig     B  zigzag (original length − kept length), one per byte parameter, in
//	            event order
//
// Each type has 1 + P columns of C values, the k-th for the type's k-th event in the
// block. The first holds the return values (zigzag): kept by type, a column of small
// numbers is not widened by the addresses mmap returns. Parameter column j holds 0
// for an event with fewer than j+1 parameters. Integers are stored as is
// (unsigned kinds) or zigzag (signed); paths, strings, string lists and socket
// addresses as a dictionary index; kind bytes as the kept length, the bytes being next
// in the data area, in event order. A dictionary entry longer than maxDictLiteral may
// be referred to once only, so that a small block cannot expand quadratically.
//
// Parameter kinds map to classes as in encoding 1 (classOf).

// Plane column indexes of encoding 2. Frozen.
const (
	p2Time = iota
	p2Thread
	p2CPU
	p2Type
	p2Lat
	p2Flags
	p2NParams
	p2LitLen
	p2Orig
	numPlanes2
)

// planes is a plane column: n values of w bytes, w planes of n bytes.
type planes struct {
	b []byte
	n int
	w int
}

// at returns value i. i must be below p.n.
func (p *planes) at(i int) uint64 {
	b, n := p.b, p.n
	switch p.w {
	case 0:
		return 0
	case 1:
		return uint64(b[i])
	case 2:
		return uint64(b[i]) | uint64(b[n+i])<<8
	case 3:
		return uint64(b[i]) | uint64(b[n+i])<<8 | uint64(b[2*n+i])<<16
	case 4:
		return uint64(b[i]) | uint64(b[n+i])<<8 | uint64(b[2*n+i])<<16 | uint64(b[3*n+i])<<24
	}
	v := uint64(0)
	for j := p.w - 1; j >= 0; j-- {
		v = v<<8 | uint64(b[j*n+i])
	}
	return v
}

// gather sets out[k] to value s+k for every k of out; s+len(out) must be at most p.n.
// The widths of one and two bytes, most columns, have loops of their own.
func (p *planes) gather(s int, out []uint64) {
	n, m := p.n, len(out)
	switch p.w {
	case 0:
		clear(out)
	case 1:
		p0 := p.b[s : s+m]
		for k := range out {
			out[k] = uint64(p0[k])
		}
	case 2:
		p0, p1 := p.b[s:s+m], p.b[n+s:n+s+m]
		for k := range out {
			out[k] = uint64(p0[k]) | uint64(p1[k])<<8
		}
	default:
		p0, p1 := p.b[s:s+m], p.b[n+s:n+s+m]
		for k := range out {
			out[k] = uint64(p0[k]) | uint64(p1[k])<<8
		}
		for j := 2; j < p.w; j++ {
			pl := p.b[j*n+s : j*n+s+m]
			sh := uint(8 * j)
			for k := range out {
				out[k] |= uint64(pl[k]) << sh
			}
		}
	}
}

// widthOf returns the bytes needed by the widest of values whose bits are or'ed in m.
func widthOf(m uint64) int {
	w := 0
	for m != 0 {
		w++
		m >>= 8
	}
	return w
}

// appendPlanes appends the planes of vals at width w to dst.
func appendPlanes[T uint32 | uint64](dst []byte, vals []T, w int) []byte {
	for j := range w {
		sh := uint(8 * j)
		start := len(dst)
		dst = slices.Grow(dst, len(vals))[:start+len(vals)]
		pl := dst[start:]
		for k, v := range vals {
			pl[k] = byte(v >> sh)
		}
	}
	return dst
}

// orOf returns the bitwise or of vals.
func orOf(vals []uint64) uint64 {
	// Four accumulators: one is a chain of dependent ors.
	var m0, m1, m2, m3 uint64
	for len(vals) >= 4 {
		m0 |= vals[0]
		m1 |= vals[1]
		m2 |= vals[2]
		m3 |= vals[3]
		vals = vals[4:]
	}
	for _, v := range vals {
		m0 |= v
	}
	return m0 | m1 | m2 | m3
}
