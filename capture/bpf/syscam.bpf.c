// SPDX-License-Identifier: GPL-2.0
/*
 * syscam's capture programs.
 *
 * One record per completed syscall is written at sys_exit, with the arguments read from
 * the saved user registers and, per syscall, up to MAX_OPS reads of user or kernel
 * memory (paths, buffers, socket addresses, the socket's own addresses, an fd pair).
 * Which reads a syscall needs is data, not code: user space fills the specs array from
 * its syscall table (capture/spec.go), so this file knows no syscall by name except
 * execve, exit and clone, whose events come from the scheduler tracepoints.
 *
 * Record layout (little endian; decoded by capture/record.go):
 *
 *   struct rec_hdr (32 bytes)
 *   u64 args[nargs]
 *   nblobs x { struct blob_hdr (8 bytes); u8 data[len] }
 *
 * Records are built in a per-CPU scratch buffer and copied into the CPU's own ring
 * (cpuring, cpuctl): a single-producer ring in a memory-mapped array, written with
 * plain stores, no helper call, no lock and no cache line shared with another CPU. The
 * kernel's BPF ring buffer cost ~60 ns more per record here (its reserve takes a
 * spinlock; the call itself, with the SRSO mitigation, ~35 ns). The programs of one
 * CPU never run at once here (they do not sleep, and tracepoint programs run with
 * preemption disabled), so the ring needs no lock; a busy flag per CPU (claim) makes
 * a kernel that breaks this count the records it cannot take. The consumer polls. A record that does not fit is counted per
 * CPU with the time of the last loss, so user space can place a drop notice where the
 * loss happened.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

#define MAX_OPS 4
#define NUM_TYPES 1040 /* syscalls 0..511, special types from 1024 */
#define TYPE_PROCFORK 1024
#define TYPE_PROCEXIT 1025
#define REC_SIZE 65536
#define OFF_MASK 32767 /* every blob starts below this offset */
#define OFF_LIMIT 28000 /* a blob that would start past this is emitted empty */
#define STR_MAX 4096
#define BUF_MAX 8192 /* largest snaplen */
#define SADDR_MAX 128
#define CMSG_MAX 256
#define TMP_SIZE 8192
#define PATH_DEPTH 48
#define ARGV_PTRS 64

#define TS_COMPAT 0x0002 /* thread_info.status: the current syscall is an ia32 one */

#define NR_EXIT 60
#define NR_EXIT_GROUP 231
#define NR_EXECVE 59
#define NR_EXECVEAT 322
#define NR_CLONE 56
#define NR_FORK 57
#define NR_VFORK 58
#define NR_CLONE3 435

/* Record flags, as event.Flag*. */
#define FLAG_ENTER 1
#define FLAG_TRUNC 2

/* Blob flags beyond FLAG_TRUNC: the address blob holds the socket's peer, not an
 * address the caller passed or received (capture/record.go blobPeer). */
#define BLOB_PEER 4
#define AT_FDCWD -100
#define MAX_HANDLE_SZ 128

/* Filter flags (the filters constant). */
#define F_PIDS 1   /* only tgids in the traced map */
#define F_COMM 2   /* only comms in the comms map */
#define F_CGROUP 4 /* only cgroup ids in the cgroups map */
#define F_FOLLOW_SELF 8 /* children of the recorder join the traced map */
#define F_ENV 16   /* record the environment at exec */

/* Operation kinds: what to read for one parameter group. */
enum op_kind {
	OP_NONE = 0,
	OP_STR = 1,    /* user string at args[a] */
	OP_BUF = 2,    /* user buffer at args[a], length from src b, cap class c */
	OP_IOV = 3,    /* iovec array at args[a], count args[b], length from src c */
	OP_SADDR = 4,  /* user sockaddr at args[a], length args[b] */
	OP_SADDRP = 5, /* user sockaddr at args[a], length at user pointer args[b] */
	OP_TUPLE = 6,  /* local and remote address of the socket fd from src a */
	OP_FDPAIR = 7, /* two ints at user pointer args[a], when ret == 0 */
	OP_MEM = 8,    /* b bytes of user memory at args[a] */
	OP_FDINFO = 9, /* dev and ino of the file fd from src a */
	OP_MSG = 10,   /* user msghdr at args[a]: name, data with length src c, cmsgs */
	OP_EXEC = 11,  /* failed execve: filename args[a], argv args[b] */
	OP_FDPATH = 12, /* path of the file of fd src a (AT_FDCWD: the cwd) */
	OP_HANDLE = 13, /* user struct file_handle at args[a]; b: only when ret >= 0 */
};

/* For OP_SADDR and OP_SADDRP (in c) and OP_MSG (in b): when the caller gave no
 * address, or the kernel returned none, record the peer of the socket in args[0]
 * instead, in a blob marked BLOB_PEER. */
#define PEER_FALLBACK 1

#define SRC_RET 6 /* length or fd source: the return value */
#define SRC_SUM 7 /* length source: the sum of the iovec lengths */

struct rec_hdr {
	u64 ts;
	s64 ret;
	u32 tid;
	u32 pid;
	u16 type;
	u16 cpu;
	u8 flags;
	u8 nargs;
	u8 nblobs;
	u8 pad;
};

struct blob_hdr {
	u16 len;
	u8 flags;
	u8 pad;
	u32 orig;
};

struct op {
	u8 kind, a, b, c;
};

struct spec {
	u8 enabled;
	u8 nargs;
	u8 nops;
	u8 pad;
	struct op ops[MAX_OPS];
};

struct scratch {
	u8 rec[REC_SIZE];
	u8 tmp[TMP_SIZE];
	u64 args[6];
	s64 ret;
	u32 snaplen;
};

/* The fixed part of an exec record: decoded by capture/record.go execInfo. */
struct exec_info {
	u32 ppid, uid, gid, euid, egid, loginuid;
	u64 cap_effective, cap_permitted;
	u32 tty, sid, pgid, exe_dev;
	u64 exe_ino;
	s64 exe_mtime;
	u64 exe_size;
	u64 cgroup_id;
	char comm[16];
};

struct tuple_inet {
	u16 family;
	u16 lport; /* host order */
	u16 rport; /* network order */
	u16 pad;
	u8 laddr[16];
	u8 raddr[16];
};

struct dropcnt {
	u64 lost;
	u64 last_ts;
	u64 compat; /* 32-bit (ia32) syscalls, not recorded */
};

const volatile u32 self_tgid = 0;
const volatile u32 filters = 0;
const volatile u32 snaplen = 256;
/* cpu_ring_mask is the size of each CPU's ring minus one (a power of two). */
const volatile u64 cpu_ring_mask = 4095;

/* The positions of one CPU's ring, each on its own cache line: head is written by the
 * CPU's programs, tail (the consumer position) by user space. */
