package capture

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/syscam/syscam/event"
	"golang.org/x/sys/unix"
)

// Snapshotter reads the state of a Linux host from /proc: every thread, the open fds of
// every process with their sockets resolved, the users and groups of the host's passwd
// and group files, and the cgroups and containers the processes are in. Its Snapshot
// result is the initial state section of a trace (format.Writer.WriteState).
//
// The roots are parameters so that tests run against a fake tree (testdata/proc). A
// Snapshotter is not safe for concurrent use; it keeps buffers between snapshots.
type Snapshotter struct {
	ProcRoot   string // "/proc" when empty
	EtcRoot    string // directory of passwd and group; "/etc" when empty
	CgroupRoot string // cgroup v2 mount point; found in ProcRoot/self/mountinfo when empty
	// BootTime is the wall-clock time of boot in ns, the origin of process start times.
	// When 0, the btime line of ProcRoot/stat is used, which has second precision:
	// pass BootTime() for better.
	BootTime int64
	Env      bool // record environments; off by default because they hold secrets
	MaxArgs  int  // bytes of argv and of environment kept per process; DefaultMaxArgs when 0
	// Cgroups, when set, learns every (cgroup id, path) pair the snapshot meets, so the
	// recorder resolves them later without walking the hierarchy, and marks them
	// announced. Its Root, when set, takes precedence over CgroupRoot.
	Cgroups *CgroupResolver
	// Containers says where runtimes keep the names and images of containers; the
	// zero value looks in the default places.
	Containers ContainerMeta
	// Hasher, when set, hashes the executable of every process (through
	// /proc/PID/exe) into procinfo's replay parameter: evidence of what ran before the
	// recording began. Each distinct executable is read once (see ExeHasher for the
	// cost); sharing the recorder's hasher leaves its cache warm for later execs.
	Hasher *ExeHasher
	// Warn, when set, receives the problems that do not stop a snapshot: a /proc file
	// that does not parse, a process whose fds cannot be read. A process that exits
	// during the walk is normal and not reported.
	Warn func(error)

	walk  walkState
	stats SnapshotStats
}

// Stats returns the counts of the last Snapshot.
func (s *Snapshotter) Stats() SnapshotStats { return s.stats }

func (s *Snapshotter) procRoot() string { return orDefault(s.ProcRoot, "/proc") }
func (s *Snapshotter) etcRoot() string  { return orDefault(s.EtcRoot, "/etc") }

func (s *Snapshotter) maxArgs() int {
	if s.MaxArgs > 0 {
		return s.MaxArgs
	}
	return DefaultMaxArgs
}

func (s *Snapshotter) warn(err error) {
	s.stats.Warnings++
	if s.Warn != nil {
		s.Warn(err)
	}
}

// walkState is what one Snapshot keeps while it walks /proc; its buffers are reused by
// the next.
type walkState struct {
	root       string
	self       int32 // the pid of this process, whose walk fds are left out
	live       bool  // the root is this system's /proc: kcmp may compare its tasks
	at         int64
	boot       int64
	cgroupRoot string
	buf        []byte
	link       []byte
	dents      []byte
	ids        []int32
	tids       []int32
	fds        []int32
	netns      map[uint64]*netnsSockets
	cgroupIDs  map[string]uint64 // v2 path → id
	cgroups    []*event.Event
	containers map[string]bool
	procs      []*event.Event
}

