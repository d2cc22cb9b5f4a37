package format

import (
	"fmt"

	"github.com/klauspost/compress/zstd"
	"github.com/syscam/syscam/event"
)

// decoderPool holds the zstd decoder of a Reader (safe for concurrent DecodeAll, with
// its own pool of decoder states) and recycled buffers.
//
// The buffers are kept in a free list, not a sync.Pool: a block's buffers come to
// several megabytes, and a pool emptied by every garbage collection made a long read
// allocate (and first touch) fresh ones again and again: the 64-block benchmark file
// took 114 MB a read with the pool, 42 MB with the list.
type decoderPool struct {
	zd   *zstd.Decoder
	bufs chan *loaded
}

// maxFreeBlocks is how many decoded blocks' buffers a Reader keeps for reuse: more
// than an iterator has in flight (twice its at most four workers, plus the current).
const maxFreeBlocks = 12

func newDecoderPool() *decoderPool {
	zd, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(4),
		zstd.WithDecoderMaxMemory(maxBlockRaw), zstd.WithDecoderMaxWindow(maxBlockRaw))
	if err != nil {
		panic(fmt.Sprintf("format: zstd decoder options rejected: %v", err)) // static options
	}
	return &decoderPool{zd: zd, bufs: make(chan *loaded, maxFreeBlocks)}
}

// loaded is one block read, checked, decompressed and ready to decode.
type loaded struct {
	frame []byte
	raw   []byte
	enc   byte // the block's encoding: which decoder holds it
	dec   blockDecoder
	dec2  planeDecoder
	first uint64 // Num of the block's first event
	seq   int
	off   int64
}

func (p *decoderPool) get() *loaded {
	select {
	case l := <-p.bufs:
		return l
	default:
		return &loaded{}
	}
}

// release empties the free list when an iteration ends: a Set keeps a Reader open
// per file until its whole timeline is read, and a finished file's buffers, a few
// megabytes a block, would stay with it.
func (p *decoderPool) release() {
	for {
		select {
		case <-p.bufs:
		default:
			return
		}
	}
}

func (p *decoderPool) put(l *loaded) {
	select {
	case p.bufs <- l:
	default: // enough in reserve
	}
}

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
	if err := l.parse(h.encoding, r.schema, keep); err != nil {
		return err
	}
	if l.count() != int(h.count) {
		return corruptf("block holds %d events, its header says %d", l.count(), h.count)
	}
	if l.skipped() {
		r.skipped.Add(1)
	}
	return nil
}

// parse prepares the decoder of the block's encoding.
func (l *loaded) parse(enc byte, sm *schemaMap, keep func(*event.Event) bool) error {
	l.enc = enc
	if enc == encodingPlanes {
		return l.dec2.parse(l.raw, sm, keep)
	}
	return l.dec.parse(l.raw, sm, keep)
}

// next hands the block's next event to e; false at its end or at a bad event.
func (l *loaded) next(e *event.Event) bool {
	if l.enc == encodingPlanes {
		return l.dec2.next(e)
	}
	return l.dec.next(e)
}

// count returns the events in the block; pos, how many next has handed out.
func (l *loaded) count() int {
	if l.enc == encodingPlanes {
		return l.dec2.n
	}
	return l.dec.n
}

func (l *loaded) pos() int {
	if l.enc == encodingPlanes {
		return l.dec2.i
	}
	return l.dec.i
}

func (l *loaded) skipped() bool {
	if l.enc == encodingPlanes {
		return l.dec2.skipped
	}
	return l.dec.skipped
}

// err reports why the block's events stopped early, nil at a clean end.
func (l *loaded) err() error {
	if l.enc == encodingPlanes {
		return l.dec2.err()
	}
	return l.dec.err()
}

func (r *Reader) decompress(l *loaded, h *frameHeader, payload []byte) error {
	if h.encoding != encodingColumnar1 && h.encoding != encodingPlanes {
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
	evs := make([]*event.Event, 0, l.count())
	for {
		e := new(event.Event)
		if !l.next(e) {
			break
		}
		evs = append(evs, e)
	}
	if err := l.err(); err != nil {
		return nil, &FormatError{File: r.name, Part: fmt.Sprintf("state section %d", s.Seq), Offset: s.Offset, Err: err}
	}
	return evs, nil
}
