package format

import (
	"math/bits"

	"github.com/syscam/syscam/event"
)

// planeDecoder decodes the events of one decompressed encoding 2 block. Its workers'
// part (parse) decodes the fixed columns into one record per event and each type's
// columns into rows; next then hands an event over by copying its record and row
// into the caller's Event, and the bytes of its byte parameters from the block. It
// keeps references into raw, which must stay untouched until the decoder is done.
type planeDecoder struct {
	n, i      int
	nGood     int // events before the first that does not decode
	bad       bool
	skipped   bool // no event passed the block predicate: nothing is yielded
	why       error
	threads   blockThreads
	types     []planeType
	fixed     [numPlanes2]planes
	dict      []uint32 // entry k is lit[dict[k]:dict[k+1]]
	longUsed  map[uint32]bool
	lit, data []byte
	dataPos   int
	origPos   int
	recs      []planeRec
	rows      []uint64 // every type's rows, one type after another
}

type planeType struct {
	typ   event.Type
	defNP int
	count int // events of the type in the block
	seen  int
	specs []paramSpec // one per parameter column
	cols  []planes    // the return values, then the parameter columns
	width []uint8     // by parameter count: the Event parameters filled
	dense bool        // column k goes to parameter k for every k
	// rows holds the type's values event by event (count × len(cols)): the return
	// value, then the parameters, integers decoded, byte parameters as their column
	// value; it starts at base in the decoder's rows. bytes has bit k set for each
	// byte parameter k.
	rows  []uint64
	base  int
	bytes uint32
}

// planeRec is an event's fixed part.
type planeRec struct {
	time, lat int64
	tid, pid  int32
	rank      uint32 // index of the event among its type's
	off       uint32 // where its row starts in the decoder's rows
	bytes     uint32 // which of its parameters are byte parameters
	cpu       uint16
	typ       event.Type
	ti        uint16
	flags     uint8
	np        uint8
	mapped    bool // its type's parameters go elsewhere in the Event (see nextMapped)
}

// Limits of encoding 2, checked before allocating: with columns of width 0 taking no
// bytes, the payload's size alone does not bound what a block declares. A block's
// memory is then at most maxBlockEvents2 × (1 + maxColumns2) row values (35 MB)
// and as many dictionary entries.
const (
	maxBlockEvents2 = 1 << 17
	maxColumns2     = event.MaxParams
)

// parse prepares d to decode raw. Every count is checked against the bytes that remain
// before allocating. keep, when not nil, sees each event with its fixed part: when it
// keeps none, the block yields no events.
func (d *planeDecoder) parse(raw []byte, sm *schemaMap, keep func(*event.Event) bool) error {
	d.i, d.bad, d.skipped, d.why = 0, false, false, nil
	d.dataPos, d.origPos, d.nGood = 0, 0, 0
	clear(d.longUsed)
	h := column{b: raw, bad: &d.bad}
	base := h.varint()
	if err := d.threads.parse(&h); err != nil {
		return err
	}
	if err := d.parseTypes(&h, sm); err != nil {
		return err
	}
	d.n = int(h.uvarint())
	if d.bad || uint64(d.n) > maxBlockEvents2 || d.n > len(raw) {
		return corruptf("block header: bad event count %d", d.n)
	}
	total := 0
	for i := range d.types {
		total += d.types[i].count
	}
	if total != d.n {
		return corruptf("block header: types count %d events, block has %d", total, d.n)
	}
	if err := d.parseColumns(&h); err != nil {
		return err
	}
	if err := d.parseDict(); err != nil {
		return err
	}
	if err := d.decodeFixed(base); err != nil {
		return err
	}
	if keep != nil && !d.keepsAny(keep) {
		d.skipped = true
		return nil
	}
	d.transpose()
	d.nGood = d.n
	return nil
}

