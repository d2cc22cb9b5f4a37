package state

// Namespaces are the inode numbers of a process's namespaces (0 when unknown).
type Namespaces struct {
	PID, Mnt, Net uint64
}

// Process is a thread group, keyed by pid (tgid) in the host pid namespace. Its image
// fields change at each successful execve.
type Process struct {
	PID    int32
	VPID   int32 // pid in its own pid namespace (0 when unknown)
	PPID   int32 // parent's pid, kept when the parent itself is unknown
	Parent *Process
	Leader *Thread // main thread (tid == pid); nil until seen

	Exe      string   // the path given to execve, as Falco's proc.exe
	ExePath  string   // the resolved executable, as Falco's proc.exepath
	Argv     []string // argv[0] included; shared, never modified in place
	Env      []string // empty unless the recorder ran with --env
	Cwd      string
	TTY      uint32
	SID      int32
	PGID     int32
	CgroupID uint64
	NS       Namespaces
	ExeIno   uint64
	ExeDev   uint64
	ExeMtime int64
	SHA256   []byte // of the executable, when the recorder computed it

	Start    int64 // ns; first seen (fork) or snapshot start time
	ExecTime int64 // ns of the last successful execve, 0 if none in the trace
	Exit     int64 // ns; 0 while any thread lives
	// ExitStatus, ExitSignal and Core are those of the last thread to exit.
	ExitStatus int32
	ExitSignal uint8
	Core       bool
	// Subreaper is set by prctl(PR_SET_CHILD_SUBREAPER): orphans below it move to it.
	Subreaper bool

	Live int // live threads

	placeholder  bool     // made up for an event of an unknown pid
	files        *FDTable // the table of the process's first thread, joined by later ones
	container    *Container
	containerGen uint32
	child        *Process  // first child
	next, prevS  *Process  // siblings
	threads      int       // threads in the table, live or exited
	tlist        []*Thread // the same threads
}

// Placeholder reports whether the process was made up for an event of an unknown
// thread and its image is not known yet.
func (p *Process) Placeholder() bool { return p.placeholder }

// Alive reports whether the process had a live thread at the last applied event.
func (p *Process) Alive() bool { return p.Exit == 0 }

// Name returns the process name: the comm of its main thread, else the base name of
// its executable.
func (p *Process) Name() string {
	if p.Leader != nil && p.Leader.Comm != "" {
		return p.Leader.Comm
	}
	return baseName(p.ExePath)
}

// Ancestor returns the n-th ancestor (1 is the parent, 0 the process itself), or nil
// past the root: proc.aname[n] and proc.apid[n]. It walks n links.
func (p *Process) Ancestor(n int) *Process {
	for ; p != nil && n > 0; n-- {
		p = p.Parent
	}
	return p
}

// Threads calls fn for each thread of the process the engine keeps (live, and exited
// within the grace period) until fn returns false.
func (p *Process) Threads(fn func(t *Thread) bool) {
	for _, t := range p.tlist {
		if !fn(t) {
			return
		}
	}
}

// removeThread forgets a dropped thread.
func (p *Process) removeThread(t *Thread) {
	for i, x := range p.tlist {
		if x == t {
			last := len(p.tlist) - 1
			p.tlist[i], p.tlist[last] = p.tlist[last], nil
			p.tlist = p.tlist[:last]
			return
		}
	}
}

// Children calls fn for each child, newest first, until fn returns false.
func (p *Process) Children(fn func(c *Process) bool) {
	for c := p.child; c != nil; c = c.next {
		if !fn(c) {
			return
		}
	}
}

// maxDepth bounds ancestry walks: a tree deeper than this is taken as a cycle.
const maxDepth = 4096

// setParent moves p under parent (nil detaches it). A parent that descends from p
// (only a corrupt or hostile trace says so) is refused: ancestry walks must end.
func (p *Process) setParent(parent *Process) {
	if p.Parent == parent && (parent == nil || p.linked(parent)) {
		return
	}
	for a, n := parent, 0; a != nil; a, n = a.Parent, n+1 {
		if a == p || n > maxDepth {
			return
		}
	}
	p.unlink()
	p.Parent = parent
	if parent == nil {
		return
	}
	p.PPID = parent.PID
	p.next = parent.child
	if parent.child != nil {
		parent.child.prevS = p
	}
	parent.child = p
}

func (p *Process) linked(parent *Process) bool {
	return parent.child == p || p.prevS != nil && p.prevS.Parent == parent
}

// unlink removes p from its parent's child list, keeping Parent and PPID.
func (p *Process) unlink() {
	if p.Parent == nil {
		return
	}
	if p.prevS != nil {
		p.prevS.next = p.next
	} else if p.Parent.child == p {
		p.Parent.child = p.next
	}
	if p.next != nil {
		p.next.prevS = p.prevS
	}
	p.next, p.prevS = nil, nil
}

func baseName(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}
