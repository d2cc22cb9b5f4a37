package format

import (
	"crypto/sha256"
	"encoding/binary"
	"hash/crc32"
)

// Every block, state section and the footer is a frame: a fixed header, then the
// payload. All integers are little endian.
//
//	offset size field
//	     0    4 magic "SCF" + kind ('B' block, 'S' state section, 'F' footer)
//	     4    1 encoding (1: columnar, see block.go; 2: byte planes, see block2.go;
//	            0 for the footer: JSON)
//	     5    1 compression (0: none, 1: zstd)
//	     6    2 reserved, 0
//	     8    4 sequence number of the frame in the file, from 0
//	    12    4 event count
//	    16    4 stored payload size
//	    20    4 uncompressed payload size
//	    24    8 first event time (ns)
//	    32    8 last event time (ns)
//	    40   32 link: SHA-256(previous link ‖ SHA-256(header[0:40] ‖ payload))
//	    72    4 CRC32C (Castagnoli) of payload ‖ header[0:72]
//	    76      payload
//
// The first link's "previous link" is SHA-256 of the file header. The CRC catches
// accidents cheaply on every read; the chain lets verify prove that no frame was
// altered, removed, added or reordered. The payload is hashed first and the chain
// step then costs one short SHA-256, so encoders hash blocks in parallel.
const frameHeaderSize = 76

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

type frameHeader struct {
	kind        byte
	encoding    byte
	compression byte
	reserved    uint16 // 0 in every version so far; check refuses anything else
	seq         uint32
	count       uint32
	stored      uint32
	raw         uint32
	minTime     int64
	maxTime     int64
	link        [32]byte
	crc         uint32
}

func (h *frameHeader) marshal(b []byte) {
	copy(b[0:3], frameMagic)
	b[3], b[4], b[5], b[6], b[7] = h.kind, h.encoding, h.compression, 0, 0
	binary.LittleEndian.PutUint32(b[8:], h.seq)
	binary.LittleEndian.PutUint32(b[12:], h.count)
	binary.LittleEndian.PutUint32(b[16:], h.stored)
	binary.LittleEndian.PutUint32(b[20:], h.raw)
	binary.LittleEndian.PutUint64(b[24:], uint64(h.minTime))
	binary.LittleEndian.PutUint64(b[32:], uint64(h.maxTime))
	copy(b[40:72], h.link[:])
	binary.LittleEndian.PutUint32(b[72:], h.crc)
}

// parseFrameHeader decodes b[:frameHeaderSize]; it checks the magic only.
func parseFrameHeader(b []byte) (frameHeader, error) {
	var h frameHeader
	if len(b) < frameHeaderSize || string(b[0:3]) != frameMagic {
		return h, corruptf("bad frame magic %q", b[:min(len(b), 4)])
	}
	h.kind, h.encoding, h.compression = b[3], b[4], b[5]
	h.reserved = binary.LittleEndian.Uint16(b[6:])
	h.seq = binary.LittleEndian.Uint32(b[8:])
	h.count = binary.LittleEndian.Uint32(b[12:])
	h.stored = binary.LittleEndian.Uint32(b[16:])
	h.raw = binary.LittleEndian.Uint32(b[20:])
	h.minTime = int64(binary.LittleEndian.Uint64(b[24:]))
	h.maxTime = int64(binary.LittleEndian.Uint64(b[32:]))
	copy(h.link[:], b[40:72])
	h.crc = binary.LittleEndian.Uint32(b[72:])
	return h, nil
}

// check validates what a frame header declares before anything is allocated for it.
func (h *frameHeader) check() error {
	switch h.kind {
	case kindBlock, kindState, kindFooter:
	default:
		return corruptf("unknown frame kind %q", h.kind)
	}
	if h.reserved != 0 {
		return corruptf("frame header's reserved bytes hold %#04x, not 0", h.reserved)
	}
	if h.stored > maxBlockStored || h.raw > maxBlockRaw {
		return corruptf("frame declares %d stored and %d raw bytes, over the limit", h.stored, h.raw)
	}
	if h.compression > compressionZstd {
		return corruptf("unknown compression %d", h.compression)
	}
	if h.compression == compressionNone && h.raw != h.stored {
		return corruptf("uncompressed frame with %d stored and %d raw bytes", h.stored, h.raw)
	}
	if h.count > maxBlockEvents || (h.kind != kindFooter && h.count > h.raw) {
		return corruptf("frame declares %d events in %d bytes", h.count, h.raw)
	}
	return nil
}

// frameCRC is the CRC32C of payload ‖ header[0:72].
func frameCRC(hdr, payload []byte) uint32 {
	return crc32.Update(crc32.Checksum(payload, castagnoli), castagnoli, hdr[:72])
}

// contentHash is SHA-256(header[0:40] ‖ payload), the part of a link that does not
// depend on earlier frames.
func contentHash(hdr, payload []byte) [32]byte {
	h := sha256.New()
	h.Write(hdr[:40])
	h.Write(payload)
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// chainLink is SHA-256(prev ‖ content).
func chainLink(prev, content [32]byte) [32]byte {
	var b [64]byte
	copy(b[:32], prev[:])
	copy(b[32:], content[:])
	return sha256.Sum256(b[:])
}