// Snapshot reads the host's state and returns it as snapshot events timed at: userinfo
// and groupinfo first, then cgroupinfo and containerinfo, then for each process (by
// ascending pid) the procinfo of each of its threads, leader first, and the fdinfo of
// each of its fds. It fails only when the /proc root cannot be listed; everything else
// that goes wrong is passed to Warn and the snapshot goes on.
//
// The recorder takes it after its programs are attached, with at the time the walk
// starts: what changes during the walk is also in the recorded events, which are later
// than at and win over the snapshot when a replay reconciles them.
//
// Cost: a few syscalls per thread (stat, status) and per process (cmdline, exe, cwd,
// namespaces, cgroup), three per fd, and one read of the /proc/net tables per network
// namespace; see BenchmarkSnapshotLive in the notes for figures.
func (s *Snapshotter) Snapshot(at int64) ([]*event.Event, error) {
	w := &s.walk
	s.stats = SnapshotStats{}
	w.reset(s.procRoot(), at)
	rootfd, err := unix.Open(w.root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open proc root %s: %w", w.root, err)
	}
	defer unix.Close(rootfd)
	w.ids, err = w.readDirIDs(rootfd, ".", w.ids[:0])
	if err != nil {
		return nil, fmt.Errorf("list proc root %s: %w", w.root, err)
	}
	slices.Sort(w.ids)
	w.boot = s.bootTime(rootfd)
	w.live = isLiveProc(w.root)
	w.cgroupRoot = s.findCgroupRoot(rootfd)
	out := s.accounts(at)
	for _, pid := range w.ids {
		s.snapshotProcess(rootfd, pid, at)
	}
	out = append(out, w.cgroups...)
	out = append(out, w.procs...)
	s.stats.Cgroups = len(w.cgroups) - s.stats.Containers
	w.cgroups, w.procs, w.netns = nil, nil, nil // the caller owns the events now
	return out, nil
}

func (w *walkState) reset(root string, at int64) {
	w.root, w.at, w.self = root, at, int32(os.Getpid())
	w.netns = make(map[uint64]*netnsSockets)
	w.cgroupIDs = make(map[string]uint64)
	w.containers = make(map[string]bool)
	w.cgroups, w.procs = nil, nil
}

// bootTime returns BootTime, or the btime of ProcRoot/stat when it is 0.
func (s *Snapshotter) bootTime(rootfd int) int64 {
	if s.BootTime != 0 {
		return s.BootTime
	}
	b, _, err := s.walk.readAt(rootfd, "stat", 1<<20)
	if err == nil {
		var sec int64
		if sec, err = parseBtime(b); err == nil {
			return sec * 1_000_000_000
		}
	}
	s.warn(fmt.Errorf("read boot time from %s/stat: %w", s.walk.root, err))
	return 0
}

// findCgroupRoot returns the root of the resolver in Cgroups, else CgroupRoot, else
// where ProcRoot/self/mountinfo says cgroup v2 is mounted; "" when there is none
// (cgroup ids are then 0).
func (s *Snapshotter) findCgroupRoot(rootfd int) string {
	if s.Cgroups != nil && s.Cgroups.Root != "" {
		return s.Cgroups.Root
	}
	if s.CgroupRoot != "" {
		return s.CgroupRoot
	}
	b, _, err := s.walk.readAt(rootfd, "self/mountinfo", maxMountinfo)
	if err != nil {
		s.warn(fmt.Errorf("find cgroup2 mount in %s/self/mountinfo: %w", s.walk.root, err))
		return ""
	}
	mp, _, err := parseCgroup2Mount(b)
	if err != nil {
		s.warn(fmt.Errorf("find cgroup2 mount in %s/self/mountinfo: %w", s.walk.root, err))
	}
	return mp
}

// maxMountinfo caps the size of a mountinfo file read.
const maxMountinfo = 64 << 20

// FindCgroup2Root returns where the cgroup v2 hierarchy is mounted, from
// procRoot/self/mountinfo ("/sys/fs/cgroup", "/sys/fs/cgroup/unified" on hybrid hosts);
// "" with a nil error on a host without one.
func FindCgroup2Root(procRoot string) (string, error) {
	name := filepath.Join(procRoot, "self", "mountinfo")
	b, err := readCapped(name, maxMountinfo)
	if err != nil {
		return "", err
	}
	mp, _, err := parseCgroup2Mount(b)
	if err != nil {
		return "", fmt.Errorf("parse %s: %w", name, err)
	}
	return mp, nil
}

// maxAccountFile caps the size of a passwd or group file read.
const maxAccountFile = 64 << 20

