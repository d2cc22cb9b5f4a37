package format

import "encoding/binary"

// appendUvarint appends v as a LEB128 varint; the one-byte case is inlined.
func appendUvarint(b []byte, v uint64) []byte {
	if v < 0x80 {
		return append(b, byte(v))
	}
	return binary.AppendUvarint(b, v)
}

// appendVarint appends v zigzag-encoded, so that small negative values stay short.
func appendVarint(b []byte, v int64) []byte {
	return appendUvarint(b, uint64(v<<1)^uint64(v>>63))
}

func unzigzag(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

// column reads varints from one column of a block. A read past the end or a malformed
// varint returns 0 and sets *bad; the decoder checks bad once per event rather than
// after every read.
type column struct {
	b   []byte
	pos int
	bad *bool
}

func (c *column) uvarint() uint64 {
	if p := c.pos; uint(p) < uint(len(c.b)) && c.b[p] < 0x80 {
		c.pos = p + 1
		return uint64(c.b[p])
	}
	return c.uvarintSlow()
}

func (c *column) uvarintSlow() uint64 {
	p := c.pos
	if p+1 < len(c.b) && c.b[p+1] < 0x80 { // two bytes, the next most common
		c.pos = p + 2
		return uint64(c.b[p]&0x7f) | uint64(c.b[p+1])<<7
	}
	if c.pos >= len(c.b) {
		*c.bad = true
		return 0
	}
	v, n := binary.Uvarint(c.b[c.pos:])
	if n <= 0 {
		*c.bad = true
		c.pos = len(c.b)
		return 0
	}
	c.pos += n
	return v
}

func (c *column) varint() int64 { return unzigzag(c.uvarint()) }

func (c *column) byte1() byte {
	if c.pos < len(c.b) {
		v := c.b[c.pos]
		c.pos++
		return v
	}
	*c.bad = true
	return 0
}

// bytes returns the next n bytes of the column, aliasing it.
func (c *column) bytes(n uint64) []byte {
	if n > uint64(len(c.b)-c.pos) {
		*c.bad = true
		c.pos = len(c.b)
		return nil
	}
	s := c.b[c.pos : c.pos+int(n) : c.pos+int(n)]
	c.pos += int(n)
	return s
}

func (c *column) done() bool { return c.pos == len(c.b) }
