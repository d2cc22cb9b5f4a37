package scap

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/syscam/syscam/event"
)

// benchCapture builds, at benchmark time, a large plain capture from a small one:
// the header blocks once, then the event blocks repeated with their timestamps
// shifted past the previous copy, until the capture holds about n raw events. The
// source is curl_google.scap when the shared captures are present (its mix: 40%
// unmapped procinfo/switch events, the rest syscall enter/exit pairs), else the
// synthetic capture. Nothing is written into the repository.
func benchCapture(tb testing.TB, n int) []byte {
	src := synthCapture()
	if dir := sharedDir(); dir != "" {
		if b, err := os.ReadFile(filepath.Join(dir, "curl_google.scap")); err == nil {
			src = gunzip(tb, b)
		}
	}
	head, events, count := splitCapture(tb, src)
	var first, last uint64
	forEachEventBlock(events, func(ts []byte) {
		v := binary.LittleEndian.Uint64(ts)
		if first == 0 || v < first {
			first = v
		}
		last = max(last, v)
	})
	span := last - first + 1
	out := bytes.NewBuffer(make([]byte, 0, len(head)+len(events)*(n/count+1)))
	out.Write(head)
	for k := 0; k*count < n; k++ {
		start := out.Len()
		out.Write(events)
		forEachEventBlock(out.Bytes()[start:], func(ts []byte) {
			binary.LittleEndian.PutUint64(ts, binary.LittleEndian.Uint64(ts)+uint64(k)*span)
		})
	}
	return out.Bytes()
}

func gunzip(tb testing.TB, b []byte) []byte {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return b
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// splitCapture cuts a plain capture into its header blocks and its event blocks.
func splitCapture(tb testing.TB, b []byte) (head, events []byte, count int) {
	off := 0
	for off+8 <= len(b) {
		typ := binary.LittleEndian.Uint32(b[off:])
		n := int(binary.LittleEndian.Uint32(b[off+4:]))
		if isEventBlock(typ) {
			if head == nil {
				head = b[:off]
			}
			count++
		}
		off += n
	}
	if head == nil {
		tb.Fatal("capture has no event block")
	}
	return head, b[len(head):off], count
}

// forEachEventBlock calls fn with the timestamp bytes of every event block in b.
func forEachEventBlock(b []byte, fn func(ts []byte)) {
	for off := 0; off+8 <= len(b); off += int(binary.LittleEndian.Uint32(b[off+4:])) {
		typ := binary.LittleEndian.Uint32(b[off:])
		if !isEventBlock(typ) {
			continue
		}
		at := off + 8 + 2
		if typ == blkEVF || typ == blkEVFV2 || typ == blkEVFV2Large {
			at += 4
		}
		fn(b[at : at+8])
	}
}

// BenchmarkReadAndMap reads a large plain capture and maps every event, on one
// goroutine; rawevents/s counts scap events read, events/s the syscam events produced.
func BenchmarkReadAndMap(b *testing.B) {
	capture := benchCapture(b, 2_000_000)
	b.SetBytes(int64(len(capture)))
	b.ReportAllocs()
	var raw, mapped uint64
	cpu0 := cpuTime()
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(capture), int64(len(capture)))
		if err != nil {
			b.Fatal(err)
		}
		it := r.Iter(Filter{})
		var e event.Event
		for it.Next(&e) {
		}
		if it.Err() != nil {
			b.Fatal(it.Err())
		}
		raw += it.Stats().Events
		mapped += it.Stats().Emitted
	}
	s := b.Elapsed().Seconds()
	b.ReportMetric(float64(raw)/s, "rawevents/s")
	b.ReportMetric(float64(mapped)/s, "events/s")
	if cpu := (cpuTime() - cpu0).Seconds(); cpu > 0 {
		b.ReportMetric(float64(raw)/cpu, "rawevents/cpu-s")
		b.ReportMetric(float64(mapped)/cpu, "events/cpu-s")
	}
}

// BenchmarkReadAndMapGzip is the same capture gzip-compressed, as sysdig -z writes it.
func BenchmarkReadAndMapGzip(b *testing.B) {
	capture := gzipped(benchCapture(b, 500_000))
	b.SetBytes(int64(len(capture)))
	b.ReportAllocs()
	var raw uint64
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(capture), int64(len(capture)))
		if err != nil {
			b.Fatal(err)
		}
		it := r.Iter(Filter{})
		var e event.Event
		for it.Next(&e) {
		}
		raw += it.Stats().Events
	}
	b.ReportMetric(float64(raw)/b.Elapsed().Seconds(), "rawevents/s")
}

// BenchmarkEventsOrdered is what format.Source consumers get: the header-only first
// pass, then the mapping pass in timestamp order (no reorder heap when the capture's
// order allows).
func BenchmarkEventsOrdered(b *testing.B) {
	capture := benchCapture(b, 2_000_000)
	b.SetBytes(int64(len(capture)))
	b.ReportAllocs()
	var raw, mapped uint64
	cpu0 := cpuTime()
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(capture), int64(len(capture)))
		if err != nil {
			b.Fatal(err)
		}
		it := r.Ordered(Filter{})
		var e event.Event
		for it.Next(&e) {
		}
		if it.Err() != nil {
			b.Fatal(it.Err())
		}
		raw += it.Stats().Events
		mapped += it.Stats().Emitted
		b.ReportMetric(float64(r.scan().lateness), "lateness-ns")
	}
	s := b.Elapsed().Seconds()
	b.ReportMetric(float64(raw)/s, "rawevents/s")
	b.ReportMetric(float64(mapped)/s, "events/s")
	if cpu := (cpuTime() - cpu0).Seconds(); cpu > 0 {
		b.ReportMetric(float64(raw)/cpu, "rawevents/cpu-s")
		b.ReportMetric(float64(mapped)/cpu, "events/cpu-s")
	}
}