struct cpuctl {
	u64 head;
	u64 busy; /* a program of this CPU is building a record (see claim) */
	u64 pad1[6];
	u64 tail;
	u64 pad2[7];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, u32);
	__type(value, struct cpuctl);
} cpuctl SEC(".maps");

/* One ring per CPU: element i is CPU i's data, cpu_ring_mask + 1 bytes and a slack of
 * CPU_SLACK after them, so that a record starting near the end is written and read in
 * one piece (the next one starts at its position modulo the size). Records are laid out
 * as in a BPF ring buffer: a u32 length, a u32 of 0, the data, padded to 8 bytes.
 * User space sets the value size (and max_entries to the number of possible CPUs). */
#define CPU_SLACK (REC_SIZE + 64)
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(key_size, 4);
	__uint(value_size, 4096 + CPU_SLACK);
} cpuring SEC(".maps");

/* One scratch per CPU, indexed by CPU number: a per-CPU array cannot hold values over
 * 32 KiB. User space sets max_entries to the number of possible CPUs. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

/* Loss counters, one slot per CPU (user space sets max_entries). Memory-mapped, so the
 * reader checks them after every drain without a syscall. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, u32);
	__type(value, struct dropcnt);
} drops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NUM_TYPES);
	__type(key, u32);
	__type(value, struct spec);
} type_specs SEC(".maps");

/* The pid-tree filter: traced[tgid] is 1 for a followed process. An array indexed by
 * tgid (user space sets max_entries to pid_max) costs no helper call, unlike a hash.
 * traced[0] counts the followed processes (tgid 0 is never a user process), so that
 * user space sees, through the memory mapping, when the tree is gone. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, u32);
	__type(value, u32);
} traced SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, char[16]);
	__type(value, u8);
} comms SEC(".maps");

/* The syscall number and arguments of an exec in progress, saved by on_prepare_exec:
 * by sched_process_exec the loader has reset the user registers (orig_ax reads
 * execve's number and di..r8 read 0 even after an execveat). */
struct exec_regs {
	u64 nr;
	u64 args[5];
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct exec_regs);
} exec_regs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, u64);
	__type(value, u8);
} cgroups SEC(".maps");

extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

/* Types for bpf2go -type. */
struct rec_hdr *unused_rec_hdr __attribute__((unused));
struct blob_hdr *unused_blob_hdr __attribute__((unused));
struct spec *unused_spec __attribute__((unused));
struct exec_info *unused_exec_info __attribute__((unused));
struct tuple_inet *unused_tuple_inet __attribute__((unused));
struct dropcnt *unused_dropcnt __attribute__((unused));

/* mask_off bounds a record offset for the verifier. The mask is in assembly so that
 * clang, which can prove it redundant, keeps it anyway. */
static __always_inline u32 mask_off(u32 off)
{
	asm volatile("%0 &= 32767" : "+r"(off));
	return off;
}

/* mask_len bounds a copy length (never over BUF_MAX) for the verifier, as mask_off. */
static __always_inline u32 mask_len(u32 n)
{
	asm volatile("%0 &= 16383" : "+r"(n));
	return n;
}

/* trace_add follows tgid and counts it once. */
static __always_inline void trace_add(u32 tgid)
{
	u32 zero = 0;
	u32 *on = bpf_map_lookup_elem(&traced, &tgid);
	u32 *count = bpf_map_lookup_elem(&traced, &zero);
	if (tgid && on && count && __sync_val_compare_and_swap(on, 0, 1) == 0)
		__sync_fetch_and_add(count, 1);
}

/* trace_del stops following tgid. */
static __always_inline void trace_del(u32 tgid)
{
	u32 zero = 0;
	u32 *on = bpf_map_lookup_elem(&traced, &tgid);
	u32 *count = bpf_map_lookup_elem(&traced, &zero);
	if (tgid && on && count && __sync_val_compare_and_swap(on, 1, 0) == 1)
		__sync_fetch_and_add(count, -1);
}

static __always_inline bool is_traced(u32 tgid)
{
	u32 *on = bpf_map_lookup_elem(&traced, &tgid);
	return tgid && on && *on;
}

/* selected applies the capture filters to the current task for event type t. */
static __always_inline struct spec *selected(u32 tgid, u32 t)
{
	struct spec *sp = bpf_map_lookup_elem(&type_specs, &t);
	if (!sp || !sp->enabled)
		return 0;
	if (filters & F_PIDS) {
		u32 *on = bpf_map_lookup_elem(&traced, &tgid);
		if (!on || !*on || !tgid)
			return 0;
	}
	if (filters & F_COMM) {
		char comm[16] = {};
		bpf_get_current_comm(comm, sizeof(comm));
		if (!bpf_map_lookup_elem(&comms, comm))
			return 0;
	}
	if (filters & F_CGROUP) {
		u64 id = bpf_get_current_cgroup_id();
		if (!bpf_map_lookup_elem(&cgroups, &id))
			return 0;
	}
	return sp;
}

/* count_lost counts a record lost on cpu at ts. Atomic: a program that found the CPU
 * busy (claim) counts without holding it. */
static __always_inline void count_lost(u32 cpu, u64 ts)
{
	struct dropcnt *d = bpf_map_lookup_elem(&drops, &cpu);
	if (d) {
		__sync_fetch_and_add(&d->lost, 1);
		d->last_ts = ts;
	}
}

/* claim returns the CPU's scratch, and its ring's control in *cp, for building one
 * record; release gives them back. The rings are written without a lock because the
 * programs of one CPU do not run at once: syscall and scheduler tracepoint programs
 * run with preemption disabled on the kernels this is built for (6.14 and later wrap
 * syscall tracepoint probes in preempt_disable). A kernel that runs them preemptibly
 * could interleave two records on one CPU; the busy flag, taken with one atomic
 * exchange, turns that into a counted loss instead of a silent corruption. */
static __always_inline struct scratch *claim(struct cpuctl **cp)
{
	u32 cpu = bpf_get_smp_processor_id();
	struct cpuctl *c = bpf_map_lookup_elem(&cpuctl, &cpu);
	struct scratch *s = bpf_map_lookup_elem(&scratch, &cpu);
	if (!c || !s)
		return 0;
	if (__sync_lock_test_and_set(&c->busy, 1)) {
		count_lost(cpu, bpf_ktime_get_boot_ns());
		return 0;
	}
	*cp = c;
	return s;
}

static __always_inline void release(struct cpuctl *c)
{
	/* After the head store that published the record: x86 keeps stores in order. */
	asm volatile("" ::: "memory");
	c->busy = 0;
}

static __always_inline struct rec_hdr *start_rec(struct scratch *s, u64 ts, u64 pid_tgid, u32 type, s64 ret, u8 nargs)
{
	struct rec_hdr *h = (struct rec_hdr *)s->rec;
	h->ts = ts;
	h->ret = ret;
	h->tid = (u32)pid_tgid;
	h->pid = pid_tgid >> 32;
	h->type = type;
	h->cpu = bpf_get_smp_processor_id();
	h->flags = 0;
	h->nargs = nargs;
	h->nblobs = 0;
	h->pad = 0;
	s->ret = ret;
	return h;
}

