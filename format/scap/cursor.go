package scap

import (
	"encoding/binary"
	"fmt"
)

// cursor reads little-endian fields from a block body with bounds checks. The first
// read past the end sets err and every later read returns zero, so parsers check err
// once per entry instead of after every field.
type cursor struct {
	b   []byte
	off int
	err error
}

func (c *cursor) left() int { return len(c.b) - c.off }

func (c *cursor) take(n int, what string) []byte {
	if c.err != nil {
		return nil
	}
	if n < 0 || n > c.left() {
		c.err = corruptf("%s: %d bytes needed at body offset %d, %d left", what, n, c.off, c.left())
		return nil
	}
	v := c.b[c.off : c.off+n : c.off+n]
	c.off += n
	return v
}

func (c *cursor) u8(what string) uint8 {
	if v := c.take(1, what); v != nil {
		return v[0]
	}
	return 0
}

func (c *cursor) u16(what string) uint16 {
	if v := c.take(2, what); v != nil {
		return binary.LittleEndian.Uint16(v)
	}
	return 0
}

func (c *cursor) u32(what string) uint32 {
	if v := c.take(4, what); v != nil {
		return binary.LittleEndian.Uint32(v)
	}
	return 0
}

func (c *cursor) u64(what string) uint64 {
	if v := c.take(8, what); v != nil {
		return binary.LittleEndian.Uint64(v)
	}
	return 0
}

func (c *cursor) i64(what string) int64 { return int64(c.u64(what)) }

// str reads a u16-length string (not NUL-terminated on disk) of at most limit bytes;
// a trailing NUL, which some writers include, is dropped.
func (c *cursor) str(what string, limit int) string {
	n := int(c.u16(what + " length"))
	if c.err == nil && n > limit {
		c.err = corruptf("%s: length %d over the limit of %d", what, n, limit)
		return ""
	}
	return string(trimNUL(c.take(n, what)))
}

func (c *cursor) fail(format string, args ...any) {
	if c.err == nil {
		c.err = corruptf("%s", fmt.Sprintf(format, args...))
	}
}

// trimNUL drops trailing NUL bytes.
func trimNUL(b []byte) []byte {
	for len(b) > 0 && b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	return b
}

// ecErr names the entry of a list block that failed to parse.
func ecErr(err error, what string, i int) error {
	return fmt.Errorf("decode %s %d: %w", what, i, err)
}
