package scap

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/syscam/syscam/event"
)

// readErr opens b and reads every event, returning the first error.
func readErr(b []byte) error {
	r, err := NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return err
	}
	it := r.Iter(Filter{})
	var e event.Event
	for it.Next(&e) {
	}
	return it.Err()
}

func TestBadInputGivesALocatedError(t *testing.T) {
	good := synthCapture()
	evOff := bytes.Index(good, le32(blkEVV2)) // the first event block
	tests := []struct {
		name     string
		in       []byte
		sentinel error
		where    string // text the message must hold: the block and its offset
	}{
		{"a capture cut inside a block", good[:evOff+20], ErrTruncated, "at offset"},
		{"a trailer that disagrees with the header", corruptAt(good, evOff+int(le32At(good, evOff+4))-4, 0xff), ErrCorrupt, "EV_V2 block at offset"},
		{"a block length over the limit", setU32(good, evOff+4, maxEventBlock*4), ErrTooLarge, "EV_V2 block at offset"},
		{"an event length past its block", setU32(good, evOff+8+2+16, 5000), ErrCorrupt, "EV_V2 block"},
		{"a big-endian section header", setU32(good, 8, 0x4D3C2B1A), ErrNotScap, "SHB block at offset 0"},
		{"a process entry longer than its block", setU32(good, bytes.Index(good, le32(blkPLV9))+8, 1<<20), ErrCorrupt, "PL_V9 block at offset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := readErr(tt.in)
			if !errors.Is(err, tt.sentinel) {
				t.Fatalf("err = %v, want %v", err, tt.sentinel)
			}
			var fe *FormatError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.where) {
				t.Errorf("err = %q, want a FormatError naming %q", err, tt.where)
			}
		})
	}
}

func le32At(b []byte, off int) uint32 {
	return uint32(b[off]) | uint32(b[off+1])<<8 | uint32(b[off+2])<<16 | uint32(b[off+3])<<24
}

func corruptAt(b []byte, off int, v byte) []byte {
	c := bytes.Clone(b)
	c[off] ^= v
	return c
}

func setU32(b []byte, off int, v uint32) []byte {
	c := bytes.Clone(b)
	copy(c[off:], le32(v))
	return c
}

func TestEventsBeforeATruncationAreKept(t *testing.T) {
	good := synthCapture()
	cut := good[:len(good)-10]
	r, err := NewReader(bytes.NewReader(cut), int64(len(cut)))
	if err != nil {
		t.Fatal(err)
	}
	it := r.Iter(Filter{})
	n := 0
	var e event.Event
	for it.Next(&e) {
		n++
	}
	// All events but the container one (in the cut block) remain, the pending read
	// enter included.
	if n != 9 || !errors.Is(it.Err(), ErrTruncated) {
		t.Errorf("read %d events, err %v; want 9 and ErrTruncated", n, it.Err())
	}
}

func TestCorruptGzipIsCorrupt(t *testing.T) {
	gz := gzipped(synthCapture())
	bad := bytes.Clone(gz)
	for i := len(bad) / 2; i < len(bad)/2+16; i++ {
		bad[i] ^= 0x5a // damage the deflate stream after the header blocks
	}
	err := readErr(bad)
	if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrTruncated) {
		t.Errorf("err = %v, want ErrCorrupt (or ErrTruncated if the damage ends the stream)", err)
	}
	var fe *FormatError
	if !errors.As(err, &fe) {
		t.Errorf("err = %v, want a located FormatError", err)
	}
}

func TestTruncatedGzipSaysSo(t *testing.T) {
	// Offsets in a gzip capture are in the decompressed stream, which can be ten times
	// the file: the message must say which stream, and that the file itself was cut
	// rather than holding a complete stream with a cut capture inside.
	gz := gzipped(synthCapture())
	tests := []struct {
		name  string
		in    []byte
		where string
	}{
		{"cut inside the gzip header", gz[:5], "gzip header at offset 0: "},
		{"cut before anything inflates", gz[:12], "block header at offset 0 of the decompressed stream"},
		{"cut in the middle", gz[:len(gz)/2], " of the decompressed stream"},
		{"cut before the gzip trailer", gz[:len(gz)-4], "block header at offset " + fmt.Sprint(len(synthCapture())) + " of the decompressed stream"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !Probe(bytes.NewReader(tt.in), int64(len(tt.in))) {
				t.Errorf("Probe = false: a cut gzip capture is a damaged capture, not another format")
			}
			err := readErr(tt.in)
			if !errors.Is(err, ErrTruncated) {
				t.Fatalf("err = %v, want ErrTruncated", err)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.where) || !strings.HasSuffix(msg, "the gzip stream is truncated") {
				t.Errorf("err = %q, want it to hold %q and end in %q", msg, tt.where, "the gzip stream is truncated")
			}
		})
	}
	// A complete gzip stream holding a cut capture is not a cut gzip stream.
	whole := gzipped(synthCapture()[:len(synthCapture())-10])
	if err := readErr(whole); err == nil || strings.Contains(err.Error(), "gzip stream is truncated") || !strings.Contains(err.Error(), "of the decompressed stream") {
		t.Errorf("complete gzip of a cut capture: err = %v, want a truncation at an offset of the decompressed stream, not a cut gzip stream", err)
	}
}