// transpose decodes each type's columns into its rows, one column at a time: a loop
// of one width and one class per column, where decoding event by event would switch
// on both for every value.
func (d *planeDecoder) transpose() {
	var buf [chunk2]uint64
	for i := range d.types {
		t := &d.types[i]
		nc := len(t.cols)
		t.rows = d.rows[t.base : t.base+t.count*nc]
		for k := range t.cols {
			col := &t.cols[k]
			signed := k == 0 || t.specs[k-1].class == classSigned
			for s := 0; s < t.count; s += chunk2 {
				v := buf[:min(chunk2, t.count-s)]
				col.gather(s, v)
				if signed {
					for j, u := range v {
						v[j] = uint64(int64(u>>1) ^ -int64(u&1))
					}
				}
				rows := t.rows[s*nc+k:]
				for j, u := range v {
					rows[j*nc] = u
				}
			}
		}
	}
}

func (d *planeDecoder) parseTypes(h *column, sm *schemaMap) error {
	nt := h.uvarint()
	if d.bad || nt > uint64(len(h.b)-h.pos)/3 || nt > 1<<16 {
		return corruptf("block header: bad type count %d", nt)
	}
	d.types = resize(d.types, int(nt))
	for i := range d.types {
		typ, ncols, count := h.uvarint(), h.uvarint(), h.uvarint()
		if d.bad || typ > 0xffff || ncols > maxColumns2 || count > maxBlockEvents2 {
			return corruptf("block header: bad type entry (type %d, %d columns, %d events)", typ, ncols, count)
		}
		t := &d.types[i]
		m := sm.lookup(event.Type(typ))
		t.typ, t.defNP, t.count, t.seen = m.typ, m.defNP, int(count), 0
		t.cols = resize(t.cols, int(ncols)+1)
		t.specs = resize(t.specs, int(ncols))
		t.width = resize(t.width, int(ncols)+1)
		t.width[0], t.dense, t.bytes = 0, true, 0
		for k := range t.specs {
			sp := m.spec(k)
			t.specs[k] = sp
			if sp.class > classSigned && k < 32 {
				t.bytes |= 1 << k
			}
			w := t.width[k]
			if sp.dst >= 0 {
				w = max(w, uint8(sp.dst)+1)
			}
			if int(sp.dst) != k {
				t.dense = false
			}
			t.width[k+1] = w
		}
	}
	return nil
}

func (d *planeDecoder) parseColumns(h *column) error {
	nDict, nOrig := h.uvarint(), h.uvarint()
	litLen, dataLen := h.uvarint(), h.uvarint()
	rest := uint64(len(h.b) - h.pos)
	maxValues := uint64(d.n) * maxColumns2
	if d.bad || nDict > maxValues || nOrig > maxValues || litLen > rest || dataLen > rest {
		return corruptf("block header: bad sizes (%d dictionary entries, %d byte parameters, %d + %d bytes)", nDict, nOrig, litLen, dataLen)
	}
	var counts [numPlanes2]int
	for i := range counts {
		counts[i] = d.n
	}
	counts[p2LitLen], counts[p2Orig] = int(nDict), int(nOrig)
	// Widths first, then the columns in the same order.
	pos := h.pos
	width := func() int {
		if pos >= len(h.b) {
			d.bad = true
			return 0
		}
		w := int(h.b[pos])
		pos++
		if w > 8 {
			d.bad = true
		}
		return w
	}
	need := litLen + dataLen
	for i := range d.fixed {
		d.fixed[i] = planes{n: counts[i], w: width()}
		need += uint64(d.fixed[i].w) * uint64(counts[i])
	}
	for i := range d.types {
		t := &d.types[i]
		for k := range t.cols {
			t.cols[k] = planes{n: t.count, w: width()}
			need += uint64(t.cols[k].w) * uint64(t.count)
		}
	}
	if d.bad {
		return corruptf("block header: bad column widths")
	}
	if need != uint64(len(h.b)-pos) {
		return corruptf("block header: columns hold %d bytes, payload has %d", need, len(h.b)-pos)
	}
	take := func(n int) []byte {
		b := h.b[pos : pos+n : pos+n]
		pos += n
		return b
	}
	for i := range d.fixed {
		p := &d.fixed[i]
		p.b = take(p.w * p.n)
	}
	d.lit, d.data = take(int(litLen)), take(int(dataLen))
	for i := range d.types {
		t := &d.types[i]
		for k := range t.cols {
			p := &t.cols[k]
			p.b = take(p.w * p.n)
		}
	}
	return nil
}

