package format

import (
	"crypto/ed25519"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/syscam/syscam/event"
)

func verifyFile(name string, opts VerifyOptions) (*Report, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	rep, err := verify(f, st.Size(), opts)
	if rep != nil {
		rep.Name = name
	}
	return rep, err
}

// verifier walks a file frame by frame, as a recovery scan does, but stops at the
// first problem and says what it is.
type verifier struct {
	r        io.ReaderAt
	size     int64
	opts     VerifyOptions
	rep      *Report
	schema   *schemaMap
	dec      *decoderPool
	link     [32]byte
	prevLink [32]byte // link of the frame before the current one
	off      int64
	seq      int
	limit    int64 // offset of the footer according to the trailer, or size
	blocks   []BlockInfo
	states   []StateInfo
	lastEnd  int64
}

func verify(r io.ReaderAt, size int64, opts VerifyOptions) (*Report, error) {
	v := &verifier{r: r, size: size, opts: opts, rep: &Report{Size: size}, limit: size}
	h, end, seed, err := readFileHeader(r, size)
	if err != nil {
		kind := ProblemDamaged
		if errors.Is(err, ErrTruncated) {
			kind = ProblemTruncated
			v.rep.Truncated, v.rep.BytesLost = true, size
		}
		v.problemOf(kind, "header", -1, 0, errText(err))
		return v.rep, nil
	}
	v.schema, v.dec = newSchemaMap(h.Schema), newDecoderPool()
	defer v.dec.zd.Close()
	v.link, v.off, v.lastEnd = seed, end, end
	if off, ok := v.trailerOffset(end); ok {
		v.limit = off
	}
	for v.rep.Problem == nil {
		done, err := v.frame()
		if err != nil {
			return nil, err
		}
		if done {
			break
		}
	}
	return v.rep, nil
}

func errText(err error) string {
	var fe *FormatError
	if errors.As(err, &fe) {
		return fe.Err.Error()
	}
	return err.Error()
}

func (v *verifier) problem(part string, block int, off int64, what string) {
	v.problemOf(ProblemDamaged, part, block, off, what)
}

func (v *verifier) problemOf(kind ProblemKind, part string, block int, off int64, what string) {
	if v.rep.Problem == nil {
		v.rep.Problem = &Problem{Kind: kind, Part: part, Block: block, Offset: off, What: what}
	}
}

// trailerOffset returns where a valid trailer places the footer.
func (v *verifier) trailerOffset(hdrEnd int64) (int64, bool) {
	if v.size < hdrEnd+frameHeaderSize+trailerSize {
		return 0, false
	}
	var t [trailerSize]byte
	if _, err := v.r.ReadAt(t[:], v.size-trailerSize); err != nil || !trailerValid(t[:]) {
		return 0, false
	}
	off := int64(binary.LittleEndian.Uint64(t[0:]))
	return off, off >= hdrEnd && off < v.size
}

func (v *verifier) truncated(part string, what string) {
	v.rep.Truncated = true
	v.rep.BytesLost = v.size - v.lastEnd
	v.problemOf(ProblemTruncated, part, v.seq, v.off, fmt.Sprintf("truncated: %s; %d bytes lost after the last complete frame at offset %d",
		what, v.rep.BytesLost, v.lastEnd))
}

// frameName names a frame as the reader's errors do, by its kind: the part of a file
// a person looks for, whether it is intact or cut short.
func frameName(kind byte, seq int) string {
	switch kind {
	case kindBlock:
		return fmt.Sprintf("block %d", seq)
	case kindState:
		return fmt.Sprintf("state section %d", seq)
	case kindFooter:
		return "footer"
	}
	return fmt.Sprintf("frame %d", seq)
}

