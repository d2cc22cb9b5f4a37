package capture

import (
	"fmt"
	"time"

	"github.com/syscam/syscam/event"
)

// Defaults of Options.
const (
	DefaultSnaplen = 256
	MaxSnaplen     = 8192
	// DefaultRingSize is shared by the CPUs' rings. The rings are the recorder's only
	// buffer: while the writer waits for a block to compress, records wait there. On
	// the 2-CPU test host a read storm (two threads reading 4 KiB, 256-byte snaplen,
	// ~115 MB/s of records per CPU) lost 1.09 M of 5.3 M records in 5 s with 16 MiB
	// and 18 k with 64 MiB.
	DefaultRingSize      = 64 << 20
	DefaultReorderWindow = 10 * time.Millisecond
)

// Options select what a Recorder captures. The zero value records every syscall of the
// whole host with the defaults above.
type Options struct {
	Snaplen  uint32 // I/O payload bytes kept per call; DefaultSnaplen when 0
	RingSize int    // bytes of ring buffer shared by the CPUs, a power of two; DefaultRingSize when 0
	// PIDs records only these processes and their descendants (followed at fork).
	PIDs []int
	// Children records only the processes this process starts after New, and their
	// descendants: `record -- CMD`.
	Children bool
	Comms    []string // only tasks with one of these comms
	Cgroups  []uint64 // only tasks in one of these cgroup v2 ids
	// Syscalls, when not empty, records only these event types (syscall names, or
	// procfork/procexit); Exclude drops types from the selection.
	Syscalls []string
	Exclude  []string
	Env      bool // record the environment at exec: off by default, it holds secrets
	// ReorderWindow is how long the events of busy CPUs wait for a CPU that recorded
	// nothing new, to be put in timestamp order across CPUs. It must cover the time
	// between a record's timestamp and its commit, which on a virtual machine
	// includes the vCPU being descheduled by the hypervisor (steal time) in the middle
	// of a BPF program: milliseconds on a busy host.
	ReorderWindow time.Duration
}

func (o *Options) withDefaults() (Options, error) {
	c := *o
	if c.Snaplen == 0 {
		c.Snaplen = DefaultSnaplen
	}
	if c.Snaplen > MaxSnaplen {
		return c, fmt.Errorf("snaplen %d is over the maximum %d", c.Snaplen, MaxSnaplen)
	}
	if c.RingSize == 0 {
		c.RingSize = DefaultRingSize
	}
	if c.RingSize < 4096 || c.RingSize&(c.RingSize-1) != 0 {
		return c, fmt.Errorf("ring size %d is not a power of two of at least 4096", c.RingSize)
	}
	if c.ReorderWindow == 0 {
		c.ReorderWindow = DefaultReorderWindow
	}
	return c, nil
}

// selector returns which event types the options record, or an error naming an
// unknown type.
func (o *Options) selector() (func(event.Type) bool, error) {
	include, err := typeSet(o.Syscalls)
	if err != nil {
		return nil, err
	}
	exclude, err := typeSet(o.Exclude)
	if err != nil {
		return nil, err
	}
	return func(t event.Type) bool {
		if exclude[t] {
			return false
		}
		if len(include) == 0 {
			return true
		}
		return include[t] || t == event.TypeProcFork || t == event.TypeProcExit
	}, nil
}

func typeSet(names []string) (map[event.Type]bool, error) {
	set := map[event.Type]bool{}
	for _, n := range names {
		t, ok := event.ByName(n)
		if !ok {
			return nil, fmt.Errorf("unknown syscall or event type %q", n)
		}
		set[t] = true
	}
	return set, nil
}
