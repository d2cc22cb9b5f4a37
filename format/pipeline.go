package format

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/zstd"
	"github.com/syscam/syscam/event"
)

// pipeline is the machinery behind Writer:
//
//	Write (caller) ──► blockBuilder ──► jobs ──► encoders (N goroutines: assemble,
//	     │                                      zstd, CRC and SHA-256 of the payload)
//	     └──────────── order (same jobs, in order) ──► output goroutine: waits for each
//	                   job, chains its link, writes it, indexes it, rotates files
//
// The caller side decides block ends and rotation, so sequence numbers are known when a
// block is encoded; the output goroutine owns the files.
type pipeline struct {
	opts WriterOptions
	enc  *zstd.Encoder

	// Caller side.
	cur        *blockBuilder
	last       int64
	seq        uint32
	fileEvents uint64
	fileStart  int64
	part       int
	nameTime   int64
	base       string
	rotating   bool // Create with rotation options (the caller side's copy)
	closed     bool

	free   chan *blockBuilder
	built  int         // builders made so far, at most Encoders+1
	frames chan []byte // written frames, for reuse by the encoders
	jobs   chan *job
	order  chan *job
	wg     sync.WaitGroup

	out       *output
	fileBytes atomic.Int64 // bytes of the current file on disk, for size rotation
	failed    atomic.Bool
	mu        sync.Mutex
	err       error
	stats     Stats
	fileList  []string
}

// job is one frame to encode and write, or a control step for the output goroutine.
type job struct {
	b     *blockBuilder
	ctl   ctl
	name  string     // ctlRotate: the next file
	ack   chan error // control steps: closed or sent to when done
	done  chan struct{}
	frame []byte // header and compressed payload
	hdr   frameHeader
	hash  [32]byte // contentHash
	pcrc  uint32   // CRC32C of the payload
	info  BlockInfo
	types map[event.Type]uint64 // events per type
	err   error
}

type ctl uint8

const (
	ctlNone ctl = iota
	ctlFlush
	ctlRotate
	ctlClose
)

func newPipeline(opts WriterOptions, out *output) (*pipeline, error) {
	opts = opts.withDefaults()
	enc, err := newBlockEncoder(opts)
	if err != nil {
		return nil, err
	}
	p := &pipeline{
		opts: opts,
		enc:  enc,
		// Room for every builder and frame that can be out at once, so that none is
		// dropped and allocated again: one builder per encoder plus the current one
		// (see builder); frames in the order queue plus the one being written.
		free:   make(chan *blockBuilder, opts.Encoders+1),
		frames: make(chan []byte, 2*opts.Encoders+3),
		jobs:   make(chan *job, opts.Encoders),
		order:  make(chan *job, 2*opts.Encoders+2),
		out:    out,
		part:   out.hdr.Part,
	}
	p.cur = p.builder()
	for range opts.Encoders {
		p.wg.Add(1)
		go p.encodeLoop()
	}
	p.wg.Add(1)
	go p.outputLoop()
	return p, nil
}

// newBlockEncoder returns the zstd encoder of the block payloads, safe for concurrent
// EncodeAll by opts.Encoders goroutines.
func newBlockEncoder(opts WriterOptions) (*zstd.Encoder, error) {
	// Entropy-code literals even where zstd finds no matches: the high halves of
	// split columns are small skewed numbers that only Huffman coding shrinks.
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.EncoderLevel(opts.Level)),
		zstd.WithEncoderConcurrency(opts.Encoders), zstd.WithEncoderCRC(false),
		zstd.WithAllLitEntropyCompression(true))
	if err != nil {
		return nil, fmt.Errorf("create zstd encoder: %w", err)
	}
	return enc, nil
}

func (o WriterOptions) withDefaults() WriterOptions {
	if o.BlockEvents <= 0 {
		o.BlockEvents = 65536
	}
	o.BlockEvents = min(o.BlockEvents, maxBlockEvents)
	if o.BlockBytes <= 0 {
		o.BlockBytes = 4 << 20
	}
	o.BlockBytes = min(o.BlockBytes, maxBlockRaw/2)
	if o.Encoders <= 0 {
		o.Encoders = min(runtime.GOMAXPROCS(0), 4)
	}
	if o.encoding == 0 {
		o.encoding = encodingPlanes
	}
	if o.encoding == encodingPlanes {
		o.BlockEvents = min(o.BlockEvents, maxBlockEvents2)
	}
	if o.Level <= 0 {
		o.Level = int(zstd.SpeedFastest)
	}
	o.Level = min(o.Level, int(zstd.SpeedBestCompression))
	return o
}

func (p *pipeline) builder() *blockBuilder {
	select {
	case b := <-p.free:
		b.reset()
		return b
	default:
	}
	// One builder per encoder and the current one are enough: an encoder hands its
	// builder back as soon as it has laid out the payload, before compressing it.
	// Waiting for it here, rather than making another, keeps the number of
	// builders, each of a few megabytes, fixed from the first blocks on.
	if p.built > p.opts.Encoders {
		b := <-p.free
		b.reset()
		return b
	}
	p.built++
	b := newBlockBuilder(p.opts.encoding)
	b.reset()
	return b
}

func (p *pipeline) firstErr() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

