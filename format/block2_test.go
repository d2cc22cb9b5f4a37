package format

import (
	"errors"
	"strings"
	"testing"
)

// rawBlock2 is an encoding 2 payload built field by field, so that a test can break
// one field at a time. The zero value describes a valid block of two events of one
// type without parameters (a type the schema does not know).
type rawBlock2 struct {
	events   uint64 // N; 2 when 0
	typeN    uint64 // C of the only type; N when 0
	ncols    uint64
	dict     uint64
	widths   []byte // overrides the widths of the fixed columns
	thread   []byte // overrides the thread plane
	trailing int    // bytes added after the last column
}

func (rb rawBlock2) bytes() []byte {
	n := rb.events
	if n == 0 {
		n = 2
	}
	c := rb.typeN
	if c == 0 {
		c = n
	}
	b := appendVarint(nil, 1_000)
	b = appendUvarint(b, 1) // one thread
	b = appendVarint(b, 5)
	b = appendVarint(b, 0)
	b = appendUvarint(b, 1) // one type
	b = appendUvarint(b, 60000)
	b = appendUvarint(b, rb.ncols)
	b = appendUvarint(b, c)
	b = appendUvarint(b, n)
	b = appendUvarint(b, rb.dict)
	b = appendUvarint(b, 0) // byte parameters
	b = appendUvarint(b, 0) // lit
	b = appendUvarint(b, 0) // data
	widths := []byte{1, 1, 0, 0, 0, 0, 0, 0, 0}
	if rb.widths != nil {
		widths = rb.widths
	}
	b = append(b, widths...)
	for range 1 + rb.ncols {
		b = append(b, 0)
	}
	for i := range n { // time: one ns apart
		b = append(b, byte(2*min(i, 1)))
	}
	thread := rb.thread
	if thread == nil {
		thread = make([]byte, n)
		thread[0] = 1
	}
	b = append(b, thread...)
	return append(b, make([]byte, rb.trailing)...)
}

func TestBlock2HeaderChecks(t *testing.T) {
	sm := newSchemaMap(CurrentSchema())
	for _, tc := range []struct {
		name string
		raw  rawBlock2
		want string // in the error; "" for a block that decodes
	}{
		{"valid", rawBlock2{}, ""},
		{"a width over 8 bytes", rawBlock2{widths: []byte{9, 1, 0, 0, 0, 0, 0, 0, 0}}, "bad column widths"},
		{"more parameter columns than an Event holds", rawBlock2{ncols: 33}, "bad type entry"},
		{"more events than a block may hold", rawBlock2{events: maxBlockEvents2 + 1, typeN: 1}, "bad event count"},
		{"a type with more events than a block may hold", rawBlock2{events: maxBlockEvents2 + 1}, "bad type entry"},
		{"more dictionary entries than values", rawBlock2{dict: 2*maxColumns2 + 1}, "bad sizes"},
		{"types that do not add up to the events", rawBlock2{typeN: 1}, "types count 1 events, block has 2"},
		{"bytes after the last column", rawBlock2{trailing: 3}, "columns hold"},
		{"a first event on the CPU's previous thread", rawBlock2{thread: []byte{0, 0}}, "previous thread of CPU 0, which has none"},
		{"a thread past the table", rawBlock2{thread: []byte{2, 0}}, "refers to thread 2 of 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var d planeDecoder
			err := d.parse(tc.raw.bytes(), sm, nil)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("parse: %v", err)
				}
				return
			}
			if err == nil || !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("parse: %v, want a corrupt-data error saying %q", err, tc.want)
			}
		})
	}
}