/* copy_rec copies the first size bytes of the scratch record to dst: with plain
 * stores when it is up to 128 bytes (no memory read: a getppid's 32, an openat's
 * ~110), else with one probe read (a helper call, ~40 ns with the SRSO mitigation). */
static __always_inline void copy_rec(u64 *dst, struct scratch *s, u32 size)
{
	u64 *src = (u64 *)s->rec;
	if (size > 128) {
		bpf_probe_read_kernel(dst, size & (REC_SIZE - 1), src);
		return;
	}
	dst[0] = src[0];
	dst[1] = src[1];
	dst[2] = src[2];
	dst[3] = src[3];
	if (size > 32) dst[4] = src[4];
	if (size > 40) dst[5] = src[5];
	if (size > 48) dst[6] = src[6];
	if (size > 56) dst[7] = src[7];
	if (size > 64) dst[8] = src[8];
	if (size > 72) dst[9] = src[9];
	if (size > 80) dst[10] = src[10];
	if (size > 88) dst[11] = src[11];
	if (size > 96) dst[12] = src[12];
	if (size > 104) dst[13] = src[13];
	if (size > 112) dst[14] = src[14];
	if (size > 120) dst[15] = src[15];
}

static __always_inline void submit(struct scratch *s, struct cpuctl *c, u32 size, u64 ts)
{
	u32 cpu = bpf_get_smp_processor_id();
	u8 *ring = bpf_map_lookup_elem(&cpuring, &cpu);
	if (!ring)
		return;
	/* Records stay far below REC_SIZE (blobs start below OFF_MASK); the mask only
	 * tells the verifier so. */
	size &= REC_SIZE - 1;
	u64 head = c->head;
	u64 n = (size + 8 + 7) & ~7;
	if (head + n - *(volatile u64 *)&c->tail <= cpu_ring_mask + 1) {
		u64 off = head & cpu_ring_mask;
		u32 *hdr = (u32 *)&ring[off];
		hdr[0] = size;
		hdr[1] = 0;
		copy_rec((u64 *)&ring[off + 8], s, size);
		/* The record before the head that publishes it: x86 keeps stores in order,
		 * the barrier keeps clang from moving them. */
		asm volatile("" ::: "memory");
		c->head = head + n;
		return;
	}
	count_lost(cpu, ts);
}

/* blob writes the header of a blob of len bytes at off and returns the next offset. */
static __always_inline u32 blob(struct scratch *s, u32 off, u32 len, u32 orig, u8 flags)
{
	struct blob_hdr *b = (struct blob_hdr *)&s->rec[mask_off(off)];
	b->len = len;
	b->flags = flags;
	b->pad = 0;
	b->orig = orig;
	struct rec_hdr *h = (struct rec_hdr *)s->rec;
	h->nblobs++;
	if (flags & FLAG_TRUNC)
		h->flags |= FLAG_TRUNC;
	return off + sizeof(struct blob_hdr) + len;
}

/* src_val returns argument src or, for SRC_RET, the return value. A switch, not an
 * index, because clang drops the bounds check the verifier needs. */
static __always_inline u64 src_val(struct scratch *s, u8 src)
{
	switch (src) {
	case 0: return s->args[0];
	case 1: return s->args[1];
	case 2: return s->args[2];
	case 3: return s->args[3];
	case 4: return s->args[4];
	case 5: return s->args[5];
	case SRC_RET: return s->ret;
	}
	return 0;
}

/* put_user_str reads a NUL-terminated user string into a blob at off. */
static __always_inline u32 put_user_str(struct scratch *s, u32 off, u64 ptr)
{
	if (off > OFF_LIMIT || !ptr)
		return blob(s, off, 0, 0, 0);
	long n = bpf_probe_read_user_str(&s->rec[mask_off(off + sizeof(struct blob_hdr))], STR_MAX, (void *)ptr);
	if (n <= 0)
		return blob(s, off, 0, 0, 0);
	u8 fl = n >= STR_MAX ? FLAG_TRUNC : 0;
	return blob(s, off, (n - 1) & (STR_MAX - 1), n - 1, fl);
}

/* put_kernel_str is put_user_str for a kernel string. */
static __always_inline u32 put_kernel_str(struct scratch *s, u32 off, const void *ptr)
{
	if (off > OFF_LIMIT || !ptr)
		return blob(s, off, 0, 0, 0);
	long n = bpf_probe_read_kernel_str(&s->rec[mask_off(off + sizeof(struct blob_hdr))], STR_MAX, ptr);
	if (n <= 0)
		return blob(s, off, 0, 0, 0);
	return blob(s, off, (n - 1) & (STR_MAX - 1), n - 1, n >= STR_MAX ? FLAG_TRUNC : 0);
}

/* put_user_mem copies min(len, max) bytes of user memory into a blob; orig is len. */
static __always_inline u32 put_user_mem(struct scratch *s, u32 off, u64 ptr, u64 len, u32 max)
{
	u32 n = len > max ? max : len;
	if (n > BUF_MAX)
		n = BUF_MAX;
	if (off > OFF_LIMIT || !ptr || n == 0)
		return blob(s, off, 0, len, len > 0 && !ptr ? 0 : 0);
	if (bpf_probe_read_user(&s->rec[mask_off(off + sizeof(struct blob_hdr))], mask_len(n), (void *)ptr))
		return blob(s, off, 0, len, FLAG_TRUNC);
	return blob(s, off, n, len, 0);
}

/* task_fd_file returns task t's file for fd. The fd table is walked with direct BTF
 * loads, no helper call: the slot fds[fd] is read as the first member of a struct kiocb
 * (ki_filp, a struct file *, first since 2.6) cast with bpf_rdonly_cast, a fault-safe
 * direct load where a bpf_probe_read_kernel call cost about 40 ns more per openat. */
static __always_inline struct file *task_fd_file(struct task_struct *t, int fd)
{
	struct files_struct *files = t->files;
	if (!files)
		return 0;
	struct fdtable *fdt = files->fdt;
	if (!fdt || fd < 0 || (u32)fd >= fdt->max_fds)
		return 0;
	struct file **fds = fdt->fd;
	struct file *f = 0;
	if (bpf_core_field_offset(struct kiocb, ki_filp) == 0) {
		struct kiocb *slot = bpf_rdonly_cast(&fds[fd], bpf_core_type_id_kernel(struct kiocb));
		return slot->ki_filp;
	}
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f;
}

/* fd_file returns the current task's file for fd. */
static __always_inline struct file *fd_file(int fd)
{
	return task_fd_file(bpf_get_current_task_btf(), fd);
}

/* fd_sock returns the sock of the current task's socket fd, or 0 for any other fd.
 * The pointers are cast to their BTF types (bpf_rdonly_cast) so that the chain is
 * walked with direct loads, not a probe read per field (about 30 ns each). */
