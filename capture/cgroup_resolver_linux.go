package capture

import (
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/syscam/syscam/event"
	"golang.org/x/sys/unix"
)

// fileIDKernfs is FILEID_KERNFS (include/linux/exportfs.h): a cgroup v2 file handle
// whose 8 bytes are the cgroup id, as bpf_get_current_cgroup_id returns it.
const fileIDKernfs = 0xfe

// Resolver defaults.
const (
	DefaultCgroupCacheSize = 1 << 16
	DefaultCgroupRewalk    = time.Second
)

// CgroupResolver maps cgroup v2 ids, as the kernel reports them in events, to paths in
// the hierarchy ("/system.slice/ssh.service"), and remembers which ids and containers
// the trace has already described.
//
// A cgroup's id is the inode number of its directory in the cgroup2 file system, and
// ids are never reused while the system runs, so a cached answer never turns wrong.
// On a miss it first opens the cgroup by file handle (open_by_handle_at, one syscall,
// needs CAP_DAC_READ_SEARCH), then falls back to walking the hierarchy, at most once
// per Rewalk so that a storm of unknown ids does not turn into a storm of walks. The
// cache holds at most MaxEntries paths and is emptied when full.
//
// It is safe for concurrent use.
type CgroupResolver struct {
	Root       string        // the cgroup v2 mount point
	Rewalk     time.Duration // least time between two walks; DefaultCgroupRewalk when 0
	MaxEntries int           // DefaultCgroupCacheSize when 0
	Meta       ContainerMeta // where Announce finds container names and images

	mu        sync.Mutex
	byID      map[uint64]string
	lastWalk  time.Time
	announced map[uint64]bool
	shown     map[string]bool // container ids already described
}

// NewCgroupResolver returns a resolver of the hierarchy mounted at root.
func NewCgroupResolver(root string) *CgroupResolver {
	return &CgroupResolver{Root: root, byID: make(map[uint64]string),
		announced: make(map[uint64]bool), shown: make(map[string]bool)}
}

// Learn records that id is the cgroup at path (relative to Root, starting with '/').
func (r *CgroupResolver) Learn(id uint64, path string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.learn(id, path)
}

func (r *CgroupResolver) learn(id uint64, path string) {
	max := r.MaxEntries
	if max <= 0 {
		max = DefaultCgroupCacheSize
	}
	if len(r.byID) >= max {
		clear(r.byID)
	}
	r.byID[id] = path
}

// Path returns the path of cgroup id relative to Root. ok is false when the cgroup is
// unknown: it was removed before it could be resolved, or a walk ran too recently.
func (r *CgroupResolver) Path(id uint64) (path string, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if p, ok := r.byID[id]; ok {
		return p, true
	}
	if p, err := r.byHandle(id); err == nil {
		r.learn(id, p)
		return p, true
	}
	rewalk := r.Rewalk
	if rewalk <= 0 {
		rewalk = DefaultCgroupRewalk
	}
	if time.Since(r.lastWalk) < rewalk {
		return "", false
	}
	r.lastWalk = time.Now()
	r.walk()
	p, ok := r.byID[id]
	return p, ok
}

// byHandle opens the cgroup directory by its file handle and reads back its path.
func (r *CgroupResolver) byHandle(id uint64) (string, error) {
	mfd, err := unix.Open(r.Root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return "", err
	}
	defer unix.Close(mfd)
	var h [8]byte
	binary.NativeEndian.PutUint64(h[:], id)
	fd, err := unix.OpenByHandleAt(mfd, unix.NewFileHandle(fileIDKernfs, h[:]), unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC)
	if err != nil {
		return "", err
	}
	defer unix.Close(fd)
	abs, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(fd))
	if err != nil {
		return "", err
	}
	return relCgroupPath(r.Root, abs)
}

// relCgroupPath turns an absolute directory under root into a hierarchy path.
func relCgroupPath(root, abs string) (string, error) {
	root = strings.TrimSuffix(filepath.Clean(root), "/")
	rel, ok := strings.CutPrefix(abs, root)
	if !ok || (rel != "" && rel[0] != '/') {
		return "", errors.New("capture: cgroup directory " + abs + " is outside " + root)
	}
	if rel == "" {
		rel = "/"
	}
	return rel, nil
}

// walk caches the id of every cgroup directory under Root. Directories removed during
// the walk are skipped.
func (r *CgroupResolver) walk() {
	root := filepath.Clean(r.Root)
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		if st, ok := info.Sys().(*syscall.Stat_t); ok {
			rel, _ := relCgroupPath(root, p)
			r.learn(st.Ino, rel)
		}
		return nil
	})
}

// ID returns the id of the cgroup at path (relative to Root) and caches the pair.
func (r *CgroupResolver) ID(path string) (uint64, error) {
	var st unix.Stat_t
	if err := unix.Stat(filepath.Join(r.Root, path), &st); err != nil {
		return 0, &fs.PathError{Op: "stat cgroup", Path: filepath.Join(r.Root, path), Err: err}
	}
	r.Learn(st.Ino, path)
	return st.Ino, nil
}

// Announce appends the events that describe cgroup id to a trace the first time it is
// met: its cgroupinfo and, when its path names a container not described yet, a
// containerinfo. It appends nothing for an id already announced, or one that cannot be
// resolved (it is tried again next time).
func (r *CgroupResolver) Announce(dst []*event.Event, at int64, id uint64) []*event.Event {
	r.mu.Lock()
	done := r.announced[id]
	r.mu.Unlock()
	if done {
		return dst
	}
	path, ok := r.Path(id)
	if !ok {
		return dst
	}
	return r.announce(dst, at, id, path)
}

func (r *CgroupResolver) announce(dst []*event.Event, at int64, id uint64, path string) []*event.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.announced[id] {
		return dst
	}
	r.announced[id] = true
	dst = append(dst, NewCgroupInfo(at, id, path))
	if c, ok := ContainerFromCgroup(path); ok && !r.shown[c.ID] {
		r.shown[c.ID] = true
		dst = append(dst, NewContainerInfo(at, r.Meta.Lookup(c), path))
	}
	return dst
}

// markAnnounced records that a snapshot described cgroup id, so that Announce does
// not describe it again.
func (r *CgroupResolver) markAnnounced(id uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.announced[id] = true
}

// markShown records that a snapshot described container id.
func (r *CgroupResolver) markShown(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.shown[id] = true
}
