package format

import (
	"io"
	"os"
	"sync/atomic"

	"github.com/syscam/syscam/event"
)

// Reader reads one trace file. Opening reads the header, the footer and its index only;
// blocks are read, checked and decompressed when Events asks for them. A file without
// a valid footer (its writer was killed, its disk filled) is opened by scanning its
// frames up to the last complete one; Recovered and Lost say so.
//
// A Reader is safe for concurrent use: each Events iterator has its own state.
type Reader struct {
	name   string
	r      io.ReaderAt
	size   int64
	closer io.Closer

	hdr       Header
	hdrEnd    int64
	foot      footer
	recovered bool
	lost      int64
	trailing  int64
	schema    *schemaMap
	dec       *decoderPool

	decompressed atomic.Uint64
	skipped      atomic.Uint64 // blocks whose parameters a Keep predicate spared
}

// Open opens the trace file name.
func Open(name string) (*Reader, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	r, err := newReader(f, st.Size(), name)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer = f
	return r, nil
}

// NewReader reads a trace of size bytes from r.
func NewReader(r io.ReaderAt, size int64) (*Reader, error) {
	return newReader(r, size, "")
}

// Name returns the file name given to Open ("" for NewReader).
func (r *Reader) Name() string { return r.name }

// Header returns the file's header.
func (r *Reader) Header() Header { return r.hdr }

// Stats returns the capture statistics of the footer (zero for a recovered file).
func (r *Reader) Stats() Stats { return r.foot.Stats }

// Blocks returns the block index, in file order (and time order).
func (r *Reader) Blocks() []BlockInfo { return r.foot.Blocks }

// States returns the state section index, in file order.
func (r *Reader) States() []StateInfo { return r.foot.States }

// TypeCounts returns how many events of each type the file holds. It comes from the
// footer; a recovered file has none, and is read whole to count them.
func (r *Reader) TypeCounts() (map[event.Type]uint64, error) {
	if r.foot.Types != nil || r.foot.Events == 0 {
		return r.foot.Types, nil
	}
	m := make(map[event.Type]uint64)
	it := r.Events(Selection{})
	defer it.Close()
	var e event.Event
	for it.Next(&e) {
		m[e.Type]++
	}
	return m, it.Err()
}

// Count returns the number of events in the file.
func (r *Reader) Count() uint64 { return r.foot.Events }

// TimeRange returns the times of the first and last events (0, 0 when empty).
func (r *Reader) TimeRange() (first, last int64) { return r.foot.First, r.foot.Last }

// Size returns the file size in bytes.
func (r *Reader) Size() int64 { return r.size }

// Signed reports whether the footer carries a signature (see Verify to check it).
func (r *Reader) Signed() bool { return len(r.foot.sig) > 0 }

// Recovered reports whether the file had no valid footer and was read by scanning.
func (r *Reader) Recovered() bool { return r.recovered }

// Lost returns how many bytes at the end of a recovered file could not be read (a
// partial frame or footer).
func (r *Reader) Lost() int64 { return r.lost }

// Trailing returns how many bytes follow the trailer of a finished file. They are
// not part of the trace (something appended them after the writer closed it), so
// the file is read as if it ended at its trailer; Verify reports them.
func (r *Reader) Trailing() int64 { return r.trailing }

// BlocksDecompressed returns how many blocks this Reader has decompressed so far: a
// selection that the index rules out decompresses none.
func (r *Reader) BlocksDecompressed() uint64 { return r.decompressed.Load() }

// BlocksSkipped returns how many decompressed blocks a Selection's Keep predicate
// rejected whole, so that their parameters were never decoded.
func (r *Reader) BlocksSkipped() uint64 { return r.skipped.Load() }

// InitialState returns the events of the file's first state section, or nil if the
// file has none.
func (r *Reader) InitialState() ([]*event.Event, error) {
	if len(r.foot.States) == 0 {
		return nil, nil
	}
	return r.readState(&r.foot.States[0])
}

// StateBefore returns the latest state section taken at or before t (the initial state
// when no checkpoint precedes t) and the instant it describes; evs is nil when the file
// has no state section. A replay starting at t applies evs, then Events{From: at}.
// at is never after t: the recorder snapshots /proc after its capture started, so t may
// lie before the initial state, and the events between t and the snapshot (the capture
// start among them) must still be read, as a replay from the start reads them.
func (r *Reader) StateBefore(t int64) (at int64, evs []*event.Event, err error) {
	var best *StateInfo
	for i := range r.foot.States {
		s := &r.foot.States[i]
		if i == 0 || s.Time <= t {
			best = s
		}
	}
	if best == nil {
		return 0, nil, nil
	}
	evs, err = r.readState(best)
	return min(best.Time, t), evs, err
}

// Events iterates over the selected events in timestamp order, with Num set to each
// event's position in the file (from 1). Blocks are decompressed ahead in parallel.
func (r *Reader) Events(sel Selection) *Events {
	return &Events{it: r.newIterator(sel)}
}

// Close closes the file opened by Open.
func (r *Reader) Close() error {
	r.dec.zd.Close()
	if r.closer != nil {
		return r.closer.Close()
	}
	return nil
}