// parseDict computes where each dictionary entry starts in lit.
func (d *planeDecoder) parseDict() error {
	p := &d.fixed[p2LitLen]
	d.dict = resize(d.dict, p.n+1)
	var buf [chunk2]uint64
	off := uint64(0)
	for s := 0; s < p.n; s += chunk2 {
		v := buf[:min(chunk2, p.n-s)]
		p.gather(s, v)
		for k, n := range v {
			d.dict[s+k] = uint32(off)
			off += n
			if off > uint64(len(d.lit)) {
				return corruptf("dictionary entry %d overruns the lit area (%d bytes)", s+k, len(d.lit))
			}
		}
	}
	if off != uint64(len(d.lit)) {
		return corruptf("dictionary entries hold %d bytes, lit area has %d", off, len(d.lit))
	}
	d.dict[p.n] = uint32(off)
	return nil
}

// chunk2 is how many events' fixed columns are decoded at a time: their records and
// values stay in the first-level cache between the column passes.
const chunk2 = 256

func (d *planeDecoder) decodeFixed(base int64) error {
	d.recs = resize(d.recs, d.n)
	rowsLen := 0
	for i := range d.types {
		ty := &d.types[i]
		ty.base = rowsLen
		rowsLen += ty.count * len(ty.cols)
	}
	d.rows = resize(d.rows, rowsLen)
	var v [p2LitLen][chunk2]uint64 // the per-event columns of a chunk
	t := base
	for s := 0; s < d.n; s += chunk2 {
		m := min(chunk2, d.n-s)
		for c := range v {
			d.fixed[c].gather(s, v[c][:m])
		}
		recs := d.recs[s : s+m]
		for k := range recs {
			r := &recs[k]
			u := v[p2Time][k]
			t += int64(u>>1) ^ -int64(u&1)
			r.time = t
			u = v[p2Lat][k]
			r.lat = int64(u>>1) ^ -int64(u&1)
			if v[p2Flags][k] > 0xff {
				return corruptf("event %d has flags %#x", s+k, v[p2Flags][k])
			}
			r.flags = uint8(v[p2Flags][k])
			cpu := v[p2CPU][k]
			if cpu >= maxCPU {
				return corruptf("event %d is on CPU %d", s+k, cpu)
			}
			r.cpu = uint16(cpu)
			var err error
			if r.tid, r.pid, err = d.threads.resolve(s+k, r.cpu, v[p2Thread][k]); err != nil {
				return err
			}
			ti := v[p2Type][k]
			if ti >= uint64(len(d.types)) {
				return corruptf("event %d refers to type %d of %d", s+k, ti, len(d.types))
			}
			ty := &d.types[ti]
			u = v[p2NParams][k]
			np := int64(ty.defNP) + (int64(u>>1) ^ -int64(u&1))
			if np < 0 || np > int64(len(ty.specs)) {
				return corruptf("event %d has a bad parameter count %d", s+k, np)
			}
			if ty.seen >= ty.count {
				return corruptf("type table says %d events of type %d, block has more", ty.count, ty.typ)
			}
			r.ti, r.typ, r.np = uint16(ti), ty.typ, uint8(np)
			r.rank, r.off = uint32(ty.seen), uint32(ty.base+ty.seen*len(ty.cols))
			r.bytes, r.mapped = ty.bytes&(1<<np-1), !ty.dense
			ty.seen++
		}
	}
	return nil
}

// keepsAny reports whether keep keeps any event of the block, shown its fixed part.
func (d *planeDecoder) keepsAny(keep func(*event.Event) bool) bool {
	var e event.Event
	for i := range d.recs[:d.n] {
		r := &d.recs[i]
		e.Time, e.Latency = r.time, r.lat
		e.Ret = unzigzag(d.types[r.ti].cols[0].at(int(r.rank)))
		e.TID, e.PID, e.CPU, e.Flags, e.Type = r.tid, r.pid, r.cpu, r.flags, r.typ
		if keep(&e) {
			return true
		}
	}
	return false
}

