package format

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"
)

// rotated reports whether the writer makes a rotated set.
func (o WriterOptions) rotated() bool {
	return o.RotateSize > 0 || o.RotateTime > 0 || o.RotateCount > 0
}

// rotateDue reports whether the event at t must start a new file.
func (p *pipeline) rotateDue(t int64) bool {
	o := &p.opts
	if !p.rotating || p.fileEvents == 0 {
		return false
	}
	switch {
	case o.RotateCount > 0 && p.fileEvents >= o.RotateCount:
		return true
	case o.RotateTime > 0 && t-p.fileStart >= int64(o.RotateTime):
		return true
	case o.RotateSize > 0 && p.fileBytes.Load()+p.pendingEstimate() >= o.RotateSize:
		return true
	}
	return false
}

// pendingEstimate guesses the on-disk size of what is not written yet: the current
// block at a typical compression ratio. Blocks in the encoders are not counted, so a
// file may pass RotateSize by up to a few blocks.
func (p *pipeline) pendingEstimate() int64 { return int64(p.cur.size / 4) }

// rotate ends the current file and starts the next one with the event at t.
func (p *pipeline) rotate(t int64) {
	p.submit()
	p.nameTime = max(p.nameTime, t)
	p.part++
	p.control(ctlRotate, partName(p.base, p.nameTime, p.part))
	p.seq, p.fileEvents, p.fileStart = 0, 0, t
	if p.opts.RotateState != nil {
		at, evs := p.opts.RotateState()
		p.cur.kind, p.cur.state = kindState, at
		for _, e := range evs {
			p.cur.add(e)
		}
		p.submit()
	}
}

// partName names part n of a rotated set: base.20261127T061500Z.000001.syscam.
func partName(base string, t int64, n int) string {
	ts := time.Unix(0, t).UTC().Format("20060102T150405Z")
	return fmt.Sprintf("%s.%s.%06d.syscam", base, ts, n)
}

// fillHeader sets what the writer owns in a header.
func fillHeader(h *Header) {
	if h.Created == 0 {
		h.Created = time.Now().UnixNano()
	}
	if h.CaptureID == "" {
		var id [16]byte
		rand.Read(id[:])
		h.CaptureID = hex.EncodeToString(id[:])
	}
}

func create(path string, h Header, opts WriterOptions) (*Writer, error) {
	fillHeader(&h)
	name, base := path, ""
	if opts.rotated() {
		base = strings.TrimSuffix(path, ".syscam")
		h.Part = 1
		name = partName(base, h.Created, 1)
	}
	f, err := createFile(name)
	if err != nil {
		return nil, err
	}
	out := &output{w: f, closer: f, name: name, hdr: h}
	if err := out.start(); err != nil {
		f.Close()
		return nil, err
	}
	p, err := newPipeline(opts, out)
	if err != nil {
		f.Close()
		return nil, err
	}
	p.base, p.nameTime, p.fileList = base, h.Created, []string{name}
	p.rotating = opts.rotated()
	p.fileBytes.Store(out.offset)
	return &Writer{p: p}, nil
}

func newWriter(w io.Writer, h Header, opts WriterOptions) (*Writer, error) {
	fillHeader(&h)
	opts.RotateSize, opts.RotateTime, opts.RotateCount = 0, 0, 0
	out := &output{w: w, hdr: h}
	if err := out.start(); err != nil {
		return nil, err
	}
	p, err := newPipeline(opts, out)
	if err != nil {
		return nil, err
	}
	return &Writer{p: p}, nil
}
