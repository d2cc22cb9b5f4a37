// Package state replays a trace: threads, processes, the process tree, fd tables,
// users, groups and containers as they stood at every event, the way Falco's libsinsp
// does, in pure Go.
//
// # Model
//
//	Engine
//	 ├─ threads  tid → *Thread ──────────┐  (an older incarnation of a reused tid is
//	 │   Thread: comm, creds, Files ─┐   │   kept behind the new one for late events)
//	 │                               ▼   ▼
//	 │                          *FDTable  *Process (thread group, keyed by pid)
//	 │            fd → *FD (one open file │  exe, argv, env, cwd, tty, sid, cgroup,
//	 │            description, shared by  │  namespaces, start/exit, Parent, children
//	 │            dup and fork)           │
//	 ├─ users uid → *User, groups gid → *Group (from userinfo/groupinfo snapshots)
//	 ├─ cgroups id → path, containers id → *Container (id and runtime from the path)
//	 └─ exited: FIFO of exited threads, dropped after Config.Grace
//
// Events are applied in timestamp order with Apply. Each call updates the state and
// returns a View of the event: its thread, process and fd entry, plus lazy accessors for
// the parent chain, user, group and container. Nothing is copied or allocated for an
// event that does not change the state (a read, a write, a stat).
//
// The rules, one per event family (see the apply_*.go files):
//
//   - procfork: the event's thread is the parent. A THREAD child joins the parent's
//     process; any other child is a new process whose parent is the caller's process
//     (its grandparent with CLONE_PARENT). The child shares the parent's fd table with
//     SHARE_FILES and gets a copy otherwise; comm, creds, cwd and image are inherited.
//   - execve/execveat (successful): the process takes the new image, argv, env, creds
//     and cgroup carried by the event; its other threads end (the kernel kills them;
//     their procexit may be lost), and when the main thread had already exited the
//     exec'ing thread takes its tid; a table shared with another process is unshared,
//     and close-on-exec fds are dropped.
//   - procexit: the thread exits; when it was the last live thread, the process exits
//     and its live children move to the reaper the kernel named (else the nearest
//     subreaper ancestor, else pid 1). A thread ended another way (its tid reused by a
//     procfork, an exec) counts the same.
//   - fd calls: open*/creat/socket/pipe/eventfd/... add entries, close removes one,
//     dup/dup2/dup3/fcntl(F_DUPFD*) copy one (dup2 over an open fd closes it first),
//     connect/accept/bind fill socket addresses and the client/server role, recvmsg
//     installs fds passed over a unix socket, chdir/fchdir move the cwd.
//   - snapshot events (procinfo, fdinfo, userinfo, groupinfo, cgroupinfo,
//     containerinfo) set state directly: they form the initial state of a trace and
//     its checkpoints.
//
// # Lifetimes and memory
//
// An exited thread stays in the table, marked exited, for Config.Grace after its exit
// (late events still resolve, ancestry still names it), then it is dropped; a process
// goes with its last thread. Memory therefore follows the live state plus the exits of
// one grace period, never the number of events. A tid reused by a new thread (detected
// by a procfork, or a snapshot with another start time) replaces the table entry; the
// old incarnation stays reachable for events older than the new thread's start.
//
// An event of a thread never seen (it predates the snapshot, or its fork was lost)
// creates a placeholder thread and process, marked Placeholder, that later events
// (execve, procinfo, procfork of a child) fill in.
//
// # Checkpoints
//
// Checkpoint writes the whole state as snapshot events; applying them to a new Engine
// (Load) rebuilds an equal state (Dump prints the same text), so a replay can start at
// the nearest checkpoint before an instant instead of at the first event. Besides what
// /proc shows, a checkpoint keeps what only a replay knows, in procinfo's "exe",
// "pstart" and "replay" parameters and fdinfo's "desc", "opened" and "table": which
// threads and processes share an fd table or an open file description, exited
// threads within the grace period, placeholders, saved and fs ids, exit statuses.
//
// # Ownership and concurrency
//
// Pointers returned by the Engine (threads, processes, fds, users) stay valid after
// the object leaves the tables; their fields keep changing while the object is live,
// so copy what must be kept. The View returned by Apply is owned by the Engine and
// reused by the next Apply. An Engine is not safe for concurrent use.
package state
