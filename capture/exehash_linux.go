package capture

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"

	"github.com/syscam/syscam/event"
	"golang.org/x/sys/unix"
)

// ExeHasherConfig sets up an ExeHasher; zero values take the defaults.
type ExeHasherConfig struct {
	ProcRoot  string // "/proc"
	MaxSize   int64  // DefaultExeMaxSize
	CacheSize int    // DefaultExeCacheSize
	Workers   int    // goroutines hashing for SumAsync: 1
	Queue     int    // DefaultExeQueue
}

// ExeHasher computes the SHA-256 of executables as they are executed, once per
// distinct file version (ExeKey: device, inode, size, mtime), with a bounded LRU cache.
//
// Which file is read, and why: /proc/PID/exe first. It is the very inode the process
// runs, even when the path has since been renamed over, unlinked (malware that deletes
// itself) or never had one (memfd_create and fexecve). It is checked against the
// device and inode the exec event recorded, so that a pid that exec'd again or was
// reused cannot get another file's hash. When the process is already gone (short-lived
// commands, the common case when hashing happens after the event was queued), the path
// is opened instead and accepted only when its device, inode and mtime still match the
// event's: a path swapped since is not hashed (ErrExeChanged) rather than hashed wrong.
//
// Cost: a cache hit is an open, an fstat and a close (a few µs). A miss reads the file
// at the speed of SHA-256 (about 1 GB/s of CPU here with SHA-NI: 1 ms per MB), so Sum can
// stall its caller for up to ~0.27 s at the default 256 MiB cap. SumAsync opens the
// file at once (the race-sensitive part) and hashes on worker goroutines; a later Sum
// of the same file waits for that hash instead of starting another. For the recorder,
// exeHasher.prefetch (at decode) and fill (when writing the event) wrap the two.
//
// It is safe for concurrent use.
type ExeHasher struct {
	procRoot string
	maxSize  int64
	workers  int
	queueLen int

	mu       sync.Mutex
	cache    *exeCache
	inflight map[ExeKey]*exeFlight
	stats    ExeHashStats
	jobs     chan exeJob
	closed   bool
	wg       sync.WaitGroup
	bufs     sync.Pool
}

// exeFlight is a hash being computed; Sum callers wait on done, SumAsync callers are
// called back.
type exeFlight struct {
	done    chan struct{}
	res     ExeSum
	waiters []func(ExeSum)
}

type exeJob struct {
	f   *os.File
	key ExeKey
	fl  *exeFlight
}

// NewExeHasher returns a hasher; its workers start at the first SumAsync.
func NewExeHasher(cfg ExeHasherConfig) *ExeHasher {
	h := &ExeHasher{procRoot: orDefault(cfg.ProcRoot, "/proc"), maxSize: cfg.MaxSize,
		workers: max(cfg.Workers, 1), queueLen: cfg.Queue, cache: newExeCache(cfg.CacheSize),
		inflight: make(map[ExeKey]*exeFlight)}
	if h.maxSize <= 0 {
		h.maxSize = DefaultExeMaxSize
	}
	if h.queueLen <= 0 {
		h.queueLen = DefaultExeQueue
	}
	h.bufs.New = func() any { b := make([]byte, 256<<10); return &b }
	return h
}

// Stats returns what the hasher did so far.
func (h *ExeHasher) Stats() ExeHashStats {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.stats
}

// Sum returns the SHA-256 of the executable that process pid runs, found as the type
// comment says. dev (stat(2) encoding, or the kernel's, see DevFromKernel), ino and
// mtime are the exec event's; zero values are not checked. ok is false when no hash
// could be made; SumResult says why.
func (h *ExeHasher) Sum(pid int32, path string, dev, ino uint64, mtime int64) (sum [32]byte, ok bool) {
	r := h.SumResult(pid, path, dev, ino, mtime)
	return r.Sum, r.OK
}

// SumResult is Sum with the full outcome.
func (h *ExeHasher) SumResult(pid int32, path string, dev, ino uint64, mtime int64) ExeSum {
	f, key, err := h.open(pid, path, dev, ino, mtime)
	if err != nil {
		return h.failed(key, err)
	}
	h.mu.Lock()
	if r, ok := h.cachedLocked(key); ok {
		h.mu.Unlock()
		f.Close()
		return r
	}
	if fl := h.inflight[key]; fl != nil {
		h.stats.Hits++
		h.mu.Unlock()
		f.Close()
		<-fl.done
		return fl.res
	}
	fl := &exeFlight{done: make(chan struct{})}
	h.inflight[key] = fl
	h.mu.Unlock()
	h.finish(key, fl, h.hash(f, key))
	return fl.res
}

