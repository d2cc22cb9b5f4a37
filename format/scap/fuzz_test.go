package scap

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/syscam/syscam/event"
)

// FuzzScapReader feeds arbitrary bytes to the reader: it must return an error or
// events, never panic, and never hold more memory than its limits allow. Seeds: the
// synthetic captures of this package (also kept in testdata/fuzz/FuzzScapReader) and,
// when the shared captures are present, prefixes of them cut at test time.
func FuzzScapReader(f *testing.F) {
	synth := synthCapture()
	f.Add(synth)
	f.Add(gzipped(synth))
	f.Add(synth[:len(synth)/2])
	if dir := sharedDir(); dir != "" {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.scap"))
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b[:min(len(b), 4096)])
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if inflatesBeyond(b, 8<<20) {
			t.Skip("gzip input inflates past 8 MiB: reading it is correct but slow, not a fuzz case")
		}
		r, err := NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		st, _ := r.InitialState()
		for _, e := range st {
			_ = e.String()
		}
		it := r.Iter(Filter{})
		var e event.Event
		for n := 0; it.Next(&e) && n < 100000; n++ {
			_ = e.String()
		}
		_ = it.Err()
		o := r.Ordered(Filter{})
		last := int64(-1 << 63)
		for n := 0; o.Next(&e) && n < 100000; n++ {
			if e.Time < last {
				t.Fatalf("ordered event %d at %d after one at %d", e.Num, e.Time, last)
			}
			last = e.Time
		}
		_ = o.Err()
	})
}

// inflatesBeyond reports whether b is a gzip stream that decompresses to more than
// limit bytes.
func inflatesBeyond(b []byte, limit int64) bool {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return false
	}
	n, _ := io.Copy(io.Discard, io.LimitReader(zr, limit+1))
	return n > limit
}