// next hands the next event of the block to e. It returns false at the end of the
// block or at an event that does not decode (then err says why).
func (d *planeDecoder) next(e *event.Event) bool {
	i := d.i
	if i >= d.nGood {
		return false
	}
	r := &d.recs[i]
	e.Time, e.Latency = r.time, r.lat
	e.TID, e.PID, e.CPU, e.Flags = r.tid, r.pid, r.cpu, r.flags
	e.Type = r.typ
	row := d.rows[r.off:][:1+int(r.np)]
	e.Ret = int64(row[0])
	row = row[1:]
	if r.mapped {
		return d.nextMapped(e, &d.types[r.ti], row)
	}
	e.LoadInts(row)
	if r.bytes != 0 && !d.bytesParams(e, r, row) {
		d.nGood = i
		return false
	}
	d.i = i + 1
	return true
}

// bytesParams sets the byte parameters of e, of record r, from their column values.
func (d *planeDecoder) bytesParams(e *event.Event, r *planeRec, row []uint64) bool {
	specs := d.types[r.ti].specs
	for m := r.bytes; m != 0; m &= m - 1 {
		k := bits.TrailingZeros32(m)
		if !d.bytesParam(e, specs[k], row[k]) {
			return false
		}
	}
	return true
}

// nextMapped is next for a type whose parameters the file lists differently from
// this build (see schemaMap): each goes to its own place, or nowhere.
func (d *planeDecoder) nextMapped(e *event.Event, t *planeType, row []uint64) bool {
	var vals [event.MaxParams]uint64
	for k, sp := range t.specs[:len(row)] {
		if sp.class <= classSigned && uint(int(sp.dst)) < event.MaxParams {
			vals[sp.dst] = row[k]
		}
	}
	e.LoadInts(vals[:t.width[len(row)]])
	for k, sp := range t.specs[:len(row)] {
		if sp.class > classSigned && !d.bytesParam(e, sp, row[k]) {
			d.nGood = d.i
			return false
		}
	}
	d.i++
	return true
}

// bytesParam sets byte parameter sp.dst of e from column value v: a dictionary index
// or a length in the data area.
func (d *planeDecoder) bytesParam(e *event.Event, sp paramSpec, v uint64) bool {
	var b []byte
	if sp.class == classString {
		if v >= uint64(len(d.dict)-1) {
			d.why = corruptf("event %d refers to dictionary entry %d of %d", d.i, v, len(d.dict)-1)
			return false
		}
		s, end := d.dict[v], d.dict[v+1]
		if end-s > maxDictLiteral {
			if d.longUsed == nil {
				d.longUsed = make(map[uint32]bool)
			}
			if d.longUsed[uint32(v)] {
				d.why = corruptf("event %d refers again to dictionary entry %d, %d bytes long", d.i, v, end-s)
				return false
			}
			d.longUsed[uint32(v)] = true
		}
		b = d.lit[s:end]
	} else {
		if v > uint64(len(d.data)-d.dataPos) {
			d.why = corruptf("event %d has a %d-byte buffer, %d bytes remain in the data area", d.i, v, len(d.data)-d.dataPos)
			return false
		}
		b = d.data[d.dataPos : d.dataPos+int(v)]
		d.dataPos += int(v)
	}
	o := &d.fixed[p2Orig]
	if d.origPos >= o.n {
		d.why = corruptf("event %d has more byte parameters than the orig column holds (%d)", d.i, o.n)
		return false
	}
	orig := int64(len(b)) + unzigzag(o.at(d.origPos))
	d.origPos++
	if uint(int(sp.dst)) < event.MaxParams {
		copy(e.Grow(int(sp.dst), len(b)), b)
		p := &e.Params[sp.dst]
		p.Orig, p.Val = uint32(orig), 0
	}
	return true
}

// err reports why decoding stopped early, or nil at a clean end of block.
func (d *planeDecoder) err() error {
	if d.skipped {
		return nil
	}
	if d.why != nil {
		return d.why
	}
	if d.i < d.n {
		return nil
	}
	if d.dataPos != len(d.data) {
		return corruptf("data area has %d bytes left after the last event", len(d.data)-d.dataPos)
	}
	if d.origPos != d.fixed[p2Orig].n {
		return corruptf("orig column has %d values left after the last event", d.fixed[p2Orig].n-d.origPos)
	}
	return nil
}