// frame checks the frame at v.off. done is true after the footer or a problem.
func (v *verifier) frame() (done bool, err error) {
	if v.off == v.size {
		v.truncated("footer", "the file ends without a footer")
		return true, nil
	}
	var hb [frameHeaderSize]byte
	avail := min(v.size-v.off, frameHeaderSize)
	if _, err := v.r.ReadAt(hb[:avail], v.off); err != nil {
		return true, fmt.Errorf("read frame at offset %d: %w", v.off, err)
	}
	// The kind is in the first 4 bytes, so even a cut header can say what it began.
	part := fmt.Sprintf("block %d", v.seq)
	if avail < 4 {
		part = frameName(0, v.seq)
	} else if string(hb[0:3]) == frameMagic {
		part = frameName(hb[3], v.seq)
	}
	if avail < frameHeaderSize {
		v.truncated(part, "the last frame's header is cut short")
		return true, nil
	}
	h, perr := parseFrameHeader(hb[:])
	if perr == nil {
		perr = h.check()
	}
	if perr != nil {
		v.problem(part, v.seq, v.off, errText(perr))
		return true, nil
	}
	n := frameHeaderSize + int64(h.stored)
	if v.off+n > v.size || (v.limit < v.size && h.kind != kindFooter && v.off+n > v.limit) {
		if v.limit < v.size {
			v.problem(part, v.seq, v.off, fmt.Sprintf("frame size %d runs past the footer at offset %d", n, v.limit))
		} else {
			v.truncated(part, fmt.Sprintf("frame of %d bytes is cut short", n))
		}
		return true, nil
	}
	frame := make([]byte, n)
	if _, err := v.r.ReadAt(frame, v.off); err != nil {
		return true, fmt.Errorf("read frame at offset %d: %w", v.off, err)
	}
	if !v.checkFrame(part, &h, frame) {
		return true, nil
	}
	if h.kind == kindFooter {
		v.footer(frame, n)
		return true, nil
	}
	v.off += n
	v.lastEnd = v.off
	v.seq++
	return false, nil
}

// checkFrame checks one complete frame: checksum, sequence, chain, content.
func (v *verifier) checkFrame(part string, h *frameHeader, frame []byte) bool {
	payload := frame[frameHeaderSize:]
	if frameCRC(frame, payload) != h.crc {
		v.problem(part, v.seq, v.off, "checksum mismatch: the frame was altered")
		return false
	}
	if int(h.seq) != v.seq {
		v.problem(part, v.seq, v.off, fmt.Sprintf("sequence number %d where %d belongs: a frame was removed, added or reordered", h.seq, v.seq))
		return false
	}
	link := chainLink(v.link, contentHash(frame, payload))
	if link != h.link {
		v.problem(part, v.seq, v.off, "hash chain broken: the link does not follow from the frames before (frames removed, added, reordered or rewritten)")
		return false
	}
	v.prevLink, v.link = v.link, link
	if h.kind == kindFooter {
		return true
	}
	if err := v.decode(h, payload); err != nil {
		v.problem(part, v.seq, v.off, "does not decode: "+errText(err))
		return false
	}
	return true
}

// decode decompresses and decodes every event of a block or state section, and
// records it.
func (v *verifier) decode(h *frameHeader, payload []byte) error {
	rd := &Reader{schema: v.schema, dec: v.dec}
	l := &loaded{}
	if err := rd.decompress(l, h, payload); err != nil {
		return err
	}
	if err := l.parse(h.encoding, v.schema, nil); err != nil {
		return err
	}
	if l.count() != int(h.count) {
		return corruptf("block holds %d events, its header says %d", l.count(), h.count)
	}
	var e event.Event
	for l.next(&e) {
		if e.Time < h.minTime || e.Time > h.maxTime {
			if h.kind == kindBlock {
				return corruptf("event %d at %d outside the block's time range", l.pos(), e.Time)
			}
		}
	}
	if err := l.err(); err != nil {
		return err
	}
	n := frameHeaderSize + int64(h.stored)
	if h.kind == kindState {
		v.states = append(v.states, StateInfo{Seq: v.seq, Offset: v.off, Size: n, Count: h.count, Time: h.minTime})
		v.rep.States++
	} else {
		v.blocks = append(v.blocks, BlockInfo{Seq: v.seq, Offset: v.off, Size: n, Count: h.count, MinTime: h.minTime, MaxTime: h.maxTime})
		v.rep.Blocks++
		v.rep.Events += uint64(h.count)
	}
	return nil
}

