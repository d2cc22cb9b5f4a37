package capture

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"

	"golang.org/x/sys/unix"
)

// netnsSockets holds the sockets of one network namespace, read from the /proc/net
// tables of the first process met in it.
type netnsSockets struct {
	table    sockTable
	loaded   bool
	reloaded bool // read again once, for a socket created after the first read
}

// netTables lists the /proc/PID/net files read per network namespace.
var netTables = []struct {
	name  string
	proto uint8
	v6    bool
}{
	{"net/tcp", protoTCP, false}, {"net/tcp6", protoTCP, true},
	{"net/udp", protoUDP, false}, {"net/udp6", protoUDP, true},
	{"net/udplite", protoUDP, false}, {"net/udplite6", protoUDP, true},
	{"net/raw", protoRaw, false}, {"net/raw6", protoRaw, true},
}

// snapshotFDs appends the fdinfo events of the open fds under dirfd, a /proc/PID
// directory (the process's table, tid = pid) or a /proc/PID/task/TID one (a thread with
// a table of its own). An fd closed while the walk reads it is skipped, and so are the
// walk's own directory fds when the process is this one.
func (s *Snapshotter) snapshotFDs(dirfd int, p *processInfo, tid int32, at int64, rootfd int) {
	w := &s.walk
	var err error
	w.fds, err = w.readDirIDs(dirfd, "fd", w.fds[:0])
	if err != nil {
		if !isGone(err) {
			s.warn(fmt.Errorf("list fds of %s/%d: %w", w.root, p.PID, err))
		}
		return
	}
	slices.Sort(w.fds)
	for _, fd := range w.fds {
		if p.PID == w.self && tid == p.PID && (int(fd) == dirfd || int(fd) == rootfd) {
			continue
		}
		f, err := s.readFD(dirfd, p, fd)
		if errors.Is(err, unix.EACCES) || errors.Is(err, unix.EPERM) {
			// One warning per process: the others fds would fail the same way.
			s.warn(fmt.Errorf("read the %d fds of %s/%d: %w", len(w.fds), w.root, p.PID, err))
			return
		}
		if err != nil {
			if !isGone(err) {
				s.warn(fmt.Errorf("read fd %s/%d/fd/%d: %w", w.root, p.PID, fd, err))
			}
			continue
		}
		w.procs = append(w.procs, newFDInfo(at, tid, p.PID, &f))
		s.stats.FDs++
		if f.Sock != nil {
			s.stats.Sockets++
		}
	}
}

// readFD reads one fd: its link, its fdinfo, then what its type needs: a stat for
// files (directory or device? inode, device), a socket table lookup for sockets.
func (s *Snapshotter) readFD(dirfd int, p *processInfo, fd int32) (fdEntry, error) {
	w := &s.walk
	f := fdEntry{FD: fd}
	name := "fd/" + strconv.Itoa(int(fd))
	link, err := w.readlinkAt(dirfd, name)
	if err != nil {
		return f, err
	}
	f.Link = classifyFDLink(link)
	f.Link.Name = append([]byte(nil), f.Link.Name...)
	f.Ino = f.Link.Ino
	b, _, err := w.readAt(dirfd, "fdinfo/"+strconv.Itoa(int(fd)), 4096)
	if err != nil {
		return f, err
	}
	if f.Info, err = parseFDInfo(b); err != nil {
		return f, fmt.Errorf("parse fdinfo: %w", err)
	}
	switch f.Link.Type {
	case fdFile, fdMemfd:
		s.statFD(dirfd, name, &f)
	case fdSocket:
		f.Sock = s.lookupSocket(dirfd, p, f.Link.Ino)
	}
	if f.Ino == 0 && f.Info.HasIno {
		f.Ino = f.Info.Ino
	}
	return f, nil
}

// statFD stats what an fd refers to (through the magic link, so an unlinked file is
// still reached) and refines its type: directory, device, or named pipe. Without a
// stat (a fake tree, a race) the type stays file and the inode comes from fdinfo.
func (s *Snapshotter) statFD(dirfd int, name string, f *fdEntry) {
	var st unix.Stat_t
	if unix.Fstatat(dirfd, name, &st, 0) != nil {
		return
	}
	f.Ino, f.Dev = st.Ino, st.Dev
	if f.Link.Type != fdFile {
		return
	}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFDIR:
		f.Link.Type = fdDirectory
	case unix.S_IFCHR, unix.S_IFBLK:
		f.Link.Type = fdDevice
	case unix.S_IFIFO:
		f.Link.Type = fdPipe
	}
}

// lookupSocket finds a socket by inode in the tables of the process's network
// namespace, reading them at the first socket met in that namespace, and once more
// at the first miss (a socket created since). nil when it is in none of the tables
// (a packet, vsock or other socket whose family has no table, or a closed one).
func (s *Snapshotter) lookupSocket(dirfd int, p *processInfo, ino uint64) *sockInfo {
	w := &s.walk
	key := p.NetNS
	if key == 0 {
		// The namespace link could not be read: do not mix this process's sockets
		// with another's; namespace inodes never have the top bit set.
		key = 1<<63 | uint64(p.PID)
	}
	ns := w.netns[key]
	if ns == nil {
		ns = &netnsSockets{}
		w.netns[key] = ns
	}
	if !ns.loaded {
		ns.table, ns.loaded = s.readSockets(dirfd, p.PID), true
	}
	if si := ns.table[ino]; si != nil {
		return si
	}
	if ns.reloaded {
		return nil
	}
	ns.table, ns.reloaded = s.readSockets(dirfd, p.PID), true
	return ns.table[ino]
}

// readSockets reads the socket tables of the network namespace of a process. A table
// the kernel lacks (no IPv6, no UDP-Lite) is skipped.
func (s *Snapshotter) readSockets(dirfd int, pid int32) sockTable {
	t := make(sockTable)
	for _, nt := range netTables {
		s.readNetTable(dirfd, pid, nt.name, func(f *os.File) error {
			return parseNetInet(f, nt.proto, nt.v6, t)
		})
	}
	s.readNetTable(dirfd, pid, "net/netlink", func(f *os.File) error { return parseNetNetlink(f, t) })
	// Unix sockets come from sock_diag, which names peers and cannot be forged by a
	// path holding a newline; /proc/net/unix is the fallback (a fake tree, where the
	// namespace link does not open, or a kernel without unix_diag).
	if d, err := readUnixDiag(fmt.Sprintf("%s/%d/ns/net", s.walk.root, pid)); err == nil {
		d.addTo(t)
	} else {
		s.readNetTable(dirfd, pid, "net/unix", func(f *os.File) error { return parseNetUnix(f, t) })
	}
	t.assignRoles()
	return t
}

func (s *Snapshotter) readNetTable(dirfd int, pid int32, name string, parse func(*os.File) error) {
	fd, err := unix.Openat(dirfd, name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return
	}
	f := os.NewFile(uintptr(fd), name)
	defer f.Close()
	if err := parse(f); err != nil {
		s.warn(fmt.Errorf("parse %s/%d/%s: %w", s.walk.root, pid, name, err))
	}
}