// SumAsync opens the executable now and hashes it on a worker goroutine; done, when
// not nil, gets the outcome exactly once, possibly before SumAsync returns (a cache hit,
// a file that cannot be opened, a full queue) and otherwise from a worker.
func (h *ExeHasher) SumAsync(pid int32, path string, dev, ino uint64, mtime int64, done func(ExeSum)) {
	if done == nil {
		done = func(ExeSum) {}
	}
	f, key, err := h.open(pid, path, dev, ino, mtime)
	if err != nil {
		done(h.failed(key, err))
		return
	}
	h.mu.Lock()
	r, queued := h.enqueueLocked(f, key, done)
	h.mu.Unlock()
	if !queued {
		f.Close()
		done(r)
	}
}

// enqueueLocked hands f to a worker, or joins the hash of the same file in flight. It
// returns the outcome to give at once when it does neither.
func (h *ExeHasher) enqueueLocked(f *os.File, key ExeKey, done func(ExeSum)) (ExeSum, bool) {
	if h.closed {
		return ExeSum{Key: key, Err: ErrExeStopped}, false
	}
	if r, ok := h.cachedLocked(key); ok {
		return r, false
	}
	if fl := h.inflight[key]; fl != nil {
		h.stats.Hits++
		fl.waiters = append(fl.waiters, done)
		f.Close()
		return ExeSum{}, true
	}
	h.startWorkersLocked()
	fl := &exeFlight{done: make(chan struct{}), waiters: []func(ExeSum){done}}
	select {
	case h.jobs <- exeJob{f, key, fl}:
		h.inflight[key] = fl
		return ExeSum{}, true
	default:
		h.stats.Dropped++
		return ExeSum{Key: key, Err: ErrExeQueue}, false
	}
}

func (h *ExeHasher) startWorkersLocked() {
	if h.jobs != nil {
		return
	}
	h.jobs = make(chan exeJob, h.queueLen)
	for range h.workers {
		h.wg.Add(1)
		go h.work()
	}
}

func (h *ExeHasher) work() {
	defer h.wg.Done()
	for j := range h.jobs {
		r := h.hash(j.f, j.key)
		j.f.Close()
		h.finish(j.key, j.fl, r)
	}
}

// Close stops the workers after the queued hashes are done; later SumAsync calls get
// ErrExeStopped. Sum keeps working.
func (h *ExeHasher) Close() error {
	h.mu.Lock()
	if !h.closed && h.jobs != nil {
		close(h.jobs)
	}
	h.closed = true
	h.mu.Unlock()
	h.wg.Wait()
	return nil
}

func (h *ExeHasher) cachedLocked(key ExeKey) (ExeSum, bool) {
	sum, ok := h.cache.get(key)
	if ok {
		h.stats.Hits++
	}
	return ExeSum{Key: key, Sum: sum, OK: ok, Cached: ok}, ok
}

// finish publishes the outcome of a hash to the cache and to whoever waits for it.
func (h *ExeHasher) finish(key ExeKey, fl *exeFlight, r ExeSum) {
	h.mu.Lock()
	delete(h.inflight, key)
	if r.OK {
		h.cache.put(key, r.Sum)
	}
	h.count(r)
	fl.res = r
	waiters := fl.waiters
	h.mu.Unlock()
	close(fl.done)
	for _, w := range waiters {
		w(r)
	}
}

func (h *ExeHasher) failed(key ExeKey, err error) ExeSum {
	r := ExeSum{Key: key, Err: err}
	h.mu.Lock()
	h.count(r)
	h.mu.Unlock()
	return r
}

func (h *ExeHasher) count(r ExeSum) {
	switch {
	case r.OK:
		h.stats.Hashed++
		h.stats.Bytes += uint64(r.Key.Size)
	case errors.Is(r.Err, ErrExeTooBig):
		h.stats.TooBig++
	case errors.Is(r.Err, ErrExeChanged):
		h.stats.Changed++
	default:
		h.stats.Failed++
	}
}

// open opens the executable by pid, then by path, and returns it with its key.
func (h *ExeHasher) open(pid int32, path string, dev, ino uint64, mtime int64) (*os.File, ExeKey, error) {
	if pid > 0 {
		f, key, err := openExe(h.procRoot + "/" + strconv.Itoa(int(pid)) + "/exe")
		if err == nil && keyMatches(key, dev, ino, mtime) {
			return f, key, nil
		}
		if err == nil {
			f.Close()
		}
	}
	if path == "" {
		return nil, ExeKey{}, fmt.Errorf("hash exe of pid %d: %w", pid, errExeNotFound)
	}
	f, key, err := openExe(path)
	if err != nil {
		return nil, key, fmt.Errorf("hash exe of pid %d: %w", pid, err)
	}
	if !keyMatches(key, dev, ino, mtime) {
		f.Close()
		return nil, key, fmt.Errorf("hash exe %s: dev %d ino %d mtime %d, the exec had dev %d ino %d mtime %d: %w",
			path, key.Dev, key.Ino, key.Mtime, dev, ino, mtime, ErrExeChanged)
	}
	return f, key, nil
}

