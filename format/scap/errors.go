package scap

import (
	"errors"
	"fmt"
)

// Sentinel errors, for conditions callers branch on.
var (
	// ErrNotScap: the input does not start with a scap section header block.
	ErrNotScap = errors.New("scap: not a scap capture")
	// ErrCorrupt: a length, trailer or encoding is wrong.
	ErrCorrupt = errors.New("scap: corrupt capture")
	// ErrTruncated: the capture ends inside a block.
	ErrTruncated = errors.New("scap: truncated capture")
	// ErrTooLarge: a block is larger than the reader accepts.
	ErrTooLarge = errors.New("scap: block too large")
)

// FormatError locates a problem in a capture: the block, its byte offset in the
// (decompressed) stream, and what is wrong. It unwraps to one of the sentinels.
type FormatError struct {
	File   string // file name, when known
	Block  string // "PL_V9 block", "EV_V2 block 12 (event 11)"
	Offset int64  // offset of the block in the decompressed stream
	// Gzip is set when the capture is compressed: Offset is then no place in the file
	// as it lies on disk, and the message says so.
	Gzip bool
	Err  error
}

func (e *FormatError) Error() string {
	where := ""
	if e.Gzip {
		where = " of the decompressed stream"
	}
	s := fmt.Sprintf("%s at offset %d%s: %v", e.Block, e.Offset, where, e.Err)
	if e.File != "" {
		s = e.File + ": " + s
	}
	return s
}

func (e *FormatError) Unwrap() error { return e.Err }

// corruptf returns an error wrapping ErrCorrupt.
func corruptf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, args...)...)
}
