package capture

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"unsafe"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// Ring buffer record header bits (include/uapi/linux/bpf.h).
const (
	ringBusyBit    = 1 << 31
	ringDiscardBit = 1 << 30
	ringHdrSize    = 8
)

// ringMap consumes a BPF ring buffer through its memory mapping, as the kernel lays it
// out (kernel/bpf/ringbuf.c):
//
//	page 0                 consumer position (u64), writable by user space
//	page 1                 producer position (u64), read-only
//	pages 2..              data, mapped twice in a row so that a record that wraps
//	                       around the end is contiguous
//
// Each record is an 8-byte header (length with busy and discard bits, page offset)
// then the data, padded to 8 bytes. Unlike ringbuf.Reader, which copies each record out
// and frees it at once, ringMap hands records out in place and frees them when the
// caller says: the recorder keeps them in the ring until they leave its reorder window.
type ringMap struct {
	cons, prod []byte // the mappings
	data       []byte // 2 × size bytes of data
	mask       uint64
	next       uint64 // position of the next record to read (during read's fn: past fn's)
	freed      uint64 // consumer position last stored
	epfd       int
	events     [1]unix.EpollEvent
}

func newRingMap(m *ebpf.Map) (_ *ringMap, err error) {
	size, ps := int(m.MaxEntries()), os.Getpagesize()
	r := &ringMap{mask: uint64(size - 1), epfd: -1}
	defer func() {
		if err != nil {
			r.Close()
		}
	}()
	if r.cons, err = unix.Mmap(m.FD(), 0, ps, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED); err != nil {
		return nil, fmt.Errorf("map the ring buffer's consumer page: %w", err)
	}
	if r.prod, err = unix.Mmap(m.FD(), int64(ps), ps+2*size, unix.PROT_READ, unix.MAP_SHARED); err != nil {
		return nil, fmt.Errorf("map the ring buffer's data: %w", err)
	}
	r.data = r.prod[ps:]
	r.next = atomic.LoadUint64(r.consumerPos())
	r.freed = r.next
	if r.epfd, err = unix.EpollCreate1(unix.EPOLL_CLOEXEC); err != nil {
		return nil, fmt.Errorf("create epoll for the ring buffer: %w", err)
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(m.FD())}
	if err = unix.EpollCtl(r.epfd, unix.EPOLL_CTL_ADD, m.FD(), &ev); err != nil {
		return nil, fmt.Errorf("watch the ring buffer: %w", err)
	}
	return r, nil
}

func (r *ringMap) consumerPos() *uint64 { return (*uint64)(unsafe.Pointer(&r.cons[0])) }
func (r *ringMap) producerPos() *uint64 { return (*uint64)(unsafe.Pointer(&r.prod[0])) }

// read calls fn with every committed record past the last one read, in ring order,
// with its position. It stops at a record still being written. The records stay in the
// ring, valid, until free passes them.
func (r *ringMap) read(fn func(pos uint64, rec []byte)) {
	prod := atomic.LoadUint64(r.producerPos())
	for r.next < prod {
		pos := r.next
		off := pos & r.mask
		hdr := atomic.LoadUint32((*uint32)(unsafe.Pointer(&r.data[off])))
		if hdr&ringBusyBit != 0 {
			break
		}
		l := uint64(hdr &^ (ringBusyBit | ringDiscardBit))
		r.next += (l + ringHdrSize + 7) &^ 7
		if hdr&ringDiscardBit == 0 {
			fn(pos, r.data[off+ringHdrSize:off+ringHdrSize+l])
		}
	}
}

// record returns the record at pos, which read has passed and free has not.
func (r *ringMap) record(pos uint64) []byte {
	off := pos & r.mask
	l := uint64(*(*uint32)(unsafe.Pointer(&r.data[off])) &^ (ringBusyBit | ringDiscardBit))
	return r.data[off+ringHdrSize : off+ringHdrSize+l]
}

// free gives the ring's space before pos back to the kernel. The consumer position's
// cache line is read by every producing CPU on every reserve: it is stored once per
// drain, not per record.
func (r *ringMap) free(pos uint64) {
	if pos != r.freed {
		atomic.StoreUint64(r.consumerPos(), pos)
		r.freed = pos
	}
}

// wait sleeps until the kernel wakes the consumer (the ring is filling past the
// watermark) or ms milliseconds pass.
func (r *ringMap) wait(ms int) error {
	_, err := unix.EpollWait(r.epfd, r.events[:], ms)
	if errors.Is(err, unix.EINTR) {
		return nil
	}
	return err
}

// Close unmaps the ring.
func (r *ringMap) Close() error {
	var errs []error
	if r.cons != nil {
		errs = append(errs, unix.Munmap(r.cons))
		r.cons = nil
	}
	if r.prod != nil {
		errs = append(errs, unix.Munmap(r.prod))
		r.prod, r.data = nil, nil
	}
	if r.epfd >= 0 {
		errs = append(errs, unix.Close(r.epfd))
		r.epfd = -1
	}
	return errors.Join(errs...)
}
