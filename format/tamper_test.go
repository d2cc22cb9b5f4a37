package format

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"hash/crc32"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/syscam/syscam/event"
)

// tamperFile is a small complete file: an initial state and six blocks.
func tamperFile(t *testing.T) ([]byte, *Reader) {
	t.Helper()
	data := writeTraceWithState(t, smallState(), synthEvents(5, 120), WriterOptions{BlockEvents: 20})
	r, err := NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	return data, r
}

type frameRef struct {
	seq       int
	off, size int64
}

func frames(r *Reader) []frameRef {
	var fs []frameRef
	for _, s := range r.States() {
		fs = append(fs, frameRef{s.Seq, s.Offset, s.Size})
	}
	for _, b := range r.Blocks() {
		fs = append(fs, frameRef{b.Seq, b.Offset, b.Size})
	}
	slices.SortFunc(fs, func(a, b frameRef) int { return a.seq - b.seq })
	return fs
}

func mustFail(t *testing.T, data []byte, what string, seq int, off int64) {
	t.Helper()
	rep, err := Verify(bytes.NewReader(data), int64(len(data)), VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() {
		t.Fatalf("%s: verify says the file is intact", what)
	}
	if rep.Problem.Block != seq || rep.Problem.Offset != off {
		t.Fatalf("%s: verify names %v; want block %d at offset %d", what, rep.Problem, seq, off)
	}
}

func TestVerifyNamesTheBlockWithAFlippedBit(t *testing.T) {
	data, r := tamperFile(t)
	if rep, _ := Verify(bytes.NewReader(data), int64(len(data)), VerifyOptions{}); !rep.OK() {
		t.Fatalf("the untouched file fails verify: %v", rep.Problem)
	}
	rng := rand.New(rand.NewPCG(2, 2))
	for _, f := range frames(r) {
		bits := int(f.size * 8)
		// Every bit of the frame header, and a sample of the payload's.
		var picks []int
		for b := 0; b < frameHeaderSize*8; b++ {
			picks = append(picks, b)
		}
		for range 150 {
			picks = append(picks, frameHeaderSize*8+rng.IntN(bits-frameHeaderSize*8))
		}
		for _, b := range picks {
			d := bytes.Clone(data)
			d[f.off+int64(b/8)] ^= 1 << (b % 8)
			mustFail(t, d, "bit "+itoa(int64(b))+" of frame "+itoa(int64(f.seq)), f.seq, f.off)
		}
	}
}

func TestVerifyNamesSwappedAndRemovedBlocks(t *testing.T) {
	data, r := tamperFile(t)
	fs := frames(r)
	body := func(skip int, swap [2]int) []byte {
		var out []byte
		out = append(out, data[:fs[0].off]...)
		order := make([]int, len(fs))
		for i := range order {
			order[i] = i
		}
		order[swap[0]], order[swap[1]] = order[swap[1]], order[swap[0]]
		for _, i := range order {
			if i != skip {
				out = append(out, data[fs[i].off:fs[i].off+fs[i].size]...)
			}
		}
		last := fs[len(fs)-1]
		return append(out, data[last.off+last.size:]...)
	}
	for i := 1; i < len(fs); i++ {
		mustFail(t, body(i, [2]int{0, 0}), "block "+itoa(int64(i))+" removed", i, fs[i].off)
	}
	for i := 1; i+1 < len(fs); i++ {
		mustFail(t, body(-1, [2]int{i, i + 1}), "blocks "+itoa(int64(i))+" and the next swapped", i, fs[i].off)
	}
	mustFail(t, body(-1, [2]int{1, len(fs) - 1}), "first and last blocks swapped", 1, fs[1].off)
}

func TestVerifyFindsDamageOutsideBlocks(t *testing.T) {
	data, r := tamperFile(t)
	footerOff := r.foot.offset
	for _, tc := range []struct {
		name string
		at   int64
		part string
	}{
		{"a flipped bit in the header", 20, "header"},
		{"a flipped bit in the footer", footerOff + frameHeaderSize + 10, "footer"},
		{"a flipped bit in the trailer", int64(len(data)) - 10, "footer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := bytes.Clone(data)
			d[tc.at] ^= 4
			rep, err := Verify(bytes.NewReader(d), int64(len(d)), VerifyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() || !strings.HasPrefix(rep.Problem.Part, tc.part) {
				t.Fatalf("verify says %v; want a problem in the %s", rep.Problem, tc.part)
			}
		})
	}
}

// Reserved bytes must be 0 (docs/FORMAT.md, versioning rules): a later version may give
// them a meaning, and a reader of this one must not read such a file as if they had none.
// The checksums are recomputed so that the reserved-byte check itself is what fails.
func TestReaderRefusesNonZeroReservedBytes(t *testing.T) {
	data, r := tamperFile(t)
	t.Run("file header", func(t *testing.T) {
		d := bytes.Clone(data)
		d[10] = 1
		n := int(binary.LittleEndian.Uint32(d[12:]))
		binary.LittleEndian.PutUint32(d[fileHeadFixed+n:], crc32.Checksum(d[:fileHeadFixed+n], castagnoli))
		_, err := NewReader(bytes.NewReader(d), int64(len(d)))
		if err == nil || !strings.Contains(err.Error(), "reserved bytes at offset 10") {
			t.Fatalf("NewReader: %v; want an error about the reserved bytes", err)
		}
	})
	t.Run("block frame", func(t *testing.T) {
		b := r.Blocks()[2]
		d := bytes.Clone(data)
		hdr := d[b.Offset : b.Offset+frameHeaderSize]
		hdr[7] = 0x80
		binary.LittleEndian.PutUint32(hdr[72:], frameCRC(hdr, d[b.Offset+frameHeaderSize:b.Offset+b.Size]))
		r2, err := NewReader(bytes.NewReader(d), int64(len(d)))
		if err != nil {
			t.Fatal(err)
		}
		it := r2.Events(Selection{})
		defer it.Close()
		var e event.Event
		for it.Next(&e) {
		}
		want := "block " + itoa(int64(b.Seq))
		if err := it.Err(); err == nil || !strings.Contains(err.Error(), "reserved bytes hold 0x8000") || !strings.Contains(err.Error(), want) {
			t.Fatalf("reading: %v; want an error naming %s and its reserved bytes", err, want)
		}
		mustFail(t, d, "reserved bytes of block "+itoa(int64(b.Seq)), b.Seq, b.Offset)
	})
}

// Bytes appended to a finished file (cat trace junk > x) are not a truncation: nothing
// was lost. Verify fails the file naming the bytes and where they start; the reader
// reads the trace up to its trailer, footer, statistics and signature included.
func TestAppendedBytesAreTrailingDataNotTruncation(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(nil)
	evs := synthEvents(4, 100)
	unsigned := writeTrace(t, evs, WriterOptions{BlockEvents: 20})
	signed := writeTrace(t, evs, WriterOptions{BlockEvents: 20, SignKey: priv})
	junk := bytes.Repeat([]byte("junk"), 50)
	for _, tc := range []struct {
		name   string
		trace  []byte
		signed bool
		extra  []byte
	}{
		{"one byte", unsigned, false, junk[:1]},
		{"45 bytes", unsigned, false, junk[:45]},
		{"as many bytes as a signed trailer", unsigned, false, junk[:trailerSize+ed25519.SignatureSize]},
		{"200 bytes", unsigned, false, junk},
		{"the file again", unsigned, false, unsigned},
		{"45 bytes after a signature", signed, true, junk[:45]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := append(bytes.Clone(tc.trace), tc.extra...)
			size, at, extra := int64(len(data)), int64(len(tc.trace)), int64(len(tc.extra))
			rep, err := Verify(bytes.NewReader(data), size, VerifyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() || rep.Problem.Kind != ProblemTrailingData || rep.Problem.Offset != at || rep.Trailing != extra {
				t.Fatalf("verify says %v (kind %d, %d trailing); want trailing data at offset %d, %d bytes",
					rep.Problem, rep.Problem.Kind, rep.Trailing, at, extra)
			}
			if rep.Truncated || rep.BytesLost != 0 || !rep.Footer || rep.Events != uint64(len(evs)) {
				t.Fatalf("verify says truncated=%v lost=%d footer=%v events=%d; want the whole trace intact",
					rep.Truncated, rep.BytesLost, rep.Footer, rep.Events)
			}
			r, err := NewReader(bytes.NewReader(data), size)
			if err != nil {
				t.Fatal(err)
			}
			if r.Recovered() || r.Lost() != 0 || r.Trailing() != extra || r.Signed() != tc.signed {
				t.Fatalf("reader: recovered=%v lost=%d trailing=%d signed=%v; want the footer read, %d trailing bytes",
					r.Recovered(), r.Lost(), r.Trailing(), r.Signed(), extra)
			}
			if d := diffEvents(numbered(evs), readAll(t, r, Selection{})); d != "" {
				t.Fatal(d)
			}
		})
	}
}
