package format

import (
	"crypto/ed25519"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/syscam/syscam/event"
)

// The end of a finished file:
//
//	footer frame    kind 'F', encoding 0, no compression, payload: footer as JSON
//	signature       0 or 64 bytes: ed25519 over the footer frame (header and payload)
//	trailer         32 bytes:
//	                  0  8 offset of the footer frame
//	                  8  4 size of the footer frame
//	                 12  2 signature length
//	                 14  2 reserved, 0
//	                 16  4 CRC32C of trailer bytes [0, 16)
//	                 20  4 reserved, 0
//	                 24  8 magic "SYSCAMft"
//
// A reader finds the footer from the trailer without scanning. The footer's link
// continues the chain, and the footer holds the last link before it (Digest), so a
// signature over the footer vouches for every byte of the file before it.
const (
	trailerSize    = 32
	maxFooterBytes = 64 << 20
)

// footer is the footer frame's JSON payload.
type footer struct {
	Version uint16      `json:"version"`
	Blocks  []BlockInfo `json:"blocks"`
	States  []StateInfo `json:"states,omitempty"`
	Stats   Stats       `json:"stats"`
	Events  uint64      `json:"events"`
	// Types counts the events of each type in the file.
	Types map[event.Type]uint64 `json:"types,omitempty"`
	First int64                 `json:"first"`
	Last  int64                 `json:"last"`
	// Digest is the hex chain link of the last frame before the footer.
	Digest string `json:"digest"`
	Closed int64  `json:"closed,omitempty"`

	sig       []byte // signature, when the file is signed
	frame     []byte // the footer frame as read, for signature checks
	offset    int64
	frameLink [32]byte
}

// marshalFooter encodes the footer frame (seq, link prev), the signature and the trailer.
func marshalFooter(f *footer, seq uint32, prev [32]byte, offset int64, key ed25519.PrivateKey) ([]byte, error) {
	f.Digest = hex.EncodeToString(prev[:])
	js, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("encode footer: %w", err)
	}
	b := make([]byte, frameHeaderSize, frameHeaderSize+len(js)+ed25519.SignatureSize+trailerSize)
	fh := frameHeader{kind: kindFooter, seq: seq, count: uint32(min(f.Events, maxBlockEvents)),
		stored: uint32(len(js)), raw: uint32(len(js)), minTime: f.First, maxTime: f.Last}
	fh.marshal(b)
	fh.link = chainLink(prev, contentHash(b, js))
	fh.crc = frameCRC(b, js)
	fh.marshal(b)
	fh.crc = frameCRC(b, js)
	fh.marshal(b)
	b = append(b, js...)
	frameLen := len(b)
	var sigLen int
	if key != nil {
		b = append(b, ed25519.Sign(key, b[:frameLen])...)
		sigLen = ed25519.SignatureSize
	}
	var t [trailerSize]byte
	binary.LittleEndian.PutUint64(t[0:], uint64(offset))
	binary.LittleEndian.PutUint32(t[8:], uint32(frameLen))
	binary.LittleEndian.PutUint16(t[12:], uint16(sigLen))
	binary.LittleEndian.PutUint32(t[16:], crc32.Checksum(t[:16], castagnoli))
	copy(t[24:], trailerMagic)
	return append(b, t[:]...), nil
}

// readFooter finds the footer through the trailer. It fails when the trailer or
// footer is missing or damaged; the caller then scans the file.
func readFooter(r io.ReaderAt, size, hdrEnd int64) (*footer, error) {
	if size < hdrEnd+frameHeaderSize+trailerSize {
		return nil, fmt.Errorf("%w: no room for a footer", ErrTruncated)
	}
	var t [trailerSize]byte
	if _, err := r.ReadAt(t[:], size-trailerSize); err != nil {
		return nil, fmt.Errorf("read trailer: %w", err)
	}
	if string(t[24:]) != trailerMagic {
		return nil, fmt.Errorf("%w: no trailer", ErrTruncated)
	}
	if !trailerValid(t[:]) {
		return nil, corruptf("trailer checksum mismatch")
	}
	off := int64(binary.LittleEndian.Uint64(t[0:]))
	n := int64(binary.LittleEndian.Uint32(t[8:]))
	sigLen := int64(binary.LittleEndian.Uint16(t[12:]))
	if (sigLen != 0 && sigLen != ed25519.SignatureSize) || n < frameHeaderSize || n > maxFooterBytes ||
		off < hdrEnd || off+n+sigLen+trailerSize != size {
		return nil, corruptf("trailer places a %d-byte footer at offset %d in a %d-byte file", n, off, size)
	}
	b := make([]byte, n+sigLen)
	if _, err := r.ReadAt(b, off); err != nil {
		return nil, fmt.Errorf("read footer: %w", err)
	}
	return parseFooter(b[:n], b[n:], off)
}

func parseFooter(frame, sig []byte, off int64) (*footer, error) {
	fh, err := parseFrameHeader(frame)
	if err != nil {
		return nil, err
	}
	payload := frame[frameHeaderSize:]
	if fh.kind != kindFooter || int(fh.stored) != len(payload) || fh.compression != compressionNone {
		return nil, corruptf("footer frame header does not describe its %d bytes", len(payload))
	}
	if frameCRC(frame, payload) != fh.crc {
		return nil, corruptf("footer checksum mismatch")
	}
	f := &footer{}
	if err := json.Unmarshal(payload, f); err != nil {
		return nil, corruptf("decode footer: %v", err)
	}
	f.sig, f.frame, f.offset, f.frameLink = sig, frame, off, fh.link
	return f, nil
}

// trailerAfter finds the trailer that belongs to the footer frame at off (n bytes):
// right after it, or after a signature, and pointing back at it. end is where that
// trailer ends, short of size when bytes were appended to a finished file.
func trailerAfter(r io.ReaderAt, size, off, n int64) (end int64, ok bool) {
	for _, sigLen := range []int64{0, ed25519.SignatureSize} {
		at := off + n + sigLen
		if at+trailerSize > size {
			break
		}
		var t [trailerSize]byte
		if _, err := r.ReadAt(t[:], at); err != nil {
			return 0, false
		}
		if trailerValid(t[:]) && int64(binary.LittleEndian.Uint64(t[0:])) == off &&
			int64(binary.LittleEndian.Uint32(t[8:])) == n && int64(binary.LittleEndian.Uint16(t[12:])) == sigLen {
			return at + trailerSize, true
		}
	}
	return 0, false
}

// trailerValid checks a trailer's magic, checksum and reserved bytes.
func trailerValid(t []byte) bool {
	return len(t) == trailerSize && string(t[24:]) == trailerMagic &&
		crc32.Checksum(t[:16], castagnoli) == binary.LittleEndian.Uint32(t[16:]) &&
		t[14] == 0 && t[15] == 0 && binary.LittleEndian.Uint32(t[20:]) == 0
}
