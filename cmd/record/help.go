package main

import (
	"flag"
	"fmt"
	"io"
)

const helpText = `record captures every syscall and the process lifecycle of a Linux host with eBPF
and writes them to a .syscam trace file, for offline analysis with inspect.

Usage:
  record -o FILE [flags]                  record the whole host until Ctrl-C (SIGINT),
                                          SIGTERM or --duration
  record -o FILE [flags] -- CMD [ARGS...] run CMD and record its process tree only
                                          (every descendant, also in new pid
                                          namespaces); stop when the tree is gone and
                                          exit with CMD's status, like strace -f

Examples:
  # The whole host for ten minutes, in files of 1 GiB, keeping the last 24:
  sudo record -o /evidence/host.syscam --duration 10m --rotate-size 1G --rotate-count 24

  # One command and everything it starts, with 1 KiB of each read and write:
  sudo record -o build.syscam --snaplen 1024 -- make -j8

  # Only what sshd and its children do, and only some syscalls:
  sudo record -o ssh.syscam --pid $(pgrep -o sshd) --syscalls execve,openat,connect,accept4

  # Everything but the noisiest syscalls, with environments, signed:
  sudo record -o x.syscam --exclude-syscalls futex,epoll_wait,clock_nanosleep --env --sign-key team.pem

Then: inspect info FILE; inspect verify FILE; inspect tree FILE.

Needs root, or CAP_BPF and CAP_PERFMON, and a kernel with BTF (/sys/kernel/btf/vmlinux).
Trace files are created with mode 0600: they hold secrets (payloads, command lines).
An existing FILE is overwritten only with --force, and never through a symlink.
On a full disk the recorder stops, closes the file with its footer and says so. Every
lost event is counted per CPU and shown in the trace where it happened. Ctrl-C stops
the recording and writes the footer; a second Ctrl-C stops at once (the file then
reads back to its last complete block).

Flags:
`

func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, helpText)
	fs.SetOutput(w)
	fs.PrintDefaults()
}
