package capture

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/syscam/syscam/event"
)

// Raw record layout, as struct rec_hdr and struct blob_hdr in bpf/syscam.bpf.c:
//
//	off size
//	0   8    ts      boot-clock ns (bpf_ktime_get_boot_ns)
//	8   8    ret     return value
//	16  4    tid
//	20  4    pid     tgid
//	24  2    type    event.Type
//	26  2    cpu
//	28  1    flags   event.Flag*
//	29  1    nargs
//	30  1    nblobs
//	31  1    pad
//	32  8*nargs      raw arguments
//	then nblobs x { len u16, flags u8, pad u8, orig u32, data[len] }
const (
	recHdrSize  = 32
	blobHdrSize = 8
	maxBlobs    = 8

	// blobPeer marks an address blob that holds the socket's peer rather than an
	// address of the call (BLOB_PEER in bpf/syscam.bpf.c).
	blobPeer = 4
)

// ErrRecord marks a raw record that does not decode: cut short, or inconsistent with
// the spec of its type.
var ErrRecord = errors.New("capture: malformed record")

// blobRef locates one blob's data in a raw record.
type blobRef struct {
	off, n uint32
	orig   uint32
	flags  uint8
}

// decoder turns raw records into events. It keeps no per-record state and allocates
// nothing once the event's buffer has grown: the event is reused.
type decoder struct {
	table      *specTable
	bootOffset int64 // wall clock minus boot clock, ns
	blobs      [maxBlobs]blobRef
}

// decode fills e from the raw record rec. e is reset first.
func (d *decoder) decode(rec []byte, e *event.Event) error {
	e.Reset()
	if err := d.check(rec); err != nil {
		return err
	}
	le := binary.LittleEndian
	e.Time = int64(le.Uint64(rec[0:])) + d.bootOffset
	e.Ret = int64(le.Uint64(rec[8:]))
	e.TID = int32(le.Uint32(rec[16:]))
	e.PID = int32(le.Uint32(rec[20:]))
	e.Type = event.Type(le.Uint16(rec[24:]))
	e.CPU = le.Uint16(rec[26:])
	e.Flags = rec[28]
	nargs, nblobs := int(rec[29]), int(rec[30])
	p := &d.table.plans[e.Type]
	if nblobs < int(p.nblobs) {
		clear(d.blobs[nblobs:p.nblobs]) // an enter record (see check)
	}
	args := rec[recHdrSize : recHdrSize+8*nargs]
	for i := range p.params {
		d.param(e, i, &p.params[i], rec, args)
	}
	return nil
}

// check returns an error when rec would not decode: cut short, or inconsistent with
// the spec of its type. It fills nothing but the decoder's blob index, so that the
// ring reader checks records without decoding them (the writer decodes them).
func (d *decoder) check(rec []byte) error {
	if len(rec) < recHdrSize {
		return fmt.Errorf("decode record of %d bytes: %w", len(rec), ErrRecord)
	}
	typ := event.Type(binary.LittleEndian.Uint16(rec[24:]))
	nargs, nblobs := int(rec[29]), int(rec[30])
	if int(typ) >= numTypes || nargs > 8 || nblobs > maxBlobs {
		return fmt.Errorf("decode record of type %d with %d args, %d blobs: %w", typ, nargs, nblobs, ErrRecord)
	}
	argEnd := recHdrSize + 8*nargs
	if len(rec) < argEnd {
		return fmt.Errorf("decode %s record: %d bytes for %d args: %w", event.Lookup(typ).Name, len(rec), nargs, ErrRecord)
	}
	if err := d.scanBlobs(rec, argEnd, nblobs); err != nil {
		return fmt.Errorf("decode %s record: %w", event.Lookup(typ).Name, err)
	}
	// An enter record (a call still blocked at the end) has no memory reads.
	if p := &d.table.plans[typ]; nblobs < int(p.nblobs) && rec[28]&event.FlagEnter == 0 {
		return fmt.Errorf("decode %s record: %d blobs, want %d: %w", event.Lookup(typ).Name, nblobs, p.nblobs, ErrRecord)
	}
	return nil
}

func (d *decoder) scanBlobs(rec []byte, off, n int) error {
	for i := 0; i < n; i++ {
		if off+blobHdrSize > len(rec) {
			return fmt.Errorf("blob %d header at offset %d past the end: %w", i, off, ErrRecord)
		}
		l := int(binary.LittleEndian.Uint16(rec[off:]))
		orig := binary.LittleEndian.Uint32(rec[off+4:])
		off += blobHdrSize
		if off+l > len(rec) {
			return fmt.Errorf("blob %d of %d bytes at offset %d past the end: %w", i, l, off, ErrRecord)
		}
		d.blobs[i] = blobRef{off: uint32(off), n: uint32(l), orig: orig, flags: rec[off-blobHdrSize+2]}
		off += l
	}
	return nil
}

func (d *decoder) blob(rec []byte, i uint8) []byte {
	b := d.blobs[i&(maxBlobs-1)]
	return rec[b.off : b.off+b.n]
}

