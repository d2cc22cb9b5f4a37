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
	vals   []byte // the parameter values, back to back: p[i] are sub-slices of it
}

// decodeHeader reads only the timestamp, thread and type of an event block, for the
// scan pass; ok is false when the block is too short or the id unknown.
func decodeHeader(body []byte, blk uint32, ev *rawEvent) bool {
	at := 2
	if blk == blkEVF || blk == blkEVFV2 || blk == blkEVFV2Large {
		at = 6
	}
	if len(body) < at+hdrV1 {
		return false
	}
	h := body[at:]
	ev.ts = binary.LittleEndian.Uint64(h[0:8])
	ev.tid = int64(binary.LittleEndian.Uint64(h[8:16]))
	ev.typ = binary.LittleEndian.Uint16(h[20:22])
	return int(ev.typ) < len(evTable)
}

// decodeEvent parses the body of an event block of type blk into ev. known is false
// for an event id newer than the table, which the caller skips.
func decodeEvent(body []byte, blk uint32, ev *rawEvent) (known bool, err error) {
	at, hdr := 2, hdrV1
	switch blk {
	case blkEVF:
		at = 6
	case blkEVV2, blkEVV2Large:
		hdr = hdrV2
	case blkEVFV2, blkEVFV2Large:
		at, hdr = 6, hdrV2
	}
	if len(body) < at+hdr {
		return false, corruptf("event block of %d bytes, header needs %d", len(body), at+hdr)
	}
	ev.cpu = binary.LittleEndian.Uint16(body)
	ev.dflags = 0
	if at == 6 {
		ev.dflags = binary.LittleEndian.Uint32(body[2:])
	}
	h := body[at : at+hdr]
	ev.ts = binary.LittleEndian.Uint64(h[0:8])
	ev.tid = int64(binary.LittleEndian.Uint64(h[8:16]))
	length := int(binary.LittleEndian.Uint32(h[16:20]))
	ev.typ = binary.LittleEndian.Uint16(h[20:22])
	if int(ev.typ) >= len(evTable) {
		return false, nil
	}
	info := &evTable[ev.typ]
	if hdr == hdrV1 && (ev.typ == 280 || ev.typ == 286) && length >= hdr+3 {
		length -= 3 // old notification and infra events overstate their length by 3
	}
	if length < hdr || length > len(body)-at {
		return true, corruptf("event length %d, block holds %d", length, len(body)-at)
	}
	rest := body[at+hdr : at+length]
	lensize := 2
	if info.flags&efLarge != 0 {
		lensize = 4
	}
	var n int
	if hdr == hdrV2 {
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
// One pass: sum holds the lengths of the first n parameters.
func deriveNParams(rest []byte, max, lensize int) (int, error) {
	found, sum := -1, 0
	for n := 0; n <= max && n*lensize <= len(rest); n++ {
		if n > 0 {
			sum += paramLen(rest, n-1, lensize)
		}
		if n*lensize+sum == len(rest) {
			found = n
		}
	}
	if found < 0 {
		return 0, corruptf("parameter lengths match no parameter count")
	}
	return found, nil
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
	ev.vals = rest[off:]
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
