package capture

import "golang.org/x/sys/unix"

// bootOffset measures CLOCK_REALTIME minus CLOCK_BOOTTIME, the shift from the kernel's
// bpf_ktime_get_boot_ns to wall-clock time, keeping the tightest of a few samples.
func bootOffset() int64 {
	best, off := int64(1<<62), int64(0)
	for range 8 {
		b1 := bootNow()
		var rt unix.Timespec
		_ = unix.ClockGettime(unix.CLOCK_REALTIME, &rt)
		b2 := bootNow()
		if d := b2 - b1; d < best {
			best, off = d, rt.Nano()-(b1+d/2)
		}
	}
	return off
}

// bootNow reads CLOCK_BOOTTIME in ns.
func bootNow() int64 {
	var ts unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts)
	return ts.Nano()
}
