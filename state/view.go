package state

import "github.com/syscam/syscam/event"

// View is an event enriched with the state it happened in. Apply returns one; it
// belongs to the Engine and is overwritten by the next Apply, so copy what you keep.
// Fields are set for every event; the methods compute on demand (each is a few loads
// after the first call on a thread).
type View struct {
	Event *event.Event
	// Thread and Process are nil only for events no thread made (tid 0: capture
	// notices, drops; user, group, cgroup and container records); check before the
	// methods below, which need them.
	Thread  *Thread
	Process *Process
	// FD is the entry of the fd the event acts on: after the event for one that
	// creates an fd (open, socket, accept, dup: the new fd; pipe, socketpair: the
	// first), before it for close (the entry just removed), the current entry for
	// read, write, connect and other calls on an fd. Nil when the event names no fd
	// or the fd is unknown.
	FD    *FD
	FDNum int32 // the fd number FD is under, -1 when the event names none

	e *Engine
}

// Parent returns the process's parent, or nil when it is unknown.
func (v *View) Parent() *Process { return v.Process.Parent }

// Ancestor returns the n-th ancestor of the process (proc.aname[n], proc.apid[n]).
func (v *View) Ancestor(n int) *Process { return v.Process.Ancestor(n) }

// User returns the user of the thread's effective uid, or nil when the trace has no
// passwd entry for it (the number is in Thread.Creds).
func (v *View) User() *User { return v.e.UserOf(v.Thread) }

// Group returns the group of the thread's effective gid, or nil.
func (v *View) Group() *Group { return v.e.GroupOf(v.Thread) }

// LoginUser returns the user of the thread's login uid, or nil.
func (v *View) LoginUser() *User { return v.e.users[v.Thread.Creds.LoginUID] }

// Container returns the process's container, or nil on the host.
func (v *View) Container() *Container { return v.e.ContainerOf(v.Process) }

// Engine returns the engine the view belongs to, for lookups beyond the event.
func (v *View) Engine() *Engine { return v.e }