static __always_inline struct sock *fd_sock(int fd)
{
	struct file *raw = fd_file(fd);
	if (!raw)
		return 0;
	struct file *f = bpf_rdonly_cast(raw, bpf_core_type_id_kernel(struct file));
	if ((f->f_inode->i_mode & 0170000) != 0140000)
		return 0;
	struct socket *sock = bpf_rdonly_cast(f->private_data, bpf_core_type_id_kernel(struct socket));
	struct sock *sk = sock->sk;
	return sk ? bpf_rdonly_cast(sk, bpf_core_type_id_kernel(struct sock)) : 0;
}

/* put_peer writes the peer of the socket fd as a raw struct sockaddr (the form a
 * caller passes to sendto) in a blob marked BLOB_PEER: the destination of a send, or
 * the source of a receive, on a connected socket whose caller named no address. A
 * socket without a peer (unconnected, or a unix peer without a name) gives an empty,
 * unmarked blob. */
static __always_inline u32 put_peer(struct scratch *s, u32 off, int fd)
{
	struct sock *sk = off > OFF_LIMIT ? 0 : fd_sock(fd);
	if (!sk)
		return blob(s, off, 0, 0, 0);
	u16 family = sk->__sk_common.skc_family;
	u8 *a = &s->rec[mask_off(off + sizeof(struct blob_hdr))];
	u16 dport = sk->__sk_common.skc_dport;
	if (family == 2) {
		u32 daddr = sk->__sk_common.skc_daddr;
		if (!daddr && !dport)
			return blob(s, off, 0, 0, 0);
		__builtin_memset(a, 0, 16);
		*(u16 *)a = family;
		*(u16 *)(a + 2) = dport;
		*(u32 *)(a + 4) = daddr;
		return blob(s, off, 16, 16, BLOB_PEER);
	}
	if (family == 10) {
		u64 *d6 = (u64 *)&sk->__sk_common.skc_v6_daddr;
		u64 hi = d6[0], lo = d6[1];
		if (!hi && !lo && !dport)
			return blob(s, off, 0, 0, 0);
		__builtin_memset(a, 0, 28);
		*(u16 *)a = family;
		*(u16 *)(a + 2) = dport;
		*(u64 *)(a + 8) = hi;
		*(u64 *)(a + 16) = lo;
		return blob(s, off, 28, 28, BLOB_PEER);
	}
	if (family == 1) {
		struct unix_sock *us = bpf_rdonly_cast(sk, bpf_core_type_id_kernel(struct unix_sock));
		struct sock *peer = us->peer;
		struct unix_sock *up = peer ? bpf_rdonly_cast(peer, bpf_core_type_id_kernel(struct unix_sock)) : 0;
		struct unix_address *ra = up ? up->addr : 0;
		int n = ra ? ra->len : 0;
		if (n <= 2)
			return blob(s, off, 0, 0, 0);
		n = n > 110 ? 110 : n;
		bpf_probe_read_kernel(a, mask_len(n), &ra->name[0]);
		return blob(s, off, n, n, BLOB_PEER);
	}
	return blob(s, off, 0, 0, 0);
}

static __always_inline u32 op_iov(struct scratch *s, u32 off, struct op o)
{
	u64 vec = src_val(s, o.a), cnt = src_val(s, o.b);
	u32 start = off + sizeof(struct blob_hdr), got = 0;
	u64 total = 0;
	if (off > OFF_LIMIT)
		return blob(s, off, 0, 0, 0);
	for (int i = 0; i < 8 && i < cnt; i++) {
		u64 iov[2];
		if (bpf_probe_read_user(iov, sizeof(iov), (void *)(vec + 16 * i)))
			break;
		total += iov[1];
		u32 n = iov[1];
		if (n > s->snaplen - got)
			n = s->snaplen - got;
		if (n > BUF_MAX)
			n = BUF_MAX;
		if (n && got < BUF_MAX) {
			if (bpf_probe_read_user(&s->rec[mask_off(start + got)], mask_len(n), (void *)iov[0]))
				break;
			got += n;
		}
	}
	if (o.c == SRC_RET) {
		total = s->ret < 0 ? 0 : s->ret;
		if (got > total)
			got = total;
	}
	return blob(s, off, got & (BUF_MAX * 2 - 1), total, 0);
}

/* op_tuple writes the socket's local and remote addresses (struct tuple_inet, or the
 * unix paths as two sockaddr_un). */
static __always_inline u32 op_tuple(struct scratch *s, u32 off, struct op o)
{
	s64 fd = src_val(s, o.a);
	if (off > OFF_LIMIT || (o.a == SRC_RET && s->ret < 0))
		return blob(s, off, 0, 0, 0);
	struct sock *sk = fd_sock(fd);
	if (!sk)
		return blob(s, off, 0, 0, 0);
	/* sk comes from fd_sock cast to its BTF type: fields are direct loads. */
	u16 family = sk->__sk_common.skc_family;
	struct tuple_inet *t = (struct tuple_inet *)&s->rec[mask_off(off + sizeof(struct blob_hdr))];
	t->family = family;
	t->pad = 0;
	if (family == 2) {
		t->lport = sk->__sk_common.skc_num;
		t->rport = sk->__sk_common.skc_dport;
		__builtin_memset(t->laddr, 0, 32);
		*(u32 *)t->laddr = sk->__sk_common.skc_rcv_saddr;
		*(u32 *)t->raddr = sk->__sk_common.skc_daddr;
		return blob(s, off, sizeof(*t), sizeof(*t), 0);
	}
	if (family == 10) {
		u64 *l6 = (u64 *)&sk->__sk_common.skc_v6_rcv_saddr;
		u64 *r6 = (u64 *)&sk->__sk_common.skc_v6_daddr;
		t->lport = sk->__sk_common.skc_num;
		t->rport = sk->__sk_common.skc_dport;
		*(u64 *)t->laddr = l6[0];
		*(u64 *)(t->laddr + 8) = l6[1];
		*(u64 *)t->raddr = r6[0];
		*(u64 *)(t->raddr + 8) = r6[1];
		return blob(s, off, sizeof(*t), sizeof(*t), 0);
	}
	if (family == 1) {
		/* u16 family, u16 llen, u16 rlen, pad, then 108 + 108 bytes of path. */
		struct unix_sock *us = bpf_rdonly_cast(sk, bpf_core_type_id_kernel(struct unix_sock));
		struct unix_address *la = us->addr;
		struct sock *peer = us->peer;
		struct unix_sock *up = peer ? bpf_rdonly_cast(peer, bpf_core_type_id_kernel(struct unix_sock)) : 0;
		struct unix_address *ra = up ? up->addr : 0;
		u8 *base = (u8 *)t;
		u16 llen = 0, rlen = 0;
		if (la) {
			int n = la->len - 2;
			llen = n < 0 ? 0 : (n > 108 ? 108 : n);
			bpf_probe_read_kernel(base + 8, mask_len(llen), &la->name[0].sun_path);
		}
		if (ra) {
			int n = ra->len - 2;
			rlen = n < 0 ? 0 : (n > 108 ? 108 : n);
			bpf_probe_read_kernel(base + 8 + 108, mask_len(rlen), &ra->name[0].sun_path);
		}
		t->lport = llen;
		t->rport = rlen;
		return blob(s, off, 8 + 216, 8 + 216, 0);
	}
	return blob(s, off, 2, 2, 0);
}

