package format

import (
	"errors"
	"fmt"
	"io"
	"sort"
)

func newReader(r io.ReaderAt, size int64, name string) (*Reader, error) {
	rd := &Reader{name: name, r: r, size: size}
	h, end, _, err := readFileHeader(r, size)
	if err != nil {
		return nil, rd.locate(err)
	}
	rd.hdr, rd.hdrEnd = h, end
	f, ferr := readFooter(r, size, end)
	if ferr == nil {
		ferr = checkIndex(f, end)
	}
	if ferr != nil {
		// No usable footer: the writer did not finish. Scan to the last complete frame.
		sc, err := scanFrames(r, size, end, nil)
		if err != nil {
			return nil, rd.locate(err)
		}
		if tf, tend := footerBeforeTrailing(r, sc, end); tf != nil {
			f, rd.trailing = tf, size-tend
		} else {
			f = sc.toFooter()
			rd.recovered, rd.lost = true, sc.lost
		}
	}
	rd.foot = *f
	rd.schema = newSchemaMap(h.Schema)
	rd.dec = newDecoderPool()
	return rd, nil
}

// footerBeforeTrailing returns the footer of a finished file that has bytes appended
// after its trailer, and where the trailer ends; nil when the scan found no footer with
// a trailer of its own. Such a file is intact up to its trailer: reading it as
// recovered would call the footer lost and drop its statistics and signature.
func footerBeforeTrailing(r io.ReaderAt, sc *scan, hdrEnd int64) (*footer, int64) {
	if sc.footerLen == 0 {
		return nil, 0
	}
	tend, ok := trailerAfter(r, sc.size, sc.end, sc.footerLen)
	if !ok {
		return nil, 0
	}
	f, err := readFooter(r, tend, hdrEnd)
	if err == nil {
		err = checkIndex(f, hdrEnd)
	}
	if err != nil {
		return nil, 0
	}
	return f, tend
}

// locate adds the file name to a FormatError.
func (r *Reader) locate(err error) error {
	var fe *FormatError
	if r.name != "" && errors.As(err, &fe) && fe.File == "" {
		fe.File = r.name
	}
	return err
}

// checkIndex validates the footer's index against the file before it is trusted:
// frames in increasing, non-overlapping offsets inside the body, sane counts. Event
// positions (First) are recomputed rather than read.
func checkIndex(f *footer, hdrEnd int64) error {
	pos := hdrEnd
	var events uint64
	for i := range f.Blocks {
		b := &f.Blocks[i]
		if b.Offset < pos || b.Size < frameHeaderSize || b.Size > frameHeaderSize+maxBlockStored ||
			b.Offset+b.Size > f.offset || b.Count > maxBlockEvents || b.MinTime > b.MaxTime {
			return corruptf("index entry %d (block at offset %d) is inconsistent", i, b.Offset)
		}
		pos = b.Offset + b.Size
		b.First = events + 1
		events += uint64(b.Count)
	}
	if events != f.Events {
		return corruptf("index counts %d events, footer says %d", events, f.Events)
	}
	for i := range f.States {
		s := &f.States[i]
		if s.Offset < hdrEnd || s.Size < frameHeaderSize || s.Size > frameHeaderSize+maxBlockStored ||
			s.Offset+s.Size > f.offset || s.Count > maxBlockEvents {
			return corruptf("index entry for state section %d is inconsistent", i)
		}
	}
	return nil
}

// scan is what a sequential pass over a file's frames found.
type scan struct {
	blocks []BlockInfo
	states []StateInfo
	end    int64 // end of the last complete, intact frame
	lost   int64
	events uint64
	size   int64
	// footerLen is the size of the intact footer frame at end, 0 when the scan
	// stopped at anything else.
	footerLen int64
}

func (s *scan) toFooter() *footer {
	f := &footer{Version: VersionCurrent, Blocks: s.blocks, States: s.states, Events: s.events}
	if len(s.blocks) > 0 {
		f.First, f.Last = s.blocks[0].MinTime, s.blocks[len(s.blocks)-1].MaxTime
	}
	return f
}

// scanFrames reads frames from off to the end of the file, checking each one's CRC,
// and stops at the first incomplete or damaged frame, or at the footer. visit, when
// set, sees each intact frame with its payload.
func scanFrames(r io.ReaderAt, size, off int64, visit func(h *frameHeader, off int64, frame []byte) error) (*scan, error) {
	s := &scan{end: off, size: size}
	var buf []byte
	var hb [frameHeaderSize]byte
	for seq := 0; ; seq++ {
		if off+frameHeaderSize > size {
			break
		}
		if _, err := r.ReadAt(hb[:], off); err != nil {
			return nil, fmt.Errorf("read frame at offset %d: %w", off, err)
		}
		h, err := parseFrameHeader(hb[:])
		if err != nil || h.check() != nil {
			break
		}
		n := frameHeaderSize + int64(h.stored)
		if off+n > size {
			break
		}
		buf = grow(buf, int(n))
		if _, err := r.ReadAt(buf, off); err != nil {
			return nil, fmt.Errorf("read frame at offset %d: %w", off, err)
		}
		if frameCRC(buf, buf[frameHeaderSize:]) != h.crc {
			break
		}
		if visit != nil {
			if err := visit(&h, off, buf); err != nil {
				return nil, err
			}
		}
		if h.kind == kindFooter {
			s.footerLen = n
			break
		}
		s.add(&h, off, n)
		off += n
		s.end = off
	}
	s.lost = size - s.end
	return s, nil
}

func (s *scan) add(h *frameHeader, off, n int64) {
	if h.kind == kindState {
		s.states = append(s.states, StateInfo{Seq: int(h.seq), Offset: off, Size: n, Count: h.count, Time: h.minTime})
		return
	}
	s.blocks = append(s.blocks, BlockInfo{Seq: int(h.seq), Offset: off, Size: n, Count: h.count,
		MinTime: h.minTime, MaxTime: h.maxTime, First: s.events + 1,
		MinTID: -1 << 31, MaxTID: 1<<31 - 1})
	s.events += uint64(h.count)
}

// grow returns b resized to n bytes, reallocating only when it is too small.
// grow returns b resized to n bytes, its contents lost when it has to grow. The
// room it leaves lets buffers reused for blocks of varying sizes settle at a size
// that fits them all instead of growing again for every larger block.
func grow(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n, n+n/4)
	}
	return b[:n]
}

// blockIndexAt returns the first block whose MaxTime is at or after t.
func (r *Reader) blockIndexAt(t int64) int {
	bs := r.foot.Blocks
	return sort.Search(len(bs), func(i int) bool { return bs[i].MaxTime >= t })
}
