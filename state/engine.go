package state

import (
	"iter"
	"time"

	"github.com/syscam/syscam/event"
)

// DefaultGrace is how long an exited thread stays queryable when Config.Grace is 0.
const DefaultGrace = 30 * time.Second

// DefaultMaxExited bounds the exited threads kept when Config.MaxExited is 0.
const DefaultMaxExited = 1 << 17

// Config tunes an Engine. The zero Config is ready to use.
type Config struct {
	// Grace is how long after its exit a thread (and a process, after its last
	// thread) stays in the tables, so that late events and ancestry lookups resolve.
	Grace time.Duration
	// MaxExited caps the exited threads kept during a burst of exits: past it the
	// oldest are dropped before their grace period ends.
	MaxExited int
	// OnDrop, when set, is called with each process as it leaves memory, after its
	// last thread was dropped. Reports over a whole trace (inspect tree) collect
	// processes here; the Process must not be modified.
	OnDrop func(p *Process)
}

// Stats counts what the engine did, for reports and tests.
type Stats struct {
	Events       uint64 // events applied
	Placeholders uint64 // threads created for events of unknown tids
	Reused       uint64 // tids reused by a new thread while the old one was still known
	Late         uint64 // events older than their thread's latest incarnation
	Dropped      uint64 // exited threads dropped from memory
}

// Engine rebuilds a host's state from a trace's events. See the package doc for the
// model and the rules.
type Engine struct {
	cfg        Config
	grace      int64
	threads    tidTable
	procs      map[int32]*Process
	users      map[uint32]*User
	groups     map[uint32]*Group
	cgroups    map[uint64]string
	containers map[string]*Container
	credGen    uint32 // bumped when users or groups change
	ctrGen     uint32 // bumped when cgroups or containers change
	exited     fifo
	unlinked   bool                // a snapshot added processes whose parents may come later
	descs      map[uint64]*FD      // fdinfo "desc" ids of the state section being applied
	tables     map[uint64]*FDTable // procinfo "files" ids of the state section
	now        int64
	last       *Thread // thread of the previous event: a one-entry lookup cache
	view       View
	scratch    []byte
	paths      map[string]string // interned resolved paths
	stats      Stats
}

// New returns an empty Engine.
func New(cfg Config) *Engine {
	if cfg.Grace <= 0 {
		cfg.Grace = DefaultGrace
	}
	if cfg.MaxExited <= 0 {
		cfg.MaxExited = DefaultMaxExited
	}
	e := &Engine{
		cfg:        cfg,
		grace:      int64(cfg.Grace),
		procs:      make(map[int32]*Process),
		users:      make(map[uint32]*User),
		groups:     make(map[uint32]*Group),
		cgroups:    make(map[uint64]string),
		containers: make(map[string]*Container),
		paths:      make(map[string]string),
		credGen:    1,
		ctrGen:     1,
	}
	e.view.e = e
	return e
}

// Load applies a state section (the trace's initial state or a checkpoint) and links
// the processes it lists to their parents. It is Apply for each event, in order.
func (e *Engine) Load(evs []*event.Event) {
	for _, ev := range evs {
		e.Apply(ev)
	}
	e.linkParents()
}

// Now returns the time of the latest event applied (ns), 0 before the first.
func (e *Engine) Now() int64 { return e.now }

// Stats returns the counters so far.
func (e *Engine) Stats() Stats { return e.stats }

// Thread returns the current thread with tid, live or exited within the grace
// period, or nil.
func (e *Engine) Thread(tid int32) *Thread { return e.threads.get(tid) }

// ThreadAt returns the incarnation of tid that existed at time t: the current one, or
// an older one kept after the tid was reused. Nil when none is known.
func (e *Engine) ThreadAt(tid int32, t int64) *Thread {
	th := e.threads.get(tid)
	for th != nil && t < th.Start && th.prev != nil {
		th = th.prev
	}
	return th
}

// Process returns the current process with pid, live or exited within the grace
// period, or nil.
func (e *Engine) Process(pid int32) *Process { return e.procs[pid] }

// User returns the passwd entry of uid, or nil when the trace has none.
func (e *Engine) User(uid uint32) *User { return e.users[uid] }

// Group returns the group entry of gid, or nil when the trace has none.
func (e *Engine) Group(gid uint32) *Group { return e.groups[gid] }

// Cgroup returns the path of a cgroup id, or "" when the trace has not named it.
func (e *Engine) Cgroup(id uint64) string { return e.cgroups[id] }

// ContainerByID returns the container with the full id, or nil.
func (e *Engine) ContainerByID(id string) *Container { return e.containers[id] }

// Threads yields every current thread (live and recently exited) by tid; older
// incarnations of a reused tid are reached with ThreadAt.
func (e *Engine) Threads() iter.Seq[*Thread] {
	return func(yield func(*Thread) bool) { e.threads.all(yield) }
}

// Processes yields every process the engine keeps (live, recently exited, and older
// incarnations of a reused pid still within their grace period), in no particular
// order. Process(pid) finds only the latest incarnation.
func (e *Engine) Processes() iter.Seq[*Process] {
	return func(yield func(*Process) bool) {
		seen := make(map[*Process]bool, len(e.procs))
		e.threads.all(func(t *Thread) bool {
			for ; t != nil; t = t.prev {
				if !seen[t.Proc] {
					seen[t.Proc] = true
					if !yield(t.Proc) {
						return false
					}
				}
			}
			return true
		})
	}
}

// UserOf returns the user of a thread's effective uid (Falco's user.*), or nil when
// the trace has no passwd entry for it. The lookup is cached on the thread.
func (e *Engine) UserOf(t *Thread) *User {
	e.refreshCreds(t)
	return t.user
}

// GroupOf returns the group of a thread's effective gid, or nil.
func (e *Engine) GroupOf(t *Thread) *Group {
	e.refreshCreds(t)
	return t.group
}

func (e *Engine) refreshCreds(t *Thread) {
	if t.credGen != e.credGen {
		t.user, t.group = e.users[t.Creds.EUID], e.groups[t.Creds.EGID]
		t.credGen = e.credGen
	}
}

// ContainerOf returns the container a process runs in, from its cgroup, or nil for a
// process of the host. The lookup is cached on the process.
func (e *Engine) ContainerOf(p *Process) *Container {
	if p.containerGen == e.ctrGen {
		return p.container
	}
	p.container, p.containerGen = e.container(p.CgroupID), e.ctrGen
	return p.container
}

func (e *Engine) container(cgroup uint64) *Container {
	path, ok := e.cgroups[cgroup]
	if !ok {
		return nil
	}
	id, runtime, ok := ContainerFromCgroup(path)
	if !ok {
		return nil
	}
	c := e.containers[id]
	if c == nil {
		c = &Container{ID: id}
		e.containers[id] = c
	}
	if c.Runtime == "" {
		c.Runtime = runtime
	}
	if c.Cgroup == "" {
		c.Cgroup = path
	}
	return c
}
