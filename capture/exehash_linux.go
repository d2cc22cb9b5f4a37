package capture

import (
	"crypto/sha256"
	"io"
	"os"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/syscam/syscam/event"
)

const (
	maxHashEntries = 8192
	maxHashSize    = 512 << 20 // larger executables are not hashed
)

// exeKey identifies one version of an executable file.
type exeKey struct {
	dev, ino uint64
	mtime    int64
	size     int64
}

// exeHasher computes the SHA-256 of each distinct executable (device, inode, size,
// mtime) at its first exec and remembers it. The file is opened by the path the kernel
// resolved and checked to be the same inode, else through /proc/PID/exe; a process
// that has exited and a replaced file leave the hash empty rather than wrong.
type exeHasher struct {
	seen map[exeKey][sha256.Size]byte
	buf  []byte
}

func newExeHasher() *exeHasher {
	return &exeHasher{seen: map[exeKey][sha256.Size]byte{}, buf: make([]byte, 256<<10)}
}

// fill sets the sha256 parameter of a successful exec event when the file is new.
func (h *exeHasher) fill(e *event.Event) {
	hi, ino, dev, mtime := e.Param("sha256"), e.Param("exe_ino"), e.Param("exe_dev"), e.Param("exe_mtime")
	if hi < 0 || ino < 0 || dev < 0 || mtime < 0 {
		return
	}
	key := exeKey{dev: e.Uint(dev), ino: e.Uint(ino), mtime: e.Int(mtime)}
	f := h.open(string(e.Bytes(e.Param("exepath"))), e.PID, key)
	if f == nil {
		return
	}
	defer f.Close()
	var st unix.Stat_t
	if unix.Fstat(int(f.Fd()), &st) != nil {
		return
	}
	key.size = st.Size
	if _, ok := h.seen[key]; ok {
		return // hashed at an earlier exec: the event carries it only at the first
	}
	sum, ok := h.hash(f, st.Size)
	if !ok {
		return
	}
	if len(h.seen) >= maxHashEntries {
		clear(h.seen)
	}
	h.seen[key] = sum
	e.SetBytes(hi, sum[:], sha256.Size)
}

// open returns the executable file of key, or nil.
func (h *exeHasher) open(path string, pid int32, key exeKey) *os.File {
	for _, p := range []string{path, "/proc/" + strconv.Itoa(int(pid)) + "/exe"} {
		if p == "" {
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		var st unix.Stat_t
		if unix.Fstat(int(f.Fd()), &st) == nil && st.Ino == key.ino && st.Dev == key.dev &&
			st.Mtim.Nano() == key.mtime {
			return f
		}
		f.Close()
	}
	return nil
}

func (h *exeHasher) hash(f *os.File, size int64) (sum [sha256.Size]byte, ok bool) {
	if size > maxHashSize {
		return sum, false
	}
	d := sha256.New()
	if _, err := io.CopyBuffer(d, f, h.buf); err != nil {
		return sum, false
	}
	copy(sum[:], d.Sum(h.buf[:0]))
	return sum, true
}