func (p *pipeline) fail(err error) {
	p.mu.Lock()
	if p.err == nil {
		p.err = err
	}
	p.mu.Unlock()
	p.failed.Store(true)
}

func (p *pipeline) write(e *event.Event) error {
	if p.closed {
		return ErrClosed
	}
	if p.failed.Load() {
		return p.firstErr()
	}
	if e.Time < p.last {
		return fmt.Errorf("write event at %d after one at %d: %w", e.Time, p.last, ErrOutOfOrder)
	}
	if p.rotateDue(e.Time) {
		p.rotate(e.Time)
	}
	if p.fileEvents == 0 {
		p.fileStart = e.Time
	}
	p.last = e.Time
	p.cur.add(e)
	p.fileEvents++
	if p.cur.count >= p.opts.BlockEvents || p.cur.size >= p.opts.BlockBytes {
		p.submit()
	}
	return nil
}

// submit hands the current block, if any, to the encoders.
func (p *pipeline) submit() {
	b := p.cur
	if b.count == 0 && b.kind != kindState {
		return
	}
	if b.kind == 0 {
		b.kind = kindBlock
	}
	j := &job{b: b, done: make(chan struct{})}
	j.hdr = frameHeader{kind: b.kind, encoding: b.enc, compression: compressionZstd,
		seq: p.seq, count: uint32(b.count), minTime: b.base, maxTime: b.last}
	if b.kind == kindState {
		j.hdr.minTime, j.hdr.maxTime = b.state, b.state
	}
	j.info = BlockInfo{Seq: int(p.seq), Count: uint32(b.count), MinTime: j.hdr.minTime,
		MaxTime: j.hdr.maxTime}
	p.seq++
	p.order <- j
	p.jobs <- j
	p.cur = p.builder()
}

func (p *pipeline) encodeLoop() {
	defer p.wg.Done()
	var raw []byte
	for j := range p.jobs {
		raw = j.b.appendRaw(raw[:0])
		j.describe(j.b)
		select {
		case p.free <- j.b:
		default: // enough builders in reserve
		}
		j.b = nil
		j.frame = p.enc.EncodeAll(raw, p.frameBuf(len(raw)))
		payload := j.frame[frameHeaderSize:]
		j.hdr.stored, j.hdr.raw = uint32(len(payload)), uint32(len(raw))
		if len(raw) > maxBlockRaw || len(payload) > maxBlockStored {
			j.err = fmt.Errorf("encode block %d: %d bytes, over the limit", j.hdr.seq, len(raw))
		}
		j.hdr.marshal(j.frame)
		j.hash = contentHash(j.frame, payload)
		j.pcrc = crcOf(payload)
		close(j.done)
	}
}

// frameBuf returns an empty frame (header space only) for a payload of about raw
// bytes compressed, reusing one already written when there is one. Blocks of the
// columnar encoding compress to about half.
func (p *pipeline) frameBuf(raw int) []byte {
	select {
	case f := <-p.frames:
		return f[:frameHeaderSize]
	default:
		return make([]byte, frameHeaderSize, frameHeaderSize+raw/2+64)
	}
}

// recycle hands a written frame back to the encoders.
func (p *pipeline) recycle(j *job) {
	select {
	case p.frames <- j.frame:
	default: // enough in reserve
	}
	j.frame = nil
}

// describe completes the index entry of j from its finished builder b: the block's
// types and tid range are known once the encoder has built its columns.
func (j *job) describe(b *blockBuilder) {
	j.info.Types = b.typeList()
	if b.count > 0 {
		j.info.MinTID, j.info.MaxTID = b.minTID, b.maxTID
	}
	if b.kind == kindBlock {
		j.types = b.typeCounts()
	}
}

func (p *pipeline) writeState(at int64, evs []*event.Event) error {
	if p.closed {
		return ErrClosed
	}
	if p.failed.Load() {
		return p.firstErr()
	}
	p.submit()
	p.cur.kind, p.cur.state = kindState, at
	for _, e := range evs {
		p.cur.add(e)
	}
	p.submit()
	return nil
}

// control sends a control step down the pipeline and waits for it.
func (p *pipeline) control(c ctl, name string) error {
	j := &job{ctl: c, name: name, ack: make(chan error, 1)}
	p.order <- j
	if c == ctlRotate {
		return nil // the output goroutine reports failures through fail
	}
	return <-j.ack
}

func (p *pipeline) flush() error {
	if p.closed {
		return ErrClosed
	}
	p.submit()
	if err := p.control(ctlFlush, ""); err != nil {
		return err
	}
	return p.firstErr()
}

func (p *pipeline) setStats(s Stats) {
	p.mu.Lock()
	p.stats = s
	p.stats.CPUs = append([]CPUStats(nil), s.CPUs...)
	p.mu.Unlock()
}

func (p *pipeline) currentStats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}

func (p *pipeline) close() error {
	if p.closed {
		return ErrClosed
	}
	p.submit()
	err := p.control(ctlClose, "")
	p.closed = true
	close(p.jobs)
	close(p.order)
	p.wg.Wait()
	p.enc.Close()
	if first := p.firstErr(); first != nil {
		return first
	}
	return err
}

func (p *pipeline) files() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.fileList...)
}
