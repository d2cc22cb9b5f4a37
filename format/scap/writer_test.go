package scap

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
)

// capWriter builds small synthetic captures for tests, fuzz seeds and benchmarks,
// following the writer side of FORMAT.md (scap_write_* in libscap).
type capWriter struct{ b bytes.Buffer }

func le16(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
func le64(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }

// cstrp is a CHARBUF/FSPATH parameter: the text and its NUL.
func cstrp(s string) []byte { return append([]byte(s), 0) }

// lstr is a list-block string: u16 length, bytes, no NUL.
func lstr(s string) []byte { return append(le16(uint16(len(s))), s...) }

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// block writes one block: header, body padded to 4, trailer.
func (w *capWriter) block(typ uint32, body []byte) {
	n := 12 + (len(body)+3)&^3
	w.b.Write(le32(typ))
	w.b.Write(le32(uint32(n)))
	w.b.Write(body)
	w.b.Write(make([]byte, n-12-len(body)))
	w.b.Write(le32(uint32(n)))
}

func (w *capWriter) shb(opts []byte) {
	w.block(blkSHB, cat(le32(byteOrderMagic), le16(1), le16(2), le64(^uint64(0)), opts))
}

func (w *capWriter) mi(host string) {
	name := make([]byte, 128)
	copy(name, host)
	w.block(blkMI, cat(le32(2), le64(1<<30), le64(32768), name, le64(0), le64(0), le64(0), le64(0)))
}

// plV9 writes a PL_V9 block with one entry per thread, ending with loginuid (the
// 2019 layout).
func (w *capWriter) plV9(ths ...Thread) {
	var body []byte
	for _, t := range ths {
		e := cat(le64(uint64(t.TID)), le64(uint64(t.PID)), le64(uint64(t.PTID)), le64(uint64(t.SID)),
			le64(uint64(t.VPGID)), lstr(t.Comm), lstr(t.Exe), lstr(t.ExePath), lstr(joinNUL(t.Args)),
			lstr(t.Cwd), le64(uint64(t.FDLimit)), le32(t.Flags), le32(t.UID), le32(t.GID),
			le32(0), le32(0), le32(0), le64(0), le64(0), lstr(joinNUL(t.Env)),
			le64(uint64(t.VTID)), le64(uint64(t.VPID)), lstr(joinNUL(t.Cgroups)), lstr(t.Root),
			le32(t.LoginUID))
		body = append(body, cat(le32(uint32(4+len(e))), e)...)
	}
	w.block(blkPLV9, body)
}

func joinNUL(v []string) string {
	var b []byte
	for _, s := range v {
		b = append(append(b, s...), 0)
	}
	return string(b)
}

// fdlV2 writes an FDL_V2 block for tid; entries are fd entries without their length.
func (w *capWriter) fdlV2(tid int64, entries ...[]byte) {
	body := le64(uint64(tid))
	for _, e := range entries {
		body = append(body, cat(le32(uint32(4+len(e))), e)...)
	}
	w.block(blkFDLV2, body)
}

func fdFileEntry(fd int64, ino uint64, flags uint32, name string) []byte {
	return cat(le64(uint64(fd)), le64(ino), []byte{fdFileV2}, le32(flags), lstr(name))
}

func fdIPv4Entry(fd int64, sip, dip [4]byte, sport, dport uint16) []byte {
	return cat(le64(uint64(fd)), le64(0), []byte{fdIPv4Sock}, sip[:], dip[:], le16(sport), le16(dport), []byte{2})
}

func (w *capWriter) ulV2(u User, g Group) {
	ue := cat([]byte{0}, le32(u.UID), le32(u.GID), lstr(u.Name), lstr(u.Home), lstr(u.Shell))
	ge := cat([]byte{1}, le32(g.GID), lstr(g.Name))
	w.block(blkULV2, cat(le32(uint32(4+len(ue))), ue, le32(uint32(4+len(ge))), ge))
}

// ev writes an event in a block of type blk (V1 or V2 header, EVF flags, large
// lengths as the event type demands).
func (w *capWriter) ev(blk uint32, ts uint64, tid int64, typ uint16, params ...[]byte) {
	lensize := 2
	if info := lookupEv(typ); info != nil && info.flags&efLarge != 0 {
		lensize = 4
	}
	v2 := blk == blkEVV2 || blk == blkEVFV2 || blk == blkEVV2Large || blk == blkEVFV2Large
	hdr := hdrV1
	if v2 {
		hdr = hdrV2
	}
	var lens, vals []byte
	for _, p := range params {
		if lensize == 4 {
			lens = append(lens, le32(uint32(len(p)))...)
		} else {
			lens = append(lens, le16(uint16(len(p)))...)
		}
		vals = append(vals, p...)
	}
	total := hdr + len(lens) + len(vals)
	body := cat(le16(1))
	if blk == blkEVF || blk == blkEVFV2 || blk == blkEVFV2Large {
		body = append(body, le32(0)...)
	}
	body = cat(body, le64(ts), le64(uint64(tid)), le32(uint32(total)), le16(typ))
	if v2 {
		body = append(body, le32(uint32(len(params)))...)
	}
	w.block(blk, cat(body, lens, vals))
}

func (w *capWriter) bytes() []byte { return w.b.Bytes() }

func gzipped(b []byte) []byte {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(b)
	zw.Close()
	return out.Bytes()
}

// Parameter encodings.
func tuple4(sip [4]byte, sport uint16, dip [4]byte, dport uint16) []byte {
	return cat([]byte{2}, sip[:], le16(sport), dip[:], le16(dport))
}

func tuple6(sip [16]byte, sport uint16, dip [16]byte, dport uint16) []byte {
	return cat([]byte{10}, sip[:], le16(sport), dip[:], le16(dport))
}

func sockaddr4(ip [4]byte, port uint16) []byte { return cat([]byte{2}, ip[:], le16(port)) }