// openExe opens a file and reads its key; it refuses what is not a regular file.
func openExe(name string) (*os.File, ExeKey, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, ExeKey{}, err
	}
	var st unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &st); err != nil {
		f.Close()
		return nil, ExeKey{}, &os.PathError{Op: "fstat", Path: name, Err: err}
	}
	key := ExeKey{Dev: st.Dev, Ino: st.Ino, Size: st.Size, Mtime: st.Mtim.Nano()}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		f.Close()
		return nil, key, fmt.Errorf("open %s: %w", name, ErrExeNotFile)
	}
	return f, key, nil
}

// keyMatches checks a file against what an exec event recorded. The device may come
// in the kernel's internal encoding (a BPF program reading s_dev) or stat's; the
// mtime may have been kept to the second.
func keyMatches(k ExeKey, dev, ino uint64, mtime int64) bool {
	devOK := dev == 0 || dev == k.Dev || (dev <= 0xffffffff && DevFromKernel(uint32(dev)) == k.Dev)
	mtimeOK := mtime == 0 || mtime == k.Mtime || mtime == k.Mtime/1e9*1e9
	return devOK && (ino == 0 || ino == k.Ino) && mtimeOK
}

// hash reads f whole into SHA-256, checking that it is as big as its key says.
func (h *ExeHasher) hash(f *os.File, key ExeKey) ExeSum {
	r := ExeSum{Key: key}
	if key.Size > h.maxSize {
		r.Err = fmt.Errorf("hash %s: %d bytes, cap %d: %w", f.Name(), key.Size, h.maxSize, ErrExeTooBig)
		return r
	}
	bp := h.bufs.Get().(*[]byte)
	defer h.bufs.Put(bp)
	d := sha256.New()
	n, err := io.CopyBuffer(d, io.LimitReader(f, h.maxSize+1), *bp)
	switch {
	case err != nil:
		r.Err = fmt.Errorf("hash %s: %w", f.Name(), err)
	case n != key.Size:
		r.Err = fmt.Errorf("hash %s: read %d bytes of %d, it changed while read: %w", f.Name(), n, key.Size, ErrExeChanged)
	default:
		d.Sum(r.Sum[:0])
		r.OK = true
	}
	return r
}

// exeHasher adapts ExeHasher to the recorder's write loop: fill adds the sha256
// parameter to a successful execve or execveat event.
type exeHasher struct{ *ExeHasher }

func newExeHasher() *exeHasher { return &exeHasher{NewExeHasher(ExeHasherConfig{})} }

// execParams returns the indexes of the parameters of exec event e that name its
// executable; ok is false for other events.
func execParams(e *event.Event) (path, dev, ino, mtime, sha int, ok bool) {
	info := e.Info()
	path, dev, ino, mtime, sha = info.ParamIndex("exepath"), info.ParamIndex("exe_dev"),
		info.ParamIndex("exe_ino"), info.ParamIndex("exe_mtime"), info.ParamIndex("sha256")
	ok = path >= 0 && dev >= 0 && ino >= 0 && mtime >= 0 && sha >= 0 && int(e.NParams) > mtime
	return path, dev, ino, mtime, sha, ok
}

// prefetch starts hashing the executable of exec event e on a worker, opening it at
// once: the decoder calls it as soon as it decodes a successful exec, while the process
// most likely still runs, so that fill, later, finds the hash done or in flight.
func (h *exeHasher) prefetch(e *event.Event) {
	path, dev, ino, mtime, _, ok := execParams(e)
	if ok {
		h.SumAsync(e.PID, string(e.Bytes(path)), e.Uint(dev), e.Uint(ino), e.Int(mtime), nil)
	}
}

// fill sets the sha256 parameter of exec event e when the executable can be hashed.
// Without a prefetch it reads the file itself (see ExeHasher for the cost).
func (h *exeHasher) fill(e *event.Event) {
	path, dev, ino, mtime, sha, ok := execParams(e)
	if !ok {
		return
	}
	sum, ok := h.Sum(e.PID, string(e.Bytes(path)), e.Uint(dev), e.Uint(ino), e.Int(mtime))
	if ok {
		e.SetBytes(sha, sum[:], uint32(len(sum)))
	}
}