// accounts returns the userinfo and groupinfo events of EtcRoot's passwd and group.
func (s *Snapshotter) accounts(at int64) []*event.Event {
	var out []*event.Event
	etc := s.etcRoot()
	if b, err := readCapped(filepath.Join(etc, "passwd"), maxAccountFile); err != nil {
		s.warn(err)
	} else {
		users, err := parsePasswd(b)
		if err != nil {
			s.warn(fmt.Errorf("parse %s: %w", filepath.Join(etc, "passwd"), err))
		}
		for _, u := range users {
			out = append(out, newUserInfo(at, u))
		}
		s.stats.Users = len(users)
	}
	if b, err := readCapped(filepath.Join(etc, "group"), maxAccountFile); err != nil {
		s.warn(err)
	} else {
		groups, err := parseGroup(b)
		if err != nil {
			s.warn(fmt.Errorf("parse %s: %w", filepath.Join(etc, "group"), err))
		}
		for _, g := range groups {
			out = append(out, newGroupInfo(at, g))
		}
		s.stats.Groups = len(groups)
	}
	return out
}

// readCapped reads a whole file that must not exceed max bytes. It does not trust the
// size stat gives: /proc files say 0.
func readCapped(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("read %s: more than the %d bytes allowed", path, max)
	}
	return b, nil
}

// snapshotProcess appends the events of one process to s.walk.procs. A process that
// exits meanwhile is counted and skipped, keeping what was read before it went.
func (s *Snapshotter) snapshotProcess(rootfd int, pid int32, at int64) {
	w := &s.walk
	name := strconv.Itoa(int(pid))
	dirfd, err := unix.Openat(rootfd, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		s.gone(err, "open process directory", pid)
		return
	}
	defer unix.Close(dirfd)
	p := &processInfo{PID: pid}
	if err := s.readProcess(dirfd, p); err != nil {
		s.gone(err, "read process", pid)
		return
	}
	threads := s.readThreads(dirfd, pid)
	if len(threads) == 0 {
		return // every thread exited or failed, each counted or reported
	}
	s.stats.Processes++
	p.StartTicks = threads[0].Stat.StartTicks // the leader, or its oldest surviving thread
	for i := range threads {
		w.procs = append(w.procs, newProcInfo(at, w.boot, p, &threads[i]))
	}
	s.stats.Threads += len(threads)
	s.snapshotFDs(dirfd, p, pid, at, rootfd)
	for i := range threads {
		if threads[i].OwnFiles {
			s.snapshotThreadFDs(dirfd, p, threads[i].TID, at, rootfd)
		}
	}
}

// snapshotThreadFDs appends the fds of a thread whose table is not its process's.
func (s *Snapshotter) snapshotThreadFDs(dirfd int, p *processInfo, tid int32, at int64, rootfd int) {
	taskfd, err := unix.Openat(dirfd, "task/"+strconv.Itoa(int(tid)), unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return // the thread exited
	}
	defer unix.Close(taskfd)
	s.snapshotFDs(taskfd, p, tid, at, rootfd)
}

// gone counts a process that exited, or warns about any other failure.
func (s *Snapshotter) gone(err error, what string, pid int32) {
	if isGone(err) {
		s.stats.Vanished++
		return
	}
	s.warn(fmt.Errorf("%s %s/%d: %w", what, s.walk.root, pid, err))
}

