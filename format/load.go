package format

import (
	"fmt"
	"sync"

	"github.com/klauspost/compress/zstd"
	"github.com/syscam/syscam/event"
)

// decoderPool holds the zstd decoder of a Reader (safe for concurrent DecodeAll, with
// its own pool of decoder states) and recycled buffers.
type decoderPool struct {
	zd   *zstd.Decoder
	bufs sync.Pool // *loaded
}

func newDecoderPool() *decoderPool {
	zd, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(4),
		zstd.WithDecoderMaxMemory(maxBlockRaw), zstd.WithDecoderMaxWindow(maxBlockRaw))
	if err != nil {
		panic(fmt.Sprintf("format: zstd decoder options rejected: %v", err)) // static options
	}
	return &decoderPool{zd: zd}
}

// loaded is one block read, checked, decompressed and ready to decode.
type loaded struct {
	frame []byte
	raw   []byte
	dec   blockDecoder
	first uint64 // Num of the block's first event
	seq   int
	off   int64
}

func (p *decoderPool) get() *loaded {
	if l, ok := p.bufs.Get().(*loaded); ok {
		return l
	}
	return &loaded{}
}

func (p *decoderPool) put(l *loaded) { p.bufs.Put(l) }

// load reads the frame at off (size bytes, of the given kind), checks its CRC and
// decompresses it. Errors name the block and its offset.
func (r *Reader) load(kind byte, seq int, off, size int64, keep func(*event.Event) bool) (*loaded, error) {
	l := r.dec.get()
	err := r.load1(l, kind, off, size, keep)
	if err != nil {
		r.dec.put(l)
		part := fmt.Sprintf("block %d", seq)
		if kind == kindState {
			part = fmt.Sprintf("state section %d", seq)
		}
		return nil, &FormatError{File: r.name, Part: part, Offset: off, Err: err}
	}
	return l, nil
}

func (r *Reader) load1(l *loaded, kind byte, off, size int64, keep func(*event.Event) bool) error {
	if size < frameHeaderSize || size > frameHeaderSize+maxBlockStored || off < 0 || off+size > r.size {
		return corruptf("frame size %d at offset %d does not fit the file", size, off)
	}
	l.frame = grow(l.frame, int(size))
	if _, err := r.r.ReadAt(l.frame, off); err != nil {
		return fmt.Errorf("read frame: %w", err)
	}
	h, err := parseFrameHeader(l.frame)
	if err != nil {
		return err
	}
	if err := h.check(); err != nil {
		return err
	}
	payload := l.frame[frameHeaderSize:]
	if h.kind != kind || int64(h.stored) != size-frameHeaderSize {
		return corruptf("frame header (kind %q, %d bytes) does not match the index", h.kind, h.stored)
	}
	if frameCRC(l.frame, payload) != h.crc {
		return corruptf("checksum mismatch")
	}
	if err := r.decompress(l, &h, payload); err != nil {
		return err
	}
	if err := l.dec.parse(l.raw, r.schema, keep); err != nil {
		return err
	}
	if l.dec.n != int(h.count) {
		return corruptf("block holds %d events, its header says %d", l.dec.n, h.count)
	}
	if l.dec.skipped {
		r.skipped.Add(1)
	}
	return nil
}

func (r *Reader) decompress(l *loaded, h *frameHeader, payload []byte) error {
	if h.encoding != encodingColumnar1 {
		return corruptf("unknown block encoding %d", h.encoding)
	}
	r.decompressed.Add(1)
	if h.compression == compressionNone {
		l.raw = append(l.raw[:0], payload...)
		return nil
	}
	var zh zstd.Header
	if err := zh.Decode(payload); err != nil || (zh.HasFCS && zh.FrameContentSize != uint64(h.raw)) {
		return corruptf("zstd frame does not declare the block's %d bytes", h.raw)
	}
	// Size the buffer from the stored size too: a forged raw size must not make
	// every read allocate the maximum. DecodeAll grows it when a block really
	// compresses that well, up to the decoder's memory limit.
	want := min(int(h.raw), 32*len(payload)+1<<16)
	raw, err := r.dec.zd.DecodeAll(payload, grow(l.raw, want)[:0])
	if err != nil {
		return corruptf("decompress: %v", err)
	}
	if len(raw) != int(h.raw) {
		return corruptf("decompressed to %d bytes, header says %d", len(raw), h.raw)
	}
	l.raw = raw
	return nil
}

// readState decodes a whole state section.
func (r *Reader) readState(s *StateInfo) ([]*event.Event, error) {
	l, err := r.load(kindState, s.Seq, s.Offset, s.Size, nil)
	if err != nil {
		return nil, err
	}
	defer r.dec.put(l)
	evs := make([]*event.Event, 0, l.dec.n)
	for {
		e := new(event.Event)
		if !l.dec.next(e) {
			break
		}
		evs = append(evs, e)
	}
	if err := l.dec.err(); err != nil {
		return nil, &FormatError{File: r.name, Part: fmt.Sprintf("state section %d", s.Seq), Offset: s.Offset, Err: err}
	}
	return evs, nil
}
