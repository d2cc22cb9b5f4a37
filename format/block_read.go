package format

import "github.com/syscam/syscam/event"

// blockDecoder decodes the events of one decompressed block into a caller's Event. It
// keeps references into raw, so raw must stay untouched until the decoder is done.
type blockDecoder struct {
	raw       []byte
	n, i      int
	time      int64
	bad       bool
	threads   []int32 // tid, pid pairs
	types     []decoderType
	lastOnCPU []uint32 // thread index + 1 of the last event per CPU
	fixed     [numFixed]column
	dict      []dictEntry
}

type decoderType struct {
	typ     event.Type
	classes []paramClass
	defNP   int
	dst     []int8 // where parameter i goes in the Event, -1: dropped
	cols    []column
}

type dictEntry struct{ off, n uint32 }

// parse prepares d to decode raw, a block's uncompressed payload, with the file's
// schema. Every count is checked against the bytes that remain before allocating.
func (d *blockDecoder) parse(raw []byte, sm *schemaMap) error {
	d.raw, d.i, d.bad = raw, 0, false
	d.dict = d.dict[:0]
	clear(d.lastOnCPU)
	h := column{b: raw, bad: &d.bad}
	d.time = h.varint()
	if err := d.parseThreads(&h); err != nil {
		return err
	}
	if err := d.parseTypes(&h, sm); err != nil {
		return err
	}
	d.n = int(h.uvarint())
	if d.bad || uint64(d.n) > maxBlockEvents || d.n > len(raw) {
		return corruptf("block header: bad event count %d", d.n)
	}
	return d.parseColumns(&h)
}

func (d *blockDecoder) parseThreads(h *column) error {
	nt := h.uvarint()
	if d.bad || nt > uint64(len(h.b)-h.pos)/2 {
		return corruptf("block header: bad thread count %d", nt)
	}
	d.threads = d.threads[:0]
	var prev int64
	for range nt {
		tid := prev + h.varint()
		pid := tid + h.varint()
		d.threads = append(d.threads, int32(tid), int32(pid))
		prev = int64(int32(tid))
	}
	if d.bad {
		return corruptf("block header: thread table cut short")
	}
	return nil
}

func (d *blockDecoder) parseTypes(h *column, sm *schemaMap) error {
	nt := h.uvarint()
	if d.bad || nt > uint64(len(h.b)-h.pos)/2 {
		return corruptf("block header: bad type count %d", nt)
	}
	d.types = d.types[:0]
	for range nt {
		typ, ncols := h.uvarint(), h.uvarint()
		if d.bad || typ > 0xffff || ncols > maxColumnsPerType {
			return corruptf("block header: bad type entry (type %d, %d columns)", typ, ncols)
		}
		d.types = append(d.types, decoderType{})
		t := &d.types[len(d.types)-1]
		m := sm.lookup(event.Type(typ))
		t.typ, t.classes, t.dst, t.defNP = m.typ, m.classes, m.dst, m.defNP
		t.cols = make([]column, ncols)
	}
	return nil
}

func (d *blockDecoder) parseColumns(h *column) error {
	ncols := numFixed
	for i := range d.types {
		ncols += len(d.types[i].cols)
	}
	lens := make([]uint64, ncols)
	var total uint64
	for i := range lens {
		lens[i] = h.uvarint()
		total += lens[i]
		if d.bad || lens[i] > uint64(len(h.b)) {
			return corruptf("block header: bad length of column %d", i)
		}
	}
	if total != uint64(len(h.b)-h.pos) {
		return corruptf("block header: columns hold %d bytes, payload has %d", total, len(h.b)-h.pos)
	}
	pos := h.pos
	next := func(k int) column {
		c := column{b: h.b[pos : pos+int(lens[k]) : pos+int(lens[k])], bad: &d.bad}
		pos += int(lens[k])
		return c
	}
	k := 0
	for i := range d.fixed {
		d.fixed[i] = next(k)
		k++
	}
	for i := range d.types {
		for j := range d.types[i].cols {
			d.types[i].cols[j] = next(k)
			k++
		}
	}
	return nil
}

