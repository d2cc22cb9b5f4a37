package state

// Creds are a thread's credentials. Linux keeps them per thread; threads of one
// process usually agree because libc applies set*id calls to every thread.
type Creds struct {
	UID, GID       uint32 // real
	EUID, EGID     uint32 // effective: what permission checks and Falco's user.uid use
	SUID, SGID     uint32 // saved
	FSUID, FSGID   uint32
	LoginUID       uint32 // audit login uid; NoUID when unset
	CapEffective   uint64 // capability bit sets, 0 when not recorded
	CapPermitted   uint64
	CapInheritable uint64
}

// NoUID is the value of an unset login uid ((uid_t)-1).
const NoUID = ^uint32(0)

// Thread flags.
const (
	// ThreadPlaceholder marks a thread created for an event of an unknown tid; its
	// fields are filled in as later events reveal them.
	ThreadPlaceholder uint8 = 1 << iota
	// ThreadFromSnapshot marks a thread that existed before the trace started.
	ThreadFromSnapshot
)

// Thread is one task (a Linux thread), keyed by tid in the host pid namespace.
type Thread struct {
	TID   int32
	VTID  int32 // tid in the thread's own pid namespace (0 when unknown)
	Proc  *Process
	Comm  string // task comm (thread name), as Falco's proc.name
	Creds Creds
	Files *FDTable // shared with the threads (and processes) that share it

	Start int64 // ns; fork time, or the snapshot's start time
	Exit  int64 // ns; 0 while alive
	// ExitStatus and ExitSignal come from procexit: the exit code, or the signal that
	// killed the thread (ExitSignal > 0), and whether it dumped core.
	ExitStatus int32
	ExitSignal uint8
	Core       bool
	Flags      uint8

	prev    *Thread // older incarnation of the same tid, kept until it is dropped
	user    *User   // cached lookup of Creds.EUID
	group   *Group  // cached lookup of Creds.EGID
	credGen uint32  // users/groups generation the cache was made at
}

// Alive reports whether the thread had not exited at the last applied event.
func (t *Thread) Alive() bool { return t.Exit == 0 }

// Placeholder reports whether the thread was made up for an event of an unknown tid
// and not yet filled in by an execve or snapshot.
func (t *Thread) Placeholder() bool { return t.Flags&ThreadPlaceholder != 0 }

// IsLeader reports whether the thread is its process's main thread (tid == pid).
func (t *Thread) IsLeader() bool { return t.Proc != nil && t.TID == t.Proc.PID }

// FD returns the entry of fd num in the thread's table, or nil.
func (t *Thread) FD(num int32) *FD {
	if t.Files == nil {
		return nil
	}
	return t.Files.Get(num)
}
