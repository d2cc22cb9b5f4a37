package scap

import "encoding/binary"

// maxRawParams is libs' PPM_MAX_EVENT_PARAMS; parameters past it are validated but not
// kept.
const maxRawParams = 32

// Event header sizes (struct ppm_evt_hdr): V1 blocks have no nparams field.
const (
	hdrV1 = 22
	hdrV2 = 26
)

// EVF block flags (scap_dump_flags).
const dfStateOnly = 1

// rawEvent is one scap event as stored: header fields and parameter values, which
// alias the block buffer.
type rawEvent struct {
	ts     uint64
	tid    int64
	typ    uint16
	cpu    uint16
	dflags uint32
	n      int
	p      [maxRawParams][]byte
}

// decodeEvent parses the body of an event block of type blk into ev. known is false
// for an event id newer than the table, which the caller skips.
func decodeEvent(body []byte, blk uint32, ev *rawEvent) (known bool, err error) {
	c := cursor{b: body}
	ev.cpu = c.u16("cpuid")
	if blk == blkEVF || blk == blkEVFV2 || blk == blkEVFV2Large {
		ev.dflags = c.u32("flags")
	} else {
		ev.dflags = 0
	}
	v2 := blk == blkEVV2 || blk == blkEVFV2 || blk == blkEVV2Large || blk == blkEVFV2Large
	hdr := hdrV1
	if v2 {
		hdr = hdrV2
	}
	h := c.take(hdr, "event header")
	if c.err != nil {
		return false, c.err
	}
	ev.ts = binary.LittleEndian.Uint64(h[0:8])
	ev.tid = int64(binary.LittleEndian.Uint64(h[8:16]))
	length := int(binary.LittleEndian.Uint32(h[16:20]))
	ev.typ = binary.LittleEndian.Uint16(h[20:22])
	info := lookupEv(ev.typ)
	if info == nil {
		return false, nil
	}
	if !v2 && (ev.typ == 280 || ev.typ == 286) && length >= hdr+3 {
		length -= 3 // old notification and infra events overstate their length by 3
	}
	if length < hdr || length > len(body)-c.off+hdr {
		return true, corruptf("event length %d, block holds %d", length, len(body)-c.off+hdr)
	}
	rest := body[c.off : c.off+length-hdr]
	lensize := 2
	if info.flags&efLarge != 0 {
		lensize = 4
	}
	n := 0
	if v2 {
		n = int(binary.LittleEndian.Uint32(h[22:26]))
		if n > len(rest)/lensize {
			return true, corruptf("event type %d: %d parameters do not fit in %d bytes", ev.typ, n, length)
		}
	} else if n, err = deriveNParams(rest, len(info.params), lensize); err != nil {
		return true, corruptf("event type %d: %v", ev.typ, err)
	}
	return true, splitParams(rest, n, lensize, ev)
}

// deriveNParams finds the parameter count of a V1 event as libscap does: the largest
// n, at most the table's count, whose lengths add up to the event's length exactly.
func deriveNParams(rest []byte, max, lensize int) (int, error) {
	for n := max; n >= 0; n-- {
		if n*lensize > len(rest) {
			continue
		}
		sum := n * lensize
		for i := 0; i < n; i++ {
			sum += paramLen(rest, i, lensize)
		}
		if sum == len(rest) {
			return n, nil
		}
	}
	return 0, corruptf("parameter lengths match no parameter count")
}

func paramLen(rest []byte, i, lensize int) int {
	if lensize == 4 {
		return int(binary.LittleEndian.Uint32(rest[4*i:]))
	}
	return int(binary.LittleEndian.Uint16(rest[2*i:]))
}

// splitParams cuts rest (length array, then values) into ev.p.
func splitParams(rest []byte, n, lensize int, ev *rawEvent) error {
	off := n * lensize
	ev.n = min(n, maxRawParams)
	for i := 0; i < n; i++ {
		l := paramLen(rest, i, lensize)
		if l > len(rest)-off {
			return corruptf("event type %d: parameter %d of %d bytes overruns the event", ev.typ, i, l)
		}
		if i < maxRawParams {
			ev.p[i] = rest[off : off+l : off+l]
		}
		off += l
	}
	return nil
}
