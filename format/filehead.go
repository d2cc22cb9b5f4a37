package format

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
)

// The file header:
//
//	offset size field
//	     0    8 magic "SYSCAM\x00\x01"
//	     8    2 format version
//	    10    2 reserved, 0
//	    12    4 length n of the JSON header
//	    16    n Header as JSON (UTF-8)
//	  16+n    4 CRC32C of bytes [0, 16+n)
//
// JSON keeps the header self-describing and lets fields be added without a new
// version; it is read once per file, so its cost does not matter.
const (
	fileHeadFixed = 16
	maxHeaderJSON = 16 << 20
)

// marshalFileHeader returns the encoded header and the seed of the hash chain.
func marshalFileHeader(h *Header) ([]byte, [32]byte, error) {
	js, err := json.Marshal(h)
	if err != nil {
		return nil, [32]byte{}, fmt.Errorf("encode header: %w", err)
	}
	b := make([]byte, fileHeadFixed, fileHeadFixed+len(js)+4)
	copy(b, fileMagic)
	binary.LittleEndian.PutUint16(b[8:], h.Version)
	binary.LittleEndian.PutUint32(b[12:], uint32(len(js)))
	b = append(b, js...)
	b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
	return b, sha256.Sum256(b), nil
}

// readFileHeader reads and checks the header at the start of r. It returns the header,
// its size in bytes and the seed of the hash chain.
func readFileHeader(r io.ReaderAt, size int64) (Header, int64, [32]byte, error) {
	var h Header
	var fixed [fileHeadFixed]byte
	if _, err := r.ReadAt(fixed[:], 0); err != nil {
		if size >= 8 && err == io.EOF {
			return h, 0, [32]byte{}, headerError(fmt.Errorf("%w: %d bytes, shorter than a header", ErrTruncated, size))
		}
		return h, 0, [32]byte{}, headerError(fmt.Errorf("%w: %v", ErrNotTrace, err))
	}
	if string(fixed[:8]) != fileMagic {
		return h, 0, [32]byte{}, headerError(ErrNotTrace)
	}
	version := binary.LittleEndian.Uint16(fixed[8:])
	if version == 0 || version > VersionCurrent {
		return h, 0, [32]byte{}, headerError(fmt.Errorf("%w %d (this build reads up to %d)", ErrVersion, version, VersionCurrent))
	}
	if r := binary.LittleEndian.Uint16(fixed[10:]); r != 0 {
		return h, 0, [32]byte{}, headerError(corruptf("reserved bytes at offset 10 hold %#04x, not 0", r))
	}
	n := int64(binary.LittleEndian.Uint32(fixed[12:]))
	end := fileHeadFixed + n + 4
	if n > maxHeaderJSON {
		return h, 0, [32]byte{}, headerError(corruptf("header length %d over the limit", n))
	}
	if end > size {
		return h, 0, [32]byte{}, headerError(fmt.Errorf("%w: header needs %d bytes, file has %d", ErrTruncated, end, size))
	}
	b := make([]byte, end)
	if _, err := r.ReadAt(b, 0); err != nil {
		return h, 0, [32]byte{}, headerError(fmt.Errorf("read header: %w", err))
	}
	if crc32.Checksum(b[:end-4], castagnoli) != binary.LittleEndian.Uint32(b[end-4:]) {
		return h, 0, [32]byte{}, headerError(corruptf("header checksum mismatch"))
	}
	if err := json.Unmarshal(b[fileHeadFixed:end-4], &h); err != nil {
		return h, 0, [32]byte{}, headerError(corruptf("decode header: %v", err))
	}
	h.Version = version
	return h, end, sha256.Sum256(b), nil
}

func headerError(err error) error {
	return &FormatError{Part: "header", Offset: 0, Err: err}
}
