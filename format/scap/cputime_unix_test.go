//go:build unix

package scap

import (
	"syscall"
	"time"
)

// cpuTime returns the user and system CPU time the process has used, so that
// benchmarks can report events per CPU second, which a loaded machine does not skew.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