// readProcess fills what threads of a process share. Links that cannot be read
// (kernel threads have no exe, zombies neither exe nor cwd) stay empty. The files:
//
//	cmdline    curl\0-s\0https://example.com/\0  argv, NUL-terminated (the last NUL
//	                                            may lack after setproctitle)
//	environ    HOME=/root\0LANG=C\0              read only with Env
//	exe        -> /usr/bin/curl                  " (deleted)" when unlinked
//	cwd        -> /home/alice
//	loginuid   1000                              4294967295: no login session
//	ns/net     -> net:[4026531840]               also ns/pid, ns/mnt
//	cgroup     see parseCgroupFile
func (s *Snapshotter) readProcess(dirfd int, p *processInfo) error {
	w := &s.walk
	b, trunc, err := w.readAt(dirfd, "cmdline", s.maxArgs())
	if err != nil {
		return err
	}
	p.Argv, p.Truncated = nulList(b, trunc), trunc
	if s.Env {
		if b, trunc, err = w.readAt(dirfd, "environ", s.maxArgs()); err == nil {
			p.Env, p.Truncated = nulList(b, trunc), p.Truncated || trunc
		}
	}
	p.Exe = s.readLink(dirfd, "exe")
	p.Cwd = s.readLink(dirfd, "cwd")
	var st unix.Stat_t
	if len(p.Exe) > 0 && unix.Fstatat(dirfd, "exe", &st, 0) == nil {
		p.ExeIno, p.ExeDev, p.ExeMtime = st.Ino, st.Dev, st.Mtim.Nano()
		if s.Hasher != nil {
			if sum, ok := s.Hasher.Sum(p.PID, "", p.ExeDev, p.ExeIno, p.ExeMtime); ok {
				p.SHA256 = sum[:]
			}
		}
	}
	p.LoginUID = s.readLoginUID(dirfd)
	p.PidNS, p.MntNS, p.NetNS = s.nsIno(dirfd, "ns/pid"), s.nsIno(dirfd, "ns/mnt"), s.nsIno(dirfd, "ns/net")
	p.CgroupID = s.readCgroup(dirfd, p.PID)
	return nil
}

// nulList copies a NUL-separated list read from /proc, making sure its last item ends
// with a NUL; a list cut to the cap loses its partial last item, unless that item is
// the only one (then it is kept, cut).
func nulList(b []byte, truncated bool) []byte {
	if truncated {
		if i := lastIndexNUL(b); i >= 0 {
			b = b[:i+1]
		}
	}
	if len(b) == 0 {
		return nil
	}
	out := make([]byte, len(b), len(b)+1)
	copy(out, b)
	if out[len(out)-1] != 0 {
		out = append(out, 0)
	}
	return out
}

func lastIndexNUL(b []byte) int {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == 0 {
			return i
		}
	}
	return -1
}

// readLink returns a copy of a link's target, or nil.
func (s *Snapshotter) readLink(dirfd int, name string) []byte {
	b, err := s.walk.readlinkAt(dirfd, name)
	if err != nil || len(b) == 0 {
		return nil
	}
	return append([]byte(nil), b...)
}

// unsetLoginUID is the loginuid of a task that no login session set (AUDIT_UID_UNSET).
const unsetLoginUID = 1<<32 - 1

func (s *Snapshotter) readLoginUID(dirfd int) uint32 {
	b, _, err := s.walk.readAt(dirfd, "loginuid", 32)
	if err != nil {
		return unsetLoginUID
	}
	v, ok := parseDec(trimNewline(b), 32)
	if !ok {
		return unsetLoginUID
	}
	return uint32(v)
}

func trimNewline(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	return b
}

// nsIno reads a namespace link ("net:[4026531840]") and returns its inode, or 0.
func (s *Snapshotter) nsIno(dirfd int, name string) uint64 {
	b, err := s.walk.readlinkAt(dirfd, name)
	if err != nil {
		return 0
	}
	_, ino, _ := splitKindIno(b)
	return ino
}

// readThreads reads the stat and status of each thread of a process, leader first.
func (s *Snapshotter) readThreads(dirfd int, pid int32) []threadInfo {
	w := &s.walk
	var err error
	w.tids, err = w.readDirIDs(dirfd, "task", w.tids[:0])
	if err != nil {
		s.gone(err, "list threads of", pid)
		return nil
	}
	leaderFirst(w.tids, pid)
	threads := make([]threadInfo, 0, len(w.tids))
	for _, tid := range w.tids {
		t, err := s.readThread(dirfd, tid)
		if err != nil {
			if isGone(err) {
				s.stats.Vanished++
			} else {
				s.warn(fmt.Errorf("read thread %s/%d/task/%d: %w", w.root, pid, tid, err))
			}
			continue
		}
		t.OwnFiles = w.live && tid != pid && !sameFiles(pid, tid)
		threads = append(threads, t)
	}
	return threads
}