// next decodes the next event into e. It returns false at the end of the block or on
// corrupt data (then err says what).
func (d *blockDecoder) next(e *event.Event) bool {
	if d.i >= d.n {
		return false
	}
	e.Reset()
	d.time += d.split(colTimeLo)
	e.Time = d.time
	th := d.fixed[colThread].uvarint()
	cpu := d.fixed[colCPU].uvarint()
	if cpu >= maxCPU {
		d.bad = true
		return false
	}
	e.CPU = uint16(cpu)
	d.setThread(e, th)
	ti := d.fixed[colType].uvarint()
	e.Ret = d.split(colRetLo)
	e.Latency = d.split(colLatLo)
	e.Flags = d.fixed[colFlags].byte1()
	if ti >= uint64(len(d.types)) || d.bad {
		d.bad = true
		return false
	}
	t := &d.types[ti]
	e.Type = t.typ
	np := int64(t.defNP) + d.fixed[colNParams].varint()
	if np < 0 || np > int64(len(t.cols)) {
		d.bad = true
		return false
	}
	for i := 0; i < int(np); i++ {
		d.param(e, t, i)
	}
	if d.bad {
		return false
	}
	d.i++
	return true
}

// split reads a value split in a lo and a hi column.
func (d *blockDecoder) split(col int) int64 {
	lo := &d.fixed[col]
	var u uint64
	if lo.pos < len(lo.b) {
		u = uint64(lo.b[lo.pos])
		lo.pos++
	} else {
		d.bad = true
	}
	return unzigzag(u | d.fixed[col+1].uvarint()<<8)
}

// setThread resolves the thread column's value th for an event on e.CPU.
func (d *blockDecoder) setThread(e *event.Event, th uint64) {
	if th == 0 {
		if int(e.CPU) < len(d.lastOnCPU) {
			th = uint64(d.lastOnCPU[e.CPU])
		}
		if th == 0 {
			d.bad = true
			return
		}
	} else if th > uint64(len(d.threads)/2) {
		d.bad = true
		return
	} else {
		for int(e.CPU) >= len(d.lastOnCPU) {
			d.lastOnCPU = append(d.lastOnCPU, 0)
		}
		d.lastOnCPU[e.CPU] = uint32(th)
	}
	e.TID, e.PID = d.threads[2*th-2], d.threads[2*th-1]
}

func (d *blockDecoder) param(e *event.Event, t *decoderType, i int) {
	c := classUnsigned
	if i < len(t.classes) {
		c = t.classes[i]
	}
	col := &t.cols[i]
	dst := i
	if i < len(t.dst) {
		dst = int(t.dst[i])
	} else if i >= event.MaxParams {
		dst = -1 // written by a build with more parameters per event
	}
	switch c {
	case classUnsigned, classSigned:
		v := col.uvarint()
		if c == classSigned {
			v = uint64(unzigzag(v))
		}
		if dst >= 0 {
			e.SetInt(dst, v)
		}
	case classString:
		s := d.lookup(col.uvarint())
		orig := d.fixed[colOrig].varint()
		if dst >= 0 {
			copy(e.Grow(dst, len(s)), s)
			e.Params[dst].Orig = uint32(int64(len(s)) + orig)
		}
	case classBuffer:
		s := d.fixed[colData].bytes(col.uvarint())
		orig := d.fixed[colOrig].varint()
		if dst >= 0 {
			copy(e.Grow(dst, len(s)), s)
			e.Params[dst].Orig = uint32(int64(len(s)) + orig)
		}
	}
}

// lookup resolves a dictionary reference, reading a new literal for 0.
func (d *blockDecoder) lookup(ref uint64) []byte {
	if ref == 0 {
		lit := &d.fixed[colLit]
		n := lit.uvarint()
		start := lit.pos
		s := lit.bytes(n)
		d.dict = append(d.dict, dictEntry{off: uint32(start), n: uint32(len(s))})
		return s
	}
	if ref > uint64(len(d.dict)) {
		d.bad = true
		return nil
	}
	de := d.dict[ref-1]
	if de.n > maxDictLiteral {
		// Writers never refer back to long literals; allowing it would let a small
		// block expand quadratically.
		d.bad = true
		return nil
	}
	return d.fixed[colLit].b[de.off : de.off+de.n]
}

// err reports why decoding stopped early, or nil at a clean end of block.
func (d *blockDecoder) err() error {
	if d.bad {
		return corruptf("event %d of %d does not decode", d.i, d.n)
	}
	if d.i < d.n {
		return nil
	}
	for i := range d.fixed {
		if !d.fixed[i].done() {
			return corruptf("column %d has %d bytes left after the last event", i, len(d.fixed[i].b)-d.fixed[i].pos)
		}
	}
	return nil
}
