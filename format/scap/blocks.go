package scap

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Block types (userspace/libscap/scap_savefile.h). The *INT values are pre-release
// numbers libscap still accepts.
const (
	blkSHB         = 0x0A0D0D0A
	blkMI          = 0x201
	blkMIInt       = 0x8002ABCD
	blkPLV1        = 0x202
	blkPLV1Int     = 0x8000ABCD
	blkPLV2        = 0x207
	blkPLV2Int     = 0x8013ABCD
	blkPLV3        = 0x209
	blkPLV3Int     = 0x8014ABCD
	blkPLV4        = 0x210
	blkPLV5        = 0x211
	blkPLV6        = 0x212
	blkPLV7        = 0x213
	blkPLV8        = 0x214
	blkPLV9        = 0x215
	blkFDL         = 0x203
	blkFDLInt      = 0x8001ABCD
	blkFDLV2       = 0x218
	blkEV          = 0x204
	blkEVInt       = 0x8010ABCD
	blkEVF         = 0x208
	blkEVV2        = 0x216
	blkEVFV2       = 0x217
	blkEVV2Large   = 0x221
	blkEVFV2Large  = 0x222
	blkIL          = 0x205
	blkILInt       = 0x8011ABCD
	blkILV2        = 0x219
	blkUL          = 0x206
	blkULInt       = 0x8012ABCD
	blkULV2        = 0x220
	byteOrderMagic = 0x1A2B3C4D
)

// Size limits. A non-large event block fits libscap's 64 KiB reader buffer; large
// event blocks (container JSON, plugin payloads) and state blocks are capped so that a
// hostile length cannot make the reader allocate without bound.
const (
	maxEventBlock = 64 << 10
	maxLargeBlock = 64 << 20
	maxStateBlock = 128 << 20
)

var blockNames = map[uint32]string{
	blkSHB: "SHB", blkMI: "MI", blkMIInt: "MI", blkPLV1: "PL_V1", blkPLV1Int: "PL_V1",
	blkPLV2: "PL_V2", blkPLV2Int: "PL_V2", blkPLV3: "PL_V3", blkPLV3Int: "PL_V3",
	blkPLV4: "PL_V4", blkPLV5: "PL_V5", blkPLV6: "PL_V6", blkPLV7: "PL_V7", blkPLV8: "PL_V8",
	blkPLV9: "PL_V9", blkFDL: "FDL", blkFDLInt: "FDL", blkFDLV2: "FDL_V2", blkEV: "EV",
	blkEVInt: "EV", blkEVF: "EVF", blkEVV2: "EV_V2", blkEVFV2: "EVF_V2",
	blkEVV2Large: "EV_V2_LARGE", blkEVFV2Large: "EVF_V2_LARGE", blkIL: "IL", blkILInt: "IL",
	blkILV2: "IL_V2", blkUL: "UL", blkULInt: "UL", blkULV2: "UL_V2",
}

func blockName(t uint32) string {
	if n, ok := blockNames[t]; ok {
		return n
	}
	return fmt.Sprintf("block type %#x", t)
}

func isEventBlock(t uint32) bool {
	switch t {
	case blkEV, blkEVInt, blkEVF, blkEVV2, blkEVFV2, blkEVV2Large, blkEVFV2Large:
		return true
	}
	return false
}

// blockLimit returns the largest total length accepted for a block of type t.
func blockLimit(t uint32) int {
	switch t {
	case blkEV, blkEVInt, blkEVF, blkEVV2, blkEVFV2:
		return maxEventBlock + 16
	case blkEVV2Large, blkEVFV2Large:
		return maxLargeBlock
	}
	return maxStateBlock
}

// blockReader splits a scap stream into blocks. It reuses one body buffer: a body is
// valid until the next call to next.
type blockReader struct {
	file string
	r    *bufio.Reader
	gz   *gzip.Reader
	off  int64 // offset of the next block in the decompressed stream
	buf  []byte
	// peeked holds a block header read by peek and not yet consumed.
	peeked      bool
	pType, pLen uint32
	hdr         [8]byte
	blocks      int // blocks read so far
	lastOff     int64
}

