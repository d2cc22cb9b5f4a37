package format

import (
	"crypto/ed25519"
	"fmt"
	"hash/crc32"
	"io"
	"time"

	"github.com/syscam/syscam/event"
)

// output is the file being written, owned by the output goroutine (and by the caller
// before the pipeline starts).
type output struct {
	w      io.Writer
	closer io.Closer // nil for NewWriter
	name   string
	hdr    Header // of the current file
	offset int64
	link   [32]byte
	seq    uint32
	foot   footer
}

func crcOf(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// start writes the file header of the current file.
func (o *output) start() error {
	o.hdr.Version = VersionCurrent
	o.hdr.Schema = CurrentSchema()
	b, seed, err := marshalFileHeader(&o.hdr)
	if err != nil {
		return err
	}
	if _, err := o.w.Write(b); err != nil {
		return fmt.Errorf("write header of %s: %w", o.display(), err)
	}
	o.offset, o.link, o.seq = int64(len(b)), seed, 0
	o.foot = footer{Version: VersionCurrent}
	return nil
}

func (o *output) display() string {
	if o.name == "" {
		return "trace"
	}
	return o.name
}

// writeFrame chains, checksums and writes one encoded frame, and indexes it.
func (o *output) writeFrame(j *job) error {
	o.link = chainLink(o.link, j.hash)
	j.hdr.link = o.link
	j.hdr.marshal(j.frame)
	j.hdr.crc = crc32.Update(j.pcrc, castagnoli, j.frame[:72])
	j.hdr.marshal(j.frame)
	if _, err := o.w.Write(j.frame); err != nil {
		return fmt.Errorf("write block %d of %s: %w", j.hdr.seq, o.display(), err)
	}
	size := int64(len(j.frame))
	if j.hdr.kind == kindState {
		o.foot.States = append(o.foot.States, StateInfo{Seq: int(j.hdr.seq), Offset: o.offset,
			Size: size, Count: j.hdr.count, Time: j.hdr.minTime})
	} else {
		info := j.info
		info.Offset, info.Size, info.First = o.offset, size, o.foot.Events+1
		o.foot.Blocks = append(o.foot.Blocks, info)
		if o.foot.Events == 0 {
			o.foot.First = info.MinTime
		}
		o.foot.Events += uint64(info.Count)
		if o.foot.Types == nil {
			o.foot.Types = make(map[event.Type]uint64)
		}
		for t, n := range j.types {
			o.foot.Types[t] += n
		}
		o.foot.Last = info.MaxTime
	}
	o.offset += size
	o.seq = j.hdr.seq + 1
	return nil
}

// finish writes the footer and closes the file.
func (o *output) finish(stats Stats, key ed25519.PrivateKey) error {
	o.foot.Stats = stats
	o.foot.Closed = time.Now().UnixNano()
	b, err := marshalFooter(&o.foot, o.seq, o.link, o.offset, key)
	if err != nil {
		return err
	}
	if _, err := o.w.Write(b); err != nil {
		return fmt.Errorf("write footer of %s: %w", o.display(), err)
	}
	o.offset += int64(len(b))
	if o.closer != nil {
		if err := o.closer.Close(); err != nil {
			return fmt.Errorf("close %s: %w", o.display(), err)
		}
	}
	return nil
}