// param fills parameter i of e from its source.
func (d *decoder) param(e *event.Event, i int, ps *paramSrc, rec, args []byte) {
	if ps.whenSet && !argIn(args, ps.whenArg, ps.when) {
		e.SetInt(i, 0)
		return
	}
	switch ps.from {
	case fromArg:
		e.SetInt(i, convert(rawArg(args, ps.idx), ps.conv))
	case fromBlob:
		b := d.blob(rec, ps.idx)
		e.SetBytes(i, b, max(d.blobs[ps.idx].orig, uint32(len(b))))
	case fromField:
		e.SetInt(i, convert(field(d.blob(rec, ps.idx), ps.off, ps.width), ps.conv))
	case fromStrFld:
		e.SetBytes(i, strField(d.blob(rec, ps.idx), ps.off, ps.width), 0)
	case fromTuple:
		appendTuple(e, i, d.blob(rec, ps.idx), ps.off)
	case fromSaddr:
		appendSockaddr(e, i, d.blob(rec, ps.idx))
	case fromRet:
		e.SetInt(i, uint64(e.Ret))
	case fromOrig:
		e.SetInt(i, uint64(d.blobs[ps.idx].orig))
	case fromCap:
		e.SetInt(i, capField(d.blob(rec, ps.idx), ps.off))
	case fromCmsgFDs:
		appendCmsgFDs(e, i, d.blob(rec, ps.idx))
	case fromPeerMark:
		e.SetInt(i, uint64(d.blobs[ps.idx&(maxBlobs-1)].flags&blobPeer)/blobPeer)
	case fromBlobAt:
		b, orig := d.blob(rec, ps.idx), d.blobs[ps.idx&(maxBlobs-1)].orig
		b = b[min(int(ps.off), len(b)):]
		e.SetBytes(i, b, max(orig-min(orig, uint32(ps.off)), uint32(len(b))))
	case fromTimespec:
		b := d.blob(rec, ps.idx)
		e.SetInt(i, field(b, 0, 8)*1e9+field(b, 8, 8))
	default: // fromZero, fromHash (filled by the recorder)
		if e.Info().ParamKind(i).IsBytes() {
			e.Grow(i, 0)
		} else {
			e.SetInt(i, 0)
		}
	}
}

func rawArg(args []byte, i uint8) uint64 {
	if int(i)*8+8 > len(args) {
		return 0
	}
	return binary.LittleEndian.Uint64(args[int(i)*8:])
}

func argIn(args []byte, i uint8, vals []uint64) bool {
	v := rawArg(args, i)
	for _, w := range vals {
		if v == w {
			return true
		}
	}
	return false
}

func convert(v uint64, conv uint8) uint64 {
	switch conv {
	case convI32:
		return uint64(int64(int32(v)))
	case convU32:
		return uint64(uint32(v))
	case convDev:
		return userDev(v)
	}
	return v
}

// userDev converts a kernel dev_t (MKDEV: major<<20 | minor) into the encoding of
// stat's st_dev (glibc makedev), which /proc and the snapshot use.
func userDev(v uint64) uint64 {
	major, minor := v>>20&0xfff, v&0xfffff
	return (major&0xfffff000)<<32 | (major&0xfff)<<8 | (minor&0xffffff00)<<12 | minor&0xff
}

// field reads a little-endian integer of width bytes at off, 0 when b is too short.
func field(b []byte, off, width uint8) uint64 {
	if int(off)+int(width) > len(b) {
		return 0
	}
	if width == 4 {
		return uint64(binary.LittleEndian.Uint32(b[off:]))
	}
	return binary.LittleEndian.Uint64(b[off:])
}

// strField returns a NUL-padded string field.
func strField(b []byte, off, width uint8) []byte {
	if int(off)+int(width) > len(b) {
		return nil
	}
	s := b[off : int(off)+int(width)]
	for i, c := range s {
		if c == 0 {
			return s[:i]
		}
	}
	return s
}

// capField combines the two 32-bit halves of a capset data array
// (struct __user_cap_data_struct[2]: effective, permitted, inheritable).
func capField(b []byte, k uint8) uint64 {
	lo := field(b, 4*k, 4)
	hi := field(b, 12+4*k, 4)
	return lo | hi<<32
}

// appendCmsgFDs sets parameter i to the fds of the SCM_RIGHTS messages of a raw
// control buffer, as little-endian int32s. The buffer is a sequence of struct cmsghdr
// { u64 len; i32 level; i32 type; data }, each padded to 8 bytes.
func appendCmsgFDs(e *event.Event, i int, b []byte) {
	n := 0
	eachRights(b, func(fds []byte) { n += len(fds) })
	out := e.Grow(i, n)[:0]
	eachRights(b, func(fds []byte) { out = append(out, fds...) })
}

// eachRights calls fn with the data of every SCM_RIGHTS message in b, cut to whole
// int32s.
func eachRights(b []byte, fn func(fds []byte)) {
	const hdr, solSocket, scmRights = 16, 1, 1
	for len(b) >= hdr {
		l := binary.LittleEndian.Uint64(b)
		if l < hdr || l > uint64(len(b)) {
			return
		}
		if binary.LittleEndian.Uint32(b[8:]) == solSocket && binary.LittleEndian.Uint32(b[12:]) == scmRights {
			fn(b[hdr : hdr+(l-hdr)/4*4])
		}
		b = b[min(uint64(len(b)), (l+7)&^7):]
	}
}