/* op_fdinfo writes the device and inode of the file fd of task t opens. The file
 * pointer is cast to its BTF type (bpf_rdonly_cast) so that the inode is reached with
 * direct loads instead of a probe read each. sys_exit runs it inline with the task it
 * already holds (no helper call at all); run_op, a global function, looks the task up. */
static __always_inline u32 op_fdinfo(struct scratch *s, u32 off, struct op o, struct task_struct *t)
{
	s64 fd = src_val(s, o.a);
	struct file *raw = (o.a == SRC_RET && s->ret < 0) ? 0 : task_fd_file(t, fd);
	if (off > OFF_LIMIT || !raw)
		return blob(s, off, 0, 0, 0);
	struct file *f = bpf_rdonly_cast(raw, bpf_core_type_id_kernel(struct file));
	struct inode *in = f->f_inode;
	u64 *v = (u64 *)&s->rec[mask_off(off + sizeof(struct blob_hdr))];
	v[0] = in->i_sb->s_dev;
	v[1] = in->i_ino;
	return blob(s, off, 16, 16, 0);
}

/* op_msg writes three blobs from a user msghdr: the address, the data and the
 * ancillary data (cmsgs: the fds of SCM_RIGHTS). */
static __always_inline u32 op_msg(struct scratch *s, u32 off, struct op o)
{
	/* msg_name, msg_namelen, msg_iov, msg_iovlen, msg_control, msg_controllen */
	u64 m[6] = {};
	if (bpf_probe_read_user(m, sizeof(m), (void *)src_val(s, o.a)))
		m[0] = m[1] = m[2] = m[4] = 0;
	if (s->ret < 0)
		m[1] = 0; /* a failed receive wrote no address */
	if ((o.b & PEER_FALLBACK) && (!m[0] || !(u32)m[1]))
		off = put_peer(s, off, s->args[0]);
	else
		off = put_user_mem(s, off, m[0], (u32)m[1], SADDR_MAX);
	struct op io = {OP_IOV, 0, 1, o.c};
	u64 a0 = s->args[0], a1 = s->args[1];
	s->args[0] = m[2];
	s->args[1] = m[3];
	off = op_iov(s, off, io);
	s->args[0] = a0;
	s->args[1] = a1;
	if (s->ret < 0)
		m[5] = 0;
	return put_user_mem(s, off, m[4], m[5], CMSG_MAX);
}

struct walk_ctx {
	struct scratch *s;
	struct dentry *d;
	struct mount *m;
	u32 pos;
};

/* walk_step adds one path component (or crosses one mount) per call of bpf_loop:
 * one loop body for the verifier, whatever the depth. */
static long walk_step(u32 i, struct walk_ctx *w)
{
	struct scratch *s = w->s;
	struct dentry *d = w->d;
	struct mount *m = w->m;
	if (!s)
		return 1;
	struct dentry *root = BPF_CORE_READ(m, mnt.mnt_root);
	struct dentry *parent = BPF_CORE_READ(d, d_parent);
	if (d == root || d == parent) {
		struct mount *mp = BPF_CORE_READ(m, mnt_parent);
		if (d != root || mp == m)
			return 1;
		w->d = BPF_CORE_READ(m, mnt_mountpoint);
		w->m = mp;
		return 0;
	}
	u32 len = BPF_CORE_READ(d, d_name.len) & 255;
	const unsigned char *name = BPF_CORE_READ(d, d_name.name);
	u32 pos = w->pos;
	if (len + 1 > pos)
		return 1;
	pos -= len + 1;
	bpf_probe_read_kernel(&s->tmp[(pos + 1) & (STR_MAX - 1)], len, name);
	s->tmp[pos & (STR_MAX - 1)] = '/';
	w->pos = pos;
	w->d = parent;
	return 0;
}

#define DELETED_LEN 10 /* " (deleted)" */

/* put_deleted writes " (deleted)" just before the NUL that ends s->tmp[0:4096] and
 * returns where it starts: d_path's mark of an unlinked file. */
static __always_inline u32 put_deleted(struct scratch *s)
{
	u32 pos = STR_MAX - 1 - DELETED_LEN;
	__builtin_memcpy(&s->tmp[pos], " (deleted)", DELETED_LEN);
	return pos;
}

/* put_pseudo_name writes "/NAME (deleted)" at the end of s->tmp[0:4096], as the
 * kernel's simple_dname names a file that never had a directory entry: a memfd (the
 * dentry name is "memfd:NAME"), or any file made by alloc_file_pseudo. */
static __always_inline u32 put_pseudo_name(struct scratch *s, struct dentry *d)
{
	u32 pos = put_deleted(s);
	u32 len = BPF_CORE_READ(d, d_name.len) & 255;
	const unsigned char *name = BPF_CORE_READ(d, d_name.name);
	pos -= len + 1;
	bpf_probe_read_kernel(&s->tmp[(pos + 1) & (STR_MAX - 1)], len, name);
	s->tmp[pos & (STR_MAX - 1)] = '/';
	return pos;
}

/* walk_path writes the absolute path of dentry (under mount vfsmnt) at the end of
 * s->tmp[0:4096] and returns where it starts. Like the kernel's d_path, so that the
 * exe of a process reads as /proc/PID/exe does: a dentry that is its own parent
 * without being its mount's root, and has a d_dname operation, is a pseudo file named
 * "/NAME (deleted)"; an unhashed dentry (an unlinked file) gets " (deleted)" added. */
static __always_inline u32 walk_path(struct scratch *s, u64 dentry, u64 vfsmnt)
{
	struct walk_ctx w = {
		.s = s,
		.d = (struct dentry *)dentry,
		.m = (struct mount *)(vfsmnt - bpf_core_field_offset(struct mount, mnt)),
		.pos = STR_MAX - 1,
	};
	s->tmp[STR_MAX - 1] = 0;
	struct dentry *d = w.d;
	if (d != BPF_CORE_READ((struct vfsmount *)vfsmnt, mnt_root)) {
		if (BPF_CORE_READ(d, d_parent) == d) {
			if (BPF_CORE_READ(d, d_op, d_dname))
				return put_pseudo_name(s, d);
		} else if (!BPF_CORE_READ(d, d_hash.pprev)) {
			w.pos = put_deleted(s);
		}
	}
	u32 end = w.pos;
	bpf_loop(PATH_DEPTH, walk_step, &w, 0);
	u32 pos = w.pos;
	if (pos == end) {
		pos--;
		s->tmp[pos & (STR_MAX - 1)] = '/';
	}
	return pos;
}