// newBlockReader wraps r, decompressing it when it starts with the gzip magic.
func newBlockReader(r io.Reader, file string) (*blockReader, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	b := &blockReader{file: file, r: br}
	magic, err := br.Peek(2)
	if err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, &FormatError{File: file, Block: "gzip header", Err: fmt.Errorf("%w: %v", ErrNotScap, err)}
		}
		b.gz = gz
		b.r = bufio.NewReaderSize(gz, 256<<10)
	}
	return b, nil
}

// peek reads the header of the next block without consuming it. ok is false at a clean
// end of stream.
func (b *blockReader) peek() (typ uint32, length uint32, ok bool, err error) {
	if b.peeked {
		return b.pType, b.pLen, true, nil
	}
	h, err := b.r.Peek(8)
	if len(h) == 0 && err == io.EOF {
		return 0, 0, false, nil
	}
	if err != nil {
		return 0, 0, false, b.errAt("block header", b.off, truncErr(err))
	}
	b.pType = binary.LittleEndian.Uint32(h[0:4])
	b.pLen = binary.LittleEndian.Uint32(h[4:8])
	b.peeked = true
	return b.pType, b.pLen, true, nil
}

// next reads the next block and returns its type and body (without the trailer). ok
// is false at a clean end of stream.
func (b *blockReader) next() (typ uint32, body []byte, ok bool, err error) {
	typ, length, ok, err := b.peek()
	if !ok || err != nil {
		return 0, nil, ok, err
	}
	b.peeked = false
	off := b.off
	b.lastOff = off
	if length < 12 {
		return 0, nil, false, b.errAt(blockName(typ)+" block", off, corruptf("block length %d", length))
	}
	if int64(length) > int64(blockLimit(typ)) {
		return 0, nil, false, b.errAt(blockName(typ)+" block", off, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, length, blockLimit(typ)))
	}
	rest := int(length) - 8
	data, err := b.read(int(length))
	if err != nil {
		return 0, nil, false, b.errAt(blockName(typ)+" block", off, err)
	}
	data = data[8:]
	trailer := binary.LittleEndian.Uint32(data[rest-4 : rest])
	if trailer != length {
		return 0, nil, false, b.errAt(blockName(typ)+" block", off, corruptf("trailer length %d, header says %d", trailer, length))
	}
	b.off += int64(length)
	b.blocks++
	return typ, data[:rest-4], true, nil
}

// read returns the next n bytes of the stream, the block header that peek left
// unread included. Blocks that fit in the buffered
// reader are returned in place (no copy), valid until the next read; larger ones are
// copied into b.buf.
func (b *blockReader) read(n int) ([]byte, error) {
	if n <= b.r.Size() {
		data, err := b.r.Peek(n)
		if err != nil {
			return nil, truncErr(err)
		}
		b.r.Discard(n)
		return data, nil
	}
	if err := b.fill(n); err != nil {
		return nil, err
	}
	return b.buf, nil
}

// fill reads n bytes into b.buf, growing it as data actually arrives, so that a
// lying length in a short file costs no more memory than the file holds.
func (b *blockReader) fill(n int) error {
	if cap(b.buf) >= n {
		b.buf = b.buf[:n]
		_, err := io.ReadFull(b.r, b.buf)
		return truncErr(err)
	}
	b.buf = b.buf[:0]
	for len(b.buf) < n {
		step := min(n-len(b.buf), max(len(b.buf), 64<<10))
		if cap(b.buf)-len(b.buf) < step {
			nb := make([]byte, len(b.buf), len(b.buf)+step)
			copy(nb, b.buf)
			b.buf = nb
		}
		start := len(b.buf)
		b.buf = b.buf[:start+step]
		if _, err := io.ReadFull(b.r, b.buf[start:]); err != nil {
			return truncErr(err)
		}
	}
	return nil
}

func (b *blockReader) errAt(block string, off int64, err error) error {
	return &FormatError{File: b.file, Block: block, Offset: off, Err: err}
}

// truncErr turns the end of input inside a block into ErrTruncated.
func truncErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %v", ErrTruncated, io.ErrUnexpectedEOF)
	}
	if errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) {
		return fmt.Errorf("%w: gzip: %v", ErrCorrupt, err)
	}
	return err
}
