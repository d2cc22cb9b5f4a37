package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/syscam/syscam/capture"
)

// config is what the command line asks for.
type config struct {
	output     string
	duration   time.Duration
	snaplen    uint
	rotateSize sizeValue
	rotateTime time.Duration
	rotateKeep int
	pids       listValue
	comms      listValue
	cgroups    listValue
	syscalls   listValue
	exclude    listValue
	ringSize   sizeValue
	level      int
	signKey    string
	env        bool
	quiet      bool
	force      bool
	checkpoint time.Duration
	command    []string
}

// Bounds of the flags that a mistyped value would turn into something else: a rotation
// size of a few bytes writes one file per event, and a ring past a gigabyte fails in
// the kernel with a verifier log.
const (
	minRotateSize = 1 << 20
	minRotateTime = 100 * time.Millisecond
	maxRingSize   = 1 << 30
)

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{ringSize: capture.DefaultRingSize}
	fs := flag.NewFlagSet("record", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { usage(stderr, fs) }
	fs.StringVar(&c.output, "o", "", "write the trace to `FILE` (mode 0600); with rotation, the base name of the set")
	fs.DurationVar(&c.duration, "duration", 0, "stop after this long (0: until SIGINT/SIGTERM, or until CMD's tree is gone)")
	fs.UintVar(&c.snaplen, "snaplen", capture.DefaultSnaplen, "bytes of I/O payload kept per call (max 8192)")
	fs.Var(&c.rotateSize, "rotate-size", "start a new file past this `SIZE` (at least 1M; e.g. 100M, 1G); each file starts with the replayed state, as with --checkpoint")
	fs.DurationVar(&c.rotateTime, "rotate-time", 0, "start a new file after this much event time")
	fs.IntVar(&c.rotateKeep, "rotate-count", 0, "with rotation, keep at most this many files, removing the oldest")
	fs.Var(&c.pids, "pid", "record only these `PIDs` and their descendants (comma-separated or repeated)")
	fs.Var(&c.comms, "comm", "record only tasks with these `NAMES` (comm, 15 bytes)")
	fs.Var(&c.cgroups, "cgroup", "record only tasks in these cgroup v2 `PATHS` or ids")
	fs.Var(&c.syscalls, "syscalls", "record only these `SYSCALLS` (procfork and procexit are always kept)")
	fs.Var(&c.exclude, "exclude-syscalls", "do not record these `SYSCALLS`")
	fs.Var(&c.ringSize, "ring-size", "ring buffer `SIZE` shared by the CPUs (each gets a power of two of at least 4K), a power of two")
	fs.IntVar(&c.level, "level", 0, "zstd `LEVEL`, 1 (fastest) to 4 (smallest); default 1")
	fs.StringVar(&c.signKey, "sign-key", "", "sign each file's footer with the ed25519 private key in `FILE` (PEM PKCS#8, or hex/base64 seed)")
	fs.BoolVar(&c.env, "env", false, "record environments at exec (off by default: they hold secrets)")
	fs.BoolVar(&c.quiet, "quiet", false, "no status line and no summary")
	fs.BoolVar(&c.force, "force", false, "overwrite the output FILE if it exists (never through a symlink)")
	fs.DurationVar(&c.checkpoint, "checkpoint", 0, "write a checkpoint of the replayed state every `INTERVAL` of event time (e.g. 1m), so a replay can start near any instant; costs a state engine in the recorder")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	c.command = fs.Args()
	if len(c.command) == 0 && len(args) > 0 && args[len(args)-1] == "--" {
		return nil, fmt.Errorf("nothing after --: give the command to record, or drop the -- to record the whole host")
	}
	return c, c.check()
}

func (c *config) check() error {
	switch {
	case c.output == "":
		return fmt.Errorf("no output file: pass -o FILE (see record --help)")
	case c.snaplen > capture.MaxSnaplen:
		return fmt.Errorf("--snaplen %d is over the maximum %d", c.snaplen, capture.MaxSnaplen)
	case c.snaplen == 0:
		return fmt.Errorf("--snaplen 0: payloads cannot be turned off; the smallest is 1 (--exclude-syscalls drops whole calls)")
	case c.duration < 0, c.rotateTime < 0, c.checkpoint < 0:
		return fmt.Errorf("--duration, --rotate-time and --checkpoint take a positive duration (0: off), not %v", min(c.duration, c.rotateTime, c.checkpoint))
	case c.rotateKeep < 0:
		return fmt.Errorf("--rotate-count %d: want a positive count (0: keep every file)", c.rotateKeep)
	case c.rotateSize != 0 && c.rotateSize < minRotateSize:
		return fmt.Errorf("--rotate-size %s: the smallest is 1M (every file holds a header, the schema and an initial state)", c.rotateSize.String())
	case c.rotateTime != 0 && c.rotateTime < minRotateTime:
		return fmt.Errorf("--rotate-time %v: the shortest is %v", c.rotateTime, minRotateTime)
	case c.ringSize > maxRingSize:
		return fmt.Errorf("--ring-size %s: the largest is 1G", c.ringSize.String())
	case c.level != 0 && (c.level < 1 || c.level > 4):
		return fmt.Errorf("--level %d: want 1 to 4", c.level)
	case c.rotateKeep != 0 && c.rotateSize == 0 && c.rotateTime == 0:
		return fmt.Errorf("--rotate-count needs --rotate-size or --rotate-time")
	case excludesLifecycle(c.exclude):
		return fmt.Errorf("--exclude-syscalls cannot drop procfork or procexit: without them the trace has no process tree")
	case len(c.command) > 0 && len(c.pids) > 0:
		return fmt.Errorf("--pid and a command exclude each other: the command's tree is what is recorded")
	}
	return nil
}

// listValue is a repeatable, comma-separated list flag.
type listValue []string

func (l *listValue) String() string { return strings.Join(*l, ",") }

func (l *listValue) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}

// sizeValue is a byte size with an optional K, M or G suffix (powers of 1024).
type sizeValue int64

// String names the size in the largest unit that divides it, as --help shows defaults.
func (v *sizeValue) String() string {
	n := int64(*v)
	for _, u := range []struct {
		suffix string
		shift  uint
	}{{"G", 30}, {"M", 20}, {"K", 10}} {
		if n != 0 && n%(1<<u.shift) == 0 {
			return strconv.FormatInt(n>>u.shift, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

func (v *sizeValue) Set(s string) error {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "K"), strings.HasSuffix(s, "k"):
		mult = 1 << 10
	case strings.HasSuffix(s, "M"), strings.HasSuffix(s, "m"):
		mult = 1 << 20
	case strings.HasSuffix(s, "G"), strings.HasSuffix(s, "g"):
		mult = 1 << 30
	}
	if mult > 1 {
		s = s[:len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return fmt.Errorf("size %q: want a number with an optional K, M or G suffix", s)
	}
	*v = sizeValue(n * mult)
	return nil
}

func excludesLifecycle(names []string) bool {
	for _, n := range names {
		if n == "procfork" || n == "procexit" {
			return true
		}
	}
	return false
}
