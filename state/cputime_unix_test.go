//go:build unix

package state

import "syscall"

// cpuTime returns the CPU time (user and system) the process has used, in ns: a
// benchmark figure that other load on a shared machine inflates less than wall time.
func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