static __always_inline u32 put_path(struct scratch *s, u32 off, struct path *p)
{
	u64 dentry = (u64)BPF_CORE_READ(p, dentry), mnt = (u64)BPF_CORE_READ(p, mnt);
	if (off > OFF_LIMIT || !dentry || !mnt)
		return blob(s, off, 0, 0, 0);
	u32 pos = walk_path(s, dentry, mnt) & (STR_MAX - 1);
	u32 n = (STR_MAX - 1 - pos) & (STR_MAX - 1);
	bpf_probe_read_kernel(&s->rec[mask_off(off + sizeof(struct blob_hdr))], n, &s->tmp[pos]);
	return blob(s, off, n, n, 0);
}

/* op_fdpath writes the path of the file the fd of src a refers to (the cwd for
 * AT_FDCWD), walked from its dentry as put_path does. */
static __always_inline u32 op_fdpath(struct scratch *s, u32 off, struct op o)
{
	s64 fd = src_val(s, o.a);
	struct path p = {};
	if (o.a == SRC_RET && s->ret < 0)
		return blob(s, off, 0, 0, 0);
	if ((int)fd == AT_FDCWD) {
		struct task_struct *t = bpf_get_current_task_btf();
		BPF_CORE_READ_INTO(&p, t, fs, pwd);
	} else {
		struct file *f = fd_file(fd);
		if (f)
			BPF_CORE_READ_INTO(&p, f, f_path);
	}
	return put_path(s, off, &p);
}

/* put_user_argv reads a NULL-terminated user array of strings as NUL-separated text. */
static __always_inline u32 put_user_argv(struct scratch *s, u32 off, u64 argv)
{
	u32 start = off + sizeof(struct blob_hdr), got = 0;
	u8 fl = 0;
	if (off > OFF_LIMIT || !argv)
		return blob(s, off, 0, 0, 0);
	for (int i = 0; i < ARGV_PTRS; i++) {
		u64 p = 0;
		if (bpf_probe_read_user(&p, sizeof(p), (void *)(argv + 8 * i)) || !p)
			break;
		if (got >= STR_MAX - 1) {
			fl = FLAG_TRUNC;
			break;
		}
		long n = bpf_probe_read_user_str(&s->rec[mask_off(start + got)], mask_len(STR_MAX - got), (void *)p);
		if (n <= 0)
			break;
		got += n;
	}
	return blob(s, off, got & (STR_MAX * 2 - 1), got, fl);
}

/* put_mm_range copies [from, to) of the current process's memory (argv or environment
 * as the kernel laid them out: NUL-separated) into a blob. */
static __always_inline u32 put_mm_range(struct scratch *s, u32 off, u64 from, u64 to)
{
	u64 len = to > from ? to - from : 0;
	u8 fl = len > STR_MAX ? FLAG_TRUNC : 0;
	u32 n = len > STR_MAX ? STR_MAX : len;
	if (off > OFF_LIMIT || n == 0)
		return blob(s, off, 0, len, 0);
	if (bpf_probe_read_user(&s->rec[mask_off(off + sizeof(struct blob_hdr))], mask_len(n), (void *)from))
		return blob(s, off, 0, len, FLAG_TRUNC);
	return blob(s, off, n, len, fl);
}

static __always_inline u32 pid_nr(struct pid *p)
{
	return p ? BPF_CORE_READ(p, numbers[0].nr) : 0;
}

static __always_inline void fill_exec_info(struct exec_info *x, struct task_struct *t)
{
	const struct cred *c = BPF_CORE_READ(t, cred);
	struct signal_struct *sig = BPF_CORE_READ(t, signal);
	struct tty_struct *tty = BPF_CORE_READ(sig, tty);
	struct file *exe = BPF_CORE_READ(t, mm, exe_file);
	struct inode *in = exe ? BPF_CORE_READ(exe, f_inode) : 0;
	x->ppid = BPF_CORE_READ(t, real_parent, tgid);
	x->uid = BPF_CORE_READ(c, uid.val);
	x->gid = BPF_CORE_READ(c, gid.val);
	x->euid = BPF_CORE_READ(c, euid.val);
	x->egid = BPF_CORE_READ(c, egid.val);
	x->loginuid = BPF_CORE_READ(t, loginuid.val);
	x->cap_effective = BPF_CORE_READ(c, cap_effective.val);
	x->cap_permitted = BPF_CORE_READ(c, cap_permitted.val);
	x->tty = 0;
	if (tty) {
		u32 major = BPF_CORE_READ(tty, driver, major);
		u32 minor = BPF_CORE_READ(tty, driver, minor_start) + BPF_CORE_READ(tty, index);
		x->tty = (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12);
	}
	x->sid = pid_nr(BPF_CORE_READ(sig, pids[3]));
	x->pgid = pid_nr(BPF_CORE_READ(sig, pids[2]));
	x->exe_dev = in ? BPF_CORE_READ(in, i_sb, s_dev) : 0;
	x->exe_ino = in ? BPF_CORE_READ(in, i_ino) : 0;
	x->exe_mtime = in ? BPF_CORE_READ(in, i_mtime_sec) * 1000000000LL + BPF_CORE_READ(in, i_mtime_nsec) : 0;
	x->exe_size = in ? BPF_CORE_READ(in, i_size) : 0;
	x->cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(x->comm, sizeof(x->comm));
}

/* exec_image writes the six blobs of an exec record: exec_info, filename, argv, env,
 * exepath, cwd. filename is a kernel string after a successful exec (bprm->filename);
 * after a failed one it and argv are the caller's user pointers. */
__noinline int exec_image(struct scratch *s, u32 off, u64 kfilename, u64 ufilename, u64 uargv)
{
	if (!s)
		return 0;
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct exec_info *x = (struct exec_info *)&s->rec[mask_off(off + sizeof(struct blob_hdr))];
	fill_exec_info(x, t);
	off = blob(s, off, sizeof(*x), sizeof(*x), 0);
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	if (kfilename) {
		off = put_kernel_str(s, off, (const void *)kfilename);
		off = put_mm_range(s, off, BPF_CORE_READ(mm, arg_start), BPF_CORE_READ(mm, arg_end));
	} else {
		off = put_user_str(s, off, ufilename);
		off = put_user_argv(s, off, uargv);
	}
	if (filters & F_ENV)
		off = put_mm_range(s, off, BPF_CORE_READ(mm, env_start), BPF_CORE_READ(mm, env_end));
	else
		off = blob(s, off, 0, 0, 0);
	struct path exe_path = {};
	struct file *exe = BPF_CORE_READ(mm, exe_file);
	if (exe)
		BPF_CORE_READ_INTO(&exe_path, exe, f_path);
	off = put_path(s, off, &exe_path);
	struct path pwd = {};
	BPF_CORE_READ_INTO(&pwd, t, fs, pwd);
	return put_path(s, off, &pwd);
}

