// Package capture records a Linux host with eBPF: the programs under bpf/, their loader,
// the ring buffer reader, the decoder of raw records into event.Event and the /proc
// snapshot taken at start. Linux only; the analyzer never imports it.
//
// # Kernel side (bpf/syscam.bpf.c)
//
// One tp_btf program on sys_exit records every completed syscall: the six arguments
// are read from the saved user registers (di, si, dx, r10, r8, r9; orig_ax is the
// number), the return value from the tracepoint. What else to read is data: the
// type_specs array map holds, per event type, whether it is selected, how many raw
// arguments the record carries and up to four memory reads (a user path, a buffer cut
// at the snaplen, an iovec array, a socket address, the socket's own two ends, an fd
// pair, a struct, the dev/ino or the path of an fd's file, a msghdr, a file handle).
// spec.go builds that table from event's schema with a small token language, and the
// decode plan that turns the record back into typed parameters. Scheduler tracepoints
// add procfork (with flags derived from task_struct), execve/execveat with the new image
// (argv from the new mm, exe and cwd paths walked from their dentries, credentials, tty,
// session, cgroup) at sched_process_exec, exit and exit_group (which never reach
// sys_exit) and procexit. By sched_process_exec the ELF loader has reset the user
// registers, so sched_prepare_exec saves the exec's number and arguments in task storage
// first (execveat stays execveat, with its dirfd and flags).
//
// Paths are walked as the kernel's d_path writes them, so that an exec event's exepath
// equals /proc/PID/exe and the /proc snapshot: a file without a directory entry (a
// memfd) is "/memfd:NAME (deleted)", an unlinked file ends in " (deleted)".
//
// A send or receive that names no address (send on a connected socket, recvfrom with a
// NULL address, a stream socket's recvmsg, which the kernel leaves unnamed) records the
// peer of the socket instead: inet/inet6 daddr and dport, or the unix peer's path; the
// addr_src parameter says SOCKET then, CALLER for an address of the call itself. An
// unconnected socket or an unnamed unix peer leaves the address empty.
//
// Selection happens in the kernel before any record is built: the recorder's own
// process, the type set, the pid tree (an array indexed by tgid, children added at
// fork), comm and cgroup. Records are copied from a per-CPU scratch buffer into the
// CPU's own ring, a memory-mapped array written with plain stores (no helper call, no
// lock: ~60 ns less per syscall than a BPF ring buffer here); a record that does not
// fit is counted per CPU with its time.
//
// # User side
//
// Recorder.Run, in the caller's goroutine, reads the rings every 8 ms and merges the
// CPUs' records in timestamp order within a bounded window (see window): each ring is
// in time order, so the window releases the oldest of the rings' fronts. The records
// stay in their ring meanwhile, which is freed up to its front. Each is checked and
// decoded as it leaves the window into one reused event (no allocation per event) and
// written to a Sink such as format.Writer, which compresses on its own goroutines.
// Losses of the rings and undecodable records become drop events at the place they
// happened and are totalled in Stats.
//
// # Buffer ownership
//
// Events given to a Sink are reused once Write returns: a sink copies what it keeps.
// Raw ring records are only valid during decoding.
package capture
