package format

import (
	"crypto/ed25519"
	"io"
	"time"

	"github.com/syscam/syscam/event"
)

// WriterOptions tune a Writer. The zero value is usable: default block sizes, one
// encoder per CPU (at most 4), no rotation, no signature.
type WriterOptions struct {
	// BlockEvents ends a block after this many events (default 65536, at most 131072).
	BlockEvents int
	// BlockBytes ends a block once its encoded, uncompressed columns reach this size
	// (default 4 MiB).
	BlockBytes int
	// Encoders is the number of goroutines compressing blocks in parallel (default
	// GOMAXPROCS, at most 4). Blocks are written in order whatever their number.
	Encoders int
	// Level is the zstd level, 1 (fastest) to 4 (best); default 1, which with
	// the columnar encoding gives smaller blocks than 2 or 3 and is the fastest.
	Level int
	// SignKey, when set, signs each file's footer with ed25519.
	SignKey ed25519.PrivateKey

	// Rotation (Create only). A new file starts before the event that would make the
	// current one exceed RotateSize bytes (approximately: sizes are known after
	// compression), span more than RotateTime of event time, or hold more than
	// RotateCount events. Files are named BASE.YYYYMMDDTHHMMSSZ.NNNNNN.syscam after
	// the time of their first event, so that names sort in time order.
	RotateSize  int64
	RotateTime  time.Duration
	RotateCount uint64
	// MaxFiles, with rotation, keeps at most this many files, removing the oldest.
	MaxFiles int
	// RotateState, with rotation, is called when a new file starts; the events it
	// returns become that file's initial state, so each file replays alone.
	RotateState func() (at int64, evs []*event.Event)
	// OnRotate, with rotation, is called with the name of each file once it is
	// complete (closed with its footer).
	OnRotate func(path string)

	// encoding is the block encoding, encodingPlanes unless a test asks for the
	// older one to check that files written with it stay readable.
	encoding byte
}

// Writer writes a trace: Write appends events to the current block, full blocks are
// compressed by a pool of encoder goroutines and written in order by one writer
// goroutine. Methods must be called from one goroutine at a time. Write does not block
// on disk unless the encoders fall behind by more than a few blocks.
type Writer struct {
	p *pipeline
}

// Create creates the trace file path (mode 0600) and writes its header. With rotation
// options, path is the base of the set's file names ("trace.syscam" gives
// "trace.20261127T061500Z.000001.syscam", ...).
func Create(path string, h Header, opts WriterOptions) (*Writer, error) {
	return create(path, h, opts)
}

// NewWriter writes a single trace to w (rotation options are ignored). Close does not
// close w.
func NewWriter(w io.Writer, h Header, opts WriterOptions) (*Writer, error) {
	return newWriter(w, h, opts)
}

// Write appends a copy of e to the trace. Events must come in timestamp order; an
// earlier event is refused with ErrOutOfOrder and not written. Errors from the
// background encoders and disk are returned by the next Write, Flush or Close.
func (w *Writer) Write(e *event.Event) error { return w.p.write(e) }

// WriteState writes a state section of snapshot events (procinfo, fdinfo, userinfo,
// groupinfo, cgroupinfo, containerinfo) valid at time at. The first section of a file
// is its initial state; later ones are checkpoints, listed in the index by time, from
// which a replay may start. The current block is ended first.
func (w *Writer) WriteState(at int64, evs []*event.Event) error { return w.p.writeState(at, evs) }

// Flush ends the current block and waits until every block so far is on disk (written
// to the underlying writer; call Sync on the file for durability), so that a crash
// loses little.
func (w *Writer) Flush() error { return w.p.flush() }

// SetStats records the capture statistics written into the footer on Close (and into
// each rotated file's footer).
func (w *Writer) SetStats(s Stats) { w.p.setStats(s) }

// Close ends the last block, writes the footer and closes the file (not a writer given
// to NewWriter). It returns the first error met while writing.
func (w *Writer) Close() error { return w.p.close() }

// Files returns the names of the files written so far (Create only).
func (w *Writer) Files() []string { return w.p.files() }
