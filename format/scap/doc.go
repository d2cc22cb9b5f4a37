// Package scap reads sysdig and Falco .scap capture files, plain or gzip-compressed
// (recognised by content, never by name), and maps their events into syscam's event
// model, so that the state engine, the filters and the rules work on them unchanged.
//
// # The file
//
// A capture is a pcapng-like sequence of blocks (userspace/libscap/scap_savefile.h;
// FORMAT.md beside the shared captures describes every field):
//
//	+-----+----+----+----+---------+-----+-----+-----+   +-----+----
//	| SHB | MI | IL | UL | PL_Vn   | FDL | FDL | EV  |...| SHB | ...   a later SHB starts
//	+-----+----+----+----+---------+-----+-----+-----+   +-----+----   a new section
//	block: u32 type | u32 total length | body, zero-padded to 4 | u32 total length
//
// Header blocks come in several generations, all read: process lists PL_V1 to PL_V9
// (per-entry lengths and the libs 0.10 "pre-0.10" tail rule in V9), FDL and FDL_V2,
// UL/UL_V2, IL/IL_V2, and the pre-release *INT block numbers. Event blocks are EV and
// EVF (22-byte event header, the parameter count derived from the lengths as libscap
// does), EV_V2 and EVF_V2 (26-byte header with nparams), and the *_LARGE variants;
// parameter lengths are u32 for the three event types flagged EF_LARGE_PAYLOAD. The
// event table (eventtable.go, generated from EVENTS.md by internal/mkevents) gives
// every id's name and parameter types; parameters are decoded by index, so old files
// with fewer parameters and new ones with more both read.
//
// Unknown block types and event ids newer than the table are skipped and counted
// (Section.Skipped, Stats). Every length is checked against its block before use,
// and block sizes are capped (64 KiB events, 64 MiB large events, 128 MiB header
// blocks) before anything is allocated; errors are *FormatError values naming the
// block and its offset in the decompressed stream, wrapping ErrNotScap, ErrCorrupt,
// ErrTruncated or ErrTooLarge. Events before a truncation are still delivered.
//
// # The mapping
//
//   - Enter and exit events of a call become one event, as current libs do: the exit
//     in time and return value, the enter's parameters added (Latency = exit − enter).
//     A call whose exit never comes (blocked at the end of the capture, or its exit
//     lost) is emitted from its enter alone with event.FlagEnter.
//   - Parameters map by name onto the syscam type of the same name (accept4 and the
//     renamed ones aside: send→sendto, pread→pread64, umount→umount2, ...); the
//     first parameter of an exit is the return value (Event.Ret).
//   - PPM flag and enum values become Linux x86_64 values: open flags, clone flags,
//     mmap prot and flags, fcntl commands, ptrace requests, sockopt levels, openat2
//     resolve, execveat and io_uring_setup flags. Flags without a known conversion
//     are left out rather than stored with bits that mean something else.
//   - Socket addresses and tuples become syscam's encoding (event/sockaddr.go); a
//     tuple gives connect and accept their local and remote ends (for inbound calls
//     scap writes the peer first), and send/recv the peer's address.
//   - clone, fork, vfork and clone3 also yield a procfork event (the parent as the
//     event's thread, the child's tid and pid, fork and clone flags) from whichever of
//     the parent's or the child's exit comes first; execve carries argv (scap's exe
//     then args), env, cwd, comm, ppid, credentials and exepath (trusted_exepath, else
//     the filename, else argv[0]); procexit decodes the wait status.
//   - Generic events become the syscall of their native id (x86_64 numbers); container
//     events become containerinfo, notifications notices, user/group-added events
//     userinfo/groupinfo.
//   - Events with no syscam counterpart (scap's procinfo CPU samples, switch,
//     signaldeliver, page faults, plugin events, ...) are counted by name in
//     Stats.Unmapped and skipped.
//   - The process, fd, user and group lists of the first section become the initial
//     state (procinfo, fdinfo, userinfo, groupinfo records); those of later sections
//     are emitted in the event stream where the section starts.
//
// scap events carry only a thread id: the reader keeps a thread table (from the
// process list, clone and execve) to give every event its process id; a thread the
// capture never describes is taken for its process's main thread.
//
// # Order
//
// Reader.Iter streams events in file order in one pass. Reader.Ordered (and Events,
// the format.Source method) delivers them in timestamp order, as syscam's own traces
// are: a first pass reads only event headers to learn which enter events never get
// their exit and how late any event comes after an earlier one; the second pass maps,
// emits never-returning calls at their own time, and holds events back in a heap by
// that lateness only when the capture needs it. For example, with
//
//	t=10 tid 7 > read       (blocks until after the capture ends)
//	t=20 tid 8 > open
//	t=25 tid 8 < open fd=3
//
// Iter yields "25 open" then, at the end, "10 > read"; Ordered yields "10 > read"
// then "25 open". Metadata events written without a time (ts 0) take the time of the
// event before them.
//
// # Buffers and concurrency
//
// An iterator reuses its block buffer and the caller's Event: nothing is allocated per
// event once buffers have grown. A Reader may be iterated by several goroutines at
// once (each iteration reads its own stream); an iterator is for one goroutine.
package scap
