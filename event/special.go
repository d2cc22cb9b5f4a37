package event

// FirstSpecial is the first non-syscall type.
const FirstSpecial Type = 1024

// Non-syscall event types. Their values are frozen; append new ones at the end of
// specials.
const (
	TypeProcFork      Type = FirstSpecial + iota // a task was created (sched_process_fork)
	TypeProcExit                                 // a task exited (sched_process_exit)
	TypeCaptureStart                             // the recorder started capturing
	TypeCaptureStop                              // the recorder stopped capturing
	TypeDrop                                     // events were lost on one CPU
	TypeProcInfo                                 // snapshot of one thread
	TypeFDInfo                                   // snapshot of one open fd
	TypeUserInfo                                 // snapshot of one user (passwd entry)
	TypeGroupInfo                                // snapshot of one group
	TypeCgroupInfo                               // a cgroup id and its path
	TypeContainerInfo                            // a container and what is known of it
	TypeNotice                                   // a message from the recorder
)

// Drop sources, the "source" parameter of a drop event.
var DropSource = &FlagSet{Name: "drop_source", Enum: true, Items: []FlagItem{
	{"ring", 0},  // a CPU's ring had no room for the record
	{"queue", 1}, // the user-side queue between reader and writer was full (older recorders: today's has no queue)
	{"read", 2},  // a record could not be read or decoded
}}

// FDRole says which end of a connection a socket fd is.
var FDRole = &FlagSet{Name: "fd_role", Enum: true, Items: []FlagItem{{"unknown", 0}, {"client", 1}, {"server", 2}}}

// ProcState is the "state" parameter of procinfo: what a replay knows of a thread
// beyond /proc (kernel task flags are in "flags").
var ProcState = &FlagSet{Name: "proc_state", Items: []FlagItem{
	{"PLACEHOLDER", 1},       // made up for events of an unknown thread, not filled in yet
	{"SUBREAPER", 2},         // the process set PR_SET_CHILD_SUBREAPER
	{"CORE", 4},              // the thread exited with a core dump
	{"OWN_FILES", 8},         // the thread's fd table is not its process's (unshare, clone)
	{"PROC_PLACEHOLDER", 16}, // the process's image is not known yet
	{"PROC_CORE", 32},        // the process's last thread dumped core
}}

// specials lists the non-syscall types in type order, from FirstSpecial.
var specials = []Info{
	{Name: "procfork", Category: CatProcess, Doc: "a task was created; the event's thread is the parent",
		Params: ps(p("child_tid", KindPID), p("child_pid", KindPID), fl("flags", ForkFlags),
			fl("clone_flags", CloneFlags), p("comm", KindString), p("child_vtid", KindPID),
			p("child_vpid", KindPID), p("pidns", KindUint))},
	{Name: "procexit", Category: CatProcess, Doc: "a task exited",
		Params: ps(p("status", KindInt), p("sig", KindSignal), p("core", KindUint), p("reaper", KindPID))},
	{Name: "capture_start", Category: CatCapture, Doc: "the recorder started; its parameters say how",
		Params: ps(p("snaplen", KindUint), p("filter", KindString), p("boot_time", KindTime))},
	{Name: "capture_stop", Category: CatCapture, Doc: "the recorder stopped, and why",
		Params: ps(p("reason", KindString))},
	{Name: "drop", Category: CatCapture, Doc: "events were lost on the event's CPU since the last drop notice",
		Params: ps(enum("source", DropSource), p("lost", KindUint), p("total", KindUint))},
	{Name: "procinfo", Category: CatState, Doc: "state snapshot: one thread, as the event's tid and pid",
		Params: ps(p("ppid", KindPID), p("comm", KindString), p("exepath", KindPath),
			p("argv", KindStrings), p("env", KindStrings), p("cwd", KindPath),
			p("uid", KindUID), p("gid", KindGID), p("euid", KindUID), p("egid", KindGID),
			p("loginuid", KindUID), p("cap_effective", KindHex), p("cap_permitted", KindHex),
			p("tty", KindUint), p("sid", KindPID), p("pgid", KindPID), p("vtid", KindPID),
			p("vpid", KindPID), p("start_time", KindTime), p("cgroup_id", KindUint),
			p("pidns", KindUint), p("mntns", KindUint), p("netns", KindUint),
			p("exe_ino", KindUint), p("exe_dev", KindUint), p("exe_mtime", KindTime),
			p("exit_time", KindTime), p("exit_status", KindInt), p("flags", KindHex),
			// Written by checkpoints (state.Engine.Checkpoint) so that a replay started
			// from one equals a replay from the start; a /proc snapshot may leave them
			// out. "replay" holds key=value items (exec_time, suid, sgid, fsuid, fsgid,
			// cap_inheritable, exit_signal, state as ProcState names, sha256 in hex): one
			// extensible parameter, as an event has at most MaxParams.
			p("exe", KindPath), p("pstart", KindTime), p("replay", KindStrings))},
	{Name: "fdinfo", Category: CatState, Doc: "state snapshot: one open fd of the event's process",
		Params: ps(p("fd", KindFD), enum("type", FDType), fl("flags", OpenFlags), p("name", KindPath),
			p("local", KindSockAddr), p("remote", KindSockAddr), enum("proto", IPProto),
			p("ino", KindUint), p("dev", KindUint), enum("role", FDRole),
			// Written by checkpoints: fds with the same non-zero desc share one open file
			// description (dup, fork); opened is when the fd was created.
			p("desc", KindUint), p("opened", KindTime),
			// Written by checkpoints: the fd table (procinfo's replay files=N) the fd
			// belongs to; 0 means the table of the event's thread.
			p("table", KindUint))},
	{Name: "userinfo", Category: CatState, Doc: "state snapshot: one user of the host's passwd file",
		Params: ps(p("uid", KindUID), p("gid", KindGID), p("name", KindString), p("home", KindPath), p("shell", KindPath))},
	{Name: "groupinfo", Category: CatState, Doc: "state snapshot: one group of the host's group file",
		Params: ps(p("gid", KindGID), p("name", KindString))},
	{Name: "cgroupinfo", Category: CatState, Doc: "a cgroup id and its path in the cgroup v2 hierarchy",
		Params: ps(p("cgroup_id", KindUint), p("path", KindPath))},
	{Name: "containerinfo", Category: CatState, Doc: "a container: id from the cgroup path, runtime guessed from its pattern",
		Params: ps(p("id", KindString), p("runtime", KindString), p("name", KindString),
			p("image", KindString), p("cgroup", KindPath))},
	{Name: "notice", Category: CatCapture, Doc: "a message from the recorder (disk full, reorder window exceeded)",
		Params: ps(p("message", KindString))},
}
