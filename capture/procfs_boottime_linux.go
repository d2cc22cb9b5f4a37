package capture

import "golang.org/x/sys/unix"

// BootTime returns the wall-clock time of boot in ns: CLOCK_REALTIME minus
// CLOCK_BOOTTIME, read back to back. Process start times and BPF timestamps
// (bpf_ktime_get_boot_ns) count from this origin. Unlike the btime line of /proc/stat it
// has sub-second precision; like it, it moves when the wall clock is set.
func BootTime() (int64, error) {
	var real, boot unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_REALTIME, &real); err != nil {
		return 0, err
	}
	if err := unix.ClockGettime(unix.CLOCK_BOOTTIME, &boot); err != nil {
		return 0, err
	}
	return real.Nano() - boot.Nano(), nil
}
