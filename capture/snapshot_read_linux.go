package capture

import (
	"encoding/binary"
	"errors"
	"os"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// isGone reports whether err means the process or thread exited during the walk:
// its /proc directory vanished (ENOENT) or its files refer to a dead task (ESRCH).
func isGone(err error) bool {
	return errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ESRCH)
}

// readAt reads the file name under dirfd into w.buf, at most max bytes; truncated says
// there was more. The result aliases w.buf until the next read. Opening through the
// process's directory fd keeps every read about the same process: if the pid exits
// and is reused mid-walk, reads fail with ENOENT or ESRCH rather than describing the
// new process.
func (w *walkState) readAt(dirfd int, name string, max int) (b []byte, truncated bool, err error) {
	fd, err := unix.Openat(dirfd, name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, false, err
	}
	defer unix.Close(fd)
	buf := w.buf[:0]
	for len(buf) <= max {
		if len(buf) == cap(buf) {
			nb := make([]byte, len(buf), min(max+1, 2*cap(buf)+4096))
			copy(nb, buf)
			buf = nb
		}
		n, err := unix.Read(fd, buf[len(buf):cap(buf)])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			w.buf = buf
			return nil, false, err
		}
		if n == 0 {
			break
		}
		buf = buf[:len(buf)+n]
	}
	w.buf = buf
	if len(buf) > max {
		return buf[:max], true, nil
	}
	return buf, false, nil
}

// readlinkAt reads the symbolic link name under dirfd into w.link; the result aliases
// w.link until the next call.
func (w *walkState) readlinkAt(dirfd int, name string) ([]byte, error) {
	if cap(w.link) < unix.PathMax {
		w.link = make([]byte, unix.PathMax)
	}
	for {
		n, err := unix.Readlinkat(dirfd, name, w.link[:cap(w.link)])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		return w.link[:n], nil
	}
}

// readDirIDs appends the numeric entries of directory name under dirfd (pids, tids,
// fd numbers) to dst, reading dirents straight from getdents64 without allocating.
func (w *walkState) readDirIDs(dirfd int, name string, dst []int32) ([]int32, error) {
	fd, err := unix.Openat(dirfd, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return dst, err
	}
	defer unix.Close(fd)
	if cap(w.dents) < 32<<10 {
		w.dents = make([]byte, 32<<10)
	}
	for {
		n, err := unix.Getdents(fd, w.dents[:cap(w.dents)])
		if err == unix.EINTR {
			continue
		}
		if err != nil || n <= 0 {
			return dst, err
		}
		dst = appendDirentIDs(dst, w.dents[:n])
	}
}

// appendDirentIDs decodes struct linux_dirent64 records (d_ino u64, d_off s64,
// d_reclen u16, d_type u8, d_name NUL-terminated) and keeps the decimal names.
func appendDirentIDs(dst []int32, b []byte) []int32 {
	for len(b) >= 19 {
		reclen := int(binary.NativeEndian.Uint16(b[16:18]))
		if reclen < 19 || reclen > len(b) {
			break
		}
		name := b[19:reclen]
		for i, c := range name {
			if c == 0 {
				name = name[:i]
				break
			}
		}
		if v, ok := parseDec(name, 31); ok {
			dst = append(dst, int32(v))
		}
		b = b[reclen:]
	}
	return dst
}

// kcmpFiles is KCMP_FILES (linux/kcmp.h): do two tasks share their fd table?
const kcmpFiles = 2

// sameFiles reports whether threads pid and tid share one fd table, as threads almost
// always do; a thread that called unshare(CLONE_FILES) has its own. When kcmp cannot
// tell (not permitted, a thread gone), they are taken to share.
func sameFiles(pid, tid int32) bool {
	r, _, errno := unix.Syscall6(unix.SYS_KCMP, uintptr(pid), uintptr(tid), kcmpFiles, 0, 0, 0)
	return errno != 0 || r == 0
}

// isLiveProc reports whether root is the proc file system of this pid namespace (its
// "self" names this process), where pids may be given to kcmp; a fake tree's are not.
func isLiveProc(root string) bool {
	self, err := os.Readlink(root + "/self")
	return err == nil && self == strconv.Itoa(os.Getpid())
}