// footer checks the footer frame, the trailer, the index and the signature.
func (v *verifier) footer(frame []byte, n int64) {
	end := v.size
	if tend, ok := trailerAfter(v.r, v.size, v.off, n); ok && tend < v.size {
		// Bytes appended to a finished file: nothing was lost, so check the trace up to
		// its trailer and name what follows only if the trace itself is intact.
		end, v.rep.Trailing = tend, v.size-tend
		defer func() {
			v.problemOf(ProblemTrailingData, "trailing data", -1, end,
				fmt.Sprintf("%d bytes after the trailer, not part of the trace", v.rep.Trailing))
		}()
	}
	rest := end - v.off - n
	if rest > trailerSize+ed25519.SignatureSize {
		// Longer than any trailer, so not a file cut short.
		v.problem("footer", -1, v.off, fmt.Sprintf("%d bytes follow the footer, and no trailer among them points at it", rest))
		return
	}
	if rest != trailerSize && rest != trailerSize+ed25519.SignatureSize {
		v.truncated("footer", fmt.Sprintf("%d bytes follow the footer, a trailer needs %d", rest, trailerSize))
		return
	}
	tail := make([]byte, rest)
	if _, err := v.r.ReadAt(tail, v.off+n); err != nil {
		v.problem("footer", -1, v.off, "read trailer: "+err.Error())
		return
	}
	sig := tail[:rest-trailerSize]
	t := tail[rest-trailerSize:]
	if !trailerValid(t) ||
		int64(binary.LittleEndian.Uint64(t)) != v.off || int64(binary.LittleEndian.Uint32(t[8:])) != n ||
		int64(binary.LittleEndian.Uint16(t[12:])) != int64(len(sig)) {
		v.problem("footer", -1, end-trailerSize, "trailer is damaged or does not point at the footer")
		return
	}
	f, err := parseFooter(frame, sig, v.off)
	if err != nil {
		v.problem("footer", -1, v.off, errText(err))
		return
	}
	v.rep.Footer, v.rep.Signed = true, len(sig) > 0
	if what := v.compareIndex(f); what != "" {
		v.problem("footer", -1, v.off, what)
		return
	}
	v.checkSignature(frame, sig)
}

func (v *verifier) compareIndex(f *footer) string {
	if len(f.Blocks) != len(v.blocks) || len(f.States) != len(v.states) {
		return fmt.Sprintf("index lists %d blocks and %d state sections, the file has %d and %d",
			len(f.Blocks), len(f.States), len(v.blocks), len(v.states))
	}
	for i, b := range f.Blocks {
		g := v.blocks[i]
		if b.Seq != g.Seq || b.Offset != g.Offset || b.Size != g.Size || b.Count != g.Count || b.MinTime != g.MinTime || b.MaxTime != g.MaxTime {
			return fmt.Sprintf("index entry %d does not describe block %d at offset %d", i, g.Seq, g.Offset)
		}
	}
	for i, s := range f.States {
		g := v.states[i]
		if s.Seq != g.Seq || s.Offset != g.Offset || s.Size != g.Size || s.Count != g.Count || s.Time != g.Time {
			return fmt.Sprintf("index entry for state section %d does not describe the frame at offset %d", i, g.Offset)
		}
	}
	if f.Events != v.rep.Events {
		return fmt.Sprintf("footer counts %d events, the blocks hold %d", f.Events, v.rep.Events)
	}
	if f.Digest != hex.EncodeToString(v.prevLink[:]) {
		return "digest does not match the hash chain"
	}
	return ""
}

func (v *verifier) checkSignature(frame, sig []byte) {
	if v.opts.PublicKey == nil {
		return
	}
	if len(sig) == 0 {
		v.problemOf(ProblemNotSigned, "footer", -1, v.off, "not signed, but a public key was given")
		return
	}
	if len(v.opts.PublicKey) != ed25519.PublicKeySize || !ed25519.Verify(v.opts.PublicKey, frame, sig) {
		v.problem("footer", -1, v.off, "signature does not verify with the given public key")
		return
	}
	v.rep.SigValid = true
}
