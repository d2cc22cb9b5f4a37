package capture

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// ErrNotSupported marks a host where the recorder cannot run: no BTF, no privileges.
var ErrNotSupported = errors.New("capture: not supported on this host")

const (
	capSysAdmin = 21
	capPerfmon  = 38
	capBPF      = 39
)

// preflight checks what loading the programs needs, so that the user reads what is
// missing rather than a verifier or permission error.
func preflight() error {
	if err := checkCaps(); err != nil {
		return err
	}
	if _, err := os.Stat("/sys/kernel/btf/vmlinux"); err != nil {
		return fmt.Errorf("find kernel BTF at /sys/kernel/btf/vmlinux (a kernel built with CONFIG_DEBUG_INFO_BTF=y is needed): %w", ErrNotSupported)
	}
	return nil
}

func checkCaps() error {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		return fmt.Errorf("read process capabilities: %w", err)
	}
	has := func(c uint) bool { return data[c/32].Effective&(1<<(c%32)) != 0 }
	if has(capSysAdmin) || (has(capBPF) && has(capPerfmon)) {
		return nil
	}
	return fmt.Errorf("load eBPF programs: run as root, or with CAP_BPF and CAP_PERFMON (e.g. sudo setcap cap_bpf,cap_perfmon+ep record): %w", ErrNotSupported)
}

// EnsureTracefs mounts tracefs at /sys/kernel/tracing when it is not mounted there.
// The programs attach through BTF and do not need it; it is mounted for the tools a
// responder uses next to the recorder (bpftool, perf). It reports whether it mounted.
func EnsureTracefs() (bool, error) {
	if _, err := os.Stat("/sys/kernel/tracing/trace"); err == nil {
		return false, nil
	}
	if err := unix.Mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, ""); err != nil {
		return false, fmt.Errorf("mount tracefs at /sys/kernel/tracing: %w", err)
	}
	return true, nil
}
