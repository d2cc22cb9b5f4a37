package format

import "github.com/syscam/syscam/event"

// add2 encodes e into the builder's encoding 2 columns. Values are kept whole until
// the block ends, when appendRaw2 knows each column's width.
func (b *blockBuilder) add2(e *event.Event) {
	if b.count == 0 {
		b.base, b.last = e.Time, e.Time
	}
	p := &b.p2
	p[p2Time] = append(p[p2Time], zigzag(e.Time-b.last))
	b.last = e.Time
	var th uint32
	if !b.sameThread(e.CPU, threadKey(e.TID, e.PID)) {
		th = b.switchThread(e.CPU, e.TID, e.PID)
	}
	p[p2Thread] = append(p[p2Thread], uint64(th))
	p[p2CPU] = append(p[p2CPU], uint64(e.CPU))
	ti := int(b.typeSlotOf(e.Type)) - 1
	if ti < 0 {
		ti = b.typeIndex(e.Type)
	}
	p[p2Type] = append(p[p2Type], uint64(ti))
	p[p2Lat] = append(p[p2Lat], zigzag(e.Latency))
	p[p2Flags] = append(p[p2Flags], uint64(e.Flags))
	np := min(int(e.NParams), event.MaxParams)
	t := &b.types[ti]
	p[p2NParams] = append(p[p2NParams], zigzag(int64(np-t.defNP)))
	if np > t.ncols {
		t.widen2(np)
	}
	t.count++
	t.ret = append(t.ret, zigzag(e.Ret))
	vals := t.vals[:t.ncols]
	for i := range vals {
		var v uint64
		if i < np {
			switch t.classes[i] {
			case classUnsigned:
				v = e.Params[i].Val
			case classSigned:
				v = zigzag(int64(e.Params[i].Val))
			default:
				v = b.addBytes2(e, i, t.classes[i])
			}
		}
		vals[i] = append(vals[i], v)
	}
	b.count++
	b.size += 12 + np*3
}

// widen2 gives t np parameter columns, the new ones holding 0 for the type's events
// so far.
func (t *builderType) widen2(np int) {
	for len(t.vals) < np {
		t.vals = append(t.vals, nil)
	}
	for i := t.ncols; i < np; i++ {
		t.vals[i] = t.vals[i][:0]
		for range t.count {
			t.vals[i] = append(t.vals[i], 0)
		}
	}
	t.ncols = np
}

// addBytes2 stores byte parameter i of e, of class c, and returns its column value.
func (b *blockBuilder) addBytes2(e *event.Event, i int, c paramClass) uint64 {
	s := e.Bytes(i)
	var v uint64
	if c == classString {
		v = uint64(b.ref2(s))
	} else {
		v = uint64(len(s))
		b.fixed[colData] = append(b.fixed[colData], s...)
		b.size += len(s)
	}
	b.p2[p2Orig] = append(b.p2[p2Orig], zigzag(int64(e.Params[i].Orig)-int64(len(s))))
	return v
}

// ref2 returns the dictionary index of s, adding it when new. Strings longer than
// maxDictLiteral get an entry of their own at each use.
func (b *blockBuilder) ref2(s []byte) uint32 {
	lit := b.fixed[colLit]
	if len(s) <= maxDictLiteral {
		h := b.dict.hash(s)
		id, slot, ok := b.dict.find(s, lit, h)
		if ok {
			return id
		}
		b.dict.insert(slot, h, uint32(len(lit)), uint32(len(s)), b.dictLen)
	}
	b.fixed[colLit] = append(lit, s...)
	b.p2[p2LitLen] = append(b.p2[p2LitLen], uint64(len(s)))
	b.dictLen++
	b.size += len(s)
	return b.dictLen - 1
}

// appendRaw2 appends the block's encoding 2 payload to dst.
func (b *blockBuilder) appendRaw2(dst []byte) []byte {
	dst = b.appendHead(dst)
	dst = appendUvarint(dst, uint64(len(b.types)))
	for i := range b.types {
		t := &b.types[i]
		dst = appendUvarint(dst, uint64(t.typ))
		dst = appendUvarint(dst, uint64(t.ncols))
		dst = appendUvarint(dst, t.count)
	}
	dst = appendUvarint(dst, uint64(b.count))
	dst = appendUvarint(dst, uint64(b.dictLen))
	dst = appendUvarint(dst, uint64(len(b.p2[p2Orig])))
	dst = appendUvarint(dst, uint64(len(b.fixed[colLit])))
	dst = appendUvarint(dst, uint64(len(b.fixed[colData])))
	// The widths, then the columns: fixed, lit, data, then each type's return
	// values and parameters.
	cols := append(b.cols[:0], b.p2[:]...)
	for i := range b.types {
		t := &b.types[i]
		cols = append(cols, t.ret)
		cols = append(cols, t.vals[:t.ncols]...)
	}
	b.cols = cols
	widths := b.widths[:0]
	for _, c := range cols {
		w := widthOf(orOf(c))
		widths = append(widths, w)
		dst = append(dst, byte(w))
	}
	b.widths = widths
	for i, c := range cols {
		if i == numPlanes2 {
			dst = append(dst, b.fixed[colLit]...)
			dst = append(dst, b.fixed[colData]...)
		}
		dst = appendPlanes(dst, c, widths[i])
	}
	if len(cols) == numPlanes2 {
		dst = append(dst, b.fixed[colLit]...)
		dst = append(dst, b.fixed[colData]...)
	}
	return dst
}

// takeStore gives t, just made the block's entry for t.typ, the columns its type used
// in earlier blocks, emptied.
func (b *blockBuilder) takeStore(t *builderType) {
	st := b.stores[t.typ]
	if st == nil {
		t.vals, t.ret = nil, nil
		return
	}
	t.vals, t.ret = st.vals, st.ret[:0]
	for j := range t.vals {
		t.vals[j] = t.vals[j][:0]
	}
}

// keepStore saves t's columns, grown during the block, for its type's next block.
func (b *blockBuilder) keepStore(t *builderType) {
	if b.stores == nil {
		b.stores = make(map[event.Type]*typeStore)
	}
	st := b.stores[t.typ]
	if st == nil {
		st = &typeStore{}
		b.stores[t.typ] = st
	}
	st.vals, st.ret = t.vals, t.ret
}
