package format

import (
	"errors"
	"fmt"
)

// Sentinel errors, for conditions callers branch on.
var (
	// ErrNotTrace: the input does not start with a syscam file magic.
	ErrNotTrace = errors.New("format: not a syscam trace")
	// ErrVersion: the file was written by a newer, unknown format version.
	ErrVersion = errors.New("format: unsupported format version")
	// ErrCorrupt: a checksum, size or encoding is wrong.
	ErrCorrupt = errors.New("format: corrupt data")
	// ErrTruncated: the file ends before a complete frame or footer.
	ErrTruncated = errors.New("format: truncated file")
	// ErrOutOfOrder: Writer.Write was given an event earlier than the previous one.
	ErrOutOfOrder = errors.New("format: event out of timestamp order")
	// ErrClosed: the writer or reader is closed.
	ErrClosed = errors.New("format: closed")
)

// FormatError locates a problem in a file: the part (header, block N, footer), its
// byte offset and what is wrong. It unwraps to ErrCorrupt, ErrTruncated, ErrNotTrace or
// ErrVersion.
type FormatError struct {
	File   string // file name, when known
	Part   string // "header", "block 12", "state section 0", "footer"
	Offset int64  // byte offset of the part in the file
	Err    error
}

func (e *FormatError) Error() string {
	s := fmt.Sprintf("%s at offset %d: %v", e.Part, e.Offset, e.Err)
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
