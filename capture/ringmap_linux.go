package capture

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"unsafe"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// Record header bits, as the kernel's BPF ring buffer has them (include/uapi/linux/bpf.h):
// the per-CPU rings lay their records out the same way and never set them.
const (
	ringBusyBit    = 1 << 31
	ringDiscardBit = 1 << 30
	ringHdrSize    = 8
	// cpuSlack follows each CPU's ring (CPU_SLACK in bpf/syscam.bpf.c): a record that
	// starts near the end runs into it rather than wrapping.
	cpuSlack = 65536 + 64
	// cpuctlSize is struct cpuctl: the head at 0, the programs' busy flag at 8, the
	// tail at 64.
	cpuctlSize = 128
)

// ringMap consumes one CPU's ring of records (see bpf/syscam.bpf.c): the CPU's programs
// append records past head, this side frees them by advancing tail. Each record is an
// 8-byte header (the length) then the data, padded to 8 bytes, and is contiguous: the
// ring's memory is followed by a slack a record runs into. ringMap hands records out
// in place and frees them when the caller says: the recorder keeps them in the ring
// until they leave its window.
type ringMap struct {
	head, tail *uint64 // the producer and consumer positions
	data       []byte  // size + cpuSlack bytes
	mask       uint64
	next       uint64 // position of the next record to read (during readN's fn: past fn's)
	end        uint64 // the producer's position at the last snapshot
	freed      uint64 // consumer position last stored
}

// snapshot takes the producer's position as the end of the records readN hands out
// until the next snapshot.
func (r *ringMap) snapshot() { r.end = atomic.LoadUint64(r.head) }

// readN calls fn with up to n records past the last one read and before the snapshot,
// in ring order, with their positions, and reports whether records remain before it.
// The records stay in the ring, valid, until free passes them.
func (r *ringMap) readN(fn func(pos uint64, rec []byte), n int) bool {
	for ; n > 0 && r.next < r.end; n-- {
		pos := r.next
		rec := r.record(pos)
		r.next = after(pos, rec)
		fn(pos, rec)
	}
	return r.next < r.end
}

// record returns the record at pos, which read has passed and free has not. A length
// past the mapping (which the programs never write) is cut to it rather than panic:
// the record then fails its check and is counted as a read loss.
func (r *ringMap) record(pos uint64) []byte {
	off := pos & r.mask
	l := uint64(*(*uint32)(unsafe.Pointer(&r.data[off])) &^ (ringBusyBit | ringDiscardBit))
	l = min(l, uint64(len(r.data))-off-ringHdrSize)
	return r.data[off+ringHdrSize : off+ringHdrSize+l]
}

// after returns the position of the record that follows rec, read at pos: records
// are padded to 8 bytes behind their 8-byte header.
func after(pos uint64, rec []byte) uint64 { return pos + (uint64(len(rec))+ringHdrSize+7)&^7 }

// recTime returns the wall-clock time of a raw record (its first field, boot time).
func recTime(raw []byte, bootOffset int64) int64 {
	return int64(binary.LittleEndian.Uint64(raw)) + bootOffset
}

// free gives the ring's space before pos back to the producer. The tail's cache line is
// read by the producing CPU on every record: it is stored once per drain, not per
// record.
func (r *ringMap) free(pos uint64) {
	if pos != r.freed {
		atomic.StoreUint64(r.tail, pos)
		r.freed = pos
	}
}

// size returns the ring's size in bytes.
func (r *ringMap) size() uint64 { return r.mask + 1 }

// cpuRings maps every CPU's ring and its positions.
type cpuRings struct {
	ctl, data []byte // the mappings
	rings     []ringMap
}

// cpuRingSize is each CPU's share of a total ring size, a power of two of at least 4096.
func cpuRingSize(total, ncpu int) int {
	n := 4096
	for n*2 <= total/ncpu {
		n *= 2
	}
	return n
}

func newCPURings(ctl, data *ebpf.Map, size int) (_ *cpuRings, err error) {
	ncpu, elem := int(data.MaxEntries()), (int(data.ValueSize())+7)&^7
	c := &cpuRings{}
	defer func() {
		if err != nil {
			c.Close()
		}
	}()
	if c.ctl, err = mmapMap(ctl, ncpu*cpuctlSize); err != nil {
		return nil, fmt.Errorf("map the rings' positions: %w", err)
	}
	if c.data, err = mmapMap(data, ncpu*elem); err != nil {
		return nil, fmt.Errorf("map the rings: %w", err)
	}
	for cpu := range ncpu {
		ctl := c.ctl[cpu*cpuctlSize:]
		r := ringMap{head: (*uint64)(unsafe.Pointer(&ctl[0])), tail: (*uint64)(unsafe.Pointer(&ctl[64])),
			data: c.data[cpu*elem : cpu*elem+size+cpuSlack], mask: uint64(size - 1)}
		r.next = atomic.LoadUint64(r.tail)
		r.freed = r.next
		c.rings = append(c.rings, r)
	}
	return c, nil
}

// mmapMap maps the first n bytes of a BPF_F_MMAPABLE array, rounded up to pages.
func mmapMap(m *ebpf.Map, n int) ([]byte, error) {
	ps := os.Getpagesize()
	return unix.Mmap(m.FD(), 0, (n+ps-1)/ps*ps, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
}

// Close unmaps the rings.
func (c *cpuRings) Close() error {
	var errs []error
	for _, m := range []*[]byte{&c.ctl, &c.data} {
		if *m != nil {
			errs = append(errs, unix.Munmap(*m))
			*m = nil
		}
	}
	c.rings = nil
	return errors.Join(errs...)
}
