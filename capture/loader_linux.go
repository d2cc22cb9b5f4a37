package capture

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/rlimit"
)

// Filter flags, as the filters constant of bpf/syscam.bpf.c.
const (
	filterPIDs       = 1
	filterComm       = 2
	filterCgroup     = 4
	filterFollowSelf = 8
	filterEnv        = 16
)

// probe is the loaded and attached eBPF side of a recording.
type probe struct {
	objs   syscamObjects
	links  []link.Link
	drops  *ebpf.Memory // the drops map, memory-mapped
	traced *ebpf.Memory // the traced map: u32 per tgid, the count at 0
}

// loadProbe loads the programs with opts's constants, fills the spec and filter maps and
// attaches the hooks. The caller closes the probe.
func loadProbe(opts *Options, table *specTable) (_ *probe, err error) {
	if err := rlimit.RemoveMemlock(); err != nil {
		return nil, fmt.Errorf("remove memlock limit: %w", err)
	}
	spec, err := loadSyscam()
	if err != nil {
		return nil, fmt.Errorf("load eBPF collection spec: %w", err)
	}
	ncpu, err := ebpf.PossibleCPU()
	if err != nil {
		return nil, fmt.Errorf("count possible CPUs: %w", err)
	}
	ring := cpuRingSize(opts.RingSize, ncpu)
	if err := setConstants(spec, opts, ring); err != nil {
		return nil, err
	}
	spec.Maps[syscamMapCpuring].MaxEntries = uint32(ncpu)
	spec.Maps[syscamMapCpuring].ValueSize = uint32(ring + cpuSlack)
	spec.Maps[syscamMapCpuctl].MaxEntries = uint32(ncpu)
	spec.Maps[syscamMapScratch].MaxEntries = uint32(ncpu)
	spec.Maps[syscamMapDrops].MaxEntries = uint32(ncpu)
	spec.Maps[syscamMapTraced].MaxEntries = uint32(pidMax())
	if !kernelHasTracepoint("sched_prepare_exec") {
		// Before 6.10: save the registers at sched_process_exec, which keeps the
		// recorder working with execveat recorded as execve, as it was.
		spec.Programs[syscamProgOnPrepareExec].AttachTo = "sched_process_exec"
	}
	p := &probe{}
	defer func() {
		if err != nil {
			p.Close()
		}
	}()
	if err := spec.LoadAndAssign(&p.objs, nil); err != nil {
		var verr *ebpf.VerifierError
		if errors.As(err, &verr) {
			return nil, fmt.Errorf("load eBPF programs: %+v", verr)
		}
		return nil, fmt.Errorf("load eBPF programs: %w", err)
	}
	if err := p.fillMaps(opts, table); err != nil {
		return nil, err
	}
	if p.drops, err = p.objs.Drops.Memory(); err != nil {
		return nil, fmt.Errorf("map the loss counters: %w", err)
	}
	if p.traced, err = p.objs.Traced.Memory(); err != nil {
		return nil, fmt.Errorf("map the traced processes: %w", err)
	}
	return p, p.attach()
}

func setConstants(spec *ebpf.CollectionSpec, opts *Options, ring int) error {
	filters := uint32(0)
	if opts.Children || len(opts.PIDs) > 0 {
		filters |= filterPIDs
	}
	if opts.Children {
		filters |= filterFollowSelf
	}
	if len(opts.Comms) > 0 {
		filters |= filterComm
	}
	if len(opts.Cgroups) > 0 {
		filters |= filterCgroup
	}
	if opts.Env {
		filters |= filterEnv
	}
	vals := map[string]any{
		syscamVarSelfTgid:    uint32(os.Getpid()),
		syscamVarFilters:     filters,
		syscamVarSnaplen:     opts.Snaplen,
		syscamVarCpuRingMask: uint64(ring - 1),
	}
	for name, v := range vals {
		if err := spec.Variables[name].Set(v); err != nil {
			return fmt.Errorf("set eBPF constant %s: %w", name, err)
		}
	}
	return nil
}

func (p *probe) fillMaps(opts *Options, table *specTable) error {
	for t := range table.kernel {
		if err := p.objs.TypeSpecs.Put(uint32(t), &table.kernel[t]); err != nil {
			return fmt.Errorf("fill syscall spec %d: %w", t, err)
		}
	}
	one := uint8(1)
	seen := map[int]bool{}
	for _, pid := range opts.PIDs {
		if seen[pid] {
			continue
		}
		seen[pid] = true
		if err := p.objs.Traced.Put(uint32(pid), uint32(1)); err != nil {
			return fmt.Errorf("add pid %d to the traced set: %w", pid, err)
		}
	}
	if err := p.objs.Traced.Put(uint32(0), uint32(len(seen))); err != nil {
		return fmt.Errorf("count the traced set: %w", err)
	}
	for _, c := range opts.Comms {
		var key [16]byte
		copy(key[:15], c)
		if err := p.objs.Comms.Put(key, one); err != nil {
			return fmt.Errorf("add comm %q to the filter: %w", c, err)
		}
	}
	for _, id := range opts.Cgroups {
		if err := p.objs.Cgroups.Put(id, one); err != nil {
			return fmt.Errorf("add cgroup %d to the filter: %w", id, err)
		}
	}
	return nil
}

// attach hooks the scheduler tracepoints first, so that no process forked after
// sys_exit starts reporting escapes the pid tree.
func (p *probe) attach() error {
	progs := []*ebpf.Program{p.objs.OnFork, p.objs.OnPrepareExec, p.objs.OnExec, p.objs.OnExit, p.objs.SysExit}
	for _, prog := range progs {
		l, err := link.AttachTracing(link.TracingOptions{Program: prog})
		if err != nil {
			return fmt.Errorf("attach %s: %w", prog, err)
		}
		p.links = append(p.links, l)
	}
	return nil
}

// Close detaches the hooks and frees the maps.
func (p *probe) Close() error {
	var errs []error
	for i := len(p.links) - 1; i >= 0; i-- {
		errs = append(errs, p.links[i].Close())
	}
	p.links = nil
	errs = append(errs, p.objs.Close())
	return errors.Join(errs...)
}

// kernelHasTracepoint reports whether the kernel's BTF has the raw tracepoint name,
// so that a tp_btf program can attach to it.
func kernelHasTracepoint(name string) bool {
	spec, err := btf.LoadKernelSpec()
	if err != nil {
		return false
	}
	var td *btf.Typedef
	return spec.TypeByName("btf_trace_"+name, &td) == nil
}

// pidMax reads the largest pid of the host, the size of the traced array.
func pidMax() int {
	b, err := os.ReadFile("/proc/sys/kernel/pid_max")
	if err != nil {
		return 1 << 22 // PID_MAX_LIMIT on 64-bit
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || n <= 0 || n > 1<<22 {
		return 1 << 22
	}
	return n
}
