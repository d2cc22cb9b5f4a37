package capture

// The procfs*.go files parse the text files of /proc that the snapshot reads. Each
// parser takes the file's bytes (or a reader for the tables of /proc/net), never opens
// anything itself, and treats its input as untrusted: a malformed file gives an error
// naming the line and field, never a panic, and every size read from the input is capped
// before it is used. Byte slices in parser results alias the input buffer unless said
// otherwise, so a caller that reuses its buffer copies what it keeps.

import (
	"bytes"
	"errors"
	"fmt"
)

// errProcFormat is wrapped by every parse error of a /proc file.
var errProcFormat = errors.New("capture: malformed /proc file")

// parseError says where a /proc file did not parse: the line (from 1) and the field.
type parseError struct {
	Line  int
	Field string
	Msg   string
}

func (e *parseError) Error() string {
	if e.Line == 0 { // about the whole file: a field that is missing
		return fmt.Sprintf("field %s: %s", e.Field, e.Msg)
	}
	if e.Field == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return fmt.Sprintf("line %d: field %s: %s", e.Line, e.Field, e.Msg)
}

func (e *parseError) Unwrap() error { return errProcFormat }

func badField(line int, field, format string, args ...any) error {
	return &parseError{Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// parseDec parses a decimal unsigned integer of at most bits bits from b, without
// allocating (strconv would need a string).
func parseDec(b []byte, bits int) (uint64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if v > (1<<64-1-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	if bits < 64 && v >= 1<<bits {
		return 0, false
	}
	return v, true
}

// parseDecSigned parses a decimal integer that may start with '-' and fits in bits bits.
func parseDecSigned(b []byte, bits int) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	v, ok := parseDec(b, bits-1)
	if !ok {
		return 0, false
	}
	if neg {
		return -int64(v), true
	}
	return int64(v), true
}

// parseHex parses an unsigned hexadecimal integer of at most bits bits.
func parseHex(b []byte, bits int) (uint64, bool) {
	if len(b) == 0 || len(b) > bits/4 {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		v = v<<4 | uint64(d)
	}
	return v, true
}

// parseOct parses an unsigned octal integer that fits in 64 bits.
func parseOct(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 22 {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		if c < '0' || c > '7' || v>>61 != 0 {
			return 0, false
		}
		v = v<<3 | uint64(c-'0')
	}
	return v, true
}

// nextLine splits b at the first newline: the line without it, and the rest.
func nextLine(b []byte) (line, rest []byte) {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i], b[i+1:]
	}
	return b, nil
}

// nextField skips leading blanks (spaces and tabs) and returns the following run of
// non-blank bytes and what is left after it.
func nextField(b []byte) (field, rest []byte) {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	j := i
	for j < len(b) && b[j] != ' ' && b[j] != '\t' {
		j++
	}
	return b[i:j], b[j:]
}
