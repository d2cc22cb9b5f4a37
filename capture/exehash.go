package capture

import (
	"container/list"
	"errors"
)

// ExeHasher defaults.
const (
	// DefaultExeMaxSize caps the size of an executable that is hashed. Bigger files
	// (a few statically linked monsters, container runtimes with everything inside)
	// are not hashed at all rather than partly: a hash of a prefix would match no
	// threat-intelligence database and could be mistaken for the real one. At the
	// ~1 GB/s BenchmarkExeHasher measures here (SHA-NI), the cap costs at most ~0.27 s
	// of one worker.
	DefaultExeMaxSize = 256 << 20
	// DefaultExeCacheSize bounds the cache of hashes, in distinct executables.
	DefaultExeCacheSize = 4096
	// DefaultExeQueue bounds the executables waiting for an asynchronous hash.
	DefaultExeQueue = 256
)

// Reasons an executable is not hashed; ExeSum.Err wraps one of them or an I/O error.
var (
	ErrExeTooBig   = errors.New("capture: executable bigger than the hash size cap")
	ErrExeChanged  = errors.New("capture: executable is not the one the exec event names")
	ErrExeNotFile  = errors.New("capture: executable is not a regular file")
	ErrExeQueue    = errors.New("capture: exe hash queue full")
	ErrExeStopped  = errors.New("capture: exe hasher closed")
	errExeNotFound = errors.New("capture: executable not found by pid or path")
)

// ExeKey identifies one version of an executable file: the same device, inode, size
// and modification time mean the same bytes, short of tampering with the clock.
type ExeKey struct {
	Dev   uint64 // st_dev, as stat(2) encodes it
	Ino   uint64
	Size  int64
	Mtime int64 // ns since the Unix epoch
}

// ExeSum is the outcome of hashing one executable.
type ExeSum struct {
	Key    ExeKey
	Sum    [32]byte // SHA-256 of the whole file
	OK     bool
	Cached bool  // the hash came from the cache
	Err    error // why there is no hash, when !OK
}

// ExeHashStats counts what an ExeHasher did.
type ExeHashStats struct {
	Hashed  uint64 // files read and hashed
	Bytes   uint64 // bytes hashed
	Hits    uint64 // answers from the cache or from a hash in flight
	TooBig  uint64 // skipped: over MaxSize
	Changed uint64 // skipped: the file was not the one the event named
	Failed  uint64 // skipped: could not be opened or read
	Dropped uint64 // asynchronous requests refused because the queue was full
}

// exeCache is a least-recently-used map of executable hashes. It is not safe for
// concurrent use: ExeHasher guards it.
type exeCache struct {
	max   int
	order *list.List // of exeCacheEntry, most recent at the front
	byKey map[ExeKey]*list.Element
}

type exeCacheEntry struct {
	key ExeKey
	sum [32]byte
}

func newExeCache(max int) *exeCache {
	if max <= 0 {
		max = DefaultExeCacheSize
	}
	return &exeCache{max: max, order: list.New(), byKey: make(map[ExeKey]*list.Element)}
}

func (c *exeCache) get(k ExeKey) ([32]byte, bool) {
	el, ok := c.byKey[k]
	if !ok {
		return [32]byte{}, false
	}
	c.order.MoveToFront(el)
	return el.Value.(exeCacheEntry).sum, true
}

func (c *exeCache) put(k ExeKey, sum [32]byte) {
	if el, ok := c.byKey[k]; ok {
		el.Value = exeCacheEntry{k, sum}
		c.order.MoveToFront(el)
		return
	}
	c.byKey[k] = c.order.PushFront(exeCacheEntry{k, sum})
	if c.order.Len() > c.max {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.byKey, old.Value.(exeCacheEntry).key)
	}
}

func (c *exeCache) len() int { return c.order.Len() }

// DevFromKernel converts a device number as the kernel keeps it inside (dev_t of
// struct super_block's s_dev: major << 20 | minor), which is what a BPF program reads,
// to the encoding of stat(2)'s st_dev, which the snapshot and ExeHasher use.
func DevFromKernel(kdev uint32) uint64 {
	major, minor := uint64(kdev>>20), uint64(kdev&0xfffff)
	return (minor & 0xff) | (major&0xfff)<<8 | (minor&^0xff)<<12 | (major&^0xfff)<<32
}