// leaderFirst sorts tids, the thread group leader (tid == pid) first: after a pid
// wrap-around a thread can have a smaller tid than its leader.
func leaderFirst(tids []int32, pid int32) {
	slices.SortFunc(tids, func(a, b int32) int {
		switch {
		case a == b:
			return 0
		case a == pid:
			return -1
		case b == pid:
			return 1
		case a < b:
			return -1
		}
		return 1
	})
}

func (s *Snapshotter) readThread(dirfd int, tid int32) (threadInfo, error) {
	w := &s.walk
	t := threadInfo{TID: tid}
	dir := "task/" + strconv.Itoa(int(tid))
	b, _, err := w.readAt(dirfd, dir+"/stat", 4096)
	if err != nil {
		return t, err
	}
	if t.Stat, err = parseStat(b); err != nil {
		return t, fmt.Errorf("parse stat: %w", err)
	}
	t.Stat.Comm = append([]byte(nil), t.Stat.Comm...)
	if b, _, err = w.readAt(dirfd, dir+"/status", 64<<10); err != nil {
		return t, err
	}
	if t.Status, err = parseStatus(b); err != nil {
		return t, fmt.Errorf("parse status: %w", err)
	}
	return t, nil
}

// readCgroup returns the cgroup v2 id of a process and records its cgroup (and
// container) the first time one is met.
func (s *Snapshotter) readCgroup(dirfd int, pid int32) uint64 {
	w := &s.walk
	b, _, err := w.readAt(dirfd, "cgroup", 64<<10)
	if err != nil {
		return 0
	}
	pc, err := parseCgroupFile(b)
	if err != nil {
		s.warn(fmt.Errorf("parse %s/%d/cgroup: %w", w.root, pid, err))
		return 0
	}
	id := s.cgroupID(pc)
	cpath := pc.V2
	if _, ok := ContainerFromCgroup(string(cpath)); !ok && pc.HasV1 {
		cpath = pc.V1
	}
	if c, ok := ContainerFromCgroup(string(cpath)); ok && !w.containers[c.ID] {
		w.containers[c.ID] = true
		if s.Cgroups != nil {
			s.Cgroups.markShown(c.ID)
		}
		w.cgroups = append(w.cgroups, NewContainerInfo(w.at, s.Containers.Lookup(c), string(cpath)))
		s.stats.Containers++
	}
	return id
}

// cgroupID returns the id of a process's cgroup v2, the inode of its directory under
// the cgroup2 mount, and records a cgroupinfo event the first time a path is met.
func (s *Snapshotter) cgroupID(pc procCgroup) uint64 {
	w := &s.walk
	if w.cgroupRoot == "" || !pc.HasV2 {
		return 0
	}
	if id, ok := w.cgroupIDs[string(pc.V2)]; ok {
		return id
	}
	path := string(pc.V2)
	id, err := s.statCgroup(path)
	if err != nil {
		if !isGone(err) {
			s.warn(err)
		}
		return 0
	}
	w.cgroupIDs[path] = id
	w.cgroups = append(w.cgroups, NewCgroupInfo(w.at, id, path))
	if s.Cgroups != nil {
		s.Cgroups.markAnnounced(id)
	}
	return id
}

// statCgroup returns the id of the cgroup at path, the inode of its directory, and
// teaches it to the resolver when there is one.
func (s *Snapshotter) statCgroup(path string) (uint64, error) {
	var st unix.Stat_t
	full := filepath.Join(s.walk.cgroupRoot, path)
	if err := unix.Stat(full, &st); err != nil {
		return 0, fmt.Errorf("stat cgroup %s: %w", full, err)
	}
	if s.Cgroups != nil {
		s.Cgroups.Learn(st.Ino, path)
	}
	return st.Ino, nil
}