/* run_op performs one operation of a syscall's spec and returns the next offset. */
__noinline int run_op(struct scratch *s, u32 off, u32 word)
{
	if (!s)
		return 0;
	struct op o = {word & 0xff, (word >> 8) & 0xff, (word >> 16) & 0xff, word >> 24};
	s64 ret = s->ret;
	switch (o.kind) {
	case OP_STR:
		return put_user_str(s, off, src_val(s, o.a));
	case OP_BUF: {
		u64 len = src_val(s, o.b);
		if (o.b == SRC_RET && ret < 0)
			len = 0;
		return put_user_mem(s, off, src_val(s, o.a), len, o.c ? STR_MAX : s->snaplen);
	}
	case OP_IOV:
		return op_iov(s, off, o);
	case OP_SADDR: {
		u64 p = src_val(s, o.a), len = (u32)src_val(s, o.b);
		if ((o.c & PEER_FALLBACK) && (!p || !len))
			return put_peer(s, off, s->args[0]);
		return put_user_mem(s, off, p, len, SADDR_MAX);
	}
	case OP_SADDRP: {
		u32 len = 0;
		u64 p = src_val(s, o.a), lp = src_val(s, o.b);
		if (ret < 0 || !lp || bpf_probe_read_user(&len, sizeof(len), (void *)lp))
			len = 0;
		if ((o.c & PEER_FALLBACK) && (!p || !len))
			return put_peer(s, off, s->args[0]);
		return put_user_mem(s, off, p, len, SADDR_MAX);
	}
	case OP_FDPATH:
		return op_fdpath(s, off, o);
	case OP_HANDLE: {
		u32 n = 0;
		u64 p = src_val(s, o.a);
		if (o.b && ret < 0)
			p = 0; /* name_to_handle_at failed: the handle was not written */
		if (!p || bpf_probe_read_user(&n, sizeof(n), (void *)p))
			return blob(s, off, 0, 0, 0);
		n = n > MAX_HANDLE_SZ ? MAX_HANDLE_SZ : n;
		return put_user_mem(s, off, p, 8 + n, 8 + MAX_HANDLE_SZ);
	}
	case OP_TUPLE:
		return op_tuple(s, off, o);
	case OP_FDPAIR:
		return put_user_mem(s, off, ret == 0 ? src_val(s, o.a) : 0, 8, 8);
	case OP_MEM:
		return put_user_mem(s, off, src_val(s, o.a), o.b, o.b);
	case OP_FDINFO:
		return op_fdinfo(s, off, o, bpf_get_current_task_btf());
	case OP_MSG:
		return op_msg(s, off, o);
	case OP_EXEC:
		return exec_image(s, off, 0, src_val(s, o.a), src_val(s, o.b));
	}
	return blob(s, off, 0, 0, 0);
}

/* copy_args copies the first n raw arguments; written out because clang would turn a
 * loop into a memmove, which BPF cannot call. */
static __always_inline void copy_args(u64 *dst, u64 *src, u32 n)
{
	if (n > 0) dst[0] = src[0];
	if (n > 1) dst[1] = src[1];
	if (n > 2) dst[2] = src[2];
	if (n > 3) dst[3] = src[3];
	if (n > 4) dst[4] = src[4];
	if (n > 5) dst[5] = src[5];
}

/* put_args writes the first nargs raw arguments into the record and, when the spec
 * has memory reads, all six into s->args for them. */
static __always_inline u32 put_args(struct scratch *s, struct pt_regs *regs, u8 nargs, u8 nops)
{
	u64 *a = (u64 *)&s->rec[sizeof(struct rec_hdr)];
	if (nargs > 0) a[0] = regs->di;
	if (nargs > 1) a[1] = regs->si;
	if (nargs > 2) a[2] = regs->dx;
	if (nargs > 3) a[3] = regs->r10;
	if (nargs > 4) a[4] = regs->r8;
	if (nargs > 5) a[5] = regs->r9;
	if (nops) {
		s->args[0] = regs->di;
		s->args[1] = regs->si;
		s->args[2] = regs->dx;
		s->args[3] = regs->r10;
		s->args[4] = regs->r8;
		s->args[5] = regs->r9;
	}
	if (nargs > 6)
		nargs = 6;
	return sizeof(struct rec_hdr) + 8 * nargs;
}

/* run_ops performs a syscall's operations. The dev and ino of an opened file (every
 * open call) run inline with the caller's task; the rest in run_op. */
static __always_inline u32 run_ops(struct scratch *s, struct spec *sp, u32 off, struct task_struct *t)
{
	for (int i = 0; i < MAX_OPS; i++) {
		if (i >= sp->nops)
			break;
		struct op o = sp->ops[i];
		if (o.kind == OP_FDINFO)
			off = op_fdinfo(s, off, o, t);
		else
			off = run_op(s, off, *(u32 *)&sp->ops[i]);
	}
	return off;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	/* pid and tgid from the task the fd reads need anyway: one helper call fewer
	 * than bpf_get_current_pid_tgid. */
	struct task_struct *task = bpf_get_current_task_btf();
	u32 tgid = task->tgid;
	if (tgid == self_tgid)
		return 0;
	u64 pid_tgid = (u64)tgid << 32 | (u32)task->pid;
	u64 nr = regs->orig_ax;
	if (nr >= 512)
		return 0;
	if (task->thread_info.status & TS_COMPAT) {
		/* ia32 numbers differ from x86_64 ones: count, never mis-decode. */
		u32 cpu = bpf_get_smp_processor_id();
		struct dropcnt *d = bpf_map_lookup_elem(&drops, &cpu);
		if (d)
			__sync_fetch_and_add(&d->compat, 1);
		return 0;
	}
	if ((nr == NR_EXECVE || nr == NR_EXECVEAT) && ret == 0)
		return 0; /* recorded by on_exec with the new image */
	struct spec *sp = selected(tgid, nr);
	if (!sp)
		return 0;
	struct cpuctl *c;
	struct scratch *s = claim(&c);
	if (!s)
		return 0;
	u64 ts = bpf_ktime_get_boot_ns();
	start_rec(s, ts, pid_tgid, nr, ret, sp->nargs);
	u32 off = put_args(s, regs, sp->nargs, sp->nops);
	if (sp->nops) {
		s->snaplen = snaplen;
		off = run_ops(s, sp, off, task);
	}
	submit(s, c, off, ts);
	release(c);
	return 0;
}

/* on_prepare_exec saves the exec's syscall number and arguments while the caller's
 * registers still hold them (begin_new_exec, before the point of no return). On a
 * kernel without this tracepoint (before 6.10) user space attaches it to
 * sched_process_exec instead, where it saves what on_exec would read anyway. */
