package scap

import (
	"bytes"
	"compress/flate"
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

// blockReader splits a scap stream into blocks. It reads through its own buffer:
// a block that fits is returned in place, valid until the next call to peek or next.
type blockReader struct {
	file string
	src  io.Reader // the file, or the gzip stream over it
	gz   *gzip.Reader
	buf  []byte
	r, w int   // unread bytes are buf[r:w]
	eof  error // set once src is exhausted
	off  int64 // offset of the next block in the decompressed stream
	// peeked holds a block header read by peek and not yet consumed.
	peeked      bool
	pType, pLen uint32
	blocks      int // blocks read so far
	lastOff     int64
	stalls      int // consecutive empty reads
}

const readBufSize = 256 << 10

// newBlockReader wraps r, decompressing it when it starts with the gzip magic.
func newBlockReader(r io.Reader, file string) (*blockReader, error) {
	b := &blockReader{file: file, src: r, buf: make([]byte, readBufSize)}
	if err := b.ensure(2); err == nil && b.buf[0] == 0x1f && b.buf[1] == 0x8b {
		gz, err := gzip.NewReader(io.MultiReader(bytes.NewReader(bytes.Clone(b.buf[b.r:b.w])), r))
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			// A file cut inside its gzip header is a damaged capture, not another format.
			return nil, &FormatError{File: file, Block: "gzip header", Err: fmt.Errorf("%w: %s", ErrTruncated, gzipCut)}
		}
		if err != nil {
			return nil, &FormatError{File: file, Block: "gzip header", Err: fmt.Errorf("%w: %v", ErrNotScap, err)}
		}
		b.gz, b.src, b.r, b.w, b.eof = gz, gz, 0, 0, nil
	}
	return b, nil
}

// ensure makes at least n unread bytes available, growing the buffer only as data
// actually arrives, so that a lying length in a short file costs no more memory than
// the file holds. It returns ErrTruncated-wrapping errors at the end of input.
func (b *blockReader) ensure(n int) error {
	for b.w-b.r < n {
		if b.eof != nil {
			return truncErr(b.eof, b.gz != nil)
		}
		if b.r > 0 {
			b.w = copy(b.buf, b.buf[b.r:b.w])
			b.r = 0
		}
		if b.w == len(b.buf) {
			nb := make([]byte, min(max(2*len(b.buf), readBufSize), max(n, len(b.buf))))
			copy(nb, b.buf[:b.w])
			b.buf = nb
		}
		m, err := b.src.Read(b.buf[b.w:])
		b.w += m
		switch {
		case err != nil:
			b.eof = err
		case m == 0:
			if b.stalls++; b.stalls > 100 {
				b.eof = io.ErrNoProgress
			}
		default:
			b.stalls = 0
		}
	}
	return nil
}

// peek reads the header of the next block without consuming it. ok is false at a clean
// end of stream.
func (b *blockReader) peek() (typ uint32, length uint32, ok bool, err error) {
	if b.peeked {
		return b.pType, b.pLen, true, nil
	}
	if err := b.ensure(8); err != nil {
		if b.w == b.r && errors.Is(b.eof, io.EOF) {
			return 0, 0, false, nil
		}
		return 0, 0, false, b.errAt("block header", b.off, err)
	}
	b.pType = binary.LittleEndian.Uint32(b.buf[b.r:])
	b.pLen = binary.LittleEndian.Uint32(b.buf[b.r+4:])
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
	n := int(length)
	if err := b.ensure(n); err != nil {
		return 0, nil, false, b.errAt(blockName(typ)+" block", off, err)
	}
	data := b.buf[b.r+8 : b.r+n]
	b.r += n
	if trailer := binary.LittleEndian.Uint32(data[n-12:]); trailer != length {
		return 0, nil, false, b.errAt(blockName(typ)+" block", off, corruptf("trailer length %d, header says %d", trailer, length))
	}
	b.off += int64(length)
	b.blocks++
	return typ, data[:n-12], true, nil
}

func (b *blockReader) errAt(block string, off int64, err error) error {
	return &FormatError{File: b.file, Block: block, Offset: off, Gzip: b.gz != nil, Err: err}
}

// gzipCut says why a gzip reader stopped with io.ErrUnexpectedEOF: the file ends
// before the compressed stream does (a copy cut short, a recorder killed mid-write).
const gzipCut = "the gzip stream is truncated"

// truncErr turns the end of input inside a block into ErrTruncated. In a gzip
// capture an unexpected EOF is the compressed file's end, which "unexpected EOF"
// alone would not tell from a complete stream holding a cut capture.
func truncErr(err error, gz bool) error {
	if err == nil {
		return nil
	}
	if gz && errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %s", ErrTruncated, gzipCut)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %v", ErrTruncated, io.ErrUnexpectedEOF)
	}
	var flateErr flate.CorruptInputError
	if errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.As(err, &flateErr) {
		return fmt.Errorf("%w: gzip: %v", ErrCorrupt, err)
	}
	return err
}
