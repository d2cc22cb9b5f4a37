package scap

import (
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/syscam/syscam/event"
	"io"
	"os"
	"sync"
)

// Reader reads one .scap capture, plain or gzip-compressed (detected by content).
// Opening parses the header blocks of the first section; every Iter (or Events) call
// reads the capture again from its first byte, since scap files have no index.
//
// A Reader is safe for concurrent use: each iteration has its own stream.
type Reader struct {
	name  string
	ra    io.ReaderAt
	size  int64
	file  *os.File
	sec   *Section
	first int64

	scanOnce sync.Once
	scanned  *scanResult
}

// Open opens the capture at path.
func Open(path string) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open scap capture: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open scap capture: %w", err)
	}
	r, err := newReader(f, st.Size(), path)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.file = f
	return r, nil
}

// NewReader reads a capture of size bytes from ra.
func NewReader(ra io.ReaderAt, size int64) (*Reader, error) {
	return newReader(ra, size, "")
}

func newReader(ra io.ReaderAt, size int64, name string) (*Reader, error) {
	r := &Reader{name: name, ra: ra, size: size}
	br, err := r.stream()
	if err != nil {
		return nil, err
	}
	if r.sec, err = openStream(br); err != nil {
		return nil, err
	}
	r.first = firstEventTime(br)
	return r, nil
}

// stream starts a fresh decompressed stream at the capture's first byte.
func (r *Reader) stream() (*blockReader, error) {
	return newBlockReader(io.NewSectionReader(r.ra, 0, r.size), r.name)
}

// firstEventTime returns the timestamp of the event block br is positioned at, 0 when
// there is none or it does not decode.
func firstEventTime(br *blockReader) int64 {
	typ, body, ok, err := br.next()
	if !ok || err != nil || !isEventBlock(typ) {
		return 0
	}
	var ev rawEvent
	if known, err := decodeEvent(body, typ, &ev); err != nil || !known {
		if len(body) >= 10+8 && err == nil {
			return int64(binary.LittleEndian.Uint64(body[2:10]))
		}
		return 0
	}
	return int64(ev.ts)
}

// Name returns the file name given to Open ("" for NewReader).
func (r *Reader) Name() string { return r.name }

// Section returns what the header blocks of the capture's first section say.
func (r *Reader) Section() *Section { return r.sec }

// FirstTime returns the timestamp of the first event, ns since the Unix epoch (0 when
// the capture has no event).
func (r *Reader) FirstTime() int64 { return r.first }

// InitialState returns the first section's process, fd, user and group lists as
// syscam state records, stamped with the first event's time.
func (r *Reader) InitialState() ([]*event.Event, error) {
	return snapshot(r.sec, r.first), nil
}

// Close closes the file Open opened.
func (r *Reader) Close() error {
	if r.file == nil {
		return nil
	}
	err := r.file.Close()
	r.file = nil
	return err
}

// Probe reports whether the content of ra is a scap capture: a section header block
// (plain or inside gzip) followed by a block type of scap, which tells it from a
// pcapng file, whose section header is the same. A capture cut short is still one
// when what is left can be told (see cutCapture), so that opening it reports the
// damage rather than an unknown format.
func Probe(ra io.ReaderAt, size int64) bool {
	br, err := newBlockReader(io.NewSectionReader(ra, 0, size), "")
	if err != nil {
		return errors.Is(err, ErrTruncated) // cut inside the gzip header
	}
	typ, _, ok, err := br.peek()
	if err != nil {
		return cutCapture(br, err)
	}
	if !ok || typ != blkSHB {
		return false
	}
	_, body, _, err := br.next()
	if err != nil {
		return cutCapture(br, err)
	}
	if parseSHB(body, &Section{}) != nil {
		return false
	}
	typ, _, ok, err = br.peek()
	if err != nil {
		return errors.Is(err, ErrTruncated) // cut right after a sound section header
	}
	_, known := blockNames[typ]
	return !ok || known
}

// cutCapture reports whether err is the input ending inside the section header and
// what br holds of it starts as a scap section header does. Gzip input is a capture
// even when nothing of it inflates (no trace format syscam reads is gzip); plain input
// must hold at least the block type.
func cutCapture(br *blockReader, err error) bool {
	if !errors.Is(err, ErrTruncated) {
		return false
	}
	got := br.buf[br.r:br.w]
	if br.gz == nil && len(got) < 4 {
		return false
	}
	want := [12]byte{0x0A, 0x0D, 0x0D, 0x0A, 8: 0x4D, 0x3C, 0x2B, 0x1A} // type, length (any), byte order magic
	for i := 0; i < min(len(got), len(want)); i++ {
		if (i < 4 || i >= 8) && got[i] != want[i] {
			return false
		}
	}
	return true
}
