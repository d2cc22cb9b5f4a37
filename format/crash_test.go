package format

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/syscam/syscam/event"
)

// TestCutFileReadsEveryCompleteBlock cuts a complete file at every byte offset of its
// last blocks and footer, and at a sample of offsets elsewhere, as a killed writer or
// a full disk leaves it: the reader returns every event of the blocks completed before
// the cut, never panics, and verify reports the truncation and the bytes lost.
func TestCutFileReadsEveryCompleteBlock(t *testing.T) {
	evs := synthEvents(3, 240)
	data := writeTraceWithState(t, smallState(), evs, WriterOptions{BlockEvents: 20})
	full, err := NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	blocks := full.Blocks()
	hdrEnd := full.hdrEnd
	var cuts []int64
	for c := blocks[len(blocks)-2].Offset; c < int64(len(data)); c++ {
		cuts = append(cuts, c)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for range 100 {
		cuts = append(cuts, rng.Int64N(blocks[len(blocks)-2].Offset))
	}
	for _, cut := range cuts {
		cutFile(t, data[:cut], hdrEnd, blocks, evs)
	}
}

func cutFile(t *testing.T, data []byte, hdrEnd int64, blocks []BlockInfo, evs []*event.Event) {
	t.Helper()
	size := int64(len(data))
	// What survives: the blocks that end at or before the cut.
	want, end := 0, hdrEnd
	for _, b := range blocks {
		if b.Offset+b.Size <= size {
			want += int(b.Count)
		}
	}
	r, err := NewReader(bytes.NewReader(data), size)
	if size < hdrEnd {
		if err == nil {
			t.Fatalf("cut at %d, inside the header: opened without error", size)
		}
		return
	}
	if err != nil {
		t.Fatalf("cut at %d: open: %v", size, err)
	}
	got := readAll(t, r, Selection{})
	if d := diffEvents(numbered(evs[:want]), got); d != "" {
		t.Fatalf("cut at %d: %s", size, d)
	}
	end = lastFrameEnd(r, hdrEnd)
	if !r.Recovered() || r.Lost() != size-end {
		t.Fatalf("cut at %d: recovered %v, lost %d; want recovered, lost %d", size, r.Recovered(), r.Lost(), size-end)
	}
	rep, err := Verify(bytes.NewReader(data), size, VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() || !rep.Truncated || rep.BytesLost != size-end {
		t.Fatalf("cut at %d: verify says ok=%v truncated=%v lost=%d (%v); want truncated, %d bytes lost",
			size, rep.OK(), rep.Truncated, rep.BytesLost, rep.Problem, size-end)
	}
}

// lastFrameEnd returns the end of the last complete block or state section of r.
func lastFrameEnd(r *Reader, hdrEnd int64) int64 {
	end := hdrEnd
	for _, b := range r.Blocks() {
		end = max(end, b.Offset+b.Size)
	}
	for _, s := range r.States() {
		end = max(end, s.Offset+s.Size)
	}
	return end
}

// A cut names the part it falls in as verify names that part in an intact file: the
// state section or the footer, not the block that would have come next.
func TestCutFileNamesThePartItFallsIn(t *testing.T) {
	data := writeTraceWithState(t, smallState(), synthEvents(3, 80), WriterOptions{BlockEvents: 20})
	r, err := NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	st, b1, foot := r.States()[0], r.Blocks()[1], r.foot.offset
	next := len(r.Blocks()) + len(r.States())
	for _, tc := range []struct {
		name string
		cut  int64
		part string
	}{
		{"in the state section's frame header", st.Offset + 10, "state section 0"},
		{"in the state section's payload", st.Offset + frameHeaderSize + 5, "state section 0"},
		{"in the second block's frame header", b1.Offset + 10, "block " + itoa(int64(b1.Seq))},
		{"in the second block's payload", b1.Offset + b1.Size - 1, "block " + itoa(int64(b1.Seq))},
		{"in the footer's frame header", foot + 10, "footer"},
		{"in the footer's payload", foot + frameHeaderSize + 5, "footer"},
		{"before the footer's magic is whole", foot + 2, "frame " + itoa(int64(next))},
		{"where the footer would start", foot, "footer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Verify(bytes.NewReader(data[:tc.cut]), tc.cut, VerifyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() || rep.Problem.Kind != ProblemTruncated || rep.Problem.Part != tc.part {
				t.Fatalf("verify says %v; want the %s truncated", rep.Problem, tc.part)
			}
		})
	}
}
