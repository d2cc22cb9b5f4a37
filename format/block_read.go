package format

import "github.com/syscam/syscam/event"

// blockDecoder decodes the events of one decompressed block into a caller's Event. It
// keeps references into raw, so raw must stay untouched until the decoder is done.
type blockDecoder struct {
	raw     []byte
	n, i    int
	time    int64
	bad     bool
	threads blockThreads
	types   []decoderType
	fixed   [numFixed]column
	dict    []dictEntry
	tmp     []uint64

	// Parameters of every event, decoded ahead in parse: event i's take the
	// next width entries after event i−1's. Byte parameters refer into raw.
	pv      []event.Param
	recs    []eventRec
	skipped bool // no event passed the block predicate: nothing decoded, nothing yielded
	pp      int  // pv entries handed out so far
	nGood   int  // events before the first that does not decode
	npv     int  // pv entries the block needs
	litOff  int  // offset of the lit column in raw
	datOff  int  // offset of the data column in raw
}

type decoderType struct {
	typ   event.Type
	defNP int
	specs []paramSpec // one per column
	cols  []column
	// By parameter count: the Event parameters filled (highest destination + 1),
	// and which of them are byte parameters.
	width    []uint8
	byteMask []uint32
	dense    bool // column k goes to parameter k for every k: no gaps to clear
}

// paramSpec says how to decode a parameter column and where the value goes.
type paramSpec struct {
	class paramClass
	dst   int8 // index in the Event, -1: dropped
}

type dictEntry struct{ off, n uint32 }

// parse prepares d to decode raw, a block's uncompressed payload, with the file's
// schema. Every count is checked against the bytes that remain before allocating.
//
// keep, when not nil, sees each event with its fixed part only (no parameters): when
// it keeps none, the block's parameters are not decoded and it yields no events.
func (d *blockDecoder) parse(raw []byte, sm *schemaMap, keep func(*event.Event) bool) error {
	d.raw, d.i, d.bad, d.skipped = raw, 0, false, false
	d.dict = d.dict[:0]
	h := column{b: raw, bad: &d.bad}
	d.time = h.varint()
	if err := d.threads.parse(&h); err != nil {
		return err
	}
	if err := d.parseTypes(&h, sm); err != nil {
		return err
	}
	d.n = int(h.uvarint())
	if d.bad || uint64(d.n) > maxBlockEvents || d.n > len(raw) {
		return corruptf("block header: bad event count %d", d.n)
	}
	if err := d.parseColumns(&h); err != nil {
		return err
	}
	if err := d.decodeFixed(); err != nil {
		return err
	}
	if keep != nil && !d.keepsAny(keep) {
		d.skipped, d.nGood, d.recs = true, 0, d.recs[:0]
		return nil
	}
	d.decodeParams()
	return nil
}

// keepsAny reports whether keep keeps any event of the block, shown its fixed part.
func (d *blockDecoder) keepsAny(keep func(*event.Event) bool) bool {
	var e event.Event
	for i := range d.recs {
		r := &d.recs[i]
		e.Time, e.Ret, e.Latency = r.time, r.ret, r.lat
		e.TID, e.PID, e.CPU, e.Flags, e.Type = r.tid, r.pid, r.cpu, r.flags, r.typ
		if keep(&e) {
			return true
		}
	}
	return false
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
		t.typ, t.defNP = m.typ, m.defNP
		t.cols = make([]column, ncols)
		t.specs = make([]paramSpec, ncols)
		for k := range t.specs {
			t.specs[k] = m.spec(k)
		}
		t.layout()
	}
	return nil
}

// layout fills t's width and byteMask tables from its specs.
func (t *decoderType) layout() {
	n := len(t.specs)
	t.width, t.byteMask = resize(t.width, n+1), resize(t.byteMask, n+1)
	t.width[0], t.byteMask[0], t.dense = 0, 0, true
	for k, sp := range t.specs {
		w, m := t.width[k], t.byteMask[k]
		if sp.dst >= 0 {
			w = max(w, uint8(sp.dst)+1)
			if sp.class == classString || sp.class == classBuffer {
				m |= 1 << uint(sp.dst)
			}
		}
		if int(sp.dst) != k {
			t.dense = false
		}
		t.width[k+1], t.byteMask[k+1] = w, m
	}
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
		switch i {
		case colLit:
			d.litOff = pos
		case colData:
			d.datOff = pos
		}
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

// lookup resolves a dictionary reference, reading a new literal for 0. It returns
// the string's offset in the lit column and its length.
func (d *blockDecoder) lookup(ref uint64) (uint32, uint32) {
	lit := &d.fixed[colLit]
	if ref == 0 {
		n := lit.uvarint()
		start := lit.pos
		s := lit.bytes(n)
		d.dict = append(d.dict, dictEntry{off: uint32(start), n: uint32(len(s))})
		return uint32(start), uint32(len(s))
	}
	if ref > uint64(len(d.dict)) {
		d.bad = true
		return 0, 0
	}
	de := d.dict[ref-1]
	if de.n > maxDictLiteral {
		// Writers never refer back to long literals; allowing it would let a small
		// block expand quadratically.
		d.bad = true
		return 0, 0
	}
	return de.off, de.n
}

// err reports why decoding stopped early, or nil at a clean end of block.
func (d *blockDecoder) err() error {
	if d.skipped {
		return nil
	}
	if d.nGood < d.n {
		if d.i < d.nGood {
			return nil
		}
		return corruptf("event %d of %d does not decode", d.nGood, d.n)
	}
	if d.i < d.n {
		return nil
	}
	for _, i := range []int{colOrig, colLit, colData} {
		if !d.fixed[i].done() {
			return corruptf("column %d has %d bytes left after the last event", i, len(d.fixed[i].b)-d.fixed[i].pos)
		}
	}
	return nil
}