SEC("tp_btf/sched_prepare_exec")
int BPF_PROG(on_prepare_exec, struct task_struct *task)
{
	if ((bpf_get_current_pid_tgid() >> 32) == self_tgid)
		return 0;
	struct exec_regs *x = bpf_task_storage_get(&exec_regs, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!x)
		return 0;
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
	x->nr = BPF_CORE_READ(regs, orig_ax);
	x->args[0] = BPF_CORE_READ(regs, di);
	x->args[1] = BPF_CORE_READ(regs, si);
	x->args[2] = BPF_CORE_READ(regs, dx);
	x->args[3] = BPF_CORE_READ(regs, r10);
	x->args[4] = BPF_CORE_READ(regs, r8);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();
	u32 tgid = pid_tgid >> 32;
	if (tgid == self_tgid)
		return 0;
	struct exec_regs *x = bpf_task_storage_get(&exec_regs, p, 0, 0);
	u64 nr = x ? x->nr : NR_EXECVE;
	if (nr != NR_EXECVEAT)
		nr = NR_EXECVE;
	struct spec *sp = selected(tgid, nr);
	if (!sp)
		return 0;
	struct cpuctl *c;
	struct scratch *s = claim(&c);
	if (!s)
		return 0;
	u64 ts = bpf_ktime_get_boot_ns();
	start_rec(s, ts, pid_tgid, nr, 0, sp->nargs);
	u64 *a = (u64 *)&s->rec[sizeof(struct rec_hdr)];
	if (x) {
		s->args[0] = x->args[0];
		s->args[1] = x->args[1];
		s->args[2] = x->args[2];
		s->args[3] = x->args[3];
		s->args[4] = x->args[4];
	} else {
		__builtin_memset(s->args, 0, 5 * sizeof(u64));
	}
	u32 n = sp->nargs > 5 ? 5 : sp->nargs;
	copy_args(a, s->args, n);
	u32 off = sizeof(struct rec_hdr) + 8 * n;
	off = exec_image(s, off, (u64)BPF_CORE_READ(bprm, filename), 0, 0);
	submit(s, c, off, ts);
	release(c);
	return 0;
}

static __always_inline u64 clone_flags(struct task_struct *parent)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(parent);
	u64 nr = BPF_CORE_READ(regs, orig_ax), flags = 0;
	switch (nr) {
	case NR_CLONE:
		return BPF_CORE_READ(regs, di);
	case NR_CLONE3:
		bpf_probe_read_user(&flags, sizeof(flags), (void *)BPF_CORE_READ(regs, di));
		return flags;
	case NR_FORK:
		return 17; /* SIGCHLD */
	case NR_VFORK:
		return 0x4000 | 0x100 | 17; /* CLONE_VFORK | CLONE_VM | SIGCHLD */
	}
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	u32 ptgid = parent->tgid, ctgid = child->tgid;
	if (ptgid == self_tgid) {
		if ((filters & F_FOLLOW_SELF) && ctgid != self_tgid)
			trace_add(ctgid);
		return 0;
	}
	if ((filters & F_PIDS) && ctgid != ptgid && is_traced(ptgid))
		trace_add(ctgid);
	struct spec *sp = selected(ptgid, TYPE_PROCFORK);
	if (!sp)
		return 0;
	struct cpuctl *c;
	struct scratch *s = claim(&c);
	if (!s)
		return 0;
	u64 ts = bpf_ktime_get_boot_ns();
	start_rec(s, ts, bpf_get_current_pid_tgid(), TYPE_PROCFORK, 0, 8);
	u64 *a = (u64 *)&s->rec[sizeof(struct rec_hdr)];
	struct pid *tp = BPF_CORE_READ(child, thread_pid);
	struct pid *pp = BPF_CORE_READ(parent, thread_pid);
	u32 level = BPF_CORE_READ(tp, level), plevel = BPF_CORE_READ(pp, level);
	struct upid up = {};
	bpf_probe_read_kernel(&up, sizeof(up), &tp->numbers[level & 31]);
	u64 flags = 0;
	if (ctgid == ptgid)
		flags |= 1;
	if (BPF_CORE_READ(child, files) == BPF_CORE_READ(parent, files))
		flags |= 2;
	if (BPF_CORE_READ(child, fs) == BPF_CORE_READ(parent, fs))
		flags |= 4;
	if (BPF_CORE_READ(child, mm) && BPF_CORE_READ(child, mm) == BPF_CORE_READ(parent, mm))
		flags |= 8;
	if (level > plevel)
		flags |= 16;
	if (BPF_CORE_READ(child, vfork_done))
		flags |= 32;
	a[0] = BPF_CORE_READ(child, pid);
	a[1] = ctgid;
	a[2] = flags;
	a[3] = clone_flags(parent);
	a[4] = 0;
	a[5] = up.nr;
	/* The child's tgid in its own namespace: its leader's number at that level. */
	struct pid *lp = BPF_CORE_READ(child, group_leader, thread_pid);
	struct upid lup = {};
	bpf_probe_read_kernel(&lup, sizeof(lup), &lp->numbers[level & 31]);
	a[6] = lup.nr;
	a[7] = up.ns ? BPF_CORE_READ(up.ns, ns.inum) : 0;
	u32 off = sizeof(struct rec_hdr) + 8 * 8;
	off = put_kernel_str(s, off, child->comm);
	submit(s, c, off, ts);
	release(c);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *p, bool group_dead)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();
	u32 tgid = pid_tgid >> 32;
	if (tgid == self_tgid)
		return 0;
	struct cpuctl *c;
	struct scratch *s = claim(&c);
	if (!s)
		goto out;
	u64 ts = bpf_ktime_get_boot_ns();
	/* exit and exit_group never reach sys_exit: record them here, as enter events. */
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(p);
	u64 nr = BPF_CORE_READ(regs, orig_ax);
	struct spec *sp;
	if ((nr == NR_EXIT || nr == NR_EXIT_GROUP) && (sp = selected(tgid, nr))) {
		struct rec_hdr *h = start_rec(s, ts, pid_tgid, nr, 0, 1);
		h->flags = FLAG_ENTER;
		*(u64 *)&s->rec[sizeof(struct rec_hdr)] = BPF_CORE_READ(regs, di);
		submit(s, c, sizeof(struct rec_hdr) + 8, ts);
	}
	if (selected(tgid, TYPE_PROCEXIT)) {
		start_rec(s, ts, pid_tgid, TYPE_PROCEXIT, 0, 4);
		u64 *a = (u64 *)&s->rec[sizeof(struct rec_hdr)];
		int code = p->exit_code;
		a[0] = (code >> 8) & 0xff;
		a[1] = code & 0x7f;
		a[2] = (code & 0x80) ? 1 : 0;
		a[3] = BPF_CORE_READ(p, real_parent, tgid);
		submit(s, c, sizeof(struct rec_hdr) + 32, ts);
	}
	release(c);
out:
	if (group_dead && (filters & (F_PIDS | F_FOLLOW_SELF)))
		trace_del(tgid);
	return 0;
}
